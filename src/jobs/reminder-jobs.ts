import type { ClaimedJob } from '../app/jobs.js';
import { digestFor, digestIsEmpty, type FollowUpDeps } from '../app/reminders/follow-up.js';
import { REMINDER_JOBS, type ReminderStore } from '../app/reminders/reminders.js';
import { renderDecisionDue, renderIroDigest, renderReportDue } from '../cards/render-reminders.js';
import { addDays, todayIn, type LocalDate } from '../domain/local-date.js';
import { nextWorkingInstant, workingDaysBefore } from '../domain/working-time.js';
import { instantToZoned, zonedTimeToInstant } from '../domain/zoned-time.js';
import { createDeliverer, type DeliveryDeps } from './deliver.js';
import type { JobHandler } from './job-runner.js';

/** Decisions due this many days ahead are queued; the reminder goes the working day before. */
const DECISION_HORIZON_DAYS = 14;
/** Meetings booked this far ahead get their report reminder queued. */
const REPORT_HORIZON_DAYS = 45;
/** The social worker's report is due this many working days before the review (DOMAIN.md). */
export const REPORT_WORKING_DAYS = 3;
/** The reminder goes this many working days before the report is due. */
const REPORT_NOTICE_WORKING_DAYS = 2;

export type ReminderJobDeps = FollowUpDeps & DeliveryDeps & { reminders: ReminderStore };

/**
 * Queues the day's reminders: the working day before a decision's date, each IRO's digest at the
 * start of each working day, and each social worker's report reminder before a booked review.
 * Keys make it safe to run on every pass of every instance; it works at most once an hour here.
 */
export function reminderPlanner(deps: ReminderJobDeps): (now: Date) => Promise<void> {
  let lastHour = '';
  const w = deps.workingTime;
  const startOf = (day: LocalDate) => zonedTimeToInstant(day, w.hours.start, w.timeZone);
  return async (now) => {
    const hour = now.toISOString().slice(0, 13);
    if (hour === lastHour) return;
    lastHour = hour;
    const today = todayIn(w.timeZone, now);
    await deps.reminders.queueDecisionReminders(
      addDays(today, 1),
      addDays(today, DECISION_HORIZON_DAYS),
      (dueOn) => nextWorkingInstant(startOf(workingDaysBefore(dueOn, 1, w)), w),
    );
    if (w.calendar.isWorkingDay(today)) await deps.reminders.queueDigests(today, startOf(today));
    await deps.reminders.queueReportReminders(
      now,
      new Date(now.getTime() + REPORT_HORIZON_DAYS * 86_400_000),
      (start) => {
        const meetingDay = instantToZoned(start, w.timeZone).date;
        const reportDue = workingDaysBefore(meetingDay, REPORT_WORKING_DAYS, w);
        return nextWorkingInstant(
          startOf(workingDaysBefore(reportDue, REPORT_NOTICE_WORKING_DAYS, w)),
          w,
        );
      },
    );
  };
}

export function reminderJobHandlers(deps: ReminderJobDeps): Record<string, JobHandler> {
  const deliver = createDeliverer(deps);
  const w = deps.workingTime;
  const part = (job: ClaimedJob, i: number) => job.key.split(':').slice(i).join(':');
  return {
    [REMINDER_JOBS.decisionDue]: async (job, now) => {
      const decision = await deps.reminders.findDecision(Number(part(job, 1).split(':')[0]));
      if (!decision || !decision.ownerEmail)
        return { result: { state: 'dropped', outcome: 'no such decision' } };
      if (decision.status === 'done') return { result: { state: 'done', outcome: 'done already' } };
      return deliver(
        job,
        now,
        decision.ownerEmail,
        renderDecisionDue(decision, { today: todayIn(w.timeZone, now) }),
        'A review decision is due.',
        undefined,
      );
    },
    [REMINDER_JOBS.digest]: async (job, now) => {
      const [day, ...rest] = part(job, 1).split(':');
      if (day !== todayIn(w.timeZone, now))
        // Yesterday's digest is no use today: today's has what is still to do.
        return { result: { state: 'done', outcome: 'a past day' } };
      const email = rest.join(':');
      const iro = (await deps.cases.listStaff()).find((s) => s.email === email);
      if (!iro || iro.role !== 'iro')
        return { result: { state: 'dropped', outcome: 'no such IRO' } };
      const digest = await digestFor(deps, iro);
      if (digestIsEmpty(digest, w.calendar))
        return { result: { state: 'done', outcome: 'nothing due' } };
      return deliver(
        job,
        now,
        iro.email,
        renderIroDigest(digest, { timeZone: w.timeZone }),
        'Your reviews today.',
        undefined,
      );
    },
    [REMINDER_JOBS.reportDue]: async (job, now) => {
      const [id, ...start] = part(job, 1).split(':');
      const review = await deps.reminders.bookedReview(Number(id));
      if (!review || review.start.toISOString() !== start.join(':'))
        return { result: { state: 'done', outcome: 'moved or cancelled' } };
      if (!review.swEmail) return { result: { state: 'done', outcome: 'no social worker' } };
      const meetingDay = instantToZoned(review.start, w.timeZone).date;
      return deliver(
        job,
        now,
        review.swEmail,
        renderReportDue(
          {
            reviewId: Number(id),
            childId: review.childId,
            childLabel: review.childLabel,
            meetingStart: review.start,
            reportDueOn: workingDaysBefore(meetingDay, REPORT_WORKING_DAYS, w),
            iroName: review.iroName,
          },
          { timeZone: w.timeZone },
        ),
        'Your report for a review is due soon.',
        undefined,
      );
    },
  };
}
