import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADDED_BANK_HOLIDAYS,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  REMOVED_BANK_HOLIDAYS,
  createEnglandAndWalesBankHolidays,
  easterSunday,
  englandAndWalesBankHolidays,
} from '../../../src/domain/bank-holidays.js';
import { dayOfWeek, type LocalDate } from '../../../src/domain/local-date.js';
import { oracleBankHolidays } from '../../support/oracle-bank-holidays.js';

const d = (s: string) => s as LocalDate;
const datesOf = (year: number) => englandAndWalesBankHolidays(year).map((h) => h.date);

/** The list the project shipped before the rules, from GOV.UK: 2015 to 2030. */
const oldList = (
  JSON.parse(
    readFileSync(
      new URL('../../fixtures/bank-holidays-england-wales-2015-2030.json', import.meta.url),
      'utf8',
    ),
  ) as { events: { date: string; title: string }[] }
).events;

describe('Easter Sunday (Gregorian computus)', () => {
  it.each([
    // Published dates, including the earliest and latest possible (22 March, 25 April) in range
    // and the years where simpler formulas go wrong (1954, 1981, 2049, 2076).
    [1913, '1913-03-23'],
    [1943, '1943-04-25'],
    [1954, '1954-04-18'],
    [1981, '1981-04-19'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2027, '2027-03-28'],
    [2031, '2031-04-13'],
    [2035, '2035-03-25'],
    [2038, '2038-04-25'],
    [2040, '2040-04-01'],
    [2049, '2049-04-18'],
    [2050, '2050-04-10'],
    [2076, '2076-04-19'],
    [2100, '2100-03-28'],
  ])('%i: %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
    expect(dayOfWeek(easterSunday(year))).toBe(0);
  });
});

describe('England and Wales bank holidays for any year', () => {
  it.each([
    // 29 July: royal wedding; Christmas on a Friday, Boxing Day substitute Monday 28.
    [1981, '01-01 04-17 04-20 05-04 05-25 07-29 08-31 12-25 12-28'],
    [1990, '01-01 04-13 04-16 05-07 05-28 08-27 12-25 12-26'],
    // New Year's Day on a Sunday; early May moved from 1 to 8 May (VE day).
    [1995, '01-02 04-14 04-17 05-08 05-29 08-28 12-25 12-26'],
    // Christmas on a Saturday: Monday 27 and Tuesday 28; 31 December: millennium.
    [1999, '01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28 12-31'],
    // New Year's Day on a Saturday: Monday 3 January.
    [2000, '01-03 04-21 04-24 05-01 05-29 08-28 12-25 12-26'],
    // Golden Jubilee: spring moved from 27 May to Tuesday 4 June, plus Monday 3 June.
    [2002, '01-01 03-29 04-01 05-06 06-03 06-04 08-26 12-25 12-26'],
    [2010, '01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28'],
    // Royal wedding 29 April; Christmas on a Sunday: Boxing Day Monday 26, Christmas Tuesday 27.
    [2011, '01-03 04-22 04-25 04-29 05-02 05-30 08-29 12-26 12-27'],
    // Diamond Jubilee: spring moved from 28 May to Monday 4 June, plus Tuesday 5 June.
    [2012, '01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26'],
    // VE day: early May moved from Monday 4 to Friday 8 May.
    [2020, '01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28'],
    [2021, '01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28'],
    // Platinum Jubilee (spring moved from 30 May to 2 June, plus 3 June) and the state funeral.
    [2022, '01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27'],
    // Coronation on 8 May.
    [2023, '01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26'],
    [2027, '01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28'],
    // 31 May and 31 August are weekend days: the last Mondays are 26 May and 25 August.
    [2031, '01-01 04-11 04-14 05-05 05-26 08-25 12-25 12-26'],
    [2035, '01-01 03-23 03-26 05-07 05-28 08-27 12-25 12-26'],
    [2038, '01-01 04-23 04-26 05-03 05-31 08-30 12-27 12-28'],
    [2040, '01-02 03-30 04-02 05-07 05-28 08-27 12-25 12-26'],
    [2050, '01-03 04-08 04-11 05-02 05-30 08-29 12-26 12-27'],
    [2100, '01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28'],
  ])('%i: %s', (year, expected) => {
    const dates = expected.split(' ').map((md) => `${year}-${md}`);
    expect(datesOf(year)).toEqual(dates);
    for (const date of dates)
      expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.isBankHoliday(d(date))).toBe(true);
  });

  it.each([
    ['1995-05-01', 'early May 1995 moved to 8 May'],
    ['2002-05-27', 'spring 2002 moved to 4 June'],
    ['2012-05-28', 'spring 2012 moved to 4 June'],
    ['2020-05-04', 'early May 2020 moved to 8 May'],
    ['2022-05-30', 'spring 2022 moved to 2 June'],
    ['2035-12-24', 'Christmas Eve'],
    ['2035-12-31', "New Year's Eve"],
    ['2035-04-02', 'the Monday after Easter Monday'],
  ])('%s is not a bank holiday (%s)', (date) => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.isBankHoliday(d(date))).toBe(false);
  });

  it.each(Array.from({ length: 2030 - 2015 + 1 }, (_, i) => 2015 + i))(
    '%i: dates and titles equal the list shipped before (GOV.UK, 2015 to 2030)',
    (year) => {
      const shipped = oldList.filter((e) => e.date.startsWith(`${year}-`));
      expect(shipped.length).toBeGreaterThanOrEqual(8);
      expect(englandAndWalesBankHolidays(year)).toEqual(shipped);
    },
  );

  it('agrees with the independent oracle on every year from 1978 to 2200', () => {
    const disagreements: string[] = [];
    for (let year = 1978; year <= 2200; year += 1) {
      const mine = datesOf(year).join(' ');
      const oracle = oracleBankHolidays(year).join(' ');
      if (mine !== oracle) disagreements.push(`${year}: ${mine} | oracle ${oracle}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('ships one-off days on weekdays only, each moved day with its new date', () => {
    for (const h of ADDED_BANK_HOLIDAYS) expect([0, 6], h.date).not.toContain(dayOfWeek(h.date));
    const fresh = createEnglandAndWalesBankHolidays();
    for (const h of REMOVED_BANK_HOLIDAYS) {
      // englandAndWalesBankHolidays throws when a removed day is not a day the rules give.
      const year = englandAndWalesBankHolidays(Number(h.date.slice(0, 4)));
      expect(year.map((x) => x.date)).not.toContain(h.date);
      expect(year.map((x) => x.date)).toContain(h.movedTo);
      expect(fresh.isBankHoliday(h.date)).toBe(false);
    }
  });

  it('rejects a year that is not a whole number', () => {
    expect(() => englandAndWalesBankHolidays(2026.5)).toThrow(RangeError);
  });
});
