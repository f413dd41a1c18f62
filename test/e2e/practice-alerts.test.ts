import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { longDay } from '../../src/cards/card-dates.js';
import { addDays, daysBetween, reportingYear, todayIn } from '../../src/domain/local-date.js';
import { nextWorkingInstant } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import type { Clock } from '../../src/services.js';
import { BotHarness, checked, inputValue, textOf, type Card } from '../support/bot-harness.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const TZ = 'Europe/London';
let now = new Date();
const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };
const IRO = PLAYGROUND_USERS.iro;
const SW = PLAYGROUND_USERS.socialWorker;
const alex: TeamsUser = { id: '29:alex', name: IRO.name, aadObjectId: IRO.aadObjectId };
const megan: TeamsUser = { id: '29:megan', name: SW.name, aadObjectId: SW.aadObjectId };
const personal = (who: string): ConversationKind => ({ type: 'personal', id: `a:${who}-1to1` });

/**
 * A practice alert from the IRO's chat to its end: raised (informal stage, to the social worker's
 * team manager), answered, moved on to a senior manager, its stage running out of time, and
 * resolved; each step audited, each message to the person whose turn it is, stale cards refused.
 */
describe('practice alerts', () => {
  const harness = new BotHarness();
  const db = () => harness.server.services.store.db;
  const run = () => harness.server.jobs.runner.runOnce();
  let child = '';
  let decisionId = 0;
  let teamManager: TeamsUser;
  let seniorManager: TeamsUser;
  let teamManagerEmail = '';
  let seniorManagerName = '';
  /** The child's first and last name, which no card to a manager may carry. */
  let childNames: string[] = [];
  let alertId = 0;

  const stepActions = async () =>
    (
      await db()
        .selectFrom('escalationSteps')
        .select('action')
        .where('escalationId', '=', alertId)
        .orderBy('id')
        .execute()
    ).map((s) => s.action);
  const cardsTo = (who: string, mark: number): Card[] =>
    harness.connector
      .since(mark)
      .filter((s) => s.conversationId === personal(who).id)
      .map((s) => checked(s.activity.attachments?.[0]?.content));

  beforeAll(async () => {
    // The summary counts alerts from 1 April: a run in the last weeks of March starts in the new
    // reporting year, so the weeks the test moves through stay in one year.
    let start = todayIn(TZ, new Date());
    const nextApril = addDays(reportingYear(start).last, 1);
    if (daysBetween(start, nextApril) < 45) start = nextApril;
    now = nextWorkingInstant(zonedTimeToInstant(start, '10:00', TZ), {
      calendar: (await import('../../src/domain/working-days.js')).createWorkingCalendar(
        (await import('../../src/domain/bank-holidays.js')).ENGLAND_AND_WALES_BANK_HOLIDAYS,
      ),
      hours: { start: '09:00', end: '17:00' },
      timeZone: TZ,
    });
    await harness.start({ MIDWAY_CHECKS: 'false' }, { clock });
    const chain = await sql<{
      tm: string;
      tmAad: string;
      sm: string;
      smAad: string;
      smName: string;
    }>`
      select tm.email as tm, tm.aad_object_id as "tmAad", sm.email as sm, sm.aad_object_id as "smAad",
        sm.name as "smName"
      from staff sw join staff tm on tm.email = sw.manager_email join staff sm on sm.email = tm.manager_email
      where sw.email = ${SW.email}`.execute(db());
    const c = chain.rows[0];
    expect(c).toBeDefined();
    teamManagerEmail = c?.tm ?? '';
    teamManager = { id: '29:tm', name: 'Team manager', aadObjectId: c?.tmAad };
    seniorManager = { id: '29:sm', name: 'Senior manager', aadObjectId: c?.smAad };
    seniorManagerName = c?.smName ?? '';
    for (const [user, who] of [
      [alex, 'alex'],
      [megan, 'megan'],
      [teamManager, 'tm'],
      [seniorManager, 'sm'],
    ] as const) {
      await harness.ask(user, personal(who), 'hello');
    }
    const rows = await sql<{ childId: string; reviewId: number }>`
      select s.child_id as "childId",
        (select max(r.id) from reviews r where r.child_id = s.child_id and r.status = 'held'
          and r.held_on = s.last_review_on) as "reviewId"
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where sw.staff_email = ${SW.email} and iro.staff_email = ${IRO.email} and s.last_review_on is not null
      order by s.child_id limit 1`.execute(db());
    child = rows.rows[0]?.childId ?? '';
    const names = await db()
      .selectFrom('children')
      .select(['firstName', 'lastName'])
      .where('childId', '=', child)
      .executeTakeFirstOrThrow();
    childNames = [names.firstName, names.lastName].filter((n): n is string => !!n);
    expect(childNames).toHaveLength(2);
    const decision = await db()
      .insertInto('reviewDecisions')
      .values({
        reviewId: rows.rows[0]?.reviewId ?? 0,
        description: 'Find a therapeutic placement',
        ownerEmail: SW.email,
        dueOn: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    decisionId = decision.id;
  });
  afterAll(() => harness.stop());

  it("offers the child's IRO the form, with the last review's decisions", async () => {
    const card = await harness.ask(alex, personal('alex'), `raise alert for ${child}`);
    expect(textOf(card)).toContain('Raise a practice alert');
    expect(JSON.stringify(card)).toContain('Find a therapeutic placement');
    expect(textOf(card)).toContain(
      `It goes first to ${PLAYGROUND_USERS.socialWorkTeamManager.name}, ${SW.name}'s team manager`,
    );
    const notHers = await harness.ask(megan, personal('megan'), `raise alert for ${child}`);
    expect(textOf(notHers)).toContain("I can't raise an alert");
  });

  it('says what is missing and stores nothing', async () => {
    const card = await harness.press(alex, personal('alex'), 'alert.raise', {
      child,
      issue: '  ',
      actionWanted: 'A placement by the end of the month',
    });
    expect(textOf(card)).toContain('Say what the concern is.');
    expect(inputValue(card, 'actionWanted')).toBe('A placement by the end of the month');
    const count = await db()
      .selectFrom('escalations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it("raises it at the informal stage, with the social worker's team manager, and sends them the card", async () => {
    const card = await harness.press(alex, personal('alex'), 'alert.raise', {
      child,
      issue: 'No placement found in 3 months',
      decisionId: String(decisionId),
      actionWanted: 'A placement by the end of the month',
    });
    expect(textOf(card)).toContain('Practice alert raised');
    const row = await db()
      .selectFrom('escalations')
      .select(['id', 'stage', 'responderEmail', 'stageDueOn', 'decisionId'])
      .executeTakeFirstOrThrow();
    alertId = row.id;
    expect(row).toMatchObject({
      stage: 'informal',
      responderEmail: teamManagerEmail,
      decisionId,
      stageDueOn: harness.server.services.calendar.addWorkingDays(clock.today(), 5),
    });
    const mark = 0;
    await run();
    const toManager = cardsTo('tm', mark).filter((c) => textOf(c).includes(child));
    expect(toManager).toHaveLength(1);
    expect(textOf(toManager[0])).toContain('No placement found in 3 months');
    expect(textOf(toManager[0])).toContain(`as ${SW.name}'s team manager`);
    expect(toManager[0]?.actions?.[0]?.verb).toBe('alert.respond');
    // A second alert for the same child is not opened while one is open.
    const again = await harness.press(alex, personal('alex'), 'alert.raise', {
      child,
      issue: 'Again',
    });
    expect(textOf(again)).toContain('already has an open practice alert');
  });

  it("takes the manager's response and tells the IRO", async () => {
    const refused = await harness.press(megan, personal('megan'), 'alert.respond', {
      alertId,
      stage: 'informal',
      response: 'I will sort it',
    });
    expect(textOf(refused)).toContain("You can't do that on this alert");
    const sent = await harness.press(teamManager, personal('tm'), 'alert.respond', {
      alertId,
      stage: 'informal',
      response: 'Panel on Thursday will agree funding',
    });
    expect(textOf(sent)).toContain(`Sent to ${IRO.name}`);
    // A double click, or the same text from a second device: nothing more is stored or sent.
    const again = await harness.press(teamManager, personal('tm'), 'alert.respond', {
      alertId,
      stage: 'informal',
      response: 'Panel on Thursday will agree funding\r\n',
    });
    expect(textOf(again)).toContain(`Already sent to ${IRO.name}`);
    expect(textOf(again)).toContain('it was not sent again');
    expect(await stepActions()).toEqual(['raised', 'responded']);
    const mark = harness.connector.sent.length;
    await run();
    const told = cardsTo('alex', mark).filter((c) => textOf(c).includes('responded'));
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain('Panel on Thursday will agree funding');
    expect(told[0]?.actions?.map((a) => a.verb)).toEqual(['alert.escalate', 'alert.resolve']);
    // The manager has answered: the alert waits for the IRO, and nobody reads that it waits for them.
    const manager = PLAYGROUND_USERS.socialWorkTeamManager.name;
    expect(textOf(told[0])).toContain(
      `${manager} responded on ${longDay(clock.today())}; waiting for you to close or escalate it.`,
    );
    expect(textOf(told[0])).not.toMatch(/With [^\n]*\.\n|Respond by/);
    const forManager = await harness.ask(teamManager, personal('tm'), 'practice alerts');
    expect(textOf(forManager)).toContain(`${manager} responded on ${longDay(clock.today())}`);
    expect(textOf(forManager)).toContain(`Waiting for ${IRO.name} (IRO)`);
    expect(textOf(forManager)).not.toContain('Respond by');
    const forIro = await harness.ask(alex, personal('alex'), 'my practice alerts');
    expect(textOf(forIro)).toContain('Waiting for you to close or escalate it');
  });

  it('keeps one response per manager and stage: each change beside it, the IRO told of each once', async () => {
    const change = (response: string) =>
      harness.press(teamManager, personal('tm'), 'alert.respond', {
        alertId,
        stage: 'informal',
        response,
      });
    const changed = await change('Panel moved to Monday');
    expect(textOf(changed)).toContain(`Change sent to ${IRO.name}`);
    expect(textOf(changed)).toContain('Panel moved to Monday');
    expect(textOf(await change('Panel moved to Monday'))).toContain('Already sent to');
    await change('Panel moved to Monday 10am');
    expect(await stepActions()).toEqual([
      'raised',
      'responded',
      'responseChanged',
      'responseChanged',
    ]);
    const mark = harness.connector.sent.length;
    await run();
    // Both changes were waiting: each notice quotes its own, not the latest.
    const headlines = cardsTo('alex', mark).map((c) => textOf(c).split('\n')[0]);
    expect(headlines).toHaveLength(2);
    expect(headlines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/changed their response on .*: \\"Panel moved to Monday\\"$/),
        expect.stringMatching(/changed their response on .*: \\"Panel moved to Monday 10am\\"$/),
      ]),
    );
    const status = await harness.ask(alex, personal('alex'), `alert for ${child}`);
    expect(textOf(status)).toContain('Panel on Thursday will agree funding');
    expect(textOf(status)).toContain('changed their response');
  });

  it('moves on to the senior manager at the formal stage when the IRO says so', async () => {
    const card = await harness.press(alex, personal('alex'), 'alert.escalate', {
      alertId,
      stage: 'informal',
      note: 'Panel did not meet',
    });
    expect(textOf(card)).toContain('Moved on');
    const row = await db()
      .selectFrom('escalations')
      .select(['stage', 'stageDueOn'])
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      stage: 'formal',
      stageDueOn: harness.server.services.calendar.addWorkingDays(clock.today(), 10),
    });
    const mark = harness.connector.sent.length;
    await run();
    expect(cardsTo('sm', mark).filter((c) => textOf(c).includes(child))).toHaveLength(1);
    // The team manager, who had it, is told it moved on and who has it now; the senior manager
    // gets the alert itself, not a notice.
    const toldTm = cardsTo('tm', mark);
    expect(toldTm).toHaveLength(1);
    expect(textOf(toldTm[0])).toContain('Practice alert moved on: ');
    expect(textOf(toldTm[0])).toContain(
      `${IRO.name} (IRO) escalated it to Formal: senior manager on ${longDay(clock.today())}; ${seniorManagerName} has been asked to respond.`,
    );
    expect(textOf(toldTm[0])).toContain(child);
    expect(JSON.stringify(toldTm[0])).not.toMatch(new RegExp(childNames.join('|')));
    expect(cardsTo('sm', mark).filter((c) => textOf(c).includes('moved on'))).toEqual([]);
    await run();
    expect(cardsTo('tm', mark)).toHaveLength(1);
    // The team manager's old card no longer changes anything.
    const stale = await harness.press(teamManager, personal('tm'), 'alert.respond', {
      alertId,
      stage: 'informal',
      response: 'Late answer',
    });
    expect(textOf(stale)).toContain('moved on since that card was sent');
  });

  it('reminds the IRO when the stage runs out of time, once', async () => {
    const due = harness.server.services.calendar.addWorkingDays(clock.today(), 10);
    now = zonedTimeToInstant(due, '16:00', TZ);
    const runOut = (mark: number) =>
      cardsTo('alex', mark).filter((c) => textOf(c).includes('was due to be resolved by'));
    let mark = harness.connector.sent.length;
    await run();
    expect(runOut(mark)).toEqual([]);
    now = zonedTimeToInstant(harness.server.services.calendar.addWorkingDays(due, 1), '09:30', TZ);
    mark = harness.connector.sent.length;
    await run();
    await run();
    const reminders = runOut(mark);
    expect(reminders).toHaveLength(1);
    expect(textOf(reminders[0])).toContain(child);
    // The senior manager has not responded: their card comes again, once, with the date passed.
    const chased = cardsTo('sm', mark);
    expect(chased).toHaveLength(1);
    expect(textOf(chased[0])).toContain(
      `Your response was due by ${longDay(due)}. Please respond below; ${IRO.name} (IRO) may now escalate the alert.`,
    );
    expect(chased[0]?.actions?.[0]?.verb).toBe('alert.respond');
    expect(cardsTo('tm', mark)).toEqual([]);
  });

  it('lists open alerts for the IRO and the managers involved, not for the social worker', async () => {
    const list = await harness.ask(alex, personal('alex'), 'my practice alerts');
    expect(textOf(list)).toContain(child);
    const forSenior = await harness.ask(seniorManager, personal('sm'), 'practice alerts');
    expect(textOf(forSenior)).toContain(child);
    // The child's social worker is told whose alerts these are, not that the child is not hers.
    const status = await harness.ask(megan, personal('megan'), `alert for ${child}`);
    expect(textOf(status)).not.toContain('No placement found');
    expect(textOf(status)).toContain(`Practice alerts on ${child} are for the IRO and managers`);
    expect(textOf(status)).not.toContain("I can't find");
  });

  it('resolves with an outcome, audited at every step without the notes', async () => {
    const missing = await harness.press(alex, personal('alex'), 'alert.resolve', {
      alertId,
      stage: 'formal',
    });
    expect(textOf(missing)).toContain('Choose how the alert ended.');
    const done = await harness.press(alex, personal('alex'), 'alert.resolve', {
      alertId,
      stage: 'formal',
      outcome: 'resolved',
      note: 'Placement found',
    });
    expect(textOf(done)).toContain('Resolved');
    const row = await db()
      .selectFrom('escalations')
      .select(['outcome', 'resolvedOn'])
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: 'resolved', resolvedOn: clock.today() });
    const audit = await db()
      .selectFrom('auditLog')
      .select(['action', 'actor', 'detail'])
      .where('action', 'like', 'alert.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['alert.raised', IRO.email],
      ['alert.responded', teamManagerEmail],
      ['alert.responseChanged', teamManagerEmail],
      ['alert.responseChanged', teamManagerEmail],
      ['alert.movedOn', IRO.email],
      ['alert.resolved', IRO.email],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/placement|Panel|Monday/i);
    const list = await harness.ask(alex, personal('alex'), 'my practice alerts');
    expect(textOf(list)).not.toContain(child);
    // Both managers who had it are told, once each, how it ended.
    const mark = harness.connector.sent.length;
    await run();
    await run();
    for (const who of ['tm', 'sm']) {
      const told = cardsTo(who, mark);
      expect(told).toHaveLength(1);
      expect(textOf(told[0])).toContain(`Practice alert closed: `);
      expect(textOf(told[0])).toContain(
        `${IRO.name} (IRO) closed it on ${longDay(clock.today())}: Resolved: the plan is back on track.`,
      );
      expect(JSON.stringify(told[0])).not.toMatch(new RegExp(childNames.join('|')));
    }
    // The notice says where to see it, and it is there for the manager no longer asked.
    const seen = await harness.ask(teamManager, personal('tm'), `alert for ${child}`);
    expect(textOf(seen)).toContain('Closed on');
  });

  it('tells the IRO when the manager cannot be reached in Teams', async () => {
    harness.connector.refuse(personal('tm').id, 'BotNotInConversationRoster');
    const raised = await harness.press(alex, personal('alex'), 'alert.raise', {
      child,
      issue: 'Contact with siblings has stopped',
    });
    expect(textOf(raised)).toContain('Practice alert raised');
    const mark = harness.connector.sent.length;
    await run();
    const told = cardsTo('alex', mark).filter((c) =>
      textOf(c).includes("I couldn't send this alert"),
    );
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain('Contact with siblings has stopped');
    harness.connector.refuse(personal('tm').id, undefined);
    await harness.press(alex, personal('alex'), 'alert.resolve', {
      alertId: alertId + 1,
      stage: 'informal',
      outcome: 'withdrawn',
    });
  });

  it("counts the alert in the manager's caseload summary, by how it ended", async () => {
    const summary = await harness.ask(seniorManager, personal('sm'), 'caseload summary');
    expect(textOf(summary)).toContain(
      'Practice alerts: 2 raised; open at informal: 0, formal: 0, head of service: 0; resolved: 1, referred to Cafcass: 0, withdrawn: 1',
    );
  });

  it('does not chase a manager who responded, and tells them when the alert is closed', async () => {
    // The team manager opens the app again after the refusals above.
    await harness.ask(teamManager, personal('tm'), 'hello');
    const raised = await harness.press(alex, personal('alex'), 'alert.raise', {
      child,
      issue: 'Life story work not started',
    });
    expect(textOf(raised)).toContain('Practice alert raised');
    const third = await db()
      .selectFrom('escalations')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const due = harness.server.services.calendar.addWorkingDays(clock.today(), 5);
    await run();
    await harness.press(teamManager, personal('tm'), 'alert.respond', {
      alertId: third.id,
      stage: 'informal',
      response: 'Starting next week',
    });
    now = zonedTimeToInstant(harness.server.services.calendar.addWorkingDays(due, 1), '09:30', TZ);
    let mark = harness.connector.sent.length;
    await run();
    await run();
    expect(cardsTo('alex', mark).some((c) => textOf(c).includes('was due to be resolved'))).toBe(
      true,
    );
    expect(cardsTo('tm', mark)).toEqual([]);
    await harness.press(alex, personal('alex'), 'alert.resolve', {
      alertId: third.id,
      stage: 'informal',
      outcome: 'withdrawn',
    });
    mark = harness.connector.sent.length;
    await run();
    const closed = cardsTo('tm', mark);
    expect(closed).toHaveLength(1);
    expect(textOf(closed[0])).toContain('closed it on');
    expect(textOf(closed[0])).toContain('Withdrawn by the IRO');
    expect(cardsTo('sm', mark)).toEqual([]);
  });
});
