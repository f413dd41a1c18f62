import { formatUkDate, parseUkDate, type LocalDate } from '../domain/local-date.js';
import { validateReviewRow, type RuleBreach } from '../domain/participation.js';
import { csvLine } from '../shared/csv-cell.js';
import type { ChildCase, CaseReader } from './ports.js';

export const REVIEWS_FILE_COLUMNS = ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'] as const;

export interface ReviewsFile {
  csv: string;
  rows: number;
  /** Rows left out because they break a 903 rule (none when the store is consistent). */
  rejected: { child: string; review: string; breach: RuleBreach }[];
  /**
   * Reviews of children whose every episode in the range is a short break (LS V3 or V4): the 903
   * has no REVIEW for them (DfE rule 399), though the product holds their reviews.
   */
  shortBreaksLeftOut: { reviews: number; children: number };
}

/**
 * The SSDA903 Reviews file for reviews held in [from, to]: one row per review, sorted by CHILD
 * and date, every row checked against rules 166, 167, 440 and 441 before it is written; the
 * reviews of children on short breaks only are left out (rule 399).
 */
export async function exportReviewsFile(
  deps: { cases: CaseReader },
  range: { from: LocalDate; to: LocalDate },
): Promise<ReviewsFile> {
  const cases = await deps.cases.listCases({ inCareBetween: range });
  const lines: string[] = [REVIEWS_FILE_COLUMNS.join(',')];
  const rejected: ReviewsFile['rejected'] = [];
  const shortBreaksLeftOut = { reviews: 0, children: 0 };
  for (const child of cases) {
    const inRange = child.reviews.filter((r) => r.heldOn >= range.from && r.heldOn <= range.to);
    if (inRange.length === 0) continue;
    if (shortBreaksOnly(child, range)) {
      shortBreaksLeftOut.reviews += inRange.length;
      shortBreaksLeftOut.children += 1;
      continue;
    }
    for (const review of inRange) {
      const row = [
        child.childId,
        formatUkDate(child.dob),
        formatUkDate(review.heldOn),
        review.reviewCode,
      ];
      const [breach] = validateReviewRow({
        dob: child.dob,
        reviewDate: row[2] as string,
        reviewCode: review.reviewCode,
        parseDate: parseUkDate,
      });
      if (breach) {
        rejected.push({ child: child.childId, review: row[2] as string, breach });
        continue;
      }
      // CHILD is text and goes through the formula check like any text (a CHILD id may begin
      // with "-"); DOB and REVIEW (dd/mm/yyyy) and REVIEW_CODE (PN0..PN7) never begin with a
      // character it changes, so the 903 reads them as they are.
      lines.push(csvLine(row));
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1, rejected, shortBreaksLeftOut };
}

/** Every period of the child that overlaps the range is a short-break one (so every episode is V3 or V4). */
function shortBreaksOnly(child: ChildCase, range: { from: LocalDate; to: LocalDate }): boolean {
  const overlapping = child.periods.filter(
    (p) => (!p.startKnown || p.start <= range.to) && (p.end === null || p.end >= range.from),
  );
  return overlapping.length > 0 && overlapping.every((p) => p.shortBreak);
}
