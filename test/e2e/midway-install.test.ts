import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../../src/dev/graph-simulator/graph-simulator.js';
import { addDays, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { nextWorkingInstant } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import type { Clock } from '../../src/services.js';
import { staffPerson, teamsUserOf, type StaffPerson } from '../support/staff-person.js';
import { BotHarness, checked, textOf } from '../support/bot-harness.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';
import {
  installationUpdateActivity,
  type ConversationKind,
  type TeamsUser,
} from '../support/teams-activities.js';

const TZ = 'Europe/London';
const TEAMS_APP = '3b3f2d9e-5c2a-4f0e-9a51-0c7e6a9d1a02';
let now = new Date();
const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };
const iroChat: ConversationKind = { type: 'personal', id: 'a:iro-personal' };
const swChat: ConversationKind = { type: 'personal', id: 'a:sw-personal' };

/**
 * A social worker who never opened IRO Assistant: at the midway date the app is added for them
 * through Graph (POST /users/{id}/teamwork/installedApps, by catalog id), Teams tells the bot of
 * the new 1:1 chat, and the check is sent there. The IRO is only told when that is impossible.
 */
describe('midway checks for staff who never opened the app', () => {
  const harness = new BotHarness();
  let simulator: GraphSimulator;
  let control: SimulatorControl;
  let catalogId = '';
  let child = '';
  let midwayOn = '' as LocalDate;
  let IRO: StaffPerson;
  let SW: StaffPerson;
  let iroUser: TeamsUser;
  let swUser: TeamsUser;
  const db = () => harness.server.services.store.db;
  const run = () => harness.server.jobs.runner.runOnce();
  const cardsTo = (conversation: ConversationKind, mark: number) =>
    harness.connector
      .since(mark)
      .filter((s) => s.conversationId === conversation.id)
      .map((s) => textOf(checked(s.activity.attachments?.[0]?.content)));

  beforeAll(async () => {
    simulator = await startGraphSimulator();
    control = new SimulatorControl(simulator.url);
    const [app] = await control.addCatalogApps([
      { externalId: TEAMS_APP, displayName: 'IRO Assistant', resourceSpecific: [] },
    ]);
    catalogId = app?.id ?? '';
    await harness.start({ GRAPH_BASE_URL: simulator.url, TEAMS_APP_ID: TEAMS_APP }, { clock });
    // The IRO and social worker: the playground's Alex and Megan when they share a child whose
    // midway date is ahead, else the first pair that does (the demo is drawn from each day's date).
    const today = clock.today();
    const rows = await sql<{ childId: string; midwayOn: LocalDate; iro: string; sw: string }>`
      select s.child_id as "childId", s.midway_on as "midwayOn", iro.staff_email as iro,
        sw.staff_email as sw
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where s.period_end is null and s.midway_on > ${addDays(today, 3)}
      order by (iro.staff_email = ${PLAYGROUND_USERS.iro.email}
        and sw.staff_email = ${PLAYGROUND_USERS.socialWorker.email}) desc,
        s.midway_on, s.child_id limit 1`.execute(db());
    expect(rows.rows).toHaveLength(1);
    const first = rows.rows[0] as { childId: string; midwayOn: LocalDate; iro: string; sw: string };
    child = first.childId;
    midwayOn = first.midwayOn;
    IRO = await staffPerson(db(), first.iro);
    SW = await staffPerson(db(), first.sw);
    iroUser = teamsUserOf('29:iro', IRO);
    swUser = teamsUserOf('29:sw', SW);
    await control.addUsers([
      { email: IRO.email, displayName: IRO.name, id: IRO.aadObjectId },
      { email: SW.email, displayName: SW.name, id: SW.aadObjectId },
    ]);
    await harness.ask(iroUser, iroChat, 'hello');
  });
  afterAll(async () => {
    await harness.stop();
    await simulator.close();
  });

  it('adds the app for the social worker through Graph instead of giving up', async () => {
    now = nextWorkingInstant(
      zonedTimeToInstant(midwayOn, '10:00', TZ),
      harness.server.services.workingTime,
    );
    const mark = harness.connector.sent.length;
    await run();
    const installs = await control.userInstalls();
    expect(installs).toContainEqual({
      userId: SW.aadObjectId,
      appId: catalogId,
      externalId: TEAMS_APP,
    });
    // Graph was asked by the catalog id, never the manifest id.
    const requests = await control.requests();
    const install = requests.find(
      (r) => r.path === `/users/${SW.aadObjectId}/teamwork/installedApps`,
    );
    expect(install?.method).toBe('POST');
    expect(JSON.stringify(install?.body)).toContain(`/appCatalogs/teamsApps/${catalogId}`);
    // Nothing to tell the IRO yet: the chat is on its way.
    expect(cardsTo(iroChat, mark).filter((t) => t.includes(child))).toEqual([]);
  });

  it('sends the check once Teams has told the bot of the new chat', async () => {
    const response = await harness.post(
      installationUpdateActivity(harness.connector.url, swUser, swChat),
    );
    expect(response.status).toBe(200);
    const mark = harness.connector.sent.length;
    now = new Date(now.getTime() + 3 * 60_000);
    await run();
    const prompts = cardsTo(swChat, mark).filter((t) => t.includes(child));
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('Midway check');
    expect(cardsTo(iroChat, mark).filter((t) => t.includes(child))).toEqual([]);
  });

  it('tells the IRO when the app cannot be added (policy or permission)', async () => {
    // Another of the IRO's children whose social worker has no chat; Graph refuses the install.
    await control.fault({ path: '/teamwork/installedApps$', status: 403, times: 100 });
    const mark = harness.connector.sent.length;
    const other = await sql<{ childId: string; swEmail: string; midwayOn: LocalDate }>`
      select s.child_id as "childId", sw.staff_email as "swEmail", s.midway_on as "midwayOn"
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where sw.staff_email <> ${SW.email} and iro.staff_email = ${IRO.email}
        and s.period_end is null and s.midway_on > ${clock.today()}
      order by s.midway_on limit 1`.execute(db());
    const target = other.rows[0];
    expect(target).toBeDefined();
    now = nextWorkingInstant(
      zonedTimeToInstant(target?.midwayOn ?? midwayOn, '10:00', TZ),
      harness.server.services.workingTime,
    );
    await run();
    const told = cardsTo(iroChat, mark).filter(
      (t) => t.includes(target?.childId ?? '?') && t.includes('Midway check not sent'),
    );
    expect(told).toHaveLength(1);
    await control.clearFaults();
  });
});
