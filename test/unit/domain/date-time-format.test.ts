import { describe, expect, it } from 'vitest';
import { dateTimeFormat } from '../../../src/domain/date-time-format.js';
import { todayIn } from '../../../src/domain/local-date.js';

describe('date formats made once', () => {
  it('gives the same formatter for the same locale and options, another for other options', () => {
    const london = { timeZone: 'Europe/London', year: 'numeric' } as const;
    expect(dateTimeFormat('en-GB', london)).toBe(dateTimeFormat('en-GB', { ...london }));
    expect(dateTimeFormat('en-GB', london)).not.toBe(
      dateTimeFormat('en-GB', { ...london, timeZone: 'UTC' }),
    );
    expect(dateTimeFormat('en-CA', london)).not.toBe(dateTimeFormat('en-GB', london));
  });

  it('still refuses an unknown time zone, every time', () => {
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it("keeps each zone's own today around midnight", () => {
    const late = new Date('2026-06-30T23:30:00Z');
    expect(todayIn('Europe/London', late)).toBe('2026-07-01');
    expect(todayIn('UTC', late)).toBe('2026-06-30');
    expect(todayIn('Europe/London', new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});

describe("today's date kept for the quarter hour it holds for", () => {
  /** Intl's answer, asked afresh. */
  const fresh = (timeZone: string, at: Date) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);

  it.each([
    // Quarter- and half-hour offsets, and zones whose clocks change at midnight.
    ['Europe/London', '2026-03-28T00:00:00Z'],
    ['Europe/London', '2026-10-24T00:00:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
    ['America/St_Johns', '2026-11-01T00:00:00Z'],
    ['Pacific/Chatham', '2026-04-04T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
    ['America/Santiago', '2026-04-04T00:00:00Z'],
    // Clocks turned back at 00:01 local time, to 23:01 the day before: off the quarter hour.
    ['America/St_Johns', '1987-10-24T12:00:00Z'],
    ['America/Moncton', '1993-10-30T12:00:00Z'],
  ])('in %s, every 7.5 minutes for three days from %s, as Intl says', (zone, from) => {
    const start = Date.parse(from);
    const wrong: string[] = [];
    for (let ms = start; ms < start + 3 * 86_400_000; ms += 450_000) {
      // The last millisecond of each quarter hour, then its first: a kept date must not outlive it.
      for (const at of [new Date(ms - 1), new Date(ms)]) {
        if (todayIn(zone, at) !== fresh(zone, at)) wrong.push(at.toISOString());
      }
    }
    expect(wrong).toEqual([]);
  });

  it('changes at midnight in Kathmandu (UTC+5:45), at 18:15 UTC', () => {
    expect(todayIn('Asia/Kathmandu', new Date('2026-06-01T18:14:59.999Z'))).toBe('2026-06-01');
    expect(todayIn('Asia/Kathmandu', new Date('2026-06-01T18:15:00.000Z'))).toBe('2026-06-02');
  });

  it('keeps no date for a quarter hour in which it changes, as Monrovia (UTC-0:44:30) until 1972', () => {
    // Liberia kept UTC-0:44:30 until 1972: midnight fell at 00:44:30 UTC.
    expect(todayIn('Africa/Monrovia', new Date('1971-06-01T00:44:29Z'))).toBe('1971-05-31');
    expect(todayIn('Africa/Monrovia', new Date('1971-06-01T00:44:31Z'))).toBe('1971-06-01');
  });
});
