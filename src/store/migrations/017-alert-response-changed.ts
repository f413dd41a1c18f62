import { sql, type Kysely } from 'kysely';

/**
 * A manager's response to a practice alert is one per stage: sent again with other text, it is
 * kept as a change of that response (`responseChanged`), the first one staying in the alert's
 * record beside it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table escalation_steps drop constraint escalation_steps_action_check`.execute(db);
  await sql`alter table escalation_steps add constraint escalation_steps_action_check
    check (action in ('raised', 'responded', 'responseChanged', 'movedOn', 'resolved'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from escalation_steps where action = 'responseChanged'`.execute(db);
  await sql`alter table escalation_steps drop constraint escalation_steps_action_check`.execute(db);
  await sql`alter table escalation_steps add constraint escalation_steps_action_check
    check (action in ('raised', 'responded', 'movedOn', 'resolved'))`.execute(db);
}
