import { sql, type Kysely } from 'kysely';

/**
 * Tells every server that keeps something it read (the staff list, the chats it confirmed as
 * stored) when another transaction changed it, by NOTIFY on one channel (`store-changes.ts`
 * listens): `staff` after any statement that writes staff, `conversation_references:<chat>` after
 * each row of that table is written, and `conversation_references` when it is emptied (or a
 * chat's id itself changes). PostgreSQL sends a notice only when its transaction commits, and
 * once however often it was raised.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A row's key is announced; the whole table instead when an update changes the key, or when
  // the key is too long for a notice (8,000 bytes in all).
  await sql`create function notify_store_change() returns trigger language plpgsql as $$
declare
  key text;
begin
  if tg_level = 'ROW' then
    key := to_jsonb(case when tg_op = 'DELETE' then old else new end) ->> tg_argv[0];
    if (tg_op = 'UPDATE' and key is distinct from to_jsonb(old) ->> tg_argv[0])
        or key is null or octet_length(key) > 4000 then
      perform pg_notify('iro_store_changes', tg_table_name);
    else
      perform pg_notify('iro_store_changes', tg_table_name || ':' || key);
    end if;
  else
    perform pg_notify('iro_store_changes', tg_table_name);
  end if;
  return null;
end
$$`.execute(db);
  await sql`create trigger staff_notify after insert or update or delete or truncate on staff
    for each statement execute function notify_store_change()`.execute(db);
  await sql`create trigger conversation_references_notify
    after insert or update or delete on conversation_references
    for each row execute function notify_store_change('conversation_id')`.execute(db);
  await sql`create trigger conversation_references_emptied after truncate on conversation_references
    for each statement execute function notify_store_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists conversation_references_emptied on conversation_references`.execute(
    db,
  );
  await sql`drop trigger if exists conversation_references_notify on conversation_references`.execute(
    db,
  );
  await sql`drop trigger if exists staff_notify on staff`.execute(db);
  await sql`drop function if exists notify_store_change()`.execute(db);
}
