import { CompiledQuery, sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import type { Store } from '../../src/store/open-store.js';
import { CopyingClient } from '../../src/store/pg-copy-client.js';
import { DIALECTS, freshPostgresUrl } from '../support/store-dialects.js';

/**
 * COPY ... FROM STDIN with its rows as the statement's one parameter, as both stores take it:
 * PGlite's dialect sends the rows in the statement's batch; on a PostgreSQL server the pool's
 * clients (`CopyingClient`) send them through pg-copy-streams.
 */
describe.each(DIALECTS)('COPY ... FROM STDIN on $name', (dialect) => {
  let store: Store;
  const copy = (rows: string, on: Kysely<Database> = store.db) =>
    on.executeQuery(CompiledQuery.raw('copy copy_probe (id, label, day, flag) from stdin', [rows]));
  const stored = async () =>
    (
      await sql<{
        id: number;
        label: string | null;
        day: string | null;
        flag: boolean | null;
      }>`select id, label, day, flag from copy_probe order by id`.execute(store.db)
    ).rows;

  beforeAll(async () => {
    store = await dialect.open();
    await sql`create table copy_probe (id int primary key, label text, day date, flag boolean)`.execute(
      store.db,
    );
  });
  afterAll(() => store.close());

  it("writes the rows, read in COPY's text format, and counts them", async () => {
    const result = await copy(
      '1\ttab\\there\t2026-12-03\tt\n' +
        '2\tline\\nbreak and back\\\\slash\t\\N\tf\n' +
        '3\t\\\\N, not null\t2026-01-31\t\\N\n',
    );
    expect(result.numAffectedRows).toBe(3n);
    expect(await stored()).toEqual([
      { id: 1, label: 'tab\there', day: '2026-12-03', flag: true },
      { id: 2, label: 'line\nbreak and back\\slash', day: null, flag: false },
      { id: 3, label: '\\N, not null', day: '2026-01-31', flag: null },
    ]);
  });

  it('reports a copy that fails and stores none of its rows; the same connection goes on', async () => {
    await store.db.connection().execute(async (connection) => {
      await expect(
        copy('10\ta\t2026-12-01\tt\n11\tb\tnot a date\tt\n', connection),
      ).rejects.toMatchObject({ code: '22007' });
      await expect(copy('1\tagain\t\\N\t\\N\n', connection)).rejects.toMatchObject({
        code: '23505',
      });
      expect((await sql<{ n: number }>`select 4 as n`.execute(connection)).rows).toEqual([
        { n: 4 },
      ]);
      expect((await copy('12\tafter\t\\N\t\\N\n', connection)).numAffectedRows).toBe(1n);
    });
    expect((await stored()).map((r) => r.id)).toEqual([1, 2, 3, 12]);

    // Inside a transaction, the failed copy ends it: the rows before it go too.
    await expect(
      store.db.transaction().execute(async (trx) => {
        await copy('20\tfirst\t\\N\t\\N\n', trx);
        await copy('21\tsecond\tnever\t\\N\n', trx);
      }),
    ).rejects.toMatchObject({ code: '22007' });
    expect((await stored()).map((r) => r.id)).toEqual([1, 2, 3, 12]);
  });

  it('writes more rows than one write of the stream holds', async () => {
    await sql`delete from copy_probe where id >= 1000`.execute(store.db);
    let rows = '';
    for (let id = 1000; id < 41_000; id += 1)
      rows += `${id}\tchild ${id} ${'x'.repeat(40)}\t\\N\tt\n`;
    expect((await copy(rows)).numAffectedRows).toBe(40_000n);
    const { rows: count } = await sql<{
      n: number;
    }>`select count(*)::int as n from copy_probe where id >= 1000`.execute(store.db);
    expect(count).toEqual([{ n: 40_000 }]);
  });

  it('reports a copy refused at its first row of many, or before its rows; the connection goes on', async () => {
    let rows = '3\tduplicate of a stored row\t\\N\t\\N\n';
    for (let id = 100_000; id < 140_000; id += 1) rows += `${id}\tnever stored\t\\N\tt\n`;
    await store.db.connection().execute(async (connection) => {
      // PostgreSQL refuses the first row while the other 40,000 are still on their way.
      await expect(copy(rows, connection)).rejects.toMatchObject({ code: '23505' });
      expect((await sql<{ n: number }>`select 6 as n`.execute(connection)).rows).toEqual([
        { n: 6 },
      ]);
      // A transaction already failed refuses the COPY statement itself, before any row.
      await sql`begin`.execute(connection);
      await expect(sql`select 1 / 0`.execute(connection)).rejects.toMatchObject({
        code: '22012',
      });
      await expect(
        copy('60\tin a failed transaction\t\\N\t\\N\n', connection),
      ).rejects.toMatchObject({ code: '25P02' });
      await sql`rollback`.execute(connection);
      expect((await copy('61\tafter the rollback\t\\N\t\\N\n', connection)).numAffectedRows).toBe(
        1n,
      );
    });
    const ids = (await stored()).map((r) => r.id);
    expect(ids).toContain(61);
    expect(ids.filter((id) => id >= 100_000 || id === 60)).toEqual([]);
  });

  it('refuses rows given other than as one string, and sends nothing', async () => {
    for (const parameters of [[], [1], ['50\ta\t\\N\t\\N\n', 'more']]) {
      await expect(
        store.db.executeQuery(
          CompiledQuery.raw('copy copy_probe (id, label, day, flag) from stdin', parameters),
        ),
      ).rejects.toThrow('COPY FROM STDIN takes its rows as one parameter, a string.');
    }
    expect((await stored()).some((r) => r.id === 50)).toBe(false);
    expect((await sql<{ n: number }>`select 5 as n`.execute(store.db)).rows).toEqual([{ n: 5 }]);
  });
});

describe.skipIf(!process.env['DATABASE_URL'])('CopyingClient, called as node-postgres is', () => {
  it('answers a callback given after the rows, with the count or the error', async () => {
    const { url, drop } = await freshPostgresUrl();
    const client = new CopyingClient(url);
    await client.connect();
    try {
      await client.query('create table copy_probe (id int primary key, label text)');
      const copy = (rows: string) =>
        new Promise<{ error: Error | null; count: number | null | undefined }>((resolve) => {
          const returned = client.query(
            'copy copy_probe (id, label) from stdin',
            [rows],
            (error: Error | null, result?: pg.QueryResult) =>
              resolve({ error, count: result?.rowCount }),
          );
          expect(returned).toBeUndefined();
        });
      expect(await copy('1\tone\n2\ttwo\n')).toEqual({ error: null, count: 2 });
      const refused = await copy('2\tagain\n');
      expect(refused.error).toMatchObject({ code: '23505' });
      const wrong = await new Promise<Error | null>((resolve) => {
        client.query('copy copy_probe (id, label) from stdin', [], (error: Error | null) =>
          resolve(error),
        );
      });
      expect(wrong?.message).toBe('COPY FROM STDIN takes its rows as one parameter, a string.');
      // Other statements are node-postgres's own, callbacks and all.
      const selected = await new Promise<unknown>((resolve, reject) => {
        client.query(
          'select count(*)::int as n from copy_probe',
          (error: Error | null, result?: pg.QueryResult) =>
            error ? reject(error) : resolve(result?.rows),
        );
      });
      expect(selected).toEqual([{ n: 2 }]);
    } finally {
      await client.end();
      await drop();
    }
  });
});
