import { createRequire } from 'node:module';

/**
 * Checks a card with Microsoft's `adaptivecards` library (its UMD build, which runs in Node
 * without a DOM): parse warnings and errors, then property validation. Returns the problems;
 * an empty list means the card is valid for schema 1.5.
 */
interface SerializationEvent {
  message: string;
}

interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: SerializationEvent[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): SerializationEvent };
}

const require = createRequire(import.meta.url);
let library: AdaptiveCardsModule | undefined;

export function validateCard(json: unknown): string[] {
  library ??= require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  const card = new library.AdaptiveCard();
  const context = new library.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1)
    problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents)
    problems.push(`validate: ${event.message}`);
  const version = (json as { version?: string }).version;
  if (version !== '1.5') problems.push(`version is ${String(version)}; Teams renders schema 1.5`);
  return problems;
}
