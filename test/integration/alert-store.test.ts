import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertJobs, AlertStore } from '../../src/app/alerts/practice-alert.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import { createPgAlertStore } from '../../src/store/alert-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';

const TODAY = '2026-12-21' as LocalDate;
const IRO = 'alex.wilber@council.example';
const MANAGER = 'lynne.robbins@council.example';
const at = new Date('2026-12-21T10:00:00Z');
const context = { at, today: TODAY };
/** The notice to the IRO, keyed by the response's own step (as the use case queues it). */
const toIro: AlertJobs = (id, stepId) => [
  { kind: 'alert.toIro', key: `alert.toIro:${id}:s${stepId}`, runAfter: at },
];

/**
 * A manager's response to a practice alert, on each store engine: one per manager and stage,
 * however the presses arrive (one after the other, or at the same moment on two connections).
 */
describe.each(DIALECTS)('practice alert responses on $name', (dialect) => {
  let store: Store;
  let alerts: AlertStore;
  let alertId = 0;

  beforeAll(async () => {
    store = await dialect.open();
    alerts = createPgAlertStore(store.db);
  });
  afterAll(() => store.close());

  beforeEach(async () => {
    await emptyStore(store);
    await store.db
      .insertInto('staff')
      .values([
        {
          email: IRO,
          name: 'Alex Wilber',
          role: 'iro',
          aadObjectId: null,
          team: null,
          managerEmail: null,
          fte: 1,
          updatedAt: at,
        },
        {
          email: MANAGER,
          name: 'Lynne Robbins',
          role: 'team_manager',
          aadObjectId: null,
          team: null,
          managerEmail: null,
          fte: 1,
          updatedAt: at,
        },
      ])
      .execute();
    await store.db
      .insertInto('children')
      .values({
        childId: 'Q40211',
        sex: '1',
        dob: '2015-03-01' as LocalDate,
        ethnic: null,
        upn: null,
        mother: null,
        mcDob: null,
        firstName: 'Amelia',
        lastName: 'Brown',
        updatedAt: at,
      })
      .execute();
    alertId = await alerts.raise(
      {
        childId: 'Q40211',
        iroEmail: IRO,
        issue: 'No placement found in 3 months',
        actionWanted: null,
        decisionId: null,
        midwayCheckId: null,
        startedOn: TODAY,
        dueOn: '2026-12-29' as LocalDate,
        responderEmail: MANAGER,
      },
      { actor: IRO, at, today: TODAY },
      () => [],
    );
  });

  const respond = (note: string) =>
    alerts.addStep(
      alertId,
      'informal',
      { kind: 'respond' },
      { actorEmail: MANAGER, note },
      context,
      toIro,
    );
  const steps = async () =>
    (await alerts.find(alertId))?.steps.map((s) => [s.action, s.note]) ?? [];
  const jobKeys = async () =>
    (await store.db.selectFrom('jobs').select('key').orderBy('id').execute()).map((j) => j.key);

  it('stores the same response sent twice at the same moment once, with one notice', async () => {
    const results = await Promise.all([respond('Panel on Thursday'), respond('Panel on Thursday')]);
    expect(results.sort()).toEqual(['done', 'unchanged']);
    expect(await steps()).toEqual([
      ['raised', null],
      ['responded', 'Panel on Thursday'],
    ]);
    const alert = await alerts.find(alertId);
    expect(await jobKeys()).toEqual([`alert.toIro:${alertId}:s${alert?.steps[1]?.id}`]);
  });

  it('keeps a response sent again with other text as its change, each with its own notice', async () => {
    expect(await respond('Panel on Thursday')).toBe('done');
    expect(await respond('Panel moved to Monday')).toBe('done');
    expect(await respond('Panel moved to Monday')).toBe('unchanged');
    expect(await steps()).toEqual([
      ['raised', null],
      ['responded', 'Panel on Thursday'],
      ['responseChanged', 'Panel moved to Monday'],
    ]);
    const ids = (await alerts.find(alertId))?.steps.map((s) => s.id) ?? [];
    expect(await jobKeys()).toEqual([
      `alert.toIro:${alertId}:s${ids[1]}`,
      `alert.toIro:${alertId}:s${ids[2]}`,
    ]);
    const audit = await store.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', 'like', 'alert.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'alert.raised',
      'alert.responded',
      'alert.responseChanged',
    ]);
  });

  it('takes two different responses at the same moment as a response and its change', async () => {
    const results = await Promise.all([respond('Panel on Thursday'), respond('Panel on Friday')]);
    expect(results).toEqual(['done', 'done']);
    expect((await steps()).map(([action]) => action)).toEqual([
      'raised',
      'responded',
      'responseChanged',
    ]);
  });

  it('changes nothing on an alert that moved on', async () => {
    await alerts.addStep(
      alertId,
      'informal',
      { kind: 'resolve', outcome: 'withdrawn', resolvedOn: TODAY },
      { actorEmail: IRO, note: null },
      context,
      () => [],
    );
    expect(await respond('Panel on Thursday')).toBe('stale');
    expect((await steps()).map(([action]) => action)).toEqual(['raised', 'resolved']);
  });

  it('keeps who was asked at each stage on the step that starts it', async () => {
    await respond('Panel on Thursday');
    await alerts.addStep(
      alertId,
      'informal',
      {
        kind: 'moveOn',
        stage: 'formal',
        startedOn: TODAY,
        dueOn: '2027-01-12' as LocalDate,
        responderEmail: 'isaiah.langer@council.example',
      },
      { actorEmail: IRO, note: null },
      context,
      () => [],
    );
    const alert = await alerts.find(alertId);
    expect(alert?.steps.map((s) => [s.action, s.stage, s.responderEmail])).toEqual([
      ['raised', 'informal', MANAGER],
      ['responded', 'informal', null],
      ['movedOn', 'formal', 'isaiah.langer@council.example'],
    ]);
  });
});
