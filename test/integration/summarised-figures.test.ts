import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annualReportFigures,
  caseloadYearFigures,
  latestEligibleStart,
  summarisedFigures,
  type HeldReviewFigures,
} from '../../src/app/annual-report.js';
import { importExtract } from '../../src/app/import/import-extract.js';
import { listDueReviews } from '../../src/app/due-reviews.js';
import { resolveAsker, scopeEmails } from '../../src/app/access/viewer-scope.js';
import type { CaseloadSums, StaffMember } from '../../src/app/ports.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { addDays, reportingYear, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';
import { shownFigures } from '../support/shown-figures.js';

const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const today = '2026-11-23' as LocalDate;

/** Two IRO teams, ten years of children who left care: many scopes and long histories. */
const COUNCIL = {
  today,
  calendar,
  seed: 5,
  childrenLookedAfter: 400,
  iros: 30,
  irosPerTeam: 15,
  leftCareYears: 10,
};

describe.each(DIALECTS)('figures summed in the store ($name)', (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, today);
    const files = demoCouncilExtract(COUNCIL);
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
        expect(shownFigures(fast as HeldReviewFigures), `${person.email} ${range.from}`).toEqual(
          shownFigures(slow),
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

  /** A caseload summary's sums for a person, over their staff and over their children. */
  const sumsFor = async (person: StaffMember, childIds: readonly string[]) => {
    const year = reportingYear(today);
    const at = {
      today,
      month: { from: '2026-11-01' as LocalDate, to: '2026-11-30' as LocalDate },
      yearStart: year.first,
      eligibleBy: latestEligibleStart(calendar, today),
    };
    const staff = await services.cases.listStaff();
    return {
      byStaff: await services.cases.summariseCaseload(
        { staffEmails: scopeEmails([person], staff) },
        at,
      ),
      byChildren: await services.cases.summariseCaseload({ childIds }, at),
      at,
    };
  };
  const byIro = <T extends { iro: string | null }>(rows: readonly T[]) =>
    [...rows].sort((a, b) => String(a.iro).localeCompare(String(b.iro)));

  it('count each caseload in the store as the lists of reviews due list it, for everyone', async () => {
    const seen = new Map<string, number>();
    let compared = 0;
    for (const person of await services.cases.listStaff()) {
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      const { byStaff, byChildren, at } = await sumsFor(person, asker.childIds);
      const month = at.month;
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
      const counts = (rows: CaseloadSums[]) =>
        byIro(rows)
          // An IRO's children who left care count nothing today, but their rows are in scope.
          .filter((r) => r.children + r.shortBreaks > 0)
          .map((r) => [
            r.iro,
            {
              children: r.children,
              shortBreaks: r.shortBreaks,
              dueInMonth: r.dueInMonth,
              overdue: r.overdue,
              dueUnknown: r.dueUnknown,
            },
          ]);
      const want = [...expected].sort(([a], [b]) => String(a).localeCompare(String(b)));
      expect(counts(byChildren), person.email).toEqual(want);
      expect(counts(byStaff), person.email).toEqual(want);
      for (const row of byStaff)
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

  it("sum this reporting year's figures from the status rows as the annual report counts them, for everyone", async () => {
    const range = { from: reportingYear(today).first, to: today };
    const seen = { late: 0, views: 0, children: 0, notAtEvery: 0 };
    let compared = 0;
    for (const person of await services.cases.listStaff()) {
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      const { byStaff, byChildren } = await sumsFor(person, asker.childIds);
      const slow = shownFigures(
        await annualReportFigures(services, range, { childIds: asker.childIds }),
      );
      for (const sums of [byStaff, byChildren]) {
        expect(sums.every((s) => s.unsure === 0)).toBe(true);
        expect(shownFigures(caseloadYearFigures(sums)), person.email).toEqual(slow);
      }
      seen.late += slow.childTimeliness.childrenCounted - slow.childTimeliness.childrenOnTime;
      seen.views += slow.viewsConveyed.reviews;
      seen.children += slow.viewsCommunicated.children;
      seen.notAtEvery += slow.viewsCommunicated.of - slow.viewsCommunicated.children;
      compared += 1;
    }
    expect(compared).toBeGreaterThan(20);
    expect(seen.late, 'children with a late review').toBeGreaterThan(0);
    // Due dates that cannot be known: one-year-extract.test.ts, on a council's one-year return.
    expect(seen.views, 'views conveyed').toBeGreaterThan(0);
    expect(seen.children, 'children who communicated their views').toBeGreaterThan(0);
    expect(seen.notAtEvery, 'children who did not at every review').toBeGreaterThan(0);
  }, 120_000);

  it("list an IRO's and a social worker's own children by their allocation as by their CHILD ids", async () => {
    let compared = 0;
    for (const person of await services.cases.listStaff()) {
      if (person.role !== 'iro' && person.role !== 'social_worker') continue;
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      const query = { today, from: '1900-01-01' as LocalDate, to: '2999-12-31' as LocalDate };
      const own =
        person.role === 'iro' ? { iroEmail: person.email } : { socialWorkerEmail: person.email };
      const byIds = await listDueReviews(services, { ...query, childIds: asker.childIds });
      expect(byIds.length, person.email).toBeGreaterThan(0);
      expect(await listDueReviews(services, { ...query, ...own }), person.email).toEqual(byIds);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('say when a status row cannot answer for the day asked (reviews held after it)', async () => {
    const manager = (await services.cases.listStaff()).find((s) => s.role === 'team_manager');
    const asker = await resolveAsker(services.cases, manager?.aadObjectId ?? undefined);
    expect(asker?.childIds.length).toBeGreaterThan(50);
    const earlier = addDays(today, -200);
    const sums = await services.cases.summariseCaseload(
      { staffEmails: scopeEmails([asker?.person as StaffMember], asker?.staff ?? []) },
      {
        today: earlier,
        month: { from: earlier, to: earlier },
        yearStart: reportingYear(earlier).first,
        eligibleBy: latestEligibleStart(calendar, earlier),
      },
    );
    expect(sums.reduce((n, s) => n + s.unsure, 0)).toBeGreaterThan(0);
  });

  it("keep each child's open IRO and social worker on its status row after a reallocation", async () => {
    const files = demoCouncilExtract(COUNCIL);
    // Move the first 20 children to the IRO and social worker of the last rows, and leave a
    // child with no social worker.
    const [head, ...rows] = files['Allocations.csv'].trim().split('\r\n');
    const columns = (head as string).split(',');
    const iro = columns.indexOf('IRO_EMAIL');
    const sw = columns.indexOf('SW_EMAIL');
    const last = (rows.at(-1) as string).split(',');
    const moved = rows.map((line, i) => {
      if (i >= 21) return line;
      const cells = line.split(',');
      cells[iro] = last[iro] as string;
      cells[sw] = i === 20 ? '' : (last[sw] as string);
      return cells.join(',');
    });
    const changed = { ...files, 'Allocations.csv': [head, ...moved].join('\r\n') + '\r\n' };
    const imported = await importExtract(services, changed, { actor: 'test', today });
    expect(imported.ok).toBe(true);
    const open = await services.cases.listOpenAllocations();
    const allocated = new Map(open.map((a) => [`${a.childId}|${a.role}`, a.staffEmail]));
    const status = await store.db
      .selectFrom('reviewStatus')
      .select(['childId', 'iroEmail', 'swEmail'])
      .execute();
    expect(status.length).toBeGreaterThan(400);
    for (const s of status) {
      expect([s.childId, s.iroEmail], 'IRO').toEqual([
        s.childId,
        allocated.get(`${s.childId}|iro`) ?? null,
      ]);
      expect([s.childId, s.swEmail], 'social worker').toEqual([
        s.childId,
        allocated.get(`${s.childId}|social_worker`) ?? null,
      ]);
    }
    const movedIds = moved.slice(0, 21).map((line) => line.split(',')[0] as string);
    const rowsOf = status.filter((s) => movedIds.includes(s.childId));
    expect(rowsOf.length).toBeGreaterThan(10);
    expect(rowsOf.every((s) => s.iroEmail === last[iro])).toBe(true);
    // The managers' summaries still equal the long way after the move.
    const range = { from: reportingYear(today).first, to: today };
    for (const person of await services.cases.listStaff()) {
      if (person.role !== 'team_manager' && person.role !== 'service_manager') continue;
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      const { byStaff } = await sumsFor(person, asker.childIds);
      expect(shownFigures(caseloadYearFigures(byStaff)), person.email).toEqual(
        shownFigures(await annualReportFigures(services, range, { childIds: asker.childIds })),
      );
    }
  }, 120_000);
});
