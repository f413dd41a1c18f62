import { ActivityTypes, CardFactory, type InvokeResponse, type Middleware } from 'botbuilder';
import type { RateLimits } from '../app/rate-limits.js';
import { fillTemplate } from '../cards/card-templates.js';
import type { Logger } from '../shared/logger.js';
import { ids } from './turn-helpers.js';

const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';

function waitText(seconds: number): string {
  return `You're sending me requests faster than I can answer them. Wait ${seconds} second${seconds === 1 ? '' : 's'}, then try again.`;
}

/**
 * Each person's messages and card presses per minute, counted in the store that every instance
 * shares. botbuilder runs adapter middleware after it has checked the Bot Framework token, so
 * the caller is who Teams says: their Entra object id, or their Teams id for a guest without one.
 *
 * Over the limit the bot does nothing, and says so as cheaply as it can: a message gets one short
 * card, and only the first in the window does (across all instances), so a flood is never
 * answered with a flood; a card press gets its invoke answer, the Universal Actions response
 * `application/vnd.microsoft.activity.message` (statusCode 200, value: a string; botbuilder's
 * type says an object, the Adaptive Cards documentation a string), which Teams shows as a
 * message while the card stays as it was (a card answer would replace the person's card, and an
 * error status can stop a card refreshing). Other activities (Teams'
 * own events, installs, proactive turns) are not counted.
 */
export function rateLimitMiddleware(rateLimits: RateLimits, logger: Logger): Middleware {
  return {
    async onTurn(context, next) {
      const { type, from } = context.activity;
      // Lower case, as the staff list is matched: one person is one count whatever the case.
      const caller = (from?.aadObjectId ?? from?.id)?.toLowerCase();
      if ((type !== ActivityTypes.Message && type !== ActivityTypes.Invoke) || !caller) {
        await next();
        return;
      }
      const decision = await rateLimits.check('bot', caller);
      if (decision.ok) {
        await next();
        return;
      }
      if (decision.first) {
        logger.warn(
          { ...ids(context), retryAfterSeconds: decision.retryAfterSeconds },
          'bot requests over the rate limit: the rest of this minute is refused',
        );
      }
      const text = waitText(decision.retryAfterSeconds);
      if (type === ActivityTypes.Invoke) {
        const value: InvokeResponse =
          context.activity.name === ADAPTIVE_CARD_ACTION
            ? {
                status: 200,
                body: {
                  statusCode: 200,
                  type: 'application/vnd.microsoft.activity.message',
                  value: text,
                },
              }
            : { status: 429, body: { error: text } };
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
        return;
      }
      if (decision.first) {
        const card = fillTemplate('message', {
          title: 'One moment',
          text,
          hasAction: false,
          showHelp: false,
        });
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      }
    },
  };
}
