import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type LostConnection, type Store } from '../../src/store/open-store.js';
import { freshPostgresUrl } from '../support/store-dialects.js';

/**
 * A PostgreSQL server ends connections when it restarts, fails over or is told to: the store must
 * carry on with new ones, not stop the process (node-postgres throws a client's error when nothing
 * listens for it; vitest fails the run on such an error even when the test itself passes).
 */
describe.skipIf(!process.env['DATABASE_URL'])('a connection the PostgreSQL server ends', () => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;
  const lost: { code: string | undefined; connection: LostConnection }[] = [];
  const backend = async (on = store.db) =>
    (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(on)).rows[0]!.pid;
  /** Asks the server, on a connection of its own, to end a backend, and waits until it has. */
  const terminate = async (pid: number) => {
    const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await expect
        .poll(
          async () =>
            (await admin.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount,
        )
        .toBe(0);
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    const fresh = await freshPostgresUrl();
    drop = fresh.drop;
    store = await openStore({
      kind: 'postgres',
      databaseUrl: fresh.url,
      maxConnections: 2,
      onConnectionLost: (error, connection) => lost.push({ code: error.code, connection }),
    });
    await sql`create table lost_probe (id int primary key)`.execute(store.db);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('idle in the pool: it is dropped and told of; the next query opens another', async () => {
    lost.length = 0;
    const before = await backend();
    // The client is idle in the pool now; the server ends its backend.
    await terminate(before);
    await expect.poll(() => lost).toEqual([{ code: '57P01', connection: 'idle' }]);
    const after = await backend();
    expect(after).not.toBe(before);
  });

  it('in use by a transaction: its statements fail, nothing of it is stored, the store goes on', async () => {
    lost.length = 0;
    let ended = 0;
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw('insert into lost_probe values (1)'));
        ended = await backend(trx);
        await terminate(ended);
        // The copy's rows go to a connection that is no more.
        await trx.executeQuery(CompiledQuery.raw('copy lost_probe (id) from stdin', [`2\n3\n`]));
      }),
    ).rejects.toThrow();
    await expect.poll(() => lost.map((l) => l.connection)).toContain('in use');
    expect(await backend()).not.toBe(ended);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from lost_probe`.execute(
      store.db,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('in the middle of a query: the query fails and the next one opens another connection', async () => {
    lost.length = 0;
    const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    const sleeping = sql`select pg_sleep(30) as slept`.execute(store.db);
    const failed = expect(sleeping).rejects.toMatchObject({ code: '57P01' });
    try {
      let pid: number | undefined;
      await expect
        .poll(async () => {
          const { rows } = await admin.query<{ pid: number }>(
            "select pid from pg_stat_activity where query like 'select pg_sleep(30)%'",
          );
          pid = rows[0]?.pid;
          return pid;
        })
        .toBeGreaterThan(0);
      await terminate(pid!);
    } finally {
      await admin.end();
    }
    await failed;
    await expect.poll(() => lost.length).toBeGreaterThan(0);
    expect(await backend()).toBeGreaterThan(0);
  });
});
