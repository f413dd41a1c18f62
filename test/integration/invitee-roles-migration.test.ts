import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-23' as LocalDate;

/**
 * Migration 022: attendance rows of people invited by e-mail stop keeping the address and name
 * which of the review's invitees they are instead; undoing it puts the address back.
 */
describe.each(DIALECTS)('the invitees of recorded reviews in the store ($name)', (dialect) => {
  let store: Store;

  beforeAll(async () => {
    store = await dialect.open();
    await importExtract(
      servicesFor(store, TODAY),
      anExtract().withChild('C1', '01/02/2015', '02/11/2025').files(),
      { actor: 'test', today: TODAY },
    );
  });
  afterAll(async () => {
    await store.close();
  });

  const columns = async () =>
    (
      await sql<{ name: string }>`select column_name as name from information_schema.columns
        where table_name = 'review_attendance' order by column_name`.execute(store.db)
    ).rows.map((r) => r.name);
  const rows = async (column: string) =>
    (
      await sql<{ participant: string; value: unknown }>`select participant,
          ${sql.ref(column)} as value from review_attendance order by id`.execute(store.db)
    ).rows;

  it('keeps which invitee each row is, not their address, and gives the address back when undone', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    expect((await migrator.migrateTo('020-staff-level')).error).toBeUndefined();
    expect(await columns()).toContain('email');
    // A review recorded before: the social worker, the mother and the carer invited by e-mail.
    const review = await sql<{ id: number }>`insert into reviews
        (child_id, status, held_on, review_code, source, invitees, recorded_at)
      values ('C1', 'held', '2026-11-20', 'PN1', 'bot',
        ${JSON.stringify(['sw@example.com', 'mum@example.org', 'carer@fostering.example'])}::jsonb,
        now())
      returning id`.execute(store.db);
    const id = review.rows[0]?.id;
    await sql`insert into review_attendance (review_id, participant, email, attendance) values
      (${id}, 'child', null, 'in_person'),
      (${id}, 'invitee', 'carer@fostering.example', 'online'),
      (${id}, 'invitee', 'mum@example.org', 'in_person'),
      (${id}, 'invitee', 'gone@example.org', 'online')`.execute(store.db);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await columns()).not.toContain('email');
    expect(await rows('invitee_index')).toEqual([
      { participant: 'child', value: null },
      { participant: 'invitee', value: 2 },
      { participant: 'invitee', value: 1 },
      // An address no longer among the review's invitees: not kept, and not shown on the form.
      { participant: 'invitee', value: null },
    ]);
    const addresses = await sql<{ text: string }>`select review_attendance::text as text
      from review_attendance`.execute(store.db);
    expect(addresses.rows.map((r) => r.text).join()).not.toContain('@');

    expect((await migrator.migrateTo('020-staff-level')).error).toBeUndefined();
    expect(await columns()).not.toContain('invitee_index');
    expect(await rows('email')).toEqual([
      { participant: 'child', value: null },
      { participant: 'invitee', value: 'carer@fostering.example' },
      { participant: 'invitee', value: 'mum@example.org' },
      { participant: 'invitee', value: null },
    ]);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
