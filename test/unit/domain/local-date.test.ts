import { describe, expect, it } from 'vitest';
import {
  addMonths,
  ageOn,
  dayOfWeek,
  formatUkDate,
  parseIsoDate,
  parseUkDate,
  todayIn,
  type LocalDate,
} from '../../../src/domain/local-date.js';

const d = (s: string) => s as LocalDate;

describe('calendar months clamp to the end of a shorter month', () => {
  it.each([
    ['2026-01-31', 3, '2026-04-30'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2024-02-29', 6, '2024-08-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-10-15', 3, '2027-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(d(from), months)).toBe(expected);
  });
});

describe('parsing dates', () => {
  it.each([
    ['03/02/2026', '2026-02-03'],
    ['3/2/2026', '2026-02-03'],
    ['29/02/2024', '2024-02-29'],
    [' 31/12/2026 ', '2026-12-31'],
  ])('reads the 903 date %s', (text, expected) => {
    expect(parseUkDate(text)).toBe(expected);
  });

  it.each(['29/02/2026', '31/04/2026', '2026-02-03', '00/01/2026', '12/13/2026', 'soon', ''])(
    'rejects %j',
    (text) => {
      expect(parseUkDate(text)).toBeUndefined();
    },
  );

  it('reads ISO dates and rejects impossible ones', () => {
    expect(parseIsoDate('2026-11-23')).toBe('2026-11-23');
    expect(parseIsoDate('2026-02-30')).toBeUndefined();
    expect(parseIsoDate('23/11/2026')).toBeUndefined();
  });

  it('formats 903 dates', () => {
    expect(formatUkDate(d('2026-02-03'))).toBe('03/02/2026');
  });
});

describe('ages and weekdays', () => {
  it.each([
    ['2022-02-03', '2026-02-03', 4],
    ['2022-02-03', '2026-02-02', 3],
    ['2020-02-29', '2024-02-28', 3],
    ['2020-02-29', '2024-02-29', 4],
    ['2020-02-29', '2025-02-28', 5],
  ])('a child born %s is %i on %s', (dob, on, age) => {
    expect(ageOn(d(dob), d(on))).toBe(age);
  });

  it('knows the day of the week', () => {
    expect(dayOfWeek(d('2026-11-02'))).toBe(1);
    expect(dayOfWeek(d('2026-11-08'))).toBe(0);
    expect(dayOfWeek(d('1969-12-31'))).toBe(3);
  });

  it('takes today in the council time zone, not the machine one', () => {
    // 23:30 UTC on 31 March is already 1 April in London (BST).
    expect(todayIn('Europe/London', new Date('2026-03-31T23:30:00Z'))).toBe('2026-04-01');
    expect(todayIn('Europe/London', new Date('2026-01-31T23:30:00Z'))).toBe('2026-01-31');
  });
});

describe('days since 1970 are counted by calendar arithmetic', () => {
  it('agrees with the JavaScript Date for every day from 1900 to 2200', async () => {
    const { fromEpochDay, toEpochDay } = await import('../../../src/domain/local-date.js');
    const first = Date.UTC(1900, 0, 1) / 86_400_000;
    const last = Date.UTC(2200, 11, 31) / 86_400_000;
    const wrong: string[] = [];
    for (let day = first; day <= last; day += 1) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (fromEpochDay(day) !== iso || toEpochDay(d(iso)) !== day) wrong.push(iso);
    }
    expect(last - first).toBeGreaterThan(109_000);
    expect(wrong).toEqual([]);
  });
});

describe('the days in a month', () => {
  it('agree with the JavaScript Date for every month from 1900 to 2200', async () => {
    const { daysInMonth } = await import('../../../src/domain/local-date.js');
    const wrong: string[] = [];
    for (let year = 1900; year <= 2200; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const expected = new Date(Date.UTC(year, month, 0)).getUTCDate();
        if (daysInMonth(year, month) !== expected) wrong.push(`${year}-${month}`);
      }
    }
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(wrong).toEqual([]);
  });
});
