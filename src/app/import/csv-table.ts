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
    readonly detail: string,
    /** The position (from 0) of the cell on its line, when the reader knows it. */
    readonly cell?: number,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'CsvFormatError';
  }
}

/** What csv-parse's error codes mean, in words a council's data team can act on. */
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED:
    'a cell opens a quote (") that is never closed; close it, or remove the stray quote',
  CSV_INVALID_CLOSING_QUOTE:
    'a quoted cell has more text after its closing quote; put the whole cell in quotes and write a quote inside it as two ("")',
  INVALID_OPENING_QUOTE:
    'a quote (") in the middle of a cell; put the whole cell in quotes and write the quote as two ("")',
  CSV_INVALID_OPENING_QUOTE:
    'a quote (") in the middle of a cell; put the whole cell in quotes and write the quote as two ("")',
};

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
    const { lines, code, index } = error as { lines?: unknown; code?: unknown; index?: unknown };
    const line = typeof lines === 'number' && lines >= 1 ? lines : 1;
    const reason = typeof code === 'string' ? CSV_ERRORS[code] : undefined;
    throw new CsvFormatError(
      file,
      line,
      `the file is not valid CSV: ${reason ?? 'it could not be read as comma-separated values'}`,
      typeof index === 'number' ? index : undefined,
    );
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
