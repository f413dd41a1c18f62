import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseIsoDate, type LocalDate } from '../domain/local-date.js';
import { PARTICIPATION_CODES } from '../domain/participation.js';
import { annualReportFigures, type AnnualReportFigures } from '../app/annual-report.js';
import { listDueReviews, type DueReviewItem } from '../app/due-reviews.js';
import { exportReviewsFile } from '../app/export-reviews.js';
import { CsvFormatError } from '../app/import/csv-table.js';
import { EXTRACT_FILES, formatProblem, type ExtractFileName } from '../app/import/extract.js';
import { importExtract } from '../app/import/import-extract.js';
import type { ScheduleChangeRecord } from '../app/scheduling/scheduled-reviews.js';
import type { Services } from '../services.js';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

export const USAGE = `Usage: iro-assistant <command> [options]

Commands:
  import <dir>                       Import Header.csv, Episodes.csv, Reviews.csv, Staff.csv and
                                     Allocations.csv from a folder (all or nothing)
  due --from DATE --to DATE [--iro EMAIL] [--json]
                                     Children looked after whose next review is due in the range
  stats --from DATE --to DATE [--json]
                                     IRO annual report figures for reviews held in the range
  export-reviews --from DATE --to DATE
                                     Write the SSDA903 Reviews.csv for the range to stdout
  help                               Show this text

Dates are YYYY-MM-DD. Exit codes: 0 done, 1 invalid data, 2 bad command line, 3 store unavailable.`;

export const COMMANDS = ['import', 'due', 'stats', 'export-reviews', 'help'] as const;

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
  } as const;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { command, values, positionals };
  } catch (error) {
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
        return await importCommand(positionals, io, services);
      case 'due':
        return await dueCommand(values, positionals, io, services);
      case 'stats':
        return await statsCommand(values, positionals, io, services);
      case 'export-reviews':
        return await exportCommand(values, positionals, io, services);
      default:
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`iro-assistant: ${error.message}\n`);
      return EXIT.usage;
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
  return { from, to };
}

async function readExtractFolder(dir: string, io: CliIo): Promise<Record<ExtractFileName, string>> {
  const folder = path.resolve(io.cwd, dir);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`import: folder "${dir}" does not exist`);
  const names = Object.values(EXTRACT_FILES);
  const texts = await Promise.all(
    names.map((name) =>
      readFile(path.join(folder, name), 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      }),
    ),
  );
  const missing = names.filter((_, i) => texts[i] === null);
  if (missing.length > 0) throw new UsageError(`import: "${dir}" has no ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n, i) => [n, texts[i] as string])) as Record<
    ExtractFileName,
    string
  >;
}

async function importCommand(
  positionals: string[],
  io: CliIo,
  services: Services,
): Promise<number> {
  const [dir, extra] = positionals;
  if (!dir)
    throw new UsageError('import: give the folder that holds the extract, e.g. import ./extract');
  if (extra) throw new UsageError(`import: unexpected argument "${extra}"`);
  const files = await readExtractFolder(dir, io);
  let result;
  try {
    result = await importExtract(
      services,
      files,
      { actor: 'cli:import', today: services.clock.today() },
      (p) => io.progress(`${p.step}: ${p.done}/${p.total}`),
    );
  } catch (error) {
    if (error instanceof CsvFormatError) {
      io.stderr(`${error.message}\nNothing was imported.\n`);
      return EXIT.invalidData;
    }
    throw error;
  }
  if (!result.ok) {
    for (const problem of result.problems) io.stderr(`${formatProblem(problem)}\n`);
    const n = result.problems.length;
    io.stderr(`Nothing was imported: ${n} problem${n === 1 ? '' : 's'} to fix in the extract.\n`);
    return EXIT.invalidData;
  }
  const lines = Object.entries(result.summary).map(
    ([what, c]) =>
      `  ${what.padEnd(12)} ${String(c.inserted).padStart(7)} new ${String(c.updated).padStart(7)} updated ${String(c.unchanged).padStart(7)} unchanged`,
  );
  io.stdout(`Imported ${dir}:\n${lines.join('\n')}\n`);
  return EXIT.ok;
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
  const header = `Reviews due ${range.from} to ${range.to}: ${items.length}\n`;
  if (items.length === 0) return header;
  const rows = [
    ['Due', 'Kind', 'Child', 'Initials', 'Days left', 'IRO', 'Social worker'],
    ...items.map((i) => [
      i.dueDate,
      i.kind,
      i.child,
      i.initials ?? '',
      i.daysLeft < 0 ? `${-i.daysLeft} overdue` : String(i.daysLeft),
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
  const figures = {
    ...(await annualReportFigures(services, range)),
    scheduleChanges: await services.scheduledReviews.listChanges(range.from, range.to),
  };
  io.stdout(values['json'] ? `${JSON.stringify(figures, null, 2)}\n` : formatStats(figures));
  return EXIT.ok;
}

function formatStats(f: AnnualReportFigures & { scheduleChanges: ScheduleChangeRecord[] }): string {
  const pct = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(1)}%`);
  const out = [
    `IRO annual report figures, reviews held ${f.from} to ${f.to}`,
    '',
    `Children looked after on ${f.to}: ${f.childrenLookedAfter}`,
    `Reviews held: ${f.reviewsHeld}, on time: ${f.reviewsOnTime} (${pct(f.timelinessPercent)})`,
    `Children whose every review was on time (NI 66): ${f.childTimeliness.childrenOnTime} of ${f.childTimeliness.childrenCounted} (${pct(f.childTimeliness.percent)})`,
    `Children aged 4+ who conveyed their views (PN1-PN6): ${f.viewsConveyed.reviews} of ${f.viewsConveyed.of} reviews (${pct(f.viewsConveyed.percent)})`,
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
      ['Month', 'Looked after', 'Reviews held', 'On time'],
      ...f.byMonth.map((m) => [
        m.month,
        String(m.childrenLookedAfter),
        String(m.reviewsHeld),
        String(m.reviewsOnTime),
      ]),
    ]).trimEnd(),
    '',
    `Caseload on ${f.to} (guidance: 50 to 70 children per full-time IRO):`,
    table([
      ['IRO', 'Children', 'FTE', 'Per FTE', ''],
      ...f.caseload.map((c) => [
        c.iro,
        String(c.children),
        String(c.fte),
        c.perFte === null ? 'n/a' : String(c.perFte),
        c.band ?? '',
      ]),
    ]).trimEnd(),
  ];
  if (f.childrenWithoutIro > 0) out.push(`Children with no IRO allocated: ${f.childrenWithoutIro}`);
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
