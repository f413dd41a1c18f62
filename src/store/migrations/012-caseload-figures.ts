import { sql, type Kysely } from 'kysely';

/**
 * What a manager's caseload summary reads, kept on each child's status row so the summary is one
 * grouped query over the rows of the managed staff's children:
 * - the child's open IRO and social worker (copied from `allocations` whenever the child's
 *   derived facts are recomputed, which every change to allocations does in its transaction), so
 *   a manager's children are found by their staff, through two indexes, not by thousands of ids;
 * - the current period's latest late review and latest review with a due date that cannot be
 *   known, which decide the child's own timeliness over any range ending today;
 * - the reporting year of the child's latest held review, with that year's counts (held, due date
 *   known, on time, each PN code, aged four or over, views conveyed; short breaks apart). A year
 *   after it holds no held review, so it counts as nothing.
 * Stores made before this migration get these columns filled when the review rules' version
 * changes (`REVIEW_RULES_VERSION`), which recomputes every child at start-up.
 */
const STATEMENTS = [
  `alter table review_status
    add column iro_email text,
    add column sw_email text,
    add column late_held_on date,
    add column unknown_held_on date,
    add column last_held_on date,
    add column year_start date,
    add column year_held integer not null default 0,
    add column year_assessed integer not null default 0,
    add column year_on_time integer not null default 0,
    add column year_pn0 integer not null default 0,
    add column year_pn1 integer not null default 0,
    add column year_pn2 integer not null default 0,
    add column year_pn3 integer not null default 0,
    add column year_pn4 integer not null default 0,
    add column year_pn5 integer not null default 0,
    add column year_pn6 integer not null default 0,
    add column year_pn7 integer not null default 0,
    add column year_aged_four integer not null default 0,
    add column year_views_conveyed integer not null default 0,
    add column year_sb_held integer not null default 0,
    add column year_sb_assessed integer not null default 0,
    add column year_sb_on_time integer not null default 0`,
  // By staff, then by when the period ended (open periods last): a summary skips the children
  // who left care before its year.
  `create index review_status_iro on review_status (iro_email, (coalesce(period_end, 'infinity'::date)))`,
  `create index review_status_sw on review_status (sw_email, (coalesce(period_end, 'infinity'::date)))`,
  // The reviews recorded in the app, by date: the follow-up figures start from these few rows
  // rather than from every review of a manager's children.
  `create index reviews_recorded on reviews (held_on) where recorded_at is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reviews_recorded`.execute(db);
  await sql`drop index if exists review_status_iro`.execute(db);
  await sql`drop index if exists review_status_sw`.execute(db);
  for (const column of [
    'iro_email',
    'sw_email',
    'late_held_on',
    'unknown_held_on',
    'last_held_on',
    'year_start',
    'year_held',
    'year_assessed',
    'year_on_time',
    'year_pn0',
    'year_pn1',
    'year_pn2',
    'year_pn3',
    'year_pn4',
    'year_pn5',
    'year_pn6',
    'year_pn7',
    'year_aged_four',
    'year_views_conveyed',
    'year_sb_held',
    'year_sb_assessed',
    'year_sb_on_time',
  ]) {
    await sql`alter table review_status drop column if exists ${sql.ref(column)}`.execute(db);
  }
}
