import { describe, expect, it } from 'vitest';
import { longDay } from '../../../src/cards/card-dates.js';
import { fromEpochDay } from '../../../src/domain/local-date.js';

describe('days written out on cards', () => {
  it('counts "Fri 20 November 2026" as Intl (en-GB) writes it, for every day from 1950 to 2100', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const first = Date.UTC(1950, 0, 1) / 86_400_000;
    const last = Date.UTC(2100, 11, 31) / 86_400_000;
    const wrong: string[] = [];
    for (let day = first; day <= last; day += 1) {
      const date = fromEpochDay(day);
      const p = Object.fromEntries(
        intl.formatToParts(new Date(day * 86_400_000)).map((x) => [x.type, x.value]),
      );
      const expected = `${p['weekday']} ${p['day']} ${p['month']} ${p['year']}`;
      if (longDay(date) !== expected) wrong.push(`${date}: ${longDay(date)} not ${expected}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(longDay(fromEpochDay(Date.UTC(2026, 10, 20) / 86_400_000))).toBe('Fri 20 November 2026');
  });
});
