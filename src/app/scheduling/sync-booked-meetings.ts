import type { LocalDate } from '../../domain/local-date.js';
import type { CalendarGateway } from './calendar-gateway.js';
import type { ScheduledReviewRepository } from './scheduled-reviews.js';

/** The reasons stored (and shown in reports) for changes found in the chair's calendar. */
export const MOVED_IN_CALENDAR = 'Moved in Outlook';
export const CANCELLED_IN_CALENDAR = 'Cancelled in Outlook';

/**
 * A meeting that ended this long ago is still read back: one moved later in Outlook after its
 * first time had passed is then still followed (its recording form waits for the new end).
 */
export const SYNC_LOOK_BACK_MS = 2 * 24 * 3_600_000;

export interface CalendarSyncDeps {
  scheduledReviews: Pick<
    ScheduledReviewRepository,
    'listBookedEndingAfter' | 'recordCalendarChange'
  >;
  calendarGateway: Pick<CalendarGateway, 'readEvents'>;
  clock: { now(): Date; today(): LocalDate };
}

export interface CalendarSyncResult {
  checked: number;
  moved: number;
  cancelled: number;
  /** Graph could not read these this time; they are read again next time. */
  unreadable: number;
}

/**
 * Brings the store's booked reviews in line with the chairs' calendars. An IRO moves or cancels a
 * meeting in Outlook as often as from the chat; without this the lists would show the old time,
 * the recording form would come after a meeting that had not happened, and a cancelled review
 * would stay booked (so no new one could be booked from the chat). Each booked review whose
 * meeting has not long ended is read back through Graph (in batches): a different start or end
 * is stored as a move, and an event that is gone or cancelled, before its start, as a
 * cancellation, each with its reason, as if the IRO had done it in the app (the chair is the
 * actor: it is their calendar). A change made in the app since the read wins over what was read.
 */
export async function syncBookedMeetings(deps: CalendarSyncDeps): Promise<CalendarSyncResult> {
  const now = deps.clock.now();
  const booked = await deps.scheduledReviews.listBookedEndingAfter(
    new Date(now.getTime() - SYNC_LOOK_BACK_MS),
  );
  const readings = await deps.calendarGateway.readEvents(
    booked.map((review) => ({ mailbox: review.chairEmail, eventId: review.eventId })),
  );
  const result: CalendarSyncResult = {
    checked: booked.length,
    moved: 0,
    cancelled: 0,
    unreadable: 0,
  };
  for (const [i, review] of booked.entries()) {
    const reading = readings[i];
    if (!reading || reading.state === 'unreadable') {
      result.unreadable += 1;
      continue;
    }
    const seen = { start: review.start, end: review.end };
    const context = { actor: review.chairEmail, today: deps.clock.today() };
    if (reading.state === 'gone' || reading.event.isCancelled) {
      // Once the meeting has begun it may well have been held: deleting it from the calendar
      // afterwards does not cancel a review (the recording form still asks for it).
      if (review.start.getTime() <= now.getTime()) continue;
      const changed = await deps.scheduledReviews.recordCalendarChange(
        review.id,
        seen,
        { kind: 'cancelled', reason: CANCELLED_IN_CALENDAR },
        context,
      );
      if (changed) result.cancelled += 1;
      continue;
    }
    const { event } = reading;
    // Only the time is followed: a change of place alone is not a reschedule.
    if (
      event.start.getTime() === review.start.getTime() &&
      event.end.getTime() === review.end.getTime()
    ) {
      continue;
    }
    const changed = await deps.scheduledReviews.recordCalendarChange(
      review.id,
      seen,
      { kind: 'moved', start: event.start, end: event.end, reason: MOVED_IN_CALENDAR },
      context,
    );
    if (changed) result.moved += 1;
  }
  return result;
}
