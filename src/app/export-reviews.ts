import { formatUkDate, parseUkDate, type LocalDate } from '../domain/local-date.js';
import { validateReviewRow, type RuleBreach } from '../domain/participation.js';
import type { CaseReader } from './ports.js';

export const REVIEWS_FILE_COLUMNS = ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'] as const;

export interface ReviewsFile {
  csv: string;
  rows: number;
  /** Rows left out because they break a 903 rule (none when the store is consistent). */
  rejected: { child: string; review: string; breach: RuleBreach }[];
}

/**
 * The SSDA903 Reviews file for reviews held in [from, to]: one row per review, sorted by CHILD
 * and date, every row checked against rules 166, 167, 440 and 441 before it is written.
 */
export async function exportReviewsFile(
  deps: { cases: CaseReader },
  range: { from: LocalDate; to: LocalDate },
): Promise<ReviewsFile> {
  const cases = await deps.cases.listCases({ inCareBetween: range });
  const lines: string[] = [REVIEWS_FILE_COLUMNS.join(',')];
  const rejected: ReviewsFile['rejected'] = [];
  for (const child of cases) {
    for (const review of child.reviews) {
      if (review.heldOn < range.from || review.heldOn > range.to) continue;
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
      lines.push(row.map(csvCell).join(','));
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1, rejected };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
