/** Reading a card's JSON in tests: its elements in reading order, inputs, texts, buttons. */

export type Element = Record<string, unknown>;
export type Card = Record<string, unknown>;

/**
 * Every element of a card's body and actions, depth first, in reading order (an Action.ShowCard's
 * card after the action).
 */
export function elements(card: Card): Element[] {
  const out: Element[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const element = value as Element;
      if (typeof element['type'] === 'string') out.push(element);
      for (const key of ['body', 'items', 'columns', 'actions', 'fallback']) walk(element[key]);
      if (element['type'] === 'Action.ShowCard') {
        const card = element['card'] as Element | undefined;
        walk(card?.['body']);
        walk(card?.['actions']);
      }
    }
  };
  walk(card['body']);
  walk(card['actions']);
  return out;
}

export const inputs = (card: Card) =>
  elements(card).filter((e) => String(e['type']).startsWith('Input.'));
export const input = (card: Card, id: string) => inputs(card).find((e) => e['id'] === id);
export const texts = (card: Card) =>
  elements(card)
    .filter((e) => e['type'] === 'TextBlock')
    .map((e) => e['text'] as string);
/** The element that follows the one with this id, in reading order. */
export const after = (card: Card, id: string) => {
  const all = elements(card);
  return all[all.findIndex((e) => e['id'] === id) + 1];
};
export const topActions = (card: Card) => (card['actions'] ?? []) as Element[];
export const executes = (card: Card) =>
  elements(card).filter((e) => e['type'] === 'Action.Execute');
/** The texts shown in Teams' attention colour. */
export const red = (card: Card) =>
  elements(card)
    .filter((e) => e['color'] === 'Attention')
    .map((e) => e['text'] as string);
