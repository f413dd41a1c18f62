import { dateTimeFormat } from './date-time-format.js';
import type { LocalDate } from './local-date.js';

/**
 * Converting between a wall-clock time in a named zone (Europe/London) and an instant, without a
 * library: the zone's offset is read from Intl and corrected once for a change of offset (the
 * clocks going forward or back).
 */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = dateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/** The instant at which the clocks in `timeZone` show `date` `time` ("HH:MM"). */
export function zonedTimeToInstant(date: LocalDate, time: string, timeZone: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const wall = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
    hours ?? 0,
    minutes ?? 0,
  );
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The calendar date and "HH:MM" that the clocks in `timeZone` show at `instant`. */
export function instantToZoned(instant: Date, timeZone: string): { date: LocalDate; time: string } {
  const shifted = new Date(
    instant.getTime() + offsetMinutes(instant, timeZone) * 60_000,
  ).toISOString();
  return { date: shifted.slice(0, 10) as LocalDate, time: shifted.slice(11, 16) };
}
