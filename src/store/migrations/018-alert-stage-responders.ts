import { sql, type Kysely } from 'kysely';

/**
 * Who was asked to respond at each stage of a practice alert, on the step that starts the stage
 * (raised, movedOn), so that the managers who had it are told when it moves on or is closed.
 * Alerts already stored get the manager who responded at the stage, else, for the stage they
 * are at now, the manager it waits for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table escalation_steps add column responder_email text`.execute(db);
  await sql`update escalation_steps s set responder_email = coalesce(
      (select r.actor_email from escalation_steps r
        where r.escalation_id = s.escalation_id and r.stage = s.stage and r.action = 'responded'
        order by r.id limit 1),
      (select e.responder_email from escalations e
        where e.id = s.escalation_id and e.stage = s.stage))
    where s.action in ('raised', 'movedOn')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table escalation_steps drop column if exists responder_email`.execute(db);
}
