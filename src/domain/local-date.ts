import { dateTimeFormat } from './date-time-format.js';

/**
 * A calendar date without a time or zone, as `YYYY-MM-DD`. Every statutory rule works on these,
 * so no rule depends on the machine's time zone.
 */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function fromParts(year: number, month: number, day: number): LocalDate | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}` as LocalDate;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[month - 1] as number;
}

/** Parses `YYYY-MM-DD`; undefined when it is not a real calendar date. */
export function parseIsoDate(text: string): LocalDate | undefined {
  const m = ISO.exec(text.trim());
  return m ? fromParts(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** Parses the SSDA903 format `dd/mm/yyyy`; undefined when it is not a real calendar date. */
export function parseUkDate(text: string): LocalDate | undefined {
  const m = UK.exec(text.trim());
  return m ? fromParts(Number(m[3]), Number(m[2]), Number(m[1])) : undefined;
}

/** Month names as cards and answers write them: one style everywhere ("1 December 2026"). */
export const MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function formatUkDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export function parts(date: LocalDate): { year: number; month: number; day: number } {
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
  };
}

/**
 * Days since 1970-01-01, by the proleptic Gregorian calendar's arithmetic (no Date objects: the
 * due-date rules call this for every day they count, for every child of an import).
 */
export function toEpochDay(date: LocalDate): number {
  const y0 = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function fromEpochDay(epochDay: number): LocalDate {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}` as LocalDate;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar months, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return fromParts(y, m, Math.min(day, daysInMonth(y, m))) as LocalDate;
}

export function addYears(date: LocalDate, years: number): LocalDate {
  return addMonths(date, years * 12);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

/** Age in whole years on `on`; a birthday counts on the day itself (29 Feb birthdays on 28 Feb). */
export function ageOn(dob: LocalDate, on: LocalDate): number {
  const b = parts(dob);
  const d = parts(on);
  let age = d.year - b.year;
  if (compareDates(addYears(dob, age), on) > 0) age -= 1;
  return age;
}

/** The first and last day of the month that holds `date`. */
export function monthOf(date: LocalDate): { first: LocalDate; last: LocalDate } {
  const { year, month } = parts(date);
  return {
    first: fromParts(year, month, 1) as LocalDate,
    last: fromParts(year, month, daysInMonth(year, month)) as LocalDate,
  };
}

/**
 * The reporting year (1 April to 31 March) that holds `date`: the 903 collection year, and the
 * year of the IRO annual report.
 */
export function reportingYear(date: LocalDate): { first: LocalDate; last: LocalDate } {
  const { year, month } = parts(date);
  const startYear = month >= 4 ? year : year - 1;
  return { first: `${startYear}-04-01` as LocalDate, last: `${startYear + 1}-03-31` as LocalDate };
}

/**
 * The last date worked out for each zone, with the quarter hour of UTC it holds for. A zone's
 * date changes at local midnight, which falls on a quarter hour of UTC in every zone today; but
 * not in all zones always (St John's turned its clocks back at 00:01 until 2011, Monrovia kept
 * UTC-0:44:30 until 1972), so a date is kept only when it is the same at the quarter hour's first
 * and last millisecond.
 */
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const lastToday = new Map<string, { quarter: number; date: LocalDate }>();

function dateIn(timeZone: string, at: Date): LocalDate {
  return dateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at) as LocalDate;
}

/** Today's date in the given IANA zone (the councils are in Europe/London). */
export function todayIn(timeZone: string, now: Date): LocalDate {
  const quarter = Math.floor(now.getTime() / QUARTER_HOUR_MS);
  const known = lastToday.get(timeZone);
  if (known && known.quarter === quarter) return known.date;
  const date = dateIn(timeZone, now);
  const first = new Date(quarter * QUARTER_HOUR_MS);
  const last = new Date((quarter + 1) * QUARTER_HOUR_MS - 1);
  if (dateIn(timeZone, first) === date && dateIn(timeZone, last) === date) {
    lastToday.set(timeZone, { quarter, date });
  }
  return date;
}
