/**
 * Local dates (`YYYY-MM-DD`) as the API sends them, and the periods the pickers offer. Pure
 * functions with no DOM, so the unit tests can run them under Node.
 */

import { longDate, longDay, meetingTime } from '../../domain/date-text.js';
import type { LocalDate } from '../../domain/local-date.js';

export type IsoDate = string;

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const match = ISO.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function parts(date: IsoDate): [number, number, number] {
  const match = ISO.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function iso(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function startOfMonth(date: IsoDate): IsoDate {
  const [y, m] = parts(date);
  return iso(y, m, 1);
}

export function endOfMonth(date: IsoDate): IsoDate {
  const [y, m] = parts(date);
  return iso(y, m, daysInMonth(y, m));
}

/** Adds calendar months, clamping to the end of a shorter month (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return iso(year, month, Math.min(d, daysInMonth(year, month)));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Monday = 0 ... Sunday = 6. */
export function weekdayIndex(date: IsoDate): number {
  const [y, m, d] = parts(date);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The first day of the financial (reporting) year that contains the date: 1 April. */
export function financialYearStart(date: IsoDate): IsoDate {
  const [y, m] = parts(date);
  return iso(m >= 4 ? y : y - 1, 4, 1);
}

export type ReviewsPeriodChoice = 'thisMonth' | 'nextMonth' | 'next3Months' | 'custom';
export type ReportPeriodChoice = 'yearToDate' | 'lastQuarter' | 'lastFinancialYear' | 'custom';

/** Periods for My reviews. "Next 3 months" runs from today to the end of the third month. */
export function reviewsPeriod(
  choice: Exclude<ReviewsPeriodChoice, 'custom'>,
  today: IsoDate,
): Period {
  switch (choice) {
    case 'thisMonth':
      return { from: startOfMonth(today), to: endOfMonth(today) };
    case 'nextMonth': {
      const next = addMonths(startOfMonth(today), 1);
      return { from: next, to: endOfMonth(next) };
    }
    case 'next3Months':
      return { from: today, to: endOfMonth(addMonths(startOfMonth(today), 2)) };
  }
}

/**
 * Periods for Caseload and Annual report: the reporting year to date (from 1 April), the last
 * complete quarter (financial quarters are calendar quarters), the last financial year (1 April
 * to 31 March).
 */
export function reportPeriod(
  choice: Exclude<ReportPeriodChoice, 'custom'>,
  today: IsoDate,
): Period {
  switch (choice) {
    case 'yearToDate':
      return { from: financialYearStart(today), to: today };
    case 'lastQuarter': {
      const [y, m] = parts(today);
      const quarterStartMonth = Math.floor((m - 1) / 3) * 3 + 1;
      const from = addMonths(iso(y, quarterStartMonth, 1), -3);
      return { from, to: endOfMonth(addMonths(from, 2)) };
    }
    case 'lastFinancialYear': {
      const from = addMonths(financialYearStart(today), -12);
      return { from, to: addDays(financialYearStart(today), -1) };
    }
  }
}

/** The first day of every month that the period touches, in order. */
export function monthsIn(period: Period): IsoDate[] {
  const months: IsoDate[] = [];
  let month = startOfMonth(period.from);
  const last = startOfMonth(period.to);
  while (month <= last && months.length < 240) {
    months.push(month);
    month = addMonths(month, 1);
  }
  return months;
}

const MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const MONTH_SHORT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short' });

function utc(date: IsoDate): Date {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d));
}

/** The date checked as `YYYY-MM-DD`, for the domain's writers of dates. */
function localDate(date: IsoDate): LocalDate {
  parts(date);
  return date as LocalDate;
}

/**
 * "Tue 3 November 2026": a day is written with its month in full, as the chat's cards and the
 * Outlook pane write it (the domain's own writer, so the three never differ).
 */
export function formatDay(date: IsoDate | null): string {
  return date ? longDay(localDate(date)) : 'Not known';
}

/** "3 November 2026" */
export function formatDate(date: IsoDate | null): string {
  return date ? longDate(localDate(date)) : 'Not known';
}

/** "November 2026" */
export function formatMonth(date: IsoDate): string {
  return MONTH.format(utc(date));
}

/**
 * A month of a chart, from `2026-11` or `2026-11-01`: "Nov" with "2026" as its group (written
 * under it where the year changes), and "November 2026" for the table and screen readers.
 */
export function chartMonth(month: string): { label: string; group: string; longLabel: string } {
  const date = /^\d{4}-\d{2}$/.test(month) ? `${month}-01` : month;
  if (!isIsoDate(date)) return { label: month, group: '', longLabel: month };
  return {
    label: MONTH_SHORT.format(utc(date)),
    group: date.slice(0, 4),
    longLabel: formatMonth(date),
  };
}

export function formatPeriod(period: Period): string {
  return `${formatDate(period.from)} to ${formatDate(period.to)}`;
}

/** An instant in the council's time zone: "Tue 3 November 2026, 10:30". */
export function formatInstant(instant: string | null, timeZone: string): string {
  if (!instant) return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return meetingTime(date, timeZone);
}

/** "in 5 days", "today", "overdue by 3 days". */
export function describeDaysLeft(daysLeft: number | null): string {
  if (daysLeft === null) return 'Not known';
  if (daysLeft === 0) return 'Due today';
  if (daysLeft === 1) return 'Due tomorrow';
  if (daysLeft > 0) return `In ${daysLeft} days`;
  return `Overdue by ${-daysLeft} ${daysLeft === -1 ? 'day' : 'days'}`;
}
