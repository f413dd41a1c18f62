import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLock } from '../../src/store/data-dir-lock.js';
import { BotHarness } from '../support/bot-harness.js';
import { cardActionInvoke, type ConversationKind } from '../support/teams-activities.js';

const STRANGER = {
  id: '29:stranger',
  name: 'Someone',
  aadObjectId: '00000000-0000-0000-0000-0000000000aa',
};
const ME: ConversationKind = { type: 'personal', id: 'a:stranger' };

/**
 * Requests no Teams client sends: each gets a 4xx with the project's own short sentence and a
 * correlation id, never a 500 and never a library's text.
 */
describe('bad requests', () => {
  const harness = new BotHarness();
  let token: string;

  beforeAll(async () => {
    await harness.start({ DEMO_DATA: 'false' });
    token = (await readLock(harness.dataDir))?.token as string;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });
  afterAll(() => harness.stop());

  const send = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${harness.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  const big = Buffer.alloc(2 * 1024 * 1024, 'a');
  const bigJson = JSON.stringify({ type: 'message', text: big.toString() });

  const cases: [string, string | Buffer, Record<string, string>, number, RegExp][] = [
    ['a body over the limit', bigJson, {}, 413, /too large/],
    ['a JSON array', '[{"type": "message"}]', {}, 400, /JSON object/],
    ['a JSON string', '"message"', {}, 400, /JSON object|not valid JSON/],
    ['a JSON number', '42', {}, 400, /JSON object|not valid JSON/],
    ['JSON that is cut short', '{"type": "mess', {}, 400, /not valid JSON/],
    ['text/plain', '{"type": "message"}', { 'content-type': 'text/plain' }, 400, /JSON object/],
    ['no content type', '{"type": "message"}', { 'content-type': '' }, 400, /JSON object/],
    ['gzip it cannot read', 'xx', { 'content-encoding': 'gzip' }, 400, /could not be read/],
  ];

  describe.each([
    ['/api/messages', () => ({})],
    ['/internal/cli', () => ({ authorization: `Bearer ${token}` })],
  ])('to %s', (path, auth) => {
    it.each(cases)('%s', async (_what, body, headers, status, message) => {
      const response = await send(path, body, { ...auth(), ...headers });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const answer = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(answer).sort()).toEqual(['correlationId', 'error']);
      expect(answer['error']).toMatch(message);
      expect(answer['correlationId']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it.each([
    ['an object that is no activity', { hello: 'there' }],
    ['an activity type that is not text', { type: 5 }],
    ['a message with nowhere to answer', { type: 'message', text: 'help' }],
    [
      'a serviceUrl that is not a URL',
      { type: 'message', text: 'help', serviceUrl: 'not a url', conversation: { id: 'a:1' } },
    ],
  ])('an activity that cannot be answered (%s) gets 400', async (_what, activity) => {
    const response = await send('/api/messages', JSON.stringify(activity));
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string };
    expect(answer.error).toBe('This is not a Bot Framework activity the bot can answer.');
  });

  it('refuses a command with the wrong token before reading its body', async () => {
    const response = await send('/internal/cli', bigJson, { authorization: 'Bearer guess' });
    expect(response.status).toBe(403);
  });

  describe('every answer', () => {
    const answers: [string, () => Promise<Response>][] = [
      ['/healthz', () => fetch(`${harness.server.url}/healthz`)],
      ['an unknown path', () => fetch(`${harness.server.url}/nothing/here`)],
      ['/api/tab/config', () => fetch(`${harness.server.url}/api/tab/config`)],
      ['/api/tab/me without a token', () => fetch(`${harness.server.url}/api/tab/me`)],
      ['a refused activity', () => send('/api/messages', '{"type": "message"}')],
      [
        "a card button's answer",
        () =>
          harness.post(
            cardActionInvoke(harness.connector.url, STRANGER, ME, 'question.ask', {
              question: 'help',
            }),
          ),
      ],
      [
        '/internal/cli with a wrong token',
        () => send('/internal/cli', '{}', { authorization: 'x' }),
      ],
      [
        '/internal/cli',
        () =>
          send('/internal/cli', JSON.stringify({ argv: ['--help'], cwd: harness.dataDir }), {
            authorization: `Bearer ${token}`,
          }),
      ],
    ];

    it.each(answers)('%s: is never cached or sniffed', async (_what, request) => {
      const response = await request();
      await response.arrayBuffer();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    });
  });
});
