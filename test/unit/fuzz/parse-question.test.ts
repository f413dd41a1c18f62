import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalise,
  parseQuestion,
  type Question,
} from '../../../src/app/questions/parse-question.js';
import { parsePeriod, type Period } from '../../../src/app/questions/parse-period.js';
import { parseIsoDate, type LocalDate } from '../../../src/domain/local-date.js';
import { anyText, hostileText, longText, params } from './hostile-input.js';

const KINDS = new Set<Question['kind']>([
  'help',
  'due',
  'overdue',
  'dueUnknown',
  'midway',
  'caseload',
  'caseloadSummary',
  'caseloadFor',
  'timeliness',
  'participation',
  'schedule',
  'reschedule',
  'cancelReview',
  'recordReview',
  'midwayAnswers',
  'raiseAlert',
  'alertFor',
  'alerts',
  'decisionsOverdue',
  'decisionsNotRecorded',
  'recordsToDistribute',
  'unknown',
  'periodUnclear',
  'annualReport',
]);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const today = fc
  .date({
    min: new Date('1990-01-01T00:00:00Z'),
    max: new Date('2090-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10) as LocalDate);

/** A period an answer can use: real dates, in order, named in words. */
function expectPeriod(period: Period, label = true): void {
  expect(parseIsoDate(period.from), `from ${period.from}`).toBe(period.from);
  expect(parseIsoDate(period.to), `to ${period.to}`).toBe(period.to);
  expect(period.from <= period.to, `${period.from} to ${period.to}`).toBe(true);
  if (label) {
    expect(period.label.length).toBeGreaterThan(0);
    expect(period.label).not.toMatch(/undefined|NaN|null|Invalid/);
  }
}

/** What every question must look like, whatever was typed. */
function expectKnownShape(q: Question, raw: string): void {
  expect(KINDS.has(q.kind), q.kind).toBe(true);
  if ('period' in q) expectPeriod(q.period);
  if ('personal' in q) expect(typeof q.personal).toBe('boolean');
  if ('child' in q) expect(q.child).toMatch(/^[A-Z0-9_-]{1,20}$/);
  if (q.kind === 'caseloadFor') {
    expect(q.who.length).toBeGreaterThan(0);
    expect(q.who.length).toBeLessThanOrEqual(320);
  }
  if (q.kind === 'periodUnclear') {
    expect(Array.from(q.text).length).toBeLessThanOrEqual(200);
    expect(q.problem.length).toBeGreaterThan(0);
    expect(q.problem).not.toMatch(/undefined|NaN|null|Invalid/);
  }
  if (q.kind === 'unknown') {
    expect(Array.from(q.text).length).toBeLessThanOrEqual(200);
    // Safe to quote back in a card: no control characters and no half of a surrogate pair.
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    expect(q.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(q.text, JSON.stringify(q.text)).not.toMatch(LONE_SURROGATE);
    // No Markdown link or image a card would render as if the bot had sent it.
    expect(q.text).not.toMatch(/\]\(/);
    expect(raw.length === 0 || q.text.length > 0 || raw.trim() === '').toBe(true);
  }
}

describe('the chat question parser under random and hostile text (property)', () => {
  it('never throws and always gives a known question', () => {
    fc.assert(
      fc.property(anyText, today, (raw, day) => {
        expectKnownShape(parseQuestion(raw, day), raw);
      }),
      params(1500, 1),
    );
  });

  it('reads very long text quickly (no catastrophic backtracking)', () => {
    fc.assert(
      fc.property(longText, (raw) => {
        const started = performance.now();
        const q = parseQuestion(raw, '2026-11-23' as LocalDate);
        expectKnownShape(q, raw);
        // Backtracking would take seconds; a busy CI machine takes tens of milliseconds.
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      // Shrinking 100,000 characters takes longer than it helps: the failing text is printed.
      { ...params(25, 2), endOnFailure: true },
    );
  });

  it('names a real period, in order, or none, for any text and any day', () => {
    fc.assert(
      fc.property(
        hostileText,
        today,
        fc.constantFrom('reporting' as const, 'calendar' as const),
        (raw, day, years) => {
          const period = parsePeriod(normalise(raw), day, years);
          if (period) expectPeriod(period);
        },
      ),
      params(1500, 3),
    );
  });

  it('leaves the text it does not understand readable, cut to 200 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 190, maxLength: 400 }), (raw) => {
        const q = parseQuestion(`zzz ${raw}`, '2026-11-23' as LocalDate);
        expectKnownShape(q, raw);
      }),
      params(300, 4),
    );
  });
});
