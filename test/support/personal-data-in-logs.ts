import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { parseIsoDate, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { LOG_FILE_PREFIX, WATCHED_FILE_PREFIX, type Watched } from './test-log.js';

/** Where a watched value was found: never the value. */
export interface Finding {
  file: string;
  /** Byte offset of the line in the file. */
  offset: number;
  /** The line's `msg`, or what the line is when it is not a JSON log line. */
  msg: string;
  kind: Watched['kind'];
}

export interface LogCheck {
  findings: Finding[];
  files: number;
  lines: number;
  watched: number;
}

/** Names shorter than this are skipped: they match too much (no demo name is that short). */
const SHORTEST_NAME = 3;

/**
 * Reads every log in a run's log folder and finds the demo children's names (first and last,
 * as whole words) and dates of birth (dd/mm/yyyy and yyyy-mm-dd), and every value the test
 * servers' stores held that must stay out of logs (names, dates of birth, decision free text).
 */
export function findPersonalData(dir: string): LogCheck {
  const entries = readdirSync(dir);
  const watched: Watched[] = [];
  for (const file of entries.filter((f) => f.startsWith(WATCHED_FILE_PREFIX))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line) watched.push(JSON.parse(line) as Watched);
    }
  }
  const demoDays = new Set<LocalDate>([todayIn('Europe/London', new Date())]);
  for (const w of watched) {
    const day = w.kind === 'demo council of' ? parseIsoDate(w.value) : undefined;
    if (day) demoDays.add(day);
  }
  for (const day of demoDays) watched.push(...demoCouncilValues(day));

  const names = new Set<string>();
  const dates = new Set<string>();
  const texts = new Set<string>();
  for (const w of watched) {
    if (w.kind === 'name' && w.value.length >= SHORTEST_NAME) names.add(w.value);
    else if (w.kind === 'date of birth') dates.add(w.value);
    else if (w.kind === 'free text') {
      texts.add(w.value);
      texts.add(JSON.stringify(w.value).slice(1, -1));
    }
  }
  const alternation = (values: Set<string>) =>
    [...values]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|');
  const namePattern =
    names.size > 0
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation(names)})(?![\\p{L}\\p{N}])`, 'gu')
      : undefined;
  const textPattern = texts.size > 0 ? new RegExp(alternation(texts), 'g') : undefined;
  const datePattern = /(?<!\d)(?:\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})(?!\d)/g;
  const redact = (text: string) => {
    let out = text;
    for (const p of [namePattern, textPattern]) if (p) out = out.replace(p, '…');
    return out.replace(datePattern, (d) => (dates.has(d) ? '…' : d));
  };
  const kindIn = (line: string): Watched['kind'] | undefined => {
    if (namePattern && line.search(namePattern) >= 0) return 'name';
    for (const d of line.match(datePattern) ?? []) if (dates.has(d)) return 'date of birth';
    if (textPattern && line.search(textPattern) >= 0) return 'free text';
    return undefined;
  };

  const result: LogCheck = {
    findings: [],
    files: 0,
    lines: 0,
    watched: names.size + dates.size + texts.size,
  };
  for (const file of entries.filter((f) => f.startsWith(LOG_FILE_PREFIX)).sort()) {
    result.files += 1;
    let offset = 0;
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line) {
        result.lines += 1;
        const kind = kindIn(line);
        if (kind) result.findings.push({ file, offset, msg: redact(messageOf(line)), kind });
      }
      offset += Buffer.byteLength(line) + 1;
    }
  }
  return result;
}

/** The demo council's children's names and dates of birth, as seeded on `today`. */
function demoCouncilValues(today: LocalDate): Watched[] {
  const files = demoCouncilExtract({
    today,
    calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
  });
  const rows = (csv: string) =>
    csv
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
  const out: Watched[] = [];
  for (const [, , , first, last] of rows(files['Allocations.csv'])) {
    for (const name of [first, last]) if (name) out.push({ kind: 'name', value: name });
  }
  for (const [, , dob] of rows(files['Header.csv'])) {
    const [d, m, y] = (dob ?? '').split('/');
    if (!d || !m || !y) continue;
    out.push({ kind: 'date of birth', value: dob as string });
    out.push({ kind: 'date of birth', value: `${y}-${m}-${d}` });
  }
  return out;
}

function messageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : '(a JSON log line without msg)';
  } catch {
    return '(a line that is not a JSON log line)';
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The report of a failed check: where, and what kind of value, never the value. */
export function describeFindings(check: LogCheck, dir: string): string {
  const shown = check.findings
    .slice(0, 50)
    .map(
      (f) =>
        `  ${f.file} at byte ${f.offset}: a ${f.kind} in a line with msg ${JSON.stringify(f.msg)}`,
    );
  const more = check.findings.length - shown.length;
  return [
    `Personal data in the logs of this test run: ${check.findings.length} of ${check.lines} lines (logs kept in ${dir}).`,
    ...shown,
    ...(more > 0 ? [`  ... and ${more} more`] : []),
  ].join('\n');
}
