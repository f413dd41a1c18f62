import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { freshPostgresUrl } from '../support/store-dialects.js';

/**
 * A PostgreSQL server that does not answer (a failover under way, a network that drops its
 * packets), or a pool whose every connection is busy: a query fails after the connect timeout
 * instead of waiting for ever, and says why.
 */
describe('a PostgreSQL server that accepts connections and never answers', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('makes opening the store fail within the connect timeout, not hang', async () => {
    const address = silent.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const started = Date.now();
    await expect(
      openStore({
        kind: 'postgres',
        databaseUrl: `postgres://app@127.0.0.1:${address.port}/iro`,
        connectTimeoutMs: 300,
      }),
    ).rejects.toThrow(
      'The store could not be opened: Connection terminated due to connection timeout',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe.skipIf(!process.env['DATABASE_URL'])('a PostgreSQL server that refuses the store', () => {
  it('makes opening the store fail with its SQLSTATE, its message kept as the cause', async () => {
    const url = new URL(process.env['DATABASE_URL']!);
    url.pathname = '/iro_no_such_database';
    const opening = openStore({ kind: 'postgres', databaseUrl: url.toString() });
    await expect(opening).rejects.toThrow(
      'The store could not be opened: PostgreSQL refused with SQLSTATE 3D000',
    );
    await expect(opening).rejects.toMatchObject({
      cause: { message: 'database "iro_no_such_database" does not exist' },
    });
  });
});

describe.skipIf(!process.env['DATABASE_URL'])('a pool whose every connection is busy', () => {
  it('fails a query that waited the connect timeout for one, and serves the next', async () => {
    const { url, drop } = await freshPostgresUrl();
    const store = await openStore({
      kind: 'postgres',
      databaseUrl: url,
      maxConnections: 1,
      connectTimeoutMs: 300,
    });
    try {
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      let holding!: () => void;
      const taken = new Promise<void>((resolve) => (holding = resolve));
      const transaction = store.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        holding();
        await held;
      });
      await taken;
      await expect(sql`select 2 as n`.execute(store.db)).rejects.toThrow(
        'timeout exceeded when trying to connect',
      );
      finish();
      await transaction;
      expect((await sql<{ n: number }>`select 3 as n`.execute(store.db)).rows).toEqual([{ n: 3 }]);
    } finally {
      await store.close();
      await drop();
    }
  });
});
