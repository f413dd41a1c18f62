import type { LateReason } from '../domain/late-reasons.js';
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Dates are `YYYY-MM-DD` strings both ways (type parsers are set in open-store.ts). */
type DateColumn = string;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type StaffRole = 'iro' | 'social_worker' | 'team_manager' | 'service_manager' | 'admin';
export type StaffLevel =
  'team_manager' | 'service_manager' | 'head_of_service' | 'assistant_director' | 'director';
export type AllocationRole = 'iro' | 'social_worker';
export type ReviewStatus = 'scheduled' | 'held' | 'cancelled';
export type Attendance = 'in_person' | 'online' | 'report' | 'apologies' | 'did_not_attend';

export interface StaffTable {
  email: string;
  name: string;
  role: StaffRole;
  aadObjectId: string | null;
  team: string | null;
  managerEmail: string | null;
  fte: number;
  /** The social worker's id in the 903 SWEpisodes file (SW_ID), when the council gives it. */
  swId: Generated<string | null>;
  /** Their level as a manager (Staff.csv LEVEL), when the council gives it (migration 020). */
  level: Generated<StaffLevel | null>;
  updatedAt: Timestamp;
}

export interface ChildrenTable {
  childId: string;
  sex: string | null;
  dob: DateColumn;
  ethnic: string | null;
  upn: string | null;
  mother: string | null;
  mcDob: DateColumn | null;
  firstName: string | null;
  lastName: string | null;
  /** Every review held on or after this day is known; null when the whole history is known. */
  reviewsKnownFrom: Generated<DateColumn | null>;
  /** The last review held before the extract, as the council supplied it (LastReviews.csv). */
  previousReviewOn: Generated<DateColumn | null>;
  /** Its number in the period of care; null when it was a later review. */
  previousReviewNumber: Generated<number | null>;
  updatedAt: Timestamp;
}

export interface EpisodesTable {
  childId: string;
  decom: DateColumn;
  rne: string;
  ls: string;
  cin: string | null;
  place: string | null;
  placeProvider: string | null;
  dec: DateColumn | null;
  rec: string | null;
  reasonPlaceChange: string | null;
  homePost: string | null;
  plPost: string | null;
  urn: string | null;
}

export interface PeriodsOfCareTable {
  id: Generated<number>;
  childId: string;
  startDate: DateColumn;
  /** False when the earliest episode held does not start the period (RNE other than S). */
  startKnown: Generated<boolean>;
  endDate: DateColumn | null;
  shortBreak: boolean;
}

export interface AllocationsTable {
  id: Generated<number>;
  childId: string;
  role: AllocationRole;
  staffEmail: string;
  startDate: DateColumn;
  endDate: DateColumn | null;
}

export interface ReviewsTable {
  id: Generated<number>;
  childId: string;
  status: ReviewStatus;
  heldOn: DateColumn | null;
  reviewCode: string | null;
  dueOn: DateColumn | null;
  kind: string | null;
  extra: Generated<boolean>;
  chairEmail: string | null;
  /** Calendar days after its due date that a held review was held; null when the due date is unknown. */
  daysLate: Generated<number | null>;
  scheduledStart: Date | null;
  scheduledEnd: Date | null;
  venue: string | null;
  graphEventId: string | null;
  icalUid: string | null;
  joinUrl: string | null;
  onlineMeetingId: string | null;
  meetingChatId: string | null;
  childChaired: boolean | null;
  advocacyOffered: boolean | null;
  advocacyUsed: boolean | null;
  consultationReturned: boolean | null;
  /** Why a review recorded in the app was held after its due date. */
  lateReason: Generated<LateReason | null>;
  changeReason: string | null;
  source: 'import' | 'bot' | 'demo';
  transactionId: string | null;
  invitees: ColumnType<string[], string | undefined, string>;
  meetingStartedAt: Date | null;
  meetingEndedAt: Date | null;
  meetingCardActivityId: string | null;
  /** When the IRO marked the review record written and distributed. */
  recordDistributedOn: Generated<DateColumn | null>;
  /** When the chair cancelled a booked meeting that a review recorded without it had made unnecessary. */
  meetingCancelledAt: Generated<Date | null>;
  recordedAt: Date | null;
  reminderSentAt: Date | null;
  /** Recording reminders tried, when the next may be tried, and when the chair had blocked the bot. */
  reminderAttempts: Generated<number>;
  reminderRetryAt: Date | null;
  reminderBlockedAt: Date | null;
  recordedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ReviewAttendanceTable {
  id: Generated<number>;
  reviewId: number;
  participant: string;
  /** Which of the review's invitees (its place in reviews.invitees); null for a role row. */
  inviteeIndex: number | null;
  attendance: Attendance;
}

export interface ReviewDecisionsTable {
  id: Generated<number>;
  reviewId: number;
  description: string;
  ownerEmail: string | null;
  dueOn: DateColumn | null;
  createdAt: Timestamp;
}

export interface DecisionProgressTable {
  id: Generated<number>;
  decisionId: number;
  status: 'not_started' | 'on_track' | 'delayed' | 'done';
  note: string | null;
  reportedBy: string;
  reportedAt: Timestamp;
  /** The midway check this answer was given in, if any. */
  midwayCheckId: Generated<number | null>;
}

export interface EscalationsTable {
  id: Generated<number>;
  childId: string;
  raisedBy: string;
  stage: 'informal' | 'formal' | 'head_of_service' | 'director' | 'cafcass';
  raisedOn: DateColumn;
  resolvedOn: DateColumn | null;
  outcome: 'resolved' | 'cafcass' | 'withdrawn' | null;
  createdAt: Generated<Date>;
  iroEmail: string | null;
  issue: string | null;
  actionWanted: string | null;
  decisionId: number | null;
  midwayCheckId: number | null;
  stageStartedOn: DateColumn | null;
  stageDueOn: DateColumn | null;
  responderEmail: string | null;
}

export interface EscalationStepsTable {
  id: Generated<number>;
  escalationId: number;
  at: Date;
  actorEmail: string;
  action: 'raised' | 'responded' | 'responseChanged' | 'movedOn' | 'resolved';
  stage: string;
  note: string | null;
  /** raised, movedOn: who was asked to respond at the stage the step starts. */
  responderEmail: Generated<string | null>;
}

export interface ConversationReferencesTable {
  id: Generated<number>;
  conversationId: string;
  aadObjectId: string | null;
  scope: 'personal' | 'groupChat' | 'channel' | 'meeting';
  reference: JSONColumnType<Record<string, unknown>>;
  blockedAt: Date | null;
  /** Why the bot cannot post there: the app is not in the chat, or the user blocked the bot. */
  blockedReason: 'not_installed' | 'blocked_by_user' | null;
  updatedAt: Timestamp;
}

/** Each child's current period, last review and next review due, kept up to date with every change. */
export interface ReviewStatusTable {
  childId: string;
  periodStart: DateColumn;
  periodStartKnown: boolean;
  periodEnd: DateColumn | null;
  shortBreak: boolean;
  lastReviewOn: DateColumn | null;
  /** Null when the due date cannot be known (the last review was before the extract). */
  nextDueOn: DateColumn | null;
  nextKind: string | null;
  midwayOn: DateColumn | null;
  /** The child's open IRO and social worker, as `allocations` holds them (migration 012). */
  iroEmail: string | null;
  swEmail: string | null;
  /** The current period's latest held review that was late. */
  lateHeldOn: DateColumn | null;
  /** The current period's latest held review whose due date cannot be known. */
  unknownHeldOn: DateColumn | null;
  /** The latest held review in any period. */
  lastHeldOn: DateColumn | null;
  /** The reporting year (its 1 April) of `lastHeldOn`; the `year*` counts are of its reviews. */
  yearStart: DateColumn | null;
  yearHeld: Generated<number>;
  yearAssessed: Generated<number>;
  yearOnTime: Generated<number>;
  /** Held reviews by participation code, PN0 to PN7 (full-time care only). */
  yearPn0: Generated<number>;
  yearPn1: Generated<number>;
  yearPn2: Generated<number>;
  yearPn3: Generated<number>;
  yearPn4: Generated<number>;
  yearPn5: Generated<number>;
  yearPn6: Generated<number>;
  yearPn7: Generated<number>;
  yearAgedFour: Generated<number>;
  yearViewsConveyed: Generated<number>;
  yearViewsCommunicated: Generated<number>;
  yearSbHeld: Generated<number>;
  yearSbAssessed: Generated<number>;
  yearSbOnTime: Generated<number>;
  /** The start of the child's booked review meeting, kept by triggers on `reviews` (migration 013). */
  bookedStart: Date | null;
  /** The child's names as `children` holds them, for the lists' initials (migration 016). */
  firstName: string | null;
  lastName: string | null;
  updatedAt: Timestamp;
}

export type JobState = 'pending' | 'done' | 'dropped';

/** Work the server does on its own; ids only, never personal data. */
export interface JobsTable {
  id: Generated<string>;
  kind: string;
  key: string;
  runAfter: Date;
  state: Generated<JobState>;
  attempts: Generated<number>;
  lockedUntil: Date | null;
  lockedBy: string | null;
  /** A code (HTTP status, error name), never a message that could carry data. */
  lastError: string | null;
  /** The Entra object id of the colleague a retried job waits to reach, or null. */
  waitingFor: Generated<string | null>;
  outcome: string | null;
  doneAt: Date | null;
  createdAt: Generated<Date>;
}

export interface MidwayChecksTable {
  id: Generated<number>;
  reviewId: number;
  childId: string;
  midwayOn: DateColumn;
  swEmail: string;
  iroEmail: string;
  createdAt: Generated<Date>;
  promptedAt: Date | null;
  remindedAt: Date | null;
  iroToldAt: Date | null;
  unreachableToldAt: Date | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  iroNote: string | null;
}

export interface StoreMetaTable {
  key: string;
  value: string;
  updatedAt: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  detail: JSONColumnType<Record<string, unknown>>;
  correlationId: string | null;
}

export interface Database {
  staff: StaffTable;
  children: ChildrenTable;
  episodes: EpisodesTable;
  periodsOfCare: PeriodsOfCareTable;
  allocations: AllocationsTable;
  reviews: ReviewsTable;
  reviewAttendance: ReviewAttendanceTable;
  reviewDecisions: ReviewDecisionsTable;
  decisionProgress: DecisionProgressTable;
  escalations: EscalationsTable;
  escalationSteps: EscalationStepsTable;
  conversationReferences: ConversationReferencesTable;
  auditLog: AuditLogTable;
  reviewStatus: ReviewStatusTable;
  storeMeta: StoreMetaTable;
  jobs: JobsTable;
  midwayChecks: MidwayChecksTable;
}
