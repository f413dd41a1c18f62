import { readFileSync } from 'node:fs';
import type { ExtractFileName } from '../../src/app/import/extract.js';

/**
 * An independent second implementation of the review rules, written plainly with JavaScript
 * Dates in UTC, for checking the app's answers on generated data. It shares no code with
 * src/domain: only the shipped bank-holiday data file.
 */
const holidays = new Set(
  (
    JSON.parse(
      readFileSync(
        new URL('../../src/domain/bank-holidays-england-wales.json', import.meta.url),
        'utf8',
      ),
    ) as {
      events: { date: string }[];
    }
  ).events.map((e) => e.date),
);

const toUtc = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const fromUk = (uk: string) => {
  const [d, m, y] = uk.split('/');
  return `${y}-${m?.padStart(2, '0')}-${d?.padStart(2, '0')}`;
};

export function oracleAddWorkingDays(start: string, n: number): string {
  const d = toUtc(start);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6 && !holidays.has(iso(d))) left -= 1;
  }
  return iso(d);
}

export function oracleAddMonths(start: string, months: number): string {
  const d = toUtc(start);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return iso(target);
}

interface OraclePeriod {
  start: string;
  end: string | null;
  shortBreak: boolean;
}

export interface OracleChild {
  child: string;
  dob: string;
  periods: OraclePeriod[];
  reviews: { date: string; code: string }[];
  iro: string;
  sw: string;
}

function rows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const columns = (head ?? '').split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

export function oracleChildren(files: Record<ExtractFileName, string>): OracleChild[] {
  const children = new Map<string, OracleChild>();
  for (const h of rows(files['Header.csv'])) {
    children.set(h['CHILD'] as string, {
      child: h['CHILD'] as string,
      dob: fromUk(h['DOB'] as string),
      periods: [],
      reviews: [],
      iro: '',
      sw: '',
    });
  }
  const episodes = rows(files['Episodes.csv']).sort((a, b) =>
    fromUk(a['DECOM'] as string).localeCompare(fromUk(b['DECOM'] as string)),
  );
  const open = new Map<string, { period: OraclePeriod; leftCare: boolean }>();
  for (const e of episodes) {
    const child = children.get(e['CHILD'] as string) as OracleChild;
    const state = open.get(child.child);
    const shortBreak = e['LS'] === 'V3' || e['LS'] === 'V4';
    let period: OraclePeriod;
    if (!state || state.leftCare || e['RNE'] === 'S') {
      period = { start: fromUk(e['DECOM'] as string), end: null, shortBreak };
      child.periods.push(period);
    } else {
      period = state.period;
      period.shortBreak &&= shortBreak;
    }
    const leftCare = e['DEC'] !== '' && e['REC'] !== 'X1';
    period.end = leftCare ? fromUk(e['DEC'] as string) : null;
    open.set(child.child, { period, leftCare });
  }
  for (const r of rows(files['Reviews.csv'])) {
    children
      .get(r['CHILD'] as string)
      ?.reviews.push({ date: fromUk(r['REVIEW'] as string), code: r['REVIEW_CODE'] as string });
  }
  for (const a of rows(files['Allocations.csv'])) {
    const child = children.get(a['CHILD'] as string) as OracleChild;
    child.iro = (a['IRO_EMAIL'] as string).toLowerCase();
    child.sw = (a['SW_EMAIL'] as string).toLowerCase();
  }
  return [...children.values()];
}

function inPeriod(p: OraclePeriod, date: string): boolean {
  return p.start <= date && (p.end === null || date <= p.end);
}

/** Due date of each review in the period, in order, followed by the next (not yet held) one. */
function chain(
  p: OraclePeriod,
  reviews: { date: string }[],
): { due: string; held: string | null }[] {
  const held = reviews
    .map((r) => r.date)
    .filter((d) => inPeriod(p, d))
    .sort();
  const out: { due: string; held: string | null }[] = [];
  for (let i = 0; i <= held.length; i += 1) {
    const due =
      i === 0
        ? oracleAddWorkingDays(p.start, 20)
        : oracleAddMonths(held[i - 1] as string, i === 1 ? 3 : 6);
    out.push({ due, held: held[i] ?? null });
  }
  return out;
}

export function oracleDue(
  children: OracleChild[],
  today: string,
  from: string,
  to: string,
  iro?: string,
) {
  const out: { child: string; dueDate: string; kind: string; iro: string; socialWorker: string }[] =
    [];
  for (const c of children) {
    const p = c.periods.find((x) => inPeriod(x, today));
    if (!p || p.shortBreak) continue;
    if (iro && c.iro !== iro) continue;
    const links = chain(p, c.reviews);
    const next = links[links.length - 1] as { due: string };
    if (next.due < from || next.due > to) continue;
    const n = links.length;
    out.push({
      child: c.child,
      dueDate: next.due,
      kind: n === 1 ? 'first' : n === 2 ? 'second' : 'subsequent',
      iro: c.iro,
      socialWorker: c.sw,
    });
  }
  return out.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.child.localeCompare(b.child));
}

export function oracleStats(children: OracleChild[], from: string, to: string) {
  let reviewsHeld = 0;
  let reviewsOnTime = 0;
  const participation: Record<string, number> = {
    PN0: 0,
    PN1: 0,
    PN2: 0,
    PN3: 0,
    PN4: 0,
    PN5: 0,
    PN6: 0,
    PN7: 0,
  };
  let childrenLookedAfter = 0;
  for (const c of children) {
    for (const p of c.periods) {
      if (p.shortBreak) continue;
      for (const link of chain(p, c.reviews)) {
        if (!link.held || link.held < from || link.held > to) continue;
        reviewsHeld += 1;
        if (link.held <= link.due) reviewsOnTime += 1;
        const code = c.reviews.find((r) => r.date === link.held)?.code as string;
        participation[code] = (participation[code] ?? 0) + 1;
      }
    }
    if (c.periods.some((p) => !p.shortBreak && inPeriod(p, to))) childrenLookedAfter += 1;
  }
  return { reviewsHeld, reviewsOnTime, participation, childrenLookedAfter };
}
