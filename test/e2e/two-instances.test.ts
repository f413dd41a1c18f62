import { setTimeout as sleep } from 'node:timers/promises';
import { TurnContext, type Activity } from 'botbuilder';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addDays, type LocalDate } from '../../src/domain/local-date.js';
import { nextWorkingInstant, type WorkingTime } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import { MIDWAY_PROMPT_WINDOW_DAYS } from '../../src/jobs/midway-jobs.js';
import { startServer } from '../../src/server.js';
import { createLogger } from '../../src/shared/logger.js';
import { createPgConversationRepository } from '../../src/store/conversation-repository.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { textOf } from '../support/bot-harness.js';
import { RecordingConnector, type SentActivity } from '../support/recording-connector.js';
import { spawnServer, stopSpawned, type SpawnedServer } from '../support/spawn-server.js';
import { freshPostgresUrl } from '../support/store-dialects.js';
import { messageActivity } from '../support/teams-activities.js';

const TZ = 'Europe/London';
const LEASE_SECONDS = 5;
/** How long the stand-in Bot Connector takes to answer each post, so that sends are in flight. */
const CONNECTOR_DELAY_MS = 100;

interface MidwayPost {
  kind: 'prompt' | 'reminder';
  checkId: number;
  conversationId: string;
  text: string;
  arrivedAt: number;
}

interface JobsRun {
  worker: string;
  done: number;
  retried: number;
  dropped: number;
  lost: number;
}

/** The check named by a card's "midway.answer" action, wherever in the card it is. */
function answeredCheckOf(node: unknown): number | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = answeredCheckOf(item);
      if (found !== undefined) return found;
    }
  } else if (node && typeof node === 'object') {
    const o = node as { verb?: unknown; data?: { checkId?: unknown } };
    if (o.verb === 'midway.answer' && typeof o.data?.checkId === 'number') return o.data.checkId;
    return answeredCheckOf(Object.values(node));
  }
  return undefined;
}

/** The midway prompt or reminder a post carries (its card's answer action names the check). */
function midwayPostOf(sent: SentActivity, arrivedAt = 0): MidwayPost | null {
  const card = sent.activity.attachments?.[0]?.content;
  const text = textOf(card);
  const checkId = answeredCheckOf(card);
  if (!text.includes('Midway check') || checkId === undefined) return null;
  return {
    kind: text.includes('Reminder: Midway check') ? 'reminder' : 'prompt',
    checkId,
    conversationId: sent.conversationId,
    text,
    arrivedAt,
  };
}

/** What an instance's `jobs run` log lines say it did. */
function jobsRunOf(output: string): JobsRun[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"msg":"jobs run"'))
    .map((line) => JSON.parse(line) as JobsRun);
}

/** The jobs an instance took up after another left them unfinished (it warns of each). */
function resumedOf(output: string): { job: string }[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"msg":"taking up a job another instance left unfinished'))
    .map((line) => JSON.parse(line) as { job: string });
}

/** When the instance's clock was set (it is set right after the store is open). */
function clockSetAt(output: string): number {
  const line = output.split('\n').find((l) => l.includes('"msg":"store open and migrated"'));
  if (!line) throw new Error(`no "store open and migrated" line in:\n${output}`);
  return (JSON.parse(line) as { time: number }).time;
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms: number,
  everyMs = 5,
) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Two server instances share one PostgreSQL database and its job table. The demo council is
 * seeded, every colleague has a 1:1 chat with the bot (a stored conversation reference pointing
 * at a recording Bot Connector that takes 100 ms to answer each post), and both instances start
 * with their clocks at a working morning when dozens of midway checks come due.
 *
 * A: with both running, every check's prompt reaches its social worker's chat exactly once, and
 * both instances sent some. B: five working days on, when the reminders come due, one instance is
 * killed (SIGKILL) while both are sending; the other finishes the work. Nothing is lost, and
 * nothing is sent twice except possibly the one message the dead instance had handed to Teams:
 * the Bot Connector has no idempotency key, so a post that reached Teams just before the crash is
 * sent again when the job's lease runs out. There is at most one such repeat, and its job shows
 * two attempts.
 */
describe.runIf(process.env['DATABASE_URL'])('two server instances on one database', () => {
  const connector = new RecordingConnector();
  let databaseUrl: string;
  let drop: (() => Promise<void>) | undefined;
  let store: Store;
  let workingTime: WorkingTime;
  const running: SpawnedServer[] = [];
  /** Staff e-mail -> the conversation id of their 1:1 chat with the bot. */
  const chatOf = new Map<string, string>();
  let roundA: Date;
  let checksAfterA: { id: number; childId: string; swEmail: string }[] = [];

  const posts = (from: number): MidwayPost[] =>
    connector.sent
      .map((s, i) => (i >= from ? midwayPostOf(s, connector.arrivedAt[i]) : null))
      .filter((p): p is MidwayPost => p !== null);

  /** Reviews whose midway check the planner opens on `day` (as openDueChecks selects them). */
  const dueOn = async (day: LocalDate): Promise<number[]> => {
    const since = addDays(day, -MIDWAY_PROMPT_WINDOW_DAYS);
    const allocated = (role: string) => sql`exists (select 1 from allocations a
      where a.child_id = s.child_id and a.role = ${role} and a.start_date <= ${day}
        and (a.end_date is null or a.end_date >= ${day}))`;
    const result = await sql<{ reviewId: number }>`
      select (select r.id from reviews r where r.child_id = s.child_id and r.status = 'held'
          and r.held_on = s.last_review_on order by r.id desc limit 1) as "reviewId"
      from review_status s
      where s.midway_on between ${since} and ${day} and s.period_end is null
        and s.last_review_on is not null and (s.next_due_on is null or s.next_due_on > ${day})
        and ${allocated('social_worker')} and ${allocated('iro')}`.execute(store.db);
    return result.rows.map((r) => r.reviewId).filter((id) => id !== null);
  };

  const checks = () =>
    store.db
      .selectFrom('midwayChecks')
      .select(['id', 'childId', 'swEmail'])
      .orderBy('id')
      .execute();

  /** Jobs still to run by `horizon` (retries included); later reminders are not counted. */
  const pendingBy = async (horizon: Date) =>
    Number(
      (
        await store.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('state', '=', 'pending')
          .where('runAfter', '<=', horizon)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /**
   * Starts two instances whose clocks agree; says how far apart they are (ms). CLOCK_START sets
   * an instance's clock once its store is open, and two processes started together on busy
   * cores get there seconds apart (up to 6.6 s seen): a clock ahead by more than a lease less
   * the time a job takes would see the other's live leases as run out. So the test holds the
   * migrations table locked until both instances wait for it, as if a migration were running.
   */
  const startBoth = async (
    clockStart: Date,
  ): Promise<{ both: [SpawnedServer, SpawnedServer]; skew: number }> => {
    const env = {
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      CLOCK_START: clockStart.toISOString(),
      JOBS_INTERVAL_SECONDS: '1',
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      PORT: '0',
    };
    const gate = new pg.Client({ connectionString: databaseUrl });
    await gate.connect();
    await gate.query('begin');
    await gate.query('lock table kysely_migration in access exclusive mode');
    const starting = Promise.allSettled([spawnServer(env), spawnServer(env)]);
    let exited = false;
    void starting.then((r) => (exited = r.some((s) => s.status === 'rejected')));
    const waited = await until(
      'both instances to open the store',
      async () => {
        if (exited) return true;
        // Asked outside the gate's transaction, which sees the server's activity as it was.
        const { rows } = await sql<{ n: number }>`select count(*)::int as n
          from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(store.db);
        return rows[0]?.n === 2;
      },
      60_000,
      50,
    ).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    await gate.query('commit');
    await gate.end();
    const started = await starting;
    for (const s of started) if (s.status === 'fulfilled') running.push(s.value);
    if (waited) throw waited.error;
    const both = started.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    }) as [SpawnedServer, SpawnedServer];
    const skew = Math.abs(clockSetAt(both[0].output()) - clockSetAt(both[1].output()));
    expect(skew).toBeLessThan(1_000);
    return { both, skew };
  };

  const stop = async (server: SpawnedServer) => {
    await stopSpawned(server);
    running.splice(running.indexOf(server), 1);
  };

  beforeAll(async () => {
    connector.delayMs = CONNECTOR_DELAY_MS;
    await connector.start();
    ({ url: databaseUrl, drop } = await freshPostgresUrl());
    // Seeds the demo council (as of today) through the ordinary start, and sends nothing.
    const seeder = await startServer(
      loadConfig({
        DATABASE_URL: databaseUrl,
        DEMO_DATA: 'true',
        MIDWAY_CHECKS: 'false',
        JOBS_INTERVAL_SECONDS: '3600',
        PORT: '0',
      }),
      createLogger('silent'),
    );
    workingTime = seeder.services.workingTime;
    const seededOn = seeder.services.clock.today();
    await seeder.close();
    store = await openStore({ kind: 'postgres', databaseUrl, maxConnections: 3 });

    // Every colleague with an Entra id has opened the app: the bot stored their 1:1 chat as
    // IroBot.remember does, from the activity Teams sent.
    const staff = await store.db
      .selectFrom('staff')
      .select(['email', 'name', 'aadObjectId'])
      .where('aadObjectId', 'is not', null)
      .execute();
    const conversations = createPgConversationRepository(store.db);
    for (const person of staff) {
      const aad = person.aadObjectId as string;
      const chat = { type: 'personal' as const, id: `a:personal-${aad}` };
      const activity = messageActivity(
        connector.url,
        { id: `29:${aad}`, name: person.name, aadObjectId: aad },
        chat,
        'hello',
      );
      // As the adapter takes it: the JSON body Teams posted.
      const inbound = JSON.parse(JSON.stringify(activity)) as Partial<Activity>;
      await conversations.remember({
        conversationId: chat.id,
        scope: 'personal',
        aadObjectId: aad,
        reference: { ...TurnContext.getConversationReference(inbound) },
      });
      chatOf.set(person.email, chat.id);
    }
    expect(chatOf.size).toBeGreaterThan(40);

    // The working day of the next month when most midway checks come due, at 10:00.
    let best: { day: LocalDate; due: number } | undefined;
    for (let d = 0; d <= 30; d += 1) {
      const day = addDays(seededOn, d);
      if (!workingTime.calendar.isWorkingDay(day)) continue;
      const due = (await dueOn(day)).length;
      if (!best || due > best.due) best = { day, due };
    }
    expect(best?.due).toBeGreaterThanOrEqual(20);
    const day = (best as { day: LocalDate }).day;
    roundA = zonedTimeToInstant(day, '10:00', TZ);
    // Each of those reviews set a decision, so its check is chased (one with none is not): round
    // B has reminders to send.
    await store.db
      .insertInto('reviewDecisions')
      .values(
        (await dueOn(day)).map((reviewId) => ({
          reviewId,
          description: 'Arrange weekly contact',
          ownerEmail: null,
          dueOn: null,
        })),
      )
      .execute();
  });

  afterAll(async () => {
    for (const server of running) server.child.kill('SIGKILL');
    await Promise.all(running.map((s) => s.exited));
    await store?.close();
    await drop?.();
    await connector.stop();
  });

  it('A: with both instances running, each midway prompt is sent once, by one or the other', async () => {
    const mark = connector.sent.length;
    const {
      both: [first, second],
      skew,
    } = await startBoth(roundA);
    const horizon = new Date(roundA.getTime() + 3_600_000);
    await until(
      'the prompts to be sent',
      async () =>
        (await checks()).length > 0 &&
        (await pendingBy(horizon)) === 0 &&
        connector.inFlight.size === 0,
      40_000,
    );
    await Promise.all([stop(first), stop(second)]);

    checksAfterA = await checks();
    expect(checksAfterA.length).toBeGreaterThanOrEqual(20);
    const sent = posts(mark);
    expect(sent.length).toBeGreaterThan(0);
    expect(connector.abandoned).toEqual([]);
    expect(sent.every((p) => p.kind === 'prompt')).toBe(true);
    for (const check of checksAfterA) {
      const prompts = sent.filter((p) => p.checkId === check.id);
      expect(prompts, `prompts for check ${check.id}`).toHaveLength(1);
      const [prompt] = prompts as [MidwayPost];
      expect(prompt.conversationId).toBe(chatOf.get(check.swEmail));
      expect(prompt.text).toMatch(new RegExp(`\\b${check.childId}\\b`));
    }
    expect(sent).toHaveLength(checksAfterA.length);

    const jobs = await store.db
      .selectFrom('jobs')
      .select(['key', 'state', 'outcome', 'attempts'])
      .where('kind', '=', 'midway.prompt')
      .execute();
    expect(jobs).toHaveLength(checksAfterA.length);
    expect(jobs.every((j) => j.state === 'done' && j.outcome === 'sent' && j.attempts === 1)).toBe(
      true,
    );

    // Both did some of the work, and neither lost a job it held to the other.
    const byFirst = jobsRunOf(first.output());
    const bySecond = jobsRunOf(second.output());
    const doneBy = (runs: JobsRun[]) => runs.reduce((n, r) => n + r.done + r.dropped, 0);
    expect(doneBy(byFirst)).toBeGreaterThan(0);
    expect(doneBy(bySecond)).toBeGreaterThan(0);
    // Every job finished so far (prompts, and any other work of the day) was one of theirs.
    const finished = await store.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('state', '!=', 'pending')
      .executeTakeFirstOrThrow();
    expect(doneBy(byFirst) + doneBy(bySecond)).toBe(Number(finished.n));
    expect([...byFirst, ...bySecond].every((r) => r.lost === 0)).toBe(true);
    expect([...resumedOf(first.output()), ...resumedOf(second.output())]).toEqual([]);
    console.info(
      `two instances, A: ${jobs.length} prompts sent; jobs finished: ${doneBy(byFirst)} by one instance, ${doneBy(bySecond)} by the other; clocks ${skew} ms apart`,
    );
  });

  it('B: an instance killed mid-send loses nothing, and repeats at most the post in flight', async () => {
    expect(checksAfterA.length).toBeGreaterThan(0);
    const reminders = await store.db
      .selectFrom('jobs')
      .select(({ fn }) => fn.max('runAfter').as('last'))
      .where('kind', '=', 'midway.reminder')
      .executeTakeFirstOrThrow();
    const roundB = nextWorkingInstant(new Date(reminders.last.getTime() + 60_000), workingTime);
    const horizon = new Date(roundB.getTime() + 3_600_000);
    const mark = connector.sent.length;
    const {
      both: [victim, survivor],
      skew,
    } = await startBoth(roundB);

    // Both instances have a post in the Connector's hands (an instance sends one at a time):
    // the one killed dies with its post unanswered. The Connector then holds its answers for a
    // second, so that it sees the dead instance's connection close first: that post is
    // abandoned (Teams may or may not have shown it), the other is answered late.
    const isMidway = (s: SentActivity) => midwayPostOf(s) !== null;
    await until(
      'both instances to be sending',
      () =>
        posts(mark).length >= 20 && [...connector.inFlight.keys()].filter(isMidway).length === 2,
      30_000,
    );
    connector.hold(1_000);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    const flying = [...connector.inFlight.keys()]
      .map((s) => midwayPostOf(s))
      .filter((p): p is MidwayPost => p !== null);
    const held = await store.db
      .selectFrom('jobs')
      .select(['id', 'key', 'lockedBy'])
      .where('state', '=', 'pending')
      .where('lockedBy', 'is not', null)
      .execute();
    expect(await victim.exited).toBe('SIGKILL');
    running.splice(running.indexOf(victim), 1);
    const beforeKill = posts(mark).filter((p) => p.arrivedAt <= killedAt).length;

    await until(
      'the survivor to finish the work',
      async () => (await pendingBy(horizon)) === 0 && connector.inFlight.size === 0,
      40_000,
    );
    await stop(survivor);

    // The job the dead instance held: still locked under its name right after the kill.
    const survivorRuns = jobsRunOf(survivor.output());
    const survivorName = survivorRuns[0]?.worker;
    expect(survivorName).toBeDefined();
    expect(survivorRuns.every((r) => r.worker === survivorName && r.lost === 0)).toBe(true);
    const stranded = held.filter((j) => j.lockedBy !== survivorName);
    expect(stranded).toHaveLength(1);
    const strandedId = String((stranded[0] as { id: string | number }).id);
    const dead = await store.db
      .selectFrom('jobs')
      .select(['key', 'state', 'outcome', 'attempts'])
      .where('id', '=', strandedId)
      .executeTakeFirstOrThrow();
    // Finished by the survivor once the lease ran out, and it said so.
    expect(dead).toMatchObject({ state: 'done', outcome: 'sent' });
    expect(dead.attempts).toBeGreaterThanOrEqual(2);
    expect(resumedOf(survivor.output()).map((r) => String(r.job))).toEqual([strandedId]);

    // Every check's prompt and every due reminder was delivered (answered by the Connector); the
    // post the dead instance had in flight is not counted as delivered, but may be a repeat.
    const all = posts(0);
    const roundBPosts = posts(mark);
    const abandoned = connector.abandoned
      .map((a) => midwayPostOf(a.sent, a.arrivedAt))
      .filter((p): p is MidwayPost => p !== null);
    expect(abandoned).toHaveLength(1);
    expect(connector.abandoned).toHaveLength(1);
    const checksNow = await checks();
    const newChecks = checksNow.filter((c) => !checksAfterA.some((a) => a.id === c.id));
    const expected = [
      ...checksNow.map((c) => ({ kind: 'prompt' as const, check: c })),
      ...checksAfterA.map((c) => ({ kind: 'reminder' as const, check: c })),
    ];
    const repeats: { key: string; posts: MidwayPost[] }[] = [];
    for (const { kind, check } of expected) {
      const about = (p: MidwayPost) => p.kind === kind && p.checkId === check.id;
      const delivered = all.filter(about);
      expect(delivered.length, `${kind} of check ${check.id}`).toBeGreaterThanOrEqual(1);
      const seen = [...abandoned.filter(about), ...delivered].sort(
        (a, b) => a.arrivedAt - b.arrivedAt,
      );
      for (const p of seen) {
        expect(p.conversationId).toBe(chatOf.get(check.swEmail));
        expect(p.text).toMatch(new RegExp(`\\b${check.childId}\\b`));
      }
      if (seen.length > 1) repeats.push({ key: `midway.${kind}:${check.id}`, posts: seen });
    }
    const extra = repeats.reduce((n, r) => n + r.posts.length - 1, 0);
    expect(all.length + abandoned.length).toBe(expected.length + extra);
    // Teams takes no idempotency key: a post that reached it just before the crash is sent again
    // once the lease runs out. At most one such repeat, the dead instance's job, tried twice.
    expect(repeats.length).toBeLessThanOrEqual(1);
    for (const repeat of repeats) {
      expect(repeat.key).toBe(dead.key);
      expect(repeat.posts).toHaveLength(2);
      // The first went out from the dead instance, in flight when it died; the second from the
      // survivor only after the lease ran out (give or take the instances' clock difference).
      expect(flying.some((p) => `midway.${p.kind}:${p.checkId}` === repeat.key)).toBe(true);
      const [once, again] = repeat.posts as [MidwayPost, MidwayPost];
      expect(once.arrivedAt).toBeLessThanOrEqual(killedAt);
      expect(again.arrivedAt - killedAt).toBeGreaterThan(LEASE_SECONDS * 1000 - skew - 500);
    }
    const jobs = await store.db
      .selectFrom('jobs')
      .select(['key', 'state', 'outcome', 'attempts'])
      .where('runAfter', '<=', horizon)
      .where('kind', 'in', ['midway.prompt', 'midway.reminder'])
      .execute();
    expect(jobs).toHaveLength(expected.length);
    expect(jobs.every((j) => j.state === 'done' && j.outcome === 'sent')).toBe(true);
    expect(jobs.filter((j) => j.attempts > 1).map((j) => j.key)).toEqual([dead.key]);

    expect(roundBPosts.filter((p) => p.kind === 'reminder').length).toBeGreaterThan(0);
    expect(beforeKill).toBeGreaterThanOrEqual(20);
    expect(roundBPosts.length - beforeKill).toBeGreaterThan(0);
    const again = repeats[0]?.posts[1];
    console.info(
      `two instances, B: ${roundBPosts.length} posts delivered (${checksAfterA.length} reminders, ${newChecks.length} new prompts), ${beforeKill} before the kill; ${abandoned.length} abandoned in flight; ${repeats.length} repeated${again ? `, ${again.arrivedAt - killedAt} ms after the kill` : ''}; clocks ${skew} ms apart`,
    );
  });
});
