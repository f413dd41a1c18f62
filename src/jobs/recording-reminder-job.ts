import type { MeetingReview, ReviewRecordRepository } from '../app/recording/review-record.js';
import type { Logger } from '../shared/logger.js';

export interface RecordingReminderJob {
  /** One pass: returns how many chairs were sent the form. */
  runOnce(): Promise<number>;
  stop(): void;
}

/**
 * Meeting events are sometimes not delivered. Every minute this looks for booked reviews whose
 * meeting ended more than RECORDING_REMINDER_MINUTES ago without a record, and sends the chair the
 * form in their 1:1 chat. Each review is claimed atomically in the store, so several instances of
 * the app never remind twice.
 */
export function startRecordingReminderJob(deps: {
  reviewRecords: ReviewRecordRepository;
  clock: { now(): Date };
  logger: Logger;
  minutes: number;
  remind: (review: MeetingReview) => Promise<boolean>;
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
        if (await deps.remind(review)) sent += 1;
        else
          deps.logger.warn(
            { review: review.reviewId },
            'no 1:1 chat with the chair to send the recording form to',
          );
      } catch (error) {
        deps.logger.error(
          { review: review.reviewId, err: error },
          'could not send the recording form',
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
  return { runOnce, stop: () => clearInterval(timer) };
}
