import { sql, type Kysely } from 'kysely';

/**
 * Why a review recorded in the app was held late (src/domain/late-reasons.ts); and one booked
 * review per calendar event (a meeting linked from Outlook cannot be two children's reviews).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index reviews_event_booked_once on reviews (graph_event_id) where status = 'scheduled' and graph_event_id is not null`.execute(
    db,
  );
  await sql`alter table reviews add column late_reason text check (late_reason in ('child_unavailable', 'family_unavailable', 'social_worker_unavailable', 'iro_unavailable', 'placement_change', 'not_booked_in_time', 'rearranged_on_request', 'other'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reviews_event_booked_once`.execute(db);
  await sql`alter table reviews drop column if exists late_reason`.execute(db);
}
