import { describe, expect, it } from 'vitest';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  englandAndWalesBankHolidays,
} from '../../../src/domain/bank-holidays.js';
import { createWorkingCalendar, holdByDay } from '../../../src/domain/working-days.js';
import { addDays, dayOfWeek, type LocalDate } from '../../../src/domain/local-date.js';

const d = (s: string) => s as LocalDate;
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);

const holidaysOf = (year: number) => englandAndWalesBankHolidays(year).map((h) => h.date);

describe('England and Wales bank holidays', () => {
  it.each([
    ['2022-09-19', 'state funeral of Queen Elizabeth II'],
    ['2023-05-08', 'coronation of King Charles III'],
    ['2022-06-02', 'spring bank holiday moved for the jubilee'],
    ['2022-06-03', 'platinum jubilee'],
    ['2020-05-08', 'VE day (early May moved to Friday)'],
    ['2026-12-28', 'Boxing Day substitute (Monday)'],
    ['2027-12-27', 'Christmas Day substitute (Monday)'],
    ['2027-12-28', 'Boxing Day substitute (Tuesday)'],
    ['2022-01-03', "New Year's Day substitute"],
    ['2026-04-03', 'Good Friday 2026'],
    ['2026-04-06', 'Easter Monday 2026'],
    ['2024-03-29', 'Good Friday 2024'],
    ['2030-04-19', 'Good Friday 2030'],
  ])('%s is a bank holiday (%s)', (date) => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.isBankHoliday(d(date))).toBe(true);
    expect(calendar.isWorkingDay(d(date))).toBe(false);
  });

  it.each([
    ['2022-05-30', 'the usual late-May Monday was not a holiday in 2022'],
    ['2020-05-04', 'the usual early-May Monday was not a holiday in 2020'],
    ['2026-12-24', 'Christmas Eve is a working day'],
  ])('%s is a working day (%s)', (date) => {
    expect(calendar.isWorkingDay(d(date))).toBe(true);
  });

  it('never lists a weekend day (substitute days move holidays to weekdays)', () => {
    const all = Array.from({ length: 2100 - 1978 + 1 }, (_, i) => holidaysOf(1978 + i)).flat();
    const weekend = all.filter((h) => [0, 6].includes(dayOfWeek(h)));
    expect(weekend).toEqual([]);
  });

  it('has eight holidays in an ordinary year and more in jubilee and coronation years', () => {
    const count = (year: number) => holidaysOf(year).length;
    expect(count(2026)).toBe(8);
    expect(count(2022)).toBe(10);
    expect(count(2023)).toBe(9);
  });
});

describe('addWorkingDays', () => {
  it.each([
    // DOMAIN.md's example: counting starts on the first working day after the date.
    ['2026-11-02', 20, '2026-11-30'],
    ['2026-11-02', 1, '2026-11-03'],
    ['2026-11-02', 0, '2026-11-02'],
    // Friday start: the next working day is Monday.
    ['2026-11-06', 1, '2026-11-09'],
    // Christmas 2026: 25 Dec (Fri) and substitute 28 Dec (Mon) skipped.
    ['2026-12-21', 4, '2026-12-29'],
    ['2026-12-10', 20, '2027-01-12'],
    // Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr.
    ['2026-03-20', 20, '2026-04-21'],
    // Christmas 2027: both substitute days.
    ['2027-12-24', 1, '2027-12-29'],
    // Weekend start.
    ['2026-11-07', 1, '2026-11-09'],
  ])('%s + %i working days = %s', (from, n, expected) => {
    expect(calendar.addWorkingDays(d(from), n)).toBe(expected);
  });

  it('lets configuration add days (a newly proclaimed bank holiday)', () => {
    const local = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS, [d('2026-11-03')]);
    expect(local.addWorkingDays(d('2026-11-02'), 20)).toBe('2026-12-01');
  });

  it('rejects a negative count', () => {
    expect(() => calendar.addWorkingDays(d('2026-11-02'), -1)).toThrow(RangeError);
  });

  it('counts working days between two dates', () => {
    expect(calendar.workingDaysBetween(d('2026-11-02'), d('2026-11-30'))).toBe(20);
    expect(calendar.workingDaysBetween(d('2026-12-24'), d('2026-12-29'))).toBe(1);
    expect(calendar.workingDaysBetween(d('2026-11-30'), d('2026-11-02'))).toBe(0);
  });
});

describe('due dates in years the old 2015-2030 list did not cover', () => {
  it.each([
    // Easter 2035 (Sunday 25 March): Good Friday 23 and Easter Monday 26 March are skipped.
    ['2035-03-12', 20, '2035-04-11'],
    // Christmas 2035 (Tuesday) and Boxing Day, then New Year's Day 2036 (Tuesday).
    ['2035-12-03', 20, '2036-01-03'],
    // 2012, Diamond Jubilee: 28 May was a working day; 4 and 5 June were bank holidays.
    ['2012-05-21', 20, '2012-06-20'],
    // Christmas 2010 (Saturday): substitute days Monday 27 and Tuesday 28 December.
    ['2010-12-24', 1, '2010-12-29'],
    // 2050: New Year's Day (Saturday) moves to Monday 3 January.
    ['2049-12-31', 1, '2050-01-04'],
  ])('%s + %i working days = %s', (from, n, expected) => {
    expect(calendar.addWorkingDays(d(from), n)).toBe(expected);
  });
});

describe('working days counted a year at a time agree with counting day by day', () => {
  const extra = d('2026-12-24');
  const withExtra = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS, [extra]);
  const isWorking = (day: LocalDate) =>
    dayOfWeek(day) % 6 !== 0 &&
    day !== extra &&
    !ENGLAND_AND_WALES_BANK_HOLIDAYS.isBankHoliday(day);
  const byDay = (from: LocalDate, to: LocalDate) => {
    let n = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorking(day)) n += 1;
    return n;
  };
  it.each([
    ['2026-12-20', '2027-01-10'],
    ['2019-06-30', '2023-02-01'],
    ['2024-12-31', '2025-01-01'],
    ['2025-01-01', '2024-12-31'],
    ['2026-12-23', '2026-12-24'],
    ['2000-02-28', '2000-03-01'],
  ])('from %s to %s', (from, to) => {
    expect(withExtra.workingDaysBetween(d(from), d(to))).toBe(byDay(d(from), d(to)));
  });
  it('adds working days across New Year and an added bank holiday', () => {
    // After Wednesday 23 Dec 2026, 24 Dec (added here), 25, the weekend, 28 Dec (Boxing Day's
    // substitute) and 1 Jan do not count: 29, 30, 31 Dec, 4 and 5 Jan do.
    expect(withExtra.addWorkingDays(d('2026-12-23'), 5)).toBe('2027-01-05');
    expect(calendar.addWorkingDays(d('2026-12-23'), 5)).toBe('2027-01-04');
  });
});

describe('by when to hold a review due on a day that is not a working day', () => {
  it.each([
    ['2026-12-05', '2026-12-04', 'a Saturday: the Friday before'],
    ['2026-12-06', '2026-12-04', 'a Sunday: the Friday before'],
    ['2026-12-28', '2026-12-24', "Boxing Day's substitute Monday: Christmas Eve"],
    ['2026-12-25', '2026-12-24', 'Christmas Day: Christmas Eve'],
    ['2027-01-01', '2026-12-31', "New Year's Day"],
    ['2027-03-29', '2027-03-25', 'Easter Monday: the Thursday before Good Friday'],
    ['2028-02-27', '2028-02-25', 'a Sunday in a leap year'],
  ])('due %s: hold by %s (%s)', (due, holdBy) => {
    expect(holdByDay(calendar, d(due))).toBe(holdBy);
  });
  it.each(['2026-12-04', '2026-12-24', '2028-02-29'])(
    'due %s, a working day: no hold-by',
    (due) => {
      expect(holdByDay(calendar, d(due))).toBeNull();
    },
  );
});
