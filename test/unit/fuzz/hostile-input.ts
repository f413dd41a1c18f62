import fc from 'fast-check';

/**
 * Shared generators for the property (fuzz) tests: random text and hostile pieces a user, a
 * tampered card or a council's file could carry. Seeds are fixed so that CI is reproducible;
 * FUZZ_SEED and FUZZ_RUNS change them for a longer local hunt (`FUZZ_RUNS=2000 npx vitest ...`).
 */
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261201);

/** How many cases a property runs: `base` by default, scaled by FUZZ_RUNS (a multiplier). */
export function runs(base: number): number {
  const scale = Number(process.env['FUZZ_RUNS'] ?? 1);
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** fast-check's parameters for one property: a fixed seed, and the seed printed on failure. */
export function params(numRuns: number, offset = 0): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED + offset, numRuns: runs(numRuns), verbose: 1 };
}

/** Pieces chosen to break parsers, templates, markdown, spreadsheets and logs. */
export const HOSTILE_PIECES = [
  '',
  ' ',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\r',
  '\n\n',
  '\t',
  '\u202e', // right-to-left override
  '\u200f', // right-to-left mark
  '\u200b', // zero width space
  '\ufeff', // byte order mark
  '\ud800', // a lone surrogate
  'שלום',
  'مرحبا',
  '👩‍👩‍👧‍👦',
  '🧒🏽',
  'Ａ１２３４５', // full-width letters and digits
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<at>IRO Assistant</at>',
  '<at>Somebody Else</at>',
  '**bold**',
  '_it_',
  '[reset your password](https://evil.example/login)',
  '![x](https://evil.example/x.png)',
  '${greeting}',
  '${$root}',
  '{{name}}',
  '"}],"actions":[{"type":"Action.OpenUrl","url":"https://evil.example"}]}',
  '{"type":"AdaptiveCard","body":[]}',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(1,2)',
  "'; drop table children; --",
  '%s%n%x',
  '../../etc/passwd',
  'C:\\Windows\\system32',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '2026-02-30',
  '31/02/2026',
  '29/02/2027',
  '00/00/0000',
  '1/1/1000',
  'A12345',
  'a12345',
  'Z99999',
  'x'.repeat(300),
];

/** Words and phrases of the chat's own commands, so random text reaches every branch. */
export const COMMAND_PIECES = [
  'help',
  'my',
  'reviews',
  'review',
  'due',
  'coming up',
  'overdue',
  'missed',
  'midway',
  'mid-way answers for',
  'caseload',
  'caseload for',
  'summary',
  'timeliness',
  'participation',
  'pn codes',
  'alerts',
  'alert for',
  'raise alert for',
  'decisions overdue',
  'no known due date',
  'decisions not yet recorded',
  'review records to distribute',
  'schedule review for',
  'reschedule review for',
  'record review for',
  'cancel review for',
  'today',
  'tomorrow',
  'this week',
  'next week',
  'this month',
  'next month',
  'last month',
  'this quarter',
  'last quarter',
  'this year',
  'last year',
  'year to date',
  'in the next',
  'next 999',
  'next 0',
  'days',
  'weeks',
  'months',
  'before',
  'by',
  'until',
  '15 january',
  'feb 30',
  '31st december 9999',
  '15/01/2027',
  '29/02/2028',
  '99/99/99',
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
  { weight: 3, arbitrary: fc.constantFrom(...COMMAND_PIECES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** Text built from hostile pieces, command words and random unicode. */
export const hostileText = fc
  .tuple(fc.array(piece, { maxLength: 12 }), fc.constantFrom(' ', '', '\n', '\t', '  '))
  .map(([pieces, sep]) => pieces.join(sep));

/** Any string: random unicode (lone surrogates included), or hostile text. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  hostileText,
);

/** A very long string (up to 100,000 characters), some of it a repeated command. */
export const longText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 5_000, maxLength: 20_000 }),
  fc
    .tuple(
      fc.constantFrom(...COMMAND_PIECES, ...HOSTILE_PIECES),
      fc.integer({ min: 1_000, max: 30_000 }),
    )
    .map(([p, n]) => `${p} `.repeat(n).slice(0, 100_000)),
  fc.integer({ min: 10_000, max: 100_000 }).map((n) => `${'9'.repeat(n)}/`),
);

/** Keys that try to pollute a prototype or confuse a schema. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'verb',
  'action',
  '',
  ' ',
  'child',
  'reviewId',
];

/** Values of the wrong type, of the right type but absurd, and hostile text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1,
      0.5,
      -0,
      Number.MAX_SAFE_INTEGER,
      2 ** 31,
      2 ** 53 + 1,
      1e308,
      'NaN',
      'Infinity',
      '-1',
      '0',
      '1.5',
      '1e3',
      '0x10',
      ' 7 ',
      '007',
      '2026-02-30',
      '2026-13-01',
      '2026-11-31T10:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '1',
      '25:61',
      '10:00',
      '-15',
      'true',
      'false',
      'PN9',
      'pn1',
      'x'.repeat(5_000),
      'A12345',
      'schedule',
      'cancel',
      'informal',
      'formal',
      'done',
    ),
    hostileText,
    fc.integer(),
    fc.double(),
    fc.uuid(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...HOSTILE_KEYS, 'a', 'b'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** A card action's `data`: an object with hostile keys and values, or no object at all. */
export function hostileData(knownKeys: readonly string[]): fc.Arbitrary<unknown> {
  const keys = fc.constantFrom(...knownKeys, ...HOSTILE_KEYS);
  return fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(keys, hostileValue, { maxKeys: 8 }) },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(keys, hostileValue, { maxKeys: 6 })
        // JSON.parse gives __proto__ as an own key, as a tampered request body would.
        .map((d) =>
          JSON.parse(
            `{"__proto__":{"polluted":true},${JSON.stringify(d).slice(1)}`.replace(',}', '}'),
          ),
        ),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

/**
 * What an answer or a card must never show: stacks, file paths, SQL, library errors, `undefined`.
 */
export const INTERNALS =
  /\bat [\w.<>]+ \(|\.(?:ts|js|mjs):\d+|node_modules|\/work\/|\/tmp\/|\bselect\b.+\bfrom\b|\binsert into\b|\bsyntax error\b|duplicate key|violates|ZodError|TypeError|RangeError|ReferenceError|SyntaxError|Unexpected token|ECONNREFUSED|\bundefined\b|\bNaN\b|\[object Object\]/i;
