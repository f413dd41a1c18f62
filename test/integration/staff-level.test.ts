import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importExtract, type ImportResult } from '../../src/app/import/import-extract.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-23' as LocalDate;

describe.each(DIALECTS)("Staff.csv's LEVEL in the store ($name)", (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await emptyStore(store);
  });

  const extract = (managerLevel: string) =>
    anExtract()
      .withChild('C1', '01/02/2015', '02/11/2026')
      .update('Staff.csv', { EMAIL: 'manager@example.com' }, { LEVEL: managerLevel });
  const run = async (files: ReturnType<ReturnType<typeof anExtract>['files']>) => {
    const result: ImportResult = await importExtract(services, files, {
      actor: 'test',
      today: TODAY,
    });
    return result;
  };
  const stored = async () =>
    Object.fromEntries(
      (await store.db.selectFrom('staff').select(['email', 'level']).execute()).map((s) => [
        s.email,
        s.level,
      ]),
    );
  const listed = async (email: string) =>
    (await services.cases.listStaff()).find((s) => s.email === email)?.level;

  it('is stored and read back with the staff list; a file without it stores none', async () => {
    expect((await run(extract('Service Manager').files())).ok).toBe(true);
    expect(await stored()).toEqual({
      'manager@example.com': 'service_manager',
      'iro@example.com': null,
      'sw@example.com': null,
    });
    expect(await listed('manager@example.com')).toBe('service_manager');

    // The Staff.csv is the whole list: a later file without the column gives nobody a level.
    const old = await run(extract('').withoutColumn('Staff.csv', 'LEVEL').files());
    expect(old.ok && old.summary.staff).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    expect(await listed('manager@example.com')).toBeNull();
  });

  it('counts a change of level as a change to the person', async () => {
    expect((await run(extract('team_manager').files())).ok).toBe(true);
    const same = await run(extract('Team Manager').files());
    expect(same.ok && same.summary.staff).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    const moved = await run(extract('head_of_service').files());
    expect(moved.ok && moved.summary.staff).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    expect(await listed('manager@example.com')).toBe('head_of_service');
  });

  it('refuses a bad value and keeps what was stored before, all of it', async () => {
    expect((await run(extract('service_manager').files())).ok).toBe(true);
    const before = await store.db.selectFrom('staff').selectAll().orderBy('email').execute();
    const bad = await run(
      extract('Senior')
        .update('Staff.csv', { EMAIL: 'iro@example.com' }, { NAME: 'Renamed' })
        .files(),
    );
    expect(bad.ok).toBe(false);
    expect(await store.db.selectFrom('staff').selectAll().orderBy('email').execute()).toEqual(
      before,
    );
  });

  it('cannot be set by hand to a value that is not a level', async () => {
    expect((await run(extract('').files())).ok).toBe(true);
    await expect(
      store.db
        .updateTable('staff')
        .set({ level: 'chief' as 'director' })
        .where('email', '=', 'manager@example.com')
        .execute(),
    ).rejects.toThrow(/staff_level/);
  });
});
