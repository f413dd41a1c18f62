import { sql, type Kysely } from 'kysely';

/**
 * Practice alerts as a journey: the concern, the decision it is about, the stage with its due date
 * and who must respond, and every step (raised, responded, moved on, resolved) with its note.
 * A review record marked distributed, for the 15-working-day measure.
 */
const STATEMENTS: string[] = [
  `alter table escalations add column iro_email text`,
  `alter table escalations add column issue text`,
  `alter table escalations add column action_wanted text`,
  `alter table escalations add column decision_id integer references review_decisions (id) on delete set null`,
  `alter table escalations add column midway_check_id integer references midway_checks (id) on delete set null`,
  `alter table escalations add column stage_started_on date`,
  `alter table escalations add column stage_due_on date`,
  `alter table escalations add column responder_email text`,
  `alter table escalations add constraint escalations_outcome_check check (outcome in ('resolved', 'cafcass', 'withdrawn'))`,
  `create index escalations_child on escalations (child_id)`,
  `create index escalations_open on escalations (stage_due_on) where resolved_on is null`,
  `
create table escalation_steps (
  id serial primary key,
  escalation_id integer not null references escalations (id) on delete cascade,
  at timestamptz not null,
  actor_email text not null,
  action text not null check (action in ('raised', 'responded', 'movedOn', 'resolved')),
  stage text not null,
  note text
)
  `,
  `create index escalation_steps_escalation on escalation_steps (escalation_id)`,
  `alter table reviews add column record_distributed_on date`,
  `create index review_decisions_review on review_decisions (review_id)`,
  `create index review_decisions_due on review_decisions (due_on)`,
  `create index reviews_booked on reviews (scheduled_start) where status = 'scheduled'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reviews_booked`.execute(db);
  await sql`drop index if exists review_decisions_due`.execute(db);
  await sql`drop index if exists review_decisions_review`.execute(db);
  await sql`alter table reviews drop column if exists record_distributed_on`.execute(db);
  await sql`drop table if exists escalation_steps`.execute(db);
  await sql`drop index if exists escalations_open`.execute(db);
  await sql`drop index if exists escalations_child`.execute(db);
  await sql`alter table escalations drop constraint if exists escalations_outcome_check`.execute(
    db,
  );
  for (const column of [
    'responder_email',
    'stage_due_on',
    'stage_started_on',
    'midway_check_id',
    'decision_id',
    'action_wanted',
    'issue',
    'iro_email',
  ]) {
    await sql`alter table escalations drop column if exists ${sql.ref(column)}`.execute(db);
  }
}
