/**
 * The benchmark's synthetic national-scale partnership: the demo council's generator asked for
 * BENCH_CHILDREN children looked after, 1.4 times as many who left care in the last ten years,
 * 600 IROs in teams sized so that each team's service has about 2,000 children looked after
 * (with its own team manager), and up to ten years of reviews per child.
 */
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../src/domain/bank-holidays.js';
import type { LocalDate } from '../src/domain/local-date.js';
import { createWorkingCalendar } from '../src/domain/working-days.js';
import { demoCouncilExtract } from '../src/demo/demo-council.js';
import type { ExtractFiles } from '../src/app/import/extract.js';

export const IROS = 600;
export const YEARS = 10;
/** Children looked after in one IRO team's service (a team manager's caseload summary). */
export const SERVICE_CHILDREN = 2000;

export interface NationalDataset {
  files: ExtractFiles;
  /** Data rows per file (the header line apart). */
  rows: Record<keyof ExtractFiles, number>;
  totalRows: number;
  children: number;
  reviews: number;
}

export function nationalDataset(today: LocalDate, lookedAfter: number): NationalDataset {
  const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
  const files = demoCouncilExtract({
    today,
    calendar,
    seed: 1,
    childrenLookedAfter: lookedAfter,
    childrenLeftCare: Math.round(lookedAfter * 1.4),
    iros: IROS,
    irosPerTeam: Math.max(1, Math.round((IROS * SERVICE_CHILDREN) / lookedAfter)),
    leftCareYears: YEARS,
  });
  const rows = Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, text.split('\r\n').length - 2]),
  ) as Record<keyof ExtractFiles, number>;
  return {
    files,
    rows,
    totalRows: Object.values(rows).reduce((a, b) => a + b, 0),
    children: rows['Header.csv'],
    reviews: rows['Reviews.csv'],
  };
}

/** The Staff.csv rows the benchmark needs: who is an IRO or a team manager, with their ids. */
export interface BenchStaff {
  email: string;
  role: string;
  aadObjectId: string;
  team: string;
}

export function staffOf(files: ExtractFiles): BenchStaff[] {
  const [head, ...lines] = files['Staff.csv'].trim().split('\r\n');
  const columns = (head as string).split(',');
  const at = (name: string) => columns.indexOf(name);
  return lines.map((line) => {
    const cells = line.split(',');
    return {
      email: cells[at('EMAIL')] as string,
      role: cells[at('ROLE')] as string,
      aadObjectId: cells[at('AAD_OBJECT_ID')] as string,
      team: cells[at('TEAM')] as string,
    };
  });
}
