import type { Kysely } from 'kysely';
import type { RateLimitCounter } from '../app/rate-limits.js';
import type { Database } from './database.js';

/** One caller's requests in one window (migration 010). */
export interface RateLimitsTable {
  key: string;
  windowStart: Date;
  count: number;
}

/**
 * The shared request counter: one upsert per request, so that two instances counting the same
 * caller at the same moment both see the total (PostgreSQL and PGlite alike).
 */
export function createPgRateLimitCounter(db: Kysely<Database>): RateLimitCounter {
  const store = db.withTables<{ rateLimits: RateLimitsTable }>();
  return {
    async hit(key, windowStart) {
      const row = await store
        .insertInto('rateLimits')
        .values({ key, windowStart, count: 1 })
        .onConflict((oc) =>
          oc
            .columns(['key', 'windowStart'])
            .doUpdateSet((eb) => ({ count: eb('rateLimits.count', '+', 1) })),
        )
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async prune(before) {
      await store.deleteFrom('rateLimits').where('windowStart', '<', before).execute();
    },
  };
}
