import type { BankHolidays } from './bank-holidays.js';
import { addDays, dayOfWeek, fromEpochDay, toEpochDay, type LocalDate } from './local-date.js';

/**
 * Which days count as working days: Monday to Friday except bank holidays. Built once from the
 * England and Wales bank holidays (any year) plus the newly proclaimed days configuration adds.
 */
export interface WorkingCalendar {
  isWorkingDay(date: LocalDate): boolean;
  /** The `n`th working day after `date` (counting starts on the day after `date`). */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
}

/** One year's working days: a flag per day, and how many there are up to and including each. */
interface YearTable {
  /** Days since 1970 of 1 January. */
  first: number;
  working: Uint8Array;
  upTo: Uint16Array;
}

export function createWorkingCalendar(
  bankHolidays: BankHolidays,
  extraBankHolidays: Iterable<LocalDate> = [],
): WorkingCalendar {
  const extra = new Set<string>(extraBankHolidays);
  const isWorkingDate = (date: LocalDate): boolean => {
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6 && !extra.has(date) && !bankHolidays.isBankHoliday(date);
  };
  // Each year's working days, worked out once on first use.
  const years = new Map<number, YearTable>();
  let last: YearTable | undefined;
  const yearOf = (epochDay: number) => {
    if (last && epochDay >= last.first && epochDay < last.first + last.working.length) return last;
    const year = Number(fromEpochDay(epochDay).slice(0, 4));
    let table = years.get(year);
    if (!table) {
      const first = toEpochDay(`${String(year).padStart(4, '0')}-01-01` as LocalDate);
      const length = toEpochDay(`${String(year + 1).padStart(4, '0')}-01-01` as LocalDate) - first;
      const working = new Uint8Array(length);
      const upTo = new Uint16Array(length);
      let count = 0;
      for (let i = 0; i < length; i += 1) {
        if (isWorkingDate(fromEpochDay(first + i))) {
          working[i] = 1;
          count += 1;
        }
        upTo[i] = count;
      }
      table = { first, working, upTo };
      years.set(year, table);
    }
    last = table;
    return table;
  };
  const isWorkingEpochDay = (epochDay: number): boolean => {
    const table = yearOf(epochDay);
    return table.working[epochDay - table.first] === 1;
  };
  return {
    isWorkingDay: (date) => isWorkingEpochDay(toEpochDay(date)),
    addWorkingDays(date, n) {
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError(`working days must be a whole number >= 0, got ${n}`);
      let current = toEpochDay(date);
      let counted = 0;
      while (counted < n) {
        current += 1;
        if (isWorkingEpochDay(current)) counted += 1;
      }
      return fromEpochDay(current);
    },
    workingDaysBetween(from, to) {
      const start = toEpochDay(from);
      const end = toEpochDay(to);
      if (end <= start) return 0;
      // Working days up to `end` less those up to `start`, a year's table at a time.
      let table = yearOf(start);
      let total = -(table.upTo[start - table.first] as number);
      while (end >= table.first + table.working.length) {
        total += table.upTo[table.working.length - 1] as number;
        table = yearOf(table.first + table.working.length);
      }
      return total + (table.upTo[end - table.first] as number);
    },
  };
}

/**
 * By when to hold a review due on `dueDate`: the last working day before it when the due date is
 * a weekend or bank holiday; null when the due date is a working day (hold it by then).
 */
export function holdByDay(
  calendar: Pick<WorkingCalendar, 'isWorkingDay'>,
  dueDate: LocalDate,
): LocalDate | null {
  if (calendar.isWorkingDay(dueDate)) return null;
  let day = addDays(dueDate, -1);
  while (!calendar.isWorkingDay(day)) day = addDays(day, -1);
  return day;
}
