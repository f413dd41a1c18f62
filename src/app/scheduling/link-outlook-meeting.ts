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
  const eventId = await deps.calendarGateway.immutableEventId(mailbox, restEventId);
  const event = eventId ? await deps.calendarGateway.readEvent(mailbox, eventId) : null;
  if (!event) return { ok: false, reason: 'meetingNotFound' };
  const problem = meetingProblem(event, deps.clock.now());
  if (problem) return problem;
  if (context.booked && context.booked.eventId !== event.eventId) {
    return {
      ok: false,
      reason: 'alreadyScheduled',
      review: context.booked,
      childLabel: context.childLabel,
    };
  }
  const holder = await deps.scheduledReviews.findByEventId(event.eventId);
  if (holder && holder.childId !== context.child) return { ok: false, reason: 'meetingTaken' };
  if (event.joinUrl) {
    const other = await deps.reviewRecords.findByJoinUrl(event.joinUrl);
    if (other && other.childId !== context.child) return { ok: false, reason: 'meetingTaken' };
  }
  const subject = invitationSubject(deps.scheduling.subjectTemplate, context);
  if (event.subject !== subject) {
    await deps.calendarGateway.renameEvent(mailbox, event.eventId, subject);
  }
  if (context.booked) return linked('alreadyLinked', context.booked, context, subject);
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
  if (stored.created) return linked('linked', stored.review, context, subject);
  // Another booking for the child got in first (two panes, or the chat at the same moment).
  if (stored.review.eventId === event.eventId) {
    return linked('alreadyLinked', stored.review, context, subject);
  }
  return {
    ok: false,
    reason: 'alreadyScheduled',
    review: stored.review,
    childLabel: context.childLabel,
  };
}

/**
 * The privacy-safe subject the review's meeting will have, for the task pane to put in the form
 * before it saves the meeting (so linking need not change it behind Outlook's back); the same
 * rules as linking decide who may ask.
 */
export async function outlookMeetingSubject(
  deps: Pick<SchedulingDeps, 'cases' | 'calendar' | 'clock' | 'scheduledReviews' | 'scheduling'>,
  askerAadObjectId: string | undefined,
  childId: string,
): Promise<{ ok: true; subject: string; childLabel: string } | Refusal> {
  const chair = await chairContext(deps, askerAadObjectId, childId);
  if (!chair.ok) return chair;
  return {
    ok: true,
    subject: invitationSubject(deps.scheduling.subjectTemplate, chair.context),
    childLabel: chair.context.childLabel,
  };
}

function meetingProblem(event: CalendarEvent, now: Date): LinkRefusal | undefined {
  if (!event.isOrganizer) return { ok: false, reason: 'notOrganiser' };
  if (event.isCancelled) return { ok: false, reason: 'meetingCancelled' };
  if (event.isSeries) return { ok: false, reason: 'recurringSeries' };
  if (event.end.getTime() <= now.getTime()) return { ok: false, reason: 'meetingEnded' };
  return undefined;
}

function linked(
  outcome: LinkedMeeting['outcome'],
  review: BookedReview,
  context: ChairContext,
  subject: string,
): LinkedMeeting {
  return { ok: true, outcome, review, childLabel: context.childLabel, subject };
}
