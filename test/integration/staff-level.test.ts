import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actOnAlert, alertForm, raiseAlert } from '../../src/app/alerts/alert-journey.js';
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

  const IRO_AAD = '11111111-0000-4000-8000-000000000002';
  const manager = (email: string, name: string, level: string, above: string) => ({
    EMAIL: email,
    NAME: name,
    ROLE: 'service_manager',
    MANAGER_EMAIL: above,
    FTE: '1',
    LEVEL: level,
  });

  it('sends each stage of an alert up an uneven chain to the level it is for', async () => {
    // An extra layer: team manager, service manager, a second service manager, head of service.
    const files = extract('team_manager')
      .update('Staff.csv', { EMAIL: 'manager@example.com' }, { MANAGER_EMAIL: 'sm@example.com' })
      .row(
        'Staff.csv',
        manager('sm@example.com', 'Sam Manager', 'service_manager', 'gm@example.com'),
      )
      .row(
        'Staff.csv',
        manager('gm@example.com', 'Gail Manager', 'Service Manager', 'hos@example.com'),
      )
      .row('Staff.csv', manager('hos@example.com', 'Hana Head', 'Head of Service', 'd@example.com'))
      .row('Staff.csv', manager('d@example.com', 'Dee Director', 'director', ''))
      .files();
    expect((await run(files)).ok).toBe(true);

    const form = await alertForm(services, IRO_AAD, 'C1');
    expect(form.kind === 'form' && form.laterResponders).toEqual({
      formal: 'Sam Manager',
      headOfService: 'Hana Head',
    });
    const raised = await raiseAlert(services, {
      askerAad: IRO_AAD,
      child: 'C1',
      form: { issue: 'The plan has drifted' },
    });
    if (raised.kind !== 'raised') throw new Error(raised.kind);
    const escalate = (stage: 'informal' | 'formal') =>
      actOnAlert(services, {
        askerAad: IRO_AAD,
        alertId: raised.alert.alertId,
        stage,
        action: 'escalate',
        form: {},
      });
    expect(raised.alert.responderEmail).toBe('manager@example.com');
    const formal = await escalate('informal');
    expect(formal.kind === 'done' && formal.alert.responderEmail).toBe('sm@example.com');
    // Three steps up is the second service manager: the head of service stage passes them.
    const head = await escalate('formal');
    expect(head.kind === 'done' && head.alert.responderEmail).toBe('hos@example.com');
  });

  it('gives both later stages to a head of service a team manager reports to, and says so', async () => {
    const files = extract('team_manager')
      .update('Staff.csv', { EMAIL: 'manager@example.com' }, { MANAGER_EMAIL: 'hos@example.com' })
      .row('Staff.csv', manager('hos@example.com', 'Hana Head', 'head_of_service', 'd@example.com'))
      .row('Staff.csv', manager('d@example.com', 'Dee Director', 'director', ''))
      .files();
    expect((await run(files)).ok).toBe(true);
    const form = await alertForm(services, IRO_AAD, 'C1');
    expect(form.kind === 'form' && form.laterResponders).toEqual({
      formal: 'Hana Head',
      headOfService: 'Hana Head',
      sameManager: true,
    });
  });

  it('counts steps up the chain, as before, for a staff list without levels', async () => {
    const files = extract('')
      .withoutColumn('Staff.csv', 'LEVEL')
      .update('Staff.csv', { EMAIL: 'manager@example.com' }, { MANAGER_EMAIL: 'sm@example.com' })
      .row('Staff.csv', manager('sm@example.com', 'Sam Manager', '', 'gm@example.com'))
      .row('Staff.csv', manager('gm@example.com', 'Gail Manager', '', 'hos@example.com'))
      .row('Staff.csv', manager('hos@example.com', 'Hana Head', '', ''))
      .files();
    expect((await run(files)).ok).toBe(true);
    const form = await alertForm(services, IRO_AAD, 'C1');
    expect(form.kind === 'form' && form.laterResponders).toEqual({
      formal: 'Sam Manager',
      headOfService: 'Gail Manager',
    });
  });
});
