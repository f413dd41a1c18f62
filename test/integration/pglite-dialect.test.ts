import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAbortedTransactionError, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';

/**
 * The PGlite store's own Kysely dialect: each statement goes to PostgreSQL as one batch, queries
 * and data changes are prepared once and kept (at most 300, of 1,000,000 characters in all),
 * parameters are written as node-postgres writes them, and a transaction has the one connection
 * to itself.
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

  it('keeps no more than 1,000,000 characters of statements, and none longer than a quarter', async () => {
    const big = (i: number, length: number) => `select '${String(i).padEnd(length, 'x')}' as v`;
    for (let i = 0; i < 12; i += 1) await sql.raw(big(i, 100_000)).execute(store.db);
    await sql.raw(big(99, 300_000)).execute(store.db);
    await sql`select 1`.execute(store.db);
    const kept = (await prepared()).filter((s) => s.length > 90_000);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.reduce((n, s) => n + s.length, 0)).toBeLessThanOrEqual(1_000_000);
    expect(kept).toContain(big(11, 100_000));
    expect(kept).not.toContain(big(0, 100_000));
    expect(kept.some((s) => s.length > 250_000)).toBe(false);
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
  it('rolls back to a savepoint and releases one', async () => {
    const trx = await store.db.startTransaction().execute();
    await sql`insert into dialect_probe values (40, 'kept')`.execute(trx);
    const point = await trx.savepoint('before "41"').execute();
    await sql`insert into dialect_probe values (41, 'undone')`.execute(point);
    const back = await point.rollbackToSavepoint('before "41"').execute();
    const again = await back.savepoint('second').execute();
    await sql`insert into dialect_probe values (42, 'kept too')`.execute(again);
    await (await again.releaseSavepoint('second').execute()).commit().execute();
    const { rows } = await sql<{
      id: number;
    }>`select id from dialect_probe where id between 40 and 42 order by id`.execute(store.db);
    expect(rows).toEqual([{ id: 40 }, { id: 42 }]);
  });

  it('fails a commit that PostgreSQL answered with a rollback', async () => {
    const outcome = await store.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into dialect_probe values (30, 'first')`.execute(trx);
        // A caller that swallows a failed statement: the transaction is aborted all the same.
        await sql`insert into dialect_probe values (30, 'again')`.execute(trx).catch(() => {});
        return 'returned';
      })
      .catch((error: unknown) => error);
    expect(isAbortedTransactionError(outcome)).toBe(true);
    const { rows } = await sql`select id from dialect_probe where id = 30`.execute(store.db);
    expect(rows).toEqual([]);
  });

  it('runs a failed commit once, whatever its error says', async () => {
    await sql`create table dialect_deferred (id int)`.execute(store.db);
    await sql
      .raw(
        `create function dialect_refuse() returns trigger language plpgsql as $$
      begin raise exception 'cached plan must not change result type' using errcode = '0A000'; end $$`,
      )
      .execute(store.db);
    await sql`create constraint trigger dialect_refuse after insert on dialect_deferred
      deferrable initially deferred for each row execute function dialect_refuse()`.execute(
      store.db,
    );
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`insert into dialect_deferred values (1)`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '0A000' });
    const { rows } = await sql`select id from dialect_deferred`.execute(store.db);
    expect(rows).toEqual([]);
  });

  it("adds the caller's frames to an error's stack, and not the statement or its values", async () => {
    const error = (await sql`select ${'a value'}::int`
      .execute(store.db)
      .catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(error).toMatchObject({ code: '22P02' });
    expect(error.stack).toContain('pglite-dialect.test.ts');
    // PGlite's own query added both; PostgreSQL's message may quote a value, as on a server.
    expect(error).not.toHaveProperty('query');
    expect(error).not.toHaveProperty('params');
  });
});

describe('closing the PGlite store', () => {
  it('waits for the transaction in progress, then refuses statements', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'iro-dialect-'));
    try {
      const store = await openStore({ kind: 'pglite', dataDir });
      await sql`create table closing_probe (id int)`.execute(store.db);
      const running = store.db.transaction().execute(async (trx) => {
        await sql`insert into closing_probe values (1)`.execute(trx);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await sql`insert into closing_probe values (2)`.execute(trx);
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      await store.close();
      await expect(running).resolves.toBeUndefined();
      await expect(sql`select 1`.execute(store.db)).rejects.toThrow();
      const again = await openStore({ kind: 'pglite', dataDir });
      const { rows } = await sql`select id from closing_probe order by id`.execute(again.db);
      await again.close();
      expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
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
