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
  /** The 1:1 chat with this person, if the bot has one and they have not blocked it. */
  personalChatOf(aadObjectId: string): Promise<Record<string, unknown> | undefined>;
  markBlocked(conversationId: string): Promise<void>;
}

export function createPgConversationRepository(db: Kysely<Database>): ConversationRepository {
  return {
    async remember({ conversationId, scope, aadObjectId, reference }) {
      await db
        .insertInto('conversationReferences')
        .values({
          conversationId,
          scope,
          aadObjectId: aadObjectId?.toLowerCase() ?? null,
          reference: JSON.stringify(reference),
        })
        .onConflict((oc) =>
          oc.column('conversationId').doUpdateSet((eb) => ({
            reference: eb.ref('excluded.reference'),
            aadObjectId: sql`coalesce(excluded.aad_object_id, conversation_references.aad_object_id)`,
            blockedAt: null,
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
        .executeTakeFirst();
      return row?.reference;
    },
    async markBlocked(conversationId) {
      await db
        .updateTable('conversationReferences')
        .set({ blockedAt: sql`now()` })
        .where('conversationId', '=', conversationId)
        .execute();
    },
  };
}
