import { sql, type Kysely } from 'kysely';

/**
 * The child's first and last name on the child's status row, so that a list of reviews due (for
 * its initials) is read from `review_status` alone: the join to `children` was two thirds of the
 * pages the list read, one index descent into the store's 50,000 children per child listed.
 *
 * `refreshReviewState` and a first import write them with the rest of the row; the refresh then
 * puts right any name another transaction changed meanwhile (`syncStatusNames`, which also runs
 * at every start). A trigger keeps them whoever changes a name on `children` afterwards (an
 * import's Allocations.csv, or SQL by hand), in that statement's transaction; it fires only when
 * a name changes. A child deleted takes its status row with it (`on delete cascade`, migration
 * 006).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No name is changed by another instance until this migration commits: the trigger below and
  // the names copied here then start from the same rows.
  await sql`lock table children in share row exclusive mode`.execute(db);
  await sql`alter table review_status add column first_name text, add column last_name text`.execute(
    db,
  );
  await sql`update review_status s set first_name = c.first_name, last_name = c.last_name
    from children c
    where c.child_id = s.child_id`.execute(db);
  await sql`create function child_names_changed() returns trigger language plpgsql as $$
begin
  update review_status set first_name = new.first_name, last_name = new.last_name
  where child_id = new.child_id;
  return null;
end
$$`.execute(db);
  await sql`create trigger child_names_update after update of first_name, last_name on children
    for each row
    when ((old.first_name, old.last_name) is distinct from (new.first_name, new.last_name))
    execute function child_names_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists child_names_update on children`.execute(db);
  await sql`drop function if exists child_names_changed()`.execute(db);
  await sql`alter table review_status drop column if exists first_name, drop column if exists last_name`.execute(
    db,
  );
}
