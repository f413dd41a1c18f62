import { describe, expect, it } from 'vitest';
import { unusualTime } from '../../../src/app/scheduling/schedule-review.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import type { DueReview } from '../../../src/domain/review-schedule.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import { zonedTimeToInstant } from '../../../src/domain/zoned-time.js';

const TZ = 'Europe/London';
const deps = {
  calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
  clock: {
    now: () => new Date('2026-12-01T08:00:00Z'),
    today: () => '2026-12-01' as LocalDate,
  },
  scheduling: {
    timeZone: TZ,
    workingHours: { start: '09:00', end: '17:00' },
    lengthMinutes: 90,
    noticeWorkingDays: 3,
    subjectTemplate: 'Review: {initials} ({child})',
    defaultVenue: 'Placement',
  },
};
// Due on Saturday 19 December 2026.
const context = {
  due: {
    kind: 'second',
    dueDate: '2026-12-19',
    number: 2,
    previousReviewDate: null,
  } as DueReview,
};
const ask = (date: string, time: string, minutes = 90) =>
  unusualTime(deps, context, zonedTimeToInstant(date as LocalDate, time, TZ), minutes);
const END = 'Change the time, or tick "Send anyway".';

describe('a typed time that needs a second look before the invitations go', () => {
  it.each([
    [
      'Christmas Day, a Friday bank holiday after the due date',
      '2026-12-25',
      '10:00',
      90,
      `Fri 25 December 2026 is a bank holiday, and after the due date (Sat 19 December 2026): the review will be late. ${END}`,
    ],
    [
      'the Monday after a Saturday due date',
      '2026-12-21',
      '10:00',
      90,
      `Mon 21 December 2026 is after the due date (Sat 19 December 2026): the review will be late. ${END}`,
    ],
    [
      'a Saturday at 07:30',
      '2026-12-12',
      '07:30',
      60,
      `Sat 12 December 2026 is at the weekend. 07:30 to 08:30 is outside working hours (09:00 to 17:00). ${END}`,
    ],
    [
      'the due date itself, a Saturday',
      '2026-12-19',
      '10:00',
      90,
      `Sat 19 December 2026 is at the weekend. ${END}`,
    ],
    [
      'a working day, running past the office day',
      '2026-12-10',
      '16:00',
      90,
      `16:00 to 17:30 is outside working hours (09:00 to 17:00). ${END}`,
    ],
    [
      'Boxing Day substitute in 2027 (Tue 28 December)',
      '2027-12-28',
      '10:00',
      60,
      `Tue 28 December 2027 is a bank holiday, and after the due date (Sat 19 December 2026): the review will be late. ${END}`,
    ],
  ])('asks about %s', (_what, date, time, minutes, sentence) => {
    expect(ask(date, time, minutes)).toBe(sentence);
  });

  it.each([
    ['a working day in working hours before the due date', '2026-12-10', '10:00', 90],
    ['one ending exactly when the office day ends', '2026-12-18', '15:30', 90],
    // Refused by the booking with its own sentence ("between 07:00 and 22:00", "in the future").
    ['03:00 meant for 15:00', '2026-12-10', '03:00', 60],
    ['a time already past', '2026-11-30', '10:00', 60],
  ])('asks nothing about %s', (_what, date, time, minutes) => {
    expect(ask(date, time, minutes)).toBeUndefined();
  });
});
