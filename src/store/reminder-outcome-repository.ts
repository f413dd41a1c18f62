import type { Kysely } from 'kysely';
import type { ReminderOutcomes } from '../jobs/recording-reminder-job.js';
import type { Database } from './database.js';

/** Records how a recording reminder went (see `claimUnrecorded` for the retries). */
export function createPgReminderOutcomes(db: Kysely<Database>): ReminderOutcomes {
  return {
    async reminderSent(reviewId, at) {
      await db
        .updateTable('reviews')
        .set({ reminderSentAt: at, reminderRetryAt: null })
        .where('id', '=', reviewId)
        .execute();
    },
    async reminderBlocked(reviewId, at) {
      await db
        .updateTable('reviews')
        .set({ reminderBlockedAt: at, reminderRetryAt: null })
        .where('id', '=', reviewId)
        .execute();
    },
  };
}
