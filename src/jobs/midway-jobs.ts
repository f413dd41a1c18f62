import type { ClaimedJob } from '../app/jobs.js';
import {
  checkIdOfJob,
  MIDWAY_JOBS,
  midwayJobKey,
  type MidwayCheck,
  type MidwayStore,
} from '../app/midway/midway-check.js';
import {
  renderMidwayNoAnswer,
  renderMidwayPrompt,
  renderMidwaySummary,
  renderMidwayUnreachable,
} from '../cards/render-midway.js';
import { addDays, todayIn, type LocalDate } from '../domain/local-date.js';
import { nextWorkingInstant, workingDaysAfter } from '../domain/working-time.js';
import { zonedTimeToInstant } from '../domain/zoned-time.js';
import type { JobHandler, JobOutcome } from './job-runner.js';
import { raiseAlertAction } from '../cards/card-actions.js';
import { createDeliverer, type DeliveryDeps } from './deliver.js';

/** Working days after the prompt before the one reminder, and before the IRO is told. */
export const MIDWAY_REMINDER_WORKING_DAYS = 5;
export const MIDWAY_TELL_IRO_WORKING_DAYS = 10;
/**
 * Midway dates further back than this are not prompted when first seen (an import of old
 * history, a first start): a check weeks late is the IRO's call, not a surprise message.
 */
export const MIDWAY_PROMPT_WINDOW_DAYS = 28;
/** Half of the longest interval between reviews (6 months): a check is not sent later than this. */
const MIDWAY_LONGEST_WAIT_DAYS = 92;

export interface MidwayJobDeps extends DeliveryDeps {
  midway: MidwayStore;
}

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
   * A check still waiting for its answer, of a review that is still the child's last: once a
   * later review is held (its decisions are the ones to follow) or the child has left care,
   * nobody is asked, reminded or told of it any more. An answer given already is still summed up.
   */
  const whileAsking = (
    run: (check: MidwayCheck, job: ClaimedJob, now: Date) => Promise<JobOutcome>,
  ): JobHandler =>
    withCheck(async (check, job, now) => {
      if (check.answeredAt) return { result: { state: 'done', outcome: 'answered' } };
      if (check.overtaken === 'laterReview')
        return { result: { state: 'dropped', outcome: 'a later review was held' } };
      if (check.overtaken === 'leftCare')
        return { result: { state: 'dropped', outcome: 'the period of care ended' } };
      return run(check, job, now);
    });

  const deliver = createDeliverer(deps);

  /**
   * Queues the IRO's note that the check could not be sent. It runs after the prompts already due
   * (jobs run in order of their time), so the IRO's other checks failing in the same run are
   * told in the same card.
   */
  const tellIroUnreachable =
    (check: MidwayCheck, now: Date): JobOutcome['effects'] =>
    async (tx) =>
      tx.enqueue([
        {
          kind: MIDWAY_JOBS.unreachable,
          key: midwayJobKey(MIDWAY_JOBS.unreachable, check.checkId),
          runAfter: now,
        },
      ]);

  /**
   * A check is worth sending until the next review is due (its start, in the council's zone); when
   * that date is not known, until three months after the midway date, the longest a review
   * interval runs past it.
   */
  const worthSendingUntil = (check: MidwayCheck): Date =>
    zonedTimeToInstant(
      check.nextDueOn ?? addDays(check.midwayOn, MIDWAY_LONGEST_WAIT_DAYS),
      '00:00',
      workingTime.timeZone,
    );

  return {
    [MIDWAY_JOBS.prompt]: whileAsking(async (check, job, now) => {
      const until = worthSendingUntil(check);
      if (now >= until) return { result: { state: 'dropped', outcome: 'next review due' } };
      // With no decisions recorded, the check asks only for a note: it is not chased.
      const chased = check.decisions.length > 0;
      return deliver(
        job,
        now,
        check.swEmail,
        renderMidwayPrompt(check, { reminder: false, today: today(now) }),
        `${check.iroName} (IRO) asks how the last review's decisions are going.`,
        async (tx) => {
          await tx.markMidway(check.checkId, 'promptedAt', now);
          if (!chased) return;
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
        tellIroUnreachable(check, now),
        until,
      );
    }),
    [MIDWAY_JOBS.reminder]: whileAsking(async (check, job, now) => {
      return deliver(
        job,
        now,
        check.swEmail,
        renderMidwayPrompt(check, { reminder: true, today: today(now) }),
        `Reminder: ${check.iroName} (IRO) is waiting for your midway answers.`,
        (tx) => tx.markMidway(check.checkId, 'remindedAt', now),
      );
    }),
    [MIDWAY_JOBS.noAnswer]: whileAsking(async (check, job, now) => {
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
        renderMidwaySummary(check, {
          today: today(now),
          timeZone: workingTime.timeZone,
          alertAction: raiseAlertAction(check),
        }),
        `${check.swName} has answered the midway check.`,
        undefined,
      ),
    ),
    [MIDWAY_JOBS.unreachable]: whileAsking(async (check, job, now) => {
      // Every check of this IRO waiting for such a note, this one included, in one card; those
      // overtaken by a later review are no longer worth a word.
      const waiting = (await deps.midway.unreachableNotesFor(check.iroEmail, job.id)).filter(
        (c) => c.overtaken === null,
      );
      if (!waiting.some((c) => c.checkId === check.checkId)) {
        return { result: { state: 'done', outcome: 'reached since, or told with others' } };
      }
      // The staff list read once, not once for each check.
      const staff = await deps.cases.listStaff();
      const entries = await Promise.all(
        waiting.map(async (c) => {
          const aad = staff.find((s) => s.email === c.swEmail)?.aadObjectId;
          const blocked = aad ? await deps.messenger.blockedByUser(aad) : false;
          return { check: c, reason: blocked ? ('blocked' as const) : ('noChat' as const) };
        }),
      );
      return deliver(
        job,
        now,
        check.iroEmail,
        renderMidwayUnreachable(entries),
        entries.length === 1
          ? 'I could not send a midway check.'
          : `I could not send ${entries.length} midway checks.`,
        async (tx) => {
          for (const c of waiting) await tx.markMidway(c.checkId, 'unreachableToldAt', now);
        },
      );
    }),
  };
}
