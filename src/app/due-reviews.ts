import { daysBetween, type LocalDate } from '../domain/local-date.js';
import type { ReviewKind } from '../domain/review-schedule.js';
import { initialsOf } from './case-view.js';
import type { CaseReader } from './ports.js';

export interface DueReviewItem {
  child: string;
  initials: string | null;
  /** Null when it cannot be known: the child's last review was held before the extract began. */
  dueDate: LocalDate | null;
  kind: ReviewKind | null;
  /** Days from today to the due date; negative when overdue; null when the due date is unknown. */
  daysLeft: number | null;
  midwayDate: LocalDate | null;
  /** Reviewed under the short-break rules (Regulation 48), outside 903 timeliness. */
  shortBreak: boolean;
  iro: string | null;
  socialWorker: string | null;
  /** The start of the child's booked review meeting, if one is booked. */
  scheduledStart: Date | null;
}

export interface DueReviewQuery {
  today: LocalDate;
  from: LocalDate;
  to: LocalDate;
  /** Only the children of this IRO, or of this social worker, by their open allocation. */
  iroEmail?: string;
  socialWorkerEmail?: string;
  /** Only these children (the asker's scope). */
  childIds?: readonly string[];
  /** Only the children whose due date cannot be known. */
  dueUnknown?: true;
}

/**
 * The children whose current period (care, or a short-break arrangement) is open today and whose
 * next review falls due in [from, to], sorted by due date and then CHILD id; then the children
 * whose due date cannot be known (their review may fall due in the range: nobody can say), so
 * that no list silently leaves a child out. One indexed query on the store's review status.
 */
export async function listDueReviews(
  deps: { cases: CaseReader },
  query: DueReviewQuery,
): Promise<DueReviewItem[]> {
  const rows = await deps.cases.listReviewStatus({
    today: query.today,
    due: { from: query.from, to: query.to },
    ...(query.iroEmail ? { iroEmail: query.iroEmail } : {}),
    ...(query.socialWorkerEmail ? { socialWorkerEmail: query.socialWorkerEmail } : {}),
    ...(query.childIds ? { childIds: query.childIds } : {}),
    ...(query.dueUnknown ? { dueUnknown: true as const } : {}),
  });
  return rows.map((r) => ({
    child: r.childId,
    initials: initialsOf(r),
    dueDate: r.nextDueOn,
    kind: r.nextKind,
    daysLeft: r.nextDueOn === null ? null : daysBetween(query.today, r.nextDueOn),
    midwayDate: r.midwayOn,
    shortBreak: r.shortBreak,
    iro: r.iro,
    socialWorker: r.socialWorker,
    scheduledStart: r.scheduledStart,
  }));
}

/** What lists and counts say for a child whose next due date cannot be known. */
export const DUE_DATE_UNKNOWN_TEXT = 'due date unknown: last review before the extract';
