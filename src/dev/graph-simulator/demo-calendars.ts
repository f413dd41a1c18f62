import { createHash } from 'node:crypto';
import { addDays, type LocalDate } from '../../domain/local-date.js';
import type { WorkingCalendar } from '../../domain/working-days.js';
import { zonedTimeToInstant } from '../../domain/zoned-time.js';
import type { SimulatedUser } from './graph-simulator.js';

/**
 * Believable busy calendars for the demo staff: two or three meetings most working days over the
 * next nine weeks, and now and then a day of leave. The same person always gets the same diary.
 * Each carries the person's Entra object id, by which Graph finds their online meetings.
 */
export function demoCalendars(
  people: { email: string; name: string; objectId?: string | null }[],
  options: { today: LocalDate; calendar: WorkingCalendar; timeZone: string; days?: number },
): SimulatedUser[] {
  return people.map(({ email, name, objectId }) => {
    let seed = createHash('sha256').update(email).digest().readUInt32LE(0);
    const next = () => {
      seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
      return seed / 4294967296;
    };
    const busy: { start: Date; end: Date; subject: string }[] = [];
    for (let d = 0; d < (options.days ?? 63); d += 1) {
      const day = addDays(options.today, d);
      if (!options.calendar.isWorkingDay(day)) continue;
      if (next() < 0.06) {
        busy.push({
          start: zonedTimeToInstant(day, '00:00', options.timeZone),
          end: zonedTimeToInstant(addDays(day, 1), '00:00', options.timeZone),
          subject: 'Annual leave',
        });
        continue;
      }
      const meetings = 1 + Math.floor(next() * 3);
      for (let m = 0; m < meetings; m += 1) {
        const startMinutes = 9 * 60 + Math.floor(next() * 14) * 30;
        const length = [30, 60, 60, 90, 120][Math.floor(next() * 5)] as number;
        const start = zonedTimeToInstant(
          day,
          `${String(Math.floor(startMinutes / 60)).padStart(2, '0')}:${String(startMinutes % 60).padStart(2, '0')}`,
          options.timeZone,
        );
        busy.push({ start, end: new Date(start.getTime() + length * 60_000), subject: 'Busy' });
      }
    }
    return { email, displayName: name, ...(objectId ? { id: objectId } : {}), busy };
  });
}
