import { sql, type Kysely } from 'kysely';

const STATEMENTS: string[] = [
  `
create table staff (
  email text primary key check (email = lower(email)),
  name text not null,
  role text not null check (role in ('iro', 'social_worker', 'team_manager', 'service_manager', 'admin')),
  aad_object_id text unique check (aad_object_id = lower(aad_object_id)),
  team text,
  manager_email text,
  fte numeric(4, 2) not null default 1 check (fte >= 0),
  updated_at timestamptz not null default now()
)
  `,
  `
create table children (
  child_id text primary key,
  sex text,
  dob date not null,
  ethnic text,
  upn text,
  mother text,
  mc_dob date,
  first_name text,
  last_name text,
  updated_at timestamptz not null default now()
)
  `,
  `
create table episodes (
  child_id text not null references children (child_id) on delete cascade,
  decom date not null,
  rne text not null,
  ls text not null,
  cin text,
  place text,
  place_provider text,
  dec date,
  rec text,
  reason_place_change text,
  home_post text,
  pl_post text,
  urn text,
  primary key (child_id, decom),
  check (dec is null or dec >= decom)
)
  `,
  `
create table periods_of_care (
  id serial primary key,
  child_id text not null references children (child_id) on delete cascade,
  start_date date not null,
  end_date date,
  short_break boolean not null,
  unique (child_id, start_date)
)
  `,
  `
create index periods_of_care_open on periods_of_care (child_id) where end_date is null
  `,
  `
create table allocations (
  id serial primary key,
  child_id text not null references children (child_id) on delete cascade,
  role text not null check (role in ('iro', 'social_worker')),
  staff_email text not null references staff (email),
  start_date date not null,
  end_date date,
  check (end_date is null or end_date >= start_date)
)
  `,
  `
create unique index allocations_one_open on allocations (child_id, role) where end_date is null
  `,
  `
create index allocations_staff on allocations (staff_email) where end_date is null
  `,
  `
create table reviews (
  id serial primary key,
  child_id text not null references children (child_id) on delete cascade,
  status text not null check (status in ('scheduled', 'held', 'cancelled')),
  held_on date,
  review_code text check (review_code in ('PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')),
  due_on date,
  kind text check (kind in ('first', 'second', 'subsequent')),
  extra boolean not null default false,
  chair_email text,
  scheduled_start timestamptz,
  scheduled_end timestamptz,
  venue text,
  graph_event_id text,
  ical_uid text,
  join_url text,
  online_meeting_id text,
  meeting_chat_id text,
  child_chaired boolean,
  advocacy_offered boolean,
  advocacy_used boolean,
  consultation_returned boolean,
  change_reason text,
  source text not null check (source in ('import', 'bot', 'demo')),
  recorded_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'held' or (held_on is not null and review_code is not null))
)
  `,
  `
create unique index reviews_held_once on reviews (child_id, held_on) where status = 'held'
  `,
  `
create index reviews_held_on on reviews (held_on) where status = 'held'
  `,
  `
create index reviews_join_url on reviews (join_url) where join_url is not null
  `,
  `
create table review_attendance (
  id serial primary key,
  review_id integer not null references reviews (id) on delete cascade,
  participant text not null,
  email text,
  attendance text not null check (attendance in ('in_person', 'online', 'report', 'apologies', 'did_not_attend'))
)
  `,
  `
create index review_attendance_review on review_attendance (review_id)
  `,
  `
create table review_decisions (
  id serial primary key,
  review_id integer not null references reviews (id) on delete cascade,
  description text not null,
  owner_email text,
  due_on date,
  created_at timestamptz not null default now()
)
  `,
  `
create table decision_progress (
  id serial primary key,
  decision_id integer not null references review_decisions (id) on delete cascade,
  status text not null check (status in ('not_started', 'on_track', 'delayed', 'done')),
  note text,
  reported_by text not null,
  reported_at timestamptz not null default now()
)
  `,
  `
create table escalations (
  id serial primary key,
  child_id text not null references children (child_id) on delete cascade,
  raised_by text not null,
  stage text not null check (stage in ('informal', 'formal', 'head_of_service', 'director', 'cafcass')),
  raised_on date not null,
  resolved_on date,
  outcome text,
  created_at timestamptz not null default now()
)
  `,
  `
create table conversation_references (
  id serial primary key,
  conversation_id text not null unique,
  aad_object_id text,
  scope text not null check (scope in ('personal', 'groupChat', 'channel', 'meeting')),
  reference jsonb not null,
  blocked_at timestamptz,
  updated_at timestamptz not null default now()
)
  `,
  `
create index conversation_references_user on conversation_references (aad_object_id) where scope = 'personal'
  `,
  `
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  entity text not null,
  entity_id text not null,
  detail jsonb not null default '{}',
  correlation_id text
)
  `,
  `
create index audit_log_entity on audit_log (entity, entity_id)
  `,
  `
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op;
end
$$
  `,
  `
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_is_append_only()
  `,
  `
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists audit_log, conversation_references, escalations, decision_progress,
      review_decisions, review_attendance, reviews, allocations, periods_of_care, episodes,
      children, staff cascade
  `.execute(db);
  await sql`drop function if exists audit_log_is_append_only()`.execute(db);
}
