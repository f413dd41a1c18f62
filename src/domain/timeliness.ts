import type { LocalDate } from './local-date.js';
import type { PeriodOfCare } from './periods-of-care.js';
import { coversDate } from './periods-of-care.js';
import {
  FIRST_REVIEW_WORKING_DAYS,
  reviewChain,
  type AssessedReview,
  type ReviewHistory,
} from './review-schedule.js';
import type { WorkingCalendar } from './working-days.js';

export interface ChildTimeliness {
  /**
   * Looked after on `to` for at least 20 working days, not on short breaks, and every review due
   * in the range can be judged: counted by NI 66.
   */
  counted: boolean;
  /** Every review due in the range was held by its due date. */
  onTime: boolean;
  /** A review in the range has a due date that cannot be known, and none is known to be late. */
  dueUnknown: boolean;
  reviewsDue: number;
  reviewsLate: number;
}

/**
 * The per-child measure (former national indicator NI 66) for a range: a child looked after on
 * `to` for at least 20 working days counts as on time only if every review that fell due in
 * [from, to] was held on or before its due date, and no review was outstanding after its due
 * date at any time in the range (a review due before `from` and held late inside the range, or
 * still not held on `to`, makes the child late). A child with a review in the range whose due
 * date cannot be known (the extract does not reach back far enough) is left out, unless another
 * review already makes them late.
 */
export function childTimeliness(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  history: ReviewHistory,
  from: LocalDate,
  to: LocalDate,
): ChildTimeliness {
  // A period whose start is unknown began before its first known day: long enough already.
  const eligible =
    coversDate(period, to) &&
    !period.shortBreak &&
    (!period.startKnown ||
      calendar.addWorkingDays(period.start, FIRST_REVIEW_WORKING_DAYS) <= to);
  const chain = reviewChain(calendar, period, {
    ...history,
    held: history.held.filter((d) => d <= to),
  });
  let reviewsDue = 0;
  let reviewsLate = 0;
  let unknown = false;
  for (const review of chain.reviews) {
    if (review.supplied) continue;
    if (!review.due) {
      // Held before the range, it was either on time or outside it.
      if (review.heldOn >= from) unknown = true;
      continue;
    }
    const late = review.heldOn > review.due.dueDate;
    const dueInRange = review.due.dueDate >= from && review.due.dueDate <= to;
    const overdueIntoRange = late && review.due.dueDate < from && review.heldOn >= from;
    if (!dueInRange && !overdueIntoRange) continue;
    reviewsDue += 1;
    if (late) reviewsLate += 1;
  }
  if (!chain.next.known) unknown = true;
  else if (chain.next.due.dueDate <= to) {
    // Due by the end of the range and not held: outstanding, so late.
    reviewsDue += 1;
    reviewsLate += 1;
  }
  const dueUnknown = unknown && reviewsLate === 0;
  return {
    counted: eligible && !dueUnknown,
    onTime: reviewsLate === 0 && !unknown,
    dueUnknown: eligible && dueUnknown,
    reviewsDue,
    reviewsLate,
  };
}

/** Percentage with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

export type { AssessedReview };
