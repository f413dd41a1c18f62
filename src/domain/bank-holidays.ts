import { createRequire } from 'node:module';
import {
  addDays,
  compareDates,
  dayOfWeek,
  daysInMonth,
  parseIsoDate,
  type LocalDate,
} from './local-date.js';

/**
 * England and Wales bank holidays for any year: computed from the yearly rules, then corrected by
 * the shipped list of one-off changes (days moved or added by royal proclamation). Nothing is
 * fetched. The rules are those in force since 1978, the first year of the early May bank holiday;
 * earlier years get the same rules, which they did not have.
 */

export interface BankHoliday {
  date: LocalDate;
  title: string;
}

/** Answers "is this date a bank holiday?" for any date. */
export interface BankHolidays {
  isBankHoliday(date: LocalDate): boolean;
}

interface ExceptionFile {
  removed: { date: string; title: string; movedTo: string; source: string }[];
  added: { date: string; title: string; source: string }[];
}

const require = createRequire(import.meta.url);
const exceptionFile = require('./bank-holiday-exceptions-england-wales.json') as ExceptionFile;

function shippedDate(text: string): LocalDate {
  const date = parseIsoDate(text);
  if (!date)
    throw new Error(`bank-holiday-exceptions-england-wales.json holds a bad date: ${text}`);
  return date;
}

/** The rule days a proclamation moved away, each with the day it moved to. */
export const REMOVED_BANK_HOLIDAYS: readonly (BankHoliday & { movedTo: LocalDate })[] =
  exceptionFile.removed.map((e) => ({
    date: shippedDate(e.date),
    title: e.title,
    movedTo: shippedDate(e.movedTo),
  }));

/** The one-off days a proclamation moved to or added. */
export const ADDED_BANK_HOLIDAYS: readonly BankHoliday[] = exceptionFile.added.map((e) => ({
  date: shippedDate(e.date),
  title: e.title,
}));

const MONDAY = 1;

function dateOf(year: number, month: number, day: number): LocalDate {
  const mm = String(month).padStart(2, '0');
  const dd = String(day).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${mm}-${dd}` as LocalDate;
}

const isWeekend = (date: LocalDate): boolean => dayOfWeek(date) === 0 || dayOfWeek(date) === 6;

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

function firstMonday(year: number, month: number): LocalDate {
  const first = dateOf(year, month, 1);
  return addDays(first, (MONDAY - dayOfWeek(first) + 7) % 7);
}

function lastMonday(year: number, month: number): LocalDate {
  const last = dateOf(year, month, daysInMonth(year, month));
  return addDays(last, -((dayOfWeek(last) - MONDAY + 7) % 7));
}

/**
 * The days the yearly rules give: New Year's Day, Good Friday, Easter Monday, the first Monday
 * of May, the last Mondays of May and August, Christmas Day and Boxing Day. A fixed-date holiday
 * that falls on a weekend is kept on the next weekday that is not already a holiday (1 Jan on a
 * Saturday: Monday 3 Jan; 25 Dec on a Saturday: Monday 27 and Tuesday 28; 25 Dec on a Sunday:
 * Boxing Day Monday 26 and Christmas Tuesday 27; 26 Dec on a Saturday: Monday 28).
 */
function ruleBankHolidays(year: number): BankHoliday[] {
  const easter = easterSunday(year);
  const days: BankHoliday[] = [
    { date: addDays(easter, -2), title: 'Good Friday' },
    { date: addDays(easter, 1), title: 'Easter Monday' },
    { date: firstMonday(year, 5), title: 'Early May bank holiday' },
    { date: lastMonday(year, 5), title: 'Spring bank holiday' },
    { date: lastMonday(year, 8), title: 'Summer bank holiday' },
  ];
  const fixed = [
    { date: dateOf(year, 1, 1), title: "New Year's Day" },
    { date: dateOf(year, 12, 25), title: 'Christmas Day' },
    { date: dateOf(year, 12, 26), title: 'Boxing Day' },
  ];
  const taken = new Set<string>();
  for (const day of fixed.filter((f) => !isWeekend(f.date))) {
    days.push(day);
    taken.add(day.date);
  }
  for (const day of fixed.filter((f) => isWeekend(f.date))) {
    let substitute = addDays(day.date, 1);
    while (isWeekend(substitute) || taken.has(substitute)) substitute = addDays(substitute, 1);
    days.push({ date: substitute, title: `${day.title} (substitute day)` });
    taken.add(substitute);
  }
  return days;
}

/**
 * The bank holidays of England and Wales in `year`, in date order: the rule days, less the days
 * a proclamation moved away, plus the days moved to or added (the shipped one-off list).
 */
export function englandAndWalesBankHolidays(year: number): BankHoliday[] {
  if (!Number.isInteger(year)) throw new RangeError(`a year must be a whole number, got ${year}`);
  const inYear = (h: BankHoliday) => h.date.startsWith(`${String(year).padStart(4, '0')}-`);
  const rules = ruleBankHolidays(year);
  const removed = new Set<string>();
  for (const h of REMOVED_BANK_HOLIDAYS.filter(inYear)) {
    if (!rules.some((r) => r.date === h.date && r.title === h.title))
      throw new Error(
        `bank-holiday-exceptions-england-wales.json removes ${h.date} (${h.title}), which the rules do not give`,
      );
    removed.add(h.date);
  }
  const kept = rules.filter((h) => !removed.has(h.date));
  return [...kept, ...ADDED_BANK_HOLIDAYS.filter(inYear)].sort((a, b) =>
    compareDates(a.date, b.date),
  );
}

/** England and Wales bank holidays for any date; each year is computed on first use and kept. */
export function createEnglandAndWalesBankHolidays(): BankHolidays {
  const years = new Map<number, Set<string>>();
  return {
    isBankHoliday(date) {
      const year = Number(date.slice(0, 4));
      let days = years.get(year);
      if (!days) {
        days = new Set(englandAndWalesBankHolidays(year).map((h) => h.date));
        years.set(year, days);
      }
      return days.has(date);
    },
  };
}

/** The England and Wales bank holidays, for any year, shared by the app and the tests. */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: BankHolidays = createEnglandAndWalesBankHolidays();
