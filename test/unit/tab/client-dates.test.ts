import { describe, expect, it } from 'vitest';
import {
  addMonths,
  describeDaysLeft,
  financialYearStart,
  chartMonth,
  formatDate,
  formatDay,
  formatInstant,
  formatPeriod,
  isIsoDate,
  monthsIn,
  reportPeriod,
  reviewsPeriod,
  weekdayIndex,
} from '../../../src/tab/client/dates.js';
import { parseRoute, hrefOf } from '../../../src/tab/client/route.js';

describe("the tab's periods", () => {
  it.each([
    ['2026-11-16', 'thisMonth', '2026-11-01', '2026-11-30'],
    ['2026-11-16', 'nextMonth', '2026-12-01', '2026-12-31'],
    ['2026-11-16', 'next3Months', '2026-11-16', '2027-01-31'],
    ['2026-12-31', 'nextMonth', '2027-01-01', '2027-01-31'],
    ['2028-01-31', 'next3Months', '2028-01-31', '2028-03-31'],
  ] as const)('on %s, %s runs from %s to %s', (today, choice, from, to) => {
    expect(reviewsPeriod(choice, today)).toEqual({ from, to });
  });

  it.each([
    ['2026-11-16', 'yearToDate', '2026-04-01', '2026-11-16'],
    ['2026-03-31', 'yearToDate', '2025-04-01', '2026-03-31'],
    ['2026-04-01', 'yearToDate', '2026-04-01', '2026-04-01'],
    ['2026-11-16', 'lastQuarter', '2026-07-01', '2026-09-30'],
    ['2026-02-10', 'lastQuarter', '2025-10-01', '2025-12-31'],
    ['2026-04-01', 'lastQuarter', '2026-01-01', '2026-03-31'],
    ['2026-11-16', 'lastFinancialYear', '2025-04-01', '2026-03-31'],
    ['2027-03-31', 'lastFinancialYear', '2025-04-01', '2026-03-31'],
    ['2027-04-01', 'lastFinancialYear', '2026-04-01', '2027-03-31'],
  ] as const)('on %s, %s runs from %s to %s', (today, choice, from, to) => {
    expect(reportPeriod(choice, today)).toEqual({ from, to });
  });

  it('counts months with the end of a shorter month, and lists the months a period touches', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(financialYearStart('2026-03-31')).toBe('2025-04-01');
    expect(monthsIn({ from: '2026-11-16', to: '2027-01-31' })).toEqual([
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
    ]);
    expect(weekdayIndex('2026-11-16')).toBe(0); // a Monday
    expect(weekdayIndex('2026-11-22')).toBe(6); // a Sunday
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });

  it.each([
    [5, 'In 5 days'],
    [1, 'Due tomorrow'],
    [0, 'Due today'],
    [-1, 'Overdue by 1 day'],
    [-12, 'Overdue by 12 days'],
    [null, 'Not known'],
  ])('says %s days left as "%s"', (days, text) => {
    expect(describeDaysLeft(days)).toBe(text);
  });

  it.each([
    ['2026-04', { label: 'Apr', group: '2026', longLabel: 'April 2026' }],
    ['2027-01-01', { label: 'Jan', group: '2027', longLabel: 'January 2027' }],
    ['not a month', { label: 'not a month', group: '', longLabel: 'not a month' }],
  ])(
    'names a chart\'s month %s by its month, with the year beside it, never as a day ("Apr 26")',
    (month, named) => {
      expect(chartMonth(month)).toEqual(named);
    },
  );
});

describe("the tab's dates", () => {
  it.each([
    ['2026-09-18', 'Fri 18 September 2026', '18 September 2026'],
    ['2026-12-05', 'Sat 5 December 2026', '5 December 2026'],
    ['2028-02-29', 'Tue 29 February 2028', '29 February 2028'],
    [null, 'Not known', 'Not known'],
  ])('writes %s with the month in full, as the cards do: "%s"', (date, day, plain) => {
    expect(formatDay(date)).toBe(day);
    expect(formatDate(date)).toBe(plain);
  });

  it("writes a period, and an instant in the council's time zone, with the months in full", () => {
    expect(formatPeriod({ from: '2026-04-01', to: '2026-11-16' })).toBe(
      '1 April 2026 to 16 November 2026',
    );
    // 09:00 UTC in British Summer Time is 10:00 in London; in December it is 09:00.
    expect(formatInstant('2026-09-18T09:00:00Z', 'Europe/London')).toBe(
      'Fri 18 September 2026, 10:00',
    );
    expect(formatInstant('2026-12-01T09:00:00Z', 'Europe/London')).toBe(
      'Tue 1 December 2026, 09:00',
    );
    expect(formatInstant(null, 'Europe/London')).toBe('');
  });

  it('refuses a date that is not YYYY-MM-DD rather than write nonsense', () => {
    expect(() => formatDay('18/09/2026')).toThrow(/YYYY-MM-DD/);
  });
});

describe("the tab's hash routes", () => {
  it.each([
    ['', { view: 'reviews' }],
    ['#/reviews', { view: 'reviews' }],
    ['#/child/Q40211', { view: 'child', childId: 'Q40211' }],
    ['#/child/', { view: 'reviews' }],
    ['#/caseload', { view: 'caseload' }],
    ['#/report', { view: 'report' }],
    ['#/nowhere', { view: 'reviews' }],
  ] as const)('reads %j as %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('writes a child route that reads back the same', () => {
    expect(hrefOf({ view: 'child', childId: 'Q40211' })).toBe('#/child/Q40211');
    expect(parseRoute(hrefOf({ view: 'child', childId: 'A 1/2' }))).toEqual({
      view: 'child',
      childId: 'A 1/2',
    });
  });
});
