import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import type { PeriodOfCare } from '../../../src/domain/periods-of-care.js';
import { deriveReviewState } from '../../../src/domain/review-state.js';
import {
  assessedReviews,
  reviewChain,
  type PreviousReview,
} from '../../../src/domain/review-schedule.js';
import { childTimeliness } from '../../../src/domain/timeliness.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';

const d = (s: string) => s as LocalDate;
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const period = (start: string, startKnown: boolean, shortBreak = false): PeriodOfCare => ({
  start: d(start),
  startKnown,
  end: null,
  shortBreak,
});

/** Due date of each held review (null: unknown) and the next due date (null: unknown). */
function dues(
  p: PeriodOfCare,
  held: string[],
  knownFrom: string | null,
  previous: PreviousReview | null = null,
) {
  const chain = reviewChain(calendar, p, {
    held: held.map(d),
    knownFrom: knownFrom ? d(knownFrom) : null,
    previous,
  });
  return {
    held: chain.reviews.filter((r) => !r.supplied).map((r) => r.due?.dueDate ?? null),
    kinds: chain.reviews.filter((r) => !r.supplied).map((r) => r.due?.kind ?? null),
    next: chain.next.known ? chain.next.due.dueDate : null,
    nextKind: chain.next.known ? chain.next.due.kind : null,
  };
}

describe('a one-year extract of a period that began before it', () => {
  it('does not invent the due date of the first review in the extract, and counts on from it', () => {
    // The first episode in the extract continues a period (RNE P): its start is not known.
    expect(dues(period('2024-06-10', false), ['2025-05-14', '2025-11-03'], '2025-04-01')).toEqual({
      held: [null, '2025-11-14'],
      kinds: [null, 'subsequent'],
      next: '2026-05-03',
      nextKind: 'subsequent',
    });
  });

  it('has no next due date for a child with no review in the extract', () => {
    expect(dues(period('2024-06-10', false), [], '2025-04-01')).toEqual({
      held: [],
      kinds: [],
      next: null,
      nextKind: null,
    });
  });

  it("counts from the council's last review before the extract (a later review: 6 months)", () => {
    expect(
      dues(period('2024-06-10', false), ['2025-05-14', '2025-11-03'], '2025-04-01', {
        heldOn: d('2024-12-01'),
        number: null,
      }),
    ).toMatchObject({ held: ['2025-06-01', '2025-11-14'], next: '2026-05-03' });
  });

  it("counts from the council's last review before the extract (the first review: 3 months)", () => {
    expect(
      dues(period('2025-02-24', true), ['2025-06-12'], '2025-04-01', {
        heldOn: d('2025-03-20'),
        number: 1,
      }),
    ).toEqual({
      held: ['2025-06-20'],
      kinds: ['second'],
      next: '2025-12-12',
      nextKind: 'subsequent',
    });
  });

  it('gives the next due date from the last review supplied when none is in the extract', () => {
    expect(
      dues(period('2021-03-01', false), [], '2025-04-01', { heldOn: d('2025-02-17'), number: 5 }),
    ).toMatchObject({ next: '2025-08-17', nextKind: 'subsequent' });
  });

  it('treats a period whose first review fell due before the extract as already reviewed', () => {
    // Looked after from 3 Feb 2025 (RNE S): first review due 3 Mar, before the extract began.
    expect(dues(period('2025-02-03', true), ['2025-06-02'], '2025-04-01')).toEqual({
      held: [null],
      kinds: [null],
      next: '2025-12-02',
      nextKind: 'subsequent',
    });
  });

  it('knows every review of a period whose first review fell due inside the extract', () => {
    // From 20 Mar 2025: 20 working days skip Good Friday and Easter Monday, due 17 Apr.
    expect(dues(period('2025-03-20', true), ['2025-04-10'], '2025-04-01')).toEqual({
      held: ['2025-04-17'],
      kinds: ['first'],
      next: '2025-07-10',
      nextKind: 'second',
    });
  });

  it('uses a supplied last review even when the period began inside the extract', () => {
    // From 11 Mar 2025 (RNE S), first review due 8 Apr, inside the extract; it was held early,
    // on 28 Mar, before the extract began. Without it, 15 Jun would look like a late first review.
    const held = ['2025-06-15', '2025-12-03'];
    expect(dues(period('2025-03-11', true), held, '2025-04-01')).toMatchObject({
      held: ['2025-04-08', '2025-09-15'],
    });
    expect(
      dues(period('2025-03-11', true), held, '2025-04-01', {
        heldOn: d('2025-03-28'),
        number: 1,
      }),
    ).toEqual({
      held: ['2025-06-28', '2025-12-15'],
      kinds: ['second', 'subsequent'],
      next: '2026-06-03',
      nextKind: 'subsequent',
    });
  });

  it('numbers the reviews of a period whose start is unknown when every review ever held is known', () => {
    // --reviews-from all: the first review held is the period's first, due on a day nobody knows.
    expect(dues(period('2025-03-28', false), ['2025-05-01'], null)).toEqual({
      held: [null],
      kinds: [null],
      next: '2025-08-01',
      nextKind: 'second',
    });
    expect(dues(period('2025-03-28', false), [], null).next).toBeNull();
  });

  it('leaves the unknown review out of timeliness', () => {
    const chain = reviewChain(calendar, period('2024-06-10', false), {
      held: [d('2025-05-14'), d('2025-11-20')],
      knownFrom: d('2025-04-01'),
      previous: null,
    });
    expect(assessedReviews(chain).map((r) => [r.heldOn, r.dueDate, r.onTime, r.daysLate])).toEqual([
      ['2025-11-20', '2025-11-14', false, 6],
    ]);
  });
});

describe('short breaks (Regulation 48)', () => {
  it('are first reviewed within 3 months of the first break, then every 6 months', () => {
    expect(dues(period('2025-01-10', true, true), ['2025-04-01', '2025-10-15'], null)).toEqual({
      held: ['2025-04-10', '2025-10-01'],
      kinds: ['short_breaks', 'short_breaks'],
      next: '2026-04-15',
      nextKind: 'short_breaks',
    });
  });

  it('clamp at month end like other reviews', () => {
    expect(dues(period('2025-11-30', true, true), [], null).next).toBe('2026-02-28');
  });
});

describe('per-child timeliness (NI 66) when the extract does not reach back', () => {
  const p = period('2023-01-09', false);
  const history = (held: string[]) => ({
    held: held.map(d),
    knownFrom: d('2025-04-01'),
    previous: null,
  });

  it.each([
    // The first review in the extract cannot be judged, the second was on time: left out.
    [['2025-06-01', '2025-12-01'], '2025-04-01', { counted: false, dueUnknown: true }],
    // The second review was late: late whatever the first one was.
    [['2025-06-01', '2025-12-10'], '2025-04-01', { counted: true, onTime: false, dueUnknown: false }],
    // Held before the range, the unknown review cannot have been late in it.
    [['2025-06-01', '2025-12-01'], '2025-07-01', { counted: true, onTime: true, dueUnknown: false }],
    // No review in the extract: the child's next due date is unknown.
    [[], '2025-04-01', { counted: false, dueUnknown: true }],
  ])('held %j, from %s', (held, from, expected) => {
    expect(childTimeliness(calendar, p, history(held), d(from), d('2026-03-31'))).toMatchObject(
      expected,
    );
  });
});

describe('derived review state of a child', () => {
  it('gives every held review its due date and the latest period its next review', () => {
    const state = deriveReviewState(calendar, {
      episodes: [
        { decom: d('2025-01-10'), dec: d('2025-05-01'), rne: 'S', ls: 'V3', rec: 'X1' },
        { decom: d('2025-05-01'), dec: null, rne: 'L', ls: 'C2', rec: null },
      ],
      held: [d('2025-04-01'), d('2025-05-20')],
      knownFrom: null,
      previous: null,
    });
    expect(state.reviews).toEqual([
      { heldOn: '2025-04-01', dueOn: '2025-04-10', kind: 'short_breaks', daysLate: 0 },
      // Full-time care from 1 May 2025: the 20 working days start again (due 2 June).
      { heldOn: '2025-05-20', dueOn: '2025-06-02', kind: 'first', daysLate: 0 },
    ]);
    expect(state.latest).toMatchObject({
      lastReviewOn: '2025-05-20',
      nextDueOn: '2025-08-20',
      nextKind: 'second',
      midwayOn: '2025-07-05',
      period: { end: null },
    });
  });

  it('keeps a short-break arrangement current for 6 months after the last break', () => {
    const state = deriveReviewState(calendar, {
      episodes: [{ decom: d('2025-03-03'), dec: d('2025-03-07'), rne: 'S', ls: 'V3', rec: 'E13' }],
      held: [],
      knownFrom: null,
      previous: null,
    });
    expect(state.latest).toMatchObject({ period: { end: '2025-09-07' }, nextDueOn: '2025-06-03' });
  });
});
