import type { AdaptiveCardJson } from '../cards/card-templates.js';

/** What became of a message to someone's 1:1 chat with the bot. */
export type Delivery = 'sent' | 'noChat' | 'notInstalled' | 'blocked';

/** Proactive messages to a person's 1:1 chat with the bot. */
export interface Messenger {
  sendCard(aadObjectId: string, card: AdaptiveCardJson, text?: string): Promise<Delivery>;
  /** Whether this person blocked the bot in their 1:1 chat. */
  blockedByUser(aadObjectId: string): Promise<boolean>;
}
