import { dayOfWeek, MONTH_NAMES, parts, type LocalDate } from './local-date.js';
import { instantToZoned } from './zoned-time.js';

/*
 * Dates as people read them in the chat's cards and the Outlook pane, with the month in full and
 * the year everywhere. Nothing here needs the working-day calendar, so the pane's browser code
 * can use it as the server does.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * "Fri 20 November 2026" (months written in full everywhere, as in answers' period labels): a
 * calendar date needs no time zone, so it is counted rather than asked of Intl (en-GB's names).
 */
export function longDay(date: LocalDate): string {
  const { year, month, day } = parts(date);
  return `${WEEKDAYS[dayOfWeek(date)]} ${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** "20 November 2026": a date without its weekday, as answers' periods and form errors write it. */
export function longDate(date: LocalDate): string {
  const { year, month, day } = parts(date);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** The day an instant falls on in the council's time zone: "Tue 24 November 2026". */
export function longDayAt(at: Date, timeZone: string): string {
  return longDay(instantToZoned(at, timeZone).date);
}

/** "Tue 24 November 2026, 10:00" in the council's time zone (the year too, as in every date). */
export function meetingTime(start: Date, timeZone: string): string {
  const { date, time } = instantToZoned(start, timeZone);
  return `${longDay(date)}, ${time}`;
}

/** "Tue 1 December 2026, 10:00 to 11:30" in the council's time zone. */
export function slotText(slot: { start: Date; end: Date }, timeZone: string): string {
  const start = instantToZoned(slot.start, timeZone);
  const end = instantToZoned(slot.end, timeZone);
  return `${longDay(start.date)}, ${start.time} to ${end.time}`;
}
