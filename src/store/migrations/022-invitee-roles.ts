import { sql, type Kysely } from 'kysely';

/**
 * The recording form asks who each person invited by e-mail is, and records them as that role
 * (mother, carer ...). Their attendance row no longer keeps their address: it names which of the
 * review's invitees it is (`invitee_index`, their place in reviews.invitees), so that "Change the
 * record" shows it on their row. Rows recorded before keep `invitee` as their participant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table review_attendance add column invitee_index smallint`.execute(db);
  await sql`update review_attendance a set invitee_index = (
      select e.position - 1 from reviews r,
        jsonb_array_elements_text(r.invitees) with ordinality as e(email, position)
      where r.id = a.review_id and e.email = a.email
      order by e.position limit 1)
    where a.email is not null`.execute(db);
  await sql`alter table review_attendance drop column email`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table review_attendance add column email text`.execute(db);
  await sql`update review_attendance a set email = r.invitees ->> a.invitee_index::int
    from reviews r where r.id = a.review_id and a.invitee_index is not null`.execute(db);
  await sql`alter table review_attendance drop column invitee_index`.execute(db);
}
