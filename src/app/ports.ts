import type { LocalDate } from '../domain/local-date.js';
import type { LateReason } from '../domain/late-reasons.js';
import type { ParticipationCode } from '../domain/participation.js';
import type { PeriodOfCare } from '../domain/periods-of-care.js';
import type { PreviousReview, ReviewKind } from '../domain/review-schedule.js';
import type { Extract, StaffRecord } from './import/extract.js';

/** Who made a change and when, written to the audit log with it. */
export interface ChangeContext {
  actor: string;
  today: LocalDate;
  correlationId?: string;
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  children: ImportCounts;
  episodes: ImportCounts;
  reviews: ImportCounts;
  staff: ImportCounts;
  allocations: ImportCounts;
}

export interface ImportProgress {
  step: string;
  done: number;
  total: number;
}

/**
 * A stored episode that a later import ended after the extract's last date: the extract (older)
 * still has it open, or ends it otherwise, and the stored row was kept as it is.
 */
export interface KeptEpisode {
  childId: string;
  decom: LocalDate;
  /** Its end as stored, after the extract's last date. */
  dec: LocalDate;
}

/**
 * A row of Reviews.csv for a review the chair recorded in the app (same child, same day) with
 * another REVIEW_CODE: the chair's record was kept.
 */
export interface ReviewConflict {
  childId: string;
  heldOn: LocalDate;
  /** What the chair recorded, and kept. */
  recorded: ParticipationCode;
  /** What Reviews.csv says. */
  imported: ParticipationCode;
}

/**
 * A child whose Header.csv row differs from what a later import gave (that import recorded an
 * episode beginning or ending after the extract's last date): the stored details were kept.
 */
export interface KeptChild {
  childId: string;
  /** The Header.csv columns whose values the file gives otherwise. */
  columns: string[];
}

export interface SavedExtract {
  summary: ImportSummary;
  /** Children of the extract in a current period whose next due date cannot be known. */
  dueUnknown: string[];
  /** Episodes of the extract that a later import had ended: kept as stored, not rewound. */
  keptEpisodes: KeptEpisode[];
  /** Header.csv rows of children a later import gave other details: kept as stored. */
  keptChildren: KeptChild[];
  /** Reviews.csv rows that differ from a review recorded in the app: the app's record was kept. */
  reviewConflicts: ReviewConflict[];
}

export interface ExtractWriter {
  /**
   * Writes the whole extract in one transaction, with audit records, and brings every child's
   * derived review facts (periods, due dates) up to date in it; all or nothing.
   */
  saveExtract(
    extract: Extract,
    context: ChangeContext,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<SavedExtract>;
  /** Every CHILD id held, for refusing ids that differ from one only in letter case. */
  childIds(): Promise<string[]>;
}

/** A member of staff, as Staff.csv describes them. */
export type StaffMember = StaffRecord;

export interface HeldReview {
  heldOn: LocalDate;
  reviewCode: ParticipationCode;
}

export interface AllocationSpan {
  role: 'iro' | 'social_worker';
  staffEmail: string;
  startDate: LocalDate;
  endDate: LocalDate | null;
}

/** What the rules need to know about one child. */
export interface ChildCase {
  childId: string;
  dob: LocalDate;
  firstName: string | null;
  lastName: string | null;
  /** 903 SEX (the older coding 1 and 2 is stored as M and F); null when the header gave none. */
  sex: 'M' | 'F' | 'U' | null;
  /** 903 ETHNIC code as the header gave it; null when blank. */
  ethnic: string | null;
  periods: PeriodOfCare[];
  reviews: HeldReview[];
  allocations: AllocationSpan[];
  /** Every review held on or after this day is known; null when the whole history is known. */
  reviewsKnownFrom: LocalDate | null;
  /** The council's last review before the extract (LastReviews.csv), if given. */
  previousReview: PreviousReview | null;
}

/**
 * Reviews held in a range, summed in the store from each review's stored due date and lateness:
 * one line per period kind (full-time care or short breaks) and participation code.
 */
export interface HeldReviewTotal {
  shortBreak: boolean;
  reviewCode: ParticipationCode;
  held: number;
  /** Of them, those whose due date is known. */
  assessed: number;
  onTime: number;
  /** Of them, those held on or after the child's 4th birthday. */
  agedFourOrOver: number;
}

/**
 * Children with a review held in a range while aged 4 or over (full-time care, short breaks
 * apart), and those of them who communicated their views (PN1 to PN6) at every such review.
 */
export interface ChildrenViewsTotal {
  agedFourOrOver: number;
  communicated: number;
}

/**
 * A child's period of care that covers `to`, with what the per-child timeliness measure reads
 * of its reviews held by `to` (as the stored due dates give them) and its next due date.
 */
export interface CoveringPeriodReviews {
  childId: string;
  start: LocalDate;
  startKnown: boolean;
  shortBreak: boolean;
  /** The review status's period (the child's latest) starts here; null without a status. */
  statusPeriodStart: LocalDate | null;
  nextDueOn: LocalDate | null;
  /** A review of the period held in [from, to] whose due date cannot be known. */
  dueUnknownInRange: boolean;
  /** Reviews due in [from, to], or late and held in it after falling due before it. */
  reviewsDue: number;
  reviewsLate: number;
  /** Reviews of the period held after `to` (then the stored next due date does not apply). */
  heldAfter: number;
}

/** Children of one IRO's (or no IRO's) current caseload, counted. */
export interface ReviewStatusCounts {
  iro: string | null;
  /** In full-time care (not short breaks). */
  children: number;
  shortBreaks: number;
  /** Next review due in the month asked about. */
  dueInMonth: number;
  /** Next review due before today. */
  overdue: number;
  dueUnknown: number;
}

/**
 * Whose children a caseload summary or the follow-up figures cover: those with an open allocation
 * to one of these staff (a manager's own view), or these children (what the reader may see).
 */
export type CaseloadScope = { staffEmails: readonly string[] } | { childIds: readonly string[] };

export interface CaseloadDates {
  today: LocalDate;
  /** The month whose due reviews are counted. */
  month: { from: LocalDate; to: LocalDate };
  /** The first day of the reporting year whose reviews are summed (to today). */
  yearStart: LocalDate;
  /**
   * The latest start of a period whose first review fell due by today (20 working days on): a
   * child who came into care later is not counted in the children's timeliness yet.
   */
  eligibleBy: LocalDate;
}

/** One IRO's part (null: children with no IRO) of a caseload summary. */
export interface CaseloadSums extends ReviewStatusCounts {
  /** Reviews held this reporting year, in full-time care: as `HeldReviewTotal` counts them. */
  held: number;
  assessed: number;
  onTime: number;
  /** Held reviews by participation code, PN0 to PN7. */
  participation: number[];
  agedFourOrOver: number;
  viewsConveyed: number;
  /** Children with a review this year while aged 4 or over, and those who communicated their views (PN1 to PN6) at every such review. */
  childrenAgedFourOrOver: number;
  childrenCommunicated: number;
  shortBreakHeld: number;
  shortBreakAssessed: number;
  shortBreakOnTime: number;
  /** Children in full-time care counted in the children's timeliness, and those on time. */
  childrenCounted: number;
  childrenOnTime: number;
  childrenDueUnknown: number;
  /**
   * Children whose rows cannot answer for today (a review held after today, or a period that
   * starts after it): the summary is then worked out the long way.
   */
  unsure: number;
}

/** A child's current period and next review, as the store keeps them. */
export interface ReviewStatusRow {
  childId: string;
  firstName: string | null;
  lastName: string | null;
  shortBreak: boolean;
  periodStart: LocalDate;
  periodStartKnown: boolean;
  lastReviewOn: LocalDate | null;
  /** Null when the due date cannot be known: the last review was before the extract. */
  nextDueOn: LocalDate | null;
  nextKind: ReviewKind | null;
  midwayOn: LocalDate | null;
  iro: string | null;
  socialWorker: string | null;
  /** The start of the child's booked review meeting, if one is booked. */
  scheduledStart: Date | null;
}

export interface ReviewStatusFilter {
  /** Only children whose period (care or a short-break arrangement) is current on this day. */
  today: LocalDate;
  /** Only children whose next review falls due in the range, and those whose due date is unknown. */
  due?: { from: LocalDate; to: LocalDate };
  /** Only children whose next due date is unknown. */
  dueUnknown?: true;
  /** Only children currently allocated to this IRO. */
  iroEmail?: string;
  /** Only children currently allocated to this social worker. */
  socialWorkerEmail?: string;
  /** Only these children. */
  childIds?: readonly string[];
}

export interface CaseFilter {
  /** Only children with a period of care open on this date (not ended before it). */
  lookedAfterOn?: LocalDate;
  /** Only children with any period of care overlapping [from, to]. */
  inCareBetween?: { from: LocalDate; to: LocalDate };
  /** Only children currently allocated to this IRO. */
  iroEmail?: string;
  /** Only these children. */
  childIds?: readonly string[];
}

export interface OpenAllocation {
  childId: string;
  role: 'iro' | 'social_worker';
  staffEmail: string;
}

/** A review booked in a calendar and not yet held. */
export interface ScheduledReview {
  childId: string;
  start: Date;
  end: Date | null;
  joinUrl: string | null;
}

/** Who took part in a review, among those the recording form asks about, that the annual report counts. */
export type ReportedParticipant = 'child' | 'mother' | 'father' | 'other_family' | 'carer';

/** What the chair recorded in the app about one held review (imported reviews carry none of it). */
export interface RecordedReviewFacts {
  childId: string;
  heldOn: LocalDate;
  /** Attendance was recorded for at least one participant. */
  attendanceRecorded: boolean;
  /** Those of the reported participants who attended, in person or online. */
  attended: ReportedParticipant[];
  childChaired: boolean;
  advocacyOffered: boolean;
  consultationReturned: boolean;
  /** Why it was held late, when the chair recorded it late. */
  lateReason: LateReason | null;
}

export interface CaseReader {
  listCases(filter: CaseFilter): Promise<ChildCase[]>;
  /** Children's current periods and next reviews, sorted by due date (unknown last), then CHILD. */
  listReviewStatus(filter: ReviewStatusFilter): Promise<ReviewStatusRow[]>;
  /**
   * A caseload summary summed in the store from each child's status row: the current children
   * counted by their IRO (null: none allocated), the same rows the lists of reviews due read, and
   * the reporting year's held reviews and each child's timeliness up to today.
   */
  summariseCaseload(scope: CaseloadScope, at: CaseloadDates): Promise<CaseloadSums[]>;
  /** The CHILD id the store holds for what someone typed (letter case aside), if any. */
  findChildId(text: string): Promise<string | undefined>;
  listStaff(): Promise<StaffMember[]>;
  /**
   * Open allocations; with `staffEmails`, only those of these people (what a scope needs: an
   * implementation may return more, since scopes filter by person anyway).
   */
  listOpenAllocations(filter?: { staffEmails?: readonly string[] }): Promise<OpenAllocation[]>;
  listScheduledReviews(childIds: readonly string[]): Promise<ScheduledReview[]>;
  /**
   * Optional: the year's figures summed in the store (held reviews by period kind and code, and
   * each child's periods covering `to`), so a caseload summary need not load every review.
   */
  summariseHeldReviews?(
    range: { from: LocalDate; to: LocalDate },
    childIds: readonly string[],
  ): Promise<{
    totals: HeldReviewTotal[];
    covering: CoveringPeriodReviews[];
    children: ChildrenViewsTotal;
  }>;
  /**
   * Reviews held in [from, to] and recorded in the app (by the chair, not imported), with what
   * the recording form asked, sorted by CHILD then date; only these children when given.
   */
  listRecordedReviewFacts(
    from: LocalDate,
    to: LocalDate,
    childIds?: readonly string[],
  ): Promise<RecordedReviewFacts[]>;
}
