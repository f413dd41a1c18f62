import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/bot/iro-bot.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { BotHarness } from '../support/bot-harness.js';
import { freshPostgresUrl } from '../support/store-dialects.js';
import {
  cardActionInvoke,
  messageActivity,
  type ConversationKind,
  type TeamsUser,
} from '../support/teams-activities.js';
import {
  anyText,
  INTERNALS,
  hostileData,
  hostileText,
  hostileValue,
  params,
} from '../unit/fuzz/hostile-input.js';
import { storeFingerprint, type Fingerprint } from '../unit/fuzz/store-fingerprint.js';

/**
 * Random and hostile card presses and messages, through the real HTTP server: never a 500, never
 * a card that shows internals, always a valid card with a plain sentence, and nothing stored
 * for a press the bot refuses. On PostgreSQL when DATABASE_URL is set, else the embedded store.
 */

const { iro, socialWorker } = PLAYGROUND_USERS;
const alex: TeamsUser = { id: '29:alex', name: iro.name, aadObjectId: iro.aadObjectId };
const megan: TeamsUser = {
  id: '29:megan',
  name: socialWorker.name,
  aadObjectId: socialWorker.aadObjectId,
};
const stranger: TeamsUser = {
  id: '29:stranger',
  name: 'Not Registered',
  aadObjectId: '99999999-9999-4999-8999-999999999999',
};
const nobody: TeamsUser = { id: '29:no-object-id', name: 'No Object Id' };
const personal = (u: TeamsUser): ConversationKind => ({ type: 'personal', id: `a:${u.id}` });
const group: ConversationKind = { type: 'groupChat', id: '19:fuzz-group@thread.v2' };

const ASKERS: [TeamsUser, ConversationKind][] = [
  [alex, personal(alex)],
  [alex, personal(alex)],
  [megan, personal(megan)],
  [stranger, personal(stranger)],
  [nobody, personal(nobody)],
  [alex, group],
];

/** The bot's answer when a turn failed unexpectedly: a crash turned into an apology. */
const CRASHED = /Something went wrong on my side/;

/** Card inputs the bot's forms carry, beside each verb's own keys. */
const FORM_KEYS = [
  'status_1',
  'note_1',
  'iroNote',
  'reason',
  'response',
  'outcome',
  'heldOn',
  'reviewCode',
  'attended',
  'childChaired',
  'recordKey',
  'transactionKey',
];

const VERBS = Object.keys(ACTIONS) as (keyof typeof ACTIONS)[];
function keysOf(verb: keyof typeof ACTIONS): string[] {
  const schema = ACTIONS[verb] as unknown as { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {});
}

describe('the bot under random and hostile input (property)', () => {
  const harness = new BotHarness();
  let drop: (() => Promise<void>) | undefined;
  /** Ids that exist in the demo store, so that some presses get past the schemas. */
  const real: Record<string, unknown[]> = {};
  /** The first line of every card the presses got back. */
  const titles = new Set<string>();

  beforeAll(async () => {
    // Hundreds of presses a minute from one person: the per-user limit is not what is tested here.
    const env: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '100000' };
    if (process.env['DATABASE_URL']) {
      const fresh = await freshPostgresUrl();
      env['DATABASE_URL'] = fresh.url;
      drop = fresh.drop;
    }
    await harness.start(env);
    harness.connector.setMembers(group.id, [
      { id: alex.id, name: alex.name, aadObjectId: alex.aadObjectId as string },
      { id: megan.id, name: megan.name, aadObjectId: megan.aadObjectId as string },
    ]);
    const db = harness.server.services.store.db;
    const ids = async (query: ReturnType<typeof sql<{ id: unknown }>>) =>
      (await query.execute(db)).rows.map((r) => r.id);
    real['child'] = await ids(sql`select child_id as id from allocations
      where staff_email in (${iro.email}, ${socialWorker.email}) and end_date is null limit 6`);
    real['child'].push(
      ...(await ids(sql`select child_id as id from children order by child_id desc limit 2`)),
    );
    real['reviewId'] = await ids(sql`select id from reviews order by id desc limit 6`);
    real['checkId'] = await ids(sql`select id from midway_checks order by id limit 4`);
    real['alertId'] = await ids(sql`select id from escalations order by id limit 4`);
    real['decisionId'] = await ids(sql`select id from review_decisions order by id limit 4`);
    expect(real['child'].length).toBeGreaterThan(0);
    expect(real['reviewId'].length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await harness.stop();
    await drop?.();
  });

  const fingerprint = (): Promise<Fingerprint> =>
    storeFingerprint(harness.server.services.store.db, {
      // Written on every turn, whatever it carries: where to answer, and the per-user rate limit.
      except: ['conversation_references', 'rate_limits'],
      countsOnly: true,
    });

  /** The card in an invoke's answer, checked; throws with what was wrong. */
  async function press(asker: [TeamsUser, ConversationKind], verb: unknown, data: unknown) {
    const mark = harness.connector.sent.length;
    const response = await harness.post(
      cardActionInvoke(harness.connector.url, asker[0], asker[1], verb as string, data),
    );
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(200);
    const body = JSON.parse(text) as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    if (verb === 'question.ask') {
      // A question pressed on a card is answered below it, in a card of its own.
      expect(body.type).toBe('application/vnd.microsoft.activity.message');
      const sent = harness.connector.since(mark);
      expect(sent).toHaveLength(1);
      return expectPlainCard(sent[0]?.activity.attachments?.[0]?.content);
    }
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return expectPlainCard(body.value);
  }

  function expectPlainCard(card: unknown): string {
    expect(validateCard(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json, json.slice(0, 500)).not.toMatch(CRASHED);
    expect(json.match(INTERNALS)?.[0], json.slice(0, 500)).toBeUndefined();
    return json;
  }

  /** A value for a verb's key: an id that exists, or anything at all. */
  const dataFor = (verb: keyof typeof ACTIONS) => {
    const keys = keysOf(verb);
    const realFields = fc.record(
      Object.fromEntries(
        keys
          .filter((k) => (real[k]?.length ?? 0) > 0)
          .map((k) => [
            k,
            fc.oneof(
              fc.constantFrom(...(real[k] as unknown[])),
              fc.constantFrom(...(real[k] as unknown[])).map(String),
              // Past a PostgreSQL integer: refused as a bad id, never a failure in the store.
              fc.constantFrom(2147483648, '2147483648', 9007199254740991, '1e10'),
              hostileValue,
            ),
          ]),
      ),
      { requiredKeys: [] },
    );
    return fc.oneof(
      hostileData([...keys, ...FORM_KEYS]),
      fc
        .tuple(
          realFields,
          fc.dictionary(fc.constantFrom(...keys, ...FORM_KEYS), hostileValue, { maxKeys: 6 }),
        )
        .map(([ids, rest]) => ({ ...rest, ...ids })),
    );
  };

  it.each(VERBS)('%s: any data gets a plain card, and a refusal stores nothing', async (verb) => {
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ASKERS), dataFor(verb), async (asker, data) => {
        const start = await fingerprint();
        const json = await press(asker, verb, data);
        titles.add(/"text":"([^"]*)"/.exec(json)?.[1] ?? '');
        const after = await fingerprint();
        if (!SUCCESS.test(json)) {
          refusals += 1;
          expect(
            after,
            `${verb} ${JSON.stringify(data).slice(0, 300)} -> ${json.slice(0, 300)}`,
          ).toEqual(start);
        }
      }),
      params(12, VERBS.indexOf(verb)),
    );
    expect(refusals).toBeGreaterThan(0);
  });

  it('the presses above reached past the schemas (many different answers)', () => {
    expect(titles.size, [...titles].join(' | ')).toBeGreaterThanOrEqual(8);
  });

  it('a verb nobody knows, or none, gets the same plain refusal and stores nothing', async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ASKERS),
        fc.oneof(
          hostileValue,
          hostileText,
          fc.constantFrom('__proto__', 'constructor', 'toString', 'alert.', 'review.'),
        ),
        hostileValue,
        async (asker, verb, data) => {
          const json = await press(asker, verb, data);
          expect(json).toMatch(/doesn't work any more|couldn't|can't|not registered/i);
        },
      ),
      params(25, 100),
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('any message text gets exactly one plain card back, in a 1:1 chat and in a group', async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ASKERS), anyText, async ([from, conversation], text) => {
        const mark = harness.connector.sent.length;
        const response = await harness.post(
          messageActivity(harness.connector.url, from, conversation, text),
        );
        expect(response.status, await response.text()).toBe(200);
        const replies = harness.connector.since(mark);
        expect(replies).toHaveLength(1);
        const attachment = replies[0]?.activity.attachments?.[0];
        expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        const json = expectPlainCard(attachment?.content);
        // Text quoted back never becomes a link or image the bot seems to send.
        expect(json).not.toMatch(/\]\((?:https?:|www\.)/);
      }),
      params(60, 200),
    );
    expect(await fingerprint()).toEqual(before);
  });
});

/**
 * Cards that say something was done (the only presses that may change the store), by the start
 * of a text: the titles of the success cards, some of which go on with the child or a name.
 */
const SUCCESS =
  /"text":"(?:Review booked"|Review moved"|Review meeting cancelled"|Review recorded"|Review record updated"|Recorded by the chair|Meeting cancelled"|The meeting stays in calendars"|Practice alert raised: |Sent to |Thank you\. Sent to |Review decision updated: |Review record distributed: )/;
