import type { LocalDate } from '../../domain/local-date.js';
import type { ParticipationCode } from '../../domain/participation.js';

export const EXTRACT_FILES = {
  header: 'Header.csv',
  episodes: 'Episodes.csv',
  reviews: 'Reviews.csv',
  staff: 'Staff.csv',
  allocations: 'Allocations.csv',
} as const;

export type ExtractFileKey = keyof typeof EXTRACT_FILES;
export type ExtractFileName = (typeof EXTRACT_FILES)[ExtractFileKey];

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
  'Staff.csv': ['EMAIL', 'NAME', 'ROLE', 'AAD_OBJECT_ID', 'TEAM', 'MANAGER_EMAIL', 'FTE'],
  'Allocations.csv': ['CHILD', 'IRO_EMAIL', 'SW_EMAIL', 'FIRST_NAME', 'LAST_NAME'],
};

/** Columns a file may leave out (the child's name comes only from some case systems). */
export const OPTIONAL_COLUMNS: readonly string[] = ['FIRST_NAME', 'LAST_NAME'];

export const STAFF_ROLES = [
  'iro',
  'social_worker',
  'team_manager',
  'service_manager',
  'admin',
] as const;
export type StaffRoleName = (typeof STAFF_ROLES)[number];

export interface ChildRecord {
  childId: string;
  sex: string | null;
  dob: LocalDate;
  ethnic: string | null;
  upn: string | null;
  mother: string | null;
  mcDob: LocalDate | null;
}

export interface EpisodeRecord {
  childId: string;
  decom: LocalDate;
  rne: string;
  ls: string;
  cin: string | null;
  place: string | null;
  placeProvider: string | null;
  dec: LocalDate | null;
  rec: string | null;
  reasonPlaceChange: string | null;
  homePost: string | null;
  plPost: string | null;
  urn: string | null;
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
}

export interface AllocationRecord {
  childId: string;
  iroEmail: string | null;
  swEmail: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** A council's extract, every row valid and every cross-reference resolved. */
export interface Extract {
  children: ChildRecord[];
  episodes: EpisodeRecord[];
  reviews: HeldReviewRecord[];
  staff: StaffRecord[];
  allocations: AllocationRecord[];
}

/** One problem with one cell, printed as `file:row: column: message`. */
export interface ImportProblem {
  file: ExtractFileName;
  line: number;
  column: string;
  message: string;
}

export function formatProblem(p: ImportProblem): string {
  return `${p.file}:${p.line}: ${p.column}: ${p.message}`;
}
