import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPgConversationRepository } from '../../src/store/conversation-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';

const CHAT = 'a:personal-chat-of-alex';
const ALEX = '0b7c6d52-3d0e-4a52-9c1f-6a0f6f0c1a11';
const reference = (serviceUrl: string) => ({
  bot: { id: '28:bot', name: 'IRO Assistant' },
  conversation: { id: CHAT, conversationType: 'personal', tenantId: 'tenant' },
  channelId: 'msteams',
  serviceUrl,
  user: { id: '29:alex', aadObjectId: ALEX },
});

/**
 * The 1:1 and group chats the bot may post to later. Each turn remembers its chat; a turn from a
 * chat stored as it is (the same reference, not refused, used within the hour) changes nothing,
 * and any other turn brings the stored chat up to date.
 */
describe.each(DIALECTS)('remembered chats on $name', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    await sql`truncate conversation_references, jobs`.execute(store.db);
  });

  const chats = () => createPgConversationRepository(store.db);
  const stored = () =>
    store.db
      .selectFrom('conversationReferences')
      .select(['reference', 'aadObjectId', 'blockedAt', 'blockedReason', 'updatedAt'])
      .where('conversationId', '=', CHAT)
      .executeTakeFirstOrThrow();
  const alexTalks = (
    serviceUrl = 'https://smba.trafficmanager.net/uk/',
    aad: string | null = ALEX,
  ) =>
    chats().remember({
      conversationId: CHAT,
      scope: 'personal',
      aadObjectId: aad,
      reference: reference(serviceUrl),
    });
  /** Moves the stored chat's last use back, as if this many minutes had passed. */
  const minutesPass = (minutes: number) =>
    sql`update conversation_references
        set updated_at = updated_at - make_interval(mins => ${minutes})`.execute(store.db);

  it('stores a chat the first time and leaves it as it is while it is unchanged', async () => {
    await alexTalks();
    const first = await stored();
    expect(first.reference).toEqual(reference('https://smba.trafficmanager.net/uk/'));
    expect(first.aadObjectId).toBe(ALEX);
    await minutesPass(30);
    const before = (await stored()).updatedAt;
    await alexTalks();
    expect((await stored()).updatedAt).toEqual(before);
    expect(await chats().personalChatOf(ALEX.toUpperCase())).toEqual(first.reference);
  });

  it('marks the chat used again once the hour has passed', async () => {
    await alexTalks();
    await minutesPass(61);
    const before = (await stored()).updatedAt;
    await alexTalks();
    expect((await stored()).updatedAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it('stores a changed reference at once', async () => {
    await alexTalks('https://smba.trafficmanager.net/uk/');
    await alexTalks('https://smba.trafficmanager.net/emea/');
    expect(((await stored()).reference as { serviceUrl: string }).serviceUrl).toBe(
      'https://smba.trafficmanager.net/emea/',
    );
  });

  it('opens a refused chat again when its user talks to the bot in it', async () => {
    await alexTalks();
    await chats().markUnreachable(CHAT, 'blocked_by_user');
    expect(await chats().blockedByUser(ALEX)).toBe(true);
    expect(await chats().personalChatOf(ALEX)).toBeUndefined();
    await alexTalks();
    const chat = await stored();
    expect(chat.blockedAt).toBeNull();
    expect(chat.blockedReason).toBeNull();
    expect(await chats().blockedByUser(ALEX)).toBe(false);
  });

  it("posts to a person's most recently used 1:1 chat, and to the newer of two used together", async () => {
    const other = 'a:personal-chat-of-alex-again';
    await alexTalks('https://smba.trafficmanager.net/uk/');
    await chats().remember({
      conversationId: other,
      scope: 'personal',
      aadObjectId: ALEX,
      reference: {
        ...reference('https://smba.trafficmanager.net/emea/'),
        conversation: { id: other },
      },
    });
    await minutesPass(90);
    await alexTalks('https://smba.trafficmanager.net/uk/');
    expect(await chats().personalChatOf(ALEX)).toMatchObject({ conversation: { id: CHAT } });
    await sql`update conversation_references set updated_at = '2026-11-30T10:00:00Z'`.execute(
      store.db,
    );
    expect(await chats().personalChatOf(ALEX)).toMatchObject({ conversation: { id: other } });
  });

  it('keeps the user of a chat when a turn does not say who it was, and learns one it had not', async () => {
    await alexTalks(undefined, null);
    expect((await stored()).aadObjectId).toBeNull();
    await alexTalks();
    expect((await stored()).aadObjectId).toBe(ALEX);
    await minutesPass(30);
    const before = (await stored()).updatedAt;
    await alexTalks(undefined, null);
    const chat = await stored();
    expect(chat.aadObjectId).toBe(ALEX);
    expect(chat.updatedAt).toEqual(before);
  });
  it("runs at once the jobs waiting for a colleague when their chat is stored or unblocked, and no one else's", async () => {
    const later = new Date('2030-01-01T09:00:00Z');
    const OTHER = '5f1e2d3c-0000-4000-8000-00000000beef';
    await store.db
      .insertInto('jobs')
      .values([
        { kind: 'midway.prompt', key: 'midway.prompt:1', runAfter: later, waitingFor: ALEX },
        { kind: 'midway.prompt', key: 'midway.prompt:2', runAfter: later, waitingFor: OTHER },
        { kind: 'midway.prompt', key: 'midway.prompt:3', runAfter: later },
      ])
      .execute();
    const runAfter = async () =>
      Object.fromEntries(
        (await store.db.selectFrom('jobs').select(['key', 'runAfter']).execute()).map((j) => [
          j.key,
          new Date(j.runAfter).getTime(),
        ]),
      );
    await alexTalks();
    expect(await runAfter()).toEqual({
      'midway.prompt:1': 0,
      'midway.prompt:2': later.getTime(),
      'midway.prompt:3': later.getTime(),
    });
    // The same chat again changes nothing; unblocked, it wakes Alex's jobs again.
    await store.db.updateTable('jobs').set({ runAfter: later }).execute();
    await alexTalks();
    expect((await runAfter())['midway.prompt:1']).toBe(later.getTime());
    await chats().markUnreachable(CHAT, 'blocked_by_user');
    await alexTalks();
    expect((await runAfter())['midway.prompt:1']).toBe(0);
  });
});
