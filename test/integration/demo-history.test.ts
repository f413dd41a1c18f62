import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annualReportFigures } from '../../src/app/annual-report.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { addDays, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import { takeRecentReviews, type InAppReview } from '../../src/demo/demo-history.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed-demo-data.js';
import type { Services } from '../../src/services.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-16' as LocalDate;
const DAYS = 120;
const SINCE = addDays(TODAY, 1 - DAYS);

/**
 * The demo council with its last 120 days of reviews recorded through the app (as `npm start`
 * seeds it) against the same council with every review imported: the same reviews on the same
 * days with the same codes, so the same due dates and figures, and the chairs' records besides.
 */
describe('the demo council with its recent reviews recorded through the app', () => {
  let imported: { store: Store; services: Services };
  let recorded: { store: Store; services: Services };
  let recent: InAppReview[];

  const seed = async (recordedDays: number) => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    const services = servicesFor(store, TODAY);
    expect(await seedDemoDataIfEmpty(services, { recordedDays })).toBe(true);
    return { store, services };
  };

  beforeAll(async () => {
    imported = await seed(0);
    recorded = await seed(DAYS);
    recent = takeRecentReviews(
      demoCouncilExtract({
        today: TODAY,
        calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
      }),
      SINCE,
    ).recent;
  });
  afterAll(async () => {
    await imported?.store.close();
    await recorded?.store.close();
  });

  it('takes the reviews of the last 120 days only, of children whose reviews then are in their last period', async () => {
    expect(recent.length).toBeGreaterThan(100);
    expect(recent.every((r) => r.heldOn >= SINCE && r.heldOn <= TODAY)).toBe(true);
    const inWindow = await sql<{ n: number }>`
      select count(*)::int as n from reviews where status = 'held' and held_on >= ${SINCE}`.execute(
      imported.store.db,
    );
    // A few children's reviews stay imported: those whose window starts in an earlier period.
    expect(recent.length).toBeLessThanOrEqual(inWindow.rows[0]?.n ?? 0);
    expect(recent.length).toBeGreaterThan((inWindow.rows[0]?.n ?? 0) * 0.9);
  });

  it('holds the same reviews, on the same days with the same codes, and the same due dates', async () => {
    const held = (store: Store) =>
      sql`select child_id, held_on, review_code from reviews where status = 'held'
        order by child_id, held_on`.execute(store.db);
    expect((await held(recorded.store)).rows).toEqual((await held(imported.store)).rows);
    const status = (store: Store) =>
      sql`select child_id, period_start, period_end, last_review_on, next_due_on, next_kind,
          midway_on, late_held_on, unknown_held_on, year_held, year_assessed, year_on_time
        from review_status order by child_id`.execute(store.db);
    expect((await status(recorded.store)).rows).toEqual((await status(imported.store)).rows);
  });

  it('records each one by its IRO, with attendance and a reason when it was late', async () => {
    const rows = await sql<{
      childId: string;
      heldOn: LocalDate;
      dueOn: LocalDate | null;
      lateReason: string | null;
      chairEmail: string;
      iroEmail: string;
      attendance: number;
      decisions: number;
    }>`
      select r.child_id as "childId", r.held_on as "heldOn", r.due_on as "dueOn",
        r.late_reason as "lateReason", r.chair_email as "chairEmail", s.iro_email as "iroEmail",
        (select count(*)::int from review_attendance a where a.review_id = r.id) as attendance,
        (select count(*)::int from review_decisions d where d.review_id = r.id) as decisions
      from reviews r join review_status s on s.child_id = r.child_id
      where r.source = 'bot' order by r.held_on, r.child_id`.execute(recorded.store.db);
    expect(rows.rows.map((r) => [r.childId, r.heldOn])).toEqual(
      recent.map((r) => [r.childId, r.heldOn]),
    );
    for (const r of rows.rows) {
      expect(r.chairEmail).toBe(r.iroEmail);
      expect(r.attendance).toBeGreaterThan(0);
      expect(r.decisions).toBeGreaterThan(0);
      expect(r.lateReason !== null).toBe(r.dueOn !== null && r.heldOn > r.dueOn);
    }
    expect(rows.rows.some((r) => r.lateReason !== null)).toBe(true);
  });

  it("gives the annual report the same review figures, and the chairs' records besides", async () => {
    const range = { from: SINCE, to: TODAY };
    const before = await annualReportFigures(imported.services, range);
    const after = await annualReportFigures(recorded.services, range);
    const { recordedReviews, ...rest } = after;
    const { recordedReviews: none, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(none.recorded).toBe(0);
    expect(recordedReviews.recorded).toBe(recent.length);
    expect(recordedReviews.attendanceRecorded).toBe(recent.length);
    expect(recordedReviews.attended.mother).toBeGreaterThan(0);
    expect(recordedReviews.advocacyOffered).toBeGreaterThan(0);
    expect(recordedReviews.late).toBeGreaterThan(0);
    expect(recordedReviews.lateReasons.notGiven).toBe(0);
  });

  it("reports most decisions whose date has come as done, through the social worker's progress report", async () => {
    const rows = await sql<{
      heldOn: LocalDate;
      dueOn: LocalDate;
      doneOn: LocalDate | null;
      by: string | null;
      owner: string;
    }>`
      select r.held_on as "heldOn", d.due_on as "dueOn", d.owner_email as owner,
        (select min(p.reported_at)::date::text from decision_progress p
          where p.decision_id = d.id and p.status = 'done') as "doneOn",
        (select min(p.reported_by) from decision_progress p where p.decision_id = d.id) as by
      from review_decisions d join reviews r on r.id = d.review_id
      where r.source = 'bot' and d.due_on is not null and d.due_on <= ${TODAY}`.execute(
      recorded.store.db,
    );
    expect(rows.rows.length).toBeGreaterThan(20);
    const done = rows.rows.filter((r) => r.doneOn !== null);
    expect(done.length).toBeGreaterThan(rows.rows.length * 0.6);
    expect(done.length).toBeLessThan(rows.rows.length);
    expect(done.some((r) => String(r.doneOn) > r.dueOn)).toBe(true);
    for (const r of done) {
      expect(String(r.doneOn) > r.heldOn && String(r.doneOn) <= TODAY).toBe(true);
      expect(r.by).toBe(r.owner);
    }
  });

  it('marks most records distributed, none before the review nor after today', async () => {
    const rows = await sql<{ heldOn: LocalDate; distributedOn: LocalDate | null }>`
      select held_on as "heldOn", record_distributed_on as "distributedOn"
      from reviews where source = 'bot'`.execute(recorded.store.db);
    const distributed = rows.rows.filter((r) => r.distributedOn !== null);
    expect(distributed.length).toBeGreaterThan(rows.rows.length * 0.8);
    for (const { heldOn, distributedOn } of distributed) {
      expect(String(distributedOn) > heldOn).toBe(true);
      expect(String(distributedOn) <= TODAY).toBe(true);
    }
  });
});
