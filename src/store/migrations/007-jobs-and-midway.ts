import { sql, type Kysely } from 'kysely';

/**
 * Work the server does on its own, in a table every instance shares: each job is claimed by one
 * instance at a time (FOR UPDATE SKIP LOCKED, then a lease), done once, and tried again when an
 * instance stopped half way. Jobs carry ids only, never a name or a note.
 *
 * The midway check of each review held: who was asked, when, the reminder, the IRO told of no
 * answer, and the social worker's answer; the progress of each decision records which check it
 * answered.
 */
const STATEMENTS: string[] = [
  `
create table jobs (
  id bigserial primary key,
  kind text not null,
  key text not null unique,
  run_after timestamptz not null,
  state text not null default 'pending' check (state in ('pending', 'done', 'dropped')),
  attempts integer not null default 0,
  locked_until timestamptz,
  locked_by text,
  last_error text,
  outcome text,
  done_at timestamptz,
  created_at timestamptz not null default now()
)
  `,
  `create index jobs_ready on jobs (run_after) where state = 'pending'`,
  `
create table midway_checks (
  id serial primary key,
  review_id integer not null unique references reviews (id) on delete cascade,
  child_id text not null references children (child_id) on delete cascade,
  midway_on date not null,
  sw_email text not null,
  iro_email text not null,
  created_at timestamptz not null default now(),
  prompted_at timestamptz,
  reminded_at timestamptz,
  iro_told_at timestamptz,
  unreachable_told_at timestamptz,
  answered_at timestamptz,
  answered_by text,
  iro_note text
)
  `,
  `create index midway_checks_child on midway_checks (child_id)`,
  `create index review_status_midway on review_status (midway_on)`,
  `alter table decision_progress add column midway_check_id integer references midway_checks (id) on delete cascade`,
  `create index decision_progress_decision on decision_progress (decision_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table decision_progress drop column if exists midway_check_id`.execute(db);
  await sql`drop index if exists decision_progress_decision`.execute(db);
  await sql`drop index if exists review_status_midway`.execute(db);
  await sql`drop table if exists midway_checks, jobs`.execute(db);
}
