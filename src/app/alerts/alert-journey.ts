import type { LocalDate } from '../../domain/local-date.js';
import type { WorkingTime } from '../../domain/working-time.js';
import { zonedTimeToInstant } from '../../domain/zoned-time.js';
import { isManager, readVisibleChildIds, staffByObjectId } from '../access/viewer-scope.js';
import { allocatedNow, childLabelOf, childNamed } from '../case-view.js';
import { STAFF_LEVELS, type StaffLevel } from '../import/extract.js';
import type { CaseReader, StaffMember } from '../ports.js';
import {
  ALERT_JOBS,
  ALERT_OUTCOMES,
  nextStage,
  respondersUpTo,
  STAGE_WORKING_DAYS,
  type AlertJobs,
  type AlertOutcome,
  type AlertStage,
  type AlertStore,
  type PracticeAlert,
} from './practice-alert.js';

export const MAX_ISSUE = 2000;
/** The form's "None in particular" choice (a choice cannot have an empty value). */
export const NO_DECISION = 'none';
export const MAX_ACTION_WANTED = 1000;
export const MAX_RESPONSE = 2000;
export const MAX_ALERT_NOTE = 1000;

export interface AlertDeps {
  cases: CaseReader;
  alerts: AlertStore;
  workingTime: WorkingTime;
  clock: { now(): Date; today(): LocalDate };
}

type Form = Record<string, string>;

/** Lowest first: how far up the council each level of Staff.csv sits. */
const LEVEL_RANK = new Map<StaffLevel, number>(STAFF_LEVELS.map((level, rank) => [level, rank]));

/** Marked at `level` or higher; someone the staff list gives no level is not. */
function atLeast(person: StaffMember, level: StaffLevel): boolean {
  return (
    person.level !== null && (LEVEL_RANK.get(person.level) ?? -1) >= (LEVEL_RANK.get(level) ?? 0)
  );
}

/** Marked lower than `level`; someone the staff list gives no level is not. */
function markedBelow(person: StaffMember, level: StaffLevel): boolean {
  return person.level !== null && !atLeast(person, level);
}

/** The social worker's managers, nearest first, up MANAGER_EMAIL (a loop in the list ends it). */
function managerChain(swEmail: string | null, staff: readonly StaffMember[]): StaffMember[] {
  const byEmail = new Map(staff.map((s) => [s.email, s]));
  const chain: StaffMember[] = [];
  const seen = new Set<string>();
  let current = swEmail ? byEmail.get(swEmail) : undefined;
  if (current) seen.add(current.email);
  for (;;) {
    const next = current?.managerEmail ? byEmail.get(current.managerEmail) : undefined;
    if (!next || seen.has(next.email)) return chain;
    seen.add(next.email);
    chain.push(next);
    current = next;
  }
}

/**
 * Who answers an alert at each stage, up the social worker's manager chain (MANAGER_EMAIL), with
 * the levels Staff.csv gives (LEVEL):
 * - informal: the social worker's own manager (their team manager);
 * - formal: from the 2nd step up, the first not marked lower than service manager. One marked
 *   team manager is passed over; one with no level is not, so a council that marks only its heads
 *   of service still has the formal stage with the manager at the 2nd step;
 * - head of service: from the formal stage's manager up, the first marked head of service, else
 *   the first marked higher (assistant director, director); when nobody is marked that high, the
 *   next one up from the formal stage who is not marked lower (the 3rd step). Never someone
 *   marked lower than head of service: a second service manager above the first is passed over.
 * Without levels this is the 1st, 2nd and 3rd step up, as before Staff.csv had LEVEL. A team
 * manager who reports straight to a head of service sends both the formal and the head of
 * service stage to that head of service: nobody at service manager level is between them, and a
 * stage never goes down the chain or to someone marked below it.
 */
export function stageResponders(
  swEmail: string | null,
  staff: readonly StaffMember[],
): Record<AlertStage, string | null> {
  const chain = managerChain(swEmail, staff);
  const first = (from: number, test: (m: StaffMember) => boolean) =>
    chain.findIndex((m, at) => at >= from && test(m));
  const formal = first(1, (m) => !markedBelow(m, 'service_manager'));
  let head = -1;
  if (formal >= 0) {
    head = first(formal, (m) => m.level === 'head_of_service');
    if (head < 0) head = first(formal, (m) => atLeast(m, 'head_of_service'));
    if (head < 0) head = first(formal + 1, (m) => !markedBelow(m, 'head_of_service'));
  }
  const at = (i: number) => (i >= 0 ? (chain[i]?.email ?? null) : null);
  return { informal: at(0), formal: at(formal), head_of_service: at(head) };
}

/** Who answers an alert at one stage: see `stageResponders`. */
export function responderFor(
  stage: AlertStage,
  swEmail: string | null,
  staff: readonly StaffMember[],
): string | null {
  return stageResponders(swEmail, staff)[stage];
}

/** When a stage's time has run out: the start of the working day after its due date. */
function stageRunsOut(dueOn: LocalDate, deps: AlertDeps): Date {
  const { calendar, hours, timeZone } = deps.workingTime;
  return zonedTimeToInstant(calendar.addWorkingDays(dueOn, 1), hours.start, timeZone);
}

function stageJobs(stage: AlertStage, dueOn: LocalDate, deps: AlertDeps, now: Date): AlertJobs {
  return (id) => [
    {
      kind: ALERT_JOBS.toResponder,
      key: `${ALERT_JOBS.toResponder}:${id}:${stage}`,
      runAfter: now,
    },
    {
      kind: ALERT_JOBS.overdue,
      key: `${ALERT_JOBS.overdue}:${id}:${stage}`,
      runAfter: stageRunsOut(dueOn, deps),
    },
    {
      kind: ALERT_JOBS.responderOverdue,
      key: `${ALERT_JOBS.responderOverdue}:${id}:${stage}`,
      runAfter: stageRunsOut(dueOn, deps),
    },
  ];
}

/**
 * A notice to each manager who had the alert up to its present stage, about the step that moves
 * it on or closes it; `next` (who has it now) is not told twice.
 */
function formerResponderJobs(alert: PracticeAlert, next: string | null, now: Date): AlertJobs {
  return (id, stepId) =>
    respondersUpTo(alert, alert.stage, next).map(({ stage }) => ({
      kind: ALERT_JOBS.toFormerResponder,
      key: `${ALERT_JOBS.toFormerResponder}:${id}:s${stepId}:${stage}`,
      runAfter: now,
    }));
}

export type AlertFormOutcome =
  | {
      kind: 'form';
      childId: string;
      childLabel: string;
      decisions: { decisionId: number; description: string }[];
      checkId?: number;
      /** Who the alert goes to first, and whose manager they are. */
      responderName?: string | null;
      responderRole?: StaffMember['role'] | null;
      swName?: string | null;
      /**
       * Who the staff list names for the later stages (null: nobody above); `sameManager` when
       * one manager has both (a team manager who reports straight to a head of service).
       */
      laterResponders?: { formal: string | null; headOfService: string | null; sameManager?: true };
    }
  | { kind: 'notAllowed' };

/** The IRO allocated to a child now, and the child, if the asker is that IRO. */
async function asIroOf(deps: AlertDeps, askerAad: string | undefined, childText: string) {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAad);
  const child = await childNamed(deps.cases, childText);
  if (!asker || !child || allocatedNow(child, 'iro') !== asker.email) return undefined;
  return { asker, staff, child, childLabel: childLabelOf(child) };
}

/** The form to raise an alert, for the child's own IRO only. */
export async function alertForm(
  deps: AlertDeps,
  askerAad: string | undefined,
  childText: string,
  checkId?: number,
): Promise<AlertFormOutcome> {
  const found = await asIroOf(deps, askerAad, childText);
  if (!found) return { kind: 'notAllowed' };
  const sw = allocatedNow(found.child, 'social_worker');
  const responders = stageResponders(sw, found.staff);
  const responder = responders.informal;
  const nameOf = (email: string | null) =>
    email ? (found.staff.find((s) => s.email === email)?.name ?? email) : null;
  return {
    kind: 'form',
    childId: found.child.childId,
    childLabel: found.childLabel,
    decisions: await deps.alerts.lastReviewDecisions(found.child.childId),
    ...(checkId !== undefined ? { checkId } : {}),
    responderName: nameOf(responder),
    responderRole: found.staff.find((s) => s.email === responder)?.role ?? null,
    swName: nameOf(sw),
    laterResponders: {
      formal: nameOf(responders.formal),
      headOfService: nameOf(responders.head_of_service),
      ...(responders.formal !== null && responders.formal === responders.head_of_service
        ? { sameManager: true }
        : {}),
    },
  };
}

export type RaiseOutcome =
  | { kind: 'raised'; alert: PracticeAlert }
  | {
      kind: 'invalid';
      form: Extract<AlertFormOutcome, { kind: 'form' }>;
      values: Form;
      errors: Record<string, string>;
    }
  | { kind: 'alreadyOpen'; alert: PracticeAlert }
  | { kind: 'notAllowed' };

/** The IRO raises an alert: informal stage, the social worker's team manager to respond. */
export async function raiseAlert(
  deps: AlertDeps,
  input: {
    askerAad: string | undefined;
    child: string;
    checkId?: number;
    form: Form;
    correlationId?: string;
  },
): Promise<RaiseOutcome> {
  const found = await asIroOf(deps, input.askerAad, input.child);
  if (!found) return { kind: 'notAllowed' };
  const { child, asker, staff } = found;
  const open = await deps.alerts.latestForChild(child.childId);
  if (open?.status === 'open') return { kind: 'alreadyOpen', alert: open };
  const decisions = await deps.alerts.lastReviewDecisions(child.childId);
  const issue = (input.form['issue'] ?? '').trim();
  const actionWanted = (input.form['actionWanted'] ?? '').trim();
  const decisionText = (input.form['decisionId'] ?? '').trim();
  const errors: Record<string, string> = {};
  if (!issue) errors['issue'] = 'Say what the concern is.';
  else if (issue.length > MAX_ISSUE) errors['issue'] = `Keep this to ${MAX_ISSUE} characters.`;
  if (actionWanted.length > MAX_ACTION_WANTED)
    errors['actionWanted'] = `Keep this to ${MAX_ACTION_WANTED} characters.`;
  const decision = decisions.find((d) => String(d.decisionId) === decisionText);
  if (decisionText && decisionText !== NO_DECISION && !decision)
    errors['decisionId'] = 'Choose one of the last review decisions, or none.';
  if (Object.keys(errors).length > 0) {
    errors['form'] = 'Nothing was sent yet. Please fix what is marked and send again.';
    return {
      kind: 'invalid',
      form: {
        kind: 'form',
        childId: child.childId,
        childLabel: found.childLabel,
        decisions,
        ...(input.checkId !== undefined ? { checkId: input.checkId } : {}),
      },
      values: { issue, actionWanted, decisionId: decisionText },
      errors,
    };
  }
  const now = deps.clock.now();
  const today = deps.clock.today();
  const dueOn = deps.workingTime.calendar.addWorkingDays(today, STAGE_WORKING_DAYS.informal);
  const alertId = await deps.alerts.raise(
    {
      childId: child.childId,
      iroEmail: asker.email,
      issue,
      actionWanted: actionWanted || null,
      decisionId: decision?.decisionId ?? null,
      midwayCheckId: input.checkId ?? null,
      startedOn: today,
      dueOn,
      responderEmail: responderFor('informal', allocatedNow(child, 'social_worker'), staff),
    },
    { actor: asker.email, at: now, today, correlationId: input.correlationId },
    stageJobs('informal', dueOn, deps, now),
  );
  const alert = await deps.alerts.find(alertId);
  if (!alert) throw new Error(`alert ${alertId} vanished`);
  return { kind: 'raised', alert };
}

export type StepOutcome =
  | { kind: 'done'; alert: PracticeAlert }
  /** The manager sent the response they had already sent at this stage: nothing stored. */
  | { kind: 'unchanged'; alert: PracticeAlert }
  | { kind: 'stale'; alert: PracticeAlert }
  | { kind: 'invalid'; alert: PracticeAlert; values: Form; errors: Record<string, string> }
  | { kind: 'notAllowed' };

/**
 * The manager at the current stage responds; the IRO is told. One response per manager and
 * stage: sent again with the same text (a double press, a second device) nothing happens; with
 * other text it is a change of the response, kept beside the first, and the IRO is told of it.
 */
export async function respondToAlert(
  deps: AlertDeps,
  input: {
    askerAad: string | undefined;
    alertId: number;
    stage: AlertStage;
    form: Form;
    correlationId?: string;
  },
): Promise<StepOutcome> {
  const [staff, alert] = await Promise.all([
    deps.cases.listStaff(),
    deps.alerts.find(input.alertId),
  ]);
  const asker = staffByObjectId(staff, input.askerAad);
  if (!asker || !alert) return { kind: 'notAllowed' };
  const involved =
    alert.responderEmail === asker.email || alert.steps.some((s) => s.actorEmail === asker.email);
  if (!involved) return { kind: 'notAllowed' };
  // A card from an earlier stage: its responder sees where the alert stands now.
  if (alert.status !== 'open' || alert.stage !== input.stage) return { kind: 'stale', alert };
  if (alert.responderEmail !== asker.email) return { kind: 'notAllowed' };
  // One device sends CRLF where another sends LF: the same text either way.
  const response = (input.form['response'] ?? '').replace(/\r\n?/g, '\n').trim();
  const errors: Record<string, string> = {};
  if (!response) errors['response'] = 'Say what will be done, by whom and when.';
  else if (response.length > MAX_RESPONSE)
    errors['response'] = `Keep this to ${MAX_RESPONSE} characters.`;
  if (Object.keys(errors).length > 0)
    return { kind: 'invalid', alert, values: { response }, errors };
  const now = deps.clock.now();
  const result = await deps.alerts.addStep(
    alert.alertId,
    input.stage,
    { kind: 'respond' },
    { actorEmail: asker.email, note: response },
    { at: now, today: deps.clock.today(), correlationId: input.correlationId },
    // Keyed by the response's step, so each notice quotes the response it is about.
    (id, stepId) => [
      { kind: ALERT_JOBS.toIro, key: `${ALERT_JOBS.toIro}:${id}:s${stepId}`, runAfter: now },
    ],
  );
  const after = (await deps.alerts.find(alert.alertId)) ?? alert;
  return { kind: result, alert: after };
}

/**
 * The IRO moves the alert to the next stage, or resolves it; the managers who had it are told.
 */
export async function actOnAlert(
  deps: AlertDeps,
  input: {
    askerAad: string | undefined;
    alertId: number;
    stage: AlertStage;
    action: 'escalate' | 'resolve';
    form: Form;
    correlationId?: string;
  },
): Promise<StepOutcome> {
  const [staff, alert] = await Promise.all([
    deps.cases.listStaff(),
    deps.alerts.find(input.alertId),
  ]);
  const asker = staffByObjectId(staff, input.askerAad);
  if (!asker || !alert || alert.iroEmail !== asker.email) return { kind: 'notAllowed' };
  if (alert.status !== 'open' || alert.stage !== input.stage) return { kind: 'stale', alert };
  const note = (input.form['note'] ?? '').trim();
  const outcomeText = (input.form['outcome'] ?? '').trim();
  const errors: Record<string, string> = {};
  if (note.length > MAX_ALERT_NOTE)
    errors['note'] = `Keep the note to ${MAX_ALERT_NOTE} characters.`;
  const next = nextStage(alert.stage);
  if (input.action === 'escalate' && !next)
    errors['form'] = 'This is the last stage: resolve the alert, or refer the child to Cafcass.';
  if (input.action === 'resolve' && !(ALERT_OUTCOMES as readonly string[]).includes(outcomeText))
    errors['outcome'] = 'Choose how the alert ended.';
  if (Object.keys(errors).length > 0)
    return { kind: 'invalid', alert, values: { note, outcome: outcomeText }, errors };
  const now = deps.clock.now();
  const today = deps.clock.today();
  const context = { at: now, today, correlationId: input.correlationId };
  let result: Awaited<ReturnType<AlertStore['addStep']>>;
  if (input.action === 'escalate' && next) {
    const children = await deps.cases.listCases({ childIds: [alert.childId] });
    const sw = children[0] ? allocatedNow(children[0], 'social_worker') : null;
    const dueOn = deps.workingTime.calendar.addWorkingDays(today, STAGE_WORKING_DAYS[next]);
    const responderEmail = responderFor(next, sw, staff);
    const startNext = stageJobs(next, dueOn, deps, now);
    const tellFormer = formerResponderJobs(alert, responderEmail, now);
    result = await deps.alerts.addStep(
      alert.alertId,
      alert.stage,
      { kind: 'moveOn', stage: next, startedOn: today, dueOn, responderEmail },
      { actorEmail: asker.email, note: note || null },
      context,
      (id, stepId) => [...startNext(id, stepId), ...tellFormer(id, stepId)],
    );
  } else {
    result = await deps.alerts.addStep(
      alert.alertId,
      alert.stage,
      { kind: 'resolve', outcome: outcomeText as AlertOutcome, resolvedOn: today },
      { actorEmail: asker.email, note: note || null },
      context,
      formerResponderJobs(alert, null, now),
    );
  }
  const after = (await deps.alerts.find(alert.alertId)) ?? alert;
  return { kind: result, alert: after };
}

/**
 * A child's alert for someone who may see it: the child's IRO, the alert's IRO, the managers
 * asked to respond at any of its stages, and managers over the child's workers. Anyone else is
 * answered as if there were no such child.
 */
export async function alertForChild(
  deps: AlertDeps,
  askerAad: string | undefined,
  childText: string,
): Promise<
  | { kind: 'alert'; alert: PracticeAlert; isIro: boolean }
  | { kind: 'none'; childId: string }
  /** The child's social worker: alerts are between the IRO and managers. */
  | { kind: 'notForRole'; childId: string }
  | { kind: 'unknownChild' }
> {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAad);
  const childId = await deps.cases.findChildId(childText);
  if (!asker || !childId) return { kind: 'unknownChild' };
  const alert = await deps.alerts.latestForChild(childId);
  const mine = (await readVisibleChildIds(deps.cases, asker, staff)).has(childId);
  if (asker.role === 'social_worker' && mine) return { kind: 'notForRole', childId };
  const visible = asker.role !== 'social_worker' && mine;
  // The managers asked at any stage, while it is open: the notice that it moved on points them
  // here. Once it is closed, only those over the child's social worker may read it.
  const involved =
    alert !== undefined &&
    (alert.iroEmail === asker.email ||
      alert.responderEmail === asker.email ||
      (alert.status === 'open' && alert.steps.some((s) => s.responderEmail === asker.email)));
  if (!visible && !involved) return { kind: 'unknownChild' };
  if (!alert) return { kind: 'none', childId };
  return { kind: 'alert', alert, isIro: alert.iroEmail === asker.email };
}

/**
 * Open alerts: an IRO's own, a manager's to answer and those over their staff's children; with
 * the asker's e-mail, for the list to say "you" on the alerts that wait for them.
 */
export async function openAlertsFor(
  deps: AlertDeps,
  askerAad: string | undefined,
): Promise<{ askerEmail: string; alerts: PracticeAlert[] } | undefined> {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAad);
  if (!asker) return undefined;
  const alerts = async () => {
    if (asker.role === 'iro') return deps.alerts.listOpen({ iroEmail: asker.email });
    if (!isManager(asker)) return [];
    const children = await readVisibleChildIds(deps.cases, asker, staff);
    return deps.alerts.listOpen({ responderEmail: asker.email, childIds: [...children] });
  };
  return { askerEmail: asker.email, alerts: await alerts() };
}
