import { sql, type Kysely } from 'kysely';

/**
 * Each child's booked review meeting (its start) on the child's status row, so that a list of
 * reviews due is read from `review_status` (and `children`, for initials) without a join to
 * `reviews`, the store's largest table with the most indexes, which every list paid for in
 * planning as well as in reading.
 *
 * The database keeps it, whoever writes `reviews` (booking, moving or cancelling a meeting, the
 * calendar read-back, recording a review, an import): triggers recompute the child's booked start
 * whenever a scheduled review is inserted, changed or deleted (a child has at most one:
 * `reviews_one_scheduled`). Rows of other statuses, which is every row of an import, fire nothing.
 * `refreshReviewState` keeps the column when it rewrites a status row, and fills it when a child
 * gets a status row again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No review is written by another instance until this migration commits: the triggers below,
  // and the column filled from the reviews, then start from the same rows.
  await sql`lock table reviews in share row exclusive mode`.execute(db);
  await sql`alter table review_status add column booked_start timestamptz`.execute(db);
  await sql`update review_status s set booked_start = r.scheduled_start
    from reviews r
    where r.child_id = s.child_id and r.status = 'scheduled' and r.scheduled_start is not null`.execute(
    db,
  );
  // OLD is null for an insert and NEW for a delete: the child (or, for a review moved to another
  // child, both children) whose booked review changed.
  await sql`create function review_booked_changed() returns trigger language plpgsql as $$
begin
  update review_status s set booked_start = (
    select r.scheduled_start from reviews r
    where r.child_id = s.child_id and r.status = 'scheduled' and r.scheduled_start is not null)
  where s.child_id in (old.child_id, new.child_id);
  return null;
end
$$`.execute(db);
  await sql`create trigger review_booked_insert after insert on reviews
    for each row when (new.status = 'scheduled') execute function review_booked_changed()`.execute(
    db,
  );
  await sql`create trigger review_booked_update
    after update of status, scheduled_start, child_id on reviews
    for each row when (old.status = 'scheduled' or new.status = 'scheduled')
    execute function review_booked_changed()`.execute(db);
  await sql`create trigger review_booked_delete after delete on reviews
    for each row when (old.status = 'scheduled') execute function review_booked_changed()`.execute(
    db,
  );
  await sql`create function review_booked_truncated() returns trigger language plpgsql as $$
begin
  update review_status set booked_start = null where booked_start is not null;
  return null;
end
$$`.execute(db);
  await sql`create trigger review_booked_truncate after truncate on reviews
    for each statement execute function review_booked_truncated()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const trigger of ['insert', 'update', 'delete', 'truncate']) {
    await sql.raw(`drop trigger if exists review_booked_${trigger} on reviews`).execute(db);
  }
  await sql`drop function if exists review_booked_changed()`.execute(db);
  await sql`drop function if exists review_booked_truncated()`.execute(db);
  await sql`alter table review_status drop column if exists booked_start`.execute(db);
}
