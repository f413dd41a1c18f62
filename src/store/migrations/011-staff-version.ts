import { sql, type Kysely } from 'kysely';

/**
 * A version of the staff list, changed by the database itself after every statement that writes
 * `staff` (an import, or a fix made by hand in SQL): each server keeps the list it last read and
 * reads it again only when the version differs, instead of on every bot turn and tab request.
 * Versions come from a sequence, so one is never given twice, even by a transaction that rolls
 * back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence staff_version`.execute(db);
  await sql`insert into store_meta (key, value) values ('staff-version', nextval('staff_version')::text)`.execute(
    db,
  );
  await sql`create function staff_changed() returns trigger language plpgsql as $$
begin
  insert into store_meta (key, value) values ('staff-version', nextval('staff_version')::text)
    on conflict (key) do update set value = excluded.value, updated_at = now();
  return null;
end
$$`.execute(db);
  await sql`create trigger staff_changed after insert or update or delete or truncate on staff
    for each statement execute function staff_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists staff_changed on staff`.execute(db);
  await sql`drop function if exists staff_changed()`.execute(db);
  await sql`delete from store_meta where key = 'staff-version'`.execute(db);
  await sql`drop sequence if exists staff_version`.execute(db);
}
