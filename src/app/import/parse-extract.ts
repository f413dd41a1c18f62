import { z } from 'zod';
import { formatUkDate, parseUkDate, type LocalDate } from '../../domain/local-date.js';
import { validateReviewRow, type ParticipationCode } from '../../domain/participation.js';
import { readCsvTable, type CsvRow, type CsvTable } from './csv-table.js';
import {
  EXTRACT_COLUMNS,
  EXTRACT_FILES,
  OPTIONAL_COLUMNS,
  STAFF_ROLES,
  type AllocationRecord,
  type ChildRecord,
  type EpisodeRecord,
  type Extract,
  type ExtractFileName,
  type HeldReviewRecord,
  type ImportProblem,
  type StaffRecord,
  type StaffRoleName,
} from './extract.js';

/** The columns each file must have (SSDA903 for the first three; DOMAIN.md for the others). */
export const REQUIRED_COLUMNS = Object.fromEntries(
  Object.entries(EXTRACT_COLUMNS).map(([file, columns]) => [
    file,
    columns.filter((c) => !OPTIONAL_COLUMNS.includes(c)),
  ]),
) as unknown as Record<ExtractFileName, readonly string[]>;

/** SSDA903 code lists for the episode columns the review rules depend on. */
const RNE_CODES = ['S', 'P', 'L', 'T', 'U', 'B'];
const LS_CODES = ['C1', 'C2', 'D1', 'E1', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3', 'V2', 'V3', 'V4'];
const REC_CODES = [
  'E11',
  'E12',
  'E13',
  'E14',
  'E15',
  'E16',
  'E17',
  'E2',
  'E3',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
  'E4A',
  'E4B',
  'E5',
  'E6',
  'E7',
  'E8',
  'E9',
  'X1',
];
const CHILD_ID = /^[A-Za-z0-9_-]{1,20}$/;
const emailSchema = z.email();
/**
 * An Entra object id is a GUID. Microsoft 365 Agents Playground's default users carry 13 digits in
 * the last group, so the check is on shape (hex groups), not on the strict GUID grammar.
 */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/;

export type ParseResult = { ok: true; extract: Extract } | { ok: false; problems: ImportProblem[] };

/**
 * Reads and checks a whole extract. Every row of every file is checked, so the council sees all
 * problems at once; the extract is returned only when there are none.
 */
export function parseExtract(
  files: Record<ExtractFileName, string>,
  today: LocalDate,
): ParseResult {
  const problems: ImportProblem[] = [];
  const tables = {} as Record<ExtractFileName, CsvTable>;
  for (const name of Object.values(EXTRACT_FILES)) {
    const table = readCsvTable(name, files[name]);
    for (const column of REQUIRED_COLUMNS[name]) {
      if (!table.columns.includes(column)) {
        problems.push({
          file: name,
          line: 1,
          column,
          message: 'column is missing from the header line',
        });
      }
    }
    tables[name] = table;
  }
  if (problems.length > 0) return { ok: false, problems };

  const check = new Checker(problems);
  const children = readChildren(tables['Header.csv'], check, today);
  const staff = readStaff(tables['Staff.csv'], check);
  const episodes = readEpisodes(tables['Episodes.csv'], check, children);
  const reviews = readReviews(tables['Reviews.csv'], check, children, episodes);
  const allocations = readAllocations(tables['Allocations.csv'], check, children, staff);
  if (problems.length > 0) {
    problems.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || a.line - b.line);
    return { ok: false, problems };
  }
  return {
    ok: true,
    extract: {
      children: [...children.values()],
      episodes,
      reviews,
      staff: [...staff.values()],
      allocations,
    },
  };
}

function fileOrder(file: ExtractFileName): number {
  return Object.values(EXTRACT_FILES).indexOf(file);
}

/** Collects problems for the file and row being read. */
class Checker {
  private file: ExtractFileName = 'Header.csv';
  private row: CsvRow = { line: 0, values: {} };

  constructor(private readonly problems: ImportProblem[]) {}

  at(file: ExtractFileName, row: CsvRow): this {
    this.file = file;
    this.row = row;
    return this;
  }

  get line(): number {
    return this.row.line;
  }

  value(column: string): string {
    return this.row.values[column] ?? '';
  }

  optional(column: string): string | null {
    const v = this.value(column);
    return v === '' ? null : v;
  }

  problem(column: string, message: string): void {
    this.problems.push({ file: this.file, line: this.row.line, column, message });
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
    if (!date) this.problem(column, `"${text}" is not a valid date (dd/mm/yyyy)`);
    return date;
  }

  code(
    column: string,
    allowed: readonly string[],
    { required }: { required: boolean },
  ): string | null | undefined {
    const text = this.value(column).toUpperCase();
    if (text === '') {
      if (required) this.problem(column, 'is blank');
      return required ? undefined : null;
    }
    if (!allowed.includes(text)) {
      this.problem(column, `"${text}" is not a valid code (${allowed.join(', ')})`);
      return undefined;
    }
    return text;
  }

  email(column: string, { required }: { required: boolean }): string | null | undefined {
    const text = this.value(column).toLowerCase();
    if (text === '') {
      if (required) this.problem(column, 'is blank');
      return required ? undefined : null;
    }
    if (!emailSchema.safeParse(text).success) {
      this.problem(column, `"${text}" is not an e-mail address`);
      return undefined;
    }
    return text;
  }
}

function readChildren(table: CsvTable, check: Checker, today: LocalDate): Map<string, ChildRecord> {
  const children = new Map<string, ChildRecord>();
  for (const row of table.rows) {
    check.at('Header.csv', row);
    const childId = check.required('CHILD');
    if (childId && !CHILD_ID.test(childId)) {
      check.problem(
        'CHILD',
        `"${childId}" is not a CHILD id (letters, digits, - or _, at most 20)`,
      );
      continue;
    }
    if (childId && children.has(childId)) {
      check.problem('CHILD', `${childId} appears more than once`);
      continue;
    }
    const dob = check.date('DOB', { required: true });
    if (dob && dob > today) check.problem('DOB', `${formatUkDate(dob)} is in the future`);
    const sex = check.code('SEX', ['1', '2'], { required: false });
    const mcDob = check.date('MC_DOB', { required: false });
    if (!childId || !dob || sex === undefined || mcDob === undefined) continue;
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
  const managers: { line: CsvRow; email: string }[] = [];
  for (const row of table.rows) {
    check.at('Staff.csv', row);
    const email = check.email('EMAIL', { required: true });
    if (email && staff.has(email)) {
      check.problem('EMAIL', `${email} appears more than once`);
      continue;
    }
    const name = check.required('NAME');
    const roleText = check.value('ROLE').toLowerCase();
    const role = STAFF_ROLES.find((r) => r === roleText);
    if (!role) check.problem('ROLE', `"${roleText}" is not one of ${STAFF_ROLES.join(', ')}`);
    let aadObjectId = check.optional('AAD_OBJECT_ID')?.toLowerCase() ?? null;
    if (aadObjectId && !OBJECT_ID.test(aadObjectId)) {
      check.problem('AAD_OBJECT_ID', `"${aadObjectId}" is not an Entra object id (a GUID)`);
      aadObjectId = null;
    } else if (aadObjectId && objectIds.has(aadObjectId)) {
      check.problem('AAD_OBJECT_ID', `${aadObjectId} is given to more than one person`);
    }
    if (aadObjectId) objectIds.add(aadObjectId);
    const managerEmail = check.email('MANAGER_EMAIL', { required: false });
    if (managerEmail) managers.push({ line: row, email: managerEmail });
    const fteText = check.value('FTE');
    const fte = fteText === '' ? 1 : Number(fteText);
    if (!Number.isFinite(fte) || fte < 0 || fte > 1.5) {
      check.problem(
        'FTE',
        `"${fteText}" is not a full-time equivalent between 0 and 1.5 (e.g. 1 or 0.6)`,
      );
    }
    if (!email || !name || !role || managerEmail === undefined) continue;
    staff.set(email, {
      email,
      name,
      role,
      aadObjectId,
      team: check.optional('TEAM'),
      managerEmail,
      fte: Number.isFinite(fte) ? fte : 1,
    });
  }
  for (const { line, email } of managers) {
    if (!staff.has(email)) {
      check.at('Staff.csv', line).problem('MANAGER_EMAIL', `${email} is not in Staff.csv`);
    }
  }
  return staff;
}

function readEpisodes(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
): EpisodeRecord[] {
  const episodes: EpisodeRecord[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    check.at('Episodes.csv', row);
    const childId = check.required('CHILD');
    if (childId && !children.has(childId))
      check.problem('CHILD', `${childId} is not in Header.csv`);
    const decom = check.date('DECOM', { required: true });
    const dec = check.date('DEC', { required: false });
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

function readReviews(
  table: CsvTable,
  check: Checker,
  children: Map<string, ChildRecord>,
  episodes: EpisodeRecord[],
): HeldReviewRecord[] {
  const spans = new Map<string, { from: LocalDate; to: LocalDate | null }[]>();
  for (const e of episodes) {
    const list = spans.get(e.childId) ?? [];
    list.push({ from: e.decom, to: e.dec });
    spans.set(e.childId, list);
  }
  const reviews: HeldReviewRecord[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    check.at('Reviews.csv', row);
    const childId = check.required('CHILD');
    if (!childId) continue;
    const child = children.get(childId);
    if (!child) {
      check.problem('CHILD', `INT08 ${childId} is not in Header.csv`);
      continue;
    }
    const dobText = check.value('DOB');
    const dob = parseUkDate(dobText);
    if (!dob) {
      check.problem('DOB', `"${dobText}" is not a valid date (dd/mm/yyyy)`);
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
      check.problem(column, `${b.rule} ${b.message}`);
    }
    if (breaches.length > 0) continue;
    const heldOn = parseUkDate(check.value('REVIEW')) as LocalDate;
    const reviewCode = check.value('REVIEW_CODE').toUpperCase() as ParticipationCode;
    const covered = (spans.get(childId) ?? []).some(
      (s) => s.from <= heldOn && (s.to === null || heldOn <= s.to),
    );
    if (!covered) {
      check.problem('REVIEW', `1012 ${childId} has no episode of care on ${formatUkDate(heldOn)}`);
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
): AllocationRecord[] {
  const allocations: AllocationRecord[] = [];
  const seen = new Set<string>();
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
  for (const row of table.rows) {
    check.at('Allocations.csv', row);
    const childId = check.required('CHILD');
    if (childId && !children.has(childId))
      check.problem('CHILD', `${childId} is not in Header.csv`);
    if (childId && seen.has(childId)) {
      check.problem('CHILD', `${childId} appears more than once`);
      continue;
    }
    if (childId) seen.add(childId);
    const iroEmail = staffWithRole('IRO_EMAIL', 'iro');
    const swEmail = staffWithRole('SW_EMAIL', 'social_worker');
    if (!childId || iroEmail === undefined || swEmail === undefined) continue;
    allocations.push({
      childId,
      iroEmail,
      swEmail,
      firstName: check.optional('FIRST_NAME'),
      lastName: check.optional('LAST_NAME'),
    });
  }
  return allocations;
}
