import type { Config } from './config.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './domain/bank-holidays.js';
import { todayIn, type LocalDate } from './domain/local-date.js';
import { createWorkingCalendar, type WorkingCalendar } from './domain/working-days.js';
import type { CaseReader, ExtractWriter } from './app/ports.js';
import { createPgCaseReader } from './store/case-repository.js';
import { createPgExtractWriter } from './store/extract-repository.js';
import type { Store } from './store/open-store.js';

export interface Clock {
  now(): Date;
  today(): LocalDate;
}

/** What the use cases need, built once over a store; shared by the server and the CLI. */
export interface Services {
  store: Store;
  calendar: WorkingCalendar;
  clock: Clock;
  cases: CaseReader;
  extracts: ExtractWriter;
}

export function createClock(timeZone: string): Clock {
  return { now: () => new Date(), today: () => todayIn(timeZone, new Date()) };
}

export function createServices(
  config: Pick<Config, 'TIME_ZONE' | 'EXTRA_BANK_HOLIDAYS'>,
  store: Store,
  clock: Clock = createClock(config.TIME_ZONE),
): Services {
  return {
    store,
    clock,
    calendar: createWorkingCalendar([
      ...ENGLAND_AND_WALES_BANK_HOLIDAYS,
      ...config.EXTRA_BANK_HOLIDAYS,
    ]),
    cases: createPgCaseReader(store.db),
    extracts: createPgExtractWriter(store.db),
  };
}
