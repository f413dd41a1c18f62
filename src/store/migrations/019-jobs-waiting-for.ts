import { sql, type Kysely } from 'kysely';

/**
 * Whom a job is waiting to reach: the Entra object id of a colleague the bot has no 1:1 chat with
 * yet (an id, like everything a job carries). When that colleague's chat is stored, their jobs
 * run at once; nobody else's are touched (each try counts towards a job's giving up).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table jobs add column waiting_for text`.execute(db);
  await sql`create index jobs_waiting_for on jobs (waiting_for)
    where state = 'pending' and waiting_for is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists jobs_waiting_for`.execute(db);
  await sql`alter table jobs drop column if exists waiting_for`.execute(db);
}
