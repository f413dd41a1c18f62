import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { ReviewStatusFilter, ReviewStatusRow } from '../../src/app/ports.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import { createPgCaseReader } from '../../src/store/case-repository.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import {
  ensureReviewStateCurrent,
  refreshReviewState,
} from '../../src/store/review-state-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

/**
 * The rows of `listReviewStatus`, a statement written out (not built by Kysely): their fields and
 * types as `ReviewStatusRow` says, and each filter against the store's status rows filtered here.
 */
const TODAY = '2026-11-23' as LocalDate;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = [
  'childId',
  'firstName',
  'lastName',
  'shortBreak',
  'periodStart',
  'periodStartKnown',
  'lastReviewOn',
  'nextDueOn',
  'nextKind',
  'midwayOn',
  'iro',
  'socialWorker',
  'scheduledStart',
].sort();

const extract = () =>
  anExtract()
    .row('Staff.csv', {
      EMAIL: 'second.iro@example.com',
      NAME: 'Second IRO',
      ROLE: 'iro',
      AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000004',
      TEAM: 'IRO Service',
      MANAGER_EMAIL: 'manager@example.com',
      FTE: '1',
    })
    // New to care this month: the first review is due within 20 working days.
    .withChild('C1', '01/02/2015', '02/11/2026', [], { first: 'Amy', last: 'Brown' })
    // In care for years, reviewed every six months.
    .withChild(
      'C2',
      '01/03/2012',
      '05/01/2024',
      [
        ['25/01/2024', 'PN1'],
        ['20/04/2024', 'PN1'],
        ['15/10/2024', 'PN2'],
        ['10/04/2025', 'PN1'],
        ['01/10/2025', 'PN1'],
        ['20/03/2026', 'PN1'],
        ['10/09/2026', 'PN1'],
      ],
      { iro: 'second.iro@example.com', first: 'Ben', last: 'Cole' },
    )
    // Overdue: no review since the first.
    .withChild('C3', '05/05/2010', '01/06/2026', [['20/06/2026', 'PN1']], {
      iro: 'second.iro@example.com',
    })
    // Left care before today: never listed.
    .withChild('C4', '07/07/2011', '01/01/2025', [['20/01/2025', 'PN1']])
    .update('Episodes.csv', { CHILD: 'C4' }, { DEC: '01/06/2026', REC: 'E11' })
    .files();

describe.each(DIALECTS)('the status rows the lists of reviews due read ($name)', (dialect) => {
  let store: Store;
  let services: Services;
  let all: ReviewStatusRow[];

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    await emptyStore(store);
    const imported = await importExtract(services, extract(), { actor: 'test', today: TODAY });
    expect(imported.ok, JSON.stringify(imported).slice(0, 1500)).toBe(true);
    const start = new Date('2026-11-27T10:00:00Z');
    await services.scheduledReviews.recordBooking(
      {
        childId: 'C1',
        chairEmail: 'iro@example.com',
        dueOn: null,
        kind: null,
        start,
        end: new Date(start.getTime() + 90 * 60_000),
        venue: 'Hybrid',
        eventId: 'event-1',
        iCalUId: 'ical-event-1',
        joinUrl: null,
        transactionId: null,
        invitees: [],
      },
      { actor: 'iro@example.com', today: TODAY },
    );
    all = await services.cases.listReviewStatus({ today: TODAY });
  });
  afterAll(async () => {
    await store.close();
  });

  it('has the fields of ReviewStatusRow, with dates as ISO strings and the booked start as a Date', () => {
    expect(all.map((r) => r.childId)).toEqual(['C3', 'C1', 'C2']);
    for (const row of all) {
      expect(Object.keys(row).sort(), row.childId).toEqual(FIELDS);
      expect(typeof row.shortBreak).toBe('boolean');
      expect(typeof row.periodStartKnown).toBe('boolean');
      expect(row.periodStart).toMatch(ISO_DATE);
      for (const date of [row.lastReviewOn, row.nextDueOn, row.midwayOn])
        if (date !== null) expect(date).toMatch(ISO_DATE);
    }
    const [c3, c1, c2] = all as [ReviewStatusRow, ReviewStatusRow, ReviewStatusRow];
    expect(c1).toMatchObject({
      firstName: 'Amy',
      lastName: 'Brown',
      shortBreak: false,
      periodStart: '2026-11-02',
      periodStartKnown: true,
      lastReviewOn: null,
      nextKind: 'first',
      iro: 'iro@example.com',
      socialWorker: 'sw@example.com',
    });
    expect(c1.scheduledStart).toBeInstanceOf(Date);
    expect(c1.scheduledStart?.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(c2).toMatchObject({
      firstName: 'Ben',
      lastName: 'Cole',
      lastReviewOn: '2026-09-10',
      nextKind: 'subsequent',
      iro: 'second.iro@example.com',
      scheduledStart: null,
    });
    expect(c3.nextDueOn !== null && c3.nextDueOn < TODAY).toBe(true);
  });

  it('lists the children whose period is current today, as the status rows say', async () => {
    const rows = await store.db.selectFrom('reviewStatus').selectAll().execute();
    const current = rows
      .filter(
        (s) =>
          (s.periodEnd === null || s.periodEnd >= TODAY) &&
          (!s.periodStartKnown || s.periodStart <= TODAY),
      )
      .map((s) => s.childId)
      .sort();
    expect(rows.map((s) => s.childId).sort()).toEqual(['C1', 'C2', 'C3', 'C4']);
    expect(all.map((r) => r.childId).sort()).toEqual(current);
  });

  /** Each filter the app uses, and the same rows picked from the unfiltered list. */
  const cases: [string, Omit<ReviewStatusFilter, 'today'>, (r: ReviewStatusRow) => boolean][] = [
    [
      'a due range',
      { due: { from: '2026-11-01' as LocalDate, to: '2026-12-31' as LocalDate } },
      (r) => r.nextDueOn === null || (r.nextDueOn >= '2026-11-01' && r.nextDueOn <= '2026-12-31'),
    ],
    ['due date unknown', { dueUnknown: true }, (r) => r.nextDueOn === null],
    [
      "an IRO's, by an email in other letter case",
      { iroEmail: 'Second.IRO@Example.com' },
      (r) => r.iro === 'second.iro@example.com',
    ],
    [
      "a social worker's",
      { socialWorkerEmail: 'SW@example.com' },
      (r) => r.socialWorker === 'sw@example.com',
    ],
    ['some children', { childIds: ['C2', 'C4', 'NOPE'] }, (r) => r.childId === 'C2'],
    [
      "an IRO's in a due range, of some children",
      {
        iroEmail: 'second.iro@example.com',
        due: { from: '2020-01-01' as LocalDate, to: TODAY },
        childIds: ['C1', 'C3'],
      },
      (r) => r.childId === 'C3',
    ],
  ];

  it.each(cases)('filters: %s', async (_, filter, picked) => {
    const expected = all.filter(picked);
    const rows = await services.cases.listReviewStatus({ today: TODAY, ...filter });
    expect(rows).toEqual(expected);
    if (!('dueUnknown' in filter)) expect(rows.length).toBeGreaterThan(0);
  });

  it('reads the same rows inside a transaction, on its connection', async () => {
    const filter = { today: TODAY, iroEmail: 'second.iro@example.com' };
    const outside = await services.cases.listReviewStatus(filter);
    const inside = await store.db
      .transaction()
      .execute((trx) => createPgCaseReader(trx).listReviewStatus(filter));
    expect(inside).toEqual(outside);
    expect(inside.map((r) => r.childId)).toEqual(['C3', 'C2']);
  });

  it('lists nobody for an empty list of children', async () => {
    expect(await services.cases.listReviewStatus({ today: TODAY, childIds: [] })).toEqual([]);
  });
});

describe.each(DIALECTS)("the children's names on their status rows ($name)", (dialect) => {
  let store: Store;
  let services: Services;
  const names = async () =>
    Object.fromEntries(
      (await services.cases.listReviewStatus({ today: TODAY })).map((r) => [
        r.childId,
        `${r.firstName} ${r.lastName}`,
      ]),
    );

  /** Each test starts from the extract imported into an empty store. */
  const importAfresh = async () => {
    await emptyStore(store);
    const imported = await importExtract(services, extract(), { actor: 'test', today: TODAY });
    expect(imported.ok).toBe(true);
  };

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
  });
  afterAll(async () => {
    await store.close();
  });

  it('follow a new import of the allocations, and a name changed on children by anyone', async () => {
    await importAfresh();
    expect(await names()).toEqual({ C1: 'Amy Brown', C2: 'Ben Cole', C3: 'Sam Jones' });

    // The council corrects a name: the import updates children and rewrites the status rows.
    const renamed = anExtract()
      .withChild('C1', '01/02/2015', '02/11/2026', [], { first: 'Amelia', last: 'Brown' })
      .files();
    const again = await importExtract(
      services,
      { ...extract(), 'Allocations.csv': renamed['Allocations.csv'] },
      { actor: 'test', today: TODAY },
    );
    expect(again.ok, JSON.stringify(again).slice(0, 800)).toBe(true);
    expect((await names())['C1']).toBe('Amelia Brown');

    // Written on children outside the import (no status row rewritten): the trigger follows.
    await sql`update children set first_name = 'Cleo', last_name = null where child_id = 'C3'`.execute(
      store.db,
    );
    const c3 = (await services.cases.listReviewStatus({ today: TODAY, childIds: ['C3'] }))[0];
    expect(c3).toMatchObject({ firstName: 'Cleo', lastName: null });
    // A change of something else on children leaves them as they are.
    await sql`update children set ethnic = 'WIRI' where child_id = 'C3'`.execute(store.db);
    expect((await names())['C3']).toBe('Cleo null');
  });

  it("are put right by the child's next refresh and at every start, where a rename raced a status row", async () => {
    await importAfresh();
    await ensureReviewStateCurrent(store.db, services.calendar, 'rules-of-this-test');
    // What a refresh that read the names before another transaction's rename leaves behind (its
    // upsert writes the older name over the new one, PostgreSQL only), made here by hand; and a
    // row written without names by an instance still running the code before migration 016.
    await sql`update review_status set first_name = 'Old' where child_id = 'C1'`.execute(store.db);
    await sql`update review_status set first_name = null, last_name = null
      where child_id in ('C2', 'C3')`.execute(store.db);
    await store.db
      .transaction()
      .execute((trx) => refreshReviewState(trx, services.calendar, ['C1']));
    expect(await names()).toEqual({ C1: 'Amy Brown', C2: 'null null', C3: 'null null' });
    expect(
      await ensureReviewStateCurrent(store.db, services.calendar, 'rules-of-this-test'),
    ).toEqual({ rebuilt: false, children: 0 });
    expect(await names()).toEqual({ C1: 'Amy Brown', C2: 'Ben Cole', C3: 'Sam Jones' });
  });

  it('are copied from children when the migration adds them, and dropped when it is undone', async () => {
    await importAfresh();
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    const down = await migrator.migrateTo('015-change-notices');
    expect(down.error).toBeUndefined();
    const columns = async () =>
      (
        await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_name = 'review_status' and column_name like '%name'`.execute(store.db)
      ).rows.map((r) => r.name);
    expect(await columns()).toEqual([]);
    // While the names are not on the status rows, one changes.
    await sql`update children set first_name = 'Benjamin' where child_id = 'C2'`.execute(store.db);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect((await columns()).sort()).toEqual(['first_name', 'last_name']);
    expect(await names()).toEqual({ C1: 'Amy Brown', C2: 'Benjamin Cole', C3: 'Sam Jones' });
  });
});
