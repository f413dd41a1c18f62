import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Database } from './database.js';
import { grantAppRole } from './app-role.js';
import { migrationProvider } from './migrations/index.js';
import { closeToOthers, createFilesForOwnerOnly } from './owner-only.js';
import { PgliteDialect } from './pglite-dialect.js';
import { CopyingClient } from './pg-copy-client.js';
import {
  createChangeFeed,
  LISTEN_FOR_CHANGES,
  listenOnPostgres,
  type StoreChanges,
} from './store-changes.js';

export type StoreKind = 'pglite' | 'postgres';

/** Which of the store's connections to a PostgreSQL server the server ended. */
export type LostConnection = 'idle' | 'in use' | 'changes';

export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: StoreKind;
  /** Where the data lives, for logs: a folder for PGlite, host/db for PostgreSQL (no password). */
  readonly location: string;
  /** What other transactions changed, for readers that keep what they read (`store-changes.ts`). */
  readonly changes: StoreChanges;
  close(): Promise<void>;
}

export type StoreOptions =
  | { kind: 'pglite'; dataDir: string | null }
  | {
      kind: 'postgres';
      databaseUrl: string;
      /**
       * The schema owner's connection (DATABASE_MIGRATION_URL): migrations run through it, and
       * the app's own role (DATABASE_URL) is granted what it needs and no more.
       */
      migrationUrl?: string;
      maxConnections?: number;
      /** How long a query waits for a connection before it fails (`CONNECT_TIMEOUT_MS`). */
      connectTimeoutMs?: number;
      /**
       * Told when the server ends one of the store's connections (a restart, a failover, an
       * administrator): one that sat idle in the pool or was in use (its query fails; the pool
       * drops it and opens another for the next query), or the one that listens for changes
       * (`changes`; it connects again).
       */
      onConnectionLost?: (error: Error & { code?: string }, connection: LostConnection) => void;
    };

/** How long a query waits for a connection to a PostgreSQL server, new or from the pool. */
export const CONNECT_TIMEOUT_MS = 10_000;

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Dates stay `YYYY-MM-DD` strings (no time zone drift); counts and numerics become numbers. */
const PARSERS: Record<number, (value: string) => unknown> = {
  [DATE_OID]: (v) => v,
  [INT8_OID]: (v) => Number(v),
  [NUMERIC_OID]: (v) => Number(v),
};

/**
 * Opens the store and brings its schema up to date. PGlite (embedded PostgreSQL) keeps its files
 * in `dataDir`, or in memory when `dataDir` is null; a PostgreSQL server is reached through `pg`.
 *
 * On PostgreSQL with a `migrationUrl`, the migrations run as the schema owner and the app's role
 * gets only the rights of `grantAppRole`: it can never change or empty the audit log, nor turn its
 * trigger off. Without one, the app's role runs the migrations itself, and needs no more than
 * SELECT on Kysely's two migration tables when none is pending.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'postgres' && options.migrationUrl) {
    const store = openPostgres({ ...options, listen: true });
    try {
      const { rows } = await sql<{ role: string }>`select current_user as role`.execute(store.db);
      const owner = openPostgres({
        databaseUrl: options.migrationUrl,
        maxConnections: 1,
        listen: false,
      });
      try {
        await migrate(owner.db);
        await grantAppRole(owner.db, rows[0]?.role ?? '');
      } finally {
        await owner.close();
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  const store =
    options.kind === 'pglite'
      ? await openPglite(options.dataDir)
      : openPostgres({ ...options, listen: true });
  try {
    await migrate(store.db);
    if (options.kind === 'pglite' && options.dataDir) await closeToOthers(options.dataDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * PGlite's pages live in this process's memory and the machine's file cache, so reading a page
 * at random costs about what reading the next one does: with PostgreSQL's default (4, for
 * spinning disks) the planner hashed whole tables of allocations and children to join a
 * service's 3,000 children instead of looking each one up by its index.
 */
const PGLITE_OPTIONS = {
  parsers: PARSERS,
  startParams: [
    ...PGlite.defaultStartParams,
    '-c',
    'random_page_cost=1.1',
    ...planCacheMode(process.env['PGLITE_PLAN_CACHE_MODE']),
  ],
};

/**
 * The PGlite dialect prepares each query once, and PostgreSQL soon plans it without its values
 * (a generic plan). A statement whose meaning needs the values at planning time (an ON CONFLICT
 * naming a partial index by a parameter) then fails, but only from its sixth run. The tests set
 * PGLITE_PLAN_CACHE_MODE=force_generic_plan so that every statement they run is planned
 * generically at once; nothing else should set it.
 */
function planCacheMode(mode: string | undefined): string[] {
  if (mode === undefined || mode === '') return [];
  if (!['auto', 'force_generic_plan', 'force_custom_plan'].includes(mode))
    throw new Error(
      `PGLITE_PLAN_CACHE_MODE is '${mode}': leave it unset, or use auto, force_generic_plan or force_custom_plan`,
    );
  return ['-c', `plan_cache_mode=${mode}`];
}

/**
 * PGlite in `dataDir`, or in memory. DATA_DIR and everything in it is for the app's own account
 * only (folders 0700, files 0600): checked when the store opens, after its schema is brought up
 * to date and when it closes, since PGlite writes some files with wider modes of its own.
 */
async function openPglite(dataDir: string | null): Promise<Store> {
  let pglite: PGlite;
  const root = dataDir ? path.resolve(dataDir) : null;
  if (root) {
    createFilesForOwnerOnly();
    const dir = path.join(root, 'pglite');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await closeToOthers(root);
    pglite = await PGlite.create(dir, PGLITE_OPTIONS);
    await closeToOthers(root);
  } else {
    pglite = await PGlite.create(PGLITE_OPTIONS);
  }
  // PGlite is this process's alone: every change is made here, and its notice is handed on
  // before the statement that made it returns (the dialect reads it from the same reply).
  const changes = createChangeFeed();
  await pglite.exec(LISTEN_FOR_CHANGES);
  changes.setLive(true);
  const db = new Kysely<Database>({
    dialect: new PgliteDialect(pglite, (channel, payload) =>
      changes.announce(channel, payload, 'own'),
    ),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    kind: 'pglite',
    location: root ?? 'memory',
    changes,
    close: async () => {
      await db.destroy();
      if (root) await closeToOthers(root);
    },
  };
}

function openPostgres(options: {
  databaseUrl: string;
  maxConnections?: number;
  connectTimeoutMs?: number;
  onConnectionLost?: (error: Error & { code?: string }, connection: LostConnection) => void;
  /** Listen for the changes of other transactions (not for the schema owner's short session). */
  listen: boolean;
}): Store {
  const pool = new pg.Pool({
    // Its clients take COPY ... FROM STDIN with the rows as a parameter, as PGlite's dialect does.
    Client: CopyingClient,
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    // A server that does not answer (a failover under way, a network that drops its packets)
    // fails a query within this time instead of holding its turn or page for good; so does a pool
    // whose every connection stays busy that long. node-postgres's default is to wait for ever.
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    // Keepalives find a connection whose server went away without closing it (a failover moves
    // the server's address), before a query is sent down it.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        const parser = PARSERS[oid];
        return parser ?? pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client whose connection the server ends emits 'error'; with no listener, node-postgres's
  // documentation warns, that error stops the whole process. The pool listens to its idle
  // clients and passes their errors on; a client in use (a query or a transaction under way when
  // the server restarts or an administrator ends its backend) has only this listener: its query
  // rejects, and the pool drops it when it is released.
  pool.on('error', (error: Error & { code?: string }) => options.onConnectionLost?.(error, 'idle'));
  const inUse = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_error, client) => inUse.delete(client));
  pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      if (inUse.has(client)) options.onConnectionLost?.(error, 'in use');
    });
  });
  const changes = createChangeFeed();
  // Other sessions' changes come through a connection of their own (`listenOnPostgres`). Each
  // connection of the pool listens too, for its own changes: PostgreSQL hands a session its own
  // transaction's notice before the reply to its COMMIT, so this instance never reads its own
  // change from what it keeps.
  const poolBackends = new Set<number>();
  if (options.listen) {
    pool.on('connect', (client) => {
      // The backend's own process id, as the notices carry it (a pooler in between would give
      // the client an id of its own). Until LISTEN has succeeded, the connection's notices are
      // left to the listening connection.
      let backend: number | undefined;
      client.on('notification', (notice) => {
        if (notice.processId === backend) changes.announce(notice.channel, notice.payload, 'own');
      });
      client
        .query<{ pid: number }>(`${LISTEN_FOR_CHANGES}; select pg_backend_pid() as pid`)
        .then((results) => {
          const pid = (results as unknown as pg.QueryResult<{ pid: number }>[])[1]?.rows[0]?.pid;
          if (pid === undefined) return;
          backend = pid;
          poolBackends.add(pid);
          client.once('end', () => poolBackends.delete(pid));
        })
        .catch(() => undefined);
    });
  }
  const listener = options.listen
    ? listenOnPostgres(options.databaseUrl, changes, {
        ownBackend: (processId) => poolBackends.has(processId),
        onConnectionLost: (error) => options.onConnectionLost?.(error, 'changes'),
      })
    : undefined;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  const url = new URL(options.databaseUrl);
  return {
    db,
    kind: 'postgres',
    location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
    changes,
    close: async () => {
      await listener?.close();
      await db.destroy();
    },
  };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    if (failed) throw new Error(`Database migration ${failed} failed`, { cause: error });
    // Before any migration ran, the store was not reached (a timeout, a refused connection, an
    // unknown host: the message says which) or PostgreSQL refused to list them (its SQLSTATE
    // here; its message, which the log's serialiser reads through, in the cause).
    const { message, code } = error as Error & { code?: unknown };
    const postgres = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
    throw new Error(
      `The store could not be opened: ${postgres ? `PostgreSQL refused with SQLSTATE ${code}` : message}`,
      { cause: error },
    );
  }
}
