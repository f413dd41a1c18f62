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
