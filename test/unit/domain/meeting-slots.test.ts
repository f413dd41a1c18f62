import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { proposeSlots } from '../../../src/domain/meeting-slots.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import { instantToZoned, zonedTimeToInstant } from '../../../src/domain/zoned-time.js';

const d = (s: string) => s as LocalDate;
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const TZ = 'Europe/London';

describe('wall-clock times in the council zone', () => {
  it.each([
    ['2026-03-27', '09:00', '2026-03-27T09:00:00.000Z'], // GMT
    ['2026-03-30', '09:00', '2026-03-30T08:00:00.000Z'], // BST, the Monday after the clocks go forward
    ['2026-10-26', '09:00', '2026-10-26T09:00:00.000Z'], // GMT again
    ['2026-07-01', '16:30', '2026-07-01T15:30:00.000Z'],
  ])('%s %s in London is %s', (date, time, iso) => {
    const instant = zonedTimeToInstant(d(date), time, TZ);
    expect(instant.toISOString()).toBe(iso);
    expect(instantToZoned(instant, TZ)).toEqual({ date, time });
  });
});

describe('proposed review times', () => {
  const base = {
    durationMinutes: 90,
    workingHours: { start: '09:00', end: '17:00' },
    timeZone: TZ,
    calendar,
    count: 5,
  };
  const local = (slot: { start: Date }) => {
    const z = instantToZoned(slot.start, TZ);
    return `${z.date} ${z.time}`;
  };

  it('offers the earliest free start of each working day, one a day, skipping weekends and bank holidays', () => {
    const slots = proposeSlots({
      ...base,
      busy: [],
      notBefore: zonedTimeToInstant(d('2026-12-23'), '00:00', TZ),
      lastDay: d('2027-01-06'),
    });
    expect(slots.map(local)).toEqual([
      '2026-12-23 09:00',
      '2026-12-24 09:00',
      '2026-12-29 09:00',
      '2026-12-30 09:00',
      '2026-12-31 09:00',
    ]);
  });

  it("works around everyone's busy times and keeps the meeting inside working hours", () => {
    const slots = proposeSlots({
      ...base,
      count: 3,
      busy: [
        { start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T12:00:00Z') },
        { start: new Date('2026-12-01T12:30:00Z'), end: new Date('2026-12-01T17:00:00Z') },
        { start: new Date('2026-12-02T10:00:00Z'), end: new Date('2026-12-02T11:00:00Z') },
        { start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-04T00:00:00Z') },
      ],
      notBefore: zonedTimeToInstant(d('2026-12-01'), '00:00', TZ),
      lastDay: d('2026-12-10'),
    });
    // 1 Dec: only 12:00-12:30 is free, too short for 90 minutes; 3 Dec is leave all day.
    expect(slots.map(local)).toEqual(['2026-12-02 11:00', '2026-12-04 09:00', '2026-12-07 09:00']);
  });

  it('never proposes a time that has passed or falls after the last day', () => {
    const slots = proposeSlots({
      ...base,
      busy: [],
      notBefore: new Date('2026-12-01T14:10:00Z'),
      lastDay: d('2026-12-02'),
    });
    expect(slots.map(local)).toEqual(['2026-12-01 14:30', '2026-12-02 09:00']);
    const late = proposeSlots({
      ...base,
      busy: [],
      notBefore: new Date('2026-12-01T16:00:00Z'),
      lastDay: d('2026-12-01'),
    });
    expect(late).toEqual([]);
  });
});
