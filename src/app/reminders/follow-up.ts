import { addDays, dayOfWeek, daysBetween, type LocalDate } from '../../domain/local-date.js';
import { holdByDay, type WorkingCalendar } from '../../domain/working-days.js';
import { workingDaysBefore, type WorkingTime } from '../../domain/working-time.js';
import { zonedTimeToInstant } from '../../domain/zoned-time.js';
import { readVisibleChildIds, staffByObjectId } from '../access/viewer-scope.js';
import { childLabel } from '../case-view.js';
import { listDueReviews } from '../due-reviews.js';
import type { CaseReader, StaffMember } from '../ports.js';
import type { DecisionContext, FollowedDecision, IroDigest, ReminderStore } from './reminders.js';

export const MAX_REASON = 1000;
/** Working days after a review by which its decisions should be recorded (DOMAIN.md). */
export const DECISIONS_WORKING_DAYS = 5;
/** Reviews due within this many working days and not booked are listed in the digest. */
export const DIGEST_DUE_WORKING_DAYS = 20;

export interface FollowUpDeps {
  cases: CaseReader;
  reminders: ReminderStore;
  workingTime: WorkingTime;
  clock: { now(): Date; today(): LocalDate };
  /** The council's working days for distributing the review record (15, some use 20). */
  recordWorkingDays: number;
}

async function askerIn(deps: FollowUpDeps, aad: string | undefined) {
  const staff = await deps.cases.listStaff();
  return { staff, asker: staffByObjectId(staff, aad) };
}

export type DecisionUpdateOutcome =
  | { kind: 'updated'; decision: DecisionContext }
  | {
      kind: 'invalid';
      decision: DecisionContext;
      values: Record<string, string>;
      errors: Record<string, string>;
    }
  | { kind: 'notAllowed' };

/**
 * The person responsible for a decision (or the child's social worker or IRO) says it is done, or
 * why not; stored as a progress report, audited.
 */
export async function updateDecision(
  deps: FollowUpDeps,
  input: {
    askerAad: string | undefined;
    decisionId: number;
    form: Record<string, string>;
    correlationId?: string;
  },
): Promise<DecisionUpdateOutcome> {
  const [{ asker }, decision] = await Promise.all([
    askerIn(deps, input.askerAad),
    deps.reminders.findDecision(input.decisionId),
  ]);
  if (!asker || !decision) return { kind: 'notAllowed' };
  const mayAnswer = [decision.ownerEmail, decision.swEmail, decision.iroEmail].includes(
    asker.email,
  );
  if (!mayAnswer) return { kind: 'notAllowed' };
  const status = (input.form['status'] ?? '').trim();
  const reason = (input.form['reason'] ?? '').trim();
  const errors: Record<string, string> = {};
  if (status !== 'done' && status !== 'notDone') errors['status'] = 'Say whether it is done.';
  else if (status === 'notDone' && !reason)
    errors['reason'] = 'Say why it is not done yet, and when it will be.';
  if (reason.length > MAX_REASON) errors['reason'] = `Keep this to ${MAX_REASON} characters.`;
  if (Object.keys(errors).length > 0) {
    errors['form'] = 'Nothing was sent yet. Please fix what is marked and send again.';
    return { kind: 'invalid', decision, values: { status, reason }, errors };
  }
  await deps.reminders.updateDecision({
    decisionId: decision.decisionId,
    status: status as 'done' | 'notDone',
    reason: reason || null,
    by: asker.email,
    at: deps.clock.now(),
    today: deps.clock.today(),
    correlationId: input.correlationId,
  });
  const after = (await deps.reminders.findDecision(decision.decisionId)) ?? decision;
  return { kind: 'updated', decision: after };
}

/** "decisions overdue": for the children the asker may see. */
export async function decisionsOverdueFor(
  deps: FollowUpDeps,
  askerAad: string | undefined,
): Promise<FollowedDecision[] | undefined> {
  const { staff, asker } = await askerIn(deps, askerAad);
  if (!asker) return undefined;
  const children = await readVisibleChildIds(deps.cases, asker, staff);
  return deps.reminders.overdueDecisions({ childIds: [...children] }, deps.clock.today());
}

/** Reviews held this many days back or fewer are followed up in the digest and its lists. */
export const FOLLOW_UP_DAYS = 90;

/** What is left to do after an IRO's reviews: the lists the digest and its questions read. */
async function afterReviews(deps: FollowUpDeps, iro: StaffMember, today: LocalDate) {
  const { timeZone } = deps.workingTime;
  const lastMeetingDay = workingDaysBefore(today, DECISIONS_WORKING_DAYS, deps.workingTime);
  const lists = await deps.reminders.digestLists(iro.email, {
    today,
    meetingsEndedBefore: zonedTimeToInstant(addDays(lastMeetingDay, 1), '00:00', timeZone),
    heldSince: addDays(today, -FOLLOW_UP_DAYS),
  });
  const recordsNotDistributed = lists.undistributed
    .map((r) => ({
      ...r,
      dueBy: deps.workingTime.calendar.addWorkingDays(r.heldOn, deps.recordWorkingDays),
    }))
    .filter((r) => r.dueBy < today);
  return { ...lists, recordsNotDistributed };
}

export type ReviewsToWriteUp =
  | { kind: 'notRegistered' }
  /** Recording decisions and distributing records is the IRO's: others are told so. */
  | { kind: 'notIro' }
  | ({ kind: 'lists'; today: LocalDate } & Pick<
      IroDigest,
      'decisionsNotRecorded' | 'recordsNotDistributed'
    >);

/**
 * "decisions not yet recorded" and "review records to distribute": the IRO's own, every one of
 * them (the digest names the first ten), as the digest counts them.
 */
export async function reviewsToWriteUpFor(
  deps: FollowUpDeps,
  askerAad: string | undefined,
): Promise<ReviewsToWriteUp> {
  const { asker } = await askerIn(deps, askerAad);
  if (!asker) return { kind: 'notRegistered' };
  if (asker.role !== 'iro') return { kind: 'notIro' };
  const today = deps.clock.today();
  const lists = await afterReviews(deps, asker, today);
  return {
    kind: 'lists',
    today,
    decisionsNotRecorded: lists.decisionsNotRecorded,
    recordsNotDistributed: lists.recordsNotDistributed,
  };
}

/** An IRO's digest for today; every list empty means nothing is sent. */
export async function digestFor(deps: FollowUpDeps, iro: StaffMember): Promise<IroDigest> {
  const today = deps.clock.today();
  const { calendar } = deps.workingTime;
  const lists = await afterReviews(deps, iro, today);
  const dueUntil = calendar.addWorkingDays(today, DIGEST_DUE_WORKING_DAYS);
  const due = await listDueReviews(deps, {
    today,
    from: '1900-01-01' as LocalDate,
    to: dueUntil,
    iroEmail: iro.email,
  });
  const notBooked = due.filter((d) => !lists.booked.has(d.child));
  const dueUnscheduled = notBooked
    .filter((d): d is typeof d & { dueDate: LocalDate } => d.dueDate !== null)
    .map((d) => ({
      childId: d.child,
      childLabel: childLabel(d.initials, d.child),
      dueOn: d.dueDate,
      holdBy: holdByDay(calendar, d.dueDate),
    }));
  // The lists put them last ("Due date unknown"): the review may be due, and nobody can say.
  const dueUnknown = notBooked
    .filter((d) => d.dueDate === null)
    .map((d) => ({ childId: d.child, childLabel: childLabel(d.initials, d.child) }));
  return {
    iroName: iro.name,
    today,
    dueUnscheduled,
    dueUntil,
    dueUnknown,
    decisionsNotRecorded: lists.decisionsNotRecorded,
    recordsNotDistributed: lists.recordsNotDistributed,
    decisionsOverdue: await deps.reminders.overdueDecisions({ iroEmail: iro.email }, today),
  };
}

/**
 * Whether the digest has nothing worth a message today. Children whose due date cannot be known
 * are in every digest that goes, but on their own they bring one only on the week's first working
 * day: after a one-year extract an IRO may have many, and nothing about them changes from one day
 * to the next.
 */
export function digestIsEmpty(
  d: IroDigest,
  calendar: Pick<WorkingCalendar, 'isWorkingDay'>,
): boolean {
  // The working day before today: yesterday, or the last working day before it.
  const yesterday = addDays(d.today, -1);
  const previousWorkingDay = holdByDay(calendar, yesterday) ?? yesterday;
  const firstOfWeek = daysBetween(previousWorkingDay, d.today) >= dayOfWeek(d.today);
  return (
    d.dueUnscheduled.length +
      (firstOfWeek ? d.dueUnknown.length : 0) +
      d.decisionsNotRecorded.length +
      d.recordsNotDistributed.length +
      d.decisionsOverdue.length ===
    0
  );
}

/** The IRO (the review's chair, or the child's IRO now) marks its record written and distributed. */
export async function markRecordDistributed(
  deps: FollowUpDeps,
  input: { askerAad: string | undefined; reviewId: number; correlationId?: string },
): Promise<
  | {
      kind: 'marked';
      childLabel: string;
      heldOn: LocalDate;
      distributedOn: LocalDate;
      withinDays: boolean;
      workingDays: number;
    }
  | { kind: 'notAllowed' }
> {
  const { staff, asker } = await askerIn(deps, input.askerAad);
  const review = await deps.reminders.reviewForRecord(input.reviewId);
  if (!asker || !review) return { kind: 'notAllowed' };
  const isIro =
    asker.role === 'iro' &&
    (await readVisibleChildIds(deps.cases, asker, staff)).has(review.childId);
  if (review.chairEmail !== asker.email && !isIro) return { kind: 'notAllowed' };
  const marked = await deps.reminders.markDistributed({
    reviewId: input.reviewId,
    by: asker.email,
    today: deps.clock.today(),
    correlationId: input.correlationId,
  });
  if (!marked) return { kind: 'notAllowed' };
  return {
    kind: 'marked',
    childLabel: marked.childLabel,
    heldOn: marked.heldOn,
    distributedOn: marked.distributedOn,
    withinDays:
      marked.distributedOn <=
      deps.workingTime.calendar.addWorkingDays(marked.heldOn, deps.recordWorkingDays),
    workingDays: deps.recordWorkingDays,
  };
}
