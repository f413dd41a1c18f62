import type { LocalDate } from '../../domain/local-date.js';
import { instantToZoned } from '../../domain/zoned-time.js';
import type { ReviewRecordRepository } from '../recording/review-record.js';
import type { CalendarEvent } from './calendar-gateway.js';
import {
  chairContext,
  invitationSubject,
  type ChairContext,
  type Refusal,
  type SchedulingDeps,
} from './schedule-review.js';
import type { BookedReview } from './scheduled-reviews.js';

export interface LinkOutlookDeps extends SchedulingDeps {
  /** To refuse a meeting that is already another child's review (found by its Teams link). */
  reviewRecords: Pick<ReviewRecordRepository, 'findByJoinUrl'>;
}

/** Why a meeting booked in Outlook could not become the child's review, besides booking's own. */
export type LinkRefusal =
  | Refusal
  /** Not in the IRO's calendar (not saved yet, not synced yet, or someone else's). */
  | { ok: false; reason: 'meetingNotFound' }
  | { ok: false; reason: 'notOrganiser' }
  | { ok: false; reason: 'meetingCancelled' }
  | { ok: false; reason: 'meetingEnded' }
  | { ok: false; reason: 'recurringSeries' }
  /** The meeting is already another child's review. */
  | { ok: false; reason: 'meetingTaken' };

export interface LinkedMeeting {
  ok: true;
  /** `alreadyLinked`: this meeting was this child's booked review already; nothing was added. */
  outcome: 'linked' | 'alreadyLinked';
  review: BookedReview;
  childLabel: string;
  /** The privacy-safe subject the meeting now has. */
  subject: string;
  /** The review's due date, and whether the meeting falls after it (the review will be late). */
  dueDate: LocalDate;
  late: boolean;
}

/**
 * The meeting as the task pane reads it from Outlook's form, before anything is changed: its times
 * as they stand in the form (perhaps not saved yet), and its REST id when it has been saved
 * before (a new meeting has none).
 */
export interface MeetingInForm {
  start: Date;
  end: Date;
  restEventId: string | null;
}

/** What the pane needs to go ahead: the subject to put in the form before it saves. */
export interface MeetingCheck {
  ok: true;
  subject: string;
  childLabel: string;
}

/**
 * Links a meeting the IRO organised in Outlook to one of their children's reviews: the same rules
 * as booking from the chat (only the child's IRO, a child looked after, a due date known, nothing
 * booked yet), then the meeting itself is checked through Graph (in the IRO's calendar, organised
 * by them, one meeting rather than a series, not cancelled, not over), given the privacy-safe
 * subject, and stored as the child's booked review exactly as a booking from the chat is, so it
 * is recorded at the meeting's end like any other. Linking the same meeting again changes nothing.
 *
 * `restEventId` is Outlook's REST id of the item (office.js convertToRestId), which Graph turns
 * into the immutable id the store keeps.
 */
export async function linkOutlookMeeting(
  deps: LinkOutlookDeps,
  askerAadObjectId: string | undefined,
  childId: string,
  restEventId: string,
): Promise<LinkedMeeting | LinkRefusal> {
  const chair = await chairContext(deps, askerAadObjectId, childId);
  if (!chair.ok) return chair;
  const { context } = chair;
  const mailbox = context.iro.email;
  const event = await savedEvent(deps, context, restEventId);
  if (!event) return { ok: false, reason: 'meetingNotFound' };
  const problem =
    meetingProblem(event) ??
    timeProblem(event.end, deps.clock.now()) ??
    (await bookingProblem(deps, context, event));
  if (problem) return problem;
  const subject = invitationSubject(deps.scheduling.subjectTemplate, context);
  if (event.subject !== subject) {
    await deps.calendarGateway.renameEvent(mailbox, event.eventId, subject);
  }
  if (context.booked) return linked('alreadyLinked', context.booked, context, subject, deps);
  const stored = await deps.scheduledReviews.recordBooking(
    {
      childId: context.child,
      chairEmail: mailbox,
      dueOn: context.due.dueDate,
      kind: context.due.kind,
      start: event.start,
      end: event.end,
      venue: event.venue ?? deps.scheduling.defaultVenue,
      eventId: event.eventId,
      iCalUId: event.iCalUId,
      joinUrl: event.joinUrl,
      transactionId: null,
      invitees: event.attendees.filter((email) => email !== mailbox),
    },
    { actor: mailbox, today: deps.clock.today() },
  );
  if (stored.created) return linked('linked', stored.review, context, subject, deps);
  // Another booking for the child got in first (two panes, or the chat at the same moment).
  if (stored.review.eventId === event.eventId) {
    return linked('alreadyLinked', stored.review, context, subject, deps);
  }
  return {
    ok: false,
    reason: 'alreadyScheduled',
    review: stored.review,
    childLabel: context.childLabel,
  };
}

/**
 * Checks, before the task pane changes anything in Outlook, that the meeting in the form could
 * become the child's review, and gives the privacy-safe subject to put in it. The pane renames and
 * saves the meeting only when this passes, so a refusal leaves the IRO's meeting as it was.
 *
 * The same refusals as linking, as far as they can be known before saving: the chair's rules; the
 * form's times (not over); and, when the meeting was saved before and Graph has it, the meeting
 * itself (organised by the IRO, one meeting, not cancelled, not another child's review, not a
 * second meeting for a child already booked). Linking checks all of it again on the saved meeting.
 */
export async function checkOutlookMeeting(
  deps: LinkOutlookDeps,
  askerAadObjectId: string | undefined,
  childId: string,
  form: MeetingInForm,
): Promise<MeetingCheck | LinkRefusal> {
  const chair = await chairContext(deps, askerAadObjectId, childId);
  if (!chair.ok) return chair;
  const { context } = chair;
  const timing = timeProblem(form.end, deps.clock.now());
  if (timing) return timing;
  const event = form.restEventId ? await savedEvent(deps, context, form.restEventId) : null;
  const problem = (event && meetingProblem(event)) ?? (await bookingProblem(deps, context, event));
  if (problem) return problem;
  return {
    ok: true,
    subject: invitationSubject(deps.scheduling.subjectTemplate, context),
    childLabel: context.childLabel,
  };
}

/** The meeting as Graph has it, or null when it is not (yet) in the IRO's calendar. */
async function savedEvent(
  deps: LinkOutlookDeps,
  context: ChairContext,
  restEventId: string,
): Promise<CalendarEvent | null> {
  const mailbox = context.iro.email;
  const eventId = await deps.calendarGateway.immutableEventId(mailbox, restEventId);
  return eventId ? deps.calendarGateway.readEvent(mailbox, eventId) : null;
}

/**
 * The child's review is booked as another meeting (or, with no meeting known, as any meeting: a
 * meeting not saved yet cannot be the booked one), or the meeting is another child's review.
 */
async function bookingProblem(
  deps: LinkOutlookDeps,
  context: ChairContext,
  event: CalendarEvent | null,
): Promise<LinkRefusal | undefined> {
  if (context.booked && context.booked.eventId !== event?.eventId) {
    return {
      ok: false,
      reason: 'alreadyScheduled',
      review: context.booked,
      childLabel: context.childLabel,
    };
  }
  if (!event) return undefined;
  const holder = await deps.scheduledReviews.findByEventId(event.eventId);
  if (holder && holder.childId !== context.child) return { ok: false, reason: 'meetingTaken' };
  if (event.joinUrl) {
    const other = await deps.reviewRecords.findByJoinUrl(event.joinUrl);
    if (other && other.childId !== context.child) return { ok: false, reason: 'meetingTaken' };
  }
  return undefined;
}

function meetingProblem(event: CalendarEvent): LinkRefusal | undefined {
  if (!event.isOrganizer) return { ok: false, reason: 'notOrganiser' };
  if (event.isCancelled) return { ok: false, reason: 'meetingCancelled' };
  if (event.isSeries) return { ok: false, reason: 'recurringSeries' };
  return undefined;
}

function timeProblem(end: Date, now: Date): LinkRefusal | undefined {
  return end.getTime() <= now.getTime() ? { ok: false, reason: 'meetingEnded' } : undefined;
}

function linked(
  outcome: LinkedMeeting['outcome'],
  review: BookedReview,
  context: ChairContext,
  subject: string,
  deps: Pick<SchedulingDeps, 'scheduling'>,
): LinkedMeeting {
  const dueDate = context.due.dueDate;
  // The meeting's day where the council is, against the due date (the chat's booking card says
  // the same of a booking made there).
  const late = instantToZoned(review.start, deps.scheduling.timeZone).date > dueDate;
  return { ok: true, outcome, review, childLabel: context.childLabel, subject, dueDate, late };
}
