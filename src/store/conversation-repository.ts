import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

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

export function createPgConversationRepository(db: Kysely<Database>): ConversationRepository {
  return {
    async remember({ conversationId, scope, aadObjectId, reference }) {
      const json = JSON.stringify(reference);
      const aad = aadObjectId?.toLowerCase() ?? null;
      // Most turns come from a chat already stored as it is: a read, not a write, for them. (If
      // another instance records a refusal of this chat at that moment, the refusal stands, as
      // it did before when it landed just after this turn's write.)
      const stored = await db
        .selectFrom('conversationReferences')
        .select(
          sql<boolean>`reference = ${json}::jsonb
            and blocked_at is null
            and aad_object_id is not distinct from coalesce(${aad}::text, aad_object_id)
            and updated_at > now() - ${STILL_CURRENT}::interval`.as('current'),
        )
        .where('conversationId', '=', conversationId)
        .executeTakeFirst();
      if (stored?.current) return;
      await db
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
        .execute();
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
