import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { BotHarness } from '../support/bot-harness.js';
import { freshPostgresUrl } from '../support/store-dialects.js';
import { messageActivity, type TeamsUser } from '../support/teams-activities.js';
import {
  anyText,
  INTERNALS,
  hostileData,
  hostileText,
  hostileValue,
  params,
} from '../unit/fuzz/hostile-input.js';
import { storeFingerprint } from '../unit/fuzz/store-fingerprint.js';

/**
 * Random and hostile request bodies, content types and query strings for /api/messages and the
 * tab's API (demo sign-in): never a 5xx, an error is JSON with a plain sentence and a
 * correlation id and no internals, and a refused request stores nothing.
 */

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '*/*',
  'json',
  '',
];

/** A body as bytes: JSON of anything, text, random bytes, or gzip that may not be gzip. */
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  anyText,
  hostileData([
    'type',
    'text',
    'serviceUrl',
    'conversation',
    'from',
    'value',
    'email',
    'verb',
    'data',
  ]).map((v) => JSON.stringify(v) ?? 'null'),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    '{"a":1',
    '{"a":1}}',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '\ufeff{}',
    '{}\u0000',
    'null',
    '[]',
    '""',
    'NaN',
    '1e999',
  ),
);

type Answer = { status: number; text: string; type: string | null };

describe('the HTTP API under random and hostile requests (property)', () => {
  const harness = new BotHarness();
  let drop: (() => Promise<void>) | undefined;
  let token = '';
  let base = '';

  beforeAll(async () => {
    const env: Record<string, string> = {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
    };
    if (process.env['DATABASE_URL']) {
      const fresh = await freshPostgresUrl();
      env['DATABASE_URL'] = fresh.url;
      drop = fresh.drop;
    }
    await harness.start(env);
    base = harness.server.url;
    const signIn = await fetch(`${base}/api/tab/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: PLAYGROUND_USERS.iro.email }),
    });
    expect(signIn.status).toBe(200);
    token = ((await signIn.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await harness.stop();
    await drop?.();
  });

  const fingerprint = () =>
    storeFingerprint(harness.server.services.store.db, {
      except: ['conversation_references', 'rate_limits'],
      countsOnly: true,
    });

  async function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload?: string | Buffer,
  ): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    return {
      status: response.status,
      text: await response.text(),
      type: response.headers.get('content-type'),
    };
  }

  /** Never a 5xx; an error is our JSON with a sentence and a correlation id; no internals. */
  function expectPlainAnswer(answer: Answer, what: string): void {
    const seen = `${what} -> ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status, seen).toBeLessThan(500);
    expect(answer.text.match(INTERNALS)?.[0], seen).toBeUndefined();
    if (answer.status >= 400) {
      // Not express's own HTML error page.
      expect(answer.type, seen).toMatch(/^application\/json/);
      const json = JSON.parse(answer.text) as { error?: unknown; correlationId?: unknown };
      expect(typeof json.error, seen).toBe('string');
      expect((json.error as string).length, seen).toBeGreaterThan(10);
      expect(json.correlationId, seen).toMatch(/^[0-9a-f-]{36}$/);
    }
  }

  const contentHeaders = fc
    .tuple(
      fc.constantFrom(...CONTENT_TYPES),
      fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'nonsense'),
    )
    .map(([type, encoding]) => ({
      ...(type ? { 'content-type': type } : {}),
      ...(encoding ? { 'content-encoding': encoding } : {}),
    }));

  it('/api/messages: any body with any content type', async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(body, contentHeaders, fc.boolean(), async (payload, headers, zipped) => {
        const bytes =
          zipped && headers['content-encoding'] === 'gzip' ? gzipSync(payload) : payload;
        expectPlainAnswer(
          await send('POST', '/api/messages', headers, bytes),
          'POST /api/messages',
        );
      }),
      params(120, 300),
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('/api/messages: Teams-shaped activities with hostile fields', async () => {
    const from: TeamsUser = {
      id: '29:alex',
      name: PLAYGROUND_USERS.iro.name,
      aadObjectId: PLAYGROUND_USERS.iro.aadObjectId,
    };
    const field = fc.constantFrom(
      'type',
      'text',
      'from',
      'recipient',
      'conversation',
      'channelData',
      'entities',
      'value',
      'name',
      'timestamp',
      'localTimestamp',
      'locale',
      'attachments',
      'replyToId',
      'channelId',
      'textFormat',
      'id',
    );
    const activity = fc
      .tuple(
        anyText,
        fc.dictionary(field, fc.oneof(hostileValue, hostileText), { maxKeys: 4 }),
        fc.constantFrom('personal' as const, 'groupChat' as const),
      )
      .map(([text, overrides, type]) => ({
        ...messageActivity(harness.connector.url, from, { type, id: `a:fuzz-${type}` }, text),
        ...overrides,
      }));
    await fc.assert(
      fc.asyncProperty(activity, async (a) => {
        const answer = await send(
          'POST',
          '/api/messages',
          { 'content-type': 'application/json' },
          JSON.stringify(a),
        );
        expectPlainAnswer(answer, `activity ${JSON.stringify(a).slice(0, 300)}`);
      }),
      params(80, 301),
    );
  });

  it('the tab API POST routes: any body, signed in or not', async () => {
    const route = fc.constantFrom(
      '/api/tab/demo/sign-in',
      '/api/tab/cards/scheduling',
      '/api/tab/outlook/link',
    );
    const shaped = fc.oneof(
      fc.record({ email: fc.oneof(hostileText, hostileValue) }, { requiredKeys: [] }),
      fc.record(
        {
          verb: fc.oneof(
            fc.constantFrom(
              'review.plan',
              'review.schedule',
              'review.reschedule',
              'review.cancel',
              '__proto__',
              'toString',
            ),
            hostileValue,
          ),
          data: hostileData([
            'child',
            'mode',
            'transactionKey',
            'slot',
            'date',
            'time',
            'duration',
            'venue',
            'invitees',
            'reason',
          ]),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          childId: fc.oneof(hostileText, hostileValue, fc.constantFrom('A12345', 'a12345')),
          eventId: fc.oneof(hostileText, hostileValue),
        },
        { requiredKeys: [] },
      ),
    );
    const auth = fc.constantFrom<Record<string, string>>(
      {},
      { authorization: 'Bearer not-a-token' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { authorization: `Bearer ${'x'.repeat(10_000)}` },
      { authorization: 'TOKEN' },
    );
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        route,
        fc.oneof(
          shaped.map((s) => JSON.stringify(s)),
          body,
        ),
        contentHeaders,
        fc.oneof(fc.constant('good'), auth),
        async (path, payload, headers, who) => {
          const authorization = who === 'good' ? { authorization: `Bearer ${token}` } : who;
          const answer = await send('POST', path, { ...headers, ...authorization }, payload);
          expectPlainAnswer(answer, `POST ${path} ${String(payload).slice(0, 200)}`);
          if (answer.status >= 400) expect(await fingerprint()).toEqual(before);
        },
      ),
      params(150, 302),
    );
  });

  it('the tab API GET routes: any path segment and query string', async () => {
    const route = fc.constantFrom(
      '/api/tab/reviews',
      '/api/tab/caseload',
      '/api/tab/annual-report',
      '/api/tab/annual-report.csv',
      '/api/tab/children/{child}',
      '/api/tab/children/{child}/schedule',
      '/api/tab/outlook/subject',
      '/api/tab/me',
      '/api/tab/demo/users',
      '/api/tab/nothing/{child}',
    );
    const segment = fc.oneof(
      fc.constantFrom(
        'A12345',
        '%E0%A4%A',
        '%',
        '%00',
        '..%2F..%2Fetc%2Fpasswd',
        '__proto__',
        'constructor',
        '%F0%9F%98%80',
        'x'.repeat(3000),
      ),
      hostileText.map(encodeURIComponent),
    );
    const key = fc.constantFrom(
      'from',
      'to',
      'mode',
      'childId',
      'from[]',
      'to[a]',
      '__proto__',
      'constructor',
      'page',
    );
    const query = fc.oneof(
      fc
        .array(
          fc.tuple(
            key,
            fc.oneof(
              hostileText,
              fc.constantFrom(
                '2026-04-01',
                '2027-03-31',
                '2026-02-30',
                '0001-01-01',
                '9999-12-31',
                'schedule',
                'cancel',
              ),
            ),
          ),
        )
        .map((pairs) => new URLSearchParams(pairs).toString()),
      fc.constantFrom(
        'from=2026-04-01&from=2026-05-01&to=2027-03-31',
        'from[a]=1&to[b]=2',
        'from=%E0%A4%A&to=%',
        'from=2026-04-01&to=2027-03-31&mode[]=cancel',
        'from=1900-01-01&to=2200-12-31',
        'from=2027-03-31&to=2026-04-01',
        'childId=A12345&childId=B2',
        '%00=%00',
      ),
    );
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(route, segment, query, fc.boolean(), async (template, child, q, signed) => {
        const path = `${template.replace('{child}', child)}?${q}`;
        const answer = await send('GET', path, signed ? { authorization: `Bearer ${token}` } : {});
        expectPlainAnswer(answer, `GET ${path.slice(0, 200)}`);
      }),
      params(150, 303),
    );
    expect(await fingerprint()).toEqual(before);
  });
});
