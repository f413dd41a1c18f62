import type { LocalDate } from './local-date.js';
import type { PeriodOfCare } from './periods-of-care.js';
import { coversDate } from './periods-of-care.js';
import {
  assessReviews,
  nextReviewDue,
  FIRST_REVIEW_WORKING_DAYS,
  type AssessedReview,
} from './review-schedule.js';
import type { WorkingCalendar } from './working-days.js';

export interface ChildTimeliness {
  /** Looked after for at least 20 working days by the end of the range: counted by NI 66. */
  counted: boolean;
  /** Every review due in the range was held by its due date. */
  onTime: boolean;
  reviewsDue: number;
  reviewsLate: number;
}

/**
 * The per-child measure (former national indicator NI 66) for a range: a child looked after on
 * `to` for at least 20 working days counts as on time only if every review that fell due in
 * [from, to] was held on or before its due date. A review due in the range and still not held on
 * `to` is late.
 */
export function childTimeliness(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
  from: LocalDate,
  to: LocalDate,
): ChildTimeliness {
  const counted =
    coversDate(period, to) &&
    !period.shortBreak &&
    calendar.addWorkingDays(period.start, FIRST_REVIEW_WORKING_DAYS) <= to;
  const heldByTo = heldDates.filter((d) => d <= to);
  const assessed = assessReviews(calendar, period, heldByTo);
  const inRange = (r: { dueDate: LocalDate }) => r.dueDate >= from && r.dueDate <= to;
  const due = assessed.filter(inRange);
  let reviewsLate = due.filter((r) => !r.onTime).length;
  let reviewsDue = due.length;
  const pending = nextReviewDue(calendar, period, heldByTo);
  if (inRange(pending)) {
    reviewsDue += 1;
    reviewsLate += 1;
  }
  return { counted, onTime: reviewsLate === 0, reviewsDue, reviewsLate };
}

/** Percentage with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

export type { AssessedReview };
