import fc from 'fast-check';
import {
  EXTRACT_COLUMNS,
  EXTRACT_FILES,
  type ExtractFileName,
  type ExtractFiles,
} from '../../../src/app/import/extract.js';
import { anExtract } from '../../support/extract-builder.js';
import { HOSTILE_PIECES } from './hostile-input.js';

/** A valid extract of three children: the starting point every mutation spoils. */
export function baseExtract(): ExtractFiles {
  return anExtract()
    .withChild('C1', '01/02/2015', '02/11/2026')
    .withChild('C2', '15/06/2019', '06/01/2025', [
      ['03/02/2025', 'PN1'],
      ['01/05/2025', 'PN6'],
    ])
    .withChild('C3', '10/10/2024', '01/09/2026', [['25/09/2026', 'PN0']])
    .files();
}

const FILE_NAMES = Object.values(EXTRACT_FILES);

/** Cells a council's system, a spreadsheet or an attacker might put in a file. */
const hostileCell = fc.oneof(
  fc.constantFrom(
    ...HOSTILE_PIECES,
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example","click")',
    '"quoted, with comma"',
    '"unclosed',
    'mid"quote',
    '""',
    'line\nbreak',
    'line\r\nbreak',
    '\u00e9l\u00e8ve',
    '\ufffd\ufffd',
    'C1',
    'c1',
    '01/02/2015',
    '1/2/2015',
    '31/02/2015',
    '2015-02-01',
    'PN0',
    'PN8',
    'S',
    'X1',
    'iro@example.com',
    'IRO@EXAMPLE.COM',
    'not an email',
    '0.6',
    '-1',
    '1e3',
    '11111111-0000-4000-8000-000000000002',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => 'x'.repeat(n)),
);

/** Text as it arrives when a file was not UTF-8: read as UTF-8 (replacement characters) or Latin-1. */
const nonUtf8 = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.constantFrom('utf8', 'latin1'))
  .map(([bytes, encoding]) => Buffer.from(bytes).toString(encoding as BufferEncoding));

type Files = Record<string, string>;
type Mutation = (files: Files) => void;

function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/).filter((l, i, all) => l !== '' || i < all.length - 1);
}

const onFile = fc.constantFrom(...FILE_NAMES);

/** One change to one file of the extract. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // A cell replaced (quoted as a spreadsheet would, or not).
  fc
    .tuple(onFile, fc.nat(20), fc.nat(20), hostileCell, fc.boolean())
    .map(([file, row, col, cell, quote]) => (files: Files) => {
      const lines = splitLines(files[file] ?? '');
      const r = lines.length === 0 ? 0 : row % lines.length;
      const cells = (lines[r] ?? '').split(',');
      cells[col % Math.max(cells.length, 1)] = quote ? `"${cell.replaceAll('"', '""')}"` : cell;
      lines[r] = cells.join(',');
      files[file] = lines.join('\n') + '\n';
    }),
  // Line endings mixed: CRLF, LF, CR.
  fc
    .tuple(onFile, fc.array(fc.constantFrom('\r\n', '\n', '\r'), { minLength: 1, maxLength: 8 }))
    .map(([file, endings]) => (files: Files) => {
      const lines = splitLines(files[file] ?? '');
      files[file] = lines.map((l, i) => l + (endings[i % endings.length] as string)).join('');
    }),
  // A byte order mark (or two).
  fc
    .tuple(onFile, fc.constantFrom('\ufeff', '\ufeff\ufeff', '\ufffe'))
    .map(([file, bom]) => (files: Files) => {
      files[file] = bom + (files[file] ?? '');
    }),
  // A header renamed, duplicated, dropped or emptied.
  fc
    .tuple(
      onFile,
      fc.constantFrom('duplicate', 'rename', 'drop', 'lowercase', 'empty', 'spaces'),
      fc.nat(12),
      hostileCell,
    )
    .map(([file, how, col, name]) => (files: Files) => {
      const lines = splitLines(files[file] ?? '');
      const header = (lines[0] ?? '').split(',');
      const i = col % Math.max(header.length, 1);
      if (how === 'duplicate') header.push(header[i] ?? 'CHILD');
      if (how === 'rename') header[i] = name;
      if (how === 'drop') header.splice(i, 1);
      if (how === 'lowercase') header[i] = (header[i] ?? '').toLowerCase();
      if (how === 'spaces') header[i] = ` ${header[i] ?? ''} `;
      lines[0] = how === 'empty' ? '' : header.join(',');
      files[file] = lines.join('\n') + '\n';
    }),
  // Cut short anywhere, or emptied.
  fc.tuple(onFile, fc.nat()).map(([file, at]) => (files: Files) => {
    const text = files[file] ?? '';
    files[file] = text.slice(0, text.length === 0 ? 0 : at % text.length);
  }),
  // A line of garbage added, with as many cells as the header or any number.
  fc
    .tuple(onFile, fc.array(hostileCell, { maxLength: 15 }))
    .map(([file, cells]) => (files: Files) => {
      files[file] = `${files[file] ?? ''}${cells.join(',')}\n`;
    }),
  // The whole file replaced by random text, or by bytes that were not UTF-8.
  fc
    .tuple(onFile, fc.oneof(nonUtf8, fc.string({ unit: 'binary', maxLength: 300 })))
    .map(([file, text]) => (files: Files) => {
      files[file] = text;
    }),
  // Non-UTF-8 bytes inside a line.
  fc.tuple(onFile, nonUtf8).map(([file, text]) => (files: Files) => {
    files[file] = (files[file] ?? '').replace('\n', `${text}\n`);
  }),
  // An optional file added with the right header and a hostile row.
  fc
    .tuple(
      fc.constantFrom<ExtractFileName>('SWEpisodes.csv', 'LastReviews.csv'),
      fc.array(hostileCell, { maxLength: 6 }),
    )
    .map(([file, cells]) => (files: Files) => {
      files[file] = `${EXTRACT_COLUMNS[file].join(',')}\n${cells.join(',')}\n`;
    }),
);

/** A base extract with one to four mutations applied. */
export const hostileExtract: fc.Arbitrary<ExtractFiles> = fc
  .array(mutation, { minLength: 1, maxLength: 4 })
  .map((changes) => {
    const files: Record<string, string> = { ...baseExtract() };
    for (const change of changes) change(files);
    return files as ExtractFiles;
  });
