import type { LocalDate } from './local-date.js';
import {
  periodsOfCare,
  type EpisodeFacts,
  type PeriodOfCare,
} from './periods-of-care.js';
import {
  assessedReviews,
  midwayDate,
  reviewChain,
  type PreviousReview,
  type ReviewKind,
} from './review-schedule.js';
import type { WorkingCalendar } from './working-days.js';

/** Everything the review rules read about one child. */
export interface ReviewStateInput {
  episodes: readonly EpisodeFacts[];
  held: readonly LocalDate[];
  knownFrom: LocalDate | null;
  previous: PreviousReview | null;
}

/** A held review's due date, as the rules give it; null when it cannot be known. */
export interface HeldReviewState {
  heldOn: LocalDate;
  dueOn: LocalDate | null;
  kind: ReviewKind | null;
  daysLate: number | null;
}

/** Where the child's latest period stands: what the lists of reviews due read. */
export interface CurrentReviewState {
  /** Current until its end (a short-break arrangement's runs 6 months past the last break). */
  period: PeriodOfCare;
  lastReviewOn: LocalDate | null;
  /** Null when the next due date cannot be known (the last review was before the extract). */
  nextDueOn: LocalDate | null;
  nextKind: ReviewKind | null;
  midwayOn: LocalDate | null;
}

export interface ReviewState {
  periods: PeriodOfCare[];
  reviews: HeldReviewState[];
  /** The latest period, if the child was ever looked after. */
  latest: CurrentReviewState | null;
}

/**
 * The derived review facts of one child: periods of care, each held review's due date and
 * lateness, and the latest period's last review and next due date. The store keeps these beside
 * the data they come from and recomputes them in the same transaction as every change.
 */
export function deriveReviewState(calendar: WorkingCalendar, input: ReviewStateInput): ReviewState {
  const periods = periodsOfCare(input.episodes);
  const byDate = new Map<LocalDate, HeldReviewState>(
    [...new Set(input.held)].map((heldOn) => [
      heldOn,
      { heldOn, dueOn: null, kind: null, daysLate: null },
    ]),
  );
  let latest: CurrentReviewState | null = null;
  periods.forEach((period, i) => {
    const chain = reviewChain(calendar, period, input);
    // Reviews whose due date cannot be known keep nulls; periods never share a day.
    for (const review of assessedReviews(chain)) {
      const state = byDate.get(review.heldOn);
      if (!state) continue;
      state.dueOn = review.dueDate;
      state.kind = review.kind;
      state.daysLate = review.daysLate;
    }
    if (i !== periods.length - 1) return;
    const next = chain.next.known ? chain.next.due : null;
    latest = {
      period,
      lastReviewOn: chain.reviews.at(-1)?.heldOn ?? null,
      nextDueOn: next?.dueDate ?? null,
      nextKind: next?.kind ?? null,
      midwayOn: next ? midwayDate(next) : null,
    };
  });
  return {
    periods,
    reviews: [...byDate.values()].sort((a, b) => (a.heldOn < b.heldOn ? -1 : 1)),
    latest,
  };
}
