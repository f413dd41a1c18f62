import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import type { StoreChanges } from './store-changes.js';

export type ConversationScope = 'personal' | 'groupChat' | 'channel' | 'meeting';

/** Stored Bot Framework conversation references, for proactive messages. */
export interface ConversationRepository {
  remember(entry: {
    conversationId: string;
    scope: ConversationScope;
    aadObjectId: string | null;
    reference: Record<string, unknown>;
  }): Promise<void>;
  /** The 1:1 chat with this person, if the bot has one it can post to. */
  personalChatOf(aadObjectId: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Teams refused to deliver to this chat (403): the app is not in it (`not_installed`) or the
   * user blocked the bot (`blocked_by_user`). Nothing is posted there until the user next talks
   * to the bot in it.
   */
  markUnreachable(conversationId: string, reason: UnreachableReason): Promise<void>;
  /** Whether this person's 1:1 chat is one where they blocked the bot. */
  blockedByUser(aadObjectId: string): Promise<boolean>;
}

export type UnreachableReason = 'not_installed' | 'blocked_by_user';

/**
 * How long a stored reference that has not changed is left as it is. `updated_at` orders a
 * person's 1:1 chats (the latest first, then the newest stored): it says when the chat was last
 * used, to this much.
 */
const STILL_CURRENT = '1 hour';
const STILL_CURRENT_MS = 60 * 60_000;

/** How many chats a repository remembers having found stored as they are. */
const CONFIRMED_CHATS = 10_000;

/**
 * With `changes`, a chat stored as it is (found so, or just written) is not read again on its next
 * turns, until a change to its row is announced or its hour is up (at most CONFIRMED_CHATS chats,
 * the least recently used forgotten first).
 */
export function createPgConversationRepository(
  db: Kysely<Database>,
  changes?: StoreChanges,
): ConversationRepository {
  /** Chats stored as they are: the reference, the stored user, until when (ms). */
  const confirmed = new Map<string, { json: string; aad: string | null; until: number }>();
  /**
   * This repository's reads and writes in progress, each with the notices of its chat (or of the
   * whole table) that came meanwhile: what a read found is kept only if none came, what a write
   * stored only if its own notice came and no other (another change may be newer than it).
   */
  const inFlight = new Set<{ conversationId: string; own: number; other: number }>();
  const during = (conversationId: string) => {
    const notices = { conversationId, own: 0, other: 0 };
    inFlight.add(notices);
    return notices;
  };
  changes?.watch('conversation_references', (conversationId, origin) => {
    if (conversationId === null) confirmed.clear();
    else confirmed.delete(conversationId);
    for (const notices of inFlight)
      if (conversationId === null || conversationId === notices.conversationId)
        notices[conversationId !== null && origin === 'own' ? 'own' : 'other'] += 1;
  });
  const keep = (conversationId: string, json: string, aad: string | null, msLeft: number) => {
    confirmed.delete(conversationId);
    confirmed.set(conversationId, { json, aad, until: Date.now() + msLeft });
    if (confirmed.size > CONFIRMED_CHATS) confirmed.delete(confirmed.keys().next().value!);
  };
  /**
   * A colleague's new 1:1 chat (or one unblocked) is what their messages were waiting for: those
   * jobs run at once rather than at their next hourly or daily try. Nobody else's are touched.
   */
  const wakeJobsWaitingFor = (aad: string) =>
    db
      .updateTable('jobs')
      .set({ runAfter: new Date(0) })
      .where('state', '=', 'pending')
      .where('waitingFor', '=', aad)
      .execute();
  return {
    async remember({ conversationId, scope, aadObjectId, reference }) {
      const json = JSON.stringify(reference);
      const aad = aadObjectId?.toLowerCase() ?? null;
      const known = changes?.live ? confirmed.get(conversationId) : undefined;
      if (
        known &&
        known.json === json &&
        (aad === null || aad === known.aad) &&
        known.until > Date.now()
      ) {
        keep(conversationId, known.json, known.aad, known.until - Date.now());
        return;
      }
      const reading = during(conversationId);
      // Most turns come from a chat already stored as it is: a read, not a write, for them. (If
      // another instance records a refusal of this chat at that moment, the refusal stands, as
      // it did before when it landed just after this turn's write.)
      const stored = await db
        .selectFrom('conversationReferences')
        .select([
          'aadObjectId',
          sql<boolean>`reference = ${json}::jsonb
            and blocked_at is null
            and aad_object_id is not distinct from coalesce(${aad}::text, aad_object_id)
            and updated_at > now() - ${STILL_CURRENT}::interval`.as('current'),
          sql<number>`extract(epoch from updated_at + ${STILL_CURRENT}::interval - now()) * 1000`.as(
            'msLeft',
          ),
          sql<boolean>`blocked_at is not null`.as('blocked'),
        ])
        .where('conversationId', '=', conversationId)
        .executeTakeFirst()
        .finally(() => inFlight.delete(reading));
      if (stored?.current) {
        if (changes?.live && reading.own + reading.other === 0)
          keep(conversationId, json, stored.aadObjectId, Number(stored.msLeft));
        return;
      }
      const writing = during(conversationId);
      const written = await db
        .insertInto('conversationReferences')
        .values({ conversationId, scope, aadObjectId: aad, reference: json })
        .onConflict((oc) =>
          oc.column('conversationId').doUpdateSet((eb) => ({
            reference: eb.ref('excluded.reference'),
            aadObjectId: sql`coalesce(excluded.aad_object_id, conversation_references.aad_object_id)`,
            blockedAt: null,
            blockedReason: null,
            updatedAt: sql`now()`,
          })),
        )
        .returning('aadObjectId')
        .executeTakeFirstOrThrow()
        .finally(() => inFlight.delete(writing));
      // Its own notice comes with the write's reply.
      if (changes?.live && writing.own === 1 && writing.other === 0)
        keep(conversationId, json, written.aadObjectId, STILL_CURRENT_MS);
      const chatOf = written.aadObjectId;
      if (scope === 'personal' && chatOf && (!stored || stored.blocked))
        await wakeJobsWaitingFor(chatOf);
    },
    async personalChatOf(aadObjectId) {
      const row = await db
        .selectFrom('conversationReferences')
        .select('reference')
        .where('scope', '=', 'personal')
        .where('aadObjectId', '=', aadObjectId.toLowerCase())
        .where('blockedAt', 'is', null)
        .orderBy('updatedAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row?.reference;
    },
    async markUnreachable(conversationId, reason) {
      await db
        .updateTable('conversationReferences')
        .set({ blockedAt: sql`now()`, blockedReason: reason })
        .where('conversationId', '=', conversationId)
        .execute();
    },
    async blockedByUser(aadObjectId) {
      const row = await db
        .selectFrom('conversationReferences')
        .select('blockedReason')
        .where('scope', '=', 'personal')
        .where('aadObjectId', '=', aadObjectId.toLowerCase())
        .orderBy('updatedAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row?.blockedReason === 'blocked_by_user';
    },
  };
}
