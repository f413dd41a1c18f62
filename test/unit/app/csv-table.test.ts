import { describe, expect, it } from 'vitest';
import { CsvFormatError, readCsvTable } from '../../../src/app/import/csv-table.js';

describe('reading a CSV file as a council sends it', () => {
  it('numbers each row by the line an editor shows it starting on', () => {
    const text = [
      '\uFEFF',
      'child , Review',
      'C1,"a note',
      'over two lines"',
      '',
      '  ,  ',
      'C2,"x\r\ny\r\nz"',
      'C3,plain',
    ].join('\r\n');
    const table = readCsvTable('Reviews.csv', text);
    expect(table.columns).toEqual(['CHILD', 'REVIEW']);
    expect(table.rows).toEqual([
      { line: 3, values: { CHILD: 'C1', REVIEW: 'a note\r\nover two lines' } },
      { line: 7, values: { CHILD: 'C2', REVIEW: 'x\r\ny\r\nz' } },
      { line: 10, values: { CHILD: 'C3', REVIEW: 'plain' } },
    ]);
  });

  it('counts a lone LF or CR in a CR LF file as a line, as an editor does', () => {
    const table = readCsvTable('Header.csv', 'CHILD,SEX\r\nC1,M\nC2,F\r\nC3,U\r\n');
    // The LF is data to the CSV reader (the file's lines end CR LF), so C1's row runs on.
    expect(table.rows.map((r) => [r.line, r.values['CHILD']])).toEqual([
      [2, 'C1'],
      [4, 'C3'],
    ]);
  });

  it('gives short rows empty cells and ignores cells past the header', () => {
    const table = readCsvTable('Header.csv', 'CHILD,SEX,DOB\nC1\nC2,F,01/01/2020,extra\n');
    expect(table.rows.map((r) => r.values)).toEqual([
      { CHILD: 'C1', SEX: '', DOB: '' },
      { CHILD: 'C2', SEX: 'F', DOB: '01/01/2020' },
    ]);
  });

  it('says where an unclosed quote is', () => {
    expect(() => readCsvTable('Reviews.csv', 'CHILD,REVIEW\nC1,"open\nC2,x\n')).toThrow(
      CsvFormatError,
    );
  });

  it('refuses a column given twice (in any case), which would have its last copy win', () => {
    const text = 'CHILD,IRO_EMAIL,SW_EMAIL,iro_email \r\nC1,alexw@example.com,sw@example.com,\r\n';
    expect(() => readCsvTable('Allocations.csv', text)).toThrow(
      /Allocations\.csv:1: the column IRO_EMAIL is there twice/,
    );
    // Blank header cells (a trailing comma from Excel) are not columns given twice.
    expect(readCsvTable('Header.csv', 'CHILD,SEX,,\nC1,M,,\n').rows).toHaveLength(1);
  });

  it('reads an empty file, or one with only a header, as no rows', () => {
    expect(readCsvTable('Staff.csv', '')).toEqual({ file: 'Staff.csv', columns: [], rows: [] });
    expect(readCsvTable('Staff.csv', '\r\n\r\nEMAIL\r\n').columns).toEqual(['EMAIL']);
  });
});
