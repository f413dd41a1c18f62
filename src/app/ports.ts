import type { LocalDate } from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import type { PeriodOfCare } from '../domain/periods-of-care.js';
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

export interface ExtractWriter {
  /** Writes the whole extract in one transaction, with audit records; all or nothing. */
  saveExtract(
    extract: Extract,
    context: ChangeContext,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportSummary>;
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
  periods: PeriodOfCare[];
  reviews: HeldReview[];
  allocations: AllocationSpan[];
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

export interface CaseReader {
  listCases(filter: CaseFilter): Promise<ChildCase[]>;
  listStaff(): Promise<StaffMember[]>;
  listOpenAllocations(): Promise<OpenAllocation[]>;
  listScheduledReviews(childIds: readonly string[]): Promise<ScheduledReview[]>;
}
