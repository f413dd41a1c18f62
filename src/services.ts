import type { Config } from './config.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './domain/bank-holidays.js';
import { todayIn, type LocalDate } from './domain/local-date.js';
import { createWorkingCalendar, type WorkingCalendar } from './domain/working-days.js';
import type { CaseReader, ExtractWriter } from './app/ports.js';
import { createPgCaseReader } from './store/case-repository.js';
import { createPgExtractWriter } from './store/extract-repository.js';
import { createPgScheduledReviewRepository } from './store/scheduled-review-repository.js';
import { createPgReviewRecordRepository } from './store/review-record-repository.js';
import type { ReviewRecordRepository } from './app/recording/review-record.js';
import type { ScheduledReviewRepository } from './app/scheduling/scheduled-reviews.js';
import { DEFAULT_VENUE, type SchedulingSettings } from './app/scheduling/schedule-review.js';
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
  scheduledReviews: ScheduledReviewRepository;
  reviewRecords: ReviewRecordRepository;
  scheduling: SchedulingSettings;
}

export function createClock(timeZone: string): Clock {
  return { now: () => new Date(), today: () => todayIn(timeZone, new Date()) };
}

export type ServiceConfig = Pick<
  Config,
  | 'TIME_ZONE'
  | 'EXTRA_BANK_HOLIDAYS'
  | 'WORKING_HOURS'
  | 'REVIEW_LENGTH_MINUTES'
  | 'SCHEDULING_NOTICE_WORKING_DAYS'
  | 'REVIEW_SUBJECT_TEMPLATE'
>;

export function createServices(
  config: ServiceConfig,
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
    scheduledReviews: createPgScheduledReviewRepository(store.db),
    reviewRecords: createPgReviewRecordRepository(store.db),
    scheduling: {
      timeZone: config.TIME_ZONE,
      workingHours: { start: config.WORKING_HOURS.slice(0, 5), end: config.WORKING_HOURS.slice(6) },
      lengthMinutes: config.REVIEW_LENGTH_MINUTES,
      noticeWorkingDays: config.SCHEDULING_NOTICE_WORKING_DAYS,
      subjectTemplate: config.REVIEW_SUBJECT_TEMPLATE,
      defaultVenue: DEFAULT_VENUE,
    },
  };
}
