import { readFileSync } from 'node:fs';
import { withoutLinks } from '../shared/printable-text.js';
import { compileTemplate } from './template-expander.js';

/** The card templates in adaptive-cards/, by name. */
export const CARD_TEMPLATES = [
  'review-list',
  'caseload-summary',
  'figures',
  'help',
  'message',
  'schedule-review',
  'review-booked',
  'meeting-ended',
  'participation-form',
  'review-recorded',
  'midway-check',
  'midway-answered',
  'midway-summary',
  'midway-notice',
  'alert-form',
  'alert-respond',
  'alert-status',
  'alert-list',
  'alert-notice',
  'alert-sent',
  'decision-due',
  'decision-overdue',
  'digest-daily',
  'digest-notice',
] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

const templateDir = new URL('../../adaptive-cards/', import.meta.url);
const cache = new Map<CardTemplateName, unknown>();

export function templateJson(name: CardTemplateName): unknown {
  let json = cache.get(name);
  if (!json) {
    json = JSON.parse(readFileSync(new URL(`${name}.json`, templateDir), 'utf8'));
    cache.set(name, json);
  }
  return json;
}

/**
 * Each template compiled once (`template-expander.ts`): expanding gives what the library's
 * `new Template(json).expand({ $root })` gives (the differential tests compare them on the
 * renderers' data and on random data), allocating about a twentieth as much: expanding a list
 * card of 8 children went from about 370 KB and 0.28 ms to 18 KB and 0.03 ms. Expanding builds a
 * new card each time and leaves the compiled template as it was.
 */
const compiled = new Map<CardTemplateName, (root: Record<string, unknown>) => unknown>();

/**
 * Fills a template with data (adaptivecards-templating: `${...}`, `$data`, `$when`). Every text a
 * card shows as Markdown (a TextBlock's text, a fact's title and value) has its links broken,
 * whoever wrote it: a venue, a concern or a name from a file with "[Sign in again](https://...)"
 * would otherwise arrive as a link that seems to come from the bot. No template makes a link of
 * its own in Markdown (buttons carry the URLs).
 */
export function fillTemplate(
  name: CardTemplateName,
  data: Record<string, unknown>,
): AdaptiveCardJson {
  let expand = compiled.get(name);
  if (!expand) {
    expand = compileTemplate(templateJson(name));
    compiled.set(name, expand);
  }
  const card = expand(data) as AdaptiveCardJson;
  delete card['$schema'];
  // A `$when` that is false leaves a property as null (refresh on a card with no chair to show).
  for (const [key, value] of Object.entries(card)) if (value === null) delete card[key];
  return withoutMarkdownLinks(card);
}

/**
 * Calls `visit` on every text of the card that is shown as Markdown, with a setter for it. The
 * card may hold the renderer's own objects (a `${facts}` binding hands over its array), so the
 * texts are changed on a copy, never where they came from.
 */
function eachMarkdownText(
  node: unknown,
  visit: (text: string, set: (text: string) => void) => void,
): void {
  if (Array.isArray(node)) {
    for (const item of node) eachMarkdownText(item, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const element = node as Record<string, unknown>;
  const field = (owner: Record<string, unknown>, key: string) => {
    const value = owner[key];
    if (typeof value === 'string') visit(value, (text) => (owner[key] = text));
  };
  if (element['type'] === 'TextBlock') field(element, 'text');
  if (element['type'] === 'FactSet' && Array.isArray(element['facts'])) {
    for (const fact of element['facts'] as Record<string, unknown>[]) {
      field(fact, 'title');
      field(fact, 'value');
    }
  }
  // A choice's title is shown; its value is what the card sends back, and stays as it is.
  if (element['type'] === 'Input.ChoiceSet' && Array.isArray(element['choices'])) {
    for (const choice of element['choices'] as Record<string, unknown>[]) field(choice, 'title');
  }
  for (const value of Object.values(element)) {
    if (typeof value === 'object' && value !== null) eachMarkdownText(value, visit);
  }
}

const MARKDOWN_LINK = /\]\(/;

function withoutMarkdownLinks(card: AdaptiveCardJson): AdaptiveCardJson {
  let linked = false;
  eachMarkdownText(card, (text) => (linked ||= MARKDOWN_LINK.test(text)));
  if (!linked) return card;
  const copy = structuredClone(card);
  eachMarkdownText(copy, (text, set) => set(withoutLinks(text)));
  return copy;
}
