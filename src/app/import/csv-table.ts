import { printableText } from '../../shared/printable-text.js';
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
 * numbered as an editor shows them (a record by the line it starts on), the header being line 1.
 */
export function readCsvTable(file: string, text: string): CsvTable {
  let records: string[][];
  try {
    // Empty lines are kept (as a record of one empty cell) so that every line break is in sight:
    // line numbers are counted here rather than by csv-parse's `info`, which builds two objects
    // per record (a fifth of the time a million-row import spends reading its files).
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: false,
    }) as unknown as string[][];
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
  let next = 1;
  let columns: string[] | undefined;
  const rows: CsvRow[] = [];
  for (const record of records) {
    // Each record starts on a new line, and its cells may hold line breaks (quoted, or a lone LF
    // in a CR LF file); a record is numbered by the line it starts on.
    const line = next;
    next += 1;
    for (const cell of record) next += lineBreaks(cell);
    if (record.every((v) => v.trim() === '')) {
      // An empty line; before the header, a line of blank cells is still the header (as before).
      if (columns === undefined && !(record.length === 1 && record[0] === '')) {
        columns = record.map((c) => c.trim().toUpperCase());
      }
      continue;
    }
    if (columns === undefined) {
      columns = record.map((c) => c.trim().toUpperCase());
      // A column given twice would have its last copy win silently (an empty second IRO_EMAIL
      // would take every child's IRO away): the file is refused instead.
      const twice = columns.find((c, i) => c !== '' && columns?.indexOf(c) !== i);
      if (twice !== undefined) {
        throw new CsvFormatError(
          file,
          line,
          `the column ${printableText(twice, 40)} is there twice: keep one and import the file again`,
        );
      }
      continue;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < columns.length; i += 1) {
      values[columns[i] as string] = (record[i] ?? '').trim();
    }
    rows.push({ line, values });
  }
  return { file, columns: columns ?? [], rows };
}

/** Line breaks as an editor counts them: CR LF, LF or CR alone. */
function lineBreaks(cell: string): number {
  if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) return 0;
  let n = 0;
  for (let i = 0; i < cell.length; i += 1) {
    const c = cell.charCodeAt(i);
    if (c === 10) n += 1;
    else if (c === 13) {
      n += 1;
      if (cell.charCodeAt(i + 1) === 10) i += 1;
    }
  }
  return n;
}
