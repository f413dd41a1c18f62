import type { LocalDate } from '../../domain/local-date.js';

/**
 * A practice alert (the IRO's dispute resolution, DOMAIN.md): raised on a child's plan, answered
 * first by the social worker's team manager (informal), then a senior manager (formal), then the
 * head of service, each within its working days; the IRO moves it on or resolves it.
 */
export const ALERT_STAGES = ['informal', 'formal', 'head_of_service'] as const;
export type AlertStage = (typeof ALERT_STAGES)[number];

export const ALERT_STAGE_TEXT: Record<AlertStage, string> = {
  informal: 'Informal: team manager',
  formal: 'Formal: senior manager',
  head_of_service: 'Head of service',
};

/** Working days each stage has to be resolved (DOMAIN.md: 5, then 10 more; 20 in all). */
export const STAGE_WORKING_DAYS: Record<AlertStage, number> = {
  informal: 5,
  formal: 10,
  head_of_service: 5,
};

export const ALERT_OUTCOMES = ['resolved', 'cafcass', 'withdrawn'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];
export const ALERT_OUTCOME_TEXT: Record<AlertOutcome, string> = {
  resolved: 'Resolved: the plan is back on track',
  cafcass: 'Referred to Cafcass',
  withdrawn: 'Withdrawn by the IRO',
};

/** `responseChanged`: the manager sent their response at this stage again, with other text. */
export type AlertAction = 'raised' | 'responded' | 'responseChanged' | 'movedOn' | 'resolved';

export interface AlertStep {
  /** The step's own id: a job about one step names it. */
  id: number;
  at: Date;
  actorEmail: string;
  actorName: string;
  action: AlertAction;
  stage: AlertStage;
  note: string | null;
  /** raised, movedOn: who was asked to respond at the stage the step starts (null: nobody). */
  responderEmail?: string | null;
}

export interface PracticeAlert {
  alertId: number;
  childId: string;
  /** Initials and case id ("A.B. · Q40211"), or the case id alone. */
  childLabel: string;
  iroEmail: string;
  iroName: string;
  /** What the IRO is concerned about. */
  issue: string;
  /** What the IRO asks to be done. */
  actionWanted: string | null;
  /** The review decision concerned, if one. */
  decision: { decisionId: number; description: string } | null;
  stage: AlertStage;
  stageStartedOn: LocalDate;
  /** When the current stage should be resolved by. */
  stageDueOn: LocalDate;
  /** The child's social worker now (their managers answer the alert), by name. */
  swName?: string | null;
  /** Who must answer at this stage (null when nobody above is in the staff list). */
  responderEmail: string | null;
  responderName: string | null;
  raisedOn: LocalDate;
  status: 'open' | 'resolved';
  outcome: AlertOutcome | null;
  resolvedOn: LocalDate | null;
  /** Everything that happened, oldest first. */
  steps: AlertStep[];
}

/** The stage after this one, or null at the last. */
export function nextStage(stage: AlertStage): AlertStage | null {
  const i = ALERT_STAGES.indexOf(stage);
  return ALERT_STAGES[i + 1] ?? null;
}

/** The stage before this one, or null at the first. */
export function previousStage(stage: AlertStage): AlertStage | null {
  const i = ALERT_STAGES.indexOf(stage);
  return i > 0 ? (ALERT_STAGES[i - 1] ?? null) : null;
}

/** A change to an alert, with the step that records it. */
export type AlertChange =
  | { kind: 'respond' }
  | {
      kind: 'moveOn';
      stage: AlertStage;
      startedOn: LocalDate;
      dueOn: LocalDate;
      responderEmail: string | null;
    }
  | { kind: 'resolve'; outcome: AlertOutcome; resolvedOn: LocalDate };

export interface NewAlert {
  childId: string;
  iroEmail: string;
  issue: string;
  actionWanted: string | null;
  decisionId: number | null;
  midwayCheckId: number | null;
  startedOn: LocalDate;
  dueOn: LocalDate;
  responderEmail: string | null;
}

/** The manager's response at a stage as it stands: the latest they sent, changed or not. */
export function responseAt(alert: PracticeAlert, stage: AlertStage): AlertStep | undefined {
  return alert.steps.findLast(
    (s) => s.stage === stage && (s.action === 'responded' || s.action === 'responseChanged'),
  );
}

/**
 * The managers who were asked to respond at this stage and the ones before it, each once with
 * the first stage they had; `except` (the manager of the next stage) is left out.
 */
export function respondersUpTo(
  alert: PracticeAlert,
  stage: AlertStage,
  except: string | null = null,
): { stage: AlertStage; email: string }[] {
  const last = ALERT_STAGES.indexOf(stage);
  const seen = new Set<string>(except ? [except] : []);
  const out: { stage: AlertStage; email: string }[] = [];
  for (const step of alert.steps) {
    const email = step.responderEmail;
    if ((step.action !== 'raised' && step.action !== 'movedOn') || !email) continue;
    if (ALERT_STAGES.indexOf(step.stage) > last || seen.has(email)) continue;
    seen.add(email);
    out.push({ stage: step.stage, email });
  }
  return out;
}

/** Who was asked to respond at a stage, from the step that started it. */
export function responderOfStage(alert: PracticeAlert, stage: AlertStage): string | null {
  const start = alert.steps.find(
    (s) => s.stage === stage && (s.action === 'raised' || s.action === 'movedOn'),
  );
  return start?.responderEmail ?? null;
}

/** Work queued with a change, named once the alert's id and the new step's id are known. */
export type AlertJobs = (
  alertId: number,
  stepId: number,
) => { kind: string; key: string; runAfter: Date }[];

export interface AlertStore {
  find(alertId: number): Promise<PracticeAlert | undefined>;
  /** The decisions recorded at the child's last review held, oldest first. */
  lastReviewDecisions(childId: string): Promise<{ decisionId: number; description: string }[]>;
  /** The child's open alert, else its latest. */
  latestForChild(childId: string): Promise<PracticeAlert | undefined>;
  /** Open alerts raised by this IRO, or about these children, or waiting on this responder. */
  listOpen(filter: {
    iroEmail?: string;
    childIds?: readonly string[];
    responderEmail?: string;
  }): Promise<PracticeAlert[]>;
  /** Stores a new alert at the informal stage with its "raised" step, audited; returns its id. */
  raise(
    alert: NewAlert,
    context: { actor: string; at: Date; today: LocalDate; correlationId?: string },
    jobs: AlertJobs,
  ): Promise<number>;
  /**
   * Records a step, and the change it makes, when the alert is still open at `expectedStage`
   * (a card pressed twice, or after someone else moved the alert on, changes nothing: `stale`).
   * A response is one per manager and stage: the same text sent again stores nothing
   * (`unchanged`); other text is stored as a `responseChanged` step, the first kept beside it.
   */
  addStep(
    alertId: number,
    expectedStage: AlertStage,
    change: AlertChange,
    step: { actorEmail: string; note: string | null },
    context: { at: Date; today: LocalDate; correlationId?: string },
    jobs: AlertJobs,
  ): Promise<'done' | 'stale' | 'unchanged'>;
}

/** The kinds of job an alert runs on; keys name the alert and the stage or step. */
export const ALERT_JOBS = {
  toResponder: 'alert.toResponder',
  toIro: 'alert.toIro',
  overdue: 'alert.overdue',
  unreachable: 'alert.unreachable',
  /** A manager who had the alert at a stage it has left is told it moved on or was closed. */
  toFormerResponder: 'alert.toFormerResponder',
  /** The manager whose turn it is, when their stage runs out with no response from them. */
  responderOverdue: 'alert.responderOverdue',
} as const;

export function alertIdOfJob(key: string): number | undefined {
  const match = /^alert\.[a-zA-Z]+:(\d{1,9}):/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** The step a job is about (`alert.toIro:12:s345`); undefined for a key that names none. */
export function stepIdOfJob(key: string): number | undefined {
  const match = /^alert\.[a-zA-Z]+:\d{1,9}:s(\d{1,9})(?::|$)/.exec(key);
  return match ? Number(match[1]) : undefined;
}
