import { importExtract } from '../app/import/import-extract.js';
import { formatProblem } from '../app/import/extract.js';
import type { Services } from '../services.js';
import { demoCouncilExtract } from './demo-council.js';

/**
 * Fills an empty store with the synthetic demo council, through the ordinary import. Does
 * nothing when the store already holds children. Returns whether it seeded.
 */
export async function seedDemoDataIfEmpty(services: Services): Promise<boolean> {
  const existing = await services.store.db
    .selectFrom('children')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) return false;
  const today = services.clock.today();
  const files = demoCouncilExtract({ today, calendar: services.calendar });
  // The synthetic council's files hold every review ever held.
  const result = await importExtract(services, files, { actor: 'demo-seed', today }, undefined, {
    reviewsFrom: null,
  });
  if (!result.ok) {
    throw new Error(
      `The demo data does not pass its own import:\n${result.problems.slice(0, 5).map(formatProblem).join('\n')}`,
    );
  }
  return true;
}
