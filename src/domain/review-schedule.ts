import { addMonths, daysBetween, addDays, type LocalDate } from './local-date.js';
import type { PeriodOfCare } from './periods-of-care.js';
import { coversDate } from './periods-of-care.js';
import type { WorkingCalendar } from './working-days.js';

export type ReviewKind = 'first' | 'second' | 'subsequent';

/** Statutory timescales (reg 33 of the Care Planning, Placement and Case Review Regulations 2010). */
export const FIRST_REVIEW_WORKING_DAYS = 20;
export const SECOND_REVIEW_MONTHS = 3;
export const SUBSEQUENT_REVIEW_MONTHS = 6;

export interface DueReview {
  kind: ReviewKind;
  dueDate: LocalDate;
  /** 1 for the first review of the period, 2 for the second, ... */
  number: number;
  /** The review the due date counts from; null for the first review. */
  previousReviewDate: LocalDate | null;
}

export interface AssessedReview extends DueReview {
  heldOn: LocalDate;
  onTime: boolean;
  /** Calendar days after the due date; 0 when on time. */
  daysLate: number;
}

export function kindForNumber(number: number): ReviewKind {
  return number === 1 ? 'first' : number === 2 ? 'second' : 'subsequent';
}

/**
 * When the review after `heldCount` held reviews falls due. Months are counted from the date the
 * previous review was actually held and clamp at month end; extra (brought-forward) reviews are
 * held reviews like any other.
 */
export function dueAfter(
  calendar: WorkingCalendar,
  periodStart: LocalDate,
  previousReviewDate: LocalDate | null,
  heldCount: number,
): DueReview {
  const number = heldCount + 1;
  const kind = kindForNumber(number);
  if (previousReviewDate === null || heldCount === 0) {
    return {
      kind,
      number,
      previousReviewDate: null,
      dueDate: calendar.addWorkingDays(periodStart, FIRST_REVIEW_WORKING_DAYS),
    };
  }
  const months = kind === 'second' ? SECOND_REVIEW_MONTHS : SUBSEQUENT_REVIEW_MONTHS;
  return { kind, number, previousReviewDate, dueDate: addMonths(previousReviewDate, months) };
}

/** The held reviews that belong to a period of care, oldest first. */
export function reviewsInPeriod(
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
): LocalDate[] {
  return [...new Set(heldDates)].filter((d) => coversDate(period, d)).sort();
}

/** Each review held in the period with the due date it had and whether it was on time. */
export function assessReviews(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
): AssessedReview[] {
  const held = reviewsInPeriod(period, heldDates);
  return held.map((heldOn, i) => {
    const due = dueAfter(calendar, period.start, i === 0 ? null : (held[i - 1] as LocalDate), i);
    const daysLate = Math.max(0, daysBetween(due.dueDate, heldOn));
    return { ...due, heldOn, onTime: daysLate === 0, daysLate };
  });
}

/** The next review due in the period, after every review held in it so far. */
export function nextReviewDue(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
): DueReview {
  const held = reviewsInPeriod(period, heldDates);
  return dueAfter(calendar, period.start, held.at(-1) ?? null, held.length);
}

/**
 * The midway point between the last review and the next due date (rounded down), when the IRO
 * checks progress with the social worker. Null before the first review.
 */
export function midwayDate(due: DueReview): LocalDate | null {
  if (due.previousReviewDate === null) return null;
  const gap = daysBetween(due.previousReviewDate, due.dueDate);
  return addDays(due.previousReviewDate, Math.floor(gap / 2));
}
