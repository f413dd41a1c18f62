import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';

/**
 * The PGlite store's own Kysely dialect: each statement goes to PostgreSQL as one batch, queries
 * and data changes are prepared once and kept (at most 300), parameters are written as
 * node-postgres writes them, and a transaction has the one connection to itself.
 */
describe('the PGlite dialect', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: 'pglite', dataDir: null });
  });
  afterAll(() => store.close());

  const prepared = async () =>
    (
      await sql<{
        statement: string;
      }>`select statement from pg_prepared_statements where name like 'k%'`.execute(store.db)
    ).rows.map((r) => r.statement);

  it('prepares a query once and binds it afresh after that, with different values', async () => {
    const text = 'select $1::int + 1 as next';
    for (const n of [1, 2, 3, 40]) {
      const query = sql<{ next: number }>`select ${n}::int + 1 as next`;
      expect(query.compile(store.db).sql).toBe(text);
      expect((await query.execute(store.db)).rows).toEqual([{ next: n + 1 }]);
    }
    expect((await prepared()).filter((s) => s === text)).toHaveLength(1);
  });

  it('does not prepare statements that change the schema', async () => {
    await sql`create table dialect_probe (id int primary key, label text)`.execute(store.db);
    await sql`insert into dialect_probe values (1, 'one')`.execute(store.db);
    const statements = await prepared();
    expect(statements.some((s) => s.startsWith('create table dialect_probe'))).toBe(false);
    expect(statements).toContain(`insert into dialect_probe values (1, 'one')`);
  });

  it('keeps at most 300 statements, closing the least recently used', async () => {
    const first = `select 'kept-or-not-0' as v`;
    await sql.raw(first).execute(store.db);
    for (let i = 1; i <= 320; i += 1)
      await sql.raw(`select 'kept-or-not-${i}' as v`).execute(store.db);
    await sql`select 1`.execute(store.db);
    const statements = await prepared();
    expect(statements.length).toBeLessThanOrEqual(301);
    expect(statements).not.toContain(first);
    expect(statements).toContain(`select 'kept-or-not-320' as v`);
    // The closed one is prepared again when it comes back.
    expect((await sql.raw<{ v: string }>(first).execute(store.db)).rows).toEqual([
      { v: 'kept-or-not-0' },
    ]);
  });

  it('reports a statement that fails when run, and runs it again later', async () => {
    const insert = (id: number) =>
      sql`insert into dialect_probe (id, label) values (${id}, ${'x'})`.execute(store.db);
    await insert(10);
    await expect(insert(10)).rejects.toMatchObject({ code: '23505' });
    await insert(11);
    const { rows } = await sql<{
      id: number;
    }>`select id from dialect_probe where id >= 10 order by id`.execute(store.db);
    expect(rows).toEqual([{ id: 10 }, { id: 11 }]);
  });

  it('reports a statement that cannot be parsed, each time it is sent', async () => {
    for (let i = 0; i < 2; i += 1)
      await expect(
        sql.raw('select from from dialect_probe').execute(store.db),
      ).rejects.toMatchObject({ code: '42601' });
    expect((await sql<{ n: number }>`select 2 as n`.execute(store.db)).rows).toEqual([{ n: 2 }]);
  });

  it('prepares again statements that someone deallocated', async () => {
    const count = () =>
      sql<{ n: number }>`select count(*)::int as n from dialect_probe`.execute(store.db);
    const before = (await count()).rows[0]?.n;
    await sql`deallocate all`.execute(store.db);
    expect((await count()).rows[0]?.n).toBe(before);
  });

  it('gives a transaction the connection to itself, and rolls it back whole', async () => {
    const seen: string[] = [];
    let outside: Promise<unknown> = Promise.resolve();
    await store.db.transaction().execute(async (trx) => {
      await sql`insert into dialect_probe values (20, 'inside')`.execute(trx);
      // A statement from outside waits for the commit, so it sees the row.
      outside = sql<{ label: string }>`select label from dialect_probe where id = 20`
        .execute(store.db)
        .then((r) => seen.push(...r.rows.map((row) => `outside saw ${row.label}`)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push('inside committing');
    });
    await outside;
    expect(seen).toEqual(['inside committing', 'outside saw inside']);

    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`insert into dialect_probe values (21, 'lost')`.execute(trx);
        await sql`insert into dialect_probe values (20, 'clash')`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await sql<{
      id: number;
    }>`select id from dialect_probe where id in (20, 21) order by id`.execute(store.db);
    expect(rows).toEqual([{ id: 20 }]);
    // The connection is free and out of the failed transaction.
    expect((await sql<{ n: number }>`select 3 as n`.execute(store.db)).rows).toEqual([{ n: 3 }]);
  });
});

/** Parameters reach PostgreSQL as the same text on both engines. */
describe.each(DIALECTS)('parameters on $name', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
  });
  afterAll(() => store.close());

  it('are written as node-postgres writes them', async () => {
    const reference = { conversation: { id: 'a:1' }, serviceUrl: 'https://x/', n: 3 };
    const { rows } = await sql<Record<string, unknown>>`select
        ${reference}::jsonb as json,
        ${['a', 'b,c', null, 'd"e']}::text[] as texts,
        ${[1, 2, 3]}::int[] as ints,
        ${true}::boolean as yes,
        ${false}::boolean as no,
        ${null}::text as nothing,
        ${12.5}::numeric as number,
        ${new Date('2026-12-02T09:30:00.000Z')}::timestamptz as at,
        ${'2026-12-02'}::date as day`.execute(store.db);
    expect(rows).toEqual([
      {
        json: reference,
        texts: ['a', 'b,c', null, 'd"e'],
        ints: [1, 2, 3],
        yes: true,
        no: false,
        nothing: null,
        number: 12.5,
        at: new Date('2026-12-02T09:30:00.000Z'),
        day: '2026-12-02',
      },
    ]);
  });
});
