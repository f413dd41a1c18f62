import { randomUUID } from 'node:crypto';
import type { ClaimedJob, JobEffects, JobQueue, JobResult } from '../app/jobs.js';
import type { Logger } from '../shared/logger.js';

/** What a job's handler decided, and what its work changed (written with the result). */
export interface JobOutcome {
  result: JobResult;
  effects?: (tx: JobEffects) => Promise<void>;
}

export type JobHandler = (job: ClaimedJob, now: Date) => Promise<JobOutcome>;

export interface JobRunner {
  /** This instance's name in job claims. */
  readonly worker: string;
  /** One pass: plans new work, then claims and runs due jobs one at a time until none is left. */
  runOnce(): Promise<{ done: number; retried: number; dropped: number; lost: number }>;
  stop(): Promise<void>;
}

/** A job that fails this often is given up (and logged) rather than tried for ever. */
export const MAX_JOB_ATTEMPTS = 12;

/** Back-off after an unexpected failure: 5 minutes, doubling, at most 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/**
 * Runs the jobs of the shared job table inside the server. Every instance runs one; a job is
 * claimed by one instance at a time (the store's claim), and held by a lease so that a job whose
 * instance died half way is taken up again once the lease runs out. Claims are one job at a time,
 * so an instance that dies strands one job at most.
 */
export function startJobRunner(deps: {
  queue: JobQueue;
  handlers: Readonly<Record<string, JobHandler>>;
  /** Looks for new work (opening midway checks, ...) before each pass. */
  planners: readonly ((now: Date) => Promise<void>)[];
  /** Jobs are only claimed when this says so (working hours on working days). */
  mayRun: (now: Date) => boolean;
  clock: { now(): Date };
  logger: Logger;
  leaseMs: number;
  intervalMs: number;
  worker?: string;
}): JobRunner {
  const worker = deps.worker ?? `instance-${randomUUID().slice(0, 8)}`;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const runJob = async (job: ClaimedJob): Promise<JobOutcome> => {
    const handler = deps.handlers[job.kind];
    if (!handler) return { result: { state: 'dropped', outcome: 'unknown kind' } };
    try {
      return await handler(job, deps.clock.now());
    } catch (error) {
      deps.logger.error({ job: job.id, kind: job.kind, err: error }, 'a job failed');
      const code =
        (error as { code?: unknown; statusCode?: unknown }).statusCode ??
        (error as { code?: unknown }).code;
      const failure = typeof code === 'string' || typeof code === 'number' ? String(code) : 'error';
      if (job.attempts >= MAX_JOB_ATTEMPTS) {
        return { result: { state: 'dropped', outcome: `gave up: ${failure}` } };
      }
      return {
        result: {
          state: 'retry',
          runAfter: new Date(deps.clock.now().getTime() + backoffMs(job.attempts)),
          error: failure,
        },
      };
    }
  };

  const runOnce = async () => {
    const counts = { done: 0, retried: 0, dropped: 0, lost: 0 };
    for (const plan of deps.planners) await plan(deps.clock.now());
    for (let guard = 0; guard < 10_000 && !stopped; guard += 1) {
      const now = deps.clock.now();
      if (!deps.mayRun(now)) break;
      const [job] = await deps.queue.claim(worker, now, deps.leaseMs, 1);
      if (!job) break;
      if (job.resumed) {
        deps.logger.warn(
          { job: job.id, kind: job.kind, attempts: job.attempts },
          'taking up a job another instance left unfinished; a message it was sending may arrive twice',
        );
      }
      const outcome = await runJob(job);
      const kept = await deps.queue.finish(
        job,
        worker,
        outcome.result,
        deps.clock.now(),
        outcome.effects,
      );
      if (!kept) {
        counts.lost += 1;
        deps.logger.warn({ job: job.id, kind: job.kind }, 'a job outlived its lease');
        continue;
      }
      if (outcome.result.state === 'done') counts.done += 1;
      else if (outcome.result.state === 'retry') counts.retried += 1;
      else {
        counts.dropped += 1;
        deps.logger.warn(
          { job: job.id, kind: job.kind, outcome: outcome.result.outcome },
          'a job was given up',
        );
      }
    }
    if (counts.done + counts.retried + counts.dropped + counts.lost > 0) {
      deps.logger.info({ worker, ...counts }, 'jobs run');
    }
    return counts;
  };

  const timer = setInterval(() => {
    if (running || stopped) return;
    running = runOnce()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'the job runner failed'))
      .finally(() => {
        running = undefined;
      });
  }, deps.intervalMs);
  timer.unref();
  return {
    worker,
    runOnce: async () => {
      // A pass started by the timer finishes first: passes never overlap in one instance.
      while (running) await running;
      const pass = runOnce();
      running = pass.finally(() => {
        running = undefined;
      });
      return pass;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
