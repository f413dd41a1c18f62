import { ActivityTypes, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { CHILD_ID } from '../app/import/parse-extract.js';
import { fillTemplate, type AdaptiveCardJson } from '../cards/card-templates.js';

/**
 * A store row's id as card buttons carry it: a PostgreSQL integer (at most 2^31 - 1), so a
 * tampered 2147483648 is refused as any other bad id rather than failing in the store (22003).
 */
export const storeIdData = z.coerce.number().int().positive().max(2_147_483_647);

/** A CHILD id as card buttons carry it: the import's own rule for CHILD. */
export const childIdData = z.string().trim().regex(CHILD_ID);

/** The text inputs a card sent with its action. */
export function inputsOf(data: Record<string, unknown>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') form[key] = value;
  return form;
}

export function renderMessage(title: string, text: string): AdaptiveCardJson {
  return fillTemplate('message', { title, text, hasAction: false, showHelp: true });
}

/** What the logs may say about a turn: ids only. */
export function ids(context: TurnContext) {
  return {
    conversationId: context.activity.conversation?.id,
    activityId: context.activity.id,
    type: context.activity.type ?? ActivityTypes.Message,
  };
}
