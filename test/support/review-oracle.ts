import type { ExtractFiles } from '../../src/app/import/extract.js';
import { oracleIsBankHoliday } from './oracle-bank-holidays.js';

/**
 * An independent second implementation of the review rules (/work/notes/rules-spec.md, README
 * "Due dates, one-year extracts and short breaks"), written plainly with JavaScript Dates in UTC,
 * for checking the app's answers on generated data. It shares no code or data with src/domain:
 * its bank holidays come from oracle-bank-holidays.ts.
 */
const toUtc = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (d: Date) => d.toISOString().slice(0, 10);
const fromUk = (uk: string) => {
  const [d, m, y] = uk.split('/');
  return `${y}-${m?.padStart(2, '0')}-${d?.padStart(2, '0')}`;
};
/** Byte order, as the app sorts CHILD ids (not the locale's order). */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function oracleAddWorkingDays(start: string, n: number): string {
  const d = toUtc(start);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6 && !oracleIsBankHoliday(isoOf(d))) left -= 1;
  }
  return isoOf(d);
}

export function oracleAddMonths(start: string, months: number): string {
  const d = toUtc(start);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return isoOf(target);
}

/** 1 April on or before `date`: the first day of its 903 collection year. */
export function oracleYearStart(date: string): string {
  const april = `${date.slice(0, 4)}-04-01`;
  return date >= april ? april : `${Number(date.slice(0, 4)) - 1}-04-01`;
}

export type OracleKind = 'first' | 'second' | 'subsequent' | 'short_breaks';

/** A full-time period of care, or a short-break arrangement (Regulation 48). */
export interface OraclePeriod {
  /** Null when the extract does not reach back to the start (first episode held, RNE not S). */
  start: string | null;
  /** DECOM of the first episode the extract holds for it. */
  firstEpisode: string;
  /**
   * Full-time: the day the child left care (or the day before a new period began); short breaks:
   * 6 months after the last break, or the day before full-time care began. Null: open.
   */
  end: string | null;
  shortBreak: boolean;
}

/** One review of a period (held, or the next one when `held` is null) and its due date. */
export interface OracleLink {
  held: string | null;
  /** Null when it cannot be known (the extract does not reach back to the review before). */
  due: string | null;
  kind: OracleKind | null;
}

export interface OracleChild {
  child: string;
  dob: string;
  periods: OraclePeriod[];
  reviews: { date: string; code: string }[];
  /** LastReviews.csv: the last review held before the extract. */
  lastReview: { date: string; number: number | null } | null;
  /** Every review held on or after this day is in the files; null: every review ever held. */
  knownFrom: string | null;
  iro: string | null;
  sw: string | null;
}

export interface OracleOptions {
  /** K: a date, null (every review ever held), or undefined for the spec's inference. */
  reviewsKnownFrom?: string | null;
  /** Only for the inference when Reviews.csv is empty: 1 April on or before today. */
  today?: string;
  /**
   * The old, wrong reading of a one-year extract (for showing the bug): every period starts at
   * the first episode held, whatever its RNE.
   */
  firstEpisodeStartsCare?: boolean;
}

function rows(text: string | undefined): Record<string, string>[] {
  if (text === undefined) return [];
  const [head, ...lines] = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const columns = (head ?? '').split(',').map((c) => c.trim());
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, (cells[i] ?? '').trim()]));
  });
}

const isShortBreakLs = (ls: string) => ls === 'V3' || ls === 'V4';

interface Episode {
  decom: string;
  dec: string | null;
  rne: string;
  ls: string;
  rec: string;
}

/** The 903 periods of one child's episodes, split and joined for short breaks. */
function periodsOf(episodes: Episode[], firstEpisodeStartsCare: boolean): OraclePeriod[] {
  // 903 periods: a new one at RNE S, or after an episode that ended with the child leaving care.
  const groups: Episode[][] = [];
  episodes.forEach((e, i) => {
    const before = episodes[i - 1];
    const leftCare = before !== undefined && before.dec !== null && before.rec !== 'X1';
    if (i === 0 || e.rne === 'S' || leftCare) groups.push([e]);
    else groups.at(-1)?.push(e);
  });
  const periods: (OraclePeriod & { lastBreakEnd?: string | null })[] = [];
  groups.forEach((group, g) => {
    const first = group[0] as Episode;
    const last = group.at(-1) as Episode;
    const next = groups[g + 1]?.[0];
    const dayBefore = (iso: string) => {
      const d = toUtc(iso);
      d.setUTCDate(d.getUTCDate() - 1);
      return isoOf(d);
    };
    const end =
      last.dec !== null && last.rec !== 'X1'
        ? last.dec
        : next
          ? dayBefore(next.decom) // ended by a new period (RNE S) without leaving care
          : null;
    const start = g > 0 || first.rne === 'S' || firstEpisodeStartsCare ? first.decom : null;
    const fullTime = group.findIndex((e) => !isShortBreakLs(e.ls));
    if (fullTime === -1) {
      periods.push({ start, firstEpisode: first.decom, end, shortBreak: true, lastBreakEnd: end });
    } else if (fullTime === 0) {
      periods.push({ start, firstEpisode: first.decom, end, shortBreak: false });
    } else {
      // Short breaks, then full-time care: split at the first full-time episode; the arrangement
      // ends the day before.
      const change = (group[fullTime] as Episode).decom;
      periods.push({
        start,
        firstEpisode: first.decom,
        end: dayBefore(change),
        shortBreak: true,
        lastBreakEnd: dayBefore(change),
      });
      periods.push({ start: change, firstEpisode: change, end, shortBreak: false });
    }
  });
  // Short-break periods no more than 6 months apart make one arrangement, which runs until 6
  // months after its last break, or the day before a full-time period begins.
  const joined: (OraclePeriod & { lastBreakEnd?: string | null })[] = [];
  for (const p of periods) {
    const before = joined.at(-1);
    if (
      p.shortBreak &&
      before?.shortBreak &&
      before.lastBreakEnd !== null &&
      before.lastBreakEnd !== undefined &&
      p.firstEpisode <= oracleAddMonths(before.lastBreakEnd, 6)
    ) {
      before.lastBreakEnd = p.lastBreakEnd ?? null;
      before.end = p.end;
    } else joined.push({ ...p });
  }
  const dayBefore = (iso: string) => {
    const d = toUtc(iso);
    d.setUTCDate(d.getUTCDate() - 1);
    return isoOf(d);
  };
  return joined.map((p, i) => {
    const { lastBreakEnd, ...period } = p;
    if (!period.shortBreak || lastBreakEnd === null || lastBreakEnd === undefined) return period;
    const next = joined[i + 1];
    const sixMonths = oracleAddMonths(lastBreakEnd, 6);
    const limit = next && !next.shortBreak && next.start !== null ? dayBefore(next.start) : null;
    return { ...period, end: limit !== null && limit < sixMonths ? limit : sixMonths };
  });
}

export function oracleChildren(files: ExtractFiles, options: OracleOptions = {}): OracleChild[] {
  const reviewRows = rows(files['Reviews.csv']);
  let knownFrom: string | null;
  if (options.firstEpisodeStartsCare) knownFrom = null;
  else if (options.reviewsKnownFrom !== undefined) knownFrom = options.reviewsKnownFrom;
  else {
    const dates = reviewRows.map((r) => fromUk(r['REVIEW'] as string)).sort();
    const earliest = dates[0] ?? options.today;
    if (earliest === undefined) throw new Error('oracle: give `today` for an empty Reviews.csv');
    knownFrom = oracleYearStart(earliest);
  }

  const children = new Map<string, OracleChild>();
  for (const h of rows(files['Header.csv'])) {
    const id = h['CHILD'] as string;
    children.set(id, {
      child: id,
      dob: fromUk(h['DOB'] as string),
      periods: [],
      reviews: [],
      lastReview: null,
      knownFrom,
      iro: null,
      sw: null,
    });
  }
  const get = (id: string | undefined) => {
    const c = children.get(id ?? '');
    if (!c) throw new Error(`oracle: ${id} is not in Header.csv`);
    return c;
  };

  const episodes = new Map<string, Episode[]>();
  for (const e of rows(files['Episodes.csv'])) {
    const id = get(e['CHILD']).child;
    const list = episodes.get(id) ?? [];
    list.push({
      decom: fromUk(e['DECOM'] as string),
      dec: e['DEC'] ? fromUk(e['DEC']) : null,
      rne: (e['RNE'] as string).toUpperCase(),
      ls: (e['LS'] as string).toUpperCase(),
      rec: (e['REC'] as string).toUpperCase(),
    });
    episodes.set(id, list);
  }
  for (const [id, list] of episodes) {
    list.sort((a, b) => byBytes(a.decom, b.decom));
    get(id).periods = periodsOf(list, options.firstEpisodeStartsCare ?? false);
  }

  for (const r of reviewRows) {
    get(r['CHILD']).reviews.push({
      date: fromUk(r['REVIEW'] as string),
      code: (r['REVIEW_CODE'] as string).toUpperCase(),
    });
  }
  for (const c of children.values()) c.reviews.sort((a, b) => byBytes(a.date, b.date));

  for (const l of rows(files['LastReviews.csv'])) {
    const number = l['REVIEW_NUMBER'] ? Number(l['REVIEW_NUMBER']) : null;
    get(l['CHILD']).lastReview = { date: fromUk(l['LAST_REVIEW'] as string), number };
  }

  for (const a of rows(files['Allocations.csv'])) {
    const c = get(a['CHILD']);
    c.iro = a['IRO_EMAIL'] ? a['IRO_EMAIL'].toLowerCase() : null;
    c.sw = a['SW_EMAIL'] ? a['SW_EMAIL'].toLowerCase() : null;
  }
  return [...children.values()];
}

function inPeriod(p: OraclePeriod, date: string): boolean {
  return (p.start === null || p.start <= date) && (p.end === null || date <= p.end);
}

/** The period a review belongs to: the latest one that holds its date. */
function periodOfReview(c: OracleChild, date: string): OraclePeriod | undefined {
  return [...c.periods].reverse().find((p) => inPeriod(p, date));
}

/** The first review's due date by the rules for a period whose start is known. */
function firstDue(p: OraclePeriod & { start: string }): string {
  return p.shortBreak ? oracleAddMonths(p.start, 3) : oracleAddWorkingDays(p.start, 20);
}

/**
 * Whether every review of the period is known (spec: "complete"). The spec says K = none makes
 * every period complete; a period whose start is not known still has no first due date to count
 * from, so here it is never complete (the spec is silent on that case: see the oracle's report).
 */
export function oracleComplete(
  c: OracleChild,
  p: OraclePeriod,
): p is OraclePeriod & {
  start: string;
} {
  if (p.start === null) return false;
  return c.knownFrom === null || firstDue({ ...p, start: p.start }) >= c.knownFrom;
}

/**
 * Each review held in the period (up to `until`), in order, with its due date, followed by the
 * next review (held: null).
 */
export function oracleChain(c: OracleChild, p: OraclePeriod, until = '9999-12-31'): OracleLink[] {
  const held = c.reviews.map((r) => r.date).filter((d) => d <= until && periodOfReview(c, d) === p);
  const kindOf = (n: number | null): OracleKind =>
    p.shortBreak ? 'short_breaks' : n === 1 ? 'first' : n === 2 ? 'second' : 'subsequent';
  /** Months from a review (its number in the period, null when unknown) to the next one. */
  const gap = (n: number | null) => (!p.shortBreak && n === 1 ? 3 : 6);
  const links: OracleLink[] = [];

  const supplied = c.lastReview;
  if (
    supplied &&
    supplied.date <= until &&
    inPeriod(p, supplied.date) &&
    (held.length === 0 || supplied.date < (held[0] as string))
  ) {
    // The council's last review before the extract counts whenever it falls in the period
    // before every review held; a blank number in a complete period makes it the first.
    let previous = supplied.date;
    let number = supplied.number ?? (oracleComplete(c, p) ? 1 : null);
    for (let i = 0; i <= held.length; i += 1) {
      const next = number === null ? null : number + 1;
      links.push({
        held: held[i] ?? null,
        due: oracleAddMonths(previous, gap(number)),
        kind: kindOf(next),
      });
      previous = held[i] as string;
      number = next;
    }
    return links;
  }

  if (oracleComplete(c, p)) {
    for (let i = 0; i <= held.length; i += 1) {
      const due = i === 0 ? firstDue(p) : oracleAddMonths(held[i - 1] as string, gap(i));
      links.push({ held: held[i] ?? null, due, kind: kindOf(i + 1) });
    }
    return links;
  }

  if (c.knownFrom === null) {
    // Every review ever held is known, but not when the period began: the reviews are numbered
    // from the first, whose due date nobody can tell.
    for (let i = 0; i <= held.length; i += 1) {
      links.push({
        held: held[i] ?? null,
        due: i === 0 ? null : oracleAddMonths(held[i - 1] as string, gap(i)),
        kind: i === 0 && held.length === 0 ? null : kindOf(i + 1),
      });
    }
    return links;
  }

  // The first review in hand is a second or later one, due on a day nobody can tell.
  held.forEach((date, i) => {
    links.push({
      held: date,
      due: i === 0 ? null : oracleAddMonths(held[i - 1] as string, 6),
      kind: kindOf(null),
    });
  });
  const last = held.at(-1);
  links.push({
    held: null,
    due: last === undefined ? null : oracleAddMonths(last, 6),
    kind: last === undefined ? null : kindOf(null),
  });
  return links;
}

/** Whether the period is current on `date` (a short-break arrangement's end already runs 6 months past its last break). */
function currentOn(p: OraclePeriod, date: string): boolean {
  if (p.start !== null && date < p.start) return false;
  return p.end === null || date <= p.end;
}

export interface OracleDueItem {
  child: string;
  dueDate: string | null;
  kind: OracleKind | null;
  iro: string | null;
  socialWorker: string | null;
}

/**
 * The children whose latest period is current today and whose next review is due in [from, to],
 * by due date then CHILD; then those whose next due date cannot be known, by CHILD.
 */
export function oracleDue(
  children: OracleChild[],
  today: string,
  from: string,
  to: string,
  iro?: string,
): OracleDueItem[] {
  const known: OracleDueItem[] = [];
  const unknown: OracleDueItem[] = [];
  for (const c of children) {
    const p = c.periods.at(-1);
    if (!p || !currentOn(p, today)) continue;
    if (iro !== undefined && c.iro !== iro.toLowerCase()) continue;
    const next = oracleChain(c, p).at(-1) as OracleLink;
    const item = {
      child: c.child,
      dueDate: next.due,
      kind: next.kind,
      iro: c.iro,
      socialWorker: c.sw,
    };
    if (next.due === null) unknown.push(item);
    else if (from <= next.due && next.due <= to) known.push(item);
  }
  known.sort(
    (a, b) => byBytes(a.dueDate as string, b.dueDate as string) || byBytes(a.child, b.child),
  );
  unknown.sort((a, b) => byBytes(a.child, b.child));
  return [...known, ...unknown];
}

/** The full-time period the child is in on `date`. */
function fullTimeOn(c: OracleChild, date: string): OraclePeriod | undefined {
  return [...c.periods].reverse().find((p) => !p.shortBreak && inPeriod(p, date));
}

export interface OracleStats {
  reviewsHeld: number;
  reviewsAssessed: number;
  reviewsOnTime: number;
  reviewsDueUnknown: number;
  participation: Record<string, number>;
  childrenLookedAfter: number;
  childTimeliness: { childrenCounted: number; childrenOnTime: number; childrenDueUnknown: number };
  shortBreaks: {
    reviewsHeld: number;
    reviewsAssessed: number;
    reviewsOnTime: number;
    reviewsDueUnknown: number;
  };
}

export function oracleStats(children: OracleChild[], from: string, to: string): OracleStats {
  const s: OracleStats = {
    reviewsHeld: 0,
    reviewsAssessed: 0,
    reviewsOnTime: 0,
    reviewsDueUnknown: 0,
    participation: { PN0: 0, PN1: 0, PN2: 0, PN3: 0, PN4: 0, PN5: 0, PN6: 0, PN7: 0 },
    childrenLookedAfter: 0,
    childTimeliness: { childrenCounted: 0, childrenOnTime: 0, childrenDueUnknown: 0 },
    shortBreaks: { reviewsHeld: 0, reviewsAssessed: 0, reviewsOnTime: 0, reviewsDueUnknown: 0 },
  };
  for (const c of children) {
    for (const p of c.periods) {
      for (const link of oracleChain(c, p)) {
        if (link.held === null || link.held < from || link.held > to) continue;
        const figures = p.shortBreak ? s.shortBreaks : s;
        figures.reviewsHeld += 1;
        if (link.due === null) figures.reviewsDueUnknown += 1;
        else {
          figures.reviewsAssessed += 1;
          if (link.held <= link.due) figures.reviewsOnTime += 1;
        }
        if (!p.shortBreak) {
          const code = c.reviews.find((r) => r.date === link.held)?.code as string;
          s.participation[code] = (s.participation[code] ?? 0) + 1;
        }
      }
    }

    // NI 66: looked after full-time on `to`, for at least 20 working days.
    const current = fullTimeOn(c, to);
    if (!current) continue;
    s.childrenLookedAfter += 1;
    if (current.start !== null && oracleAddWorkingDays(current.start, 20) > to) continue;
    const links = oracleChain(c, current, to);
    // Late: a review due in the range held after its due date, one overdue since before the
    // range and held late inside it, or one due by `to` and not held at all.
    const late = links.some((l) => {
      if (l.due === null) return false;
      if (l.held === null) return l.due <= to;
      if (l.held <= l.due) return false;
      return (from <= l.due && l.due <= to) || (l.due < from && l.held >= from);
    });
    const unknown =
      (links.at(-1) as OracleLink).due === null ||
      links.some((l) => l.held !== null && l.held >= from && l.due === null);
    if (late) s.childTimeliness.childrenCounted += 1;
    else if (unknown) s.childTimeliness.childrenDueUnknown += 1;
    else {
      s.childTimeliness.childrenCounted += 1;
      s.childTimeliness.childrenOnTime += 1;
    }
  }
  return s;
}
