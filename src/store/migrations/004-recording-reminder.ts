import { sql, type Kysely } from 'kysely';

/** When the chair was sent the recording form in their 1:1 chat because the meeting went quiet. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reviews add column reminder_sent_at timestamptz`.execute(db);
  await sql`create index reviews_awaiting_record on reviews (scheduled_end) where status = 'scheduled' and reminder_sent_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reviews_awaiting_record`.execute(db);
  await sql`alter table reviews drop column if exists reminder_sent_at`.execute(db);
}
