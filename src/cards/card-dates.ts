import { dateTimeFormat } from '../domain/date-time-format.js';
import type { ReviewKind } from '../domain/review-schedule.js';

// Dates in full ("Fri 20 November 2026"), shared with the Outlook pane's browser code.
export { longDay, longDayAt, meetingTime, slotText } from '../domain/date-text.js';

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

/** "14:32" in the council's time zone. */
export function timeOfDay(at: Date, timeZone: string): string {
  const p = dateParts(at, timeZone);
  return `${p.hour}:${p.minute}`;
}
