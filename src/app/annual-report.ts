import { LATE_REASONS, type LateReason } from '../domain/late-reasons.js';
import { caseload, type CaseloadBand, type IroCaseload } from '../domain/caseload.js';
import {
  AGE_BANDS,
  ageBandOn,
  ETHNIC_GROUPS,
  ethnicGroupOf,
  SEXES,
  type AgeBand,
  type EthnicGroup,
  type Sex,
} from '../domain/child-profile.js';
import {
  ageOn,
  addDays,
  addMonths,
  monthOf,
  minDate,
  type LocalDate,
} from '../domain/local-date.js';
import {
  PARTICIPATION,
  PARTICIPATION_CODES,
  type ParticipationCode,
} from '../domain/participation.js';
import { currentPeriod } from '../domain/periods-of-care.js';
import { reviewChain, type ReviewKind } from '../domain/review-schedule.js';
import { childTimeliness, percent } from '../domain/timeliness.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { allocationOn, historyOf, reviewablePeriodOn } from './case-view.js';
import type {
  CaseReader,
  CaseloadSums,
  ChildrenViewsTotal,
  RecordedReviewFacts,
  ReportedParticipant,
} from './ports.js';
import { FIRST_REVIEW_WORKING_DAYS } from '../domain/review-schedule.js';

export interface CaseloadLine {
  iro: string;
  name: string;
  /**
   * Children allocated to the IRO on `to` whose IRO that day is known; null (with `perFte` and
   * `band`) when no child's IRO on `to` is known (a date before allocations were held).
   */
  children: number | null;
  /** As in today's Staff.csv: FTE has no history. */
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

/** Children looked after (short breaks apart) over the range. */
export interface LookedAfterFlow {
  /** Children looked after on `from`. */
  atStart: number;
  /** Children looked after on `to` (the same as `childrenLookedAfter`). */
  atEnd: number;
  /**
   * Periods of care that began in the range, the first and last days included; a move from short
   * breaks to full-time care starts one. A period whose start is not known (it began before the
   * extract) is not counted.
   */
  started: number;
  /** Periods of care that ended in the range, the first and last days included. */
  ended: number;
}

/** Children looked after on `to` (short breaks apart), by the DfE's age bands, SEX and ETHNIC group. */
export interface ChildProfile {
  /** Age on `to`. */
  ageBands: Record<AgeBand, number>;
  /** 903 SEX; `U` also counts a child whose header gave none. */
  sex: Record<Sex, number>;
  ethnicity: Record<EthnicGroup, number>;
}

/** Reviews held in the range of one kind whose due date is known, and how many were on time. */
export interface KindTimeliness {
  reviewsAssessed: number;
  reviewsOnTime: number;
  timelinessPercent: number | null;
}

/** The reported participants, keyed as the tab's API keys them. */
export const ATTENDANCE_KEYS = ['child', 'mother', 'father', 'otherFamily', 'carer'] as const;
export type AttendanceKey = (typeof ATTENDANCE_KEYS)[number];

const PARTICIPANT_KEY: Record<ReportedParticipant, AttendanceKey> = {
  child: 'child',
  mother: 'mother',
  father: 'father',
  other_family: 'otherFamily',
  carer: 'carer',
};

/**
 * What the chairs recorded in the app about reviews held in the range (short breaks apart).
 * Imported reviews carry none of it: each count is "of `recorded`" (attendance: "of
 * `attendanceRecorded`").
 */
export interface RecordedReviewFigures {
  /** Reviews held in the range that were recorded in the app. */
  recorded: number;
  /** Of them, those with attendance recorded. */
  attendanceRecorded: number;
  /** Reviews where each attended, in person or online. */
  attended: Record<AttendanceKey, number>;
  /** Of the reviews with attendance recorded. */
  attendedPercent: Record<AttendanceKey, number | null>;
  childChaired: number;
  childChairedPercent: number | null;
  advocacyOffered: number;
  advocacyOfferedPercent: number | null;
  consultationReturned: number;
  consultationReturnedPercent: number | null;
  /**
   * Reviews recorded in the app that were held after their due date, by the reason the chair
   * gave (`notGiven`: recorded before the form asked, or the due date was learnt later).
   */
  late: number;
  lateReasons: Record<LateReason | 'notGiven', number>;
}

/** Reviews held by a group's children (short breaks apart), and how many were on time. */
export interface GroupTimeliness {
  reviewsHeld: number;
  reviewsAssessed: number;
  reviewsOnTime: number;
}

/** The figures of the IRO annual report, for reviews held in [from, to]. */
export interface AnnualReportFigures {
  from: LocalDate;
  to: LocalDate;
  /** When groups were asked for: each group's reviews (groups with none held are absent). */
  byGroup?: Record<string, GroupTimeliness>;
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
  /**
   * DOMAIN.md's participation measure: children with a review held in the range while aged 4 or
   * over (`of`), and those of them who communicated their views (PN1 to PN6) at every such review.
   */
  viewsCommunicated: { children: number; of: number; percent: number | null };
  /**
   * The stricter count beside it: reviews of children aged 4 or over (`of`) where the child's
   * view was conveyed (PN1 to PN3, PN5, PN6: not PN4, attended without conveying a view).
   */
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
  /**
   * Children looked after on `to` whose IRO that day is not known: their first known IRO
   * allocation began later (allocations are known from the day they were first imported). They
   * are credited to no IRO; `caseloadTotal` counts them.
   */
  childrenIroNotKnown: number;
  /** The first day from which those children's IRO allocations are held; null when none. */
  iroKnownFrom: LocalDate | null;
  /**
   * Every IRO of `caseload` together: the children allocated to an IRO on `to` (whether or not
   * which IRO is known), the IROs' FTE as in today's Staff.csv, children per FTE.
   */
  caseloadTotal: IroCaseload;
  lookedAfter: LookedAfterFlow;
  profile: ChildProfile;
  /**
   * Timeliness of reviews held in the range by kind (first, second, subsequent; short breaks
   * as in `shortBreaks`). Reviews whose due date cannot be known have no kind either: they are in
   * `reviewsDueUnknown`.
   */
  timelinessByKind: Record<ReviewKind, KindTimeliness>;
  recordedReviews: RecordedReviewFigures;
}

const REVIEW_KINDS: readonly ReviewKind[] = ['first', 'second', 'subsequent', 'short_breaks'];

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export async function annualReportFigures(
  deps: { cases: CaseReader; calendar: WorkingCalendar },
  range: { from: LocalDate; to: LocalDate },
  scope: {
    childIds?: readonly string[];
    /** Also count reviews held, and on time, per group of children (a child's IRO, say). */
    groups?: ReadonlyMap<string, string>;
    /** With `childIds`: the IROs listed under Caseloads even with none of those children. */
    iroEmails?: readonly string[];
  } = {},
): Promise<AnnualReportFigures> {
  const { from, to } = range;
  const byGroup: Record<string, GroupTimeliness> = {};
  const [cases, staff, recordedFacts] = await Promise.all([
    deps.cases.listCases({
      inCareBetween: { from, to },
      ...(scope.childIds ? { childIds: scope.childIds } : {}),
    }),
    deps.cases.listStaff(),
    deps.cases.listRecordedReviewFacts(from, to, scope.childIds),
  ]);
  const recordedByReview = new Map<string, RecordedReviewFacts>(
    recordedFacts.map((r) => [`${r.childId}\u0000${r.heldOn}`, r]),
  );
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
  const childrenViews: ChildrenViewsTotal = { agedFourOrOver: 0, communicated: 0 };
  let childrenLookedAfter = 0;
  let childrenCounted = 0;
  let childrenOnTime = 0;
  let childrenDueUnknown = 0;
  let childrenWithoutIro = 0;
  let childrenIroNotKnown = 0;
  let iroKnownFrom: LocalDate | null = null;
  const shortBreaks = { children: 0, held: 0, assessed: 0, onTime: 0, dueUnknown: 0 };
  const perIro = new Map<string, number>();
  const lookedAfter: LookedAfterFlow = { atStart: 0, atEnd: 0, started: 0, ended: 0 };
  const profile: ChildProfile = {
    ageBands: zeros(AGE_BANDS),
    sex: zeros(SEXES),
    ethnicity: zeros(ETHNIC_GROUPS),
  };
  const byKind = Object.fromEntries(
    REVIEW_KINDS.map((k) => [k, { assessed: 0, onTime: 0 }]),
  ) as Record<ReviewKind, { assessed: number; onTime: number }>;
  const recorded = {
    reviews: 0,
    attendanceRecorded: 0,
    attended: zeros(ATTENDANCE_KEYS),
    childChaired: 0,
    advocacyOffered: 0,
    consultationReturned: 0,
    late: 0,
    lateReasons: zeros([...LATE_REASONS, 'notGiven'] as const),
  };

  for (const child of cases) {
    const codes = new Map(child.reviews.map((r) => [r.heldOn, r.reviewCode]));
    const history = historyOf(child);
    let agedFour = 0;
    let communicated = 0;
    for (const period of child.periods) {
      if (!period.shortBreak) {
        if (period.startKnown && from <= period.start && period.start <= to)
          lookedAfter.started += 1;
        if (period.end !== null && from <= period.end && period.end <= to) lookedAfter.ended += 1;
      }
      const chain = reviewChain(deps.calendar, period, history);
      for (const review of chain.reviews) {
        if (review.supplied || review.heldOn < from || review.heldOn > to) continue;
        const onTime = review.due ? review.heldOn <= review.due.dueDate : null;
        if (review.due) {
          byKind[review.due.kind].assessed += 1;
          if (onTime) byKind[review.due.kind].onTime += 1;
        }
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
        const group = scope.groups?.get(child.childId);
        if (group !== undefined) {
          const g = (byGroup[group] ??= { reviewsHeld: 0, reviewsAssessed: 0, reviewsOnTime: 0 });
          g.reviewsHeld += 1;
          if (onTime !== null) g.reviewsAssessed += 1;
          if (onTime) g.reviewsOnTime += 1;
        }
        participation[code] += 1;
        if (ageOn(child.dob, review.heldOn) >= 4) {
          viewsOf += 1;
          agedFour += 1;
          if (PARTICIPATION[code].viewsConveyed) viewsConveyed += 1;
          if (PARTICIPATION[code].viewsCommunicated) communicated += 1;
        }
        const facts = recordedByReview.get(`${child.childId}\u0000${review.heldOn}`);
        if (facts) {
          recorded.reviews += 1;
          if (facts.attendanceRecorded) recorded.attendanceRecorded += 1;
          for (const participant of facts.attended)
            recorded.attended[PARTICIPANT_KEY[participant]] += 1;
          if (facts.childChaired) recorded.childChaired += 1;
          if (facts.advocacyOffered) recorded.advocacyOffered += 1;
          if (facts.consultationReturned) recorded.consultationReturned += 1;
          if (onTime === false) {
            recorded.late += 1;
            recorded.lateReasons[facts.lateReason ?? 'notGiven'] += 1;
          }
        }
        const month = months.find((m) => m.first <= review.heldOn && review.heldOn <= m.last);
        if (month) {
          month.held += 1;
          if (onTime !== null) month.assessed += 1;
          if (onTime) month.onTime += 1;
        }
      }
    }
    if (agedFour > 0) {
      childrenViews.agedFourOrOver += 1;
      if (communicated === agedFour) childrenViews.communicated += 1;
    }
    for (const month of months) {
      if (reviewablePeriodOn(child, month.last)) month.lookedAfter += 1;
    }
    if (reviewablePeriodOn(child, from)) lookedAfter.atStart += 1;
    const current = reviewablePeriodOn(child, to);
    if (!current) {
      if (currentPeriod(child.periods, to)?.shortBreak) shortBreaks.children += 1;
      continue;
    }
    childrenLookedAfter += 1;
    profile.ageBands[ageBandOn(child.dob, to)] += 1;
    profile.sex[child.sex ?? 'U'] += 1;
    profile.ethnicity[ethnicGroupOf(child.ethnic)] += 1;
    const timeliness = childTimeliness(deps.calendar, current, history, from, to);
    if (timeliness.counted) {
      childrenCounted += 1;
      if (timeliness.onTime) childrenOnTime += 1;
    }
    if (timeliness.dueUnknown) childrenDueUnknown += 1;
    const iro = allocationOn(child, 'iro', to);
    if (!iro.known) {
      childrenIroNotKnown += 1;
      if (iroKnownFrom === null || iro.knownFrom < iroKnownFrom) iroKnownFrom = iro.knownFrom;
    } else if (iro.staffEmail) perIro.set(iro.staffEmail, (perIro.get(iro.staffEmail) ?? 0) + 1);
    else childrenWithoutIro += 1;
  }

  // A report on some children lists the IROs in scope and those who chair any of the children;
  // one on the whole service, every IRO.
  const listed = scope.childIds ? new Set(scope.iroEmails ?? []) : undefined;
  const iros = staff.filter((s) =>
    listed ? listed.has(s.email) || perIro.has(s.email) : s.role === 'iro' || perIro.has(s.email),
  );
  // Before allocations were held, no IRO's caseload on `to` is known: each line says so rather
  // than show the children of today's IRO (or none) as a fact of that day.
  const perIroKnown = perIro.size > 0 || childrenIroNotKnown === 0;
  const caseloadLines: CaseloadLine[] = iros.map((s) => ({
    iro: s.email,
    name: s.name,
    ...(perIroKnown
      ? caseload(perIro.get(s.email) ?? 0, s.fte)
      : { children: null, fte: s.fte, perFte: null, band: null }),
  }));
  const ofRecorded = (n: number) => percent(n, recorded.reviews);
  return {
    from,
    to,
    ...(scope.groups ? { byGroup } : {}),
    ...heldFigures({
      reviewsHeld,
      reviewsAssessed,
      reviewsOnTime,
      reviewsDueUnknown,
      participation,
      viewsConveyed,
      viewsOf,
      childrenViews,
    }),
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
    caseload: caseloadLines,
    childrenWithoutIro,
    childrenIroNotKnown,
    iroKnownFrom,
    caseloadTotal: caseload(
      caseloadLines.reduce((sum, c) => sum + (c.children ?? 0), 0) + childrenIroNotKnown,
      // FTE as Staff.csv gives them (0.6, 0.8), summed in ten-thousandths so 0.1 + 0.2 is 0.3.
      caseloadLines.reduce((sum, c) => sum + Math.round(c.fte * 10000), 0) / 10000,
    ),
    lookedAfter: { ...lookedAfter, atEnd: childrenLookedAfter },
    profile,
    timelinessByKind: Object.fromEntries(
      REVIEW_KINDS.map((k) => [
        k,
        {
          reviewsAssessed: byKind[k].assessed,
          reviewsOnTime: byKind[k].onTime,
          timelinessPercent: percent(byKind[k].onTime, byKind[k].assessed),
        },
      ]),
    ) as Record<ReviewKind, KindTimeliness>,
    recordedReviews: {
      recorded: recorded.reviews,
      attendanceRecorded: recorded.attendanceRecorded,
      attended: recorded.attended,
      attendedPercent: Object.fromEntries(
        ATTENDANCE_KEYS.map((k) => [k, percent(recorded.attended[k], recorded.attendanceRecorded)]),
      ) as Record<AttendanceKey, number | null>,
      childChaired: recorded.childChaired,
      childChairedPercent: ofRecorded(recorded.childChaired),
      advocacyOffered: recorded.advocacyOffered,
      advocacyOfferedPercent: ofRecorded(recorded.advocacyOffered),
      consultationReturned: recorded.consultationReturned,
      consultationReturnedPercent: ofRecorded(recorded.consultationReturned),
      late: recorded.late,
      lateReasons: recorded.lateReasons,
    },
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

/** The figures a question or a caseload summary shows: reviews held, timeliness, participation. */
export type HeldReviewFigures = HeldFigures &
  Pick<AnnualReportFigures, 'childTimeliness'> & {
    shortBreaks: Pick<ShortBreakFigures, 'reviewsHeld' | 'reviewsAssessed' | 'reviewsOnTime'>;
  };

/**
 * The same figures as `annualReportFigures` gives for these children, summed in the store from
 * each review's stored due date and lateness (one grouped query and one row per child) instead
 * of loading every review and walking each child's chain. Undefined when the store cannot sum
 * them, or when a child's current period is not the one whose next due date the store keeps
 * (then the caller computes them the long way).
 */
export async function summarisedFigures(
  deps: { cases: CaseReader; calendar: WorkingCalendar },
  range: { from: LocalDate; to: LocalDate },
  childIds: readonly string[],
): Promise<HeldReviewFigures | undefined> {
  if (!deps.cases.summariseHeldReviews) return undefined;
  const { to } = range;
  const { totals, covering, children } = await deps.cases.summariseHeldReviews(range, childIds);
  const participation = zeros(PARTICIPATION_CODES);
  let reviewsHeld = 0;
  let reviewsAssessed = 0;
  let reviewsOnTime = 0;
  let viewsOf = 0;
  let viewsConveyed = 0;
  const shortBreaks = { reviewsHeld: 0, reviewsAssessed: 0, reviewsOnTime: 0 };
  for (const t of totals) {
    if (t.shortBreak) {
      shortBreaks.reviewsHeld += t.held;
      shortBreaks.reviewsAssessed += t.assessed;
      shortBreaks.reviewsOnTime += t.onTime;
      continue;
    }
    reviewsHeld += t.held;
    reviewsAssessed += t.assessed;
    reviewsOnTime += t.onTime;
    participation[t.reviewCode] += t.held;
    viewsOf += t.agedFourOrOver;
    if (PARTICIPATION[t.reviewCode].viewsConveyed) viewsConveyed += t.agedFourOrOver;
  }
  // Each child's period on `to`: the last one that covers it (as periodOn finds it).
  const current = new Map(covering.map((c) => [c.childId, c]));
  let childrenCounted = 0;
  let childrenOnTime = 0;
  let childrenDueUnknown = 0;
  for (const c of current.values()) {
    if (c.shortBreak) continue;
    if (c.statusPeriodStart !== c.start || c.heldAfter > 0) return undefined;
    const eligible =
      !c.startKnown || deps.calendar.addWorkingDays(c.start, FIRST_REVIEW_WORKING_DAYS) <= to;
    let unknown = c.dueUnknownInRange;
    let reviewsLate = c.reviewsLate;
    if (c.nextDueOn === null) unknown = true;
    else if (c.nextDueOn <= to) reviewsLate += 1;
    const dueUnknown = unknown && reviewsLate === 0;
    if (eligible && !dueUnknown) {
      childrenCounted += 1;
      if (reviewsLate === 0 && !unknown) childrenOnTime += 1;
    }
    if (eligible && dueUnknown) childrenDueUnknown += 1;
  }
  return {
    ...heldFigures({
      reviewsHeld,
      reviewsAssessed,
      reviewsOnTime,
      reviewsDueUnknown: reviewsHeld - reviewsAssessed,
      participation,
      viewsConveyed,
      viewsOf,
      childrenViews: children,
    }),
    childTimeliness: {
      childrenCounted,
      childrenOnTime,
      percent: percent(childrenOnTime, childrenCounted),
      childrenDueUnknown,
    },
    shortBreaks,
  };
}

/**
 * The same figures over the reporting year to today, from a caseload summary's sums (each
 * child's status row keeps its part: see `summariseCaseload`).
 */
export function caseloadYearFigures(sums: readonly CaseloadSums[]): HeldReviewFigures {
  const total = (read: (s: CaseloadSums) => number) => sums.reduce((n, s) => n + read(s), 0);
  const participation = Object.fromEntries(
    PARTICIPATION_CODES.map((c, i) => [c, total((s) => s.participation[i] ?? 0)]),
  ) as Record<ParticipationCode, number>;
  const reviewsHeld = total((s) => s.held);
  const reviewsAssessed = total((s) => s.assessed);
  const childrenCounted = total((s) => s.childrenCounted);
  const childrenOnTime = total((s) => s.childrenOnTime);
  return {
    ...heldFigures({
      reviewsHeld,
      reviewsAssessed,
      reviewsOnTime: total((s) => s.onTime),
      reviewsDueUnknown: reviewsHeld - reviewsAssessed,
      participation,
      viewsConveyed: total((s) => s.viewsConveyed),
      viewsOf: total((s) => s.agedFourOrOver),
      childrenViews: {
        agedFourOrOver: total((s) => s.childrenAgedFourOrOver),
        communicated: total((s) => s.childrenCommunicated),
      },
    }),
    childTimeliness: {
      childrenCounted,
      childrenOnTime,
      percent: percent(childrenOnTime, childrenCounted),
      childrenDueUnknown: total((s) => s.childrenDueUnknown),
    },
    shortBreaks: {
      reviewsHeld: total((s) => s.shortBreakHeld),
      reviewsAssessed: total((s) => s.shortBreakAssessed),
      reviewsOnTime: total((s) => s.shortBreakOnTime),
    },
  };
}

/**
 * The latest day a period may start and still have its first review due by `today` (20 working
 * days on): the children's timeliness counts only those children.
 */
export function latestEligibleStart(calendar: WorkingCalendar, today: LocalDate): LocalDate {
  let start = addDays(today, -3 * FIRST_REVIEW_WORKING_DAYS);
  while (calendar.addWorkingDays(addDays(start, 1), FIRST_REVIEW_WORKING_DAYS) <= today)
    start = addDays(start, 1);
  return start;
}

/** Reviews held, their timeliness and participation, with the percentages the report shows. */
type HeldFigures = Pick<
  AnnualReportFigures,
  | 'reviewsHeld'
  | 'reviewsAssessed'
  | 'reviewsOnTime'
  | 'timelinessPercent'
  | 'reviewsDueUnknown'
  | 'participation'
  | 'participationPercent'
  | 'viewsCommunicated'
  | 'viewsConveyed'
>;

function heldFigures(counts: {
  reviewsHeld: number;
  reviewsAssessed: number;
  reviewsOnTime: number;
  reviewsDueUnknown: number;
  participation: Record<ParticipationCode, number>;
  viewsConveyed: number;
  viewsOf: number;
  childrenViews: ChildrenViewsTotal;
}): HeldFigures {
  const { reviewsHeld, reviewsAssessed, reviewsOnTime, participation } = counts;
  return {
    reviewsHeld,
    reviewsAssessed,
    reviewsOnTime,
    timelinessPercent: percent(reviewsOnTime, reviewsAssessed),
    reviewsDueUnknown: counts.reviewsDueUnknown,
    participation,
    participationPercent: Object.fromEntries(
      PARTICIPATION_CODES.map((c) => [c, percent(participation[c], reviewsHeld)]),
    ) as Record<ParticipationCode, number | null>,
    viewsCommunicated: {
      children: counts.childrenViews.communicated,
      of: counts.childrenViews.agedFourOrOver,
      percent: percent(counts.childrenViews.communicated, counts.childrenViews.agedFourOrOver),
    },
    viewsConveyed: {
      reviews: counts.viewsConveyed,
      of: counts.viewsOf,
      percent: percent(counts.viewsConveyed, counts.viewsOf),
    },
  };
}
