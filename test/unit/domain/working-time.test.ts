import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import {
  isWorkingTime,
  nextWorkingInstant,
  workingDaysAfter,
} from '../../../src/domain/working-time.js';

const w = {
  calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
  hours: { start: '09:00', end: '17:00' },
  timeZone: 'Europe/London',
};
const at = (iso: string) => new Date(iso);

describe('working time in Europe/London', () => {
  it('is office hours on working days, by the clocks in London', () => {
    expect(isWorkingTime(at('2027-01-06T09:00:00Z'), w)).toBe(true); // Wed 09:00 GMT
    expect(isWorkingTime(at('2027-01-06T08:59:00Z'), w)).toBe(false);
    expect(isWorkingTime(at('2027-01-06T17:00:00Z'), w)).toBe(false);
    // Summer time: 08:30 UTC is 09:30 in London.
    expect(isWorkingTime(at('2027-06-02T08:30:00Z'), w)).toBe(true);
    expect(isWorkingTime(at('2027-06-02T16:30:00Z'), w)).toBe(false);
    expect(isWorkingTime(at('2027-01-09T12:00:00Z'), w)).toBe(false); // Saturday
    expect(isWorkingTime(at('2026-12-28T12:00:00Z'), w)).toBe(false); // Boxing Day substitute
  });

  it('moves a time outside office hours to the next working morning', () => {
    const inHours = at('2027-01-06T11:00:00Z');
    expect(nextWorkingInstant(inHours, w)).toEqual(inHours);
    expect(nextWorkingInstant(at('2027-01-06T06:00:00Z'), w)).toEqual(at('2027-01-06T09:00:00Z'));
    expect(nextWorkingInstant(at('2027-01-08T18:00:00Z'), w)).toEqual(at('2027-01-11T09:00:00Z'));
    // Christmas Eve evening 2026 -> Tuesday 29 December (25th, 28th are bank holidays).
    expect(nextWorkingInstant(at('2026-12-24T18:00:00Z'), w)).toEqual(at('2026-12-29T09:00:00Z'));
    // Friday evening before the clocks go forward -> Monday 09:00 BST (08:00 UTC).
    expect(nextWorkingInstant(at('2028-03-24T18:00:00Z'), w)).toEqual(at('2028-03-27T08:00:00Z'));
    // Easter 2027: Good Friday 26 March, Easter Monday 29 March, clocks forward on the 28th.
    expect(nextWorkingInstant(at('2027-03-25T18:00:00Z'), w)).toEqual(at('2027-03-30T08:00:00Z'));
  });

  it('counts working days at the same time of day', () => {
    // Wednesday 14:05 + 5 working days = next Wednesday 14:05.
    expect(workingDaysAfter(at('2027-01-06T14:05:00Z'), 5, w)).toEqual(at('2027-01-13T14:05:00Z'));
    // Across Christmas: Wed 23 Dec 2026 + 2 = Tue 29 Dec.
    expect(workingDaysAfter(at('2026-12-23T10:00:00Z'), 2, w)).toEqual(at('2026-12-29T10:00:00Z'));
    // Sent before opening: counted from the office day's start.
    expect(workingDaysAfter(at('2027-01-06T07:00:00Z'), 1, w)).toEqual(at('2027-01-07T09:00:00Z'));
    // Across the change to summer time the London time of day is kept.
    expect(workingDaysAfter(at('2028-03-23T10:00:00Z'), 2, w)).toEqual(at('2028-03-27T09:00:00Z'));
  });
});
