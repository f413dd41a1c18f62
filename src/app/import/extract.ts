import type { LocalDate } from '../../domain/local-date.js';
import type { ParticipationCode } from '../../domain/participation.js';
import type { Ssda903Episode } from '../../domain/ssda903-rules.js';

export const EXTRACT_FILES = {
  header: 'Header.csv',
  episodes: 'Episodes.csv',
  reviews: 'Reviews.csv',
  staff: 'Staff.csv',
  allocations: 'Allocations.csv',
  swEpisodes: 'SWEpisodes.csv',
  lastReviews: 'LastReviews.csv',
} as const;

export type ExtractFileKey = keyof typeof EXTRACT_FILES;
export type ExtractFileName = (typeof EXTRACT_FILES)[ExtractFileKey];

/**
 * Files an extract may leave out: the 903's social worker episodes (since 2023/24), and the
 * council's last review before the extract for children whose period began earlier.
 */
export const OPTIONAL_FILES: readonly ExtractFileName[] = ['SWEpisodes.csv', 'LastReviews.csv'];

/** The files of one extract, by their standard names; optional files may be missing. */
export type ExtractFiles = Partial<Record<ExtractFileName, string>> &
  Record<Exclude<ExtractFileName, 'SWEpisodes.csv' | 'LastReviews.csv'>, string>;

/** Every column the app reads from each file, in the order it writes them. */
export const EXTRACT_COLUMNS: Record<ExtractFileName, readonly string[]> = {
  'Header.csv': ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  'Episodes.csv': [
    'CHILD',
    'DECOM',
    'RNE',
    'LS',
    'CIN',
    'PLACE',
    'PLACE_PROVIDER',
    'DEC',
    'REC',
    'REASON_PLACE_CHANGE',
    'HOME_POST',
    'PL_POST',
    'URN',
  ],
  'Reviews.csv': ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'],
  'Staff.csv': [
    'EMAIL',
    'NAME',
    'ROLE',
    'AAD_OBJECT_ID',
    'TEAM',
    'MANAGER_EMAIL',
    'FTE',
    'SW_ID',
    'LEVEL',
  ],
  'Allocations.csv': ['CHILD', 'IRO_EMAIL', 'SW_EMAIL', 'FIRST_NAME', 'LAST_NAME'],
  'SWEpisodes.csv': ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
  'LastReviews.csv': ['CHILD', 'LAST_REVIEW', 'REVIEW_NUMBER'],
};

/**
 * Columns a file may leave out: the child's name comes only from some case systems, SW_ID only
 * from councils that send SWEpisodes, a manager's LEVEL only from councils that add it from their
 * HR list, a review's number only when the council knows it.
 */
export const OPTIONAL_COLUMNS: Partial<Record<ExtractFileName, readonly string[]>> = {
  'Allocations.csv': ['FIRST_NAME', 'LAST_NAME'],
  'Staff.csv': ['SW_ID', 'LEVEL'],
  'SWEpisodes.csv': ['SW_REASON'],
  'LastReviews.csv': ['REVIEW_NUMBER'],
};

export const STAFF_ROLES = [
  'iro',
  'social_worker',
  'team_manager',
  'service_manager',
  'admin',
] as const;
export type StaffRoleName = (typeof STAFF_ROLES)[number];

/**
 * Where a manager sits in the council, lowest first (Staff.csv LEVEL): what a practice alert's
 * stages are given by. ROLE says what someone may see; a head of service usually has ROLE
 * service_manager, so it cannot say this.
 */
export const STAFF_LEVELS = [
  'team_manager',
  'service_manager',
  'head_of_service',
  'assistant_director',
  'director',
] as const;
export type StaffLevel = (typeof STAFF_LEVELS)[number];

/** SEX as the 903 codes it since 2024/25; the older coding 1 and 2 is read as M and F. */
export type Sex = 'M' | 'F' | 'U';

export interface ChildRecord {
  childId: string;
  sex: Sex | null;
  dob: LocalDate;
  ethnic: string | null;
  upn: string | null;
  mother: string | null;
  mcDob: LocalDate | null;
}

/** One row of Episodes.csv, checked: RNE and LS are always there (the 903's row, typed). */
export interface EpisodeRecord extends Omit<Ssda903Episode, 'rne' | 'ls'> {
  childId: string;
  rne: string;
  ls: string;
}

export interface HeldReviewRecord {
  childId: string;
  heldOn: LocalDate;
  reviewCode: ParticipationCode;
}

export interface StaffRecord {
  email: string;
  name: string;
  role: StaffRoleName;
  aadObjectId: string | null;
  team: string | null;
  managerEmail: string | null;
  fte: number;
  /** Their id in the 903 SWEpisodes file. */
  swId: string | null;
  /** Their level as a manager (Staff.csv LEVEL); null when the file gives none. */
  level: StaffLevel | null;
}

/**
 * Who holds a child. An e-mail allocates that person, null says nobody holds the role, and
 * undefined leaves the allocation as it is (a child the file says nothing about).
 */
export interface AllocationRecord {
  childId: string;
  iroEmail: string | null | undefined;
  swEmail: string | null | undefined;
  firstName: string | null;
  lastName: string | null;
}

/** The last review held before the extract, as the council gives it in LastReviews.csv. */
export interface PreviousReviewRecord {
  childId: string;
  heldOn: LocalDate;
  /** Its number in the period of care (1 for the first review); null for a later review. */
  number: number | null;
}

/** A council's extract, every row valid and every cross-reference resolved. */
export interface Extract {
  children: ChildRecord[];
  episodes: EpisodeRecord[];
  reviews: HeldReviewRecord[];
  staff: StaffRecord[];
  allocations: AllocationRecord[];
  previousReviews: PreviousReviewRecord[];
  /**
   * Every review held on or after this day is in the extract; null when it holds every review
   * ever held. Reviews before it are not known, so the due dates that depend on them are not.
   */
  reviewsKnownFrom: LocalDate | null;
  /**
   * The extract's own last date: its latest DECOM, DEC or REVIEW (null when it has none). It
   * cannot know what happened after it, so it never rewinds what a later extract recorded.
   */
  lastDate: LocalDate | null;
}

/** One problem with one cell, printed as `file:row: column: message`. */
export interface ImportProblem {
  file: ExtractFileName;
  line: number;
  column: string;
  message: string;
  /**
   * Set when the problem is one of a kind that fills a column (a date written yyyy-mm-dd):
   * problems of one kind in one column are summed up once, and only the first few are listed.
   */
  kind?: string;
}

/**
 * What is wrong with a whole column, said once: most of its values fail in the same way (every
 * date written yyyy-mm-dd). The problems themselves are listed too.
 */
export interface ColumnProblem {
  file: ExtractFileName;
  column: string;
  message: string;
}

/** An extract refused: every problem, and what is wrong with whole columns. */
export interface ExtractRefused {
  ok: false;
  problems: ImportProblem[];
  /** Absent when no column is wrong as a whole. */
  columns?: ColumnProblem[];
}

export function formatProblem(p: ImportProblem): string {
  return `${p.file}:${p.line}: ${p.column}: ${p.message}`;
}
