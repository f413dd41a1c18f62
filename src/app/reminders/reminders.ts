import type { LocalDate } from '../../domain/local-date.js';
import type { CaseloadScope } from '../ports.js';

/** A review decision followed up: what, who, by when, and where it stands. */
export interface FollowedDecision {
  decisionId: number;
  childId: string;
  childLabel: string;
  description: string;
  ownerEmail: string | null;
  /** The owner's name when they are in the staff list. */
  ownerName?: string | null;
  dueOn: LocalDate | null;
  iroName: string;
  /** The last word on it: done (when), or not done with a reason; null when nobody said. */
  status: 'open' | 'done' | 'notDone';
  doneOn: LocalDate | null;
  reason: string | null;
}

/**
 * One IRO's daily digest: only sent when one of the lists has something in it. A child never
 * reviewed is in `dueUnscheduled` once their first review falls within its window, not before;
 * a child whose due date cannot be known is in `dueUnknown` every day until it is.
 */
export interface IroDigest {
  iroName: string;
  today: LocalDate;
  /** Reviews overdue or due by `dueUntil` with no meeting booked, by due date. */
  dueUnscheduled: {
    childId: string;
    childLabel: string;
    dueOn: LocalDate;
    /** The last working day before a due date that is not one (as the lists say it). */
    holdBy: LocalDate | null;
  }[];
  /** The last day of the window for `dueUnscheduled`: 20 working days from today. */
  dueUntil: LocalDate;
  /**
   * Children with no meeting booked whose next due date cannot be known (their last review was
   * held before the council's extract began): the review may be due, or overdue, and nobody can
   * say. By CHILD id.
   */
  dueUnknown: { childId: string; childLabel: string }[];
  /** Reviews held 5 or more working days ago whose decisions are not recorded. */
  decisionsNotRecorded: {
    reviewId: number;
    childId: string;
    childLabel: string;
    heldOn: LocalDate;
    /** Recorded without decisions (its record is changed), rather than not recorded at all. */
    recorded: boolean;
  }[];
  /** Review records not yet marked distributed, past the council's working days. */
  recordsNotDistributed: {
    reviewId: number;
    childId: string;
    childLabel: string;
    heldOn: LocalDate;
    dueBy: LocalDate;
  }[];
  /** Decisions past their date and not done. */
  decisionsOverdue: FollowedDecision[];
}

/** The social worker's reminder: their report is due 3 working days before the review. */
export interface ReportDue {
  reviewId: number;
  childId: string;
  childLabel: string;
  meetingStart: Date;
  reportDueOn: LocalDate;
  iroName: string;
}

export const REMINDER_JOBS = {
  decisionDue: 'decision.due',
  digest: 'digest.iro',
  reportDue: 'report.due',
} as const;

/** A decision with who may speak for it: its owner, the child's social worker and IRO now. */
export interface DecisionContext extends FollowedDecision {
  swEmail: string | null;
  iroEmail: string | null;
  /** Who chaired the review that set the decision (the IRO then), when recorded. */
  chairEmail: string | null;
  chairName: string | null;
}

/** What the follow-up figures are counted from, for reviews held (or alerts raised) in a range. */
export interface FollowUpRows {
  /** Decisions of reviews held in the range: their date, and the day first reported done. */
  decisions: { dueOn: LocalDate | null; doneOn: LocalDate | null }[];
  /** Reviews held in the range and recorded in the app: when their record went out. */
  records: { heldOn: LocalDate; distributedOn: LocalDate | null }[];
  /**
   * Midway checks whose midway date is in the range: sent to the social worker, answered, and
   * for one not sent, whether it is waiting for them to open the app in Teams (tried, not
   * reachable) or was given up (the next review came first).
   */
  midway: { asked: boolean; answered: boolean; notReached: boolean; givenUp: boolean }[];
  /** Practice alerts raised in the range: their stage now, and how they ended. */
  alerts: { stage: string; outcome: string | null }[];
}

export interface ReminderStore {
  /**
   * What followed the reviews in [from, to]: of every child, of these children, or of the
   * children with an open allocation to one of these staff (a manager's own view).
   */
  followUpRows(from: LocalDate, to: LocalDate, scope?: CaseloadScope): Promise<FollowUpRows>;
  /**
   * Queues a reminder for each open decision due in [from, to] whose owner is in the staff list,
   * to run at `runAfterOf(dueOn)`; a decision already queued for that date is left as it is.
   */
  queueDecisionReminders(
    from: LocalDate,
    to: LocalDate,
    runAfterOf: (dueOn: LocalDate) => Date,
  ): Promise<number>;
  findDecision(decisionId: number): Promise<DecisionContext | undefined>;
  /** Stores the owner's word on a decision (a progress report), audited. */
  updateDecision(input: {
    decisionId: number;
    status: 'done' | 'notDone';
    reason: string | null;
    by: string;
    at: Date;
    today: LocalDate;
    correlationId?: string;
  }): Promise<void>;
  /**
   * Decisions past their date and not done, of these children's reviews or of the children
   * allocated to this IRO now.
   */
  overdueDecisions(
    of: { childIds: readonly string[] } | { iroEmail: string },
    today: LocalDate,
  ): Promise<FollowedDecision[]>;
  /** Queues today's digest for every IRO (once a day, by key). */
  queueDigests(today: LocalDate, runAfter: Date): Promise<number>;
  /** What an IRO's digest lists, except the reviews due (read from the review status). */
  digestLists(
    iroEmail: string,
    input: { today: LocalDate; meetingsEndedBefore: Date; heldSince: LocalDate },
  ): Promise<
    Pick<IroDigest, 'decisionsNotRecorded'> & {
      undistributed: { reviewId: number; childId: string; childLabel: string; heldOn: LocalDate }[];
      booked: Set<string>;
    }
  >;
  /** Marks a review record written and distributed, audited; the review, or undefined. */
  markDistributed(input: {
    reviewId: number;
    by: string;
    today: LocalDate;
    correlationId?: string;
  }): Promise<
    | {
        childId: string;
        childLabel: string;
        heldOn: LocalDate;
        distributedOn: LocalDate;
        chairEmail: string | null;
      }
    | undefined
  >;
  /** The review as the distribution button needs it. */
  reviewForRecord(
    reviewId: number,
  ): Promise<{ childId: string; chairEmail: string | null; heldOn: LocalDate | null } | undefined>;
  /** Queues report reminders for reviews booked to start in [from, to]. */
  queueReportReminders(from: Date, to: Date, runAfterOf: (start: Date) => Date): Promise<number>;
  /** A booked review for the report reminder: still booked for `start`? with its social worker. */
  bookedReview(
    reviewId: number,
  ): Promise<
    | { childId: string; childLabel: string; start: Date; swEmail: string | null; iroName: string }
    | undefined
  >;
}
