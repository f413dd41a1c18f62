import type { LocalDate } from '../../src/domain/local-date.js';
import { loadConfig } from '../../src/config.js';
import { createServices, type Clock, type Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';

/** Services over a test store with a fixed "today". */
export function servicesFor(store: Store, today: string): Services {
  const clock: Clock = {
    now: () => new Date(`${today}T12:00:00Z`),
    today: () => today as LocalDate,
  };
  return createServices(loadConfig({}), store, clock);
}
