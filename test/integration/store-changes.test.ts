import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPgCaseReader } from '../../src/store/case-repository.js';
import { createPgConversationRepository } from '../../src/store/conversation-repository.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import {
  CHANGES_CHANNEL,
  createChangeFeed,
  listenOnPostgres,
  LISTENER_NAME,
} from '../../src/store/store-changes.js';
import { DIALECTS, emptyStore, freshPostgresUrl } from '../support/store-dialects.js';

const CHAT = 'a:personal-chat-of-alex';
const ALEX = '0b7c6d52-3d0e-4a52-9c1f-6a0f6f0c1a11';
const reference = {
  conversation: { id: CHAT, conversationType: 'personal', tenantId: 'tenant' },
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  user: { id: '29:alex', aadObjectId: ALEX },
};

/** Runs `statement` with the store's triggers off, so no change is announced (superuser only). */
async function unannounced(store: Store, statement: string): Promise<void> {
  await store.db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await sql.raw(statement).execute(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
    }
  });
}

/** When the chat was marked unreachable, or null. */
const chatBlockedAt = async (store: Store) =>
  (
    await store.db
      .selectFrom('conversationReferences')
      .select('blockedAt')
      .where('conversationId', '=', CHAT)
      .executeTakeFirstOrThrow()
  ).blockedAt;

const addStaff = (store: Store) =>
  sql`insert into staff (email, name, role) values ('iro@example.com', 'Iro One', 'iro')`.execute(
    store.db,
  );

/**
 * The staff list and the chats a server confirmed as stored are kept in memory while the store
 * announces no change to them (LISTEN/NOTIFY, migration 015): a bot turn then reads neither.
 */
describe.each(DIALECTS)('what a server keeps until a change is announced ($name)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
    await vi.waitFor(() => expect(store.changes.live).toBe(true));
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    await emptyStore(store);
    await addStaff(store);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const nameOf = async (reader: ReturnType<typeof createPgCaseReader>) =>
    (await reader.listStaff()).find((s) => s.email === 'iro@example.com')?.name;

  it('keeps the staff list without reading the version, and reads it after a change', async () => {
    const reader = createPgCaseReader(store.db, store.changes);
    expect(await nameOf(reader)).toBe('Iro One');
    // A new version alone would make a reader without announcements read the list again.
    await unannounced(store, `update staff set name = 'Renamed Unannounced'`);
    await sql`update store_meta set value = 'moved on' where key = 'staff-version'`.execute(
      store.db,
    );
    expect(await nameOf(reader)).toBe('Iro One');
    expect(await nameOf(createPgCaseReader(store.db))).toBe('Renamed Unannounced');
    // This store's own change is announced before its statement returns.
    await sql`update staff set name = 'Renamed' where email = 'iro@example.com'`.execute(store.db);
    expect(await nameOf(reader)).toBe('Renamed');
    await store.db.transaction().execute(async (trx) => {
      await sql`update staff set name = 'Renamed In A Transaction'`.execute(trx);
    });
    expect(await nameOf(reader)).toBe('Renamed In A Transaction');
  });

  it('keeps nothing a rolled back transaction wrote, and is told when staff is emptied', async () => {
    const reader = createPgCaseReader(store.db, store.changes);
    expect(await nameOf(reader)).toBe('Iro One');
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`update staff set name = 'Never Committed'`.execute(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await nameOf(reader)).toBe('Iro One');
    await sql`truncate staff cascade`.execute(store.db);
    expect(await reader.listStaff()).toEqual([]);
  });

  const chats = () => createPgConversationRepository(store.db, store.changes);
  const talks = (repository: ReturnType<typeof chats>, aad: string | null = ALEX) =>
    repository.remember({ conversationId: CHAT, scope: 'personal', aadObjectId: aad, reference });
  const blockedAt = () => chatBlockedAt(store);

  it('does not read a chat confirmed as stored again, until a change to it is announced', async () => {
    const repository = chats();
    await talks(repository); // written, so kept
    await unannounced(store, `update conversation_references set blocked_at = now()`);
    await talks(repository);
    expect(await blockedAt()).not.toBeNull(); // not read, so not opened again
    // Another server's turn reads it and opens it again, which is announced: so this server
    // reads it on its next turn, finds it stored as it is, and keeps it.
    await talks(chats());
    expect(await blockedAt()).toBeNull();
    await talks(repository);
    await unannounced(store, `update conversation_references set blocked_at = now()`);
    await talks(repository);
    expect(await blockedAt()).not.toBeNull();
    // A refusal recorded by anyone is announced: the next turn in the chat opens it again.
    await chats().markUnreachable(CHAT, 'not_installed');
    await talks(repository);
    expect(await blockedAt()).toBeNull();
    // So is any other change to the row, or the table emptied.
    await talks(repository);
    await sql`update conversation_references set blocked_at = now()`.execute(store.db);
    await talks(repository);
    expect(await blockedAt()).toBeNull();
    await talks(repository);
    await sql`truncate conversation_references`.execute(store.db);
    await talks(repository);
    expect(await blockedAt()).toBeNull();
  });

  it('reads the version again after a minute, should announcements stop unnoticed', async () => {
    const reader = createPgCaseReader(store.db, store.changes);
    expect(await nameOf(reader)).toBe('Iro One');
    await unannounced(store, `update staff set name = 'Renamed Unannounced'`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 59_000 });
    expect(await nameOf(reader)).toBe('Iro One');
    await sql`update store_meta set value = 'moved on' where key = 'staff-version'`.execute(
      store.db,
    );
    vi.setSystemTime(Date.now() + 2_000);
    expect(await nameOf(reader)).toBe('Renamed Unannounced');
  });

  it('keeps a chat it wrote only if no other change to the chat was announced meanwhile', async () => {
    // A feed of this test's own: the store's notices pass through it, and the plugin announces
    // another session's change to the chat as the write's reply comes back.
    const feed = createChangeFeed();
    feed.setLive(true);
    store.changes.watch('conversation_references', (key, origin) =>
      feed.announce(
        CHANGES_CHANNEL,
        key === null ? 'conversation_references' : `conversation_references:${key}`,
        origin,
      ),
    );
    let interfere = false;
    const inserts = new WeakSet<object>();
    const plugin: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        if (node.kind === 'InsertQueryNode') inserts.add(queryId);
        return node;
      },
      transformResult: async ({ result, queryId }) => {
        if (interfere && inserts.has(queryId))
          feed.announce(CHANGES_CHANNEL, `conversation_references:${CHAT}`, 'other');
        return result;
      },
    };
    const repository = () => createPgConversationRepository(store.db.withPlugin(plugin), feed);

    const quiet = repository();
    await talks(quiet); // written, nothing else announced: kept
    await unannounced(store, `update conversation_references set blocked_at = now()`);
    await talks(quiet);
    expect(await blockedAt()).not.toBeNull();

    await sql`truncate conversation_references`.execute(store.db);
    interfere = true;
    const busy = repository();
    await talks(busy); // written, but another change to the chat was announced: not kept
    await unannounced(store, `update conversation_references set blocked_at = now()`);
    await talks(busy);
    expect(await blockedAt()).toBeNull();
  });

  it('reads a confirmed chat again when its hour is up, or when the turn names another user', async () => {
    const repository = chats();
    await talks(repository);
    await talks(repository);
    await unannounced(store, `update conversation_references set blocked_at = now()`);
    await talks(repository, 'another-user');
    expect(await blockedAt()).toBeNull();

    await talks(repository); // Alex again: written
    await talks(repository); // read, stored as it is: kept
    await unannounced(store, `update conversation_references set blocked_at = now()`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 59 * 60_000 });
    await talks(repository);
    expect(await blockedAt()).not.toBeNull();
    vi.setSystemTime(Date.now() + 2 * 60_000);
    await talks(repository);
    expect(await blockedAt()).toBeNull();
  });
});

/** Two servers on one PostgreSQL database, each with the connection it listens on. */
describe.runIf(process.env['DATABASE_URL'])('changes announced between two servers', () => {
  let one: Store;
  let two: Store;
  let drop: () => Promise<void>;
  let url: string;
  const lost: string[] = [];
  beforeAll(async () => {
    const fresh = await freshPostgresUrl();
    drop = fresh.drop;
    url = fresh.url;
    one = await openStore({ kind: 'postgres', databaseUrl: fresh.url, maxConnections: 2 });
    two = await openStore({
      kind: 'postgres',
      databaseUrl: fresh.url,
      maxConnections: 2,
      onConnectionLost: (_error, connection) => lost.push(connection),
    });
    await addStaff(one);
    await vi.waitFor(() => expect(one.changes.live && two.changes.live).toBe(true));
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await drop?.();
  });

  it("sees the other server's change to staff and to a chat", async () => {
    const reader = createPgCaseReader(two.db, two.changes);
    const name = async () =>
      (await reader.listStaff()).find((s) => s.email === 'iro@example.com')?.name;
    expect(await name()).toBe('Iro One');
    await sql`update staff set name = 'Renamed On One'`.execute(one.db);
    await expect.poll(name).toBe('Renamed On One');

    const chats = createPgConversationRepository(two.db, two.changes);
    const talks = () =>
      chats.remember({ conversationId: CHAT, scope: 'personal', aadObjectId: ALEX, reference });
    await talks();
    await talks();
    await createPgConversationRepository(one.db, one.changes).markUnreachable(
      CHAT,
      'not_installed',
    );
    await expect
      .poll(async () => {
        await talks();
        return chatBlockedAt(one);
      })
      .toBeNull();
  });

  it('keeps nothing while its listening connection is down, and listens again', async () => {
    const reader = createPgCaseReader(two.db, two.changes);
    const name = async () =>
      (await reader.listStaff()).find((s) => s.email === 'iro@example.com')?.name;
    await name();
    // The server ends both servers' listening connections (a restart or failover would).
    const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    try {
      const ended = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = $1 and datname = $2`,
        [LISTENER_NAME, new URL(url).pathname.slice(1)],
      );
      expect(ended.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await expect.poll(() => lost).toEqual(['changes']);
    expect(two.changes.live).toBe(false);
    // Not live: a change made unannounced is seen, since the list is read under its version.
    await unannounced(one, `update staff set name = 'Renamed Unannounced'`);
    await sql`update store_meta set value = 'moved on' where key = 'staff-version'`.execute(one.db);
    expect(await name()).toBe('Renamed Unannounced');
    await expect.poll(() => two.changes.live, { timeout: 5000 }).toBe(true);
    await sql`update staff set name = 'Renamed Once Listening'`.execute(one.db);
    await expect.poll(name).toBe('Renamed Once Listening');
  });

  it('finds a listening connection that went silent, and listens again', async () => {
    // A TCP relay to the server that, when frozen, passes nothing on and closes nothing, as a
    // dropped network path or a failed-over host does.
    let frozen = false;
    const sockets: Socket[] = [];
    const server = url ? new URL(url) : undefined;
    const relay: Server = createServer((inbound) => {
      const outbound = connect(Number(server!.port || 5432), server!.hostname);
      sockets.push(inbound, outbound);
      inbound.on('data', (chunk) => frozen || outbound.write(chunk));
      outbound.on('data', (chunk) => frozen || inbound.write(chunk));
      inbound.on('error', () => undefined);
      outbound.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(url);
    relayed.host = `127.0.0.1:${(relay.address() as { port: number }).port}`;
    const feed = createChangeFeed();
    const lostHere: unknown[] = [];
    const listener = listenOnPostgres(relayed.toString(), feed, {
      ownBackend: () => false,
      onConnectionLost: (error) => lostHere.push(error),
      heartbeat: { everyMs: 200, timeoutMs: 300 },
    });
    try {
      await vi.waitFor(() => expect(feed.live).toBe(true));
      frozen = true;
      await vi.waitFor(() => expect(feed.live).toBe(false), { timeout: 3000 });
      expect(lostHere).toHaveLength(1);
      frozen = false;
      await vi.waitFor(() => expect(feed.live).toBe(true), { timeout: 5000 });
    } finally {
      await listener.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});
