import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { todayIn } from '../../src/domain/local-date.js';
import type { Clock } from '../../src/services.js';
import type { DemoSignIn } from '../../src/tab/api-types.js';
import { BotHarness, textOf } from '../support/bot-harness.js';
import { EntraTestKeys } from '../support/entra-test-keys.js';
import { freshPostgresUrl } from '../support/store-dialects.js';
import {
  cardActionInvoke,
  installationUpdateActivity,
  messageActivity,
  type ConversationKind,
  type TeamsUser,
} from '../support/teams-activities.js';

const TZ = 'Europe/London';
const { iro, socialWorker } = PLAYGROUND_USERS;

/**
 * A clock the test moves by hand, a minute or two ahead of the real one (sign-in tokens are
 * stamped with the real time). `nextMinute()` puts it 10 seconds into the next minute, so that a
 * refused caller is told to wait 50 seconds.
 */
function handClock() {
  let now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 70_000);
  const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };
  return {
    clock,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    nextMinute() {
      now = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 70_000);
    },
  };
}

const teamsUser = (who: { name: string; aadObjectId: string }, n: number): TeamsUser => ({
  id: `29:rate-${n}`,
  name: who.name,
  aadObjectId: who.aadObjectId,
});
const chat = (u: TeamsUser): ConversationKind => ({ type: 'personal', id: `a:personal-${u.id}` });

async function get(base: string, path: string, token: string) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

function signIn(base: string, email: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/tab/demo/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email }),
  });
}

/**
 * Per-person request limits on one instance (the embedded store): five requests a minute here,
 * against a default no one reaches by hand.
 */
describe('request limits on one instance', () => {
  const harness = new BotHarness();
  const time = handClock();
  const tokens: Record<string, string> = {};
  let base = '';

  beforeAll(async () => {
    await harness.start(
      { RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_SIGN_IN_PER_MINUTE: '4' },
      { clock: time.clock },
    );
    base = harness.server.url;
    for (const person of [iro, socialWorker]) {
      const response = await signIn(base, person.email);
      expect(response.status).toBe(200);
      tokens[person.email] = ((await response.json()) as DemoSignIn).token;
    }
  });
  afterAll(() => harness.stop());

  it('answers 429 with Retry-After to the person over the limit only, until the minute is over', async () => {
    time.nextMinute();
    const mine = tokens[iro.email] as string;
    for (let i = 0; i < 5; i += 1) expect((await get(base, '/api/tab/me', mine)).status).toBe(200);

    const refused = await get(base, '/api/tab/me', mine);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('50');
    expect(refused.body).toEqual({
      error: 'Too many requests: wait 50 seconds, then try again.',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // The Outlook add-in's API is counted with the tab's.
    const pane = await get(base, '/api/tab/outlook/subject?childId=A00001', mine);
    expect(pane.status).toBe(429);
    // Someone else is not held up.
    expect((await get(base, '/api/tab/me', tokens[socialWorker.email] as string)).status).toBe(200);

    time.advance(49_000);
    const stillRefused = await get(base, '/api/tab/me', mine);
    expect([stillRefused.status, stillRefused.retryAfter]).toEqual([429, '1']);
    time.advance(1_000);
    expect((await get(base, '/api/tab/me', mine)).status).toBe(200);
  });

  it('lets exactly the limit through when requests arrive together', async () => {
    time.nextMinute();
    const mine = tokens[iro.email] as string;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () => get(base, '/api/tab/me', mine).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('tells a person in chat once to wait, answers nothing more that minute, and then answers again', async () => {
    time.nextMinute();
    const me = teamsUser(iro, 1);
    for (let i = 0; i < 5; i += 1) {
      const card = await harness.ask(me, chat(me), 'help');
      expect(textOf(card)).not.toContain('One moment');
    }
    const wait = await harness.ask(me, chat(me), 'help');
    expect(textOf(wait)).toBe(
      "One moment\nYou're sending me requests faster than I can answer them. Wait 50 seconds, then try again.",
    );

    // More messages that minute: no answer at all (a flood is not answered with a flood).
    const mark = harness.connector.sent.length;
    for (let i = 0; i < 3; i += 1) {
      const response = await harness.post(
        messageActivity(harness.connector.url, me, chat(me), 'help'),
      );
      expect(response.status).toBe(200);
    }
    // A card press gets its invoke answer: a text Teams shows, the card left as it was.
    const press = await harness.post(
      cardActionInvoke(harness.connector.url, me, chat(me), 'question.ask', { question: 'help' }),
    );
    expect(press.status).toBe(200);
    expect(await press.json()).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value:
        "You're sending me requests faster than I can answer them. Wait 50 seconds, then try again.",
    });
    expect(harness.connector.since(mark)).toHaveLength(0);

    // Teams' own activities are not counted: installing the app still says hello.
    await harness.post(installationUpdateActivity(harness.connector.url, me, chat(me)));
    expect(harness.connector.since(mark)).toHaveLength(1);

    // Someone else is answered; and the next minute, so is this person.
    const other = teamsUser(socialWorker, 2);
    expect(textOf(await harness.ask(other, chat(other), 'help'))).not.toContain('One moment');
    time.nextMinute();
    expect(textOf(await harness.ask(me, chat(me), 'help'))).not.toContain('One moment');
  });

  it('counts one person once whatever the case of their object id', async () => {
    time.nextMinute();
    const lower = {
      id: '29:cased',
      name: 'Cased',
      aadObjectId: 'abcdef12-3456-4789-abcd-ef1234567890',
    };
    for (let i = 0; i < 6; i += 1) await harness.ask(lower, chat(lower), 'help');
    const mark = harness.connector.sent.length;
    for (const aadObjectId of [
      lower.aadObjectId.toUpperCase(),
      'ABCdef12-3456-4789-ABCD-ef1234567890',
    ]) {
      const response = await harness.post(
        messageActivity(harness.connector.url, { ...lower, aadObjectId }, chat(lower), 'help'),
      );
      expect(response.status).toBe(200);
    }
    // Over the limit already told: no answer to the same person in capitals.
    expect(harness.connector.since(mark)).toHaveLength(0);
  });

  it('limits the demo sign-in per client address, whatever X-Forwarded-For says', async () => {
    time.nextMinute();
    for (let i = 0; i < 4; i += 1) expect((await signIn(base, iro.email)).status).toBe(200);
    const refused = await signIn(base, iro.email);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('50');
    // TRUST_PROXY_HOPS is 0: a client cannot pose as another address.
    expect((await signIn(base, iro.email, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    const users = await fetch(`${base}/api/tab/demo/users`);
    expect(users.status).toBe(429);
    time.nextMinute();
    expect((await signIn(base, iro.email)).status).toBe(200);
  });
});

/**
 * Two instances on one PostgreSQL database count the same requests: a person whose requests
 * alternate between them is refused at the same total as on one instance.
 */
describe.runIf(process.env['DATABASE_URL'])('request limits shared by two instances', () => {
  const keys = new EntraTestKeys();
  const time = handClock();
  const instances = [new BotHarness(), new BotHarness()];
  let drop: (() => Promise<void>) | undefined;
  const LIMIT = 6;

  beforeAll(async () => {
    await keys.start();
    const database = await freshPostgresUrl();
    drop = database.drop;
    // One after the other: the first seeds the demo council, the second finds it there.
    for (const instance of instances) {
      await instance.start(
        { DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: String(LIMIT), ...keys.env() },
        { clock: time.clock },
      );
    }
  });
  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await drop?.();
    await keys.stop();
  });

  const at = (i: number) => instances[i % 2] as BotHarness;

  it('refuses the tab API at the same total, whichever instance answers', async () => {
    time.nextMinute();
    const token = await keys.token(iro.aadObjectId);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      statuses.push((await get(at(i).server.url, '/api/tab/me', token)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);

    time.nextMinute();
    const together = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        get(at(i).server.url, '/api/tab/me', token).then((r) => r.status),
      ),
    );
    expect(together.filter((s) => s === 200)).toHaveLength(LIMIT);
  });

  it('tells a person in chat once to wait, across both instances', async () => {
    time.nextMinute();
    const me = teamsUser(iro, 3);
    const marks = instances.map((h) => h.connector.sent.length);
    for (let i = 0; i < 10; i += 1) {
      const h = at(i);
      const response = await h.post(messageActivity(h.connector.url, me, chat(me), 'help'));
      expect(response.status).toBe(200);
    }
    const replies = instances.flatMap((h, i) =>
      h.connector
        .since(marks[i] as number)
        .map((s) => textOf(s.activity.attachments?.[0]?.content)),
    );
    expect(replies).toHaveLength(LIMIT + 1);
    expect(replies.filter((text) => text.startsWith('One moment\n'))).toEqual([
      "One moment\nYou're sending me requests faster than I can answer them. Wait 50 seconds, then try again.",
    ]);
    // The one wait card went to the instance that counted the seventh message.
    const seventh = at(LIMIT).connector.sent.at(-1);
    expect(textOf(seventh?.activity.attachments?.[0]?.content)).toMatch(/^One moment\n/);
  });
});
