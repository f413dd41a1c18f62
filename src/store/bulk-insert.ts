import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';

/** One column of a bulk insert: its SQL name, its type, and how to read it from a row. */
export interface BulkColumn<Row> {
  name: string;
  type: 'text' | 'date' | 'boolean' | 'integer' | 'smallint';
  value: (row: Row) => string | number | boolean | null;
}

const ROWS_PER_STATEMENT = 5000;

/**
 * Inserts rows that are known to be new (no conflict handling): one statement per 5,000 rows, each
 * column sent as one array and spread by `unnest`, so the server parses one small statement
 * instead of a VALUES list with a parameter per cell. Table and column names come from the code,
 * never from input.
 */
export function bulkInsert<Row>(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: readonly Row[],
): Promise<void> {
  return insertChunks(db, table, columns, rows, sql``);
}

/**
 * As `bulkInsert`, for rows that may be stored already: a row whose `key` column is taken
 * replaces the stored row's other columns and sets its `updated_at` (which the table must have).
 */
export function bulkUpsert<Row>(
  db: Kysely<Database>,
  table: string,
  key: string,
  columns: readonly BulkColumn<Row>[],
  rows: readonly Row[],
): Promise<void> {
  const set = [
    ...columns.filter((c) => c.name !== key).map((c) => `${c.name} = excluded.${c.name}`),
    'updated_at = now()',
  ].join(', ');
  return insertChunks(
    db,
    table,
    columns,
    rows,
    sql.raw(` on conflict (${key}) do update set ${set}`),
  );
}

async function insertChunks<Row>(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: readonly Row[],
  onConflict: RawBuilder<unknown>,
): Promise<void> {
  const names = sql.raw(columns.map((c) => c.name).join(', '));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const arrays = columns.map(
      (c) => sql`${chunk.map((row) => c.value(row))}::${sql.raw(c.type)}[]`,
    );
    await sql`insert into ${sql.raw(table)} (${names}) select * from unnest(${sql.join(arrays)})${onConflict}`.execute(
      db,
    );
  }
}
