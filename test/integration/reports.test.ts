import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annualReportFigures, type AnnualReportFigures } from '../../src/app/annual-report.js';
import { listDueReviews } from '../../src/app/due-reviews.js';
import { exportReviewsFile } from '../../src/app/export-reviews.js';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { ExtractFiles } from '../../src/app/import/extract.js';
import { parseExtract } from '../../src/app/import/parse-extract.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import {
  oracleChildren,
  oracleDue,
  oracleStats,
  type OracleChild,
  type OracleStats,
} from '../support/review-oracle.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);

// Generated councils on different "todays" and seeds, so no result depends on hand-picked rows.
const SCENARIOS = [
  { today: '2026-11-23', seed: 7 },
  { today: '2027-01-04', seed: 4242 },
];

describe.each(DIALECTS)('reports on $name', (dialect) => {
  describe.each(SCENARIOS)('generated council on $today (seed $seed)', ({ today, seed }) => {
    let store: Store;
    let services: Services;
    let files: ExtractFiles;
    let oracle: OracleChild[];

    beforeAll(async () => {
      store = await dialect.open();
      services = servicesFor(store, today);
      files = demoCouncilExtract({ today: today as LocalDate, calendar, seed });
      // The default "reviews known from": 1 April on or before the earliest review.
      oracle = oracleChildren(files);
      const result = await importExtract(services, files, {
        actor: 'test',
        today: today as LocalDate,
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
      expect(result.dueUnknown).toEqual(
        oracleDue(oracle, today, today, today)
          .filter((e) => e.dueDate === null)
          .map((e) => e.child),
      );
    });
    afterAll(async () => {
      await store.close();
    });

    it.each([
      ['the rest of this month and next', 0, 45],
      ['the next six months', 0, 183],
      ['the past year (overdue included)', -365, 0],
    ])('lists reviews due in %s as the rules say', async (_label, fromDays, toDays) => {
      const from = shift(today, fromDays);
      const to = shift(today, toDays);
      const actual = await listDueReviews(services, { today: today as LocalDate, from, to });
      const expected = oracleDue(oracle, today, from, to);
      expect(expected.length).toBeGreaterThan(0);
      expect(
        actual.map(({ child, dueDate, kind, iro, socialWorker }) => ({
          child,
          dueDate,
          kind,
          iro,
          socialWorker,
        })),
      ).toEqual(expected);
    });

    it('filters due reviews by IRO', async () => {
      const iro = oracle[0]?.iro as string;
      const to = shift(today, 120);
      const actual = await listDueReviews(services, {
        today: today as LocalDate,
        from: today as LocalDate,
        to,
        iroEmail: iro,
      });
      expect(actual.map((a) => a.child)).toEqual(
        oracleDue(oracle, today, today, to, iro).map((e) => e.child),
      );
      expect(actual.every((a) => a.iro === iro)).toBe(true);
    });

    it('computes the annual report figures as the rules say', async () => {
      const from = shift(today, -365);
      const to = today as LocalDate;
      const figures = await annualReportFigures(services, { from, to });
      const expected = oracleStats(oracle, from, to);
      expect(expected.reviewsAssessed).toBeGreaterThan(0);
      expect(pick(figures)).toEqual(expected);
      expect(figures.timelinessPercent).toBe(
        Math.round((expected.reviewsOnTime / expected.reviewsAssessed) * 1000) / 10,
      );
      expect(figures.byMonth.reduce((s, m) => s + m.reviewsHeld, 0)).toBe(expected.reviewsHeld);
      const allocated =
        figures.caseload.reduce((s, c) => s + (c.children ?? 0), 0) + figures.childrenWithoutIro;
      expect(allocated).toBe(expected.childrenLookedAfter);
      // Today every child's IRO is known: no child is left uncredited.
      expect(figures.childrenIroNotKnown).toBe(0);
    });

    it('exports a Reviews.csv that the import accepts and that holds every review in the range', async () => {
      const from = shift(today, -365);
      const file = await exportReviewsFile(services, { from, to: today as LocalDate });
      expect(file.rejected).toEqual([]);
      const lines = file.csv.trim().split('\r\n');
      expect(lines[0]).toBe('CHILD,DOB,REVIEW,REVIEW_CODE');
      const inRange = files['Reviews.csv']
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .filter((l) => {
          const [d, m, y] = (l.split(',')[2] as string).split('/');
          const iso = `${y}-${m}-${d}`;
          return iso >= from && iso <= today;
        });
      expect(new Set(lines.slice(1))).toEqual(new Set(inRange));
      const reparsed = parseExtract(
        { ...files, 'Reviews.csv': file.csv },
        { today: today as LocalDate },
      );
      expect(reparsed.ok).toBe(true);
    });
  });
});

/** The report's figures that the oracle computes too, shaped as the oracle gives them. */
function pick(figures: AnnualReportFigures): OracleStats {
  return {
    reviewsHeld: figures.reviewsHeld,
    reviewsAssessed: figures.reviewsAssessed,
    reviewsOnTime: figures.reviewsOnTime,
    reviewsDueUnknown: figures.reviewsDueUnknown,
    participation: figures.participation,
    childrenLookedAfter: figures.childrenLookedAfter,
    childTimeliness: {
      childrenCounted: figures.childTimeliness.childrenCounted,
      childrenOnTime: figures.childTimeliness.childrenOnTime,
      childrenDueUnknown: figures.childTimeliness.childrenDueUnknown,
    },
    shortBreaks: {
      reviewsHeld: figures.shortBreaks.reviewsHeld,
      reviewsAssessed: figures.shortBreaks.reviewsAssessed,
      reviewsOnTime: figures.shortBreaks.reviewsOnTime,
      reviewsDueUnknown: figures.shortBreaks.reviewsDueUnknown,
    },
  };
}

function shift(date: string, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as LocalDate;
}
