import type { LocalDate } from '../../domain/local-date.js';
import type {
  ChangeContext,
  ExtractWriter,
  ImportProgress,
  ImportSummary,
  KeptChild,
  KeptEpisode,
  ReviewConflict,
} from '../ports.js';
import type { ExtractFiles, ExtractRefused } from './extract.js';
import { parseExtract } from './parse-extract.js';

export interface ImportOptions {
  /**
   * From which day Reviews.csv holds every review held: a date, null when it holds every review
   * ever held, undefined to take the 903 year (from 1 April) of its earliest review.
   */
  reviewsFrom?: LocalDate | null;
}

export interface ImportDone {
  ok: true;
  summary: ImportSummary;
  /** Every review held on or after this day is in the extract; null: every review ever held. */
  reviewsKnownFrom: LocalDate | null;
  reviewsFromInferred: boolean;
  /** Children in a current period whose next due date cannot be known (last review before the extract). */
  dueUnknown: string[];
  /** The extract's last date (its latest DECOM, DEC or REVIEW); null when it has none. */
  lastDate: LocalDate | null;
  /** Episodes a later import had ended after `lastDate`: kept as stored, not reopened. */
  keptEpisodes: KeptEpisode[];
  /** Header.csv rows of children a later import gave other details: kept as stored. */
  keptChildren: KeptChild[];
  /** Reviews.csv rows that differ from a review the chair recorded in the app, which was kept. */
  reviewConflicts: ReviewConflict[];
}

export type ImportResult = ImportDone | ExtractRefused;

/**
 * Checks a whole extract and, only when every row is valid, writes it in one transaction.
 * Re-importing the same or a newer extract updates rows in place; an older one never reopens an
 * episode that a later import ended.
 */
export async function importExtract(
  deps: { extracts: ExtractWriter },
  files: ExtractFiles,
  context: ChangeContext & { today: LocalDate },
  onProgress?: (progress: ImportProgress) => void,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const parsed = parseExtract(files, {
    today: context.today,
    knownChildIds: await deps.extracts.childIds(),
    ...(options.reviewsFrom !== undefined ? { reviewsFrom: options.reviewsFrom } : {}),
  });
  if (!parsed.ok) return parsed;
  const saved = await deps.extracts.saveExtract(parsed.extract, context, onProgress);
  return {
    ok: true,
    summary: saved.summary,
    reviewsKnownFrom: parsed.extract.reviewsKnownFrom,
    reviewsFromInferred: parsed.reviewsFromInferred,
    dueUnknown: saved.dueUnknown,
    lastDate: parsed.extract.lastDate,
    keptEpisodes: saved.keptEpisodes,
    keptChildren: saved.keptChildren,
    reviewConflicts: saved.reviewConflicts,
  };
}
