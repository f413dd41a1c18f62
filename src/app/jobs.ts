/**
 * Work the server does on its own (prompts, reminders), queued in the shared store. These are the
 * ports the job runner and the use cases that queue work see; the store implements them.
 */

/** A job as the runner sees it: what to do and to what (ids only), and how often it was tried. */
export interface ClaimedJob {
  id: string;
  kind: string;
  /** Unique for the work it stands for: `midway.prompt:42`. */
  key: string;
  /** Tries so far, this one included. */
  attempts: number;
  /**
   * The last try never finished: its instance stopped (or lost its lease) half way. If it was
   * sending a message, Teams may already have it: no Teams API takes an idempotency key.
   */
  resumed: boolean;
}

/** How a job ended this time. `error` and `outcome` are codes, never text with personal data. */
export type JobResult =
  | { state: 'done'; outcome: string }
  /**
   * `waitingFor`: the Entra object id of a colleague the bot has no 1:1 chat with; the job runs
   * again as soon as their chat is stored.
   */
  | { state: 'retry'; runAfter: Date; error: string; waitingFor?: string }
  | { state: 'dropped'; outcome: string };

export interface NewJob {
  kind: string;
  key: string;
  runAfter: Date;
}

export type MidwayMark = 'promptedAt' | 'remindedAt' | 'iroToldAt' | 'unreachableToldAt';

/** What a job's work changes in the store, written in the same transaction as its result. */
export interface JobEffects {
  /** Queues more work; work already queued under the same key is left as it is. */
  enqueue(jobs: readonly NewJob[]): Promise<void>;
  /** Notes on a midway check that a message went out. */
  markMidway(checkId: number, mark: MidwayMark, at: Date): Promise<void>;
}

export interface JobQueue {
  /** Queues work; work already queued under the same key (by any instance) is left as it is. */
  enqueue(jobs: readonly NewJob[]): Promise<void>;
  /**
   * Claims up to `limit` jobs that are due and not held by a live lease, for `leaseMs`. Instances
   * claiming at the same moment never get the same job; a job whose instance stopped before
   * finishing is claimed again when its lease runs out.
   */
  claim(worker: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedJob[]>;
  /**
   * Records how the job went, with what its work changed, in one transaction; unless the claim
   * was lost (its lease ran out and another instance took the job): then nothing is written and
   * it says false.
   */
  finish(
    job: ClaimedJob,
    worker: string,
    result: JobResult,
    now: Date,
    effects?: (tx: JobEffects) => Promise<void>,
  ): Promise<boolean>;
}
