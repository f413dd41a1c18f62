import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import { addDays, addMonths, daysBetween, type LocalDate } from '../../../src/domain/local-date.js';
import { periodsOfCare } from '../../../src/domain/periods-of-care.js';
import { assessReviews, nextReviewDue } from '../../../src/domain/review-schedule.js';
import { checkChild, collectionYearOf, duplicateUpns } from '../../../src/domain/ssda903-rules.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../../src/demo/demo-council.js';
import { oracleChildren, oracleDue } from '../../support/review-oracle.js';
import { childrenInFiles, type ChildInFiles } from '../../support/ssda903-files.js';

const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);

// Several seeds and "todays": month ends, a leap day, the first days of a collection year.
const SCENARIOS = [
  { today: '2026-11-23', seed: undefined },
  { today: '2027-01-04', seed: 4242 },
  { today: '2026-04-02', seed: 7 },
  { today: '2028-02-29', seed: 99 },
  { today: '2025-12-31', seed: 2024 },
  { today: '2027-08-31', seed: 31 },
];

/** Children looked after today (not on short breaks) and their next review. */
function lookedAfterToday(children: ChildInFiles[], today: LocalDate) {
  return children.flatMap((child) => {
    const period = periodsOfCare(
      child.episodes.map((e) => ({
        decom: e.decom,
        dec: e.dec,
        rne: e.rne ?? '',
        ls: e.ls ?? '',
        rec: e.rec,
      })),
    ).at(-1);
    if (!period || period.end !== null || period.shortBreak || period.start > today) return [];
    return [{ child, period, next: nextReviewDue(calendar, period, child.reviews) }];
  });
}

describe.each(SCENARIOS)('the demo council on $today (seed $seed)', ({ today, seed }) => {
  const files = demoCouncilExtract({
    today: today as LocalDate,
    calendar,
    ...(seed === undefined ? {} : { seed }),
  });
  const children = childrenInFiles(files);
  const year = collectionYearOf(today as LocalDate, { inYear: true });

  it('breaks no DfE rule on Header and Episodes', () => {
    const breaches = children.flatMap((c) =>
      checkChild(c, year).map(
        (b) =>
          `${c.id} ${b.rule} ${b.file}${b.episode === null ? '' : `[${b.episode}]`}: ${b.message}`,
      ),
    );
    expect(breaches).toEqual([]);
    expect(duplicateUpns(children.map((c) => c.header))).toEqual([]);
  });

  it('codes SEX as M or F, and places children only in current PLACE codes', () => {
    expect(new Set(children.map((c) => c.header.sex))).toEqual(new Set(['M', 'F']));
    const places = new Set(children.flatMap((c) => c.episodes.map((e) => e.place)));
    expect(places.has('H5')).toBe(false);
    expect(places.has('U6')).toBe(true);
  });

  it('has overdue reviews like a real service: a few children, days or weeks late', () => {
    const lookedAfter = lookedAfterToday(children, today as LocalDate);
    const overdue = lookedAfter
      .filter(({ next }) => next.dueDate < today)
      .map(({ child, next }) => ({
        child: child.id,
        days: daysBetween(next.dueDate, today as LocalDate),
      }));
    expect(Math.max(0, ...overdue.map((o) => o.days))).toBeLessThanOrEqual(60);
    const share = overdue.length / lookedAfter.length;
    expect(share).toBeGreaterThanOrEqual(0.01);
    expect(share).toBeLessThanOrEqual(0.06);
  });

  it('has no short-break child whose first review (3 months on) is overdue', () => {
    const shortBreaks = children.filter((c) => c.episodes.every((e) => e.ls === 'V4'));
    expect(shortBreaks.length).toBeGreaterThan(0);
    for (const c of shortBreaks) {
      expect(c.reviews).toEqual([]); // rule 399: no reviews in the 903 for short breaks only
      expect(addMonths(c.episodes[0]?.decom as LocalDate, 3) >= today).toBe(true);
    }
  });

  it('keeps the demo council’s size and timeliness', () => {
    const lookedAfter = lookedAfterToday(children, today as LocalDate);
    expect(lookedAfter.length).toBeGreaterThanOrEqual(280);
    expect(lookedAfter.length).toBeLessThanOrEqual(310);
    const assessed = lookedAfter.flatMap(({ child, period }) =>
      assessReviews(calendar, period, child.reviews),
    );
    const onTime = assessed.filter((r) => r.onTime).length / assessed.length;
    expect(onTime).toBeGreaterThan(0.9);
    expect(onTime).toBeLessThan(0.99);
  });
});

describe("the playground IRO's caseload", () => {
  it('has a review overdue, whatever the day', () => {
    // Every ninth day of two years: each IRO of 14 has about 21 children.
    for (let day = 0; day < 730; day += 9) {
      const today = addDays('2026-01-01' as LocalDate, day);
      const overdue = oracleDue(
        oracleChildren(demoCouncilExtract({ today, calendar })),
        today,
        '1900-01-01',
        addDays(today, -1),
        PLAYGROUND_USERS.iro.email,
      ).filter((e) => e.dueDate !== null);
      expect(overdue.length, today).toBeGreaterThan(0);
      for (const e of overdue)
        expect(daysBetween(e.dueDate as LocalDate, today), today).toBeLessThanOrEqual(60);
    }
  });
});
