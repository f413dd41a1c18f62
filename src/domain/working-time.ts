import { addDays, type LocalDate } from './local-date.js';
import type { WorkingCalendar } from './working-days.js';
import { instantToZoned, zonedTimeToInstant } from './zoned-time.js';

/** The office day, "HH:MM" to "HH:MM" in the council's time zone. */
export interface WorkingHours {
  start: string;
  end: string;
}

export interface WorkingTime {
  calendar: WorkingCalendar;
  hours: WorkingHours;
  timeZone: string;
}

/** Whether `instant` falls on a working day, within working hours. */
export function isWorkingTime(instant: Date, w: WorkingTime): boolean {
  const { date, time } = instantToZoned(instant, w.timeZone);
  return w.calendar.isWorkingDay(date) && time >= w.hours.start && time < w.hours.end;
}

/**
 * `instant` itself when it is working time; otherwise the start of the next working day's hours
 * (today's, when the office day has not begun yet).
 */
export function nextWorkingInstant(instant: Date, w: WorkingTime): Date {
  if (isWorkingTime(instant, w)) return instant;
  const { date, time } = instantToZoned(instant, w.timeZone);
  const day =
    w.calendar.isWorkingDay(date) && time < w.hours.start
      ? date
      : w.calendar.addWorkingDays(date, 1);
  return zonedTimeToInstant(day, w.hours.start, w.timeZone);
}

/**
 * The same time of day `workingDays` working days after `instant`'s day, kept within working
 * hours: what "no answer in 5 working days" means for a message sent at `instant`.
 */
export function workingDaysAfter(instant: Date, workingDays: number, w: WorkingTime): Date {
  const { date, time } = instantToZoned(instant, w.timeZone);
  const day: LocalDate = w.calendar.addWorkingDays(date, workingDays);
  if (time >= w.hours.end) {
    return zonedTimeToInstant(w.calendar.addWorkingDays(day, 1), w.hours.start, w.timeZone);
  }
  return zonedTimeToInstant(day, time < w.hours.start ? w.hours.start : time, w.timeZone);
}

/** The `n`th working day before `date` (0: `date` itself). */
export function workingDaysBefore(
  date: LocalDate,
  n: number,
  w: Pick<WorkingTime, 'calendar'>,
): LocalDate {
  let current = date;
  for (let counted = 0; counted < n;) {
    current = addDays(current, -1);
    if (w.calendar.isWorkingDay(current)) counted += 1;
  }
  return current;
}
