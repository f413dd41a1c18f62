import { sql, type Kysely } from 'kysely';
import { childLabelOf } from '../app/case-view.js';
import {
  MIDWAY_JOBS,
  midwayJobKey,
  type DecisionStatus,
  type MidwayCheck,
  type MidwayStore,
} from '../app/midway/midway-check.js';
import type { LocalDate } from '../domain/local-date.js';
import { appendAudit } from './audit.js';
import type { Database } from './database.js';
import { enqueueJobs } from './job-repository.js';

export function createPgMidwayStore(db: Kysely<Database>): MidwayStore {
  const load = async (where: { checkId: number } | { childId: string }) => {
    let query = db
      .selectFrom('midwayChecks as m')
      .innerJoin('reviews as r', 'r.id', 'm.reviewId')
      .innerJoin('children as c', 'c.childId', 'm.childId')
      .leftJoin('reviewStatus as s', 's.childId', 'm.childId')
      .leftJoin('staff as sw', 'sw.email', 'm.swEmail')
      .leftJoin('staff as iro', 'iro.email', 'm.iroEmail')
      .select([
        'm.id',
        'm.reviewId',
        'm.childId',
        'm.midwayOn',
        'm.swEmail',
        'm.iroEmail',
        'm.promptedAt',
        'm.unreachableToldAt',
        'm.answeredAt',
        'm.answeredBy',
        'm.iroNote',
        'r.heldOn',
        'c.firstName',
        'c.lastName',
        's.nextDueOn',
        's.lastReviewOn',
        's.periodEnd',
        'sw.name as swName',
        'iro.name as iroName',
      ]);
    query =
      'checkId' in where
        ? query.where('m.id', '=', where.checkId)
        : query
            .where('m.childId', '=', where.childId)
            .orderBy('m.midwayOn', 'desc')
            .orderBy('m.id', 'desc');
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const [decisions, answers, formerSws] = await Promise.all([
      db
        .selectFrom('reviewDecisions as d')
        .leftJoin('staff as s', 's.email', 'd.ownerEmail')
        .select(['d.id', 'd.description', 'd.ownerEmail', 's.name as ownerName', 'd.dueOn'])
        .where('d.reviewId', '=', row.reviewId)
        .orderBy('d.id')
        .execute(),
      db
        .selectFrom('decisionProgress')
        .select(['decisionId', 'status', 'note'])
        .where('midwayCheckId', '=', row.id)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('allocations')
        .select('staffEmail')
        .distinct()
        .where('childId', '=', row.childId)
        .where('role', '=', 'social_worker')
        .where('endDate', 'is not', null)
        .where('staffEmail', '!=', row.swEmail)
        .execute(),
    ]);
    const heldOn = row.heldOn as LocalDate;
    const lastReviewOn = row.lastReviewOn as LocalDate | null;
    const check: MidwayCheck = {
      checkId: row.id,
      childId: row.childId,
      childLabel: childLabelOf(row),
      reviewId: row.reviewId,
      lastReviewOn: heldOn,
      midwayOn: row.midwayOn as LocalDate,
      // The next due date only belongs to this check while this review is still the last one.
      nextDueOn: lastReviewOn === heldOn ? ((row.nextDueOn as LocalDate | null) ?? null) : null,
      swEmail: row.swEmail,
      swName: row.swName ?? row.swEmail,
      formerSwEmails: formerSws.map((f) => f.staffEmail),
      overtaken:
        lastReviewOn === heldOn
          ? row.periodEnd === null
            ? null
            : 'leftCare'
          : lastReviewOn !== null && lastReviewOn > heldOn
            ? 'laterReview'
            : 'leftCare',
      iroEmail: row.iroEmail,
      iroName: row.iroName ?? row.iroEmail,
      decisions: decisions.map((d) => ({
        decisionId: d.id,
        description: d.description,
        ownerEmail: d.ownerEmail,
        ownerName: d.ownerName,
        dueOn: d.dueOn as LocalDate | null,
      })),
      promptedAt: row.promptedAt,
      unreachableToldAt: row.unreachableToldAt,
      answeredAt: row.answeredAt,
      answeredBy: row.answeredBy,
      iroNote: row.iroNote,
      answers: answers.map((a) => ({
        decisionId: a.decisionId,
        status: a.status as DecisionStatus,
        note: a.note,
      })),
    };
    return check;
  };

  return {
    async openDueChecks(today, since, promptAt) {
      return db.transaction().execute(async (trx) => {
        const allocated = (role: 'iro' | 'social_worker') => sql<string>`(
          select a.staff_email from allocations a
          where a.child_id = s.child_id and a.role = ${role} and a.start_date <= ${today}
            and (a.end_date is null or a.end_date >= ${today})
          order by a.start_date desc, a.id desc limit 1)`;
        const opened = await sql<{ id: number }>`
          insert into midway_checks (review_id, child_id, midway_on, sw_email, iro_email)
          select review_id, child_id, midway_on, sw_email, iro_email from (
            select s.child_id, s.midway_on,
              (select r.id from reviews r
                where r.child_id = s.child_id and r.status = 'held' and r.held_on = s.last_review_on
                order by r.id desc limit 1) as review_id,
              ${allocated('social_worker')} as sw_email,
              ${allocated('iro')} as iro_email
            from review_status s
            where s.midway_on between ${since} and ${today}
              and s.period_end is null and s.last_review_on is not null
              and (s.next_due_on is null or s.next_due_on > ${today})
          ) due
          where review_id is not null and sw_email is not null and iro_email is not null
          on conflict (review_id) do nothing
          returning id`.execute(trx);
        const ids = opened.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
        await enqueueJobs(
          trx,
          ids.map((id) => ({
            kind: MIDWAY_JOBS.prompt,
            key: midwayJobKey(MIDWAY_JOBS.prompt, id),
            runAfter: promptAt,
          })),
        );
        return ids;
      });
    },
    find: (checkId) => load({ checkId }),
    latestForChild: (childId) => load({ childId }),
    async unreachableNotesFor(iroEmail, jobId) {
      const rows = await db
        .selectFrom('midwayChecks as m')
        .innerJoin('jobs as j', (join) =>
          join.on('j.key', '=', sql<string>`${MIDWAY_JOBS.unreachable}::text || ':' || m.id`),
        )
        .select('m.id')
        .where('m.iroEmail', '=', iroEmail)
        .where('m.promptedAt', 'is', null)
        .where('m.answeredAt', 'is', null)
        .where('m.unreachableToldAt', 'is', null)
        .where('j.state', '=', 'pending')
        .where((eb) => eb.or([eb('j.lockedBy', 'is', null), eb('j.id', '=', jobId)]))
        .orderBy('m.id')
        .execute();
      const checks = await Promise.all(rows.map((r) => load({ checkId: r.id })));
      return checks.filter((c): c is MidwayCheck => c !== undefined);
    },
    async statesFor(childIds) {
      if (childIds.length === 0) return [];
      // One array parameter, not one per child: a manager's list can name thousands.
      const rows = await db
        .selectFrom('midwayChecks')
        .select(['childId', 'midwayOn', 'promptedAt', 'unreachableToldAt', 'answeredAt'])
        .where(sql<boolean>`child_id = any(${[...childIds]}::text[])`)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...r, midwayOn: r.midwayOn as LocalDate }));
    },
    async recordAnswer(input) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('midwayChecks')
          .set({ answeredAt: input.at, answeredBy: input.answeredBy, iroNote: input.iroNote })
          .where('id', '=', input.checkId)
          .where('answeredAt', 'is', null)
          .returning(['id', 'childId'])
          .executeTakeFirst();
        if (!updated) return 'alreadyAnswered';
        if (input.answers.length > 0) {
          await trx
            .insertInto('decisionProgress')
            .values(
              input.answers.map((a) => ({
                decisionId: a.decisionId,
                status: a.status,
                note: a.note,
                reportedBy: input.answeredBy,
                reportedAt: input.at,
                midwayCheckId: input.checkId,
              })),
            )
            .execute();
        }
        await appendAudit(
          trx,
          { actor: input.answeredBy, today: input.today, correlationId: input.correlationId },
          [
            {
              action: 'midway.answered',
              entity: 'child',
              entityId: updated.childId,
              detail: {
                check: input.checkId,
                statuses: input.answers.map((a) => a.status),
                noteToIro: input.iroNote !== null,
              },
            },
          ],
        );
        await enqueueJobs(trx, [
          {
            kind: MIDWAY_JOBS.summary,
            key: midwayJobKey(MIDWAY_JOBS.summary, input.checkId),
            runAfter: input.summaryAt,
          },
        ]);
        return 'recorded';
      });
    },
  };
}
