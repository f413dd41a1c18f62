import { describe, expect, it } from 'vitest';
import type { ExtractFiles, ExtractRefused } from '../../../src/app/import/extract.js';
import { parseExtract } from '../../../src/app/import/parse-extract.js';
import { refusalLines } from '../../../src/app/import/problem-list.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { anExtract } from '../../support/extract-builder.js';

const TODAY = '2026-11-23' as LocalDate;

/** An extract of `n` children, each born on the 14th of a month and in care since 2026. */
function extractOf(n: number): ExtractFiles {
  const builder = anExtract();
  for (let i = 1; i <= n; i += 1) {
    const month = String((i % 12) + 1).padStart(2, '0');
    builder.withChild(`C${i}`, `14/${month}/2012`, '02/03/2026');
  }
  return builder.files();
}

function refused(files: ExtractFiles): ExtractRefused {
  const result = parseExtract(files, { today: TODAY });
  if (result.ok) throw new Error('the extract was imported');
  return result;
}

/** Rewrites every dd/mm/yyyy date in a file's text. */
function redate(text: string, to: (d: string, m: string, y: string) => string): string {
  return text.replace(/\b(\d{2})\/(\d{2})\/(\d{4})\b/g, (_, d: string, m: string, y: string) =>
    to(d, m, y),
  );
}

describe('a column of dates in the wrong format', () => {
  it('is said once for the column, naming the format found, with every problem still counted', () => {
    const files = extractOf(25);
    files['Header.csv'] = redate(files['Header.csv'], (d, m, y) => `${y}-${m}-${d}`);
    const result = refused(files);
    expect(result.problems.filter((p) => p.column === 'DOB')).toHaveLength(25);
    expect(result.columns).toEqual([
      {
        file: 'Header.csv',
        column: 'DOB',
        message:
          'every value is written yyyy-mm-dd (line 2: 2012-02-14), but the 903 needs dd/mm/yyyy. In Excel, select the column, Format Cells > Custom, type dd/mm/yyyy, then save again as "CSV UTF-8 (Comma delimited)".',
      },
    ]);
  });

  it('lists the first 10 problems of the column and counts the rest', () => {
    const files = extractOf(25);
    files['Header.csv'] = redate(files['Header.csv'], (d, m, y) => `${y}-${m}-${d}`);
    const lines = refusalLines(refused(files));
    expect(lines[0]).toMatch(/^Header\.csv, DOB: every value is written yyyy-mm-dd/);
    expect(lines.slice(1)).toEqual([
      'Header.csv:2: DOB: "2012-02-14" is not a valid date (dd/mm/yyyy)',
      ...Array.from({ length: 9 }, (_, i) => expect.stringMatching(`^Header.csv:${i + 3}: DOB: `)),
      'Header.csv: DOB: and 15 more like them further down',
      'Nothing was imported: 25 problems to fix in the extract.',
    ]);
  });

  it('names two-digit years and month-first dates', () => {
    const files = extractOf(6);
    files['Header.csv'] = redate(files['Header.csv'], (d, m, y) => `${d}/${m}/${y.slice(2)}`);
    files['Episodes.csv'] = redate(files['Episodes.csv'], (d, m, y) => `${m}/${d}/${y}`);
    // 02/03/2026 month first is 03/02/2026, a real date: only a day above 12 gives it away.
    files['Episodes.csv'] = files['Episodes.csv'].replace(/03\/02\/2026/g, '03/22/2026');
    const columns = refused(files).columns ?? [];
    expect(columns.map((c) => [c.file, c.column, c.message.split(' (line')[0]])).toEqual([
      ['Header.csv', 'DOB', 'every value is written dd/mm/yy, with a two-digit year'],
      ['Episodes.csv', 'DECOM', 'every value is written mm/dd/yyyy, month first as in the US'],
    ]);
    expect(columns[1]?.message).toContain(
      'Dates whose day is 12 or less (7/4/2012) were read day first',
    );
  });

  it('is not summed up for a few odd values in a column of good ones', () => {
    const files = extractOf(10);
    files['Header.csv'] = files['Header.csv'].replace('14/02/2012', '2012-02-14');
    const result = refused(files);
    expect(result.problems).toHaveLength(1);
    expect(result).not.toHaveProperty('columns');
  });
});

describe('a file separated by something other than commas', () => {
  it.each([
    [';', 'semicolons (;)'],
    ['\t', 'tabs'],
  ])('is one problem for the whole file (%j), not every column missing', (separator, named) => {
    const files = extractOf(2);
    files['Reviews.csv'] = files['Reviews.csv'].replace(/,/g, separator);
    expect(refused(files).problems).toEqual([
      {
        file: 'Reviews.csv',
        line: 1,
        column: '(whole file)',
        message: expect.stringMatching(
          `^the columns are separated by ${named.replace(/[()]/g, '\\$&')}, but the file must be separated by commas: in Excel, save it as "CSV UTF-8 \\(Comma delimited\\)"`,
        ),
      },
    ]);
  });
});

describe('a value quoted in a problem', () => {
  it('is quoted as it was typed, not in the case the check compares in', () => {
    const files = extractOf(1);
    files['Staff.csv'] = files['Staff.csv']
      .replace(',iro,', ',Independent Reviewing Officer,')
      .replace('iro@example.com', 'IRO@Example')
      .replace('11111111-0000-4000-8000-000000000001', 'Not-A-Guid');
    files['Header.csv'] = files['Header.csv'].replace(/,M,/, ',Male,');
    files['Episodes.csv'] = files['Episodes.csv'].replace(/,S,/, ',s1,');
    const messages = refused(files).problems.map((p) => `${p.column}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ROLE: "Independent Reviewing Officer" is not one of /),
        'EMAIL: "IRO@Example" is not an e-mail address',
        'AAD_OBJECT_ID: "Not-A-Guid" is not an Entra object id (a GUID)',
        expect.stringMatching(/^SEX: "Male" is not a valid code/),
        expect.stringMatching(/^RNE: "s1" is not a valid code/),
      ]),
    );
  });
});

describe('a header line without the columns the file needs', () => {
  const hint = (files: ExtractFiles, file: string) =>
    refused(files).problems.find((p) => p.file === file && p.column === '(header line)')?.message;

  it('says the header is further down when a title and a date sit above it', () => {
    const files = extractOf(2);
    files['Reviews.csv'] =
      `SSDA903 Reviews 2026/27\r\nExtracted 04/12/2026\r\n${files['Reviews.csv']}`;
    expect(hint(files, 'Reviews.csv')).toBe(
      'the header is on line 3: delete the 2 lines above it (a title or a date) and import the file again',
    );
  });

  it("quotes the header read and names the 903's columns when the case system named them its own way", () => {
    const files = extractOf(2);
    const [, ...rest] = files['Reviews.csv'].split('\n');
    files['Reviews.csv'] = ['Child ID,Date of Birth,Review Date,Participation Code', ...rest].join(
      '\n',
    );
    const result = refused(files);
    // Each column still named, and one line that says what was read and what is needed.
    expect(result.problems.filter((p) => p.file === 'Reviews.csv').map((p) => p.column)).toEqual([
      'CHILD',
      'DOB',
      'REVIEW',
      'REVIEW_CODE',
      '(header line)',
    ]);
    expect(hint(files, 'Reviews.csv')).toBe(
      'the header line reads "Child ID,Date of Birth,Review Date,Participation Code"; Reviews.csv needs the columns CHILD,DOB,REVIEW,REVIEW_CODE with these names (in any order; other columns are ignored)',
    );
  });

  it('tells a council without Entra object ids yet that the column may be blank', () => {
    const files = anExtract()
      .withChild('C1', '14/02/2012', '02/03/2026')
      .withoutColumn('Staff.csv', 'AAD_OBJECT_ID')
      .files();
    expect(hint(files, 'Staff.csv')).toMatch(
      /^add an AAD_OBJECT_ID column; it may be left blank until you have the Entra object ids/,
    );
  });
});
