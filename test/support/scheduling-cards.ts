import type { Card } from './bot-harness.js';

export type Choice = { title: string; value: string };

/** The times a scheduling card offers (its "slot" choice set). */
export function choicesIn(card: Card): Choice[] {
  const set =
    JSON.stringify(card).match(/"id":"slot"[^\]]*"choices":(\[[^\]]*\])/) ??
    JSON.stringify(card).match(/"choices":(\[[^\]]*\])[^}]*"id":"slot"/);
  return set ? (JSON.parse(set[1] as string) as Choice[]) : [];
}
/** The card's submit action: its verb and the data it carries. */
export function submitOf(card: Card) {
  const action = card.actions?.find((a) => a.verb?.startsWith('review.'));
  return { verb: action?.verb as string, data: action?.data as Record<string, string> };
}
