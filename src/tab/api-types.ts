/**
 * What the tab's API (`/api/tab/...`) answers: the contract between the express routes and the
 * tab's browser code. Types only (the browser bundle imports nothing else from the server).
 *
 * Dates are `YYYY-MM-DD` strings (local dates in the council's time zone); instants are ISO 8601.
 * Children are named by initials and CHILD id only. Every route needs `Authorization: Bearer
 * <token>` (an Entra SSO token, or a demo token from `/api/tab/demo/sign-in` in demo mode).
 * Errors are `{ error, correlationId }` (as every route of the server): `error` is a sentence a
 * user can act on; 401 = sign in again, 403 = not for your role, 404 = nothing you may see.
 */

export type IsoDate = string;
export type Role = 'iro' | 'social_worker' | 'team_manager' | 'service_manager' | 'admin';
export type ReviewKind = 'first' | 'second' | 'subsequent' | 'short_breaks';
export type ParticipationCode = 'PN0' | 'PN1' | 'PN2' | 'PN3' | 'PN4' | 'PN5' | 'PN6' | 'PN7';

export interface ApiError {
  error: string;
  correlationId: string;
}

/** GET /api/tab/config (no token): how the tab signs in here. */
export interface TabConfig {
  /** `entra`: get a token from the host (teams-js SSO); `demo`: offer the demo sign-in. */
  auth: 'entra' | 'demo';
  /** The council's time zone. */
  timeZone: string;
  /**
   * `entra` only: what the Outlook task pane needs to ask for a token through nested app
   * authentication (MSAL); null when the server lacks SSO_APP_ID_URI.
   */
  sso?: { clientId: string; authority: string; scopes: string[] } | null;
}

/** GET /api/tab/demo/users (demo mode only; 404 otherwise, no token). */
export interface DemoUsers {
  users: { email: string; name: string; role: Role; team: string | null }[];
}

/** POST /api/tab/demo/sign-in `{ email }` (demo mode only) -> a token for that demo user. */
export interface DemoSignIn {
  token: string;
  expiresAt: string;
}

/** GET /api/tab/me */
export interface Me {
  email: string;
  name: string;
  role: Role;
  team: string | null;
  /** Today in the council's time zone. */
  today: IsoDate;
  /** Managers see the Caseload view; everyone with children sees Annual report for their scope. */
  isManager: boolean;
  /** The sign-in was the demo's (no Entra configured). */
  demo: boolean;
}

export type ReviewState = 'overdue' | 'due' | 'scheduled' | 'due_unknown';

/** One child's next review, as the bot lists it. */
export interface ReviewRow {
  childId: string;
  /** "A.B. · Q40211", or the CHILD id when the case system gave no name. */
  label: string;
  initials: string | null;
  dueDate: IsoDate | null;
  kind: ReviewKind | null;
  /** Days from today to the due date; negative when overdue. */
  daysLeft: number | null;
  midwayDate: IsoDate | null;
  shortBreak: boolean;
  iroEmail: string | null;
  iroName: string | null;
  /** The booked review meeting (ISO instant), if any. */
  scheduledStart: string | null;
  /** Not booked and due within 20 working days. */
  needsScheduling: boolean;
  /** Not booked and due within a fortnight, or overdue: the chat's lists show it in red. */
  urgentScheduling: boolean;
  /** The last working day before a due date that is not a working day. */
  holdBy: IsoDate | null;
  /** The reader chairs this child's reviews: may book or move it. */
  canSchedule: boolean;
  state: ReviewState;
}

/**
 * GET /api/tab/reviews?from=&to= : the reader's children whose next review falls due in the
 * range (and those whose due date cannot be known), plus every overdue one whatever the range.
 */
export interface ReviewsResponse {
  from: IsoDate;
  to: IsoDate;
  today: IsoDate;
  /** Show the IRO column (managers and social workers). */
  showIro: boolean;
  due: ReviewRow[];
  overdue: ReviewRow[];
}

export interface AttendanceLine {
  /** child, mother, father, other_family, carer, social_worker, advocate, health, education, other, invitee */
  participant: string;
  attendance: 'in_person' | 'online' | 'report' | 'apologies' | 'did_not_attend';
}

export interface ChildReview {
  /** Statutory due date; null when it cannot be known. */
  dueDate: IsoDate | null;
  kind: ReviewKind | null;
  heldOn: IsoDate | null;
  /** Days after the due date it was held (0 when on time); null when unknown or not held. */
  daysLate: number | null;
  onTime: boolean | null;
  participation: ParticipationCode | null;
  attendance: AttendanceLine[];
  /** Booked, not yet held. */
  scheduledStart: string | null;
  status: 'held' | 'scheduled' | 'due';
}

export interface ChildDecision {
  id: number;
  description: string;
  ownerName: string | null;
  /** Someone was named who is not on the staff list (their address is not sent to the tab). */
  ownerOutsideStaff: boolean;
  dueOn: IsoDate | null;
  doneOn: IsoDate | null;
  /** The social worker's answer at the midway check, if one was given (see ChildPage.midwayCheck). */
  midway: { status: 'done' | 'on_track' | 'delayed' | 'not_started'; note: string | null } | null;
}

export interface ChildAlert {
  id: number;
  stage: 'informal' | 'formal' | 'head_of_service' | 'director' | 'cafcass';
  raisedOn: IsoDate;
  stageDueOn: IsoDate | null;
  outcome: 'resolved' | 'cafcass' | 'withdrawn' | null;
  closedOn: IsoDate | null;
  /** Open, and the manager at its stage has responded (the day, in the council's zone): it waits for the IRO. */
  respondedOn: IsoDate | null;
}

/** GET /api/tab/children/:childId (404 alike for unknown and not allowed). */
export interface ChildPage {
  childId: string;
  label: string;
  initials: string | null;
  period: { start: IsoDate; startKnown: boolean; end: IsoDate | null; shortBreak: boolean } | null;
  iroName: string | null;
  socialWorkerName: string | null;
  next: {
    dueDate: IsoDate | null;
    kind: ReviewKind | null;
    midwayDate: IsoDate | null;
    /** The last working day before a due date that is not a working day (as ReviewRow). */
    holdBy: IsoDate | null;
    /** Not booked and due within 20 working days (as ReviewRow). */
    needsScheduling: boolean;
    /** Not booked and due within a fortnight, or overdue: the chat's lists show it in red. */
    urgentScheduling: boolean;
  };
  /** The reader chairs this child's reviews now (an open period): offer to book or move one. */
  canSchedule: boolean;
  reviews: ChildReview[];
  decisions: ChildDecision[];
  /**
   * The midway check of the last review held (whose decisions are listed), null when none was
   * opened: `askedOn` the day its card reached the social worker (null while it has not),
   * `answeredOn` the day they answered. A decision without a midway answer was not answered
   * because nobody was asked, the answer is awaited, or it was not in the check.
   */
  midwayCheck: { midwayOn: IsoDate; askedOn: IsoDate | null; answeredOn: IsoDate | null } | null;
  alerts: ChildAlert[];
}

export interface CaseloadIro {
  email: string;
  name: string;
  children: number;
  shortBreaks: number;
  fte: number;
  perFte: number | null;
  band: 'below' | 'within' | 'above' | null;
  dueThisMonth: number;
  overdue: number;
  /** Reviews held in the period by this IRO's children: on time as %. */
  timelinessPercent: number | null;
  reviewsHeld: number;
}

export interface MonthFigure {
  month: string;
  reviewsHeld: number;
  reviewsAssessed: number;
  reviewsOnTime: number;
  timelinessPercent: number | null;
}

/** GET /api/tab/caseload?from=&to= (managers only; 403 for others). */
export interface CaseloadResponse {
  scopeLabel: string;
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  guidance: { min: number; max: number };
  iros: CaseloadIro[];
  children: number;
  shortBreaks: number;
  dueThisMonth: number;
  overdue: number;
  dueUnknown: number;
  reviewsHeld: number;
  timelinessPercent: number | null;
  /** Reviews of children not with one of these IROs now (left care, or another team's IRO). */
  otherReviews: { reviewsHeld: number; timelinessPercent: number | null };
  participation: Record<ParticipationCode, number>;
  /** Reviews held in the period where each attended (in person or online). */
  attendance: { mother: number; father: number; otherFamily: number; reviews: number };
  alertsOpenByStage: Record<'informal' | 'formal' | 'head_of_service', number>;
  byMonth: MonthFigure[];
}

/** One line of the annual report: this period beside the same period a year earlier. */
export interface ReportRow {
  label: string;
  current: number | null;
  previous: number | null;
  /** How to show the numbers: a count, a percentage (one decimal), or children per FTE. */
  /** `fte`: full-time equivalents, as Staff.csv gives them (5.4, 0.75). */
  unit: 'count' | 'percent' | 'perFte' | 'fte';
}

/**
 * A row's measure as the page and the CSV name it: a percentage row says so, so that it does not
 * read the same as the count beside it.
 */
export function reportRowLabel(row: Pick<ReportRow, 'label' | 'unit'>): string {
  return row.unit === 'percent' ? `${row.label} (%)` : row.label;
}

export interface ReportSection {
  title: string;
  rows: ReportRow[];
  /** What the figures count, in a sentence (for the printable page). */
  note?: string;
}

/**
 * GET /api/tab/annual-report?from=&to= : the IRO annual report for the period beside the same
 * period a year earlier, for the reader's scope, as sections of rows. The numbers are those of
 * `npx iro-assistant stats` for the same range; the CSV and the printable page show the same rows.
 * GET /api/tab/annual-report.csv?from=&to= : the same rows as CSV (cells neutralised for Excel).
 */
export interface AnnualReportResponse {
  scopeLabel: string;
  from: IsoDate;
  to: IsoDate;
  previousFrom: IsoDate;
  previousTo: IsoDate;
  sections: ReportSection[];
}

/**
 * GET /api/tab/children/:childId/schedule?mode=schedule|reschedule|cancel, and
 * POST /api/tab/cards/scheduling `{ verb, data }` (an Action.Execute of that card, its data merged
 * with the card's inputs): the chat's own scheduling card, which the tab's dialog renders with
 * the adaptivecards library. The same use cases book, move or cancel the review.
 */
export interface CardResponse {
  card: Record<string, unknown>;
}
