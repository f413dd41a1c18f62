import { sql, type Kysely } from 'kysely';

/**
 * A manager's level in the council (Staff.csv LEVEL), lowest first: team_manager, service_manager,
 * head_of_service, assistant_director, director. A practice alert's formal and head of service
 * stages go up the manager chain to the first person at that level, where the staff list gives
 * levels. Null for everyone the file gives no level, and for every row imported before it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff add column level text
    constraint staff_level check (level in
      ('team_manager', 'service_manager', 'head_of_service', 'assistant_director', 'director'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff drop column if exists level`.execute(db);
}
