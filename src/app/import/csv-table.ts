import { parse } from 'csv-parse/sync';

/** One data row of a CSV file, keyed by upper-cased column name, with its line in the file. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  file: string;
  columns: string[];
  rows: CsvRow[];
}

export class CsvFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'CsvFormatError';
  }
}

/**
 * Reads a CSV file whose first line names the columns. Column names are matched without regard
 * to case or surrounding spaces; a UTF-8 byte-order mark (as Excel writes) is ignored. Lines are
 * numbered as an editor shows them, the header being line 1.
 */
export function readCsvTable(file: string, text: string): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    const reason = (error as { code?: string }).code ?? 'unreadable CSV';
    throw new CsvFormatError(file, line, `the file is not valid CSV (${reason})`);
  }
  const [header, ...data] = records;
  if (!header) return { file, columns: [], rows: [] };
  const columns = header.record.map((c) => c.trim().toUpperCase());
  const rows = data
    .filter((r) => r.record.some((v) => v.trim() !== ''))
    .map((r) => {
      const values: Record<string, string> = {};
      columns.forEach((c, i) => {
        values[c] = (r.record[i] ?? '').trim();
      });
      return { line: r.info.lines, values };
    });
  return { file, columns, rows };
}
