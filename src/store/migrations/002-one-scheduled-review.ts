import { sql, type Kysely } from 'kysely';

/** A child has at most one booked (scheduled, not yet held) review at a time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index reviews_one_scheduled on reviews (child_id) where status = 'scheduled'`.execute(
    db,
  );
  await sql`alter table reviews add column transaction_id text`.execute(db);
  await sql`alter table reviews add column invitees jsonb not null default '[]'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reviews_one_scheduled`.execute(db);
  await sql`alter table reviews drop column if exists transaction_id`.execute(db);
  await sql`alter table reviews drop column if exists invitees`.execute(db);
}
