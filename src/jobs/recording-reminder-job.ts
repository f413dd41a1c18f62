import type { MeetingReview, ReviewRecordRepository } from '../app/recording/review-record.js';
import type { Logger } from '../shared/logger.js';

export interface RecordingReminderJob {
  /** One pass: returns how many chairs were sent the form. */
  runOnce(): Promise<number>;
  /** No more passes; resolves when a pass under way has finished. */
  stop(): Promise<void>;
}

/**
 * What happened to a reminder: Teams took it; it could not reach the chair yet (no 1:1 chat with
 * the app, the app removed from it, the chair not registered: try again later); or the chair
 * blocked the bot (recorded, never tried again).
 */
export type ReminderDelivery = 'sent' | 'notReached' | 'blocked';

/** Where the job records how a claimed reminder went. */
export interface ReminderOutcomes {
  reminderSent(reviewId: number, at: Date): Promise<void>;
  reminderBlocked(reviewId: number, at: Date): Promise<void>;
}

/**
 * Meeting events are sometimes not delivered. Every minute this looks for booked reviews whose
 * meeting ended more than RECORDING_REMINDER_MINUTES ago without a record, and sends the chair the
 * form in their 1:1 chat. Each review is claimed atomically in the store, so several instances of
 * the app never remind at the same time; a claim holds the review until its next retry time, so a
 * form Teams did not deliver (or an instance that stopped half way) is tried again later, with a
 * growing pause, until it is delivered or the chair turns out to have blocked the bot.
 */
export function startRecordingReminderJob(deps: {
  reviewRecords: ReviewRecordRepository;
  outcomes: ReminderOutcomes;
  clock: { now(): Date };
  logger: Logger;
  minutes: number;
  remind: (review: MeetingReview) => Promise<ReminderDelivery>;
  intervalMs?: number;
}): RecordingReminderJob {
  let running: Promise<number> | undefined;
  const runOnce = async (): Promise<number> => {
    const now = deps.clock.now();
    const due = await deps.reviewRecords.claimUnrecorded(
      new Date(now.getTime() - deps.minutes * 60_000),
      now,
    );
    let sent = 0;
    for (const review of due) {
      try {
        const delivery = await deps.remind(review);
        if (delivery === 'sent') {
          await deps.outcomes.reminderSent(review.reviewId, deps.clock.now());
          sent += 1;
        } else if (delivery === 'blocked') {
          await deps.outcomes.reminderBlocked(review.reviewId, deps.clock.now());
          deps.logger.warn(
            { review: review.reviewId },
            'the chair has blocked the bot: the recording form will not be sent',
          );
        } else {
          deps.logger.warn(
            { review: review.reviewId },
            'could not reach the chair in a 1:1 chat: will send the recording form again later',
          );
        }
      } catch (error) {
        deps.logger.error(
          { review: review.reviewId, err: error },
          'could not send the recording form: will try again later',
        );
      }
    }
    if (due.length > 0) deps.logger.info({ claimed: due.length, sent }, 'recording reminders');
    return sent;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) => {
        deps.logger.error({ err: error }, 'recording reminder job failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  }, deps.intervalMs ?? 60_000);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
