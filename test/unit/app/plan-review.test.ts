import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../../../src/app/ports.js';
import type { CalendarGateway } from '../../../src/app/scheduling/calendar-gateway.js';
import {
  planReview,
  type ChairContext,
  type SchedulingDeps,
} from '../../../src/app/scheduling/schedule-review.js';
import { planWarning, renderPlan } from '../../../src/cards/render-scheduling.js';
import { validateCard } from '../../../src/cards/validate-card.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import type { Interval } from '../../../src/domain/meeting-slots.js';
import type { DueReview } from '../../../src/domain/review-schedule.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import { instantToZoned } from '../../../src/domain/zoned-time.js';

const TZ = 'Europe/London';
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const iro = { email: 'iro@council.example', name: 'An IRO' } as StaffMember;
const sw = { email: 'sw@council.example', name: 'A Social Worker' } as StaffMember;
const day = (iso: string) => iso as LocalDate;
/** Busy all day (in November and early December London is on UTC). */
const allDay = (...dates: string[]): Interval[] =>
  dates.map((d) => ({ start: new Date(`${d}T00:00:00Z`), end: new Date(`${d}T23:59:00Z`) }));
const everyDay = (from: string, to: string): Interval[] => [
  { start: new Date(`${from}T00:00:00Z`), end: new Date(`${to}T23:59:00Z`) },
];

/** Plans the review of a child due on `due`, on `today` at 08:00, with the IRO busy as given. */
async function plan(today: string, due: string, busy: Interval[] = []) {
  const gateway = {
    busyTimes: async () => ({
      busy: new Map([
        [iro.email, busy],
        [sw.email, []],
      ]),
      unavailable: [],
    }),
  } as unknown as CalendarGateway;
  const deps = {
    calendar,
    clock: { now: () => new Date(`${today}T08:00:00Z`), today: () => day(today) },
    calendarGateway: gateway,
    scheduling: {
      timeZone: TZ,
      workingHours: { start: '09:00', end: '17:00' },
      lengthMinutes: 90,
      noticeWorkingDays: 3,
      subjectTemplate: 'Review: {initials} ({child})',
      defaultVenue: 'Placement',
    },
  } as unknown as SchedulingDeps;
  const context: ChairContext = {
    iro,
    child: 'A12345',
    childLabel: 'A.B. (A12345)',
    initials: 'A.B.',
    due: { kind: 'second', dueDate: day(due), number: 2, previousReviewDate: null } as DueReview,
    socialWorker: sw,
    booked: undefined,
    staffEmails: new Set([iro.email, sw.email]),
  };
  const result = await planReview(deps, context);
  return { ...result, days: result.slots.map((s) => instantToZoned(s.start, TZ).date) };
}

// Tuesday 10 November 2026: three working days' notice runs to Friday 13 November.
describe('proposing times, and saying plainly why they are not the usual ones', () => {
  it('offers times by the due date that give the social worker their notice, without a warning', async () => {
    const p = await plan('2026-11-10', '2026-11-20');
    expect(p.situation).toBe('onTime');
    expect(p.days).toEqual(['2026-11-13', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19']);
    expect(planWarning(p)).toBe('');
  });

  it('says a review is overdue, with its due date, and offers the first free times', async () => {
    const p = await plan('2026-11-10', '2026-11-03', allDay('2026-11-12'));
    expect(p.situation).toBe('overdue');
    expect(p.days).toEqual(['2026-11-11', '2026-11-13', '2026-11-16', '2026-11-17', '2026-11-18']);
    expect(planWarning(p)).toBe(
      'This review is overdue: it was due on Tue 3 November 2026. These are the first times everyone is free.',
    );
  });

  it('says when the due date is too close for the notice, and offers times with less', async () => {
    const p = await plan('2026-11-10', '2026-11-12');
    expect(p.situation).toBe('shortNotice');
    expect(p.days).toEqual(['2026-11-11', '2026-11-12']);
    expect(planWarning(p)).toBe(
      'The due date is too close to give the social worker 3 working days for their report; these times give less notice.',
    );
  });

  it('says when nobody is free early enough for the notice, and offers the earlier times', async () => {
    const p = await plan('2026-11-10', '2026-11-16', allDay('2026-11-13', '2026-11-16'));
    expect(p.situation).toBe('shortNotice');
    expect(p.days).toEqual(['2026-11-11', '2026-11-12']);
    expect(planWarning(p)).toBe(
      'Nobody is free together early enough to give the social worker 3 working days for their report; these times give less notice.',
    );
  });

  it('says nobody is free together before the due date only when that is the reason', async () => {
    const p = await plan('2026-11-10', '2026-12-04', everyDay('2026-11-10', '2026-12-07'));
    expect(p.situation).toBe('late');
    expect(p.days).toEqual(['2026-12-08']);
    expect(planWarning(p)).toBe(
      'Nobody is free together before the due date. The first free time is after it: the review would be late.',
    );
  });

  it('says when the due date comes before the next working day (today, a Friday, is not offered)', async () => {
    const p = await plan('2026-11-13', '2026-11-14');
    expect(p.situation).toBe('noTimeLeft');
    expect(p.days[0]).toBe('2026-11-16');
    expect(planWarning(p)).toBe(
      'The due date (Sat 14 November 2026) comes before the next working day (Mon 16 November 2026), the first day I can invite people for, so the review will be late. These are the first times everyone is free.',
    );
  });

  it('says when nothing is free at all, overdue or not', async () => {
    const busy = everyDay('2026-11-01', '2027-01-31');
    expect(planWarning(await plan('2026-11-10', '2026-12-04', busy))).toBe(
      'I found no time when you and the social worker are both free in the next three weeks. Give another day and time below.',
    );
    expect(planWarning(await plan('2026-11-10', '2025-10-03', busy))).toBe(
      'This review is overdue: it was due on Fri 3 October 2025. I found no time when you and the social worker are both free in the next three weeks. Give another day and time below.',
    );
  });

  it('puts the warning on the scheduling card, with the times to choose from', async () => {
    const p = await plan('2026-11-10', '2026-11-03');
    const card = renderPlan({
      mode: 'schedule',
      context: p.context,
      plan: p,
      timeZone: TZ,
      defaults: { lengthMinutes: 90, venue: 'Placement' },
    });
    expect(validateCard(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('"text":"This review is overdue: it was due on Tue 3 November 2026.');
    expect(json).not.toContain('Nobody is free together');
    expect(new Set(json.match(/"value":"2026-11-\d\dT[^"]+"/g))).toHaveProperty('size', 5);
  });
});
