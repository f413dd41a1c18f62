import { randomUUID } from 'node:crypto';
import { AppError } from '../app/errors.js';
import type { Logger } from '../shared/logger.js';

/**
 * How the bot describes a failure to the person in chat: an AppError's own sentence, otherwise
 * a plain apology; always with a reference the support desk can find in the logs. Never a
 * library's error text.
 */
export function describeTurnError(
  error: unknown,
  logger: Logger,
  ids: { conversationId?: string; activityId?: string },
) {
  const correlationId = randomUUID();
  if (error instanceof AppError) {
    logger.warn({ correlationId, ...ids, error: error.name }, 'bot turn refused');
    return {
      title: "I couldn't do that",
      text: `${error.message} (reference ${correlationId})`,
      correlationId,
    };
  }
  logger.error({ correlationId, ...ids, err: error }, 'bot turn failed');
  return {
    title: 'Something went wrong on my side',
    text: `Please try again in a minute. If it keeps happening, give the service desk this reference: ${correlationId}.`,
    correlationId,
  };
}
