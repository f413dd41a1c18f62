import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { freshPostgresUrl } from '../support/store-dialects.js';

/**
 * A PostgreSQL server ends idle connections when it restarts, fails over or is told to: the store
 * must carry on with new ones, not stop the process (node-postgres throws an idle client's error
 * when nothing listens for it).
 */
describe.skipIf(!process.env['DATABASE_URL'])('a connection the PostgreSQL server ends', () => {
  let store: Store | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('is dropped from the pool and told of; the next query opens another', async () => {
    const fresh = await freshPostgresUrl();
    drop = fresh.drop;
    const lost: (string | undefined)[] = [];
    store = await openStore({
      kind: 'postgres',
      databaseUrl: fresh.url,
      maxConnections: 2,
      onConnectionLost: (error) => lost.push(error.code),
    });
    const pid = async () =>
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store!.db)).rows[0]?.pid;
    const before = await pid();
    expect(before).toBeGreaterThan(0);
    // The client is idle in the pool now; the server ends its backend.
    const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [before]);
    } finally {
      await admin.end();
    }
    await expect.poll(() => lost, { timeout: 5000 }).toEqual(['57P01']);
    const after = await pid();
    expect(after).toBeGreaterThan(0);
    expect(after).not.toBe(before);
  });
});
