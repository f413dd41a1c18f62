import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annualReportFigures,
  summarisedFigures,
  type AnnualReportFigures,
  type HeldReviewFigures,
} from '../../src/app/annual-report.js';
import { importExtract } from '../../src/app/import/import-extract.js';
import { listDueReviews } from '../../src/app/due-reviews.js';
import { resolveAsker } from '../../src/app/access/viewer-scope.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { addDays, reportingYear, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const today = '2026-11-23' as LocalDate;

/** The fields a caseload summary and the bot's figures show. */
function shown(f: AnnualReportFigures | HeldReviewFigures) {
  return {
    reviewsHeld: f.reviewsHeld,
    reviewsAssessed: f.reviewsAssessed,
    reviewsOnTime: f.reviewsOnTime,
    timelinessPercent: f.timelinessPercent,
    reviewsDueUnknown: f.reviewsDueUnknown,
    participation: f.participation,
    participationPercent: f.participationPercent,
    viewsConveyed: f.viewsConveyed,
    childTimeliness: f.childTimeliness,
    shortBreaks: {
      reviewsHeld: f.shortBreaks.reviewsHeld,
      reviewsAssessed: f.shortBreaks.reviewsAssessed,
      reviewsOnTime: f.shortBreaks.reviewsOnTime,
    },
  };
}

describe.each(DIALECTS)('figures summed in the store ($name)', (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, today);
    // Two IRO teams, ten years of children who left care: many scopes and long histories.
    const files = demoCouncilExtract({
      today,
      calendar,
      seed: 5,
      childrenLookedAfter: 400,
      iros: 30,
      irosPerTeam: 15,
      leftCareYears: 10,
    });
    const imported = await importExtract(services, files, { actor: 'test', today });
    expect(imported.ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('equal the annual report computed from every review, for every person and this year', async () => {
    const ranges = [
      { from: reportingYear(today).first, to: today },
      { from: addDays(today, -365), to: today },
      { from: addDays(today, -30), to: today },
    ];
    let compared = 0;
    for (const person of await services.cases.listStaff()) {
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      for (const range of ranges) {
        const fast = await summarisedFigures(services, range, asker.childIds);
        expect(fast, `${person.email} ${range.from}`).toBeDefined();
        const slow = await annualReportFigures(services, range, { childIds: asker.childIds });
        expect(shown(fast as HeldReviewFigures), `${person.email} ${range.from}`).toEqual(
          shown(slow),
        );
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(60);
  }, 120_000);

  it('leave a range ending before reviews already held to the long way', async () => {
    const everyone = (await resolveAsker(services.cases, '00000000-0000-0000-0000-0000000000023'))
      ?.childIds;
    expect(everyone?.length).toBeGreaterThan(100);
    const range = { from: addDays(today, -400), to: addDays(today, -200) };
    expect(await summarisedFigures(services, range, everyone ?? [])).toBeUndefined();
  });

  it('count each caseload in the store as the lists of reviews due list it, for everyone', async () => {
    const month = { from: '2026-11-01' as LocalDate, to: '2026-11-30' as LocalDate };
    const seen = new Map<string, number>();
    let compared = 0;
    for (const person of await services.cases.listStaff()) {
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      const items = await listDueReviews(services, {
        today,
        from: '1900-01-01' as LocalDate,
        to: '2999-12-31' as LocalDate,
        childIds: asker.childIds,
      });
      const expected = new Map<string | null, Record<string, number>>();
      for (const i of items) {
        const row = expected.get(i.iro) ?? {
          children: 0,
          shortBreaks: 0,
          dueInMonth: 0,
          overdue: 0,
          dueUnknown: 0,
        };
        row[i.shortBreak ? 'shortBreaks' : 'children'] =
          (row[i.shortBreak ? 'shortBreaks' : 'children'] ?? 0) + 1;
        if (i.dueDate === null) row['dueUnknown'] = (row['dueUnknown'] ?? 0) + 1;
        else if (i.dueDate < today) row['overdue'] = (row['overdue'] ?? 0) + 1;
        if (i.dueDate !== null && i.dueDate >= month.from && i.dueDate <= month.to)
          row['dueInMonth'] = (row['dueInMonth'] ?? 0) + 1;
        expected.set(i.iro, row);
      }
      const counted = await services.cases.countReviewStatus(
        { today, childIds: asker.childIds },
        month,
      );
      const byIro = (rows: [string | null, Record<string, number>][]) =>
        rows.sort(([a], [b]) => String(a).localeCompare(String(b)));
      expect(byIro(counted.map(({ iro, ...row }) => [iro, row])), person.email).toEqual(
        byIro([...expected]),
      );
      for (const row of counted)
        for (const [k, v] of Object.entries(row))
          if (typeof v === 'number') seen.set(k, (seen.get(k) ?? 0) + v);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(20);
    // Every count was exercised, not only zeros.
    for (const key of ['children', 'shortBreaks', 'dueInMonth', 'overdue']) {
      expect(seen.get(key), key).toBeGreaterThan(0);
    }
  }, 120_000);
});
