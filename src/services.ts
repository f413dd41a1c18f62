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
import { ensureReviewStateCurrent } from './store/review-state-repository.js';
import type { MidwayStore } from './app/midway/midway-check.js';
import type { JobQueue } from './app/jobs.js';
import type { WorkingTime } from './domain/working-time.js';
import { createPgMidwayStore } from './store/midway-repository.js';
import type { AlertStore } from './app/alerts/practice-alert.js';
import { createPgAlertStore } from './store/alert-repository.js';
import type { ReminderStore } from './app/reminders/reminders.js';
import { createPgReminderStore } from './store/reminder-repository.js';
import { createPgJobQueue } from './store/job-repository.js';
import type { ChildPageReader } from './app/child-page.js';
import { createPgChildPageReader } from './store/child-page-repository.js';
import { createRateLimits, type RateLimits } from './app/rate-limits.js';
import { createPgRateLimitCounter } from './store/rate-limit-repository.js';

/**
 * Bumped whenever a change to the review rules can move a stored due date, or a stored count
 * changes (2026-12-05: each status row's `year_views_communicated`, migration 021), so that every
 * store recomputes its children's derived facts on its next start.
 */
export const REVIEW_RULES_VERSION = '2026-12-05';

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
  /**
   * Recomputes every child's due dates when the store's were computed by other rules or another
   * working calendar (a new release, a changed EXTRA_BANK_HOLIDAYS). Run before serving.
   */
  ensureReviewState(): Promise<{ rebuilt: boolean; children: number }>;
  scheduledReviews: ScheduledReviewRepository;
  reviewRecords: ReviewRecordRepository;
  scheduling: SchedulingSettings;
  midway: MidwayStore;
  alerts: AlertStore;
  reminders: ReminderStore;
  /** Working days after a review by which its record should be distributed. */
  recordWorkingDays: number;
  jobs: JobQueue;
  /** Working days and office hours in the council's time zone: when the bot speaks first. */
  workingTime: WorkingTime;
  /** What the tab's child page reads beyond the cases (attendance, decisions, alerts). */
  childPages: ChildPageReader;
  /** Per-caller request limits, counted in the store that every instance shares. */
  rateLimits: RateLimits;
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
  | 'RECORD_DISTRIBUTION_WORKING_DAYS'
  | 'RATE_LIMIT_PER_MINUTE'
  | 'RATE_LIMIT_SIGN_IN_PER_MINUTE'
>;

export function createServices(
  config: ServiceConfig,
  store: Store,
  clock: Clock = createClock(config.TIME_ZONE),
): Services {
  const calendar = createWorkingCalendar(
    ENGLAND_AND_WALES_BANK_HOLIDAYS,
    config.EXTRA_BANK_HOLIDAYS,
  );
  const hours = { start: config.WORKING_HOURS.slice(0, 5), end: config.WORKING_HOURS.slice(6) };
  const rulesKey = `${REVIEW_RULES_VERSION};extra=${[...config.EXTRA_BANK_HOLIDAYS].sort().join(',')}`;
  return {
    store,
    clock,
    calendar,
    ensureReviewState: () => ensureReviewStateCurrent(store.db, calendar, rulesKey),
    cases: createPgCaseReader(store.db, store.changes),
    extracts: createPgExtractWriter(store.db, calendar, {
      singleSession: store.kind === 'pglite',
    }),
    scheduledReviews: createPgScheduledReviewRepository(store.db),
    reviewRecords: createPgReviewRecordRepository(store.db, calendar),
    scheduling: {
      timeZone: config.TIME_ZONE,
      workingHours: hours,
      lengthMinutes: config.REVIEW_LENGTH_MINUTES,
      noticeWorkingDays: config.SCHEDULING_NOTICE_WORKING_DAYS,
      subjectTemplate: config.REVIEW_SUBJECT_TEMPLATE,
      defaultVenue: DEFAULT_VENUE,
    },
    midway: createPgMidwayStore(store.db),
    alerts: createPgAlertStore(store.db),
    reminders: createPgReminderStore(store.db, (instant) => todayIn(config.TIME_ZONE, instant)),
    recordWorkingDays: config.RECORD_DISTRIBUTION_WORKING_DAYS,
    jobs: createPgJobQueue(store.db),
    workingTime: { calendar, hours, timeZone: config.TIME_ZONE },
    childPages: createPgChildPageReader(store.db),
    rateLimits: createRateLimits(createPgRateLimitCounter(store.db), clock, {
      tab: config.RATE_LIMIT_PER_MINUTE,
      bot: config.RATE_LIMIT_PER_MINUTE,
      demo: config.RATE_LIMIT_SIGN_IN_PER_MINUTE,
    }),
  };
}
