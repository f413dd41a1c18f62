import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import { formatProblem } from '../../src/app/import/extract.js';
import { listDueReviews } from '../../src/app/due-reviews.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import { refreshReviewState } from '../../src/store/review-state-repository.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-23' as LocalDate;

describe.each(DIALECTS)('import on $name', (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await emptyStore(store);
  });

  const count = async (
    table:
      'children' | 'episodes' | 'reviews' | 'staff' | 'allocations' | 'auditLog' | 'periodsOfCare',
  ) => {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  };
  const run = (files: ReturnType<ReturnType<typeof anExtract>['files']>) =>
    importExtract(services, files, { actor: 'test', today: TODAY });

  const base = () =>
    anExtract()
      .withChild('C1', '01/02/2015', '02/11/2026')
      .withChild('C2', '15/06/2019', '06/01/2025', [
        ['03/02/2025', 'PN1'],
        ['01/05/2025', 'PN6'],
        ['20/11/2025', 'PN7'],
      ])
      .withChild('C3', '10/10/2024', '01/09/2026', [['25/09/2026', 'PN0']]);

  it('writes every file, derives periods of care and records who did it', async () => {
    const result = await run(base().files());
    expect(result.ok).toBe(true);
    expect(await count('children')).toBe(3);
    expect(await count('episodes')).toBe(3);
    expect(await count('reviews')).toBe(4);
    expect(await count('staff')).toBe(3);
    expect(await count('allocations')).toBe(6);
    expect(await count('periodsOfCare')).toBe(3);
    const audit = await store.db
      .selectFrom('auditLog')
      .select(['actor', 'action', 'entity', 'entityId', 'detail'])
      .orderBy('id')
      .execute();
    // Rows of children new to the store are audited per file: how many, and which children.
    const files = audit.filter((a) => a.entity === 'file' && a.action === 'import.insert');
    expect(files.map((a) => [a.entityId, a.detail])).toEqual([
      ['Header.csv', { rows: 3, childIds: ['C1', 'C2', 'C3'] }],
      ['Episodes.csv', { rows: 3 }],
      ['Reviews.csv', { rows: 4 }],
      ['Allocations.csv', { rows: 6 }],
    ]);
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['test']));
    expect(audit.at(-1)?.action).toBe('import.completed');
  });

  it('audits each change to a child the store already holds row by row', async () => {
    await run(base().files());
    const newer = base()
      .withChild('C4', '01/03/2020', '01/10/2026')
      .update('Reviews.csv', { CHILD: 'C2', REVIEW: '20/11/2025' }, { REVIEW_CODE: 'PN6' })
      .row('Staff.csv', { EMAIL: 'iro2@example.com', NAME: 'Second IRO', ROLE: 'iro', FTE: '1' })
      .update('Allocations.csv', { CHILD: 'C1' }, { IRO_EMAIL: 'iro2@example.com' });
    const result = await run(newer.files());
    expect(result.ok && result.summary).toMatchObject({
      children: { inserted: 1, updated: 0, unchanged: 3 },
      reviews: { inserted: 0, updated: 1, unchanged: 3 },
      allocations: { inserted: 2, updated: 1, unchanged: 5 },
    });
    const audit = await store.db
      .selectFrom('auditLog')
      .select(['action', 'entity', 'entityId', 'detail'])
      .where('action', '<>', 'import.completed')
      .orderBy('id')
      .execute();
    const second = audit.slice(audit.findIndex((a) => a.entityId === 'Allocations.csv') + 1);
    expect(second.map((a) => [a.action, a.entity])).toEqual([
      ['import.insert', 'staff'],
      ['import.insert', 'file'],
      ['import.insert', 'file'],
      ['import.insert', 'file'],
      ['import.insert', 'file'],
      ['import.update', 'review'],
      ['import.allocate', 'child'],
    ]);
    expect(second[1]?.detail).toEqual({ rows: 1, childIds: ['C4'] });
    expect(second.at(-1)).toMatchObject({
      entityId: 'C1',
      detail: { role: 'iro', from: 'iro@example.com', to: 'iro2@example.com' },
    });
  });

  it('hands an open practice alert over to the new IRO with the child, and leaves a closed one', async () => {
    await run(base().files());
    const alert = (resolvedOn: LocalDate | null) =>
      store.db
        .insertInto('escalations')
        .values({
          childId: 'C1',
          raisedBy: 'iro@example.com',
          iroEmail: 'iro@example.com',
          stage: 'informal',
          raisedOn: '2026-11-02',
          resolvedOn,
          outcome: resolvedOn ? 'resolved' : null,
          issue: 'Care plan drift',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const open = await alert(null);
    const closed = await alert('2026-11-10' as LocalDate);
    const moved = base()
      .row('Staff.csv', { EMAIL: 'iro2@example.com', NAME: 'Second IRO', ROLE: 'iro', FTE: '1' })
      .update('Allocations.csv', { CHILD: 'C1' }, { IRO_EMAIL: 'iro2@example.com' });
    expect((await run(moved.files())).ok).toBe(true);
    const alerts = await store.db
      .selectFrom('escalations')
      .select(['id', 'iroEmail'])
      .orderBy('id')
      .execute();
    expect(alerts).toEqual([
      { id: open.id, iroEmail: 'iro2@example.com' },
      { id: closed.id, iroEmail: 'iro@example.com' },
    ]);
    const handedOver = await store.db
      .selectFrom('auditLog')
      .select(['entityId', 'detail'])
      .where('action', '=', 'alert.handedOver')
      .execute();
    expect(handedOver).toEqual([
      {
        entityId: 'C1',
        detail: { alert: open.id, from: 'iro@example.com', to: 'iro2@example.com' },
      },
    ]);
  });

  it("hands a midway check not yet answered over to the child's new social worker and IRO", async () => {
    await run(base().files());
    const reviewOn = async (heldOn: string) =>
      (
        await store.db
          .selectFrom('reviews')
          .select('id')
          .where('childId', '=', 'C2')
          .where('heldOn', '=', heldOn as LocalDate)
          .executeTakeFirstOrThrow()
      ).id;
    const check = (reviewId: number, answeredAt: Date | null) =>
      store.db
        .insertInto('midwayChecks')
        .values({
          reviewId,
          childId: 'C2',
          midwayOn: '2026-02-20',
          swEmail: 'sw@example.com',
          iroEmail: 'iro@example.com',
          answeredAt,
          answeredBy: answeredAt ? 'sw@example.com' : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const answered = await check(await reviewOn('2025-05-01'), new Date('2025-08-01T10:00:00Z'));
    const waiting = await check(await reviewOn('2025-11-20'), null);
    // Its prompt was tried and waits for the former social worker to open the app.
    await store.db
      .insertInto('jobs')
      .values({
        kind: 'midway.prompt',
        key: `midway.prompt:${waiting.id}`,
        runAfter: new Date('2026-11-24T09:00:00Z'),
        waitingFor: '11111111-0000-4000-8000-000000000003',
      })
      .execute();
    const moved = base()
      .row('Staff.csv', {
        EMAIL: 'sw2@example.com',
        NAME: 'Second Social Worker',
        ROLE: 'social_worker',
        AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000009',
        TEAM: 'CiC 1',
        MANAGER_EMAIL: 'manager@example.com',
        FTE: '1',
      })
      .row('Staff.csv', { EMAIL: 'iro2@example.com', NAME: 'Second IRO', ROLE: 'iro', FTE: '1' })
      .update(
        'Allocations.csv',
        { CHILD: 'C2' },
        { SW_EMAIL: 'sw2@example.com', IRO_EMAIL: 'iro2@example.com' },
      );
    expect((await run(moved.files())).ok).toBe(true);
    const checks = await store.db
      .selectFrom('midwayChecks')
      .select(['id', 'swEmail', 'iroEmail'])
      .orderBy('id')
      .execute();
    expect(checks).toEqual([
      { id: answered.id, swEmail: 'sw@example.com', iroEmail: 'iro@example.com' },
      { id: waiting.id, swEmail: 'sw2@example.com', iroEmail: 'iro2@example.com' },
    ]);
    const job = await store.db
      .selectFrom('jobs')
      .select('waitingFor')
      .where('key', '=', `midway.prompt:${waiting.id}`)
      .executeTakeFirstOrThrow();
    expect(job.waitingFor).toBe('11111111-0000-4000-8000-000000000009');
    const handedOver = await store.db
      .selectFrom('auditLog')
      .select(['entityId', 'detail'])
      .where('action', '=', 'midway.handedOver')
      .orderBy('id')
      .execute();
    expect(handedOver).toEqual([
      {
        entityId: 'C2',
        detail: {
          check: waiting.id,
          role: 'social_worker',
          from: 'sw@example.com',
          to: 'sw2@example.com',
        },
      },
      {
        entityId: 'C2',
        detail: { check: waiting.id, role: 'iro', from: 'iro@example.com', to: 'iro2@example.com' },
      },
    ]);
    // The check now reads the former social worker as one of the child's earlier ones.
    const loaded = await services.midway.find(waiting.id);
    expect(loaded).toMatchObject({
      swEmail: 'sw2@example.com',
      formerSwEmails: ['sw@example.com'],
    });
  });

  it('derives in bulk for new children what recomputing them one by one derives', async () => {
    const demo = demoCouncilExtract({ today: TODAY, calendar: services.calendar });
    const first = await importExtract(services, demo, { actor: 'test', today: TODAY });
    expect(first.ok).toBe(true);
    const derived = async () => ({
      reviews: await store.db
        .selectFrom('reviews')
        .select(['id', 'childId', 'heldOn', 'dueOn', 'kind', 'daysLate'])
        .orderBy('id')
        .execute(),
      periods: await store.db
        .selectFrom('periodsOfCare')
        .select(['childId', 'startDate', 'startKnown', 'endDate', 'shortBreak'])
        .orderBy('childId')
        .orderBy('startDate')
        .execute(),
      status: await store.db
        .selectFrom('reviewStatus')
        .selectAll()
        .orderBy('childId')
        .execute()
        .then((rows) => rows.map((row) => ({ ...row, updatedAt: null }))),
    });
    const bulk = await derived();
    expect(bulk.reviews.filter((r) => r.dueOn !== null).length).toBeGreaterThan(100);
    expect(bulk.status.filter((r) => r.nextDueOn !== null).length).toBeGreaterThan(20);
    const ids = (await store.db.selectFrom('children').select('childId').execute()).map(
      (c) => c.childId,
    );
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('reviews').set({ dueOn: null, kind: null, daysLate: null }).execute();
      await trx.deleteFrom('reviewStatus').execute();
      await trx.deleteFrom('periodsOfCare').execute();
      await refreshReviewState(trx, services.calendar, ids);
    });
    expect(await derived()).toEqual(bulk);
  });

  it('changes nothing when the same extract comes again', async () => {
    await run(base().files());
    const auditBefore = await count('auditLog');
    const again = await run(base().files());
    expect(again.ok && again.summary).toMatchObject({
      children: { inserted: 0, updated: 0, unchanged: 3 },
      reviews: { inserted: 0, updated: 0, unchanged: 4 },
      episodes: { inserted: 0, updated: 0, unchanged: 3 },
      staff: { inserted: 0, updated: 0, unchanged: 3 },
      allocations: { inserted: 0, updated: 0, unchanged: 6 },
    });
    expect(await count('reviews')).toBe(4);
    expect(await count('auditLog')).toBe(auditBefore + 1);
  });

  it('updates in place from a newer extract, keeping allocation history', async () => {
    await run(base().files());
    const newer = base()
      .row('Staff.csv', { EMAIL: 'iro2@example.com', NAME: 'Second IRO', ROLE: 'iro', FTE: '0.6' })
      .update('Allocations.csv', { CHILD: 'C1' }, { IRO_EMAIL: 'IRO2@example.com' })
      .update('Reviews.csv', { CHILD: 'C2', REVIEW: '20/11/2025' }, { REVIEW_CODE: 'PN6' })
      .row('Reviews.csv', {
        CHILD: 'C1',
        DOB: '01/02/2015',
        REVIEW: '20/11/2026',
        REVIEW_CODE: 'PN1',
      })
      .update('Episodes.csv', { CHILD: 'C3' }, { DEC: '15/11/2026', REC: 'E13' });
    const result = await run(newer.files());
    expect(result.ok && result.summary).toMatchObject({
      reviews: { inserted: 1, updated: 1, unchanged: 3 },
      episodes: { inserted: 0, updated: 1, unchanged: 2 },
      staff: { inserted: 1, updated: 0, unchanged: 3 },
      allocations: { inserted: 0, updated: 1, unchanged: 5 },
    });
    expect(await count('reviews')).toBe(5);
    const c1 = await store.db
      .selectFrom('allocations')
      .select(['staffEmail', 'startDate', 'endDate'])
      .where('childId', '=', 'C1')
      .where('role', '=', 'iro')
      .orderBy('id')
      .execute();
    expect(c1).toEqual([
      { staffEmail: 'iro@example.com', startDate: TODAY, endDate: TODAY },
      { staffEmail: 'iro2@example.com', startDate: TODAY, endDate: null },
    ]);
    const code = await store.db
      .selectFrom('reviews')
      .select('reviewCode')
      .where('childId', '=', 'C2')
      .where('heldOn', '=', '2025-11-20')
      .executeTakeFirstOrThrow();
    expect(code.reviewCode).toBe('PN6');
    const c3 = await store.db
      .selectFrom('periodsOfCare')
      .select(['startDate', 'endDate'])
      .where('childId', '=', 'C3')
      .execute();
    expect(c3).toEqual([{ startDate: '2026-09-01', endDate: '2026-11-15' }]);
    // C1's first review was held, so the next is the second, due 3 months after it.
    const due = await listDueReviews(services, {
      today: TODAY,
      from: '2026-01-01' as LocalDate,
      to: '2027-12-31' as LocalDate,
    });
    expect(due.map((d) => [d.child, d.kind, d.dueDate, d.iro])).toEqual([
      ['C2', 'subsequent', '2026-05-20', 'iro@example.com'],
      ['C1', 'second', '2027-02-20', 'iro2@example.com'],
    ]);
  });

  it('writes nothing when any row is invalid, and says where each problem is', async () => {
    await run(base().files());
    const before = await Promise.all(
      (['children', 'reviews', 'episodes', 'staff', 'allocations', 'auditLog'] as const).map(count),
    );
    const bad = base()
      .withChild('C4', '01/01/2020', '01/01/2026', [
        ['03/02/2026', 'PN0'],
        ['31/02/2026', 'PN1'],
      ])
      .row('Reviews.csv', {
        CHILD: 'C9',
        DOB: '01/01/2010',
        REVIEW: '01/03/2026',
        REVIEW_CODE: 'PN1',
      })
      .row('Reviews.csv', {
        CHILD: 'C2',
        DOB: '16/06/2019',
        REVIEW: '01/06/2026',
        REVIEW_CODE: 'PN9',
      })
      .row('Reviews.csv', {
        CHILD: 'C3',
        DOB: '10/10/2024',
        REVIEW: '01/03/2026',
        REVIEW_CODE: 'PN0',
      })
      .row('Reviews.csv', { CHILD: 'C1', DOB: '01/02/2015', REVIEW: '', REVIEW_CODE: 'PN1' })
      .row('Staff.csv', { EMAIL: 'not-an-email', NAME: 'X', ROLE: 'chief', FTE: 'lots' })
      .update('Allocations.csv', { CHILD: 'C2' }, { IRO_EMAIL: 'sw@example.com' });
    const result = await run(bad.files());
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    expect(lines).toEqual([
      'Reviews.csv:6: REVIEW_CODE: 440 PN0 but the child was 4 or older on 03/02/2026',
      'Reviews.csv:7: REVIEW: 166 "31/02/2026" is not a valid date (dd/mm/yyyy)',
      'Reviews.csv:8: CHILD: INT08 C9 is not in Header.csv',
      'Reviews.csv:9: DOB: INT17 16/06/2019 differs from Header.csv (15/06/2019)',
      'Reviews.csv:9: REVIEW_CODE: 167 "PN9" is not one of PN0 to PN7',
      "Reviews.csv:10: REVIEW: 01/03/2026 is before C3's period of care began (DECOM 01/09/2026 in Episodes.csv)",
      'Reviews.csv:11: REVIEW: 166 is blank but REVIEW_CODE is filled',
      'Staff.csv:5: EMAIL: "not-an-email" is not an e-mail address',
      'Staff.csv:5: ROLE: "chief" is not one of iro, social_worker, team_manager, service_manager, admin',
      'Staff.csv:5: FTE: "lots" is not a full-time equivalent between 0 and 1.5 (e.g. 1 or 0.6)',
      'Allocations.csv:3: IRO_EMAIL: sw@example.com has ROLE social_worker in Staff.csv, not iro',
    ]);
    const after = await Promise.all(
      (['children', 'reviews', 'episodes', 'staff', 'allocations', 'auditLog'] as const).map(count),
    );
    expect(after).toEqual(before);
  });

  it('rolls the whole import back when the store fails half way', async () => {
    await sql`create function fail_on_review() returns trigger language plpgsql as $$
      begin if new.child_id = 'C3' then raise exception 'simulated failure'; end if; return new; end $$`.execute(
      store.db,
    );
    await sql`create trigger fail_on_review before insert on reviews for each row execute function fail_on_review()`.execute(
      store.db,
    );
    try {
      await expect(run(base().files())).rejects.toThrow(/simulated failure/);
      expect(await count('children')).toBe(0);
      expect(await count('staff')).toBe(0);
      expect(await count('auditLog')).toBe(0);
    } finally {
      await sql`drop trigger fail_on_review on reviews`.execute(store.db);
      await sql`drop function fail_on_review()`.execute(store.db);
    }
  });

  it('keeps the audit log append-only', async () => {
    await run(base().files());
    await expect(
      sql`update audit_log set actor = 'someone else'`.execute(store.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
  });

  it('keeps reviews for children who leave care and come back in a new period', async () => {
    const extract = anExtract()
      .withChild('R1', '01/01/2012', '10/01/2024', [
        ['05/02/2024', 'PN1'],
        ['01/05/2024', 'PN1'],
      ])
      .update('Episodes.csv', { CHILD: 'R1' }, { DEC: '30/06/2025', REC: 'E13' })
      .row('Episodes.csv', { CHILD: 'R1', DECOM: '02/11/2026', RNE: 'S', LS: 'C2' });
    expect((await run(extract.files())).ok).toBe(true);
    const due = await listDueReviews(services, {
      today: TODAY,
      from: '2026-01-01' as LocalDate,
      to: '2027-12-31' as LocalDate,
    });
    expect(due.map((d) => [d.child, d.kind, d.dueDate])).toEqual([['R1', 'first', '2026-11-30']]);
  });
});
