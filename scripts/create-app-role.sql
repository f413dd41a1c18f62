-- The PostgreSQL role IRO Assistant connects as (DATABASE_URL) when its migrations run as the
-- role that owns the schema (DATABASE_MIGRATION_URL). Run it once, as that owner (with
-- CREATEROLE) or a superuser, on the app's database, before or after the first start:
--
--   psql "$OWNER_URL" -v app_role=iro_app -v app_password=... -f scripts/create-app-role.sql
--
-- The app grants the role its rights after every migration (src/store/app-role.ts), so tables
-- added later are covered. On a database whose migrations already ran, this grants them now.
-- audit_log: SELECT and INSERT only. The app role owns nothing, so it can neither turn the
-- append-only trigger off nor drop the table.
\set ON_ERROR_STOP on

create role :"app_role" login password :'app_password' nosuperuser nocreatedb nocreaterole;
grant connect, temporary on database :"DBNAME" to :"app_role";
grant usage on schema public to :"app_role";

select to_regclass('audit_log') is not null as migrated \gset
\if :migrated
  grant select, insert, update, delete on all tables in schema public to :"app_role";
  grant usage, select on all sequences in schema public to :"app_role";
  revoke update, delete, truncate, references, trigger on table audit_log from :"app_role";
  revoke insert, update, delete, truncate, references, trigger
    on table kysely_migration, kysely_migration_lock from :"app_role";
\endif
