import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualReportCsv } from '../../../src/app/annual-report-sections.js';
import { exportReviewsFile } from '../../../src/app/export-reviews.js';
import type { CaseReader, ChildCase } from '../../../src/app/ports.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { csvCell, csvLine, neutraliseFormula } from '../../../src/shared/csv-cell.js';
import type { ReportSection } from '../../../src/tab/api-types.js';
import { anyText, HOSTILE_PIECES, params } from './hostile-input.js';

/** What a spreadsheet runs as a formula when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const cellText = fc.oneof(
  anyText,
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20'),
      anyText,
    )
    .map(([start, rest]) => start + rest),
  fc.constantFrom(
    ...HOSTILE_PIECES,
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    '"',
    '""',
    ',',
    '\r\n',
  ),
);

/** The cells of the one line a CSV text holds, as a spreadsheet would split them. */
function cellsOf(csv: string): string[] {
  const records = parse(csv, { relax_column_count: false }) as string[][];
  expect(records).toHaveLength(1);
  return records[0] as string[];
}

describe('CSV cells the app writes (property)', () => {
  it('text never starts a formula, reads back as written (after the apostrophe), one cell each', () => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 6 }), (texts) => {
        // A line of blanks only is no record; a number first keeps it one.
        const cells = cellsOf(`0,${csvLine(texts)}\r\n`).slice(1);
        expect(cells).toHaveLength(texts.length);
        cells.forEach((cell, i) => {
          const text = texts[i] as string;
          expect(cell).not.toMatch(FORMULA_START);
          // The text goes out as UTF-8: half of a surrogate pair is written as U+FFFD.
          const sent = text.replace(LONE_SURROGATE, '\ufffd');
          expect(cell).toBe(FORMULA_START.test(sent) ? `'${sent}` : sent);
          expect(neutraliseFormula(sent)).toBe(cell);
        });
      }),
      params(1500, 20),
    );
  });

  it('numbers stay numbers, negative ones included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        (n, decimals) => {
          const written = csvCell(decimals === undefined ? { number: n } : { number: n, decimals });
          // (-0 is written as 0, which is what it is.)
          const expected = decimals === undefined ? n : Number(n.toFixed(decimals));
          expect(Number(written) + 0).toBe(expected + 0);
          expect(written).toMatch(/^-?\d/);
        },
      ),
      params(1000, 21),
    );
    expect(csvCell({ number: -3 })).toBe('-3');
    expect(csvCell({ number: -12.345, decimals: 1 })).toBe('-12.3');
    expect(csvCell({ number: Number.NaN })).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('the annual report CSV neutralises every text cell (labels, scope, titles)', () => {
    fc.assert(
      fc.property(
        cellText,
        cellText,
        cellText,
        fc.integer({ min: -1000, max: 1000 }),
        (scope, title, label, n) => {
          const sections: ReportSection[] = [
            {
              id: 'x',
              title,
              rows: [{ label, unit: 'count', current: n, previous: -n }],
            } as unknown as ReportSection,
          ];
          const csv = annualReportCsv(sections, {
            from: '2026-04-01' as LocalDate,
            to: '2027-03-31' as LocalDate,
            previousFrom: '2025-04-01' as LocalDate,
            previousTo: '2026-03-31' as LocalDate,
            scopeLabel: scope,
          });
          const records = parse(csv, { relax_column_count: true }) as string[][];
          const figures = records.at(-1) ?? [];
          // Every text cell is neutral; the figures are numbers as they are (-3 stays -3).
          for (const cell of [...records.slice(0, -1).flat(), ...figures.slice(0, 2)])
            expect(cell).not.toMatch(FORMULA_START);
          expect(figures.slice(2)).toEqual([String(n), String(-n)]);
        },
      ),
      params(300, 22),
    );
  });

  it('the SSDA903 Reviews export neutralises CHILD, and keeps dates and codes as the 903 needs', async () => {
    const childId = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    await fc.assert(
      fc.asyncProperty(childId, async (id) => {
        const child = {
          childId: id,
          dob: '2015-02-01' as LocalDate,
          periods: [{ start: '2020-01-01', startKnown: true, end: null, shortBreak: false }],
          reviews: [{ heldOn: '2026-05-04' as LocalDate, reviewCode: 'PN1' }],
        } as unknown as ChildCase;
        const cases = { listCases: async () => [child] } as unknown as CaseReader;
        const file = await exportReviewsFile(
          { cases },
          {
            from: '2026-04-01' as LocalDate,
            to: '2027-03-31' as LocalDate,
          },
        );
        const [header, row] = parse(file.csv) as string[][];
        expect(header).toEqual(['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE']);
        expect(row).toEqual([neutraliseFormula(id), '01/02/2015', '04/05/2026', 'PN1']);
        expect(row?.[0]).not.toMatch(FORMULA_START);
      }),
      params(200, 23),
    );
  });
});
