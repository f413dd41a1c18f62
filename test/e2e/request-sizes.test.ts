import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { readLock } from '../../src/store/data-dir-lock.js';
import type { DemoSignIn } from '../../src/tab/api-types.js';
import { BotHarness } from '../support/bot-harness.js';
import { messageActivity, type TeamsUser } from '../support/teams-activities.js';

const { iro } = PLAYGROUND_USERS;
const KB = 1024;

/** A JSON object of exactly `size` bytes: `fields`, then a `pad` string that fills it up. */
function bodyOf(size: number, fields: object): string {
  const head = JSON.stringify({ ...fields, pad: '' });
  const padding = size - Buffer.byteLength(head);
  if (padding < 0) throw new Error(`the fields alone take ${Buffer.byteLength(head)} bytes`);
  return `${head.slice(0, -2)}${'a'.repeat(padding)}"}`;
}

/**
 * Every route that reads a body reads at most its own deliberate limit: a body one byte over it
 * gets 413 with a plain sentence that says the limit; one of exactly the limit is read.
 */
describe('request body limits', () => {
  const harness = new BotHarness();
  let cliToken = '';
  let tabToken = '';

  beforeAll(async () => {
    await harness.start();
    cliToken = (await readLock(harness.dataDir))?.token as string;
    const signIn = await fetch(`${harness.server.url}/api/tab/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: iro.email }),
    });
    tabToken = ((await signIn.json()) as DemoSignIn).token;
  });
  afterAll(() => harness.stop());

  const me: TeamsUser = { id: '29:size-1', name: iro.name, aadObjectId: iro.aadObjectId };

  const routes: {
    path: string;
    limit: number;
    fields: () => object;
    headers: () => Record<string, string>;
    /** What a body of exactly the limit gets: read, then answered on its merits. */
    under: number;
  }[] = [
    {
      // A Teams activity: messages are at most about 100 KB.
      path: '/api/messages',
      limit: 256 * KB,
      fields: () =>
        messageActivity(harness.connector.url, me, { type: 'personal', id: 'a:size' }, 'help'),
      headers: () => ({}),
      under: 200,
    },
    {
      // The command line's arguments and folder (the server reads import files from disk).
      path: '/internal/cli',
      limit: 128 * KB,
      fields: () => ({ argv: ['help'], cwd: '/tmp' }),
      headers: () => ({ authorization: `Bearer ${cliToken}` }),
      under: 200,
    },
    {
      path: '/api/tab/demo/sign-in',
      limit: 2 * KB,
      fields: () => ({ email: iro.email }),
      headers: () => ({}),
      under: 200,
    },
    {
      path: '/api/tab/cards/scheduling',
      limit: 64 * KB,
      fields: () => ({ verb: 'review.plan', data: { child: 'not a child', mode: 'schedule' } }),
      headers: () => ({ authorization: `Bearer ${tabToken}` }),
      under: 400,
    },
    {
      path: '/api/tab/outlook/link',
      limit: 4 * KB,
      fields: () => ({ childId: 'not a child', eventId: 'x' }),
      headers: () => ({ authorization: `Bearer ${tabToken}` }),
      under: 400,
    },
  ];

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${harness.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it.each(routes)('$path reads a body of $limit bytes, and refuses one byte more', async (r) => {
    const over = await post(r.path, bodyOf(r.limit + 1, r.fields()), r.headers());
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({
      error: `The request body is too large (at most ${r.limit / KB} KB here).`,
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const mark = harness.connector.sent.length;
    const under = await post(r.path, bodyOf(r.limit, r.fields()), r.headers());
    expect(under.status).toBe(r.under);
    await under.text();
    if (r.path === '/api/messages') expect(harness.connector.since(mark)).toHaveLength(1);
  });
});
