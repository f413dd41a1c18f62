import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import { createPgCaseReader } from '../../src/store/case-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-23' as LocalDate;

describe.each(DIALECTS)('the staff list a server keeps ($name)', (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    await emptyStore(store);
    const imported = await importExtract(
      services,
      anExtract().withChild('C1', '01/02/2015', '02/11/2026').files(),
      { actor: 'test', today: TODAY },
    );
    expect(imported.ok).toBe(true);
  });
  afterAll(async () => {
    await store.close();
  });

  const nameOf = async (reader: Pick<Services['cases'], 'listStaff'>, email: string) =>
    (await reader.listStaff()).find((s) => s.email === email)?.name;

  it('is read again after any change to staff, by import or by hand, on every server', async () => {
    const other = createPgCaseReader(store.db);
    expect(await nameOf(services.cases, 'iro@example.com')).toBe(
      await nameOf(other, 'iro@example.com'),
    );
    const renamed = await importExtract(
      services,
      anExtract()
        .withChild('C1', '01/02/2015', '02/11/2026')
        .update('Staff.csv', { EMAIL: 'iro@example.com' }, { NAME: 'Renamed By Import' })
        .files(),
      { actor: 'test', today: TODAY },
    );
    expect(renamed.ok).toBe(true);
    expect(await nameOf(services.cases, 'iro@example.com')).toBe('Renamed By Import');
    expect(await nameOf(other, 'iro@example.com')).toBe('Renamed By Import');
    await sql`update staff set name = 'Renamed In SQL' where email = 'iro@example.com'`.execute(
      store.db,
    );
    expect(await nameOf(services.cases, 'iro@example.com')).toBe('Renamed In SQL');
    expect(await nameOf(other, 'iro@example.com')).toBe('Renamed In SQL');
  });

  it('never keeps what a transaction that rolled back wrote', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`update staff set name = 'Never Committed' where email = 'iro@example.com'`.execute(
          trx,
        );
        expect(await nameOf(createPgCaseReader(trx), 'iro@example.com')).toBe('Never Committed');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const before = await nameOf(services.cases, 'iro@example.com');
    expect(before).not.toBe('Never Committed');
    expect(await nameOf(createPgCaseReader(store.db), 'iro@example.com')).toBe(before);
  });

  it('is kept while the version stands (a change that skipped the trigger is not seen)', async () => {
    const kept = await nameOf(services.cases, 'iro@example.com');
    // Only a superuser can skip triggers; the tests' PGlite and PostgreSQL run as one.
    await store.db.connection().execute(async (conn) => {
      await sql`set session_replication_role = replica`.execute(conn);
      try {
        await sql`update staff set name = 'Behind The Version' where email = 'iro@example.com'`.execute(
          conn,
        );
      } finally {
        await sql`set session_replication_role = origin`.execute(conn);
      }
    });
    expect(await nameOf(services.cases, 'iro@example.com')).toBe(kept);
    expect(await nameOf(createPgCaseReader(store.db), 'iro@example.com')).toBe(
      'Behind The Version',
    );
    const list = await services.cases.listStaff();
    list.pop();
    expect((await services.cases.listStaff()).length).toBe(list.length + 1);
  });
});
