import { sql, type Kysely } from 'kysely';

/**
 * "My reviews due this month" reads a person's children whose period is open and whose review
 * falls due in a range. The indexes by person and end of period (migration 012) gain the due date
 * as a third column: PostgreSQL then keeps or drops each of the person's open cases by the entry
 * in the index, and visits the status rows of the 15 due that month instead of all of their 90
 * (a national store's typical IRO). The caseload summaries read the same indexes by their first
 * two columns, as before. Rebuilt in place rather than added beside, so an import maintains no
 * more indexes than it did.
 */
const BY_PERSON = [
  ['review_status_iro', 'iro_email'],
  ['review_status_sw', 'sw_email'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [index, column] of BY_PERSON) {
    await sql.raw(`drop index ${index}`).execute(db);
    await sql
      .raw(
        `create index ${index} on review_status (${column}, (coalesce(period_end, 'infinity'::date)), next_due_on)`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [index, column] of BY_PERSON) {
    await sql.raw(`drop index ${index}`).execute(db);
    await sql
      .raw(
        `create index ${index} on review_status (${column}, (coalesce(period_end, 'infinity'::date)))`,
      )
      .execute(db);
  }
}
