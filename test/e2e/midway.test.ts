import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { longDay } from '../../src/cards/card-dates.js';
import { addDays, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { MIDWAY_PROMPT_WINDOW_DAYS } from '../../src/jobs/midway-jobs.js';
import { nextWorkingInstant, workingDaysAfter } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import type { Clock } from '../../src/services.js';
import { staffPerson, teamsUserOf, type StaffPerson } from '../support/staff-person.js';
import { BotHarness, checked, inputValue, textOf, type Card } from '../support/bot-harness.js';
import type { SentActivity } from '../support/recording-connector.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const TZ = 'Europe/London';
let now = new Date();
const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };

const iroChat: ConversationKind = { type: 'personal', id: 'a:iro-personal' };
const swChat: ConversationKind = { type: 'personal', id: 'a:sw-personal' };

interface Candidate {
  childId: string;
  midwayOn: LocalDate;
  lastReviewOn: LocalDate;
  reviewId: number;
}

function cardOf(sent: SentActivity): Card {
  return checked(sent.activity.attachments?.[0]?.content);
}

/**
 * The midway check end to end, with the server's clock moved by the test: the social worker gets
 * the prompt in their 1:1 chat at the midway date (in working hours), answers it through the
 * card's Action.Execute, the IRO gets the summary; a check left unanswered brings one reminder
 * after 5 working days and the IRO is told after 10; a social worker the bot cannot reach is
 * named to the IRO.
 */
describe('midway checks', () => {
  const harness = new BotHarness();
  const db = () => harness.server.services.store.db;
  const workingTime = () => harness.server.services.workingTime;
  /**
   * The IRO and social worker of the test: the playground's Alex and Megan when they share two
   * children whose midway dates are ahead and close together, otherwise the first such pair (the
   * demo council is drawn afresh from each day's date, so Alex and Megan do not always qualify).
   */
  let IRO: StaffPerson;
  let SW: StaffPerson;
  let iroUser: TeamsUser;
  let swUser: TeamsUser;
  /** Their children whose midway date is still ahead, soonest first. */
  let answered: Candidate;
  let ignored: Candidate;
  let decisionIds: number[] = [];

  const sentTo = (conversation: ConversationKind, mark: number) =>
    harness.connector.since(mark).filter((s) => s.conversationId === conversation.id);
  /** Midway cards about a child (the IRO's daily digest may name the child too: not counted). */
  const about = (sent: SentActivity[], childId: string) =>
    sent.filter((s) => textOf(cardOf(s)).includes(childId) && /[Mm]idway/.test(textOf(cardOf(s))));
  const run = () => harness.server.jobs.runner.runOnce();

  beforeAll(async () => {
    await harness.start({ JOBS_INTERVAL_SECONDS: '3600' }, { clock });
    const today = clock.today();
    const rows = await sql<Candidate & { iro: string; sw: string }>`
      select s.child_id as "childId", s.midway_on as "midwayOn", s.last_review_on as "lastReviewOn",
        (select max(r.id) from reviews r where r.child_id = s.child_id and r.status = 'held'
          and r.held_on = s.last_review_on) as "reviewId",
        iro.staff_email as iro, sw.staff_email as sw
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where s.period_end is null and s.midway_on > ${addDays(today, 3)}
      order by (iro.staff_email = ${PLAYGROUND_USERS.iro.email}
        and sw.staff_email = ${PLAYGROUND_USERS.socialWorker.email}) desc,
        iro.staff_email, sw.staff_email, s.midway_on, s.child_id`.execute(db());
    // Two children of one pair whose midway dates are close enough for the job that opens the
    // second check to open the first too (it opens those of the last MIDWAY_PROMPT_WINDOW_DAYS).
    const pairIndex = rows.rows.findIndex((first, i) => {
      const second = rows.rows[i + 1];
      return (
        second !== undefined &&
        second.iro === first.iro &&
        second.sw === first.sw &&
        second.midwayOn <= addDays(first.midwayOn, MIDWAY_PROMPT_WINDOW_DAYS - 7)
      );
    });
    expect(pairIndex).toBeGreaterThanOrEqual(0);
    const [first, second] = rows.rows.slice(pairIndex, pairIndex + 2) as [
      Candidate & { iro: string; sw: string },
      Candidate,
    ];
    IRO = await staffPerson(db(), first.iro);
    SW = await staffPerson(db(), first.sw);
    iroUser = teamsUserOf('29:iro', IRO);
    swUser = teamsUserOf('29:sw', SW);
    await harness.ask(iroUser, iroChat, 'hello');
    await harness.ask(swUser, swChat, 'hello');
    answered = first;
    ignored = second;
    // The last review of the first child was recorded with two decisions.
    const inserted = await db()
      .insertInto('reviewDecisions')
      .values([
        {
          reviewId: answered.reviewId,
          description: 'Arrange weekly contact with grandmother',
          ownerEmail: SW.email,
          dueOn: addDays(answered.lastReviewOn, 30),
        },
        {
          reviewId: answered.reviewId,
          description: 'Refer for CAMHS assessment',
          ownerEmail: SW.email,
          dueOn: null,
        },
      ])
      .returning('id')
      .execute();
    decisionIds = inserted.map((r) => r.id);
    // The second child's review had a decision too: a check with none is not chased.
    await db()
      .insertInto('reviewDecisions')
      .values({
        reviewId: ignored.reviewId,
        description: 'Apply for a passport',
        ownerEmail: SW.email,
        dueOn: null,
      })
      .execute();
  });
  afterAll(() => harness.stop());

  it('says nothing before the midway date', async () => {
    now = nextWorkingInstant(zonedTimeToInstant(clock.today(), '10:00', TZ), workingTime());
    const mark = harness.connector.sent.length;
    await run();
    expect(about(sentTo(swChat, mark), answered.childId)).toEqual([]);
  });

  it('waits for working hours: a midway date reached at night is asked the next working morning', async () => {
    const evening = zonedTimeToInstant(ignored.midwayOn, '20:00', TZ);
    now = evening;
    const mark = harness.connector.sent.length;
    await run();
    expect(harness.connector.since(mark)).toEqual([]);
    const checks = await db()
      .selectFrom('midwayChecks')
      .select(['childId', 'promptedAt'])
      .where('childId', 'in', [answered.childId, ignored.childId])
      .execute();
    expect(checks.map((c) => c.childId).sort()).toEqual([answered.childId, ignored.childId].sort());
    expect(checks.every((c) => c.promptedAt === null)).toBe(true);
    now = nextWorkingInstant(new Date(evening.getTime() + 60_000), workingTime());
    expect(todayIn(TZ, now) > ignored.midwayOn).toBe(true);
  });

  it("sends the social worker the check at the midway date, listing the last review's decisions", async () => {
    const mark = harness.connector.sent.length;
    await run();
    const prompts = about(sentTo(swChat, mark), answered.childId);
    expect(prompts).toHaveLength(1);
    const card = cardOf(prompts[0] as SentActivity);
    expect(textOf(card)).toContain(`Midway check: `);
    expect(textOf(card)).toContain('Arrange weekly contact with grandmother');
    expect(textOf(card)).toContain('Refer for CAMHS assessment');
    expect(textOf(card)).toContain(IRO.name);
    for (const id of decisionIds) expect(inputValue(card, `status_${id}`)).toBeDefined();
    const action = card.actions?.find((a) => a.verb === 'midway.answer');
    expect(action?.data).toEqual({ checkId: expect.any(Number) });
    expect(about(sentTo(swChat, mark), ignored.childId)).toHaveLength(1);
  });

  it('tells the IRO which social workers could not be reached, in one card', async () => {
    const unreachable = await db()
      .selectFrom('midwayChecks as m')
      .innerJoin('staff as s', 's.email', 'm.swEmail')
      .select(['m.childId', 'm.unreachableToldAt', 's.name'])
      .where('m.iroEmail', '=', IRO.email)
      .where('m.swEmail', '!=', SW.email)
      .execute();
    expect(unreachable.length).toBeGreaterThan(0);
    const told = sentTo(iroChat, 0).filter((s) =>
      /[Mm]idway checks? not sent/.test(textOf(cardOf(s))),
    );
    // One card for each run that found checks it could not send, naming every one of them.
    const runs = new Set(unreachable.map((c) => c.unreachableToldAt?.getTime()));
    expect(told).toHaveLength(runs.size);
    for (const check of unreachable) {
      const naming = told.filter((t) => textOf(cardOf(t)).includes(check.childId));
      expect(naming).toHaveLength(1);
      expect(textOf(cardOf(naming[0] as SentActivity))).toContain(check.name);
      expect(check.unreachableToldAt).not.toBeNull();
    }
  });

  it('sends each check once, however often the jobs run', async () => {
    const mark = harness.connector.sent.length;
    await run();
    await run();
    expect(about(sentTo(swChat, mark), answered.childId)).toEqual([]);
    const jobs = await db()
      .selectFrom('jobs')
      .select(['key', 'state', 'outcome'])
      .where('kind', '=', 'midway.prompt')
      .execute();
    expect(new Set(jobs.map((j) => j.key)).size).toBe(jobs.length);
  });

  const checkIdOf = async (childId: string) =>
    (
      await db()
        .selectFrom('midwayChecks')
        .select('id')
        .where('childId', '=', childId)
        .executeTakeFirstOrThrow()
    ).id;

  it('says what to fix and stores nothing when a decision has no answer', async () => {
    const checkId = await checkIdOf(answered.childId);
    const card = await harness.press(swUser, swChat, 'midway.answer', {
      checkId,
      [`status_${decisionIds[0]}`]: 'done',
      iroNote: 'Placement is settled.',
    });
    expect(textOf(card)).toContain('Choose how this decision is going.');
    expect(inputValue(card, 'iroNote')).toBe('Placement is settled.');
    const row = await db()
      .selectFrom('midwayChecks')
      .select('answeredAt')
      .where('id', '=', checkId)
      .executeTakeFirstOrThrow();
    expect(row.answeredAt).toBeNull();
  });

  it("refuses another person's answers without saying whose check it is", async () => {
    const checkId = await checkIdOf(answered.childId);
    const card = await harness.press(iroUser, iroChat, 'midway.answer', {
      checkId,
      [`status_${decisionIds[0]}`]: 'done',
      [`status_${decisionIds[1]}`]: 'done',
    });
    expect(textOf(card)).toContain('not yours to answer');
    expect(textOf(card)).not.toContain(answered.childId);
  });

  it('stores the answers once, audited, and sends the IRO a summary', async () => {
    const checkId = await checkIdOf(answered.childId);
    const answer = {
      checkId,
      [`status_${decisionIds[0]}`]: 'done',
      [`note_${decisionIds[0]}`]: 'Started in week 2',
      [`status_${decisionIds[1]}`]: 'delayed',
      [`note_${decisionIds[1]}`]: 'Waiting list of 14 weeks',
      iroNote: 'Placement is settled.',
    };
    const card = await harness.press(swUser, swChat, 'midway.answer', answer);
    expect(textOf(card)).toContain(`Sent to ${IRO.name}`);
    const progress = await db()
      .selectFrom('decisionProgress')
      .select(['decisionId', 'status', 'note', 'reportedBy'])
      .where('midwayCheckId', '=', checkId)
      .orderBy('decisionId')
      .execute();
    expect(progress).toEqual([
      {
        decisionId: decisionIds[0],
        status: 'done',
        note: 'Started in week 2',
        reportedBy: SW.email,
      },
      {
        decisionId: decisionIds[1],
        status: 'delayed',
        note: 'Waiting list of 14 weeks',
        reportedBy: SW.email,
      },
    ]);
    const audit = await db()
      .selectFrom('auditLog')
      .select(['actor', 'entityId', 'detail'])
      .where('action', '=', 'midway.answered')
      .execute();
    expect(audit).toEqual([
      {
        actor: SW.email,
        entityId: answered.childId,
        detail: { check: checkId, statuses: ['done', 'delayed'], noteToIro: true },
      },
    ]);
    // The audit log holds ids and codes, never the notes.
    expect(JSON.stringify(audit)).not.toContain('Waiting list');

    // Pressed again unchanged (a second tap, another device): thanked as before.
    const same = await harness.press(swUser, swChat, 'midway.answer', answer);
    expect(textOf(same)).toContain(`Thank you. Sent to ${IRO.name}`);
    // Sent again with a change: nothing more is stored, and the social worker is told so.
    const changed = await harness.press(swUser, swChat, 'midway.answer', {
      ...answer,
      [`status_${decisionIds[1]}`]: 'done',
    });
    expect(textOf(changed)).toContain('You sent this to');
    expect(textOf(changed)).toContain('these changes were not saved');
    expect(textOf(changed)).toContain(`tell ${IRO.name} in a Teams chat`);
    expect(textOf(changed)).not.toContain('Thank you');
    expect(textOf(changed)).toContain('Delayed');
    const mark = harness.connector.sent.length;
    await run();
    await run();
    const summaries = about(sentTo(iroChat, mark), answered.childId);
    expect(summaries).toHaveLength(1);
    const summary = textOf(cardOf(summaries[0] as SentActivity));
    expect(summary).toContain('Midway answers');
    expect(summary).toContain('Delayed (1)');
    expect(summary).toContain('Waiting list of 14 weeks');
    expect(summary).toContain('Placement is settled.');
    const stored = await db()
      .selectFrom('decisionProgress')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('midwayCheckId', '=', checkId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(2);
  });

  it('answers "midway answers for" in a 1:1 chat, for children the asker may see', async () => {
    const card = await harness.ask(iroUser, iroChat, `midway answers for ${answered.childId}`);
    expect(textOf(card)).toContain('Waiting list of 14 weeks');
    const group: ConversationKind = { type: 'groupChat', id: '19:iroUser-and-others@thread.v2' };
    harness.connector.setMembers(group.id, [
      { id: iroUser.id, name: iroUser.name, aadObjectId: iroUser.aadObjectId },
    ]);
    const inGroup = await harness.ask(iroUser, group, `midway answers for ${answered.childId}`);
    expect(textOf(inGroup)).not.toContain('Waiting list');
    const notTheirs = await db()
      .selectFrom('allocations')
      .select('childId')
      .where('role', '=', 'social_worker')
      .where('endDate', 'is', null)
      .where('staffEmail', '!=', SW.email)
      .executeTakeFirstOrThrow();
    const refused = await harness.ask(swUser, swChat, `midway answers for ${notTheirs.childId}`);
    const unknown = await harness.ask(swUser, swChat, 'midway answers for NOSUCHCHILD');
    expect(textOf(refused)).toContain("I can't find");
    expect(textOf(refused).replace(notTheirs.childId, 'X')).toBe(
      textOf(unknown).replace('NOSUCHCHILD', 'X'),
    );
  });

  it('"midway reviews due" says which checks were answered and which are waiting, not overdue', async () => {
    const checks = await db()
      .selectFrom('midwayChecks')
      .select(['childId', 'midwayOn', 'promptedAt', 'answeredAt'])
      .where('childId', 'in', [answered.childId, ignored.childId])
      .execute();
    const checkOf = (childId: string) => checks.find((c) => c.childId === childId);
    const dayOf = (at: Date | null | undefined) => longDay(todayIn(TZ, at as Date));
    // "on 16/12/2026": the list of that one midway date.
    const on = (date: LocalDate) => date.split('-').reverse().join('/');
    expect(ignored.midwayOn < clock.today()).toBe(true);

    const first = textOf(
      await harness.ask(iroUser, iroChat, `midway reviews due on ${on(answered.midwayOn)}`),
    );
    expect(first).toContain(answered.childId);
    expect(first).toContain(`Answered ${dayOf(checkOf(answered.childId)?.answeredAt)}`);
    const second = textOf(
      await harness.ask(iroUser, iroChat, `midway reviews due on ${on(ignored.midwayOn)}`),
    );
    expect(second).toContain(ignored.childId);
    expect(second).toContain(`Asked ${dayOf(checkOf(ignored.childId)?.promptedAt)}, no answer yet`);
    expect(`${first} ${second}`).not.toContain('overdue');
  });

  it('reminds the social worker once after 5 working days, and tells the IRO after 10', async () => {
    const promptedAt = (
      await db()
        .selectFrom('midwayChecks')
        .select('promptedAt')
        .where('childId', '=', ignored.childId)
        .executeTakeFirstOrThrow()
    ).promptedAt as Date;
    const fourDays = workingDaysAfter(promptedAt, 4, workingTime());
    now = fourDays;
    let mark = harness.connector.sent.length;
    await run();
    expect(about(sentTo(swChat, mark), ignored.childId)).toEqual([]);

    now = workingDaysAfter(promptedAt, 5, workingTime());
    mark = harness.connector.sent.length;
    await run();
    await run();
    const reminders = about(sentTo(swChat, mark), ignored.childId);
    expect(reminders).toHaveLength(1);
    expect(textOf(cardOf(reminders[0] as SentActivity))).toContain('Reminder: Midway check');
    // The answered check is not chased.
    expect(about(sentTo(swChat, mark), answered.childId)).toEqual([]);

    now = workingDaysAfter(promptedAt, 10, workingTime());
    mark = harness.connector.sent.length;
    await run();
    expect(about(sentTo(swChat, mark), ignored.childId)).toEqual([]);
    const told = about(sentTo(iroChat, mark), ignored.childId);
    expect(told).toHaveLength(1);
    expect(textOf(cardOf(told[0] as SentActivity))).toContain('No midway answer');
    expect(about(sentTo(iroChat, mark), answered.childId)).toEqual([]);
  });
});
