import { importExtract } from '../app/import/import-extract.js';
import { formatProblem } from '../app/import/extract.js';
import type { Services } from '../services.js';
import { addDays } from '../domain/local-date.js';
import { demoCouncilExtract } from './demo-council.js';
import { recordDemoReviews, takeRecentReviews } from './demo-history.js';

/**
 * Fills an empty store with the synthetic demo council, through the ordinary import. Does
 * nothing when the store already holds children. Returns whether it seeded.
 *
 * With `recordedDays`, the reviews held in that many days up to today are not imported but
 * recorded through the app, as chairs record them at meeting end (attendance, decisions, late
 * reasons, records distributed), so the tab and the annual report show those figures too.
 */
export async function seedDemoDataIfEmpty(
  services: Services,
  options: { recordedDays?: number } = {},
): Promise<boolean> {
  const existing = await services.store.db
    .selectFrom('children')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) return false;
  const today = services.clock.today();
  const council = demoCouncilExtract({ today, calendar: services.calendar });
  const recordedDays = options.recordedDays ?? 0;
  const { files, recent } =
    recordedDays > 0
      ? takeRecentReviews(council, addDays(today, 1 - recordedDays))
      : { files: council, recent: [] };
  // The synthetic council's files hold every review ever held.
  const result = await importExtract(services, files, { actor: 'demo-seed', today }, undefined, {
    reviewsFrom: null,
  });
  if (!result.ok) {
    throw new Error(
      `The demo data does not pass its own import:\n${result.problems.slice(0, 5).map(formatProblem).join('\n')}`,
    );
  }
  await recordDemoReviews(services, recent);
  return true;
}
