import type { LocalDate } from './local-date.js';

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

/** A continuous time in care: from the first episode's DECOM to the date the child left care. */
export interface PeriodOfCare {
  start: LocalDate;
  /** The day the child stopped being looked after; null while the period is open. */
  end: LocalDate | null;
  /** Every episode of the period is a short break (LS V3 or V4): outside the review cycle. */
  shortBreak: boolean;
}

export const SHORT_BREAK_LEGAL_STATUSES: readonly string[] = ['V3', 'V4'];
export const STAYS_LOOKED_AFTER_REC = 'X1';

/**
 * Groups a child's episodes into periods of care. A period starts at the first episode, at an
 * episode with RNE = S, or after an episode that ended with a REC other than X1 (the child left
 * care); it ends on the DEC of an episode whose REC is not X1.
 */
export function periodsOfCare(episodes: readonly EpisodeFacts[]): PeriodOfCare[] {
  const sorted = [...episodes].sort((a, b) => (a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : 0));
  const periods: PeriodOfCare[] = [];
  let current: PeriodOfCare | null = null;
  let previousLeftCare = true;
  for (const episode of sorted) {
    const isShortBreak = SHORT_BREAK_LEGAL_STATUSES.includes(episode.ls);
    if (current === null || previousLeftCare || episode.rne === 'S') {
      if (current) periods.push(current);
      current = { start: episode.decom, end: null, shortBreak: isShortBreak };
    }
    current.shortBreak = current.shortBreak && isShortBreak;
    const leftCare =
      episode.dec !== null && episode.rec !== null && episode.rec !== STAYS_LOOKED_AFTER_REC;
    current.end = leftCare ? episode.dec : null;
    previousLeftCare = leftCare;
  }
  if (current) periods.push(current);
  return periods;
}

/** Whether the child is looked after on `date` in this period. */
export function coversDate(period: PeriodOfCare, date: LocalDate): boolean {
  return period.start <= date && (period.end === null || date <= period.end);
}

/** The period of care that holds `date`, if any. */
export function periodOn(
  periods: readonly PeriodOfCare[],
  date: LocalDate,
): PeriodOfCare | undefined {
  return periods.find((p) => coversDate(p, date));
}
