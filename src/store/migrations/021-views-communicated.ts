import { sql, type Kysely } from 'kysely';

/**
 * DOMAIN.md's participation measure counts children aged 4 or over who communicated their views
 * (PN1 to PN6), PN4 included. Each child's status row keeps, beside its reporting year's reviews
 * at 4 or over (`year_aged_four`) and those whose view was conveyed without PN4
 * (`year_views_conveyed`), those with PN1 to PN6, so that a caseload summary can count the
 * children who communicated their views at every such review. Stores made before this migration
 * get it filled when the review rules' version changes (`REVIEW_RULES_VERSION`), which
 * recomputes every child at start-up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table review_status
    add column year_views_communicated integer not null default 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table review_status drop column if exists year_views_communicated`.execute(db);
}
