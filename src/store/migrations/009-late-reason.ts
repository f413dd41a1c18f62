import { sql, type Kysely } from 'kysely';

/** Why a review recorded in the app was held late (src/domain/late-reasons.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reviews add column late_reason text check (late_reason in ('child_unavailable', 'family_unavailable', 'social_worker_unavailable', 'iro_unavailable', 'placement_change', 'not_booked_in_time', 'rearranged_on_request', 'other'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reviews drop column if exists late_reason`.execute(db);
}
