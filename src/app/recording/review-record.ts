import type { AttendanceValue, UsualRole } from '../../domain/attendance.js';
import type { LocalDate } from '../../domain/local-date.js';
import type { ParticipationCode } from '../../domain/participation.js';
import type { ChangeContext } from '../ports.js';
import type { LateReason } from '../../domain/late-reasons.js';

export {
  ATTENDANCE,
  ATTENDANCE_TEXT,
  INVITEE_ROLES,
  USUAL_ROLES,
  type AttendanceValue,
  type InviteeRole,
  type UsualRole,
} from '../../domain/attendance.js';
export interface AttendanceEntry {
  /**
   * A usual role. Someone invited by e-mail counts as the role the chair said they are;
   * `invitee` is left only on reviews recorded before the form asked who each invitee was.
   */
  participant: UsualRole | 'invitee';
  /**
   * Which of the review's invitees this is (their place in `MeetingReview.invitees`), so that
   * "Change the record" shows it on their row; null for a role row. Their address is not kept here.
   */
  inviteeIndex: number | null;
  attendance: AttendanceValue;
}

/** Someone invited to the review by e-mail, as the recording form lists them (the chair only). */
export interface Invitee {
  /** Their place in the review's invitee list: the form's fields and the store name them by it. */
  index: number;
  email: string;
}

export interface Decision {
  description: string;
  ownerEmail: string | null;
  dueOn: LocalDate | null;
}

/** What the chair records when a review has been held. */
export interface ReviewRecord {
  heldOn: LocalDate;
  reviewCode: ParticipationCode;
  attendance: AttendanceEntry[];
  childChaired: boolean;
  advocacyOffered: boolean;
  consultationReturned: boolean;
  /** Why it was held after its due date; null when on time or when the due date is unknown. */
  lateReason: LateReason | null;
  decisions: Decision[];
}

export interface RecordTarget {
  childId: string;
  chairEmail: string;
  /** The booked review this record completes, if there was one. */
  reviewId: number | null;
  /** From the form: a second submit (double click, second device) carries the same key. */
  recordKey: string;
  dueOn: LocalDate | null;
  kind: string | null;
}

export interface RecordedReview {
  reviewId: number;
  created: boolean;
  recordedAt: Date;
  /**
   * The booked meeting this record completed, when the review was still booked: recorded from
   * "record review for ..." it may be in the future, and the chair is asked whether to cancel it.
   */
  completedBooking: { start: Date; eventId: string } | null;
}

export interface MeetingReview {
  reviewId: number;
  childId: string;
  chairEmail: string;
  status: 'scheduled' | 'held' | 'cancelled';
  scheduledStart: Date | null;
  scheduledEnd: Date | null;
  joinUrl: string | null;
  meetingChatId: string | null;
  meetingCardActivityId: string | null;
  recordedAt: Date | null;
  transactionId: string | null;
  invitees: string[];
}

export interface ReviewRecordRepository {
  /**
   * Stores the review as held with everything recorded, in one transaction with its audit record
   * and the child's new due dates. Recording the same review again (same review or same key)
   * updates it; a different review already held on that date is a conflict. A review recorded
   * while the child has a booked review completes that booking.
   */
  record(
    target: RecordTarget,
    record: ReviewRecord,
    context: ChangeContext,
  ): Promise<{ ok: true; review: RecordedReview } | { ok: false; reason: 'sameDate' }>;
  /** The review a Teams meeting belongs to, by its join link. */
  findByJoinUrl(joinUrl: string): Promise<MeetingReview | undefined>;
  findById(reviewId: number): Promise<MeetingReview | undefined>;
  /** The review whose Teams meeting chat this is (learned from Graph when it was booked). */
  findByMeetingChat(chatId: string): Promise<MeetingReview | undefined>;
  findByRecordKey(childId: string, recordKey: string): Promise<MeetingReview | undefined>;
  meetingStarted(reviewId: number, at: Date, chatId: string | null): Promise<void>;
  meetingEnded(
    reviewId: number,
    at: Date,
    chatId: string,
    cardActivityId: string | null,
  ): Promise<void>;
  /** Stores the online meeting's id and chat once Graph has told us. */
  linkMeeting(reviewId: number, onlineMeetingId: string, chatId: string): Promise<void>;
  onlineMeetingOf(reviewId: number): Promise<string | null>;
  /**
   * Claims the booked reviews whose meeting ended before `endedBefore` and that nobody has
   * recorded or been reminded about, and whose next try is due: each is leased to one caller,
   * whatever number of instances run, until its next retry time (15 minutes, doubling up to a day,
   * at most 12 tries) unless the reminder is marked delivered or blocked.
   */
  claimUnrecorded(endedBefore: Date, now: Date): Promise<MeetingReview[]>;
  /** The review as it was recorded, for showing it back to the chair. */
  recordOf(reviewId: number): Promise<ReviewRecord | undefined>;
  /** The calendar meeting booked for a review, and whether the chair has cancelled it since. */
  bookedMeetingOf(
    reviewId: number,
  ): Promise<{ eventId: string; start: Date; cancelledAt: Date | null } | undefined>;
  /** Records, with its audit record, that the chair cancelled the review's booked meeting. */
  meetingCancelled(reviewId: number, context: ChangeContext): Promise<void>;
}
