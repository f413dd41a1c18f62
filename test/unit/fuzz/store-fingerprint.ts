import { sql } from 'kysely';
import type { Store } from '../../../src/store/open-store.js';

/** Row count and a hash of every row, per table. */
export type Fingerprint = Record<string, { rows: number; hash: string }>;

const NOT_DATA = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * What the store holds, table by table: row counts and (unless `countsOnly`) an md5 of every
 * row's text. Two fingerprints are equal only when nothing was inserted, deleted or changed.
 * `except` leaves out tables a turn writes whatever it carries (the conversation references).
 */
export async function storeFingerprint(
  db: Store['db'],
  options: { except?: readonly string[]; countsOnly?: boolean } = {},
): Promise<Fingerprint> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  const out: Fingerprint = {};
  for (const { name } of tables.rows) {
    if (NOT_DATA.has(name) || options.except?.includes(name)) continue;
    const row = options.countsOnly
      ? (
          await sql<{ rows: number }>`select count(*)::int as rows from ${sql.table(name)}`.execute(
            db,
          )
        ).rows[0]
      : (
          await sql<{ rows: number; hash: string }>`
            select count(*)::int as rows,
              md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash
            from ${sql.table(name)} t`.execute(db)
        ).rows[0];
    out[name] = { rows: row?.rows ?? -1, hash: (row as { hash?: string } | undefined)?.hash ?? '' };
  }
  return out;
}
