import { expect } from 'vitest';
import {
  EXTRACT_FILES,
  formatProblem,
  type ImportProblem,
} from '../../../src/app/import/extract.js';

const FILES = new Set<string>(Object.values(EXTRACT_FILES));

/** A problem a council's data team can act on: which file, which line, which column, and why. */
export function expectClearProblem(p: ImportProblem): void {
  expect(FILES.has(p.file), p.file).toBe(true);
  expect(Number.isInteger(p.line) && p.line >= 1, `line ${p.line}`).toBe(true);
  expect(p.column.length).toBeGreaterThan(0);
  expect(p.column.length).toBeLessThanOrEqual(100);
  expect(p.message.length).toBeGreaterThan(0);
  const printed = formatProblem(p);
  // Short enough to read in a terminal, and safe to print there: no escape sequences, no
  // control characters that would rewrite the screen, no half surrogate pairs.
  expect(printed.length, printed.slice(0, 200)).toBeLessThanOrEqual(600);
  expect(printed, JSON.stringify(printed)).not.toMatch(
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
  );
  expect(printed).not.toMatch(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
  );
  // (Not "undefined" or "NaN": a file may hold those words, and a problem quotes them.)
  expect(printed).not.toMatch(/\bat .+\.(?:ts|js):\d+|Error:|\[object Object\]/);
}
