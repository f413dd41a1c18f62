import { describe, expect, it } from 'vitest';
import type { CalendarEvent, EventReading } from '../../../src/app/scheduling/calendar-gateway.js';
import type { BookedReview } from '../../../src/app/scheduling/scheduled-reviews.js';
import {
  CANCELLED_IN_CALENDAR,
  MOVED_IN_CALENDAR,
  SYNC_LOOK_BACK_MS,
  syncBookedMeetings,
  type CalendarSyncDeps,
} from '../../../src/app/scheduling/sync-booked-meetings.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

const NOW = new Date('2026-12-02T10:00:00Z');
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

function booked(id: number, startInHours: number): BookedReview {
  return {
    id,
    childId: `C${id}`,
    chairEmail: 'iro@council.example',
    dueOn: '2026-12-20' as LocalDate,
    kind: 'subsequent',
    start: hours(startInHours),
    end: hours(startInHours + 1),
    venue: 'The foster home',
    eventId: `event-${id}`,
    iCalUId: `ical-${id}`,
    joinUrl: null,
    transactionId: null,
    invitees: [],
  };
}

function found(review: BookedReview, change: Partial<CalendarEvent> = {}): EventReading {
  return {
    state: 'found',
    event: {
      eventId: review.eventId,
      iCalUId: review.iCalUId,
      joinUrl: null,
      webLink: null,
      start: review.start,
      end: review.end,
      subject: 'Review: A.B. (C1)',
      isOrganizer: true,
      isCancelled: false,
      isSeries: false,
      venue: review.venue,
      attendees: [],
      ...change,
    },
  };
}

/** The use case over a fake store and calendar: what it asked for, and what it changed. */
async function sync(pairs: [BookedReview, EventReading][]) {
  const changes: { id: number; seen: unknown; change: unknown; actor: string }[] = [];
  let endsAfter: Date | undefined;
  let asked: unknown;
  const deps: CalendarSyncDeps = {
    scheduledReviews: {
      async listBookedEndingAfter(date) {
        endsAfter = date;
        return pairs.map(([review]) => review);
      },
      async recordCalendarChange(id, seen, change, context) {
        changes.push({ id, seen, change, actor: context.actor });
        return true;
      },
    },
    calendarGateway: {
      async readEvents(items) {
        asked = items;
        return pairs.map(([, reading]) => reading);
      },
    },
    clock: { now: () => NOW, today: () => '2026-12-02' as LocalDate },
  };
  const result = await syncBookedMeetings(deps);
  return { result, changes, endsAfter, asked };
}

describe('following booked meetings in the chairs calendars', () => {
  it('reads each booked meeting from its chair, back to two days before now', async () => {
    const review = booked(1, 24);
    const { result, changes, endsAfter, asked } = await sync([[review, found(review)]]);
    expect(endsAfter).toEqual(new Date(NOW.getTime() - SYNC_LOOK_BACK_MS));
    expect(asked).toEqual([{ mailbox: 'iro@council.example', eventId: 'event-1' }]);
    expect(result).toEqual({ checked: 1, moved: 0, cancelled: 0, unreadable: 0 });
    expect(changes).toEqual([]);
  });

  it('stores a new time as a move, only over the meeting as it was read', async () => {
    const review = booked(2, 24);
    const { result, changes } = await sync([
      [review, found(review, { start: hours(48), end: hours(49.5) })],
    ]);
    expect(result.moved).toBe(1);
    expect(changes).toEqual([
      {
        id: 2,
        seen: { start: review.start, end: review.end },
        change: { kind: 'moved', start: hours(48), end: hours(49.5), reason: MOVED_IN_CALENDAR },
        actor: 'iro@council.example',
      },
    ]);
  });

  it('does not call a change of place alone a reschedule', async () => {
    const review = booked(3, 24);
    const { changes } = await sync([[review, found(review, { venue: 'The school' })]]);
    expect(changes).toEqual([]);
  });

  it('cancels a meeting that is gone or marked cancelled before it starts', async () => {
    const gone = booked(4, 24);
    const marked = booked(5, 2);
    const { result, changes } = await sync([
      [gone, { state: 'gone' }],
      [marked, found(marked, { isCancelled: true })],
    ]);
    expect(result.cancelled).toBe(2);
    expect(changes.map((c) => [c.id, c.change])).toEqual([
      [4, { kind: 'cancelled', reason: CANCELLED_IN_CALENDAR }],
      [5, { kind: 'cancelled', reason: CANCELLED_IN_CALENDAR }],
    ]);
  });

  it('never cancels a meeting that has begun (it may have been held), but still follows a move', async () => {
    const begun = booked(6, -0.5);
    const ended = booked(7, -30);
    const movedLater = booked(8, -20);
    const { result, changes } = await sync([
      [begun, { state: 'gone' }],
      [ended, found(ended, { isCancelled: true })],
      [movedLater, found(movedLater, { start: hours(30), end: hours(31) })],
    ]);
    expect(result).toEqual({ checked: 3, moved: 1, cancelled: 0, unreadable: 0 });
    expect(changes.map((c) => c.id)).toEqual([8]);
  });

  it('leaves what Graph could not read for next time', async () => {
    const review = booked(9, 24);
    const { result, changes } = await sync([[review, { state: 'unreadable' }]]);
    expect(result).toEqual({ checked: 1, moved: 0, cancelled: 0, unreadable: 1 });
    expect(changes).toEqual([]);
  });
});
