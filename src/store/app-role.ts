import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * What the app's own PostgreSQL role may do, granted by the schema owner after each migration
 * (idempotent): read and write every table of the schema and use its sequences; on `audit_log`
 * only SELECT and INSERT (no UPDATE, DELETE or TRUNCATE; and not being the owner, it cannot turn
 * the append-only trigger off or drop the table); on Kysely's migration tables only SELECT, so
 * that it can see that no migration is pending. Nothing is granted when the app connects as the
 * owner itself (a one-role deployment).
 */
export async function grantAppRole(owner: Kysely<Database>, appRole: string): Promise<boolean> {
  const { rows } = await sql<{
    owner: string;
    schema: string;
  }>`select current_user as owner, current_schema() as schema`.execute(owner);
  const me = rows[0];
  if (!me || !appRole || appRole === me.owner) return false;
  const role = sql.id(appRole);
  const schema = sql.id(me.schema);
  const statements = [
    sql`grant usage on schema ${schema} to ${role}`,
    sql`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`,
    sql`grant usage, select on all sequences in schema ${schema} to ${role}`,
    sql`revoke update, delete, truncate, references, trigger on ${schema}.audit_log from ${role}`,
    sql`revoke insert, update, delete, truncate, references, trigger on ${schema}.kysely_migration, ${schema}.kysely_migration_lock from ${role}`,
  ];
  for (const statement of statements) await statement.execute(owner);
  return true;
}
