import { sql, type Kysely } from 'kysely';

/** What the review meeting itself tells us: when it started and ended, and the card in its chat. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reviews add column meeting_started_at timestamptz`.execute(db);
  await sql`alter table reviews add column meeting_ended_at timestamptz`.execute(db);
  await sql`alter table reviews add column meeting_card_activity_id text`.execute(db);
  await sql`alter table reviews add column recorded_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'meeting_started_at',
    'meeting_ended_at',
    'meeting_card_activity_id',
    'recorded_at',
  ]) {
    await sql`alter table reviews drop column if exists ${sql.raw(column)}`.execute(db);
  }
}
