import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { addDays, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { nextWorkingInstant, workingDaysAfter } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import { UNREACHABLE_ATTEMPTS } from '../../src/jobs/deliver.js';
import { refreshReviewState } from '../../src/store/review-state-repository.js';
import type { Clock } from '../../src/services.js';
import { staffPerson, teamsUserOf, type StaffPerson } from '../support/staff-person.js';
import { BotHarness, checked, textOf } from '../support/bot-harness.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const TZ = 'Europe/London';
let now = new Date();
const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };
const iroChat: ConversationKind = { type: 'personal', id: 'a:iro-personal' };
const swChat: ConversationKind = { type: 'personal', id: 'a:sw-personal' };

/**
 * A social worker who opens IRO Assistant weeks after their midway check came due (the app
 * cannot be added for them: no catalog id here). The IRO was told "I send the check when they
 * do": that promise holds past the two weeks of hourly tries, until the next review is due. The
 * review was recorded without decisions, so the check asks only for a note and is not chased.
 */
describe('a midway check for a social worker who opens the app late', () => {
  const harness = new BotHarness();
  let child = '';
  let midwayOn = '' as LocalDate;
  let nextDueOn = '' as LocalDate;
  let IRO: StaffPerson;
  let SW: StaffPerson;
  let iroUser: TeamsUser;
  let swUser: TeamsUser;
  /** A second child, of another social worker, whose review is overtaken by a later one. */
  let later: { childId: string; midwayOn: LocalDate; sw: string } | undefined;
  const db = () => harness.server.services.store.db;
  const workingTime = () => harness.server.services.workingTime;
  const run = () => harness.server.jobs.runner.runOnce();
  const cardsTo = (conversation: ConversationKind, mark: number) =>
    harness.connector
      .since(mark)
      .filter((s) => s.conversationId === conversation.id)
      .map((s) => textOf(checked(s.activity.attachments?.[0]?.content)));
  const promptJob = () =>
    db()
      .selectFrom('jobs as j')
      .innerJoin('midwayChecks as m', (join) =>
        join.on('j.key', '=', sql<string>`'midway.prompt:' || m.id`),
      )
      .select(['j.state', 'j.attempts', 'j.runAfter', 'j.lastError', 'm.promptedAt'])
      .where('m.childId', '=', child)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    await harness.start({ JOBS_INTERVAL_SECONDS: '3600' }, { clock });
    const today = clock.today();
    // A child whose midway date is ahead and whose next review is at least two months later.
    const rows = await sql<{
      childId: string;
      midwayOn: LocalDate;
      nextDueOn: LocalDate;
      reviewId: number;
      iro: string;
      sw: string;
    }>`
      select s.child_id as "childId", s.midway_on as "midwayOn", s.next_due_on as "nextDueOn",
        (select max(r.id) from reviews r where r.child_id = s.child_id and r.status = 'held'
          and r.held_on = s.last_review_on) as "reviewId",
        iro.staff_email as iro, sw.staff_email as sw
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where s.period_end is null and s.midway_on > ${addDays(today, 3)}
        and s.next_due_on > s.midway_on + 60
      order by (iro.staff_email = ${PLAYGROUND_USERS.iro.email}) desc, s.midway_on, s.child_id
      limit 1`.execute(db());
    const first = rows.rows[0];
    expect(first).toBeDefined();
    if (!first) return;
    // Its midway date well after the first child's, so the first child's story is told by then.
    const second = await sql<{ childId: string; midwayOn: LocalDate; sw: string }>`
      select s.child_id as "childId", s.midway_on as "midwayOn", sw.staff_email as sw
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      where s.period_end is null and s.midway_on > ${addDays(first.midwayOn, 60)}
        and s.next_due_on > s.midway_on + 30 and sw.staff_email <> ${first.sw}
        and exists (select 1 from allocations iro where iro.child_id = s.child_id
          and iro.role = 'iro' and iro.end_date is null)
      order by s.midway_on, s.child_id
      limit 1`.execute(db());
    later = second.rows[0];
    expect(later).toBeDefined();
    child = first.childId;
    midwayOn = first.midwayOn;
    nextDueOn = first.nextDueOn;
    await db().deleteFrom('reviewDecisions').where('reviewId', '=', first.reviewId).execute();
    IRO = await staffPerson(db(), first.iro);
    SW = await staffPerson(db(), first.sw);
    iroUser = teamsUserOf('29:iro', IRO);
    swUser = teamsUserOf('29:sw', SW);
    await harness.ask(iroUser, iroChat, 'hello');
  });
  afterAll(() => harness.stop());

  it('tells the IRO it will send the check when the social worker opens the app', async () => {
    now = nextWorkingInstant(zonedTimeToInstant(midwayOn, '10:00', TZ), workingTime());
    const mark = harness.connector.sent.length;
    await run();
    const told = cardsTo(iroChat, mark).filter((t) => t.includes(child));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/[Mm]idway checks? not sent/);
    expect(told[0]).toContain(SW.name);
    expect(told[0]).toContain('when they do');
  });

  it('keeps trying after two weeks of hourly tries, once a working day', async () => {
    // Two working weeks of hourly tries, as the job runner would have made them (running the
    // jobs each hour for that long takes minutes: the count is what the delivery reads).
    now = workingDaysAfter(now, 10, workingTime());
    await db()
      .updateTable('jobs')
      .set({ attempts: UNREACHABLE_ATTEMPTS - 2, runAfter: now })
      .where(
        'key',
        '=',
        sql<string>`'midway.prompt:' || (select id from midway_checks where child_id = ${child})`,
      )
      .execute();
    for (let hour = 0; hour < 3; hour += 1) {
      await run();
      now = nextWorkingInstant(new Date(now.getTime() + 3_600_000), workingTime());
    }
    const job = await promptJob();
    expect(job.state).toBe('pending');
    expect(job.attempts).toBe(UNREACHABLE_ATTEMPTS);
    // Next tried a working day later, not an hour.
    expect(new Date(job.runAfter).getTime() - now.getTime()).toBeGreaterThan(12 * 3_600_000);
    // The IRO was told once, not every day.
    const told = cardsTo(iroChat, 0).filter((t) => t.includes(child) && /not sent/.test(t));
    expect(told).toHaveLength(1);
    // Managers' figures count it as waiting for the social worker, not as one nobody sent.
    const rows = await harness.server.services.reminders.followUpRows(midwayOn, midwayOn, {
      childIds: [child],
    });
    expect(rows.midway).toEqual([
      { asked: false, answered: false, notReached: true, givenUp: false },
    ]);
  });

  it('sends the check as soon as the social worker says hello, weeks later', async () => {
    now = workingDaysAfter(now, 5, workingTime());
    expect(clock.today() < nextDueOn).toBe(true);
    const mark = harness.connector.sent.length;
    await harness.ask(swUser, swChat, 'hello');
    // The same hour, not the next day's try: a new chat wakes the jobs waiting for one.
    await run();
    const prompts = cardsTo(swChat, mark).filter((t) => t.includes(child));
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('Midway check');
    expect(prompts[0]).toContain('Nothing needs an answer');
    const job = await promptJob();
    expect(job.state).toBe('done');
    expect(job.promptedAt).not.toBeNull();
  });

  it('does not chase a check that asks only for a note', async () => {
    const sentAt = now;
    const mark = harness.connector.sent.length;
    for (const days of [5, 10, 11]) {
      now = workingDaysAfter(sentAt, days, workingTime());
      await run();
    }
    expect(cardsTo(swChat, mark).filter((t) => t.includes(child))).toEqual([]);
    expect(cardsTo(iroChat, mark).filter((t) => t.includes(child) && /[Mm]idway/.test(t))).toEqual(
      [],
    );
    const chased = await db()
      .selectFrom('jobs')
      .select('key')
      .where('kind', 'in', ['midway.reminder', 'midway.noAnswer'])
      .where(
        'key',
        'like',
        sql<string>`'%:' || (select id from midway_checks where child_id = ${child})`,
      )
      .execute();
    expect(chased).toEqual([]);
  });

  it('drops a check still waiting for its social worker once a later review is held', async () => {
    if (!later) return;
    const { childId, midwayOn: laterMidway } = later;
    now = nextWorkingInstant(zonedTimeToInstant(laterMidway, '10:00', TZ), workingTime());
    await run();
    const check = await db()
      .selectFrom('midwayChecks')
      .select(['id', 'reviewId'])
      .where('childId', '=', childId)
      .executeTakeFirstOrThrow();
    const prompt = () =>
      db()
        .selectFrom('jobs')
        .select(['state', 'outcome'])
        .where('key', '=', `midway.prompt:${check.id}`)
        .executeTakeFirstOrThrow();
    // Not reached: their social worker has not opened the app.
    expect((await prompt()).state).toBe('pending');
    // The next review is held early (brought forward after a change of placement) and imported.
    const heldOn = addDays(clock.today(), -1);
    await db()
      .insertInto('reviews')
      .values({ childId, heldOn, status: 'held', reviewCode: 'PN1', source: 'import' })
      .execute();
    await db()
      .transaction()
      .execute((trx) => refreshReviewState(trx, harness.server.services.calendar, [childId]));
    const otherSw = await staffPerson(db(), later.sw);
    const chat: ConversationKind = { type: 'personal', id: 'a:later-sw-personal' };
    const mark = harness.connector.sent.length;
    await harness.ask(teamsUserOf('29:later-sw', otherSw), chat, 'hello');
    await run();
    // The old review's decisions are not asked about: the new review set the ones to follow.
    expect(cardsTo(chat, mark).filter((t) => t.includes(childId) && /[Mm]idway/.test(t))).toEqual(
      [],
    );
    expect(await prompt()).toEqual({ state: 'dropped', outcome: 'a later review was held' });
    const rows = await harness.server.services.reminders.followUpRows(laterMidway, laterMidway, {
      childIds: [childId],
    });
    expect(rows.midway).toEqual([
      { asked: false, answered: false, notReached: false, givenUp: true },
    ]);
  });
});
