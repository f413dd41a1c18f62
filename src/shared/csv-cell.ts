/**
 * What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"): =, +, -, @, a tab
 * or a carriage return, and their full-width forms (＝ ＋ － ＠), which some spreadsheets read
 * as the same.
 */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** A figure, written as a number: never neutralised, so that -3 stays a number. */
export interface CsvNumber {
  number: number;
  /** Digits after the point (percentages to one decimal); as JavaScript writes it when absent. */
  decimals?: number;
}

/** A cell of a CSV file the app writes: text, a number, or blank. */
export type CsvCell = string | CsvNumber | null;

/**
 * Text a spreadsheet would take for a formula gets a leading apostrophe, which Excel, LibreOffice
 * and Google Sheets show as text; anything else is left as it is.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One cell as every CSV the app writes it (RFC 4180): text neutralised against formulas, then
 * quoted when it holds a quote, a comma or a line break; a number as a number (blank when it is
 * not finite); null blank.
 */
export function csvCell(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell !== 'string') {
    if (!Number.isFinite(cell.number)) return '';
    return cell.decimals === undefined ? String(cell.number) : cell.number.toFixed(cell.decimals);
  }
  const text = neutraliseFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line of cells, without its line ending. */
export function csvLine(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',');
}
