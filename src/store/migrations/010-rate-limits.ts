import { sql, type Kysely } from 'kysely';

/**
 * Request counts per caller and one-minute window, shared by every instance: the tab's API, the
 * bot and the demo sign-in each count a caller's requests here (src/app/rate-limits.ts). Keys are
 * ids (an Entra object id, a Teams user id, a client address), never a name. Windows older than
 * the last one are deleted as the counting goes on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table rate_limits (
    key text not null,
    window_start timestamptz not null,
    count integer not null,
    primary key (key, window_start)
  )`.execute(db);
  await sql`create index rate_limits_window_start on rate_limits (window_start)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists rate_limits`.execute(db);
}
