import { AppCredentials } from 'botframework-connector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness } from '../support/bot-harness.js';
import {
  BotFrameworkTestKeys,
  EMULATOR_ISSUER,
  TEST_BOT_ID,
} from '../support/bot-framework-test-keys.js';
import { messageActivity, type ConversationKind } from '../support/teams-activities.js';

/**
 * /api/messages with bot credentials: only activities carrying a Bot Connector token that
 * passes every rule of "Authenticate requests from the Bot Connector service to your bot"
 * (Bearer scheme; iss https://api.botframework.com; aud the bot's app id; inside nbf..exp with
 * five minutes' skew; RS256/384/512 signature by a key in the OpenID metadata's key set, endorsed
 * for the activity's channelId; serviceurl claim equal to the activity's serviceUrl) reach the
 * bot. Anything else gets 401, and nothing is stored or posted.
 */
describe('Bot Framework tokens on /api/messages', () => {
  const keys = new BotFrameworkTestKeys();
  const harness = new BotHarness();
  const user = {
    id: '29:auth-user',
    name: 'Auth User',
    aadObjectId: 'a0a0a0a0-0000-4000-8000-0000000000a1',
  };
  const chat: ConversationKind = { type: 'personal', id: 'a:auth-1to1' };
  /** The token botbuilder would fetch from Entra for its replies (its cache key is its own). */
  const replyToken = 'reply-token-from-the-bot-token-cache';
  const replyTokenCacheKey = `${TEST_BOT_ID}https://api.botframework.com-cache`;
  const tokenCache = () => Reflect.get(AppCredentials, 'cache') as Map<string, unknown>;

  beforeAll(async () => {
    await keys.start();
    await harness.start({ DEMO_DATA: 'false', ...keys.env() });
    // MSAL asks login.microsoftonline.com for the bot's outgoing token and will not use a
    // plain-http stand-in; botbuilder keeps tokens in a cache by app id and scope, so the
    // test puts one there and checks that the reply carries exactly it.
    tokenCache().set(replyTokenCacheKey, {
      accessToken: replyToken,
      expiresOn: new Date(Date.now() + 3_600_000),
    });
  });
  afterAll(async () => {
    tokenCache().delete(replyTokenCacheKey);
    await harness.stop();
    await keys.stop();
  });

  const activity = (overrides: Record<string, unknown> = {}) => ({
    ...messageActivity(harness.connector.url, user, chat, 'help'),
    ...overrides,
  });

  async function stored(): Promise<number> {
    const db = harness.server.services.store.db;
    const refs = await db
      .selectFrom('conversationReferences')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const audit = await db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(refs.n) + Number(audit.n);
  }

  const now = () => Math.floor(Date.now() / 1000);
  const serviceUrl = () => harness.connector.url;

  const refused: [string, () => Promise<{ header?: string; body?: Record<string, unknown> }>][] = [
    ['no Authorization header', async () => ({})],
    ['an empty Authorization header', async () => ({ header: '' })],
    ['a Bearer that is not a JWT', async () => ({ header: 'Bearer not-a-token' })],
    [
      'a valid token under another scheme',
      async () => ({ header: `Basic ${await keys.token(serviceUrl())}` }),
    ],
    [
      'a token signed by a key the metadata does not list (under a listed kid)',
      async () => ({ header: bearer(await keys.token(serviceUrl(), { signedBy: 'stranger' })) }),
    ],
    [
      'a token naming a kid the metadata does not list',
      async () => ({
        header: bearer(await keys.token(serviceUrl(), { signedBy: 'stranger', kid: 'nobody' })),
      }),
    ],
    ['an unsigned token (alg none)', async () => ({ header: bearer(keys.unsigned(serviceUrl())) })],
    [
      'an HS256 token keyed with the public key',
      async () => ({ header: bearer(keys.hmacWithPublicKey(serviceUrl())) }),
    ],
    [
      "another bot's audience",
      async () => ({
        header: bearer(
          await keys.token(serviceUrl(), {
            claims: { aud: '99999999-8888-4777-8666-555555555555' },
          }),
        ),
      }),
    ],
    [
      'no audience',
      async () => ({ header: bearer(await keys.token(serviceUrl(), { claims: { aud: null } })) }),
    ],
    [
      'another issuer',
      async () => ({
        header: bearer(
          await keys.token(serviceUrl(), { claims: { iss: 'https://api.botframework.com.evil' } }),
        ),
      }),
    ],
    [
      "the Emulator's issuer (Entra, botframework.com tenant)",
      async () => ({
        header: bearer(
          await keys.token(serviceUrl(), {
            claims: { iss: EMULATOR_ISSUER, appid: TEST_BOT_ID, ver: '1.0' },
          }),
        ),
      }),
    ],
    [
      'a skill-shaped token (another bot calling as a skill)',
      async () => ({
        header: bearer(
          await keys.token(serviceUrl(), {
            claims: {
              iss: 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0',
              azp: '99999999-8888-4777-8666-555555555555',
              ver: '2.0',
            },
          }),
        ),
      }),
    ],
    [
      'a token that expired ten minutes ago',
      async () => ({
        header: bearer(
          await keys.token(serviceUrl(), {
            claims: { nbf: now() - 7200, exp: now() - 600 },
          }),
        ),
      }),
    ],
    [
      'a token valid only from ten minutes on',
      async () => ({
        header: bearer(await keys.token(serviceUrl(), { claims: { nbf: now() + 600 } })),
      }),
    ],
    [
      'a token without an expiry',
      async () => ({ header: bearer(await keys.token(serviceUrl(), { claims: { exp: null } })) }),
    ],
    [
      'a serviceurl claim for another service',
      async () => ({
        header: bearer(
          await keys.token(serviceUrl(), {
            claims: { serviceurl: 'https://smba.trafficmanager.net/emea/' },
          }),
        ),
      }),
    ],
    [
      'no serviceurl claim',
      async () => ({
        header: bearer(await keys.token(serviceUrl(), { claims: { serviceurl: null } })),
      }),
    ],
    [
      'a key endorsed only for Web Chat on a Teams activity',
      async () => ({ header: bearer(await keys.token(serviceUrl(), { signedBy: 'webchat' })) }),
    ],
    [
      'an activity without a channelId',
      async () => ({
        header: bearer(await keys.token(serviceUrl())),
        body: activity({ channelId: undefined }),
      }),
    ],
    [
      'an activity with an empty channelId',
      async () => ({
        header: bearer(await keys.token(serviceUrl())),
        body: activity({ channelId: '' }),
      }),
    ],
  ];

  it.each(refused)('refuses %s with 401, before any handler', async (_what, make) => {
    const { header, body } = await make();
    const before = await stored();
    const mark = harness.connector.sent.length;
    const response = await harness.post(
      body ?? activity(),
      header === undefined ? {} : { authorization: header },
    );
    expect(response.status).toBe(401);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer['error']).toBe('The request does not carry a valid Bot Framework token.');
    expect(harness.connector.since(mark)).toEqual([]);
    expect(harness.connector.updates).toEqual([]);
    expect(await stored()).toBe(before);
  });

  it('answers an activity whose token passes every rule, replying with the bot token', async () => {
    const mark = harness.connector.sent.length;
    const response = await harness.post(activity(), {
      authorization: bearer(await keys.token(serviceUrl())),
    });
    expect(response.status).toBe(200);
    const replies = harness.connector.since(mark);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.conversationId).toBe(chat.id);
    expect(harness.connector.authorizations.at(-1)).toBe(`Bearer ${replyToken}`);
    expect(await stored()).toBeGreaterThan(0);
    // The keys came from the configured metadata, not from login.botframework.com.
    expect(keys.keySetRequests()).toBeGreaterThan(0);
  });

  it('accepts a token within the five minutes of clock skew the rules allow', async () => {
    const mark = harness.connector.sent.length;
    const response = await harness.post(activity(), {
      authorization: bearer(
        await keys.token(serviceUrl(), { claims: { nbf: now() + 120, exp: now() + 3600 } }),
      ),
    });
    expect(response.status).toBe(200);
    expect(harness.connector.since(mark)).toHaveLength(1);
  });
});

function bearer(token: string): string {
  return `Bearer ${token}`;
}

describe('Bot Framework tokens for a SingleTenant bot', () => {
  const keys = new BotFrameworkTestKeys();
  const harness = new BotHarness();
  const tenant = '5e1f0000-aaaa-4bbb-8ccc-000000000001';
  const user = {
    id: '29:st-user',
    name: 'ST User',
    aadObjectId: 'a0a0a0a0-0000-4000-8000-0000000000b2',
  };
  const chat: ConversationKind = { type: 'personal', id: 'a:st-1to1' };
  const cacheKey = `${TEST_BOT_ID}https://api.botframework.com-cache`;
  const tokenCache = () => Reflect.get(AppCredentials, 'cache') as Map<string, unknown>;

  beforeAll(async () => {
    await keys.start();
    await harness.start({
      DEMO_DATA: 'false',
      ...keys.env(),
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: tenant,
    });
    tokenCache().set(cacheKey, {
      accessToken: 'st-reply-token',
      expiresOn: new Date(Date.now() + 3_600_000),
    });
  });
  afterAll(async () => {
    tokenCache().delete(cacheKey);
    await harness.stop();
    await keys.stop();
  });

  const help = () => messageActivity(harness.connector.url, user, chat, 'help');

  it.each([
    ['another tenant', 'f0f0f0f0-1111-4222-8333-444444444444'],
    ["botframework.com's (the Emulator's)", 'd6d49420-f39b-4df7-a1dc-d59a935871db'],
  ])('refuses an Entra token from %s with 401, before any handler', async (_what, tid) => {
    const token = await keys.token(harness.connector.url, {
      claims: { iss: `https://sts.windows.net/${tid}/`, tid, appid: TEST_BOT_ID, ver: '1.0' },
    });
    const mark = harness.connector.sent.length;
    const response = await harness.post(help(), { authorization: bearer(token) });
    expect(response.status).toBe(401);
    expect(harness.connector.since(mark)).toEqual([]);
  });

  it('answers a Bot Connector token, replying with the bot token', async () => {
    const mark = harness.connector.sent.length;
    const response = await harness.post(help(), {
      authorization: bearer(await keys.token(harness.connector.url)),
    });
    expect(response.status).toBe(200);
    expect(harness.connector.since(mark)).toHaveLength(1);
    expect(harness.connector.authorizations.at(-1)).toBe('Bearer st-reply-token');
  });
});
