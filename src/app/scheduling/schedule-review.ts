import { longDay } from '../../domain/date-text.js';
import { addDays, dayOfWeek, maxDate, minDate, type LocalDate } from '../../domain/local-date.js';
import { proposeSlots, type Interval } from '../../domain/meeting-slots.js';
import { reviewChain, type DueReview } from '../../domain/review-schedule.js';
import { currentPeriod } from '../../domain/periods-of-care.js';
import type { WorkingCalendar } from '../../domain/working-days.js';
import { instantToZoned, zonedTimeToInstant } from '../../domain/zoned-time.js';
import { allocatedNow, childNamed, historyOf, initialsOf } from '../case-view.js';
import { readVisibleChildIds, staffByObjectId } from '../access/viewer-scope.js';
import type { CaseReader, StaffMember } from '../ports.js';
import type { BookedEvent, CalendarGateway } from './calendar-gateway.js';
import type { BookedReview, ScheduledReviewRepository } from './scheduled-reviews.js';

export interface SchedulingSettings {
  timeZone: string;
  workingHours: { start: string; end: string };
  lengthMinutes: number;
  noticeWorkingDays: number;
  subjectTemplate: string;
  defaultVenue: string;
}

export interface SchedulingDeps {
  cases: CaseReader;
  calendar: WorkingCalendar;
  clock: { now(): Date; today(): LocalDate };
  calendarGateway: CalendarGateway;
  scheduledReviews: ScheduledReviewRepository;
  scheduling: SchedulingSettings;
}

/** Why scheduling was refused; the bot turns each into a sentence. */
export type Refusal =
  | { ok: false; reason: 'notRegistered' }
  | { ok: false; reason: 'unknownChild'; child: string }
  | { ok: false; reason: 'notChair'; child: string }
  | { ok: false; reason: 'notLookedAfter'; child: string }
  | { ok: false; reason: 'dueUnknown'; child: string; childLabel: string }
  | { ok: false; reason: 'alreadyScheduled'; review: BookedReview; childLabel: string }
  | { ok: false; reason: 'notScheduled'; childLabel: string }
  | { ok: false; reason: 'invalid'; field: string; message: string };

/** Graph sent the invitation but the store failed to keep the booking: the same key saves it. */
export interface NotSaved {
  ok: false;
  reason: 'notSaved';
  cause: unknown;
}

export interface ChairContext {
  iro: StaffMember;
  child: string;
  childLabel: string;
  initials: string | null;
  due: DueReview;
  socialWorker: StaffMember | null;
  booked: BookedReview | undefined;
  /** Everyone on the staff list (lower-case e-mail addresses): anyone else is from outside. */
  staffEmails: ReadonlySet<string>;
}

/** The addresses of people not on the staff list (carers, parents, other agencies). */
export function outsiders(
  context: Pick<ChairContext, 'staffEmails'>,
  emails: readonly string[],
): string[] {
  return emails.filter((e) => !context.staffEmails.has(e.trim().toLowerCase()));
}

/**
 * Why the proposed times are the ones they are, so the card can say so plainly:
 * - onTime: free times by the due date that give the social worker their notice for the report;
 * - shortNotice: free times by the due date, but with less notice than the social worker needs;
 * - late: nobody is free together by the due date, so the first free time after it;
 * - overdue: the due date has passed, so the first free times from the next working day;
 * - noTimeLeft: the next working day is after the due date (a review is not booked for the same
 *   day), so the first free times after it;
 * - noneFree: nothing free in the weeks searched.
 */
export type PlanSituation =
  'onTime' | 'shortNotice' | 'late' | 'overdue' | 'noTimeLeft' | 'noneFree';

export interface SchedulingPlan {
  context: ChairContext;
  /** The times to offer: 3 to 5 when the calendars allow, one when it would make the review late. */
  slots: Interval[];
  situation: PlanSituation;
  today: LocalDate;
  /** The first day offered: the next working day (a review is never booked for today). */
  firstBookableDay: LocalDate;
  /** The first day that gives the social worker their notice (noticeWorkingDays working days). */
  noticeFrom: LocalDate;
  noticeWorkingDays: number;
  /** People whose calendars could not be read (their free/busy is not taken into account). */
  unreadable: string[];
}

export const DEFAULT_VENUE = "the child's placement";
const SLOT_COUNT = 5;
const SEARCH_DAYS_BEFORE_DUE = 21;
const LATE_SEARCH_WORKING_DAYS = 15;

/**
 * Who is asking, whether they chair this child's reviews, and what is due. A child the asker may
 * not see is refused exactly as an id nobody has (`unknownChild`, with the id as typed), so that
 * the answer never tells whether a CHILD id exists.
 */
export async function chairContext(
  deps: Pick<SchedulingDeps, 'cases' | 'calendar' | 'clock' | 'scheduledReviews'>,
  askerAadObjectId: string | undefined,
  childId: string,
): Promise<{ ok: true; context: ChairContext } | Refusal> {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAadObjectId);
  if (!asker) return { ok: false, reason: 'notRegistered' };
  const typed = childId.trim().toUpperCase();
  const child = await childNamed(deps.cases, typed);
  if (!child) return { ok: false, reason: 'unknownChild', child: typed };
  const wanted = child.childId;
  if (allocatedNow(child, 'iro') !== asker.email) {
    // Someone who may not see the child hears what they would about an id nobody has.
    const sees = await readVisibleChildIds(deps.cases, asker, staff);
    return sees.has(wanted)
      ? { ok: false, reason: 'notChair', child: wanted }
      : { ok: false, reason: 'unknownChild', child: typed };
  }
  const today = deps.clock.today();
  // Care or a short-break arrangement: both are reviewed.
  const period = currentPeriod(child.periods, today);
  if (!period) return { ok: false, reason: 'notLookedAfter', child: wanted };
  const initials = initialsOf(child);
  const childLabel = initials ? `${initials} (${child.childId})` : child.childId;
  const swEmail = allocatedNow(child, 'social_worker');
  const booked = await deps.scheduledReviews.findScheduled(child.childId);
  const next = reviewChain(deps.calendar, period, historyOf(child)).next;
  // Without a known due date there is nothing to search before, unless a booking remembers one.
  const due: DueReview | undefined = next.known
    ? next.due
    : booked?.dueOn
      ? {
          kind: booked.kind ?? 'subsequent',
          dueDate: booked.dueOn,
          number: null,
          previousReviewDate: null,
        }
      : undefined;
  if (!due) return { ok: false, reason: 'dueUnknown', child: wanted, childLabel };
  return {
    ok: true,
    context: {
      iro: asker,
      child: child.childId,
      initials,
      childLabel,
      due,
      socialWorker: staff.find((s) => s.email === swEmail) ?? null,
      booked,
      staffEmails: new Set(staff.map((s) => s.email.toLowerCase())),
    },
  };
}

/**
 * Proposes times for the review: on working days, in working hours, when the IRO and the social
 * worker are both free, after the notice the social worker needs for the report and by the due
 * date. When that is impossible it says why: the review is overdue, no working day is left before
 * the due date, the notice cannot be given (times with less notice), or nobody is free together
 * before the due date (the first free time after it).
 */
export async function planReview(
  deps: SchedulingDeps,
  context: ChairContext,
): Promise<SchedulingPlan> {
  const { scheduling: s, calendar } = deps;
  const today = deps.clock.today();
  const due = context.due.dueDate;
  const noticeFrom = calendar.addWorkingDays(today, s.noticeWorkingDays);
  const nextWorkingDay = calendar.addWorkingDays(today, 1);
  const earliestDay = minDate(noticeFrom, nextWorkingDay);
  const windowStart = addDays(due, -SEARCH_DAYS_BEFORE_DUE);
  const searchFrom = maxDate(earliestDay, windowStart);
  const lateUntil = calendar.addWorkingDays(maxDate(due, searchFrom), LATE_SEARCH_WORKING_DAYS);
  const startOf = (day: LocalDate) =>
    new Date(
      Math.max(zonedTimeToInstant(day, '00:00', s.timeZone).getTime(), deps.clock.now().getTime()),
    );
  const people = [context.iro.email, ...(context.socialWorker ? [context.socialWorker.email] : [])];
  const { busy, unavailable } = await deps.calendarGateway.busyTimes(
    people,
    startOf(searchFrom),
    zonedTimeToInstant(addDays(lateUntil, 1), '00:00', s.timeZone),
  );
  const search = {
    busy: [...busy.values()].flat(),
    durationMinutes: s.lengthMinutes,
    workingHours: s.workingHours,
    timeZone: s.timeZone,
    calendar,
  };
  const free = (from: LocalDate, lastDay: LocalDate, count: number) =>
    from > lastDay ? [] : proposeSlots({ ...search, notBefore: startOf(from), lastDay, count });
  const plan = (situation: PlanSituation, slots: Interval[]): SchedulingPlan => ({
    context,
    slots,
    situation,
    today,
    firstBookableDay: nextWorkingDay,
    noticeFrom,
    noticeWorkingDays: s.noticeWorkingDays,
    unreadable: unavailable,
  });
  const afterDue = maxDate(nextWorkingDay, addDays(due, 1));
  if (due < today) return plan('overdue', free(nextWorkingDay, lateUntil, SLOT_COUNT));
  if (earliestDay > due) return plan('noTimeLeft', free(afterDue, lateUntil, SLOT_COUNT));
  const onTime = free(maxDate(noticeFrom, windowStart), due, SLOT_COUNT);
  if (onTime.length > 0) return plan('onTime', onTime);
  if (nextWorkingDay < noticeFrom) {
    const lessNotice = free(maxDate(nextWorkingDay, windowStart), due, SLOT_COUNT);
    if (lessNotice.length > 0) return plan('shortNotice', lessNotice);
  }
  const late = free(afterDue, lateUntil, 1);
  return plan(late.length > 0 ? 'late' : 'noneFree', late);
}

export interface BookingRequest {
  start: Date;
  durationMinutes: number;
  venue: string;
  invitees: string[];
  inviteSocialWorker: boolean;
  /** From the card: a double click or a retried invoke carries the same key. */
  transactionKey: string;
}

/** What the invitation says: initials and CHILD id only, nothing about the case. */
export function invitationSubject(
  template: string,
  context: Pick<ChairContext, 'initials' | 'child'>,
): string {
  return template
    .replaceAll('{initials}', context.initials ?? 'child')
    .replaceAll('{child}', context.child);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function invitationBody(venue: string): string {
  return [
    '<p>This is a statutory review meeting. It is hybrid.</p>',
    `<p><b>In person:</b> ${escapeHtml(venue)}.</p>`,
    '<p><b>Online:</b> join on Microsoft Teams with the link in this invitation.</p>',
    '<p>Please do not reply to all with details about the child; contact the chair directly.</p>',
  ].join('\n');
}

/** Books the review: a Teams meeting in the IRO's calendar, then the booking stored with audit. */
export async function bookReview(
  deps: SchedulingDeps,
  context: ChairContext,
  request: BookingRequest,
): Promise<{ ok: true; review: BookedReview; repeated: boolean } | Refusal | NotSaved> {
  if (context.booked) {
    if (context.booked.transactionId === request.transactionKey)
      return { ok: true, review: context.booked, repeated: true };
    return {
      ok: false,
      reason: 'alreadyScheduled',
      review: context.booked,
      childLabel: context.childLabel,
    };
  }
  const checked = checkTime(deps, request.start, request.durationMinutes);
  if (checked) return checked;
  const invitees = [
    ...(request.inviteSocialWorker && context.socialWorker ? [context.socialWorker.email] : []),
    ...request.invitees.map((e) => e.trim().toLowerCase()),
  ].filter((e, i, all) => e && e !== context.iro.email && all.indexOf(e) === i);
  const end = new Date(request.start.getTime() + request.durationMinutes * 60_000);
  const event = await deps.calendarGateway.createEvent(context.iro.email, {
    subject: invitationSubject(deps.scheduling.subjectTemplate, context),
    bodyHtml: invitationBody(request.venue),
    start: request.start,
    end,
    venue: request.venue,
    attendees: invitees.map((email) => ({
      email,
      ...(email === context.socialWorker?.email ? { name: context.socialWorker.name } : {}),
    })),
    // A parent must not learn a carer's address from the invitation, nor the reverse.
    hideAttendees: outsiders(context, invitees).length > 0,
    transactionId: request.transactionKey,
  });
  let stored;
  try {
    stored = await deps.scheduledReviews.recordBooking(
      bookingOf(context, event, request.venue, invitees, request.transactionKey),
      { actor: context.iro.email, today: deps.clock.today() },
    );
  } catch (cause) {
    // The invitation is out. Pressing Book again with the same transaction key gets the same
    // event back from Graph (transactionId) and saves it, with no second invitation.
    return { ok: false, reason: 'notSaved', cause };
  }
  if (!stored.created && stored.review.eventId !== event.eventId) {
    // Two bookings raced (two cards, two devices): keep the first, withdraw the duplicate meeting.
    await deps.calendarGateway.cancelEvent(
      context.iro.email,
      event.eventId,
      'This invitation was sent twice by mistake; please use the other one.',
    );
    return {
      ok: false,
      reason: 'alreadyScheduled',
      review: stored.review,
      childLabel: context.childLabel,
    };
  }
  return { ok: true, review: stored.review, repeated: !stored.created };
}

function bookingOf(
  context: ChairContext,
  event: BookedEvent,
  venue: string,
  invitees: string[],
  transactionId: string,
) {
  return {
    childId: context.child,
    chairEmail: context.iro.email,
    dueOn: context.due.dueDate,
    kind: context.due.kind,
    start: event.start,
    end: event.end,
    venue,
    eventId: event.eventId,
    iCalUId: event.iCalUId,
    joinUrl: event.joinUrl,
    transactionId,
    invitees,
  };
}

/**
 * The hours a review may be held in when the IRO types a time: wider than the office day the
 * search offers (a child seen after school, at 17:30), narrower than the clock, so that "03:00"
 * typed for 3 in the afternoon is caught before eleven people are invited at night.
 */
export const TYPED_HOURS = { start: '07:00', end: '22:00' } as const;

function checkTime(
  deps: Pick<SchedulingDeps, 'clock' | 'scheduling'>,
  start: Date,
  durationMinutes: number,
): Refusal | undefined {
  if (!(start.getTime() > deps.clock.now().getTime())) {
    return {
      ok: false,
      reason: 'invalid',
      field: 'start',
      message: 'Choose a time in the future.',
    };
  }
  // A review is held within six months of the last: a time more than two years ahead is a typing
  // slip (or a tampered card), refused here rather than sent to Graph.
  if (start.getTime() > deps.clock.now().getTime() + 2 * 366 * 24 * 3600 * 1000) {
    return {
      ok: false,
      reason: 'invalid',
      field: 'start',
      message: 'Choose a time within the next two years.',
    };
  }
  if (!Number.isInteger(durationMinutes) || durationMinutes < 15 || durationMinutes > 480) {
    return {
      ok: false,
      reason: 'invalid',
      field: 'duration',
      message: 'The length must be between 15 and 480 minutes.',
    };
  }
  const tz = deps.scheduling.timeZone;
  const from = instantToZoned(start, tz);
  const to = instantToZoned(new Date(start.getTime() + durationMinutes * 60_000), tz);
  if (from.time < TYPED_HOURS.start || to.date !== from.date || to.time > TYPED_HOURS.end) {
    return {
      ok: false,
      reason: 'invalid',
      field: 'start',
      message: `A review is held between ${TYPED_HOURS.start} and ${TYPED_HOURS.end}: this one would run from ${from.time} to ${to.time}. Times are on the 24-hour clock (3 in the afternoon is 15:00).`,
    };
  }
  return undefined;
}

/**
 * Why a time the IRO typed needs a second look before invitations go (they are not easily
 * unsent): after the due date, on a weekend or bank holiday (the working calendar), or outside
 * working hours. One sentence naming each; undefined when there is nothing to ask, and when the
 * booking will refuse the time anyway (its own sentence says why).
 */
export function unusualTime(
  deps: Pick<SchedulingDeps, 'clock' | 'scheduling' | 'calendar'>,
  context: Pick<ChairContext, 'due'>,
  start: Date,
  durationMinutes: number,
): string | undefined {
  if (checkTime(deps, start, durationMinutes)) return undefined;
  const { timeZone, workingHours } = deps.scheduling;
  const from = instantToZoned(start, timeZone);
  const to = instantToZoned(new Date(start.getTime() + durationMinutes * 60_000), timeZone);
  const day = longDay(from.date);
  const dow = dayOfWeek(from.date);
  const what = [
    ...(dow === 0 || dow === 6
      ? ['at the weekend']
      : deps.calendar.isWorkingDay(from.date)
        ? []
        : ['a bank holiday']),
    ...(from.date > context.due.dueDate
      ? [`after the due date (${longDay(context.due.dueDate)}): the review will be late`]
      : []),
  ];
  const hours =
    from.time < workingHours.start || to.time > workingHours.end
      ? `${from.time} to ${to.time} is outside working hours (${workingHours.start} to ${workingHours.end}).`
      : '';
  if (what.length === 0 && !hours) return undefined;
  const dayText = what.length > 0 ? `${day} is ${what.join(', and ')}.` : '';
  return [dayText, hours, 'Change the time, or tick "Send anyway".'].filter(Boolean).join(' ');
}

/** Moves the booked meeting (everyone's calendar follows) and stores the reason. */
export async function rescheduleReview(
  deps: SchedulingDeps,
  context: ChairContext,
  request: { start: Date; durationMinutes: number; venue?: string; reason: string },
): Promise<{ ok: true; review: BookedReview } | Refusal> {
  if (!context.booked) return { ok: false, reason: 'notScheduled', childLabel: context.childLabel };
  const checked = checkTime(deps, request.start, request.durationMinutes);
  if (checked) return checked;
  const end = new Date(request.start.getTime() + request.durationMinutes * 60_000);
  const moved = await deps.calendarGateway.moveEvent(context.iro.email, context.booked.eventId, {
    start: request.start,
    end,
    ...(request.venue ? { venue: request.venue } : {}),
    // The update goes to everyone again: each person outside the staff list sees only themselves.
    ...(outsiders(context, context.booked.invitees).length > 0 ? { hideAttendees: true } : {}),
  });
  const review = await deps.scheduledReviews.recordMove(
    context.booked.id,
    {
      start: moved.start,
      end: moved.end,
      ...(request.venue ? { venue: request.venue } : {}),
      reason: request.reason,
    },
    { actor: context.iro.email, today: deps.clock.today() },
  );
  return { ok: true, review };
}

/**
 * Cancels the meeting for everyone. The invitation's cancellation note is neutral (the attendees
 * include family and outside agencies); the IRO's reason is stored for reports.
 */
export async function cancelReview(
  deps: SchedulingDeps,
  context: ChairContext,
  reason: string,
): Promise<{ ok: true } | Refusal> {
  if (!context.booked) return { ok: false, reason: 'notScheduled', childLabel: context.childLabel };
  await deps.calendarGateway.cancelEvent(
    context.iro.email,
    context.booked.eventId,
    'This review meeting has been cancelled. The chair will send a new invitation.',
  );
  await deps.scheduledReviews.recordCancellation(context.booked.id, reason, {
    actor: context.iro.email,
    today: deps.clock.today(),
  });
  return { ok: true };
}
