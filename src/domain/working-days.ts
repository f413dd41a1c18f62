import type { BankHolidays } from './bank-holidays.js';
import { addDays, dayOfWeek, type LocalDate } from './local-date.js';

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

export function createWorkingCalendar(
  bankHolidays: BankHolidays,
  extraBankHolidays: Iterable<LocalDate> = [],
): WorkingCalendar {
  const extra = new Set<string>(extraBankHolidays);
  const isWorkingDay = (date: LocalDate): boolean => {
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6 && !extra.has(date) && !bankHolidays.isBankHoliday(date);
  };
  return {
    isWorkingDay,
    addWorkingDays(date, n) {
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError(`working days must be a whole number >= 0, got ${n}`);
      let current = date;
      let counted = 0;
      while (counted < n) {
        current = addDays(current, 1);
        if (isWorkingDay(current)) counted += 1;
      }
      return current;
    },
    workingDaysBetween(from, to) {
      let count = 0;
      for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
        if (isWorkingDay(d)) count += 1;
      }
      return count;
    },
  };
}
