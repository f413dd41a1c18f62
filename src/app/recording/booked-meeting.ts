import type { LocalDate } from '../../domain/local-date.js';
import { staffByObjectId } from '../access/viewer-scope.js';
import type { CaseReader } from '../ports.js';
import type { CalendarGateway } from '../scheduling/calendar-gateway.js';
import type { ReviewRecordRepository } from './review-record.js';

/** What the invitees read when the chair cancels a meeting a recorded review made unnecessary. */
export const UNNEEDED_MEETING_NOTE =
  'This review meeting has been cancelled. The chair will be in touch.';

export type BookedMeetingOutcome =
  | { ok: false; reason: 'notChair' | 'noMeeting' | 'alreadyCancelled' | 'started' }
  | { ok: true; action: 'kept'; childId: string }
  | { ok: true; action: 'cancelled' };

/**
 * The chair's answer to "cancel the meeting this record made unnecessary?": cancels it in
 * everyone's calendar with a neutral note and audits it, or leaves it there. Only the chair of
 * the review may do either, decided from the store and the presser's Entra id.
 */
export async function answerBookedMeeting(
  deps: {
    cases: CaseReader;
    reviewRecords: ReviewRecordRepository;
    calendarGateway: CalendarGateway;
    clock: { now(): Date; today(): LocalDate };
  },
  askerAadObjectId: string | undefined,
  reviewId: number,
  action: 'cancel' | 'keep',
): Promise<BookedMeetingOutcome> {
  const review = await deps.reviewRecords.findById(reviewId);
  const chair = review
    ? staffByObjectId(await deps.cases.listStaff(), askerAadObjectId)
    : undefined;
  if (!review || !chair || chair.email !== review.chairEmail) {
    return { ok: false, reason: 'notChair' };
  }
  const meeting = await deps.reviewRecords.bookedMeetingOf(reviewId);
  if (!meeting) return { ok: false, reason: 'noMeeting' };
  if (meeting.cancelledAt) return { ok: false, reason: 'alreadyCancelled' };
  if (action === 'keep') return { ok: true, action: 'kept', childId: review.childId };
  if (meeting.start.getTime() <= deps.clock.now().getTime()) {
    return { ok: false, reason: 'started' };
  }
  await deps.calendarGateway.cancelEvent(chair.email, meeting.eventId, UNNEEDED_MEETING_NOTE);
  await deps.reviewRecords.meetingCancelled(reviewId, {
    actor: chair.email,
    today: deps.clock.today(),
  });
  return { ok: true, action: 'cancelled' };
}
