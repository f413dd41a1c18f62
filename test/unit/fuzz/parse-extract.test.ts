import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExtract } from '../../../src/app/import/parse-extract.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { baseExtract, hostileExtract } from './extract-mutations.js';
import { params } from './hostile-input.js';
import { expectClearProblem } from './import-problems.js';

const TODAY = '2026-11-23' as LocalDate;
describe('parseExtract under hostile files (property)', () => {
  it('reads the base extract (so every failure below comes from a mutation)', () => {
    expect(parseExtract(baseExtract(), { today: TODAY }).ok).toBe(true);
  });

  it('reports a file that is not valid CSV as a problem with its line, not as an exception', () => {
    const files = { ...baseExtract() };
    files['Reviews.csv'] = 'CHILD,DOB,REVIEW,REVIEW_CODE\nC2,15/06/2019,03/"02/2025,PN1\n';
    const result = parseExtract(files, { today: TODAY });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file: 'Reviews.csv',
          line: 2,
          column: 'REVIEW',
          message:
            'the file is not valid CSV: a quote (") in the middle of a cell; put the whole cell in quotes and write the quote as two ("")',
        },
      ],
    });
  });

  it('quotes a hostile value safely: escapes shown, long values cut', () => {
    const files = { ...baseExtract() };
    files['Header.csv'] = files['Header.csv'].replace(
      'C1,M,01/02/2015',
      `C1,M,\u001b[2J${'9'.repeat(500)}`,
    );
    const result = parseExtract(files, { today: TODAY });
    expect(result.ok).toBe(false);
    const [problem] = result.ok ? [] : result.problems;
    expect(problem?.message).toBe(`"\\u001b[2J${'9'.repeat(55)}… is not a valid date (dd/mm/yyyy)`);
  });

  it('never throws: the extract, or clear problems naming file, line and column', () => {
    fc.assert(
      fc.property(hostileExtract, (files) => {
        const result = parseExtract(files, { today: TODAY });
        if (result.ok) {
          for (const child of result.extract.children)
            expect(child.childId).toMatch(/^[A-Za-z0-9_-]{1,20}$/);
          return;
        }
        expect(result.problems.length).toBeGreaterThan(0);
        for (const p of result.problems) expectClearProblem(p);
      }),
      params(250, 10),
    );
  });
});
