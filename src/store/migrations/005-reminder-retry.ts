import { sql, type Kysely } from 'kysely';

/**
 * A recording form Teams refused to deliver is sent again later, not counted as sent: how often
 * it was tried, when it may be tried next, and when the chair turned out to have blocked the bot
 * (then it is not tried again). A 1:1 chat the bot cannot post to records why.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reviews add column reminder_attempts integer not null default 0`.execute(
    db,
  );
  await sql`alter table reviews add column reminder_retry_at timestamptz`.execute(db);
  await sql`alter table reviews add column reminder_blocked_at timestamptz`.execute(db);
  await sql`alter table conversation_references add column blocked_reason text
    check (blocked_reason in ('not_installed', 'blocked_by_user'))`.execute(db);
  await sql`update conversation_references set blocked_reason = 'not_installed' where blocked_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table conversation_references drop column if exists blocked_reason`.execute(db);
  await sql`alter table reviews drop column if exists reminder_blocked_at`.execute(db);
  await sql`alter table reviews drop column if exists reminder_retry_at`.execute(db);
  await sql`alter table reviews drop column if exists reminder_attempts`.execute(db);
}
