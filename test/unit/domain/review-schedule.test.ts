import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import {
  periodsOfCare,
  type EpisodeFacts,
  type PeriodOfCare,
} from '../../../src/domain/periods-of-care.js';
import {
  assessReviews,
  midwayDate,
  nextReviewDue,
  type ReviewHistory,
} from '../../../src/domain/review-schedule.js';
import { childTimeliness, percent } from '../../../src/domain/timeliness.js';

const d = (s: string) => s as LocalDate;
const ds = (...s: string[]) => s.map(d);
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const openPeriod = (start: string): PeriodOfCare => ({
  start: d(start),
  startKnown: true,
  end: null,
  shortBreak: false,
});
const complete = (held: LocalDate[]): ReviewHistory => ({ held, knownFrom: null, previous: null });

describe('next review due', () => {
  it.each([
    // [period start, held reviews, kind, due date]
    ['2026-11-02', [], 'first', '2026-11-30'],
    ['2026-12-10', [], 'first', '2027-01-12'],
    ['2026-03-20', [], 'first', '2026-04-21'],
    ['2025-11-03', ['2025-11-28'], 'second', '2026-02-28'],
    // 31 January + 3 months clamps to 30 April.
    ['2026-01-02', ['2026-01-31'], 'second', '2026-04-30'],
    // 31 August + 6 months clamps to 28 February, or 29 in a leap year.
    ['2025-05-01', ['2025-05-30', '2025-08-31'], 'subsequent', '2026-02-28'],
    ['2027-05-03', ['2027-05-28', '2027-08-31'], 'subsequent', '2028-02-29'],
    // Months run from the date held, not from the date due: an early review pulls dates in.
    ['2026-01-05', ['2026-01-20', '2026-03-10'], 'subsequent', '2026-09-10'],
    // An extra review brought forward counts as the previous review.
    [
      '2025-01-06',
      ['2025-01-31', '2025-04-30', '2025-06-15', '2025-07-01'],
      'subsequent',
      '2026-01-01',
    ],
  ])('start %s, held %j: %s review due %s', (start, held, kind, due) => {
    const next = nextReviewDue(calendar, openPeriod(start), ds(...held));
    expect(next.kind).toBe(kind);
    expect(next.dueDate).toBe(due);
  });

  it('ignores reviews held before the period began (they belong to an earlier period)', () => {
    const next = nextReviewDue(calendar, openPeriod('2026-11-02'), ds('2026-05-01', '2026-10-01'));
    expect(next).toMatchObject({ kind: 'first', dueDate: '2026-11-30', number: 1 });
  });

  it('restarts the cycle in a new period of care', () => {
    const periods = periodsOfCare([
      { decom: d('2024-01-10'), dec: d('2025-06-30'), rne: 'S', ls: 'C2', rec: 'E11' },
      { decom: d('2026-11-02'), dec: null, rne: 'S', ls: 'C2', rec: null },
    ]);
    expect(periods).toHaveLength(2);
    const current = periods[1] as PeriodOfCare;
    const held = ds('2024-02-05', '2024-05-01', '2024-11-01', '2025-04-20');
    expect(nextReviewDue(calendar, current, held)).toMatchObject({
      kind: 'first',
      dueDate: '2026-11-30',
    });
  });
});

describe('periods of care from 903 episodes', () => {
  const ep = (
    decom: string,
    dec: string | null,
    rne: string,
    rec: string | null,
    ls = 'C2',
  ): EpisodeFacts => ({
    decom: d(decom),
    dec: dec ? d(dec) : null,
    rne,
    ls,
    rec,
  });

  it('keeps a placement change (REC X1) inside one period', () => {
    const periods = periodsOfCare([
      ep('2025-03-01', '2025-09-01', 'S', 'X1'),
      ep('2025-09-01', null, 'P', null),
    ]);
    expect(periods).toEqual([
      { start: '2025-03-01', startKnown: true, end: null, shortBreak: false },
    ]);
  });

  it('closes a period when the child leaves care and opens a new one on return', () => {
    const periods = periodsOfCare([
      ep('2025-09-01', null, 'S', null),
      ep('2024-01-01', '2024-06-30', 'S', 'E13'),
    ]);
    expect(periods.map((p) => [p.start, p.end])).toEqual([
      ['2024-01-01', '2024-06-30'],
      ['2025-09-01', null],
    ]);
  });

  it('marks a period of only V3/V4 episodes as short breaks', () => {
    expect(periodsOfCare([ep('2026-01-01', null, 'S', null, 'V4')])[0]?.shortBreak).toBe(true);
  });

  it('starts a full-time period where short breaks turn into full-time care', () => {
    expect(
      periodsOfCare([
        ep('2026-01-01', '2026-03-01', 'S', 'X1', 'V3'),
        ep('2026-03-01', null, 'L', null, 'C2'),
      ]),
    ).toEqual([
      // The arrangement ends the day before full-time care begins: no day belongs to both.
      { start: '2026-01-01', startKnown: true, end: '2026-02-28', shortBreak: true },
      { start: '2026-03-01', startKnown: true, end: null, shortBreak: false },
    ]);
  });

  it('keeps a full-time period whole when a short break follows inside it', () => {
    expect(
      periodsOfCare([
        ep('2026-01-01', '2026-03-01', 'S', 'X1', 'C2'),
        ep('2026-03-01', null, 'L', null, 'V3'),
      ]),
    ).toEqual([{ start: '2026-01-01', startKnown: true, end: null, shortBreak: false }]);
  });

  it('joins short breaks no more than 6 months apart into one arrangement', () => {
    const periods = periodsOfCare([
      ep('2025-01-10', '2025-01-12', 'S', 'E13', 'V3'),
      ep('2025-05-02', '2025-05-04', 'S', 'E13', 'V3'),
      ep('2025-11-04', '2025-11-06', 'S', 'E13', 'V3'),
      // More than 6 months after the last break: a new arrangement.
      ep('2026-07-01', '2026-07-03', 'S', 'E13', 'V3'),
    ]);
    // An arrangement is taken to run for 6 months after its last break.
    expect(periods.map((p) => [p.start, p.end, p.shortBreak])).toEqual([
      ['2025-01-10', '2026-05-06', true],
      ['2026-07-01', '2027-01-03', true],
    ]);
  });

  it('ends a period that a new period (RNE S) follows without the child leaving care', () => {
    const periods = periodsOfCare([
      ep('2025-01-06', '2025-06-01', 'S', 'X1'),
      ep('2025-06-01', null, 'S', null),
    ]);
    expect(periods.map((p) => [p.start, p.end])).toEqual([
      ['2025-01-06', '2025-05-31'],
      ['2025-06-01', null],
    ]);
  });

  it('ends a short-break arrangement the day before the next period begins', () => {
    const periods = periodsOfCare([
      ep('2025-01-10', '2025-01-12', 'S', 'E13', 'V3'),
      ep('2025-03-03', null, 'S', null, 'C2'),
    ]);
    expect(periods.map((p) => [p.start, p.end, p.shortBreak])).toEqual([
      ['2025-01-10', '2025-03-02', true],
      ['2025-03-03', null, false],
    ]);
  });

  it.each([
    ['P', false],
    ['T', false],
    ['S', true],
  ])('knows the start of a first period only when its RNE is S (RNE %s)', (rne, known) => {
    const [period] = periodsOfCare([ep('2025-06-01', null, rne, null)]);
    expect(period?.startKnown).toBe(known);
  });

  it('knows the start of a period that follows leaving care, whatever its RNE', () => {
    const periods = periodsOfCare([
      ep('2024-01-01', '2024-06-30', 'P', 'E13'),
      ep('2025-01-01', null, 'P', null),
    ]);
    expect(periods.map((p) => p.startKnown)).toEqual([false, true]);
  });
});

describe('timeliness of held reviews', () => {
  it('judges each review against the due date from the review before it', () => {
    const assessed = assessReviews(
      calendar,
      openPeriod('2026-01-05'),
      ds('2026-02-03', '2026-05-10', '2026-11-10'),
    );
    expect(assessed.map((r) => [r.kind, r.dueDate, r.onTime, r.daysLate])).toEqual([
      ['first', '2026-02-02', false, 1],
      ['second', '2026-05-03', false, 7],
      ['subsequent', '2026-11-10', true, 0],
    ]);
  });

  it('counts a review held on its due date as on time', () => {
    const [first] = assessReviews(calendar, openPeriod('2026-11-02'), ds('2026-11-30'));
    expect(first).toMatchObject({ onTime: true, daysLate: 0 });
  });
});

describe('per-child timeliness (NI 66)', () => {
  const period = openPeriod('2025-01-06');
  // First due 3 Feb 2025 (held that day), second due 3 May (held 1 May), third due 1 Nov (held
  // 20 Nov: 19 days late), fourth due 20 May 2026.
  const held = ds('2025-02-03', '2025-05-01', '2025-11-20');

  it.each([
    ['2025-04-01', '2026-03-31', { counted: true, onTime: false, reviewsDue: 2, reviewsLate: 1 }],
    ['2025-04-01', '2025-10-31', { counted: true, onTime: true, reviewsDue: 1, reviewsLate: 0 }],
    // The fourth review is due 20 May 2026 and nothing was held: overdue by the end of June.
    ['2026-04-01', '2026-06-30', { counted: true, onTime: false, reviewsDue: 1, reviewsLate: 1 }],
    ['2026-04-01', '2026-05-19', { counted: true, onTime: true, reviewsDue: 0, reviewsLate: 0 }],
  ])('from %s to %s', (from, to, expected) => {
    expect(childTimeliness(calendar, period, complete(held), d(from), d(to))).toEqual({
      ...expected,
      dueUnknown: false,
    });
  });

  it.each([
    // Third review due 1 Nov 2025, held 20 Nov: late, and still outstanding when the range began.
    ['2025-11-05', '2026-03-31', { counted: true, onTime: false, reviewsDue: 1, reviewsLate: 1 }],
    // Held before the range began: not the range's concern.
    ['2025-12-01', '2026-03-31', { counted: true, onTime: true, reviewsDue: 0, reviewsLate: 0 }],
  ])('counts a review outstanding into the range as late (from %s to %s)', (from, to, expected) => {
    expect(childTimeliness(calendar, period, complete(held), d(from), d(to))).toMatchObject(
      expected,
    );
  });

  it('counts a review overdue since before the range and never held as late', () => {
    // Due 20 May 2026 and never held: late for any range after it, whatever its start.
    expect(
      childTimeliness(calendar, period, complete(held), d('2026-07-01'), d('2026-09-30')),
    ).toMatchObject({ counted: true, onTime: false, reviewsLate: 1 });
  });

  it('counts a child whose period began before the first episode held (RNE not S)', () => {
    const unknownStart = { ...openPeriod('2025-03-28'), startKnown: false };
    const result = childTimeliness(
      calendar,
      unknownStart,
      { held: [d('2025-05-01')], knownFrom: null, previous: null },
      d('2025-04-01'),
      d('2025-04-10'),
    );
    expect(result).toMatchObject({ counted: false, dueUnknown: true });
  });

  it('does not count a child looked after for fewer than 20 working days', () => {
    const result = childTimeliness(
      calendar,
      openPeriod('2026-03-10'),
      complete([]),
      d('2025-04-01'),
      d('2026-03-31'),
    );
    expect(result.counted).toBe(false);
  });

  it('rounds percentages to one decimal', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(955, 1000)).toBe(95.5);
    expect(percent(1, 0)).toBeNull();
  });
});

describe('midway review', () => {
  it('falls half way between the last review and the next due date', () => {
    const due = nextReviewDue(calendar, openPeriod('2025-01-06'), ds('2025-02-03', '2025-05-01'));
    expect(due.dueDate).toBe('2025-11-01');
    expect(midwayDate(due)).toBe('2025-08-01');
  });

  it('is not set before the first review', () => {
    expect(midwayDate(nextReviewDue(calendar, openPeriod('2026-11-02'), []))).toBeNull();
  });
});

describe('first review due outside the years the old bank-holiday list covered', () => {
  it.each([
    // Easter 2035: Good Friday 23 March and Easter Monday 26 March are not working days.
    ['2035-03-12', '2035-04-11'],
    // Christmas 2035 and New Year's Day 2036.
    ['2035-12-03', '2036-01-03'],
    // 2012: the spring bank holiday moved from 28 May to 4 June, plus 5 June (Diamond Jubilee).
    ['2012-05-21', '2012-06-20'],
  ])('looked after from %s: first review due %s', (start, due) => {
    expect(nextReviewDue(calendar, openPeriod(start), [])).toMatchObject({
      kind: 'first',
      dueDate: due,
    });
  });
});
