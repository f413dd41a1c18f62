import { describe, expect, it } from 'vitest';
import type { CaseReader, ChildCase, StaffMember } from '../../../src/app/ports.js';
import type {
  CalendarEvent,
  CalendarGateway,
} from '../../../src/app/scheduling/calendar-gateway.js';
import {
  checkOutlookMeeting,
  linkOutlookMeeting,
  type LinkOutlookDeps,
} from '../../../src/app/scheduling/link-outlook-meeting.js';
import type {
  BookedReview,
  NewBooking,
  ScheduledReviewRepository,
} from '../../../src/app/scheduling/scheduled-reviews.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';

const day = (iso: string) => iso as LocalDate;
const NOW = new Date('2026-11-16T10:00:00Z');
const IRO: StaffMember = {
  email: 'iro@council.example',
  name: 'An IRO',
  role: 'iro',
  aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001',
  team: 'IROs',
  managerEmail: null,
  fte: 1,
  swId: null,
} as StaffMember;
const CHILD: ChildCase = {
  childId: 'A12345',
  dob: day('2015-03-01'),
  sex: null,
  ethnic: null,
  firstName: 'Jane',
  lastName: 'Smith',
  periods: [{ start: day('2026-10-05'), startKnown: true, end: null, shortBreak: false }],
  reviews: [],
  allocations: [
    { role: 'iro', staffEmail: IRO.email, startDate: day('2026-10-05'), endDate: null },
  ],
  reviewsKnownFrom: null,
  previousReview: null,
} as ChildCase;

const anEvent = (change: Partial<CalendarEvent> = {}): CalendarEvent => ({
  eventId: 'AAkALgIMMUTABLE',
  iCalUId: 'ical-1',
  joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
  webLink: null,
  start: new Date('2026-11-20T10:00:00Z'),
  end: new Date('2026-11-20T11:30:00Z'),
  subject: 'Review: J.S. (A12345)',
  isOrganizer: true,
  isCancelled: false,
  isSeries: false,
  venue: null,
  attendees: [],
  ...change,
});

/** The use case over fakes: one IRO, one child, a calendar holding `event`, and a store. */
function setUp(
  event: CalendarEvent | null,
  store: { booked?: BookedReview; race?: BookedReview } = {},
) {
  const renamed: string[] = [];
  const bookings: NewBooking[] = [];
  const cases = {
    listStaff: async () => [IRO],
    findChildId: async (text: string) => (text === CHILD.childId ? CHILD.childId : undefined),
    listCases: async () => [CHILD],
  } as unknown as CaseReader;
  const gateway = {
    immutableEventId: async () => (event ? event.eventId : null),
    readEvent: async () => event,
    renameEvent: async (_organiser: string, _id: string, subject: string) => {
      renamed.push(subject);
    },
  } as unknown as CalendarGateway;
  const scheduledReviews = {
    findScheduled: async () => store.booked,
    findByEventId: async () => undefined,
    recordBooking: async (booking: NewBooking) => {
      bookings.push(booking);
      return store.race
        ? { created: false, review: store.race }
        : { created: true, review: { ...booking, id: 7 } };
    },
  } as unknown as ScheduledReviewRepository;
  const deps: LinkOutlookDeps = {
    cases,
    calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
    clock: { now: () => NOW, today: () => day('2026-11-16') },
    calendarGateway: gateway,
    scheduledReviews,
    reviewRecords: { findByJoinUrl: async () => undefined },
    scheduling: {
      timeZone: 'Europe/London',
      workingHours: { start: '09:00', end: '17:00' },
      lengthMinutes: 90,
      noticeWorkingDays: 3,
      subjectTemplate: 'Review: {initials} ({child})',
      defaultVenue: 'the placement',
    },
  };
  const link = () => linkOutlookMeeting(deps, IRO.aadObjectId ?? undefined, 'a12345', 'AAMkAREST');
  /** The pane's check, with the form's times (a meeting in the future unless `end` says). */
  const check = (form: { end?: Date; restEventId?: string | null } = {}) =>
    checkOutlookMeeting(deps, IRO.aadObjectId ?? undefined, 'a12345', {
      start: new Date(NOW.getTime() + 86_400_000),
      end: form.end ?? new Date(NOW.getTime() + 86_400_000 + 5_400_000),
      restEventId: form.restEventId ?? null,
    });
  return { link, check, renamed, bookings };
}

const booking = (eventId: string): BookedReview => ({
  id: 3,
  childId: CHILD.childId,
  chairEmail: IRO.email,
  dueOn: day('2026-11-02'),
  kind: 'first',
  start: new Date('2026-11-20T10:00:00Z'),
  end: new Date('2026-11-20T11:30:00Z'),
  venue: 'x',
  eventId,
  iCalUId: 'ical',
  joinUrl: null,
  transactionId: null,
  invitees: [],
});

describe('linking an Outlook meeting: what Graph says about the meeting', () => {
  it.each([
    ['not in the calendar', null, 'meetingNotFound'],
    ['organised by someone else', anEvent({ isOrganizer: false }), 'notOrganiser'],
    ['cancelled (an attendee copy)', anEvent({ isCancelled: true }), 'meetingCancelled'],
    ['a recurring series', anEvent({ isSeries: true }), 'recurringSeries'],
    ['over', anEvent({ end: new Date(NOW.getTime() - 60_000) }), 'meetingEnded'],
  ])('refuses a meeting %s, and changes nothing', async (_what, event, reason) => {
    const { link, renamed, bookings } = setUp(event);
    expect(await link()).toMatchObject({ ok: false, reason });
    expect(renamed).toEqual([]);
    expect(bookings).toEqual([]);
  });

  it('takes a meeting still running, the venue from its location, and renames only when needed', async () => {
    const running = anEvent({
      start: new Date(NOW.getTime() - 30 * 60_000),
      end: new Date(NOW.getTime() + 60 * 60_000),
      subject: 'Jane Smith review',
      venue: 'Foster home',
      attendees: ['iro@council.example', 'sw@council.example'],
    });
    const { link, renamed, bookings } = setUp(running);
    expect(await link()).toMatchObject({
      ok: true,
      outcome: 'linked',
      subject: 'Review: J.S. (A12345)',
    });
    expect(renamed).toEqual(['Review: J.S. (A12345)']);
    expect(bookings).toEqual([
      expect.objectContaining({
        childId: 'A12345',
        kind: 'first',
        dueOn: '2026-11-02',
        venue: 'Foster home',
        invitees: ['sw@council.example'],
        transactionId: null,
        eventId: 'AAkALgIMMUTABLE',
      }),
    ]);
    const safe = setUp(anEvent());
    expect(await safe.link()).toMatchObject({ ok: true, outcome: 'linked' });
    expect(safe.renamed).toEqual([]);
    expect(safe.bookings[0]?.venue).toBe('the placement');
  });

  it('answers "already linked" when another link of the same meeting got in first, and refuses a different one', async () => {
    const same = setUp(anEvent(), { race: booking('AAkALgIMMUTABLE') });
    expect(await same.link()).toMatchObject({
      ok: true,
      outcome: 'alreadyLinked',
      review: { id: 3 },
    });
    const other = setUp(anEvent(), { race: booking('AAkALgOTHER') });
    expect(await other.link()).toMatchObject({ ok: false, reason: 'alreadyScheduled' });
    const before = setUp(anEvent(), { booked: booking('AAkALgOTHER') });
    expect(await before.link()).toMatchObject({ ok: false, reason: 'alreadyScheduled' });
    expect(before.bookings).toEqual([]);
  });
});

describe('checking an Outlook meeting before the pane changes it', () => {
  it('passes a new meeting for a child with nothing booked, with the subject to give it', async () => {
    const { check, renamed, bookings } = setUp(null);
    expect(await check()).toEqual({
      ok: true,
      subject: 'Review: J.S. (A12345)',
      childLabel: 'J.S. (A12345)',
    });
    expect(renamed).toEqual([]);
    expect(bookings).toEqual([]);
  });

  it.each([
    [
      'over by the form',
      setUp(anEvent()),
      { end: new Date(NOW.getTime() - 60_000) },
      'meetingEnded',
    ],
    [
      'new, for a child booked already',
      setUp(null, { booked: booking('AAkALgIMMUTABLE') }),
      {},
      'alreadyScheduled',
    ],
    [
      'saved, organised by someone else',
      setUp(anEvent({ isOrganizer: false })),
      { restEventId: 'AAMkAREST' },
      'notOrganiser',
    ],
    [
      'saved, a series',
      setUp(anEvent({ isSeries: true })),
      { restEventId: 'AAMkAREST' },
      'recurringSeries',
    ],
  ])('refuses a meeting %s', async (_what, fakes, form, reason) => {
    expect(await fakes.check(form)).toMatchObject({ ok: false, reason });
  });

  it('passes the booked meeting itself', async () => {
    const { check } = setUp(anEvent(), { booked: booking('AAkALgIMMUTABLE') });
    expect(await check({ restEventId: 'AAMkAREST' })).toMatchObject({ ok: true });
  });
});

describe('linking an Outlook meeting: lateness', () => {
  it('says when the meeting falls after the due date, by the day where the council is', async () => {
    // Due 2 November; the meeting on the 20th is late.
    expect(await setUp(anEvent()).link()).toMatchObject({
      ok: true,
      dueDate: '2026-11-02',
      late: true,
    });
  });
});
