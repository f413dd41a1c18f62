import { addMonths, daysBetween, addDays, type LocalDate } from './local-date.js';
import type { PeriodOfCare } from './periods-of-care.js';
import { coversDate } from './periods-of-care.js';
import type { WorkingCalendar } from './working-days.js';

/** A review's place in its cycle; short-break arrangements have one kind for all their reviews. */
export type ReviewKind = 'first' | 'second' | 'subsequent' | 'short_breaks';

/** Statutory timescales (reg 33 of the Care Planning, Placement and Case Review Regulations 2010). */
export const FIRST_REVIEW_WORKING_DAYS = 20;
export const SECOND_REVIEW_MONTHS = 3;
export const SUBSEQUENT_REVIEW_MONTHS = 6;
/** Regulation 48 (short breaks): first review within 3 months of the first break, then 6 months. */
export const SHORT_BREAK_FIRST_REVIEW_MONTHS = 3;
export const SHORT_BREAK_REVIEW_MONTHS = 6;

export interface DueReview {
  kind: ReviewKind;
  dueDate: LocalDate;
  /** 1 for the first review of the period, 2 for the second, ...; null when reviews before the extract are not known. */
  number: number | null;
  /** The review the due date counts from; null for the first review. */
  previousReviewDate: LocalDate | null;
}

export interface AssessedReview extends DueReview {
  heldOn: LocalDate;
  onTime: boolean;
  /** Calendar days after the due date; 0 when on time. */
  daysLate: number;
}

/** The last review held before the extract began, when the council supplies it. */
export interface PreviousReview {
  heldOn: LocalDate;
  /** Its number in the period (1 for the first review); null when it was a later one. */
  number: number | null;
}

/** What is known of a child's reviews. */
export interface ReviewHistory {
  /** Every held review we know of, of any period. */
  held: readonly LocalDate[];
  /** Every review held on or after this day is known; null when the whole history is known. */
  knownFrom: LocalDate | null;
  previous: PreviousReview | null;
}

/** One held review with the due date it had, or null when that cannot be known. */
export interface ChainedReview {
  heldOn: LocalDate;
  due: DueReview | null;
  /** The council's "last review before the extract", not a review held in the extract. */
  supplied: boolean;
}

export type NextReview =
  | { known: true; due: DueReview }
  | { known: false; reason: 'lastReviewBeforeExtract' };

export interface ReviewChain {
  reviews: ChainedReview[];
  next: NextReview;
}

export function kindForNumber(number: number | null): ReviewKind {
  return number === 1 ? 'first' : number === 2 ? 'second' : 'subsequent';
}

/** When the first review of a period falls due. */
export function firstReviewDue(calendar: WorkingCalendar, period: PeriodOfCare): LocalDate {
  return period.shortBreak
    ? addMonths(period.start, SHORT_BREAK_FIRST_REVIEW_MONTHS)
    : calendar.addWorkingDays(period.start, FIRST_REVIEW_WORKING_DAYS);
}

/** The review after one held on `previous`, whose number in the period is `previousNumber`. */
function dueFollowing(
  period: PeriodOfCare,
  previous: LocalDate,
  previousNumber: number | null,
): DueReview {
  const number = previousNumber === null ? null : previousNumber + 1;
  if (period.shortBreak) {
    return {
      kind: 'short_breaks',
      number,
      previousReviewDate: previous,
      dueDate: addMonths(previous, SHORT_BREAK_REVIEW_MONTHS),
    };
  }
  const months = number === 2 ? SECOND_REVIEW_MONTHS : SUBSEQUENT_REVIEW_MONTHS;
  return {
    kind: kindForNumber(number),
    number,
    previousReviewDate: previous,
    dueDate: addMonths(previous, months),
  };
}

function firstDue(calendar: WorkingCalendar, period: PeriodOfCare): DueReview {
  return {
    kind: period.shortBreak ? 'short_breaks' : 'first',
    number: 1,
    previousReviewDate: null,
    dueDate: firstReviewDue(calendar, period),
  };
}

/**
 * When the review after `heldCount` held reviews of a full-time period falls due. Months are
 * counted from the date the previous review was actually held and clamp at month end; extra
 * (brought-forward) reviews are held reviews like any other.
 */
export function dueAfter(
  calendar: WorkingCalendar,
  periodStart: LocalDate,
  previousReviewDate: LocalDate | null,
  heldCount: number,
): DueReview {
  const period: PeriodOfCare = { start: periodStart, startKnown: true, end: null, shortBreak: false };
  if (previousReviewDate === null || heldCount === 0) return firstDue(calendar, period);
  return dueFollowing(period, previousReviewDate, heldCount);
}

/** The held reviews that belong to a period of care, oldest first. */
export function reviewsInPeriod(
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
): LocalDate[] {
  return [...new Set(heldDates)].filter((d) => coversDate(period, d)).sort();
}

/**
 * Whether every review of the period is known, and from its start: its start is known, and either
 * every review ever held is known or its first review fell due on or after the first day from
 * which reviews are known. (When the first review fell due before that day, it may have been held
 * before it, and the reviews in hand cannot be numbered.)
 */
export function historyComplete(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  knownFrom: LocalDate | null,
): boolean {
  return (
    period.startKnown && (knownFrom === null || firstReviewDue(calendar, period) >= knownFrom)
  );
}

/**
 * Each review of the period with the due date it had, and the next review due.
 *
 * - The whole history known: the statutory chain from the period's start.
 * - Every review ever held known, but not when the period began (its first episode held does not
 *   start it): the reviews are numbered, but the first one's due date cannot be known.
 * - Otherwise (a one-year extract of a period that began earlier): the council's last review
 *   before the extract, when supplied, starts the chain; without it the first review in hand has
 *   no known due date, and the ones after it are due 6 months after the one before (a period whose
 *   first review fell due before the extract began has had that first review). With no review
 *   in hand and none supplied, the next due date is not known: the product never invents one.
 *
 * A supplied last review before the extract is used whenever it falls in the period before every
 * review in hand: the council knows it was held.
 */
export function reviewChain(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  history: ReviewHistory,
): ReviewChain {
  const complete = historyComplete(calendar, period, history.knownFrom);
  const numbered = complete || history.knownFrom === null;
  const inPeriod = reviewsInPeriod(period, history.held);
  const previous = history.previous;
  const usePrevious =
    previous !== null &&
    coversDate(period, previous.heldOn) &&
    (inPeriod[0] === undefined || previous.heldOn < inPeriod[0]);
  const dates = usePrevious ? [previous.heldOn, ...inPeriod] : inPeriod;

  const reviews: ChainedReview[] = [];
  let number: number | null = null;
  let last: LocalDate | null = null;
  for (const heldOn of dates) {
    let due: DueReview | null;
    if (last === null) {
      number = usePrevious && previous.number !== null ? previous.number : numbered ? 1 : null;
      due = number === 1 && period.startKnown ? firstDue(calendar, period) : null;
    } else {
      due = dueFollowing(period, last, number);
      number = due.number;
    }
    reviews.push({ heldOn, due, supplied: usePrevious && heldOn === previous.heldOn });
    last = heldOn;
  }
  let next: NextReview;
  if (last !== null) next = { known: true, due: dueFollowing(period, last, number) };
  else if (complete) next = { known: true, due: firstDue(calendar, period) };
  else next = { known: false, reason: 'lastReviewBeforeExtract' };
  return { reviews, next };
}

/** The reviews a chain assessed: held in the extract, with a known due date. */
export function assessedReviews(chain: ReviewChain): AssessedReview[] {
  return chain.reviews.flatMap((r) => (r.due && !r.supplied ? [assess(r.heldOn, r.due)] : []));
}

function assess(heldOn: LocalDate, due: DueReview): AssessedReview {
  const daysLate = Math.max(0, daysBetween(due.dueDate, heldOn));
  return { ...due, heldOn, onTime: daysLate === 0, daysLate };
}

const COMPLETE = { knownFrom: null, previous: null } as const;

/** Each review held in the period (whose every review is known), with its due date and whether it was on time. */
export function assessReviews(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
): AssessedReview[] {
  return assessedReviews(reviewChain(calendar, period, { held: heldDates, ...COMPLETE }));
}

/** The next review due in a period whose every review is known. */
export function nextReviewDue(
  calendar: WorkingCalendar,
  period: PeriodOfCare,
  heldDates: readonly LocalDate[],
): DueReview {
  const { next } = reviewChain(calendar, period, { held: heldDates, ...COMPLETE });
  if (!next.known) throw new Error('a complete history always has a next due date');
  return next.due;
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
