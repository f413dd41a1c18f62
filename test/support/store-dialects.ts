import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/open-store.js';

export interface Dialect {
  name: 'pglite' | 'postgres';
  /** A store on a fresh, empty, migrated database; closing it drops that database. */
  open(): Promise<Store>;
}

/** Every store engine the tests run against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const DIALECTS: Dialect[] = [
  { name: 'pglite', open: () => openStore({ kind: 'pglite', dataDir: null }) },
  ...(process.env['DATABASE_URL'] ? [{ name: 'postgres' as const, open: openFreshPostgres }] : []),
];

/** A fresh database on the PostgreSQL server at DATABASE_URL, dropped on close. */
export async function freshPostgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env['DATABASE_URL'];
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `iro_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function openFreshPostgres(): Promise<Store> {
  const { url, drop } = await freshPostgresUrl();
  const store = await openStore({ kind: 'postgres', databaseUrl: url, maxConnections: 4 });
  return {
    ...store,
    close: async () => {
      await store.close();
      await drop();
    },
  };
}

/** Empties every table between tests that share one store (the schema stays). */
export async function emptyStore(store: Store): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_truncate`.execute(store.db);
  await sql`truncate staff, children, episodes, periods_of_care, allocations, reviews, review_attendance,
    review_decisions, decision_progress, escalations, conversation_references, audit_log,
    review_status, store_meta, jobs, midway_checks, escalation_steps restart identity cascade`.execute(store.db);
  await sql`alter table audit_log enable trigger audit_log_no_truncate`.execute(store.db);
}
