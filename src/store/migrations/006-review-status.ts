import { sql, type Kysely } from 'kysely';

/**
 * Each child's current period, last review and next due date kept in the store, updated in the
 * same transaction as every import and recording, so a list of reviews due is one indexed query.
 * Also: what the extract does not reach back to (reviews known from a date, the council's last
 * review before the extract), periods whose start we don't know, short-break reviews, the current
 * 903 sex coding and social workers' 903 ids.
 */
const STATEMENTS: string[] = [
  `alter table periods_of_care add column start_known boolean not null default true`,
  `alter table children add column reviews_known_from date`,
  `alter table children add column previous_review_on date`,
  `alter table children add column previous_review_number smallint check (previous_review_number >= 1)`,
  `update children set sex = case sex when '1' then 'M' when '2' then 'F' else sex end where sex in ('1', '2')`,
  `alter table staff add column sw_id text unique`,
  `alter table reviews drop constraint if exists reviews_kind_check`,
  `alter table reviews add constraint reviews_kind_check check (kind in ('first', 'second', 'subsequent', 'short_breaks'))`,
  `alter table reviews add column days_late integer check (days_late >= 0)`,
  `alter table reviews add column meeting_cancelled_at timestamptz`,
  `
create table review_status (
  child_id text primary key references children (child_id) on delete cascade,
  period_start date not null,
  period_start_known boolean not null,
  period_end date,
  short_break boolean not null,
  last_review_on date,
  next_due_on date,
  next_kind text check (next_kind in ('first', 'second', 'subsequent', 'short_breaks')),
  midway_on date,
  updated_at timestamptz not null default now()
)
  `,
  `create index review_status_next_due on review_status (next_due_on)`,
  `
create table store_meta (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
)
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists review_status, store_meta`.execute(db);
  await sql`alter table reviews drop column if exists days_late`.execute(db);
  await sql`alter table reviews drop column if exists meeting_cancelled_at`.execute(db);
  await sql`alter table staff drop column if exists sw_id`.execute(db);
  for (const column of ['reviews_known_from', 'previous_review_on', 'previous_review_number']) {
    await sql`alter table children drop column if exists ${sql.raw(column)}`.execute(db);
  }
  await sql`alter table periods_of_care drop column if exists start_known`.execute(db);
}
