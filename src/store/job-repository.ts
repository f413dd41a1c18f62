import { sql, type Kysely, type Transaction } from 'kysely';
import type { JobEffects, JobQueue, NewJob } from '../app/jobs.js';
import type { Database } from './database.js';

/** Queues work in the caller's transaction; work already queued under the same key is left as it is. */
export async function enqueueJobs(
  db: Kysely<Database> | Transaction<Database>,
  jobs: readonly NewJob[],
): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await db
    .insertInto('jobs')
    .values(jobs.map((j) => ({ kind: j.kind, key: j.key, runAfter: j.runAfter })))
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export function createPgJobQueue(db: Kysely<Database>): JobQueue {
  return {
    async enqueue(jobs) {
      await enqueueJobs(db, jobs);
    },
    async claim(worker, now, leaseMs, limit) {
      const until = new Date(now.getTime() + leaseMs);
      const result = await sql<{
        id: string;
        kind: string;
        key: string;
        attempts: number;
        resumed: boolean;
      }>`
        with picked as (
          select id, locked_until is not null as resumed from jobs
          where state = 'pending' and run_after <= ${now}
            and (locked_until is null or locked_until <= ${now})
          order by run_after, id
          limit ${limit}
          for update skip locked
        )
        update jobs set locked_until = ${until}, locked_by = ${worker}, attempts = attempts + 1
        from picked where jobs.id = picked.id
        returning jobs.id, jobs.kind, jobs.key, jobs.attempts, picked.resumed`.execute(db);
      return result.rows
        .map((r) => ({
          id: String(r.id),
          kind: r.kind,
          key: r.key,
          attempts: Number(r.attempts),
          resumed: Boolean(r.resumed),
        }))
        .sort((a, b) => Number(a.id) - Number(b.id));
    },
    async finish(job, worker, result, now, effects) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('jobs')
          .set(
            result.state === 'retry'
              ? {
                  runAfter: result.waitingFor
                    ? runAfterUnlessReachable(result.waitingFor.toLowerCase(), result.runAfter, now)
                    : result.runAfter,
                  lockedUntil: null,
                  lockedBy: null,
                  lastError: result.error.slice(0, 100),
                  waitingFor: result.waitingFor?.toLowerCase() ?? null,
                }
              : {
                  state: result.state,
                  outcome: result.outcome.slice(0, 100),
                  doneAt: now,
                  lockedUntil: null,
                  lockedBy: null,
                },
          )
          .where('id', '=', job.id)
          .where('state', '=', 'pending')
          .where('lockedBy', '=', worker)
          .where('attempts', '=', job.attempts)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        await effects?.(jobEffects(trx));
        return true;
      });
    },
  };
}

/**
 * When a job waiting for someone is put back, their 1:1 chat may have been stored while it ran
 * (they said hello on another instance, whose wake-up found the job claimed): then it runs again
 * now, not at its next try, which may be a day away.
 */
function runAfterUnlessReachable(aad: string, runAfter: Date, now: Date) {
  return sql<Date>`case when exists (
      select 1 from conversation_references c
      where c.scope = 'personal' and c.aad_object_id = ${aad} and c.blocked_at is null)
    then ${now}::timestamptz else ${runAfter}::timestamptz end`;
}

function jobEffects(trx: Transaction<Database>): JobEffects {
  return {
    async enqueue(jobs) {
      await enqueueJobs(trx, jobs);
    },
    async markMidway(checkId, mark, at) {
      await trx
        .updateTable('midwayChecks')
        .set({ [mark]: at })
        .where('id', '=', checkId)
        .execute();
    },
  };
}
