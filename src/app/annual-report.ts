import { caseload, type CaseloadBand } from '../domain/caseload.js';
import { ageOn, addMonths, monthOf, minDate, type LocalDate } from '../domain/local-date.js';
import {
  PARTICIPATION,
  PARTICIPATION_CODES,
  type ParticipationCode,
} from '../domain/participation.js';
import { currentPeriod } from '../domain/periods-of-care.js';
import { reviewChain } from '../domain/review-schedule.js';
import { childTimeliness, percent } from '../domain/timeliness.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { allocatedOn, historyOf, reviewablePeriodOn } from './case-view.js';
import type { CaseReader } from './ports.js';

export interface CaseloadLine {
  iro: string;
  name: string;
  children: number;
  fte: number;
  perFte: number | null;
  band: CaseloadBand | null;
}

export interface MonthLine {
  month: string;
  /** Looked after on the last day of the month (or on `to` for the last month). */
  childrenLookedAfter: number;
  reviewsHeld: number;
  /** Reviews held whose due date is known, so that timeliness can be judged. */
  reviewsAssessed: number;
  reviewsOnTime: number;
}

/** Reviews of short-break arrangements (Regulation 48): counted apart, never in 903 timeliness. */
export interface ShortBreakFigures {
  /** Children whose short-break arrangement is current on `to`. */
  children: number;
  reviewsHeld: number;
  reviewsAssessed: number;
  reviewsOnTime: number;
  timelinessPercent: number | null;
  reviewsDueUnknown: number;
}

/** The figures of the IRO annual report, for reviews held in [from, to]. */
export interface AnnualReportFigures {
  from: LocalDate;
  to: LocalDate;
  reviewsHeld: number;
  /** Reviews held whose due date is known: timeliness is judged on these. */
  reviewsAssessed: number;
  reviewsOnTime: number;
  /** Reviews held on time as a % of reviews assessed, one decimal; null when none were. */
  timelinessPercent: number | null;
  /**
   * Reviews held in the range whose due date cannot be known (the extract does not reach back to
   * the review before them): left out of timeliness.
   */
  reviewsDueUnknown: number;
  participation: Record<ParticipationCode, number>;
  participationPercent: Record<ParticipationCode, number | null>;
  /** Reviews of children aged 4 or over where the child conveyed their views (PN1 to PN6). */
  viewsConveyed: { reviews: number; of: number; percent: number | null };
  /** Children looked after on `to` (short breaks excluded). */
  childrenLookedAfter: number;
  /**
   * The per-child measure (former NI 66); children with a review in the range whose due date
   * cannot be known, and none known to be late, are left out and counted in `childrenDueUnknown`.
   */
  childTimeliness: {
    childrenCounted: number;
    childrenOnTime: number;
    percent: number | null;
    childrenDueUnknown: number;
  };
  shortBreaks: ShortBreakFigures;
  byMonth: MonthLine[];
  caseload: CaseloadLine[];
  /** Children looked after on `to` with no IRO allocated. */
  childrenWithoutIro: number;
}

export async function annualReportFigures(
  deps: { cases: CaseReader; calendar: WorkingCalendar },
  range: { from: LocalDate; to: LocalDate },
  scope: { childIds?: readonly string[] } = {},
): Promise<AnnualReportFigures> {
  const { from, to } = range;
  const [cases, staff] = await Promise.all([
    deps.cases.listCases({
      inCareBetween: { from, to },
      ...(scope.childIds ? { childIds: scope.childIds } : {}),
    }),
    deps.cases.listStaff(),
  ]);
  const participation = Object.fromEntries(PARTICIPATION_CODES.map((c) => [c, 0])) as Record<
    ParticipationCode,
    number
  >;
  const months = monthsBetween(from, to).map((m) => ({
    ...m,
    lookedAfter: 0,
    held: 0,
    assessed: 0,
    onTime: 0,
  }));
  let reviewsHeld = 0;
  let reviewsAssessed = 0;
  let reviewsOnTime = 0;
  let reviewsDueUnknown = 0;
  let viewsOf = 0;
  let viewsConveyed = 0;
  let childrenLookedAfter = 0;
  let childrenCounted = 0;
  let childrenOnTime = 0;
  let childrenDueUnknown = 0;
  let childrenWithoutIro = 0;
  const shortBreaks = { children: 0, held: 0, assessed: 0, onTime: 0, dueUnknown: 0 };
  const perIro = new Map<string, number>();

  for (const child of cases) {
    const codes = new Map(child.reviews.map((r) => [r.heldOn, r.reviewCode]));
    const history = historyOf(child);
    for (const period of child.periods) {
      const chain = reviewChain(deps.calendar, period, history);
      for (const review of chain.reviews) {
        if (review.supplied || review.heldOn < from || review.heldOn > to) continue;
        const onTime = review.due ? review.heldOn <= review.due.dueDate : null;
        if (period.shortBreak) {
          shortBreaks.held += 1;
          if (onTime === null) shortBreaks.dueUnknown += 1;
          else {
            shortBreaks.assessed += 1;
            if (onTime) shortBreaks.onTime += 1;
          }
          continue;
        }
        const code = codes.get(review.heldOn) as ParticipationCode;
        reviewsHeld += 1;
        if (onTime === null) reviewsDueUnknown += 1;
        else {
          reviewsAssessed += 1;
          if (onTime) reviewsOnTime += 1;
        }
        participation[code] += 1;
        if (ageOn(child.dob, review.heldOn) >= 4) {
          viewsOf += 1;
          if (PARTICIPATION[code].viewsConveyed) viewsConveyed += 1;
        }
        const month = months.find((m) => m.first <= review.heldOn && review.heldOn <= m.last);
        if (month) {
          month.held += 1;
          if (onTime !== null) month.assessed += 1;
          if (onTime) month.onTime += 1;
        }
      }
    }
    for (const month of months) {
      if (reviewablePeriodOn(child, month.last)) month.lookedAfter += 1;
    }
    const current = reviewablePeriodOn(child, to);
    if (!current) {
      if (currentPeriod(child.periods, to)?.shortBreak) shortBreaks.children += 1;
      continue;
    }
    childrenLookedAfter += 1;
    const timeliness = childTimeliness(deps.calendar, current, history, from, to);
    if (timeliness.counted) {
      childrenCounted += 1;
      if (timeliness.onTime) childrenOnTime += 1;
    }
    if (timeliness.dueUnknown) childrenDueUnknown += 1;
    const iro = allocatedOn(child, 'iro', to);
    if (iro) perIro.set(iro, (perIro.get(iro) ?? 0) + 1);
    else childrenWithoutIro += 1;
  }

  const iros = staff.filter((s) => s.role === 'iro' || perIro.has(s.email));
  return {
    from,
    to,
    reviewsHeld,
    reviewsAssessed,
    reviewsOnTime,
    timelinessPercent: percent(reviewsOnTime, reviewsAssessed),
    reviewsDueUnknown,
    participation,
    participationPercent: Object.fromEntries(
      PARTICIPATION_CODES.map((c) => [c, percent(participation[c], reviewsHeld)]),
    ) as Record<ParticipationCode, number | null>,
    viewsConveyed: {
      reviews: viewsConveyed,
      of: viewsOf,
      percent: percent(viewsConveyed, viewsOf),
    },
    childrenLookedAfter,
    childTimeliness: {
      childrenCounted,
      childrenOnTime,
      percent: percent(childrenOnTime, childrenCounted),
      childrenDueUnknown,
    },
    shortBreaks: {
      children: shortBreaks.children,
      reviewsHeld: shortBreaks.held,
      reviewsAssessed: shortBreaks.assessed,
      reviewsOnTime: shortBreaks.onTime,
      timelinessPercent: percent(shortBreaks.onTime, shortBreaks.assessed),
      reviewsDueUnknown: shortBreaks.dueUnknown,
    },
    byMonth: months.map((m) => ({
      month: m.first.slice(0, 7),
      childrenLookedAfter: m.lookedAfter,
      reviewsHeld: m.held,
      reviewsAssessed: m.assessed,
      reviewsOnTime: m.onTime,
    })),
    caseload: iros.map((s) => ({
      iro: s.email,
      name: s.name,
      ...caseload(perIro.get(s.email) ?? 0, s.fte),
    })),
    childrenWithoutIro,
  };
}

/** The calendar months that overlap [from, to], each cut to the range. */
function monthsBetween(from: LocalDate, to: LocalDate): { first: LocalDate; last: LocalDate }[] {
  const months: { first: LocalDate; last: LocalDate }[] = [];
  for (let start = monthOf(from).first; start <= to; start = addMonths(start, 1)) {
    const { last } = monthOf(start);
    months.push({ first: start < from ? from : start, last: minDate(last, to) });
  }
  return months;
}
