import { addDays, maxDate, type LocalDate } from '../../domain/local-date.js';
import { proposeSlots, type Interval } from '../../domain/meeting-slots.js';
import { nextReviewDue, type DueReview } from '../../domain/review-schedule.js';
import type { WorkingCalendar } from '../../domain/working-days.js';
import { zonedTimeToInstant } from '../../domain/zoned-time.js';
import { initialsOf, reviewablePeriodOn, allocatedNow } from '../case-view.js';
import { staffByObjectId } from '../access/viewer-scope.js';
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
  | { ok: false; reason: 'alreadyScheduled'; review: BookedReview; childLabel: string }
  | { ok: false; reason: 'notScheduled'; childLabel: string }
  | { ok: false; reason: 'invalid'; field: string; message: string };

export interface ChairContext {
  iro: StaffMember;
  child: string;
  childLabel: string;
  initials: string | null;
  due: DueReview;
  socialWorker: StaffMember | null;
  booked: BookedReview | undefined;
}

export interface SchedulingPlan {
  context: ChairContext;
  /** Free times before the due date (3 to 5 when the calendars allow). */
  slots: Interval[];
  /** When nothing is free before the due date: the first free time after it. */
  lateSlot: Interval | null;
  /** People whose calendars could not be read (their free/busy is not taken into account). */
  unreadable: string[];
}

export const DEFAULT_VENUE = "the child's placement";
const SLOT_COUNT = 5;
const SEARCH_DAYS_BEFORE_DUE = 21;
const LATE_SEARCH_WORKING_DAYS = 15;

/** Who is asking, whether they chair this child's reviews, and what is due. */
export async function chairContext(
  deps: Pick<SchedulingDeps, 'cases' | 'calendar' | 'clock' | 'scheduledReviews'>,
  askerAadObjectId: string | undefined,
  childId: string,
): Promise<{ ok: true; context: ChairContext } | Refusal> {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAadObjectId);
  if (!asker) return { ok: false, reason: 'notRegistered' };
  const wanted = childId.trim().toUpperCase();
  const [child] = await deps.cases.listCases({ childIds: [wanted] });
  if (!child) return { ok: false, reason: 'unknownChild', child: wanted };
  if (allocatedNow(child, 'iro') !== asker.email)
    return { ok: false, reason: 'notChair', child: wanted };
  const today = deps.clock.today();
  const period = reviewablePeriodOn(child, today);
  if (!period) return { ok: false, reason: 'notLookedAfter', child: wanted };
  const initials = initialsOf(child);
  const swEmail = allocatedNow(child, 'social_worker');
  return {
    ok: true,
    context: {
      iro: asker,
      child: child.childId,
      initials,
      childLabel: initials ? `${initials} (${child.childId})` : child.childId,
      due: nextReviewDue(
        deps.calendar,
        period,
        child.reviews.map((r) => r.heldOn),
      ),
      socialWorker: staff.find((s) => s.email === swEmail) ?? null,
      booked: await deps.scheduledReviews.findScheduled(child.childId),
    },
  };
}

/**
 * Proposes times for the review: on working days, in working hours, when the IRO and the social
 * worker are both free, after the notice the social worker needs for the report and by the due
 * date; the first free time after the due date only when nothing before it is free.
 */
export async function planReview(
  deps: SchedulingDeps,
  context: ChairContext,
): Promise<SchedulingPlan> {
  const { scheduling: s, calendar } = deps;
  const today = deps.clock.today();
  let firstDay = calendar.addWorkingDays(today, s.noticeWorkingDays);
  if (firstDay > context.due.dueDate) firstDay = calendar.addWorkingDays(today, 1);
  const searchFrom = maxDate(firstDay, addDays(context.due.dueDate, -SEARCH_DAYS_BEFORE_DUE));
  const lateUntil = calendar.addWorkingDays(
    maxDate(context.due.dueDate, searchFrom),
    LATE_SEARCH_WORKING_DAYS,
  );
  const notBefore = new Date(
    Math.max(
      zonedTimeToInstant(searchFrom, '00:00', s.timeZone).getTime(),
      deps.clock.now().getTime(),
    ),
  );
  const people = [context.iro.email, ...(context.socialWorker ? [context.socialWorker.email] : [])];
  const { busy, unavailable } = await deps.calendarGateway.busyTimes(
    people,
    notBefore,
    zonedTimeToInstant(addDays(lateUntil, 1), '00:00', s.timeZone),
  );
  const search = {
    busy: [...busy.values()].flat(),
    durationMinutes: s.lengthMinutes,
    workingHours: s.workingHours,
    timeZone: s.timeZone,
    calendar,
  };
  const slots = proposeSlots({
    ...search,
    notBefore,
    lastDay: context.due.dueDate,
    count: SLOT_COUNT,
  });
  const lateSlot =
    slots.length > 0
      ? null
      : (proposeSlots({
          ...search,
          notBefore: new Date(
            Math.max(
              notBefore.getTime(),
              zonedTimeToInstant(addDays(context.due.dueDate, 1), '00:00', s.timeZone).getTime(),
            ),
          ),
          lastDay: lateUntil,
          count: 1,
        })[0] ?? null);
  return { context, slots, lateSlot, unreadable: unavailable };
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
): Promise<{ ok: true; review: BookedReview; repeated: boolean } | Refusal> {
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
    transactionId: request.transactionKey,
  });
  const stored = await deps.scheduledReviews.recordBooking(
    bookingOf(context, event, request.venue, invitees, request.transactionKey),
    { actor: context.iro.email, today: deps.clock.today() },
  );
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

function checkTime(
  deps: Pick<SchedulingDeps, 'clock'>,
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
  if (!Number.isInteger(durationMinutes) || durationMinutes < 15 || durationMinutes > 480) {
    return {
      ok: false,
      reason: 'invalid',
      field: 'duration',
      message: 'The length must be between 15 and 480 minutes.',
    };
  }
  return undefined;
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
