import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initialSchema from './001-initial-schema.js';
import * as oneScheduledReview from './002-one-scheduled-review.js';
import * as meetingRecord from './003-meeting-record.js';
import * as recordingReminder from './004-recording-reminder.js';
import * as reminderRetry from './005-reminder-retry.js';
import * as reviewStatus from './006-review-status.js';
import * as jobsAndMidway from './007-jobs-and-midway.js';
import * as alertsAndFollowUp from './008-alerts-and-follow-up.js';
import * as lateReason from './009-late-reason.js';
import * as rateLimits from './010-rate-limits.js';
import * as staffVersion from './011-staff-version.js';
import * as caseloadFigures from './012-caseload-figures.js';
import * as bookedStart from './013-booked-start.js';
import * as dueByPerson from './014-due-by-person.js';
import * as changeNotices from './015-change-notices.js';
import * as namesOnStatus from './016-names-on-status.js';
import * as alertResponseChanged from './017-alert-response-changed.js';
import * as alertStageResponders from './018-alert-stage-responders.js';
import * as jobsWaitingFor from './019-jobs-waiting-for.js';
import * as staffLevel from './020-staff-level.js';
import * as viewsCommunicated from './021-views-communicated.js';
import * as inviteeRoles from './022-invitee-roles.js';

/** Every migration, in order. Names never change once released. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial-schema': initialSchema,
  '002-one-scheduled-review': oneScheduledReview,
  '003-meeting-record': meetingRecord,
  '004-recording-reminder': recordingReminder,
  '005-reminder-retry': reminderRetry,
  '006-review-status': reviewStatus,
  '007-jobs-and-midway': jobsAndMidway,
  '008-alerts-and-follow-up': alertsAndFollowUp,
  '009-late-reason': lateReason,
  '010-rate-limits': rateLimits,
  '011-staff-version': staffVersion,
  '012-caseload-figures': caseloadFigures,
  '013-booked-start': bookedStart,
  '014-due-by-person': dueByPerson,
  '015-change-notices': changeNotices,
  '016-names-on-status': namesOnStatus,
  '017-alert-response-changed': alertResponseChanged,
  '018-alert-stage-responders': alertStageResponders,
  '019-jobs-waiting-for': jobsWaitingFor,
  '020-staff-level': staffLevel,
  '021-views-communicated': viewsCommunicated,
  '022-invitee-roles': inviteeRoles,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
