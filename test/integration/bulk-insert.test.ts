import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import {
  bulkInsertTables,
  bulkRows,
  type BulkColumn,
  type QuietTrigger,
} from '../../src/store/bulk-insert.js';
import { newChildTables, QUIET_ON_NEW_CHILDREN } from '../../src/store/extract-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';

/**
 * `bulkInsertTables`, as a first import writes new children's rows: by COPY on both engines; on
 * PGlite (one session) with the indexes of empty tables built again after and each foreign key
 * checked once, on a PostgreSQL server with PostgreSQL's checks row by row. Either way the same
 * rows are stored, and the same rows are refused with the same error.
 */
interface Child {
  childId: string;
  dob: string;
  firstName: string | null;
}

interface Allocation {
  childId: string;
  staffEmail: string;
}

const CHILD: readonly BulkColumn<Child>[] = [
  { name: 'child_id', type: 'text', value: (c) => c.childId },
  { name: 'dob', type: 'date', value: (c) => c.dob },
  { name: 'first_name', type: 'text', value: (c) => c.firstName },
];

const ALLOCATION: readonly BulkColumn<Allocation>[] = [
  { name: 'child_id', type: 'text', value: (a) => a.childId },
  { name: 'role', type: 'text', value: () => 'iro' },
  { name: 'staff_email', type: 'text', value: (a) => a.staffEmail },
  { name: 'start_date', type: 'date', value: () => '2026-12-01' },
];

/** First names COPY's text format must escape, or could mistake for a null. */
const CHILDREN: Child[] = [
  { childId: 'C1', dob: '2015-02-01', firstName: 'Tab\there' },
  { childId: 'C2', dob: '2012-03-01', firstName: 'Line\nbreak\r\n' },
  { childId: 'C3', dob: '2019-12-31', firstName: '\\N' },
  { childId: 'C4', dob: '2010-06-15', firstName: null },
  { childId: 'C5', dob: '2011-07-16', firstName: 'Back\\slash' },
  { childId: 'C6', dob: '2020-01-01', firstName: 'Zoë' },
];

const IRO = 'iro@example.com';

describe.each(DIALECTS)('bulkInsertTables on $name', (dialect) => {
  let store: Store;
  const singleSession = dialect.name === 'pglite';
  const load = (
    db: Kysely<Database>,
    children: Child[],
    allocations: Allocation[],
    quietTriggers: readonly QuietTrigger[] = [],
  ) =>
    bulkInsertTables(
      db,
      [bulkRows('children', CHILD, children), bulkRows('allocations', ALLOCATION, allocations)],
      { singleSession, quietTriggers },
    );
  const allocated = (children: Child[], email = IRO) =>
    children.map((c) => ({ childId: c.childId, staffEmail: email }));
  const indexes = async () =>
    (
      await sql<{ definition: string }>`select indexdef as definition from pg_indexes
        where tablename in ('children', 'allocations') order by indexname`.execute(store.db)
    ).rows.map((r) => r.definition);
  const stored = async () => ({
    children: (
      await sql<Child>`select child_id as "childId", dob, first_name as "firstName"
        from children order by child_id`.execute(store.db)
    ).rows,
    allocations: (
      await sql<Allocation>`select child_id as "childId", staff_email as "staffEmail"
        from allocations order by child_id`.execute(store.db)
    ).rows,
  });
  let before: string[];

  beforeAll(async () => {
    store = await dialect.open();
    before = await indexes();
  });
  afterAll(() => store.close());
  /** An empty store but for the IRO the allocations name. */
  const emptyButTheIro = async () => {
    await emptyStore(store);
    await sql`insert into staff (email, name, role) values (${IRO}, 'An IRO', 'iro')`.execute(
      store.db,
    );
  };
  beforeEach(emptyButTheIro);

  it('stores every row with its values as given, and leaves the indexes as they were', async () => {
    const done = await store.db.transaction().execute(async (trx) => {
      const result = await load(trx, CHILDREN, allocated(CHILDREN));
      // Triggers are on again for what the transaction does next.
      const { rows } = await sql<{
        role: string;
      }>`select current_setting('session_replication_role') as role`.execute(trx);
      expect(rows).toEqual([{ role: 'origin' }]);
      return result;
    });
    expect(await stored()).toEqual({ children: CHILDREN, allocations: allocated(CHILDREN) });
    expect(await indexes()).toEqual(before);
    expect(done).toEqual(
      singleSession
        ? { keysCheckedOnce: true, indexesRebuilt: ['allocations_one_open', 'allocations_staff'] }
        : { keysCheckedOnce: false, indexesRebuilt: [] },
    );
  });

  it('refuses rows that name a missing key, naming the constraint, and stores none', async () => {
    const cases: [Allocation[], string][] = [
      [
        [...allocated(CHILDREN.slice(0, 3)), { childId: 'C6', staffEmail: 'nobody@example.com' }],
        'allocations_staff_email_fkey',
      ],
      [[{ childId: 'C9', staffEmail: IRO }], 'allocations_child_id_fkey'],
    ];
    for (const [allocations, constraint] of cases) {
      await expect(
        store.db.transaction().execute((trx) => load(trx, CHILDREN, allocations)),
      ).rejects.toMatchObject({ code: '23503', constraint });
      expect(await stored()).toEqual({ children: [], allocations: [] });
      expect(await indexes()).toEqual(before);
    }
  });

  it('leaves a transaction that a missing key broke unable to commit, even if the error is caught', async () => {
    await store.db
      .transaction()
      .execute(async (trx) => {
        const refused = await load(trx, CHILDREN, [{ childId: 'C9', staffEmail: IRO }]).catch(
          (error: unknown) => error,
        );
        expect(refused).toMatchObject({ code: '23503' });
      })
      .catch(() => undefined);
    expect(await stored()).toEqual({ children: [], allocations: [] });
    expect(await indexes()).toEqual(before);
  });

  it('writes more rows than one statement takes', async () => {
    const many = Array.from({ length: 25_001 }, (_, i) => ({
      childId: `M${String(i).padStart(5, '0')}`,
      dob: '2015-01-01',
      firstName: i % 2 === 0 ? null : `Child ${i}`,
    }));
    await store.db.transaction().execute((trx) => load(trx, many, []));
    const { rows } = await sql<{
      n: number;
      last: string;
      named: number;
    }>`select count(*)::int as n, max(child_id) as last, count(first_name)::int as named
      from children`.execute(store.db);
    expect(rows).toEqual([{ n: 25_001, last: 'M25000', named: 12_500 }]);
  });

  it('refuses what a unique index refuses, also one built again after the rows', async () => {
    await expect(
      store.db
        .transaction()
        .execute((trx) => load(trx, CHILDREN, allocated([CHILDREN[0]!, CHILDREN[0]!]))),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await stored()).toEqual({ children: [], allocations: [] });
    expect(await indexes()).toEqual(before);
  });

  it('keeps the indexes of a table that holds rows', async () => {
    await store.db.transaction().execute((trx) => load(trx, CHILDREN.slice(0, 1), []));
    const done = await store.db
      .transaction()
      .execute((trx) => load(trx, CHILDREN.slice(1), allocated(CHILDREN)));
    expect(done.indexesRebuilt).toEqual(
      singleSession ? ['allocations_one_open', 'allocations_staff'] : [],
    );
    const more = await store.db
      .transaction()
      .execute((trx) => load(trx, [{ childId: 'C7', dob: '2016-01-01', firstName: null }], []));
    expect(more.indexesRebuilt).toEqual([]);
    expect((await stored()).children.map((c) => c.childId)).toEqual([
      'C1',
      'C2',
      'C3',
      'C4',
      'C5',
      'C6',
      'C7',
    ]);
  });

  it('checks keys row by row when a table has an insert trigger it was not told of', async () => {
    await sql`create table bulk_probe_log (child_id text)`.execute(store.db);
    await sql`create function bulk_probe() returns trigger language plpgsql as $$
      begin insert into bulk_probe_log values (new.child_id); return null; end $$`.execute(
      store.db,
    );
    await sql`create trigger bulk_probe after insert on allocations
      for each row execute function bulk_probe()`.execute(store.db);
    const logged = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from bulk_probe_log`.execute(store.db))
        .rows[0]?.n;
    try {
      const done = await store.db
        .transaction()
        .execute((trx) => load(trx, CHILDREN, allocated(CHILDREN)));
      expect(done.keysCheckedOnce).toBe(false);
      expect(await logged()).toBe(CHILDREN.length);

      const again = async () => {
        await emptyButTheIro();
        await sql`delete from bulk_probe_log`.execute(store.db);
      };
      await again();
      const { rows } = await sql<{
        definition: string;
      }>`select pg_get_triggerdef(oid) as definition from pg_trigger where tgname = 'bulk_probe'`.execute(
        store.db,
      );
      const quiet = {
        table: 'allocations',
        trigger: 'bulk_probe',
        definition: rows[0]?.definition ?? '',
        because: 'a test',
      };
      // A trigger of that name defined otherwise is not the one declared quiet.
      const otherwise = await store.db
        .transaction()
        .execute((trx) =>
          load(trx, CHILDREN, allocated(CHILDREN), [
            { ...quiet, definition: quiet.definition.replace('AFTER', 'BEFORE') },
          ]),
        );
      expect(otherwise.keysCheckedOnce).toBe(false);
      expect(await logged()).toBe(CHILDREN.length);

      // Told that it does nothing for these rows, the check steps aside for PGlite, and turns it
      // off with the others: why each quiet trigger needs a reason.
      await again();
      const told = await store.db
        .transaction()
        .execute((trx) => load(trx, CHILDREN, allocated(CHILDREN), [quiet]));
      expect(told.keysCheckedOnce).toBe(singleSession);
      expect(await logged()).toBe(singleSession ? 0 : CHILDREN.length);
    } finally {
      await sql`drop trigger bulk_probe on allocations`.execute(store.db);
      await sql`drop function bulk_probe()`.execute(store.db);
      await sql`drop table bulk_probe_log`.execute(store.db);
    }
  });

  /** Runs `work` with a role that owns nothing and may only read and write the tables. */
  const withPlainRole = async (work: () => Promise<void>) => {
    await sql`create role bulk_probe_role`.execute(store.db);
    await sql`grant all on all tables in schema public to bulk_probe_role`.execute(store.db);
    await sql`grant all on all sequences in schema public to bulk_probe_role`.execute(store.db);
    try {
      await work();
    } finally {
      await sql`drop owned by bulk_probe_role`.execute(store.db);
      await sql`drop role bulk_probe_role`.execute(store.db);
    }
  };

  it('inserts, not copies, the rows of a table whose row-level security applies, and keeps to its policy', async () => {
    await sql`alter table children enable row level security`.execute(store.db);
    await sql`create policy bulk_probe_read on children for select using (true)`.execute(store.db);
    await sql`create policy bulk_probe_write on children for insert
      with check (child_id <> 'C9')`.execute(store.db);
    try {
      await withPlainRole(async () => {
        const asRole = (children: Child[]) =>
          store.db.transaction().execute(async (trx) => {
            await sql`set local role bulk_probe_role`.execute(trx);
            return load(trx, children, allocated(children));
          });
        // COPY FROM would be refused outright (0A000): the policy refuses the one row it forbids.
        await expect(
          asRole([...CHILDREN, { childId: 'C9', dob: '2014-01-01', firstName: null }]),
        ).rejects.toMatchObject({ code: '42501' });
        expect(await stored()).toEqual({ children: [], allocations: [] });
        await asRole(CHILDREN);
        expect(await stored()).toEqual({ children: CHILDREN, allocations: allocated(CHILDREN) });
      });
    } finally {
      await sql`drop policy bulk_probe_read on children`.execute(store.db);
      await sql`drop policy bulk_probe_write on children`.execute(store.db);
      await sql`alter table children disable row level security`.execute(store.db);
    }
    expect(await indexes()).toEqual(before);
  });

  it('checks keys row by row for a role that may not turn triggers off (nor drop indexes), or a key of two columns', async () => {
    await withPlainRole(async () => {
      const asRole = await store.db.transaction().execute(async (trx) => {
        await sql`set local role bulk_probe_role`.execute(trx);
        return load(trx, CHILDREN, allocated(CHILDREN));
      });
      // Nor drop indexes of tables it does not own.
      expect(asRole).toEqual({ keysCheckedOnce: false, indexesRebuilt: [] });
      expect(await stored()).toEqual({ children: CHILDREN, allocations: allocated(CHILDREN) });
    });

    await sql`create table bulk_pair (a text, b text, primary key (a, b))`.execute(store.db);
    await sql`create table bulk_pair_ref (a text, b text, foreign key (a, b) references bulk_pair)`.execute(
      store.db,
    );
    try {
      const pair: readonly BulkColumn<{ a: string; b: string }>[] = [
        { name: 'a', type: 'text', value: (r) => r.a },
        { name: 'b', type: 'text', value: (r) => r.b },
      ];
      const rows = [{ a: 'x', b: 'y' }];
      const done = await store.db
        .transaction()
        .execute((trx) =>
          bulkInsertTables(
            trx,
            [bulkRows('bulk_pair', pair, rows), bulkRows('bulk_pair_ref', pair, rows)],
            { singleSession, quietTriggers: [] },
          ),
        );
      expect(done.keysCheckedOnce).toBe(false);
      // PostgreSQL's own check still refuses a pair that is not there.
      await expect(
        store.db.transaction().execute((trx) =>
          bulkInsertTables(trx, [bulkRows('bulk_pair_ref', pair, [{ a: 'x', b: 'z' }])], {
            singleSession,
            quietTriggers: [],
          }),
        ),
      ).rejects.toMatchObject({ code: '23503' });
    } finally {
      await sql`drop table bulk_pair_ref, bulk_pair`.execute(store.db);
    }
  });

  it.runIf(singleSession)('refuses to drop indexes outside a transaction', async () => {
    await expect(load(store.db, CHILDREN, allocated(CHILDREN))).rejects.toThrow(
      'bulkInsertTables with singleSession runs inside a transaction.',
    );
    expect(await stored()).toEqual({ children: [], allocations: [] });
    expect(await indexes()).toEqual(before);
  });

  it.runIf(singleSession)(
    "takes the fast path for a first import's tables with the schema as it is",
    async () => {
      const tables = newChildTables({
        children: [],
        episodes: [],
        reviews: [],
        allocations: [],
        derived: [],
      });
      const done = await store.db.transaction().execute((trx) =>
        bulkInsertTables(trx, tables, {
          singleSession,
          quietTriggers: QUIET_ON_NEW_CHILDREN,
        }),
      );
      expect(done.keysCheckedOnce).toBe(true);
      expect(done.indexesRebuilt).toEqual(
        expect.arrayContaining(['reviews_held_once', 'allocations_one_open', 'review_status_iro']),
      );
    },
  );
});
