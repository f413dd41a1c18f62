import { addDays, type LocalDate } from './local-date.js';
import type { WorkingCalendar } from './working-days.js';
import { instantToZoned, zonedTimeToInstant } from './zoned-time.js';

export interface Interval {
  start: Date;
  end: Date;
}

export interface SlotSearch {
  /** Busy time of everyone who must be free (IRO and social worker). */
  busy: readonly Interval[];
  /** No slot starts before this instant (now plus the notice the invitees need). */
  notBefore: Date;
  /** The last day a slot may fall on. */
  lastDay: LocalDate;
  durationMinutes: number;
  /** Working hours as "HH:MM" in the council's zone. */
  workingHours: { start: string; end: string };
  timeZone: string;
  calendar: WorkingCalendar;
  /** How many slots to propose, at most one a day so the IRO has a real choice. */
  count: number;
  /** Candidate starts are on this grid, in minutes (30: on the hour and half hour). */
  stepMinutes?: number;
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Proposes meeting times on working days, inside working hours, where nobody in `busy` is busy,
 * from `notBefore` up to the end of `lastDay`: the earliest free start of each day, one slot a
 * day, up to `count` slots.
 */
export function proposeSlots(search: SlotSearch): Interval[] {
  const step = (search.stepMinutes ?? 30) * 60_000;
  const length = search.durationMinutes * 60_000;
  const slots: Interval[] = [];
  let day = instantToZoned(search.notBefore, search.timeZone).date;
  for (; day <= search.lastDay && slots.length < search.count; day = addDays(day, 1)) {
    if (!search.calendar.isWorkingDay(day)) continue;
    const open = zonedTimeToInstant(day, search.workingHours.start, search.timeZone).getTime();
    const close = zonedTimeToInstant(day, search.workingHours.end, search.timeZone).getTime();
    for (let start = open; start + length <= close; start += step) {
      if (start < search.notBefore.getTime()) continue;
      const candidate = { start: new Date(start), end: new Date(start + length) };
      if (!search.busy.some((b) => overlaps(b, candidate))) {
        slots.push(candidate);
        break;
      }
    }
  }
  return slots;
}
