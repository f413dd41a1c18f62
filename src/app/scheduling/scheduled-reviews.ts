import type { LocalDate } from '../../domain/local-date.js';
import type { ReviewKind } from '../../domain/review-schedule.js';
import type { ChangeContext } from '../ports.js';

/** A review booked in the IRO's calendar and not yet held. */
export interface BookedReview {
  id: number;
  childId: string;
  chairEmail: string;
  dueOn: LocalDate | null;
  kind: ReviewKind | null;
  start: Date;
  end: Date;
  venue: string;
  eventId: string;
  iCalUId: string;
  joinUrl: string | null;
  transactionId: string | null;
  invitees: string[];
}

export type NewBooking = Omit<BookedReview, 'id'>;

export interface ScheduleChange {
  start: Date;
  end: Date;
  venue?: string;
  reason: string;
}

export interface ScheduleChangeRecord {
  change: 'rescheduled' | 'cancelled';
  at: Date;
  by: string;
  child: string;
  reason: string;
}

export interface ScheduledReviewRepository {
  findScheduled(childId: string): Promise<BookedReview | undefined>;
  /** The booked (not yet held) review whose calendar event this is, whichever child's. */
  findByEventId(eventId: string): Promise<BookedReview | undefined>;
  /** Stores a booking with its audit record; a second booking for the child returns the first. */
  recordBooking(
    booking: NewBooking,
    context: ChangeContext,
  ): Promise<{ created: boolean; review: BookedReview }>;
  recordMove(id: number, change: ScheduleChange, context: ChangeContext): Promise<BookedReview>;
  recordCancellation(id: number, reason: string, context: ChangeContext): Promise<void>;
  /**
   * The booked reviews, not yet recorded, whose meeting ends after `endsAfter` and has a calendar
   * event: what the calendar check reads back.
   */
  listBookedEndingAfter(endsAfter: Date): Promise<BookedReview[]>;
  /**
   * Stores a change found in the chair's calendar, only if the stored meeting is still at `seen`
   * (a move or cancellation made in the app meanwhile wins); false when nothing was changed.
   */
  recordCalendarChange(
    id: number,
    seen: { start: Date; end: Date },
    change: ({ kind: 'moved' } & ScheduleChange) | { kind: 'cancelled'; reason: string },
    context: ChangeContext,
  ): Promise<boolean>;
  /** Reschedules and cancellations made in [from, to], with their reasons, for reports. */
  listChanges(from: LocalDate, to: LocalDate): Promise<ScheduleChangeRecord[]>;
}
