import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface TemplatingModule {
  Template: new (json: unknown) => { expand(context: { $root: unknown }): unknown };
}

/** Loaded through require: its type declarations pull in adaptivecards' TypeScript sources. */
const templating = createRequire(import.meta.url)('adaptivecards-templating') as TemplatingModule;

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
 * Each template prepared once: preparing parses every `${...}` expression (about 1 ms for a small
 * card, several for a list), while expanding a prepared template takes a few hundredths of that.
 * Expanding builds a new card each time and leaves the prepared template as it was.
 */
const prepared = new Map<CardTemplateName, InstanceType<TemplatingModule['Template']>>();

/** Fills a template with data (adaptivecards-templating: `${...}`, `$data`, `$when`). */
export function fillTemplate(
  name: CardTemplateName,
  data: Record<string, unknown>,
): AdaptiveCardJson {
  let template = prepared.get(name);
  if (!template) {
    template = new templating.Template(templateJson(name));
    prepared.set(name, template);
  }
  const card = template.expand({ $root: data }) as AdaptiveCardJson;
  delete card['$schema'];
  // A `$when` that is false leaves a property as null (refresh on a card with no chair to show).
  for (const [key, value] of Object.entries(card)) if (value === null) delete card[key];
  return card;
}
