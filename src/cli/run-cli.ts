import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatUkDate, parseIsoDate, type LocalDate } from '../domain/local-date.js';
import { PARTICIPATION_CODES } from '../domain/participation.js';
import { ATTENDANCE_KEYS, type AnnualReportFigures } from '../app/annual-report.js';
import {
  annualReport,
  annualReportCsv,
  type AnnualReport,
  type ReportRow,
} from '../app/annual-report-sections.js';
import { followUpLines, type FollowUpFigures } from '../app/reminders/follow-up-figures.js';
import {
  AGE_BANDS,
  AGE_BAND_TEXT,
  ETHNIC_GROUPS,
  ETHNIC_GROUP_TEXT,
  SEXES,
  SEX_TEXT,
} from '../domain/child-profile.js';
import { DUE_DATE_UNKNOWN_TEXT, listDueReviews, type DueReviewItem } from '../app/due-reviews.js';
import { exportReviewsFile } from '../app/export-reviews.js';
import {
  EXTRACT_FILES,
  OPTIONAL_FILES,
  type ExtractFileName,
  type ExtractFiles,
} from '../app/import/extract.js';
import { importExtract, type ImportDone } from '../app/import/import-extract.js';
import { refusalLines } from '../app/import/problem-list.js';
import type { ScheduleChangeRecord } from '../app/scheduling/scheduled-reviews.js';
import type { Services } from '../services.js';
import { DataError, EXIT, UsageError, type CliIo } from './cli-io.js';
import { demoExtractCommand } from './demo-extract-command.js';

export const USAGE = `Usage: iro-assistant <command> [options]

Commands:
  import <dir> [--reviews-from DATE|all]
                                     Import Header.csv, Episodes.csv, Reviews.csv, Staff.csv and
                                     Allocations.csv (and SWEpisodes.csv, LastReviews.csv when
                                     there) from a folder, all or nothing; file names in any case.
                                     --reviews-from: the day from which Reviews.csv holds every
                                     review (default: 1 April of its earliest review's 903 year;
                                     "all": it holds every review ever held)
  due --from DATE --to DATE [--iro EMAIL] [--json]
                                     Children looked after whose next review is due in the range
  stats --from DATE --to DATE [--compare | --json | --csv]
                                     IRO annual report figures for reviews held in the range;
                                     --compare: the whole report beside the same period a year
                                     earlier; --json: both periods' figures and the report's
                                     sections; --csv: the report as the tab downloads it
  export-reviews --from DATE --to DATE
                                     Write the SSDA903 Reviews.csv for the range to stdout
  demo-extract <dir> [--force]       Write the demo council's Header.csv, Episodes.csv, Reviews.csv,
                                     Staff.csv and Allocations.csv to a folder, to see the format
                                     (never overwrites them without --force)
  help                               Show this text

Dates are YYYY-MM-DD. Exit codes: 0 done, 1 invalid data, 2 bad command line, 3 store unavailable.`;

export const COMMANDS = [
  'import',
  'due',
  'stats',
  'export-reviews',
  'demo-extract',
  'help',
] as const;

/** Parses the command line; throws UsageError for anything it cannot run. */
export function parseCommandLine(argv: readonly string[]): {
  command: string;
  values: Record<string, unknown>;
  positionals: string[];
} {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', values: {}, positionals: [] };
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command "${command}"; run "iro-assistant help" for the list`);
  }
  const options = {
    from: { type: 'string' },
    to: { type: 'string' },
    iro: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    compare: { type: 'boolean' },
    'reviews-from': { type: 'string' },
    force: { type: 'boolean' },
  } as const;
  try {
    const parsed = parseArgs({
      args: rest,
      options,
      allowPositionals: true,
      strict: true,
    });
    if (command === 'import') reviewsFromOption(parsed.values);
    return { command, values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${command}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Runs one command against the services; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  services: Services,
): Promise<number> {
  try {
    const { command, values, positionals } = parseCommandLine(argv);
    switch (command) {
      case 'import':
        return await importCommand(values, positionals, io, services);
      case 'due':
        return await dueCommand(values, positionals, io, services);
      case 'stats':
        return await statsCommand(values, positionals, io, services);
      case 'export-reviews':
        return await exportCommand(values, positionals, io, services);
      case 'demo-extract':
        return await demoExtractCommand(positionals, values, io, services);
      default:
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`iro-assistant: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof DataError) {
      io.stderr(`iro-assistant: ${error.message}\n`);
      return EXIT.invalidData;
    }
    throw error;
  }
}

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0)
    throw new UsageError(`${command}: unexpected argument "${positionals[0]}"`);
}

function dateRange(
  command: string,
  values: Record<string, unknown>,
): { from: LocalDate; to: LocalDate } {
  const read = (name: 'from' | 'to'): LocalDate => {
    const text = values[name];
    if (typeof text !== 'string')
      throw new UsageError(`${command}: --${name} YYYY-MM-DD is required`);
    const date = parseIsoDate(text);
    if (!date) throw new UsageError(`${command}: --${name} "${text}" is not a date as YYYY-MM-DD`);
    return date;
  };
  const from = read('from');
  const to = read('to');
  if (from > to) throw new UsageError(`${command}: --from ${from} is after --to ${to}`);
  if (from < '1901-01-01' || to > '2199-12-31')
    throw new UsageError(`${command}: give dates between 1901 and 2199`);
  return { from, to };
}

/**
 * Finds the extract's files in a folder whatever the case of their names (`header.csv`,
 * `EPISODES.CSV`): the 903 tools and case systems write them differently.
 */
async function readExtractFolder(
  dir: string,
  io: CliIo,
): Promise<{ files: ExtractFiles; read: { name: ExtractFileName; as: string }[] }> {
  const folder = path.resolve(io.cwd, dir);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`import: folder "${dir}" does not exist`);
  const entries = await readdir(folder);
  const files: Partial<Record<ExtractFileName, string>> = {};
  const read: { name: ExtractFileName; as: string }[] = [];
  const missing: string[] = [];
  for (const name of Object.values(EXTRACT_FILES)) {
    const matches = entries.filter((e) => e.toLowerCase() === name.toLowerCase());
    if (matches.length > 1) {
      throw new UsageError(
        `import: "${dir}" has ${matches.join(' and ')}; keep one file for ${name}`,
      );
    }
    const [actual] = matches;
    if (!actual) {
      if (!OPTIONAL_FILES.includes(name)) missing.push(name);
      continue;
    }
    files[name] = utf8Text(actual, await readFile(path.join(folder, actual)));
    read.push({ name, as: actual });
  }
  if (missing.length > 0) throw new UsageError(`import: "${dir}" has no ${missing.join(', ')}`);
  return { files: files as ExtractFiles, read };
}

function reviewsFromOption(values: Record<string, unknown>): LocalDate | null | undefined {
  const text = values['reviews-from'];
  if (text === undefined) return undefined;
  if (text === 'all') return null;
  const date = typeof text === 'string' ? parseIsoDate(text) : undefined;
  if (!date) {
    throw new UsageError(
      `import: --reviews-from "${String(text)}" is not a date as YYYY-MM-DD or "all"`,
    );
  }
  return date;
}

async function importCommand(
  values: Record<string, unknown>,
  positionals: string[],
  io: CliIo,
  services: Services,
): Promise<number> {
  const [dir, extra] = positionals;
  if (!dir)
    throw new UsageError('import: give the folder that holds the extract, e.g. import ./extract');
  if (extra) throw new UsageError(`import: unexpected argument "${extra}"`);
  if (values['json'] || values['iro'] || values['from'] || values['to'])
    throw new UsageError('import: takes only a folder and --reviews-from');
  const reviewsFrom = reviewsFromOption(values);
  const { files, read } = await readExtractFolder(dir, io);
  io.stdout(
    `Reading ${dir}: ${read.map((r) => (r.as === r.name ? r.name : `${r.as} as ${r.name}`)).join(', ')}\n`,
  );
  // A file that is not valid CSV comes back as a problem like any other.
  const result = await importExtract(
    services,
    files,
    { actor: 'cli:import', today: services.clock.today() },
    (p) => io.progress(`${p.step}: ${p.done}/${p.total}`),
    reviewsFrom === undefined ? {} : { reviewsFrom },
  );
  if (!result.ok) {
    for (const line of refusalLines(result)) io.stderr(`${line}\n`);
    return EXIT.invalidData;
  }
  const lines = Object.entries(result.summary).map(
    ([what, c]) =>
      `  ${what.padEnd(12)} ${String(c.inserted).padStart(7)} new ${String(c.updated).padStart(7)} updated ${String(c.unchanged).padStart(7)} unchanged`,
  );
  const known =
    result.reviewsKnownFrom === null
      ? 'Reviews.csv is taken to hold every review ever held (--reviews-from all).'
      : `Reviews held from ${formatUkDate(result.reviewsKnownFrom)} are taken as complete${
          result.reviewsFromInferred
            ? ' (the 903 year of the earliest review in Reviews.csv; change it with --reviews-from)'
            : ''
        }; reviews before that are known only from earlier imports and LastReviews.csv.`;
  // Allocations.csv gives each child an IRO and a social worker: two allocations per row.
  const allocationNote =
    "allocations counts a child's IRO and social worker apart (up to two for each row of Allocations.csv).";
  io.stdout(`Imported ${dir}:\n${lines.join('\n')}\n${allocationNote}\n${known}\n`);
  for (const line of olderExtractLines(result)) io.stdout(`${line}\n`);
  for (const c of result.reviewConflicts) {
    io.stdout(
      `${c.childId} ${formatUkDate(c.heldOn)}: Reviews.csv says ${c.imported}, the chair recorded ${c.recorded} in IRO Assistant; kept ${c.recorded}\n`,
    );
  }
  for (const child of result.dueUnknown) {
    io.stderr(
      `warning: ${child}: ${DUE_DATE_UNKNOWN_TEXT}; give its date in LastReviews.csv (CHILD, LAST_REVIEW)\n`,
    );
  }
  if (result.dueUnknown.length > 0) {
    const n = result.dueUnknown.length;
    io.stderr(
      `${n} ${n === 1 ? 'child has' : 'children have'} no known due date: their period of care began before the extract and their last review is not in it.\n`,
    );
  }
  return EXIT.ok;
}

/**
 * What an older extract was not allowed to rewind, in a data officer's words: children's details
 * and episodes that a later import gave, which this file gives as they were before.
 */
export function olderExtractLines(result: ImportDone): string[] {
  if (result.lastDate === null) return [];
  const latest = `the latest date in this file is ${formatUkDate(result.lastDate)}`;
  const lines: string[] = [];
  const [child] = result.keptChildren;
  if (child) {
    const n = result.keptChildren.length;
    lines.push(
      `Header.csv: ${n} ${n === 1 ? "child's" : "children's"} details from a later import were kept as they are (${latest}; e.g. ${child.childId}: ${child.columns.join(', ')}).`,
    );
  }
  const [episode] = result.keptEpisodes;
  if (episode) {
    const n = result.keptEpisodes.length;
    lines.push(
      `Episodes.csv: ${n} ${n === 1 ? 'episode' : 'episodes'} a later import ended ${n === 1 ? 'was' : 'were'} kept as ${n === 1 ? 'it is' : 'they are'} (${latest}; e.g. ${episode.childId}'s episode from ${formatUkDate(episode.decom)}, ended ${formatUkDate(episode.dec)}).`,
    );
  }
  return lines;
}

async function dueCommand(
  values: Record<string, unknown>,
  positionals: string[],
  io: CliIo,
  services: Services,
): Promise<number> {
  noPositionals('due', positionals);
  const range = dateRange('due', values);
  const iro = values['iro'];
  if (iro !== undefined && (typeof iro !== 'string' || !iro.includes('@'))) {
    throw new UsageError(`due: --iro "${String(iro)}" is not an e-mail address`);
  }
  const items = await listDueReviews(services, {
    ...range,
    today: services.clock.today(),
    ...(typeof iro === 'string' ? { iroEmail: iro.toLowerCase() } : {}),
  });
  if (values['json']) {
    const json = items.map((i) => ({
      child: i.child,
      dueDate: i.dueDate,
      kind: i.kind,
      iro: i.iro,
      socialWorker: i.socialWorker,
      ...(i.dueDate === null ? { dueDateUnknown: DUE_DATE_UNKNOWN_TEXT } : {}),
    }));
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout(formatDueTable(items, range));
  }
  return EXIT.ok;
}

export function formatDueTable(
  items: DueReviewItem[],
  range: { from: LocalDate; to: LocalDate },
): string {
  const known = items.filter((i) => i.dueDate !== null);
  const unknown = items.length - known.length;
  const header =
    `Reviews due ${range.from} to ${range.to}: ${known.length}` +
    (unknown > 0 ? `; due date unknown (last review before the extract): ${unknown}` : '') +
    '\n';
  if (items.length === 0) return header;
  const rows = [
    ['Due', 'Kind', 'Child', 'Initials', 'Days left', 'IRO', 'Social worker'],
    ...items.map((i) => [
      i.dueDate ?? 'unknown',
      i.kind ?? (i.shortBreak ? 'short_breaks' : ''),
      i.child,
      i.initials ?? '',
      i.daysLeft === null
        ? 'last review before the extract'
        : i.daysLeft < 0
          ? `${-i.daysLeft} overdue`
          : String(i.daysLeft),
      i.iro ?? '(none)',
      i.socialWorker ?? '(none)',
    ]),
  ];
  return header + table(rows);
}

async function statsCommand(
  values: Record<string, unknown>,
  positionals: string[],
  io: CliIo,
  services: Services,
): Promise<number> {
  noPositionals('stats', positionals);
  const range = dateRange('stats', values);
  if ([values['json'], values['csv'], values['compare']].filter(Boolean).length > 1)
    throw new UsageError('stats: choose one of --compare, --json and --csv');
  const report = await annualReport(services, range);
  if (values['csv']) {
    io.stdout(annualReportCsv(report.sections, { ...report, scopeLabel: STATS_SCOPE }));
    return EXIT.ok;
  }
  if (values['compare']) {
    io.stdout(formatReport(report));
    return EXIT.ok;
  }
  const scheduleChanges = await services.scheduledReviews.listChanges(range.from, range.to);
  if (values['json']) {
    const { current, previous, sections, previousFrom, previousTo } = report;
    const json = { ...current, scheduleChanges, previousFrom, previousTo, previous, sections };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(formatStats({ ...report.current, scheduleChanges }));
  return EXIT.ok;
}

/**
 * A file's text, refused when it is not UTF-8: read as UTF-8 regardless, Windows-1252's é and ö
 * (what Excel's plain "CSV (Comma delimited)" writes) would become U+FFFD in every name, and so
 * in every child's initials on cards and invitations.
 */
function utf8Text(file: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = bytes.toString('utf8');
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, Math.max(at, 0)).split('\n').length;
    throw new DataError(
      `import: ${file}:${line}: the file is not UTF-8 (in Excel, save it as "CSV UTF-8 (Comma delimited)"); nothing was imported`,
    );
  }
}

/** The command line reads the whole store: every child. */
const STATS_SCOPE = 'All children';

/** The report's sections as tables, this period beside the same period a year earlier. */
function formatReport(report: AnnualReport): string {
  const value = (n: number | null, unit: ReportRow['unit']) =>
    n === null
      ? 'n/a'
      : unit === 'percent'
        ? `${n.toFixed(1)}%`
        : unit === 'perFte'
          ? n.toFixed(1)
          : String(n);
  const period = `${report.from} to ${report.to}`;
  const previous = `${report.previousFrom} to ${report.previousTo}`;
  const out = [`IRO annual report, ${period}, beside ${previous} (${STATS_SCOPE.toLowerCase()})`];
  for (const section of report.sections) {
    out.push(
      '',
      `${section.title}:`,
      table([
        ['', period, previous],
        ...section.rows.map((r) => [
          r.unit === 'percent' ? `${r.label} (%)` : r.label,
          value(r.current, r.unit),
          value(r.previous, r.unit),
        ]),
      ]).trimEnd(),
    );
  }
  return `${out.join('\n')}\n`;
}

const ATTENDANCE_LABEL = {
  child: 'child',
  mother: 'mother',
  father: 'father',
  otherFamily: 'other family',
  carer: 'carer',
} as const;

function formatStats(
  f: AnnualReportFigures & { followUp: FollowUpFigures; scheduleChanges: ScheduleChangeRecord[] },
): string {
  const pct = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(1)}%`);
  const r = f.recordedReviews;
  const out = [
    `IRO annual report figures, reviews held ${f.from} to ${f.to}`,
    '',
    `Children looked after on ${f.to}: ${f.childrenLookedAfter}`,
    `Children looked after on ${f.from}: ${f.lookedAfter.atStart}; periods of care that began: ${f.lookedAfter.started}, that ended: ${f.lookedAfter.ended}`,
    // Each count after a colon: "Under 1 3, 1 to 4 52" ran labels that end in a number into
    // their counts. Ethnic groups are split by semicolons, as their names hold commas.
    `Age on ${f.to}: ${AGE_BANDS.map((b) => `${AGE_BAND_TEXT[b]}: ${f.profile.ageBands[b]}`).join(', ')}`,
    `Gender: ${SEXES.map((s) => `${SEX_TEXT[s]}: ${f.profile.sex[s]}`).join(', ')}`,
    `Ethnicity: ${ETHNIC_GROUPS.map((g) => `${ETHNIC_GROUP_TEXT[g]}: ${f.profile.ethnicity[g]}`).join('; ')}`,
    `Reviews held: ${f.reviewsHeld}, on time: ${f.reviewsOnTime} of ${f.reviewsAssessed} whose due date is known (${pct(f.timelinessPercent)})`,
    ...(f.reviewsDueUnknown > 0
      ? [
          `Left out of timeliness: ${f.reviewsDueUnknown} reviews whose due date cannot be known (the review before them was held before the extract)`,
        ]
      : []),
    `Children whose every review was on time (NI 66): ${f.childTimeliness.childrenOnTime} of ${f.childTimeliness.childrenCounted} (${pct(f.childTimeliness.percent)})`,
    ...(f.childTimeliness.childrenDueUnknown > 0
      ? [
          `Left out of NI 66: ${f.childTimeliness.childrenDueUnknown} children with a review whose due date cannot be known`,
        ]
      : []),
    `Children aged 4 or over who communicated their views at every review (PN1 to PN6): ${f.viewsCommunicated.children} of ${f.viewsCommunicated.of} (${pct(f.viewsCommunicated.percent)})`,
    `Reviews of children aged 4 or over where the child's view was conveyed (PN1 to PN3, PN5, PN6; not PN4, attended without conveying a view): ${f.viewsConveyed.reviews} of ${f.viewsConveyed.of} (${pct(f.viewsConveyed.percent)})`,
    `Short breaks (Regulation 48, counted apart): ${f.shortBreaks.children} children on ${f.to}; ${f.shortBreaks.reviewsHeld} reviews held, ${f.shortBreaks.reviewsOnTime} of ${f.shortBreaks.reviewsAssessed} on time (${pct(f.shortBreaks.timelinessPercent)})`,
    `On time by kind (due date known): ${(
      ['first', 'second', 'subsequent', 'short_breaks'] as const
    )
      .map((k) => {
        const t = f.timelinessByKind[k];
        return `${k.replace('_', ' ')}: ${t.reviewsOnTime} of ${t.reviewsAssessed} (${pct(t.timelinessPercent)})`;
      })
      .join(', ')}`,
    `Reviews recorded in the app: ${r.recorded}; attendance recorded at ${r.attendanceRecorded}: ${ATTENDANCE_KEYS.map((k) => `${ATTENDANCE_LABEL[k]}: ${r.attended[k]} (${pct(r.attendedPercent[k])})`).join(', ')}`,
    `Of the reviews recorded in the app: chaired by the child: ${r.childChaired} (${pct(r.childChairedPercent)}), advocacy offered: ${r.advocacyOffered} (${pct(r.advocacyOfferedPercent)}), consultation form returned: ${r.consultationReturned} (${pct(r.consultationReturnedPercent)})`,
    '',
    'Participation:',
    table([
      ['Code', 'Reviews', '%'],
      ...PARTICIPATION_CODES.map((c) => [
        c,
        String(f.participation[c]),
        pct(f.participationPercent[c]),
      ]),
    ]).trimEnd(),
    '',
    'By month:',
    table([
      ['Month', 'Looked after', 'Reviews held', 'On time', 'Due date known'],
      ...f.byMonth.map((m) => [
        m.month,
        String(m.childrenLookedAfter),
        String(m.reviewsHeld),
        String(m.reviewsOnTime),
        String(m.reviewsAssessed),
      ]),
    ]).trimEnd(),
    '',
    `Caseload on ${f.to} (guidance: 50 to 70 children per full-time IRO):`,
    table([
      ['IRO', 'Children', 'FTE', 'Per FTE', ''],
      ...f.caseload.map((c) => [
        c.iro,
        c.children === null ? 'n/a' : String(c.children),
        String(c.fte),
        c.perFte === null ? 'n/a' : String(c.perFte),
        c.band ?? '',
      ]),
    ]).trimEnd(),
  ];
  const all = f.caseloadTotal;
  out.push(
    `All IROs: ${all.children} children, ${all.fte} FTE, ${all.perFte === null ? 'n/a' : all.perFte} per FTE`,
  );
  out.push(`FTE as in today's Staff.csv.`);
  if (f.childrenIroNotKnown > 0 && f.iroKnownFrom)
    out.push(
      `IRO not known on ${f.to}: ${f.childrenIroNotKnown} children (allocations held from ${f.iroKnownFrom}), credited to no IRO`,
    );
  if (f.childrenWithoutIro > 0) out.push(`Children with no IRO allocated: ${f.childrenWithoutIro}`);
  out.push('', 'After the reviews:', ...followUpLines(f.followUp));
  if (f.scheduleChanges.length > 0) {
    out.push('', 'Review meetings moved or cancelled:');
    out.push(
      table([
        ['Date', 'Child', 'Change', 'By', 'Reason'],
        ...f.scheduleChanges.map((c) => [
          c.at.toISOString().slice(0, 10),
          c.child,
          c.change,
          c.by,
          c.reason,
        ]),
      ]).trimEnd(),
    );
  }
  return `${out.join('\n')}\n`;
}

async function exportCommand(
  values: Record<string, unknown>,
  positionals: string[],
  io: CliIo,
  services: Services,
): Promise<number> {
  noPositionals('export-reviews', positionals);
  if (values['json'] || values['iro'])
    throw new UsageError('export-reviews: takes only --from and --to');
  const file = await exportReviewsFile(services, dateRange('export-reviews', values));
  for (const r of file.rejected)
    io.stderr(`left out: ${r.child} ${r.review}: ${r.breach.rule} ${r.breach.message}\n`);
  const sb = file.shortBreaksLeftOut;
  if (sb.reviews > 0) {
    io.stderr(
      `left out: ${sb.reviews} ${sb.reviews === 1 ? 'review' : 'reviews'} of ${sb.children} ${sb.children === 1 ? 'child' : 'children'} on short breaks only (every episode LS V3 or V4): the 903 has no REVIEW for them (DfE rule 399)\n`,
    );
  }
  io.stdout(file.csv);
  return file.rejected.length > 0 ? EXIT.invalidData : EXIT.ok;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
