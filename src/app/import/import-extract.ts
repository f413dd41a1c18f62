import type { LocalDate } from '../../domain/local-date.js';
import type { ChangeContext, ExtractWriter, ImportProgress, ImportSummary } from '../ports.js';
import type { ExtractFileName, ImportProblem } from './extract.js';
import { parseExtract } from './parse-extract.js';

export type ImportResult =
  { ok: true; summary: ImportSummary } | { ok: false; problems: ImportProblem[] };

/**
 * Checks a whole extract and, only when every row is valid, writes it in one transaction.
 * Re-importing the same or a newer extract updates rows in place.
 */
export async function importExtract(
  deps: { extracts: ExtractWriter },
  files: Record<ExtractFileName, string>,
  context: ChangeContext & { today: LocalDate },
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  const parsed = parseExtract(files, context.today);
  if (!parsed.ok) return parsed;
  const summary = await deps.extracts.saveExtract(parsed.extract, context, onProgress);
  return { ok: true, summary };
}
