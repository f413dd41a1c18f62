import { daysBetween, todayIn, type LocalDate } from '../domain/local-date.js';
import { currentPeriod } from '../domain/periods-of-care.js';
import { reviewChain } from '../domain/review-schedule.js';
import { holdByDay, type WorkingCalendar } from '../domain/working-days.js';
import type { ChildAlert, ChildDecision, ChildPage, ChildReview } from '../tab/api-types.js';
import { resolveAsker, type ResolvedAsker } from './access/viewer-scope.js';
import { ALERT_STAGES, type AlertOutcome, type AlertStage } from './alerts/practice-alert.js';
import { allocatedNow, childLabelOf, historyOf, initialsOf } from './case-view.js';
import type { DecisionStatus, MidwayCheckState } from './midway/midway-check.js';
import type { CaseReader, ChildCase } from './ports.js';
import { bookingHorizon, bookingIsUrgent } from './questions/answer-question.js';
import type { AttendanceValue } from './recording/review-record.js';

/** Who was at one review recorded in the app (a row of review_attendance). */
export interface ChildPageAttendanceRow {
  heldOn: LocalDate;
  /** A usual role (`child`, `mother`, ...) or `invitee`. */
  participant: string;
  attendance: AttendanceValue;
}

/** A decision of the child's last review held, with what was reported on it since. */
export interface ChildPageDecisionRow {
  id: number;
  /** Free text from the child's record: shown only to people who may see the child, never logged. */
  description: string;
  /** The owner's name from the staff list; null when nobody was named or they are not staff. */
  ownerName: string | null;
  /** An owner was named who is not on the staff list. */
  ownerOutsideStaff: boolean;
  dueOn: LocalDate | null;
  /** The first report that it was done, if any. */
  doneAt: Date | null;
  /** The social worker's answer at the answered midway check, if one. */
  midway: { status: DecisionStatus; note: string | null } | null;
}

/** A practice alert (escalation) of the child, without its text. */
export interface ChildPageAlertRow {
  id: number;
  /** The stored stage: the app raises only ALERT_STAGES; older rows may hold `director` or `cafcass`. */
  stage: string;
  raisedOn: LocalDate;
  stageDueOn: LocalDate | null;
  outcome: AlertOutcome | null;
  closedOn: LocalDate | null;
  /** When the manager at its current stage responded, or null. */
  respondedAt: Date | null;
}

/** What the child's page reads from the store beyond the case itself: one method per table group. */
export interface ChildPageReader {
  /** Attendance at the child's held reviews that were recorded in the app, by the day each was held. */
  attendance(childId: string): Promise<ChildPageAttendanceRow[]>;
  /** The decisions of the child's last review held (latest date), oldest first. */
  lastReviewDecisions(childId: string): Promise<ChildPageDecisionRow[]>;
  /** The midway check of the child's last review held, if one was opened. */
  lastReviewMidwayCheck(
    childId: string,
  ): Promise<Pick<MidwayCheckState, 'midwayOn' | 'promptedAt' | 'answeredAt'> | undefined>;
  /** The child's practice alerts, newest first. */
  alerts(childId: string): Promise<ChildPageAlertRow[]>;
}

export interface ChildPageDeps {
  cases: Pick<
    CaseReader,
    | 'listStaff'
    | 'listOpenAllocations'
    | 'findChildId'
    | 'listCases'
    | 'listReviewStatus'
    | 'listScheduledReviews'
  >;
  calendar: WorkingCalendar;
  clock: { today(): LocalDate };
  childPages: ChildPageReader;
  /** The council's time zone: the day a decision was reported done, or a midway check sent. */
  timeZone: string;
}

export type ChildPageResult =
  { kind: 'page'; page: ChildPage } | { kind: 'notFound' } | { kind: 'notRegistered' };

const NOT_FOUND = { kind: 'notFound' } as const;

/**
 * One child's page for the tab: the case, every review with its due date and timeliness (judged
 * as the annual report judges it), the last review's decisions, and the practice alerts. The same
 * rights as the bot: a child the asker may not see and a child nobody knows give the same answer,
 * so that nothing tells whether a CHILD id exists.
 */
export async function childPage(
  deps: ChildPageDeps,
  askerOrAadObjectId: ResolvedAsker | string | undefined,
  childIdText: string,
): Promise<ChildPageResult> {
  const resolved = await resolveAsker(deps.cases, askerOrAadObjectId);
  if (!resolved) return { kind: 'notRegistered' };
  const { person: asker, staff } = resolved;
  const childId = await deps.cases.findChildId(childIdText);
  if (!childId || !resolved.childIds.includes(childId)) return NOT_FOUND;
  const today = deps.clock.today();
  const [[child], [status], [booked], attendance, decisions, midwayCheck, alerts] =
    await Promise.all([
      deps.cases.listCases({ childIds: [childId] }),
      deps.cases.listReviewStatus({ today, childIds: [childId] }),
      deps.cases.listScheduledReviews([childId]),
      deps.childPages.attendance(childId),
      deps.childPages.lastReviewDecisions(childId),
      deps.childPages.lastReviewMidwayCheck(childId),
      deps.childPages.alerts(childId),
    ]);
  if (!child) return NOT_FOUND;

  const nameOf = (email: string | null) =>
    email === null ? null : (staff.find((s) => s.email === email)?.name ?? null);
  const period = currentPeriod(child.periods, today) ?? child.periods.at(-1);
  const dueDate = status?.nextDueOn ?? null;
  const next: ChildPage['next'] = {
    dueDate,
    kind: status?.nextKind ?? null,
    midwayDate: status?.midwayOn ?? null,
    holdBy: dueDate === null ? null : holdByDay(deps.calendar, dueDate),
    // As the chat's lists and My reviews flag it: unbooked within 20 working days, red within 14.
    needsScheduling: !booked && dueDate !== null && dueDate <= bookingHorizon(deps.calendar, today),
    urgentScheduling: !booked && dueDate !== null && bookingIsUrgent(today, dueDate),
  };
  const upcoming: ChildReview[] = [];
  if (booked || status) {
    upcoming.push({
      dueDate: next.dueDate,
      kind: next.kind,
      heldOn: null,
      daysLate: null,
      onTime: null,
      participation: null,
      attendance: [],
      scheduledStart: booked ? booked.start.toISOString() : null,
      status: booked ? 'scheduled' : 'due',
    });
  }

  return {
    kind: 'page',
    page: {
      childId: child.childId,
      label: childLabelOf(child),
      initials: initialsOf(child),
      period: period
        ? {
            start: period.start,
            startKnown: period.startKnown,
            end: period.end,
            shortBreak: period.shortBreak,
          }
        : null,
      iroName: nameOf(allocatedNow(child, 'iro')),
      socialWorkerName: nameOf(allocatedNow(child, 'social_worker')),
      next,
      canSchedule:
        asker.role === 'iro' && status !== undefined && allocatedNow(child, 'iro') === asker.email,
      reviews: [...upcoming, ...heldReviews(deps.calendar, child, attendance)],
      decisions: decisions.map((d) => toDecision(d, deps.timeZone)),
      midwayCheck: midwayCheck
        ? {
            midwayOn: midwayCheck.midwayOn,
            askedOn: dayIn(deps.timeZone, midwayCheck.promptedAt),
            answeredOn: dayIn(deps.timeZone, midwayCheck.answeredAt),
          }
        : null,
      alerts: alerts.flatMap((a) => toAlert(a, deps.timeZone)),
    },
  };
}

/**
 * Every review held, newest first, with the due date it had and whether it was held by it, as
 * the annual report counts them: each period's chain of reviews (`reviewChain`), a review held
 * on or before its due date being on time. The council's last review before the extract
 * (`supplied`) is shown as held, but like the report it is not judged, and has no PN code.
 */
function heldReviews(
  calendar: WorkingCalendar,
  child: ChildCase,
  attendance: readonly ChildPageAttendanceRow[],
): ChildReview[] {
  const codes = new Map(child.reviews.map((r) => [r.heldOn, r.reviewCode]));
  const history = historyOf(child);
  const rows: ChildReview[] = [];
  const placed = new Set<LocalDate>();
  const held = (heldOn: LocalDate): ChildReview => ({
    dueDate: null,
    kind: null,
    heldOn,
    daysLate: null,
    onTime: null,
    participation: codes.get(heldOn) ?? null,
    attendance: attendance
      .filter((a) => a.heldOn === heldOn)
      .map(({ participant, attendance: value }) => ({ participant, attendance: value })),
    scheduledStart: null,
    status: 'held',
  });
  for (const period of child.periods) {
    for (const review of reviewChain(calendar, period, history).reviews) {
      placed.add(review.heldOn);
      const row = held(review.heldOn);
      if (review.due) {
        row.dueDate = review.due.dueDate;
        row.kind = review.due.kind;
      }
      if (review.due && !review.supplied) {
        row.daysLate = Math.max(0, daysBetween(review.due.dueDate, review.heldOn));
        row.onTime = review.heldOn <= review.due.dueDate;
      }
      rows.push(row);
    }
  }
  // A review outside every period (the 903 forbids it, rule 1012) is still shown, unjudged.
  for (const r of child.reviews) if (!placed.has(r.heldOn)) rows.push(held(r.heldOn));
  return rows.sort((a, b) => ((a.heldOn ?? '') < (b.heldOn ?? '') ? 1 : -1));
}

/** The council's day of an instant, or null. */
function dayIn(timeZone: string, at: Date | null): LocalDate | null {
  return at ? todayIn(timeZone, at) : null;
}

function toDecision(d: ChildPageDecisionRow, timeZone: string): ChildDecision {
  return {
    id: d.id,
    description: d.description,
    ownerName: d.ownerName,
    ownerOutsideStaff: d.ownerOutsideStaff,
    dueOn: d.dueOn,
    doneOn: dayIn(timeZone, d.doneAt),
    midway: d.midway,
  };
}

function isAlertStage(stage: string): stage is AlertStage {
  return (ALERT_STAGES as readonly string[]).includes(stage);
}

/** The page's stages are those the app raises; a stored older stage has no place on it yet. */
function toAlert(a: ChildPageAlertRow, timeZone: string): ChildAlert[] {
  if (!isAlertStage(a.stage)) return [];
  return [
    {
      id: a.id,
      stage: a.stage,
      raisedOn: a.raisedOn,
      stageDueOn: a.stageDueOn,
      outcome: a.outcome,
      closedOn: a.closedOn,
      respondedOn: a.outcome === null ? dayIn(timeZone, a.respondedAt) : null,
    },
  ];
}
