import type { ClaimedJob } from '../app/jobs.js';
import {
  checkIdOfJob,
  MIDWAY_JOBS,
  midwayJobKey,
  type MidwayCheck,
  type MidwayStore,
} from '../app/midway/midway-check.js';
import type { CaseReader } from '../app/ports.js';
import type { AdaptiveCardJson } from '../cards/card-templates.js';
import {
  renderMidwayNoAnswer,
  renderMidwayPrompt,
  renderMidwaySummary,
  renderMidwayUnreachable,
} from '../cards/render-midway.js';
import { addDays, todayIn, type LocalDate } from '../domain/local-date.js';
import { nextWorkingInstant, workingDaysAfter, type WorkingTime } from '../domain/working-time.js';
import type { JobHandler, JobOutcome } from './job-runner.js';
import type { Messenger } from './messenger.js';

/** Working days after the prompt before the one reminder, and before the IRO is told. */
export const MIDWAY_REMINDER_WORKING_DAYS = 5;
export const MIDWAY_TELL_IRO_WORKING_DAYS = 10;
/**
 * Midway dates further back than this are not prompted when first seen (an import of old
 * history, a first start): a check weeks late is the IRO's call, not a surprise message.
 */
export const MIDWAY_PROMPT_WINDOW_DAYS = 28;
/** A person not yet reachable in Teams is tried again each working hour, for about two weeks. */
const UNREACHABLE_ATTEMPTS = 80;

export interface MidwayJobDeps {
  midway: MidwayStore;
  cases: CaseReader;
  messenger: Messenger;
  workingTime: WorkingTime;
  /**
   * Adds the app for someone the bot has no 1:1 chat with (through Graph), when the app's catalog
   * entry is known; true when Graph took it. Teams then tells the bot of the new chat.
   */
  installFor?: (userObjectId: string) => Promise<boolean>;
}

/** After adding the app for someone, the message is tried again this much later. */
const AFTER_INSTALL_MS = 2 * 60_000;

/** Opens the midway checks that have come due (any instance; a check is opened once). */
export function midwayPlanner(deps: MidwayJobDeps): (now: Date) => Promise<void> {
  return async (now) => {
    const today = todayIn(deps.workingTime.timeZone, now);
    const since: LocalDate = addDays(today, -MIDWAY_PROMPT_WINDOW_DAYS);
    await deps.midway.openDueChecks(today, since, nextWorkingInstant(now, deps.workingTime));
  };
}

/** The handlers of the midway check's jobs, by kind. */
export function midwayJobHandlers(deps: MidwayJobDeps): Record<string, JobHandler> {
  const { workingTime } = deps;
  const objectIdOf = async (email: string) =>
    (await deps.cases.listStaff()).find((s) => s.email === email)?.aadObjectId ?? null;
  const later = (now: Date) => nextWorkingInstant(new Date(now.getTime() + 3_600_000), workingTime);
  const today = (now: Date) => todayIn(workingTime.timeZone, now);

  /** Loads the job's check; a job without one (the review was deleted) is dropped. */
  const withCheck =
    (run: (check: MidwayCheck, job: ClaimedJob, now: Date) => Promise<JobOutcome>): JobHandler =>
    async (job, now) => {
      const checkId = checkIdOfJob(job.key);
      const check = checkId === undefined ? undefined : await deps.midway.find(checkId);
      if (!check) return { result: { state: 'dropped', outcome: 'no such check' } };
      return run(check, job, now);
    };

  /**
   * Sends a card to a colleague. For someone the bot has no chat with, the app is first added
   * through Graph; someone it still cannot reach (the app not added, no Entra id in Staff.csv) is
   * tried again each working hour, and `onUnreachable` tells the IRO once.
   */
  const deliver = async (
    job: ClaimedJob,
    now: Date,
    email: string,
    card: AdaptiveCardJson,
    text: string,
    sent: JobOutcome['effects'],
    onUnreachable?: JobOutcome['effects'],
  ): Promise<JobOutcome> => {
    const aad = await objectIdOf(email);
    const delivery = aad ? await deps.messenger.sendCard(aad, card, text) : 'noChat';
    if (delivery === 'sent') return { result: { state: 'done', outcome: 'sent' }, effects: sent };
    if (aad && delivery !== 'blocked' && job.attempts === 1 && (await deps.installFor?.(aad))) {
      // Someone who never opened the app: it is added for them, and the chat comes with it.
      return {
        result: {
          state: 'retry',
          runAfter: nextWorkingInstant(new Date(now.getTime() + AFTER_INSTALL_MS), workingTime),
          error: 'installing',
        },
      };
    }
    if (delivery === 'blocked' || job.attempts >= UNREACHABLE_ATTEMPTS) {
      return {
        result: { state: 'dropped', outcome: delivery === 'blocked' ? 'blocked' : 'unreachable' },
        effects: onUnreachable,
      };
    }
    return {
      result: { state: 'retry', runAfter: later(now), error: aad ? delivery : 'noObjectId' },
      // Queued once (by its key), however often this is tried.
      effects: onUnreachable,
    };
  };

  const tellIroUnreachable: (check: MidwayCheck) => JobOutcome['effects'] = (check) => async (tx) =>
    tx.enqueue([
      {
        kind: MIDWAY_JOBS.unreachable,
        key: midwayJobKey(MIDWAY_JOBS.unreachable, check.checkId),
        runAfter: new Date(0),
      },
    ]);

  return {
    [MIDWAY_JOBS.prompt]: withCheck(async (check, job, now) => {
      if (check.answeredAt) return { result: { state: 'done', outcome: 'answered' } };
      return deliver(
        job,
        now,
        check.swEmail,
        renderMidwayPrompt(check, { reminder: false, today: today(now) }),
        `${check.iroName} (IRO) asks how the last review's decisions are going.`,
        async (tx) => {
          await tx.markMidway(check.checkId, 'promptedAt', now);
          await tx.enqueue([
            {
              kind: MIDWAY_JOBS.reminder,
              key: midwayJobKey(MIDWAY_JOBS.reminder, check.checkId),
              runAfter: workingDaysAfter(now, MIDWAY_REMINDER_WORKING_DAYS, workingTime),
            },
            {
              kind: MIDWAY_JOBS.noAnswer,
              key: midwayJobKey(MIDWAY_JOBS.noAnswer, check.checkId),
              runAfter: workingDaysAfter(now, MIDWAY_TELL_IRO_WORKING_DAYS, workingTime),
            },
          ]);
        },
        tellIroUnreachable(check),
      );
    }),
    [MIDWAY_JOBS.reminder]: withCheck(async (check, job, now) => {
      if (check.answeredAt) return { result: { state: 'done', outcome: 'answered' } };
      return deliver(
        job,
        now,
        check.swEmail,
        renderMidwayPrompt(check, { reminder: true, today: today(now) }),
        `Reminder: ${check.iroName} (IRO) is waiting for your midway answers.`,
        (tx) => tx.markMidway(check.checkId, 'remindedAt', now),
      );
    }),
    [MIDWAY_JOBS.noAnswer]: withCheck(async (check, job, now) => {
      if (check.answeredAt) return { result: { state: 'done', outcome: 'answered' } };
      return deliver(
        job,
        now,
        check.iroEmail,
        renderMidwayNoAnswer(check, {
          timeZone: workingTime.timeZone,
          workingDays: MIDWAY_TELL_IRO_WORKING_DAYS,
        }),
        'No answer to a midway check.',
        (tx) => tx.markMidway(check.checkId, 'iroToldAt', now),
      );
    }),
    [MIDWAY_JOBS.summary]: withCheck(async (check, job, now) =>
      deliver(
        job,
        now,
        check.iroEmail,
        renderMidwaySummary(check, { today: today(now), timeZone: workingTime.timeZone }),
        `${check.swName} has answered the midway check.`,
        undefined,
      ),
    ),
    [MIDWAY_JOBS.unreachable]: withCheck(async (check, job, now) => {
      if (check.answeredAt || check.promptedAt) {
        return { result: { state: 'done', outcome: 'reached since' } };
      }
      const aad = await objectIdOf(check.swEmail);
      const blocked = aad ? await deps.messenger.blockedByUser(aad) : false;
      return deliver(
        job,
        now,
        check.iroEmail,
        renderMidwayUnreachable(check, { reason: blocked ? 'blocked' : 'noChat' }),
        'I could not send a midway check.',
        (tx) => tx.markMidway(check.checkId, 'unreachableToldAt', now),
      );
    }),
  };
}
