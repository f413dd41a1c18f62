import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';

/** One column of a bulk insert: its SQL name, its type, and how to read it from a row. */
export interface BulkColumn<Row> {
  name: string;
  type: 'text' | 'date' | 'boolean' | 'integer' | 'smallint';
  value: (row: Row) => string | number | boolean | null;
}

const ROWS_PER_STATEMENT = 5000;
const ROWS_PER_COPY = 25_000;

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

/** Rows known to be new for one table, as `bulkInsert` takes them. */
export interface BulkRows<Row> {
  table: string;
  columns: readonly BulkColumn<Row>[];
  rows: readonly Row[];
}

/** One table's rows for `bulkInsertTables`, whose columns read rows of this one type. */
export function bulkRows<Row>(
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: readonly Row[],
): BulkRows<unknown> {
  return { table, columns, rows } as BulkRows<unknown>;
}

/**
 * A trigger that fires on insert into one of the tables but does nothing for the rows a caller
 * inserts, and why (a review of the caller's rows, not of the trigger alone). Its definition as
 * `pg_get_triggerdef` gives it: a trigger of that name defined otherwise is not taken as quiet.
 */
export interface QuietTrigger {
  table: string;
  trigger: string;
  definition: string;
  because: string;
}

export interface BulkInsertOptions {
  /**
   * The store has one session, PGlite's: nothing else can run while these rows are written, so
   * the indexes of empty tables may be built again after them and the foreign keys checked once
   * (see `bulkInsertTables`). False on a PostgreSQL server, whose rows are copied all the same.
   */
  singleSession: boolean;
  /** Insert triggers of the tables known to do nothing for these rows. */
  quietTriggers: readonly QuietTrigger[];
  /** Told before and after each table's rows are written. */
  onTable?: (table: string, done: boolean) => void;
}

/** What `bulkInsertTables` did besides inserting. */
export interface BulkInsertDone {
  /** The foreign keys were checked once for all rows, not row by row. */
  keysCheckedOnce: boolean;
  /** Indexes dropped before the rows were written and built again after. */
  indexesRebuilt: string[];
}

/** A single-column foreign key of one of the tables, as the catalogue describes it. */
interface ForeignKey {
  name: string;
  table: string;
  column: string;
  refTable: string;
  refColumn: string;
}

/**
 * Inserts new rows into several tables, in the order given, following PostgreSQL's advice for
 * populating a database ("Populating a Database" in its manual): the first lever on any engine,
 * the other two with `singleSession` (PGlite). A first import of 121,500 children (a million rows)
 * took 34.5 and 36.3 s on PGlite with all three, and 53.0 s without COPY, 40.9 s without the index
 * rebuild, 49.2 s without the one-time key check (one run each, same machine, the others on); on
 * a PostgreSQL server 42.5 s with COPY, 50.5 s with inserts from arrays.
 *
 * - **Rows are written by COPY** (`copyChunks`), not inserted from arrays. COPY takes the same
 *   locks, and fires the same triggers and key checks, as an insert. PostgreSQL refuses it into a
 *   table whose row-level security applies to the role: such a table's rows are inserted.
 * - **Indexes of a table that was empty** (a first import) are dropped and built again once the
 *   rows are in: building an index from all its rows is much cheaper than adding the rows one by
 *   one (on PGlite, `reviews`' nine indexes made copying its rows 5.5 times slower). Indexes
 *   that back a constraint (primary keys, unique constraints) stay; a unique index built again
 *   still refuses duplicates (23505).
 * - **Foreign keys are checked once for all the rows**, not row by row. PostgreSQL checks a foreign
 *   key with a trigger per inserted row that looks the referenced row up and locks it. Here the
 *   rows are written with triggers off (`session_replication_role = replica`, which PGlite's
 *   superuser may set), then each referenced key is looked up once for all the rows of all the
 *   tables; a missing one raises in the transaction the error PostgreSQL would have (23503,
 *   naming the constraint of the first table written that breaks one), which aborts it.
 *
 * Why only with one session: the row-by-row check also locks each referenced row so that no other
 * session deletes it before this transaction commits, and a dropped index leaves other sessions
 * without it (or waiting on this one's lock) until the commit. PGlite has one session, this one.
 * On a PostgreSQL server they would take the same import from 42.5 to 33.1 s (the index rebuild)
 * and 23.3 s (both, as a superuser; one run each, 3 December), at the price of every other
 * session waiting for the import to commit before it may read those tables.
 *
 * Turning triggers off turns off every trigger, not only the keys' own. So that lever is used only
 * when the catalogue shows no other enabled insert trigger on these tables than the caller's
 * `quietTriggers`, every foreign key has one column and that column is among the inserted ones,
 * and the role may set the parameter; otherwise PostgreSQL checks the keys row by row. The tests
 * check that both levers are used with the schema as it is, and that a trigger added later makes
 * the second step aside. After any error the caller's transaction must be rolled back (as
 * Kysely's `transaction().execute` does): until then it may be without its indexes or triggers.
 */
export async function bulkInsertTables(
  db: Kysely<Database>,
  tables: readonly BulkRows<unknown>[],
  options: BulkInsertOptions,
): Promise<BulkInsertDone> {
  const names = [...new Set(tables.map((t) => t.table))];
  // Outside a transaction, a dropped index would stay dropped if a row were refused.
  if (options.singleSession && !db.isTransaction)
    throw new Error('bulkInsertTables with singleSession runs inside a transaction.');
  const keys = options.singleSession
    ? await keysToCheckOnce(db, tables, names, options.quietTriggers)
    : null;
  const indexes = options.singleSession ? await indexesOfEmptyTables(db, names) : [];
  for (const index of indexes) await sql`drop index ${sql.raw(index.name)}`.execute(db);
  const guarded = await rowSecurityActive(db, names);
  if (keys) await sql`set local session_replication_role = replica`.execute(db);
  for (const t of tables) {
    options.onTable?.(t.table, false);
    if (guarded.has(t.table)) await insertChunks(db, t.table, t.columns, t.rows, sql``);
    else await copyChunks(db, t.table, t.columns, t.rows);
    options.onTable?.(t.table, true);
  }
  if (keys) await sql`set local session_replication_role to default`.execute(db);
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  if (keys) await checkKeys(db, tables, keys);
  return { keysCheckedOnce: keys !== null, indexesRebuilt: indexes.map((i) => i.name) };
}

/**
 * Writes rows with COPY ... FROM STDIN (both dialects take the rows as the statement's one
 * parameter: `copy-from-stdin.ts`), 25,000 rows a statement: PostgreSQL reads each value with its
 * column's type, where an insert from arrays had every value quoted into an array's text, then
 * parsed out of it, then spread by `unnest` (a copy of Reviews.csv's 561,841 rows took 3.3 s where
 * the insert took 5.1).
 */
async function copyChunks<Row>(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: readonly Row[],
): Promise<void> {
  const statement = `copy ${table} (${columns.map((c) => c.name).join(', ')}) from stdin`;
  for (let i = 0; i < rows.length; i += ROWS_PER_COPY) {
    let data = '';
    for (const row of rows.slice(i, i + ROWS_PER_COPY)) {
      data += columns.map((c) => copyText(c.value(row))).join('\t') + '\n';
    }
    await db.executeQuery(CompiledQuery.raw(statement, [data]));
  }
}

/**
 * The tables whose row-level security policies apply to the current role. PostgreSQL refuses COPY
 * FROM into them ("COPY FROM not supported with row-level security"): their rows are inserted,
 * and each is checked against the policies as any insert is. The schema has no policy; a council
 * that adds some still imports.
 */
async function rowSecurityActive(
  db: Kysely<Database>,
  names: readonly string[],
): Promise<Set<string>> {
  const { rows } = await sql<{ table: string }>`
    select t as table from unnest(${names}::text[]) t
    where row_security_active(t::regclass)`.execute(db);
  return new Set(rows.map((r) => r.table));
}

/** A value as COPY's text format writes it: `\N` for null, backslash escapes for the rest. */
function copyText(value: string | number | boolean | null): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeCopy) : value;
}

function escapeCopy(c: string): string {
  return c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r';
}

/**
 * The indexes of those tables that hold no row, other than those backing a constraint, with the
 * statement that builds each again (names and statements from the catalogue, quoted there). Only
 * of tables the role owns (or whose owner it is a member of): no other may drop an index.
 */
async function indexesOfEmptyTables(
  db: Kysely<Database>,
  names: readonly string[],
): Promise<{ name: string; definition: string }[]> {
  const out: { name: string; definition: string }[] = [];
  for (const table of names) {
    const { rows: held } = await sql<{
      any: boolean;
    }>`select exists (select 1 from ${sql.id(table)}) as any`.execute(db);
    if (held[0]?.any !== false) continue;
    const { rows } = await sql<{ name: string; definition: string }>`
      select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class t on t.oid = i.indrelid
      where i.indrelid = ${table}::regclass
        and pg_has_role(t.relowner, 'usage')
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by 1`.execute(db);
    out.push(...rows);
  }
  return out;
}

/** The foreign keys to check once, or null when the rows must be inserted with the row checks. */
async function keysToCheckOnce(
  db: Kysely<Database>,
  tables: readonly BulkRows<unknown>[],
  names: readonly string[],
  quiet: readonly QuietTrigger[],
): Promise<ForeignKey[] | null> {
  const { rows: role } = await sql<{
    allowed: boolean;
  }>`select current_setting('is_superuser') = 'on' as allowed`.execute(db);
  if (!role[0]?.allowed) return null;
  // Enabled triggers that fire on insert (tgtype bit 2), other than the foreign keys' own checks.
  const { rows: triggers } = await sql<{ table: string; trigger: string; definition: string }>`
    select t.tgrelid::regclass::text as table, t.tgname as trigger,
      pg_get_triggerdef(t.oid) as definition
    from pg_trigger t
    where t.tgrelid = any(${names}::text[]::regclass[]) and t.tgenabled <> 'D' and t.tgtype & 4 <> 0
      and not (t.tgisinternal and exists (
        select 1 from pg_constraint c where c.oid = t.tgconstraint and c.contype = 'f'))`.execute(
    db,
  );
  const isQuiet = (t: { table: string; trigger: string; definition: string }) =>
    quiet.some(
      (q) => q.table === t.table && q.trigger === t.trigger && q.definition === t.definition,
    );
  if (!triggers.every(isQuiet)) return null;
  const { rows: keys } = await sql<ForeignKey & { columns: number }>`
    select c.conname as name, c.conrelid::regclass::text as table, a.attname as column,
      c.confrelid::regclass::text as "refTable", quote_ident(r.attname) as "refColumn",
      cardinality(c.conkey) as columns
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute r on r.attrelid = c.confrelid and r.attnum = c.confkey[1]
    where c.contype = 'f' and c.conrelid = any(${names}::text[]::regclass[])
    order by c.conname`.execute(db);
  // Every table of each key must be one of the caller's as the caller spells it: a table named
  // otherwise (`public.children`) would have its key skipped.
  const inserted = (key: ForeignKey) => {
    const of = tables.filter((t) => t.table === key.table);
    return of.length > 0 && of.every((t) => t.columns.some((c) => c.name === key.column));
  };
  if (!keys.every((k) => k.columns === 1 && inserted(k))) return null;
  // In the order the rows are written, so that the key named is the one PostgreSQL would name.
  const order = (key: ForeignKey) => tables.findIndex((t) => t.table === key.table);
  return keys
    .sort((a, b) => order(a) - order(b))
    .map(({ name, table, column, refTable, refColumn }) => ({
      name,
      table,
      column,
      refTable,
      refColumn,
    }));
}

/**
 * Looks each referenced key up once: the foreign keys that refer to the same column are checked
 * together, and only when a key is missing is each checked apart, to name the one the rows break.
 */
async function checkKeys(
  db: Kysely<Database>,
  tables: readonly BulkRows<unknown>[],
  keys: readonly ForeignKey[],
): Promise<void> {
  const byReference = new Map<string, ForeignKey[]>();
  for (const key of keys) {
    const to = `${key.refTable}.${key.refColumn}`;
    byReference.set(to, [...(byReference.get(to) ?? []), key]);
  }
  const broken: ForeignKey[] = [];
  for (const group of byReference.values()) {
    if ((await missingKeys(db, tables, group)) === 0) continue;
    for (const key of group) if ((await missingKeys(db, tables, [key])) > 0) broken.push(key);
  }
  const first = keys.find((key) => broken.includes(key));
  if (first) await raiseForeignKeyViolation(db, first);
}

/**
 * How many of the keys that the rows name through these foreign keys (all referring to one
 * column) the referenced table lacks: the distinct keys are sent as one array.
 */
async function missingKeys(
  db: Kysely<Database>,
  tables: readonly BulkRows<unknown>[],
  keys: readonly ForeignKey[],
): Promise<number> {
  const values = new Set<string | number | boolean>();
  let type: BulkColumn<unknown>['type'] = 'text';
  for (const key of keys) {
    for (const t of tables.filter((t) => t.table === key.table)) {
      const column = t.columns.find((c) => c.name === key.column) as BulkColumn<unknown>;
      type = column.type;
      for (const row of t.rows) {
        const value = column.value(row);
        if (value !== null) values.add(value);
      }
    }
  }
  if (values.size === 0) return 0;
  const { refTable, refColumn } = keys[0] as ForeignKey;
  // Names from the catalogue, quoted there (regclass, quote_ident).
  const { rows } = await sql<{ missing: number }>`
    select count(*)::int as missing from unnest(${[...values]}::${sql.raw(type)}[]) as k(v)
    where not exists (
      select 1 from ${sql.raw(refTable)} r where r.${sql.raw(refColumn)} = k.v)`.execute(db);
  return rows[0]?.missing ?? 0;
}

/**
 * Raises PostgreSQL's own error for a broken foreign key (23503, with the table and constraint,
 * its message naming no value) in the transaction, so that it is aborted as PostgreSQL's check
 * would have aborted it: nothing can be committed after it, whatever the caller catches.
 */
async function raiseForeignKeyViolation(db: Kysely<Database>, key: ForeignKey): Promise<void> {
  // Names from the catalogue, as literals inside the block (DO takes no parameters).
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const message = `insert or update on table "${key.table}" violates foreign key constraint "${key.name}"`;
  await sql
    .raw(
      `do $bulk$ begin raise sqlstate '23503' using message = ${literal(message)},
        table = ${literal(key.table)}, constraint = ${literal(key.name)}; end $bulk$`,
    )
    .execute(db);
}
