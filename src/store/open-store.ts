import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Database } from './database.js';
import { migrationProvider } from './migrations/index.js';

export type StoreKind = 'pglite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: StoreKind;
  /** Where the data lives, for logs: a folder for PGlite, host/db for PostgreSQL (no password). */
  readonly location: string;
  close(): Promise<void>;
}

export type StoreOptions =
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'postgres'; databaseUrl: string; maxConnections?: number };

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
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store =
    options.kind === 'pglite' ? await openPglite(options.dataDir) : openPostgres(options);
  try {
    await migrate(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openPglite(dataDir: string | null): Promise<Store> {
  let pglite: PGlite;
  if (dataDir) {
    const dir = path.resolve(dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    pglite = await PGlite.create(dir, { parsers: PARSERS });
  } else {
    pglite = await PGlite.create({ parsers: PARSERS });
  }
  const db = new Kysely<Database>({
    dialect: new PGliteDialect({ pglite }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    kind: 'pglite',
    location: dataDir ? path.resolve(dataDir) : 'memory',
    close: () => db.destroy(),
  };
}

function openPostgres(options: { databaseUrl: string; maxConnections?: number }): Store {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        const parser = PARSERS[oid];
        return parser ?? pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  const url = new URL(options.databaseUrl);
  return {
    db,
    kind: 'postgres',
    location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
    close: () => db.destroy(),
  };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed`, { cause: error });
  }
}
