import { addDays, addMonths, type LocalDate } from './local-date.js';

/** One SSDA903 episode, reduced to what the review rules need. */
export interface EpisodeFacts {
  decom: LocalDate;
  dec: LocalDate | null;
  /** RNE: reason for new episode; `S` starts a new period of care. */
  rne: string;
  /** LS: legal status; V3 and V4 are short breaks. */
  ls: string;
  /** REC: reason the episode ceased; `X1` means the child stays looked after. */
  rec: string | null;
}

/**
 * A continuous time under one review cycle: a period of care, or (Regulation 48) a short-break
 * arrangement. A move from short breaks to full-time care starts a new one, because the first
 * review's 20 working days count from that change.
 */
export interface PeriodOfCare {
  /** When the review clock starts: the period's first day, the first short break, or the change to full-time care. */
  start: LocalDate;
  /**
   * False when the earliest episode held does not start the period (its RNE is not `S`): the
   * child was already looked after, since a date nobody has told us. `start` is then the first
   * day we know of.
   */
  startKnown: boolean;
  /**
   * The day the child stopped being looked after; for a short-break arrangement, the day it is
   * taken to end: 6 months after its last break (or the day before full-time care began). Null
   * while open.
   */
  end: LocalDate | null;
  /** Every episode is a short break (LS V3 or V4): reviewed under Regulation 48, outside 903 timeliness. */
  shortBreak: boolean;
}

export const SHORT_BREAK_LEGAL_STATUSES: readonly string[] = ['V3', 'V4'];
export const STAYS_LOOKED_AFTER_REC = 'X1';
/**
 * Short breaks are reviewed at intervals of no more than 6 months, so an arrangement is taken to
 * continue while its breaks are no more than 6 months apart, and for 6 months after the last one.
 */
export const SHORT_BREAK_ARRANGEMENT_MONTHS = 6;

export function isShortBreak(episode: Pick<EpisodeFacts, 'ls'>): boolean {
  return SHORT_BREAK_LEGAL_STATUSES.includes(episode.ls);
}

interface RawPeriod {
  start: LocalDate;
  startKnown: boolean;
  end: LocalDate | null;
  /** Where full-time care began, when the period started with short breaks. */
  fullTimeFrom: LocalDate | null;
  shortBreakOnly: boolean;
}

/**
 * Groups a child's episodes into the periods the review rules work on. A 903 period of care starts
 * at an episode with RNE = S, or after an episode that ended with a REC other than X1 (the child
 * left care); it ends on the DEC of an episode whose REC is not X1. The child's earliest episode
 * starts a period we know the start of only when its RNE is S: a one-year extract's first episode
 * often continues a period that began years earlier. Then, for reviews: a period that began with
 * short breaks and moved to full-time care is split at that move, and short-break periods no more
 * than 6 months apart form one short-break arrangement.
 */
export function periodsOfCare(episodes: readonly EpisodeFacts[]): PeriodOfCare[] {
  const sorted = [...episodes].sort((a, b) => (a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : 0));
  const raw: RawPeriod[] = [];
  let current: RawPeriod | null = null;
  let previousLeftCare = false;
  for (const episode of sorted) {
    const shortBreak = isShortBreak(episode);
    if (current === null || previousLeftCare || episode.rne === 'S') {
      // An RNE S while the last period is still open (the 903 forbids it): that period ends the
      // day before, so that no day, and no review, belongs to two periods.
      if (current !== null && current.end === null) current.end = addDays(episode.decom, -1);
      current = {
        start: episode.decom,
        startKnown: current !== null || episode.rne === 'S',
        end: null,
        fullTimeFrom: null,
        shortBreakOnly: shortBreak,
      };
      raw.push(current);
    } else if (!shortBreak && current.shortBreakOnly) {
      current.fullTimeFrom = episode.decom;
      current.shortBreakOnly = false;
    }
    const leftCare =
      episode.dec !== null && episode.rec !== null && episode.rec !== STAYS_LOOKED_AFTER_REC;
    current.end = leftCare ? episode.dec : null;
    previousLeftCare = leftCare;
  }

  const periods: PeriodOfCare[] = [];
  raw.forEach((p, i) => {
    // A next period that starts with short breaks joins this arrangement (or starts after it).
    const next = raw[i + 1];
    const nextStart = next && !next.shortBreakOnly && next.fullTimeFrom === null ? next.start : null;
    if (p.fullTimeFrom !== null) {
      pushShortBreak(periods, {
        start: p.start,
        startKnown: p.startKnown,
        lastBreakEnd: addDays(p.fullTimeFrom, -1),
        until: addDays(p.fullTimeFrom, -1),
      });
      periods.push({ start: p.fullTimeFrom, startKnown: true, end: p.end, shortBreak: false });
    } else if (p.shortBreakOnly) {
      pushShortBreak(periods, {
        start: p.start,
        startKnown: p.startKnown,
        lastBreakEnd: p.end,
        until: nextStart ? addDays(nextStart, -1) : null,
      });
    } else {
      periods.push({ start: p.start, startKnown: p.startKnown, end: p.end, shortBreak: false });
    }
  });
  return periods;
}

/**
 * Adds a short-break period, joining it to the arrangement before it when that is still
 * running. An arrangement ends 6 months after its last break (never after `until`, the day
 * before the child's next period begins); it is open while a break is.
 */
function pushShortBreak(
  periods: PeriodOfCare[],
  next: {
    start: LocalDate;
    startKnown: boolean;
    lastBreakEnd: LocalDate | null;
    until: LocalDate | null;
  },
): void {
  let end: LocalDate | null = null;
  if (next.lastBreakEnd !== null) {
    const arrangement = addMonths(next.lastBreakEnd, SHORT_BREAK_ARRANGEMENT_MONTHS);
    end = next.until !== null && next.until < arrangement ? next.until : arrangement;
    if (end < next.lastBreakEnd) end = next.lastBreakEnd;
  }
  const last = periods.at(-1);
  if (last?.shortBreak && last.end !== null && next.start <= last.end) {
    last.end = end;
    return;
  }
  periods.push({ start: next.start, startKnown: next.startKnown, end, shortBreak: true });
}

/**
 * Whether the child is in this period on `date`. A period whose start we don't know reaches back
 * before its first known day (only a child's earliest period can be one).
 */
export function coversDate(period: PeriodOfCare, date: LocalDate): boolean {
  return (!period.startKnown || period.start <= date) && (period.end === null || date <= period.end);
}

/** The period that holds `date`, if any (the later one when a short break ends as full-time care starts). */
export function periodOn(
  periods: readonly PeriodOfCare[],
  date: LocalDate,
): PeriodOfCare | undefined {
  return periods.findLast((p) => coversDate(p, date));
}

/** The period whose reviews are due now: the latest one, when it is still current on `today`. */
export function currentPeriod(
  periods: readonly PeriodOfCare[],
  today: LocalDate,
): PeriodOfCare | undefined {
  const latest = periods.at(-1);
  if (!latest || (latest.startKnown && latest.start > today)) return undefined;
  return latest.end === null || latest.end >= today ? latest : undefined;
}
