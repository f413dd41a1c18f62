import type { JobQueue } from '../app/jobs.js';
import {
  syncBookedMeetings,
  type CalendarSyncDeps,
} from '../app/scheduling/sync-booked-meetings.js';
import type { Logger } from '../shared/logger.js';
import type { JobHandler } from './job-runner.js';

export const CALENDAR_SYNC_JOB = 'calendar.sync';

/**
 * Queues one read-back of the booked meetings per `minutes` (the key names the slot, so however
 * many instances plan it, one of them does it).
 */
export function calendarSyncPlanner(
  deps: { jobs: Pick<JobQueue, 'enqueue'> },
  minutes: number,
): (now: Date) => Promise<void> {
  const slotMs = minutes * 60_000;
  let lastSlot = -1;
  return async (now) => {
    const slot = Math.floor(now.getTime() / slotMs);
    if (slot === lastSlot) return;
    lastSlot = slot;
    const start = new Date(slot * slotMs);
    await deps.jobs.enqueue([
      {
        kind: CALENDAR_SYNC_JOB,
        key: `${CALENDAR_SYNC_JOB}:${start.toISOString()}`,
        runAfter: now,
      },
    ]);
  };
}

/** Reads the booked meetings back from the calendars; the outcome is counts, nothing personal. */
export function calendarSyncJobHandlers(
  deps: CalendarSyncDeps & { logger: Logger },
  minutes: number,
): Record<string, JobHandler> {
  const slotMs = minutes * 60_000;
  return {
    [CALENDAR_SYNC_JOB]: async (job, now) => {
      // Slots planned out of working hours wait for the morning: only the current one reads.
      const slotStart = Date.parse(job.key.slice(CALENDAR_SYNC_JOB.length + 1));
      if (!(now.getTime() - slotStart < slotMs)) {
        return { result: { state: 'done', outcome: 'a past slot' } };
      }
      const result = await syncBookedMeetings(deps);
      if (result.moved + result.cancelled + result.unreadable > 0) {
        deps.logger.info({ ...result }, 'booked meetings read back from the calendars');
      }
      return {
        result: {
          state: 'done',
          outcome: `checked ${result.checked}, moved ${result.moved}, cancelled ${result.cancelled}, unreadable ${result.unreadable}`,
        },
      };
    },
  };
}
