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
/** The new columns of `review_status`, with their types. */
const COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['iro_email', 'text'],
  ['sw_email', 'text'],
  ['late_held_on', 'date'],
  ['unknown_held_on', 'date'],
  ['last_held_on', 'date'],
  ['year_start', 'date'],
  ...[
    'year_held',
    'year_assessed',
    'year_on_time',
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `year_pn${i}`),
    'year_aged_four',
    'year_views_conveyed',
    'year_sb_held',
    'year_sb_assessed',
    'year_sb_on_time',
  ].map((name) => [name, 'integer not null default 0'] as const),
];

const INDEXES = [
  // By staff, then by when the period ended (open periods last): a summary skips the children
  // who left care before its year.
  `create index review_status_iro on review_status (iro_email, (coalesce(period_end, 'infinity'::date)))`,
  `create index review_status_sw on review_status (sw_email, (coalesce(period_end, 'infinity'::date)))`,
  // The reviews recorded in the app, by date: the follow-up figures start from these few rows
  // rather than from every review of a manager's children.
  `create index reviews_recorded on reviews (held_on) where recorded_at is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const add = COLUMNS.map(([name, type]) => `add column ${name} ${type}`).join(', ');
  await sql.raw(`alter table review_status ${add}`).execute(db);
  for (const statement of INDEXES) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reviews_recorded`.execute(db);
  await sql`drop index if exists review_status_iro`.execute(db);
  await sql`drop index if exists review_status_sw`.execute(db);
  const drop = COLUMNS.map(([name]) => `drop column if exists ${name}`).join(', ');
  await sql.raw(`alter table review_status ${drop}`).execute(db);
}
