import { z } from 'zod';
import {
  formatUkDate,
  parseUkDate,
  reportingYear,
  type LocalDate,
} from '../../domain/local-date.js';
import { validateReviewRow, type ParticipationCode } from '../../domain/participation.js';
import { coversDate, periodsOfCare, type PeriodOfCare } from '../../domain/periods-of-care.js';
import { LS_CODES, REC_CODES, RNE_CODES } from '../../domain/ssda903-rules.js';
import { printableText } from '../../shared/printable-text.js';
import { dateShape, dateShapeById } from './date-shapes.js';
import { CsvFormatError, readCsvTable, type CsvRow, type CsvTable } from './csv-table.js';
import {
  EXTRACT_COLUMNS,
  EXTRACT_FILES,
  OPTIONAL_COLUMNS,
  OPTIONAL_FILES,
  STAFF_LEVELS,
  STAFF_ROLES,
  type AllocationRecord,
  type ChildRecord,
  type EpisodeRecord,
  type Extract,
  type ColumnProblem,
  type ExtractFileName,
  type ExtractFiles,
  type ExtractRefused,
  type HeldReviewRecord,
  type ImportProblem,
  type PreviousReviewRecord,
  type Sex,
  type StaffLevel,
  type StaffRecord,
  type StaffRoleName,
} from './extract.js';

/** The columns each file must have (SSDA903 for the 903 files; DOMAIN.md for the others). */
export const REQUIRED_COLUMNS = Object.fromEntries(
  Object.entries(EXTRACT_COLUMNS).map(([file, columns]) => [
    file,
    columns.filter((c) => !(OPTIONAL_COLUMNS[file as ExtractFileName] ?? []).includes(c)),
  ]),
) as unknown as Record<ExtractFileName, readonly string[]>;

/** SEX: M, F or U since the 2024/25 collection; 1 (male) and 2 (female) before it. */
const SEX_CODES: Record<string, Sex> = { M: 'M', F: 'F', U: 'U', '1': 'M', '2': 'F' };
export const CHILD_ID = /^[A-Za-z0-9_-]{1,20}$/;
const emailSchema = z.email();
/**
 * An Entra object id is a GUID. Microsoft 365 Agents Playground's default users carry 13 digits in
 * the last group, so the check is on shape (hex groups), not on the strict GUID grammar.
 */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/;

export interface ParseOptions {
  today: LocalDate;
  /** CHILD ids the store already holds: an id that differs from one only in letter case is refused. */
  knownChildIds?: readonly string[];
  /**
   * From which day the Reviews file holds every review held: a date, null when it holds every
   * review ever held, or undefined to take the 903 year (from 1 April) of its earliest review.
   */
  reviewsFrom?: LocalDate | null;
}

export type ParseResult =
  { ok: true; extract: Extract; reviewsFromInferred: boolean } | ExtractRefused;

/**
 * Reads and checks a whole extract. Every row of every file is checked, so the council sees all
 * problems at once; the extract is returned only when there are none.
 */
export function parseExtract(files: ExtractFiles, options: ParseOptions): ParseResult {
  const { today } = options;
  const problems: ImportProblem[] = [];
  const tables = {} as Record<ExtractFileName, CsvTable>;
  for (const name of Object.values(EXTRACT_FILES)) {
    const text = files[name];
    if (text === undefined && OPTIONAL_FILES.includes(name)) {
      tables[name] = { file: name, columns: [...REQUIRED_COLUMNS[name]], rows: [] };
      continue;
    }
    const table = readTable(name, text ?? '', problems);
    if (!table) continue;
    const separator = wrongSeparator(table, REQUIRED_COLUMNS[name]);
    if (separator) {
      problems.push({ file: name, line: 1, column: '(whole file)', message: separator });
      continue;
    }
    const missing = REQUIRED_COLUMNS[name].filter((column) => !table.columns.includes(column));
    for (const column of missing) {
      problems.push({
        file: name,
        line: 1,
        column,
        message: 'column is missing from the header line',
      });
    }
    if (missing.length > 0) {
      problems.push({
        file: name,
        line: 1,
        column: '(header line)',
        message: headerHint(name, text ?? '', missing),
      });
    }
    tables[name] = table;
  }
  if (problems.length > 0) return { ok: false, problems };

  const check = new Checker(problems);
  const children = readChildren(tables['Header.csv'], check, options);
  const staff = readStaff(tables['Staff.csv'], check);
  const episodes = readEpisodes(tables['Episodes.csv'], check, children, today);
  const periods = periodsByChild(episodes);
  const reviews = readReviews(tables['Reviews.csv'], check, children, periods, today);
  const allocations = readAllocations(tables['Allocations.csv'], check, children, staff);
  readSocialWorkerEpisodes(tables['SWEpisodes.csv'], check, children, staff, allocations, today);
  const previousReviews = readPreviousReviews(
    tables['LastReviews.csv'],
    check,
    children,
    episodes,
    reviews,
    today,
  );
  if (problems.length > 0) {
    problems.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || a.line - b.line);
    const columns = columnProblems(problems, tables);
    return { ok: false, problems, ...(columns.length > 0 ? { columns } : {}) };
  }
  const inferred = options.reviewsFrom === undefined;
  return {
    ok: true,
    reviewsFromInferred: inferred,
    extract: {
      children: [...children.values()],
      episodes,
      reviews,
      staff: [...staff.values()],
      allocations: [...allocations.values()],
      previousReviews,
      reviewsKnownFrom: inferred
        ? reportingYear(reviews.reduce((min, r) => (r.heldOn < min ? r.heldOn : min), today)).first
        : (options.reviewsFrom ?? null),
      lastDate: latestDate([
        ...episodes.flatMap((e) => (e.dec ? [e.decom, e.dec] : [e.decom])),
        ...reviews.map((r) => r.heldOn),
      ]),
    },
  };
}

function latestDate(dates: readonly LocalDate[]): LocalDate | null {
  return dates.reduce<LocalDate | null>((max, d) => (max === null || d > max ? d : max), null);
}

/** The file's table, or undefined after adding the reason it is not valid CSV to `problems`. */
/** How many lines from the top a header line below a title is looked for. */
const HEADER_SEARCH_LINES = 10;

/**
 * What to do about a header line without the file's columns, said once per file: the header is
 * further down (a title or the date of the extract above it, as case systems write), the
 * columns have the case system's own names, or (Staff.csv) a column left out that may be blank.
 */
function headerHint(name: ExtractFileName, text: string, missing: readonly string[]): string {
  const required = REQUIRED_COLUMNS[name];
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/, HEADER_SEARCH_LINES);
  const cellsOf = (line: string) =>
    line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toUpperCase());
  const first = lines.findIndex((l) => l.trim() !== '');
  const below = lines.findIndex(
    (l, i) => i > first && required.every((column) => cellsOf(l).includes(column)),
  );
  if (below > 0) {
    const above = below;
    return `the header is on line ${below + 1}: delete the ${above === 1 ? 'line' : `${above} lines`} above it (a title or a date) and import the file again`;
  }
  if (name === 'Staff.csv' && missing.length === 1 && missing[0] === 'AAD_OBJECT_ID') {
    return 'add an AAD_OBJECT_ID column; it may be left blank until you have the Entra object ids (those people cannot use IRO Assistant in Teams until theirs is given)';
  }
  const read = first === -1 ? '' : (lines[first] ?? '');
  return `the header line reads "${printableText(read, 120)}"; ${name} needs the columns ${required.join(',')} with these names (in any order; other columns are ignored)`;
}

function readTable(
  name: ExtractFileName,
  text: string,
  problems: ImportProblem[],
): CsvTable | undefined {
  try {
    return readCsvTable(name, text);
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    const header = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
    const named = error.cell === undefined ? undefined : header.split(',')[error.cell]?.trim();
    problems.push({
      file: name,
      line: error.line,
      column:
        error.cell === undefined
          ? '(whole file)'
          : named && /^[A-Za-z_]{1,30}$/.test(named)
            ? named.toUpperCase()
            : `cell ${error.cell + 1}`,
      message: error.detail,
    });
    return undefined;
  }
}

/**
 * A problem's message as it is printed: the values it quotes from the file may be anything, so
 * control characters are shown as escapes and a long value is cut (the line and column say
 * where the whole of it is).
 */
function tidyMessage(message: string): string {
  return printableText(
    message.replace(/\S{61,}/g, (word) => `${Array.from(word).slice(0, 60).join('')}…`),
    500,
  );
}

/**
 * Why a file whose header names none of its columns is one cell: Excel in a language that writes
 * decimals with a comma saves "CSV" with semicolons, and some exports use tabs. Said once, instead
 * of every column being missing.
 */
function wrongSeparator(table: CsvTable, required: readonly string[]): string | undefined {
  if (required.some((c) => table.columns.includes(c))) return undefined;
  const header = table.columns.join(',');
  const found = header.includes(';')
    ? 'semicolons (;)'
    : header.includes('\t')
      ? 'tabs'
      : undefined;
  if (!found) return undefined;
  return `the columns are separated by ${found}, but the file must be separated by commas: in Excel, save it as "CSV UTF-8 (Comma delimited)"; if it still writes semicolons, Windows' list separator is ";": set it to "," (Control Panel > Region > Additional settings > List separator) and save again`;
}

/** Date problems of one shape that make up at least half a column's values: said once for it. */
function columnProblems(
  problems: readonly ImportProblem[],
  tables: Record<ExtractFileName, CsvTable>,
): ColumnProblem[] {
  const groups = new Map<string, { first: ImportProblem; count: number }>();
  for (const p of problems) {
    if (!p.kind?.startsWith('date:')) continue;
    const key = `${p.file}\u0000${p.column}\u0000${p.kind}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { first: p, count: 1 });
  }
  const found: ColumnProblem[] = [];
  for (const { first, count } of groups.values()) {
    const shape = dateShapeById(first.kind?.slice('date:'.length) ?? '');
    const rows = tables[first.file].rows;
    const filled = rows.filter((r) => r.values[first.column] !== '').length;
    // A few odd values are listed one by one; a column that is mostly one wrong shape is not a
    // slip of the keyboard but a format to change once.
    if (!shape || count < 3 || count * 2 < filled) continue;
    const example = rows.find((r) => r.line === first.line)?.values[first.column]?.trim() ?? '';
    const which =
      count === filled
        ? `every value is written ${shape.writtenAs}`
        : `${thousands(count)} of its ${thousands(filled)} values are written ${shape.writtenAs}`;
    found.push({
      file: first.file,
      column: first.column,
      message: `${which} (line ${first.line}: ${example}), but the 903 needs dd/mm/yyyy. ${shape.fix}`,
    });
  }
  return found;
}

function thousands(n: number): string {
  return n.toLocaleString('en-GB');
}

function fileOrder(file: ExtractFileName): number {
  return Object.values(EXTRACT_FILES).indexOf(file);
}

/** Collects problems for the file and row being read. */
class Checker {
  private file: ExtractFileName = 'Header.csv';
  private row: CsvRow = { line: 0, values: {} };
  /** CHILD ids of Header rows that have a problem of their own: not reported again elsewhere. */
  readonly refusedChildren = new Set<string>();

  constructor(private readonly problems: ImportProblem[]) {}

  at(file: ExtractFileName, row: CsvRow): this {
    this.file = file;
    this.row = row;
    return this;
  }

  get line(): number {
    return this.row.line;
  }

  /** How many problems have been found so far. */
  get count(): number {
    return this.problems.length;
  }

  value(column: string): string {
    return this.row.values[column] ?? '';
  }

  optional(column: string): string | null {
    const v = this.value(column);
    return v === '' ? null : v;
  }

  problem(column: string, message: string, kind?: string): void {
    this.problems.push({
      file: this.file,
      line: this.row.line,
      column,
      message: tidyMessage(message),
      ...(kind === undefined ? {} : { kind }),
    });
  }

  /** A value that is not a dd/mm/yyyy date; `rule` is the DfE's number when it has one. */
  badDate(column: string, text: string, rule?: string): void {
    const shape = dateShape(text);
    this.problem(
      column,
      `${rule ? `${rule} ` : ''}"${text}" is not a valid date (dd/mm/yyyy)`,
      `date:${shape?.id ?? 'other'}`,
    );
  }

  required(column: string): string | undefined {
    const v = this.value(column);
    if (v === '') {
      this.problem(column, 'is blank');
      return undefined;
    }
    return v;
  }

  date(column: string, { required }: { required: boolean }): LocalDate | null | undefined {
    const text = this.value(column);
    if (text === '') {
      if (required) this.problem(column, 'is blank; give a date as dd/mm/yyyy');
      return required ? undefined : null;
    }
    const date = parseUkDate(text);
    if (!date) this.badDate(column, text);
    return date;
  }

  /** A date that has already happened: a record of what was done, never of a plan. */
  pastDate(
    column: string,
    today: LocalDate,
    { required, what }: { required: boolean; what: string },
  ): LocalDate | null | undefined {
    const date = this.date(column, { required });
    if (date && date > today) {
      this.problem(
        column,
        `${formatUkDate(date)} is in the future; ${what} is recorded once it has happened`,
      );
      return undefined;
    }
    return date;
  }

  code(
    column: string,
    allowed: readonly string[],
    { required }: { required: boolean },
  ): string | null | undefined {
    const typed = this.value(column);
    const text = typed.toUpperCase();
    if (text === '') {
      if (required) this.problem(column, 'is blank');
      return required ? undefined : null;
    }
    if (!allowed.includes(text)) {
      this.problem(column, `"${typed}" is not a valid code (${allowed.join(', ')})`);
      return undefined;
    }
    return text;
  }

  email(column: string, { required }: { required: boolean }): string | null | undefined {
    const typed = this.value(column);
    const text = typed.toLowerCase();
    if (text === '') {
      if (required) this.problem(column, 'is blank');
      return required ? undefined : null;
    }
    if (!emailSchema.safeParse(text).success) {
      this.problem(column, `"${typed}" is not an e-mail address`);
      return undefined;
    }
    return text;
  }

  /** A CHILD that must be in Header.csv, compared exactly as the 903 does (after trimming). */
  child(children: Map<string, ChildRecord>, rule?: string): ChildRecord | undefined {
    const childId = this.required('CHILD');
    if (!childId) return undefined;
    const child = children.get(childId);
    if (child) return child;
    if (this.refusedChildren.has(childId)) return undefined;
    const other = [...children.keys()].find((id) => id.toUpperCase() === childId.toUpperCase());
    this.problem(
      'CHILD',
      `${rule ? `${rule} ` : ''}${childId} is not in Header.csv` +
        (other
          ? ` (Header.csv has ${other}: CHILD ids are compared exactly, letter case included)`
          : ''),
    );
    return undefined;
  }
}

function readChildren(
  table: CsvTable,
  check: Checker,
  options: ParseOptions,
): Map<string, ChildRecord> {
  const children = new Map<string, ChildRecord>();
  const byFolded = new Map<string, { id: string; line: number }>();
  const stored = new Map((options.knownChildIds ?? []).map((id) => [id.toUpperCase(), id]));
  for (const row of table.rows) {
    check.at('Header.csv', row);
    const before = check.count;
    const childId = check.required('CHILD');
    const refuse = () => {
      if (childId) check.refusedChildren.add(childId);
    };
    if (childId && !CHILD_ID.test(childId)) {
      check.problem(
        'CHILD',
        `"${childId}" is not a CHILD id (letters, digits, - or _, at most 20)`,
      );
      refuse();
      continue;
    }
    if (childId && children.has(childId)) {
      check.problem('CHILD', `${childId} appears more than once`);
      continue;
    }
    const folded = childId?.toUpperCase();
    const twin = folded ? byFolded.get(folded) : undefined;
    if (childId && twin) {
      check.problem(
        'CHILD',
        `${childId} differs from ${twin.id} (line ${twin.line}) only in letter case; the 903 compares CHILD ids exactly: give one child one id`,
      );
      refuse();
      continue;
    }
    const storedId = folded ? stored.get(folded) : undefined;
    if (childId && storedId && storedId !== childId) {
      check.problem(
        'CHILD',
        `${childId} differs from ${storedId}, already imported, only in letter case; the 903 compares CHILD ids exactly: use the same id as before`,
      );
      refuse();
      continue;
    }
    if (childId && folded) byFolded.set(folded, { id: childId, line: row.line });
    const dob = check.pastDate('DOB', options.today, { required: true, what: 'a birth' });
    const sexText = check.value('SEX');
    const sex = sexText === '' ? null : SEX_CODES[sexText.toUpperCase()];
    if (sex === undefined) {
      check.problem(
        'SEX',
        `"${sexText}" is not a valid code (M, F or U; the older coding 1 and 2 is read too)`,
      );
    }
    const mcDob = check.date('MC_DOB', { required: false });
    if (!childId || !dob || sex === undefined || mcDob === undefined || check.count > before) {
      refuse();
      continue;
    }
    children.set(childId, {
      childId,
      sex,
      dob,
      ethnic: check.optional('ETHNIC'),
      upn: check.optional('UPN'),
      mother: check.optional('MOTHER'),
      mcDob,
    });
  }
  return children;
}

function readStaff(table: CsvTable, check: Checker): Map<string, StaffRecord> {
  const staff = new Map<string, StaffRecord>();
  const objectIds = new Set<string>();
  const swIds = new Map<string, string>();
  const managers: { line: CsvRow; email: string }[] = [];
  for (const row of table.rows) {
    check.at('Staff.csv', row);
    const email = check.email('EMAIL', { required: true });
    if (email && staff.has(email)) {
      check.problem('EMAIL', `${email} appears more than once`);
      continue;
    }
    const name = check.required('NAME');
    const roleText = check.value('ROLE');
    const role = STAFF_ROLES.find((r) => r === roleText.toLowerCase());
    if (!role) check.problem('ROLE', `"${roleText}" is not one of ${STAFF_ROLES.join(', ')}`);
    const objectIdText = check.optional('AAD_OBJECT_ID');
    let aadObjectId = objectIdText?.toLowerCase() ?? null;
    if (aadObjectId && !OBJECT_ID.test(aadObjectId)) {
      check.problem('AAD_OBJECT_ID', `"${objectIdText}" is not an Entra object id (a GUID)`);
      aadObjectId = null;
    } else if (aadObjectId && objectIds.has(aadObjectId)) {
      check.problem('AAD_OBJECT_ID', `${aadObjectId} is given to more than one person`);
    }
    if (aadObjectId) objectIds.add(aadObjectId);
    const swId = check.optional('SW_ID');
    if (swId && swIds.has(swId)) {
      check.problem('SW_ID', `${swId} is given to ${swIds.get(swId)} too`);
    }
    if (swId && email) swIds.set(swId, email);
    const managerEmail = check.email('MANAGER_EMAIL', { required: false });
    if (managerEmail) managers.push({ line: row, email: managerEmail });
    const levelText = check.value('LEVEL');
    const level = staffLevel(levelText);
    if (level === undefined) {
      check.problem(
        'LEVEL',
        `"${levelText}" is not one of ${STAFF_LEVELS.join(', ')} (or blank for anyone else)`,
      );
    }
    const fteText = check.value('FTE');
    const fte = fteText === '' ? 1 : Number(fteText);
    if (!Number.isFinite(fte) || fte < 0 || fte > 1.5) {
      check.problem(
        'FTE',
        `"${fteText}" is not a full-time equivalent between 0 and 1.5 (e.g. 1 or 0.6)`,
      );
    }
    // A bad LEVEL refuses the import, but the person is still there for others' MANAGER_EMAIL.
    if (!email || !name || !role || managerEmail === undefined) continue;
    staff.set(email, {
      email,
      name,
      role,
      aadObjectId,
      team: check.optional('TEAM'),
      managerEmail,
      fte: Number.isFinite(fte) ? fte : 1,
      swId,
      level: level ?? null,
    });
  }
  for (const { line, email } of managers) {
    if (!staff.has(email)) {
      check.at('Staff.csv', line).problem('MANAGER_EMAIL', `${email} is not in Staff.csv`);
    }
  }
  return staff;
}

/**
 * LEVEL as an HR list may write it: any case, words apart by spaces or hyphens ("Head of
 * Service", "head-of-service"). Null when blank, undefined when it is none of the levels.
 */
function staffLevel(text: string): StaffLevel | null | undefined {
  if (text.trim() === '') return null;
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
  return STAFF_LEVELS.find((l) => l === key);
}

function readEpisodes(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
  today: LocalDate,
): EpisodeRecord[] {
  const episodes: EpisodeRecord[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    check.at('Episodes.csv', row);
    const child = check.child(children);
    const childId = child?.childId;
    const decom = check.pastDate('DECOM', today, { required: true, what: 'an episode' });
    const dec = check.pastDate('DEC', today, { required: false, what: 'the end of an episode' });
    const rne = check.code('RNE', RNE_CODES, { required: true });
    const ls = check.code('LS', LS_CODES, { required: true });
    const rec = check.code('REC', REC_CODES, { required: false });
    if (decom && dec && dec < decom) {
      check.problem('DEC', `${formatUkDate(dec)} is before DECOM ${formatUkDate(decom)}`);
    }
    if (dec && rec === null)
      check.problem('REC', 'is blank but DEC is filled; give the reason the episode ceased');
    if (dec === null && rec)
      check.problem('DEC', `is blank but REC is ${rec}; give the date the episode ceased`);
    const key = `${childId}|${decom}`;
    if (childId && decom && seen.has(key)) {
      check.problem('DECOM', `${childId} has two episodes starting ${formatUkDate(decom)}`);
      continue;
    }
    seen.add(key);
    if (!childId || !decom || dec === undefined || !rne || !ls || rec === undefined) continue;
    episodes.push({
      childId,
      decom,
      rne,
      ls,
      cin: check.optional('CIN'),
      place: check.optional('PLACE'),
      placeProvider: check.optional('PLACE_PROVIDER'),
      dec,
      rec,
      reasonPlaceChange: check.optional('REASON_PLACE_CHANGE'),
      homePost: check.optional('HOME_POST'),
      plPost: check.optional('PL_POST'),
      urn: check.optional('URN'),
    });
  }
  return episodes;
}

function periodsByChild(episodes: readonly EpisodeRecord[]): Map<string, PeriodOfCare[]> {
  const byChild = new Map<string, EpisodeRecord[]>();
  for (const e of episodes) {
    const list = byChild.get(e.childId);
    if (list) list.push(e);
    else byChild.set(e.childId, [e]);
  }
  return new Map([...byChild].map(([id, list]) => [id, periodsOfCare(list)]));
}

/**
 * Why a review date lies outside every period of care, in words (the product's own check, not a
 * DfE rule); undefined when it lies inside one.
 */
function outsidePeriods(
  childId: string,
  periods: readonly PeriodOfCare[],
  date: LocalDate,
): string | undefined {
  if (periods.some((p) => coversDate(p, date))) return undefined;
  const when = formatUkDate(date);
  const later = periods.find((p) => p.start > date);
  const earlier = periods.findLast((p) => p.end !== null && p.end < date)?.end;
  if (later && earlier) {
    return `${when} is between two periods of care of ${childId}: not looked after from ${formatUkDate(earlier)} (DEC) to ${formatUkDate(later.start)} (DECOM) in Episodes.csv`;
  }
  if (earlier)
    return `${when} is after ${childId} left care (DEC ${formatUkDate(earlier)} in Episodes.csv)`;
  if (later)
    return `${when} is before ${childId}'s period of care began (DECOM ${formatUkDate(later.start)} in Episodes.csv)`;
  return `${when} is outside ${childId}'s periods of care in Episodes.csv`;
}

function readReviews(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
  periods: Map<string, PeriodOfCare[]>,
  today: LocalDate,
): HeldReviewRecord[] {
  const reviews: HeldReviewRecord[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    check.at('Reviews.csv', row);
    const child = check.child(children, 'INT08');
    if (!child) continue;
    const { childId } = child;
    const dobText = check.value('DOB');
    const dob = dobText === '' ? child.dob : parseUkDate(dobText);
    if (!dob) {
      check.badDate('DOB', dobText);
    } else if (dob !== child.dob) {
      check.problem(
        'DOB',
        `INT17 ${formatUkDate(dob)} differs from Header.csv (${formatUkDate(child.dob)})`,
      );
    }
    const breaches = validateReviewRow({
      dob: child.dob,
      reviewDate: check.value('REVIEW'),
      reviewCode: check.value('REVIEW_CODE'),
      parseDate: parseUkDate,
    });
    for (const b of breaches) {
      const column = b.rule === '166' ? 'REVIEW' : 'REVIEW_CODE';
      const reviewText = check.value('REVIEW');
      // Rule 166 on a filled REVIEW is a date in the wrong format, grouped as the other dates are.
      if (b.rule === '166' && reviewText !== '') check.badDate(column, reviewText, b.rule);
      else check.problem(column, `${b.rule} ${b.message}`);
    }
    if (breaches.length > 0) continue;
    const heldOn = parseUkDate(check.value('REVIEW')) as LocalDate;
    const reviewCode = check.value('REVIEW_CODE').toUpperCase() as ParticipationCode;
    if (heldOn > today) {
      check.problem(
        'REVIEW',
        `${formatUkDate(heldOn)} is in the future; a review is recorded once it has been held`,
      );
      continue;
    }
    const childPeriods = periods.get(childId);
    if (!childPeriods) {
      check.problem('CHILD', `1012 ${childId} has reviews but no episode in Episodes.csv`);
      continue;
    }
    const outside = outsidePeriods(childId, childPeriods, heldOn);
    if (outside) {
      check.problem('REVIEW', outside);
      continue;
    }
    const key = `${childId}|${heldOn}`;
    if (seen.has(key)) {
      check.problem('REVIEW', `${childId} has two reviews on ${formatUkDate(heldOn)}`);
      continue;
    }
    seen.add(key);
    if (dob === child.dob) reviews.push({ childId, heldOn, reviewCode });
  }
  return reviews;
}

function readAllocations(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
  staff: Map<string, StaffRecord>,
): Map<string, AllocationRecord> {
  const allocations = new Map<string, AllocationRecord>();
  const staffWithRole = (column: string, role: StaffRoleName): string | null | undefined => {
    const email = check.email(column, { required: false });
    if (!email) return email;
    const person = staff.get(email);
    if (!person) {
      check.problem(column, `${email} is not in Staff.csv`);
      return undefined;
    }
    if (person.role !== role) {
      check.problem(column, `${email} has ROLE ${person.role} in Staff.csv, not ${role}`);
      return undefined;
    }
    return email;
  };
  const seen = new Set<string>();
  for (const row of table.rows) {
    check.at('Allocations.csv', row);
    const child = check.child(children);
    const childId = child?.childId;
    if (childId && seen.has(childId)) {
      check.problem('CHILD', `${childId} appears more than once`);
      continue;
    }
    if (childId) seen.add(childId);
    const iroEmail = staffWithRole('IRO_EMAIL', 'iro');
    const swEmail = staffWithRole('SW_EMAIL', 'social_worker');
    if (!childId || iroEmail === undefined || swEmail === undefined) continue;
    allocations.set(childId, {
      childId,
      iroEmail,
      swEmail,
      firstName: check.optional('FIRST_NAME'),
      lastName: check.optional('LAST_NAME'),
    });
  }
  return allocations;
}

/**
 * SWEpisodes (903, since 2023/24): a child's social worker is the one in their open episode
 * (SW_DEC blank), matched to Staff.csv by SW_ID, unless Allocations.csv names one.
 */
function readSocialWorkerEpisodes(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
  staff: Map<string, StaffRecord>,
  allocations: Map<string, AllocationRecord>,
  today: LocalDate,
): void {
  const bySwId = new Map(
    [...staff.values()].filter((s) => s.swId).map((s) => [s.swId as string, s]),
  );
  const open = new Map<string, { line: number; decom: LocalDate; swId: string; row: CsvRow }>();
  for (const row of table.rows) {
    check.at('SWEpisodes.csv', row);
    const child = check.child(children);
    const dobText = check.value('DOB');
    const dob = dobText === '' ? child?.dob : parseUkDate(dobText);
    if (!dob) check.badDate('DOB', dobText);
    else if (child && dob !== child.dob) {
      check.problem(
        'DOB',
        `${formatUkDate(dob)} differs from Header.csv (${formatUkDate(child.dob)})`,
      );
    }
    const swId = check.required('SW_ID');
    const decom = check.pastDate('SW_DECOM', today, {
      required: true,
      what: 'a social worker episode',
    });
    const dec = check.pastDate('SW_DEC', today, {
      required: false,
      what: 'the end of a social worker episode',
    });
    if (decom && dec && dec < decom) {
      check.problem('SW_DEC', `${formatUkDate(dec)} is before SW_DECOM ${formatUkDate(decom)}`);
    }
    if (!child || !swId || !decom || dec !== null) continue;
    const other = open.get(child.childId);
    if (other) {
      check.problem(
        'SW_DEC',
        `is blank, but ${child.childId} already has an open social worker episode (line ${other.line}); end one of them`,
      );
      continue;
    }
    open.set(child.childId, { line: row.line, decom, swId, row });
  }
  for (const [childId, episode] of open) {
    const allocation = allocations.get(childId);
    if (allocation?.swEmail) continue;
    check.at('SWEpisodes.csv', episode.row);
    const worker = bySwId.get(episode.swId);
    if (!worker) {
      check.problem(
        'SW_ID',
        `${episode.swId} is not in Staff.csv's SW_ID column; add the social worker there, or give SW_EMAIL in Allocations.csv`,
      );
      continue;
    }
    if (worker.role !== 'social_worker') {
      check.problem('SW_ID', `${episode.swId} is ${worker.email}, whose ROLE is ${worker.role}`);
      continue;
    }
    allocations.set(childId, {
      childId,
      iroEmail: allocation ? allocation.iroEmail : undefined,
      swEmail: worker.email,
      firstName: allocation?.firstName ?? null,
      lastName: allocation?.lastName ?? null,
    });
  }
}

/** LastReviews.csv: the last review held before the extract, for children whose period began earlier. */
function readPreviousReviews(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
  episodes: readonly EpisodeRecord[],
  reviews: readonly HeldReviewRecord[],
  today: LocalDate,
): PreviousReviewRecord[] {
  const firstReview = new Map<string, LocalDate>();
  for (const r of reviews) {
    const current = firstReview.get(r.childId);
    if (!current || r.heldOn < current) firstReview.set(r.childId, r.heldOn);
  }
  const firstEpisode = new Map<string, EpisodeRecord>();
  for (const e of episodes) {
    const current = firstEpisode.get(e.childId);
    if (!current || e.decom < current.decom) firstEpisode.set(e.childId, e);
  }
  const out: PreviousReviewRecord[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    check.at('LastReviews.csv', row);
    const child = check.child(children);
    if (child && seen.has(child.childId)) {
      check.problem('CHILD', `${child.childId} appears more than once`);
      continue;
    }
    if (child) seen.add(child.childId);
    const heldOn = check.pastDate('LAST_REVIEW', today, { required: true, what: 'a review' });
    const numberText = check.value('REVIEW_NUMBER');
    const number = numberText === '' ? null : Number(numberText);
    if (number !== null && (!Number.isInteger(number) || number < 1 || number > 99)) {
      check.problem(
        'REVIEW_NUMBER',
        `"${numberText}" is not a review number (1 for the child's first review of the period, 2, 3, ...; blank for a later review)`,
      );
      continue;
    }
    if (!child || !heldOn) continue;
    const first = firstReview.get(child.childId);
    if (first && heldOn >= first) {
      check.problem(
        'LAST_REVIEW',
        `${formatUkDate(heldOn)} is not before ${child.childId}'s first review in Reviews.csv (${formatUkDate(first)}); give the last review held before the extract`,
      );
      continue;
    }
    const episode = firstEpisode.get(child.childId);
    if (episode?.rne === 'S' && heldOn < episode.decom) {
      check.problem(
        'LAST_REVIEW',
        `${formatUkDate(heldOn)} is before ${child.childId}'s period of care began (${formatUkDate(episode.decom)}, RNE S)`,
      );
      continue;
    }
    out.push({ childId: child.childId, heldOn, number });
  }
  return out;
}
