import { dateTimeFormat } from '../domain/date-time-format.js';
import { dayOfWeek, MONTH_NAMES, parts, type LocalDate } from '../domain/local-date.js';
import type { Interval } from '../domain/meeting-slots.js';
import type { ReviewKind } from '../domain/review-schedule.js';
import { instantToZoned } from '../domain/zoned-time.js';

/** How cards name a kind of review next to its due date. */
export const REVIEW_KIND_LABEL: Record<ReviewKind, string> = {
  first: 'First review',
  second: 'Second review',
  subsequent: 'Review',
  short_breaks: 'Short-breaks review',
};

type Part = 'weekday' | 'day' | 'month' | 'year' | 'hour' | 'minute';

/** Date and time parts from Intl, assembled by us: Intl's own separators vary by ICU build. */
function dateParts(when: Date, timeZone: string): Record<Part, string> {
  const parts = dateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).formatToParts(when);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((x) => x.type === type)?.value ?? '';
  return {
    weekday: get('weekday'),
    day: get('day'),
    month: get('month'),
    year: get('year'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * "Fri 20 November 2026" (months written in full everywhere, as in answers' period labels): a
 * calendar date needs no time zone, so it is counted rather than asked of Intl (en-GB's names).
 */
export function longDay(date: LocalDate): string {
  const { year, month, day } = parts(date);
  return `${WEEKDAYS[dayOfWeek(date)]} ${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** "Tue 24 November 2026, 10:00" in the council's time zone (the year too, as in every date). */
export function meetingTime(start: Date, timeZone: string): string {
  const { date, time } = instantToZoned(start, timeZone);
  return `${longDay(date)}, ${time}`;
}

/** "14:32" in the council's time zone. */
export function timeOfDay(at: Date, timeZone: string): string {
  const p = dateParts(at, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** "Tue 1 December 2026, 10:00 to 11:30" in the council's time zone. */
export function slotText(slot: Interval, timeZone: string): string {
  const start = instantToZoned(slot.start, timeZone);
  const end = instantToZoned(slot.end, timeZone);
  return `${longDay(start.date)}, ${start.time} to ${end.time}`;
}
