import { NO_DECISION } from '../app/alerts/alert-journey.js';
import {
  ALERT_OUTCOME_TEXT,
  ALERT_OUTCOMES,
  ALERT_STAGE_TEXT,
  nextStage,
  previousStage,
  responseAt,
  STAGE_WORKING_DAYS,
  type AlertStage,
  type AlertStep,
  type PracticeAlert,
} from '../app/alerts/practice-alert.js';
import type { StaffMember } from '../app/ports.js';
import type { LocalDate } from '../domain/local-date.js';
import { longDay, longDayAt } from './card-dates.js';
import { fillTemplate, type AdaptiveCardJson } from './card-templates.js';

/** How a line of a notice or status reads: the templates pick colour and weight from it. */
export type LineTone = 'plain' | 'heading' | 'attention' | 'subtle';
export interface CardLine {
  text: string;
  tone: LineTone;
}

const DEFAULT_TIME_ZONE = 'Europe/London';
/**
 * The value of "None in particular" in the form's decision choice (the adaptivecards library
 * rejects a choice with an empty value). The form starts on it.
 */
/** The "None in particular" choice: the use case's own value. */
export const ALERT_NO_DECISION = NO_DECISION;

/** Who the next stage goes to, as the button says it. */
const ESCALATE_TO: Record<AlertStage, string> = {
  informal: 'the team manager',
  formal: 'a senior manager (formal stage)',
  head_of_service: 'the head of service',
};
/** Rows a list card shows before it says how many more there are. */
export const ALERT_LIST_MAX = 20;

/**
 * The lines that head a form: the general error, any error for an input the card does not have
 * (shown rather than lost), and, without a general error, a plain word that something below is
 * marked.
 */
export function formErrorLines(
  errors: Record<string, string>,
  known: ReadonlySet<string>,
): { text: string }[] {
  const fieldErrors = Object.keys(errors).filter((key) => key !== 'form' && known.has(key));
  return [
    ...(errors['form'] ? [errors['form']] : []),
    ...Object.entries(errors)
      .filter(([key]) => key !== 'form' && !known.has(key))
      .map(([, text]) => text),
    // The caller's general error, when there is one, already says what to do.
    ...(fieldErrors.length > 0 && !errors['form']
      ? ['Please put right what is marked below; nothing has been sent yet.']
      : []),
  ].map((text) => ({ text }));
}

/** The error shown under an input, or '' (the template hides an empty one). */
function fieldError(errors: Record<string, string>, id: string, known: ReadonlySet<string>) {
  return known.has(id) ? (errors[id] ?? '') : '';
}

/** Who answers at each stage, as a sentence names them. */
const STAGE_RESPONDER: Record<AlertStage, string> = {
  informal: "the social worker's team manager",
  formal: 'a senior manager',
  head_of_service: 'the head of service',
};

/** Who the staff list should name a manager for, when nobody is found to answer at a stage. */
const NOBODY_ABOVE: Record<AlertStage, string> = {
  informal: 'the social worker',
  formal: 'the team manager',
  head_of_service: 'the senior manager',
};

/**
 * Where the manager chain of the staff list runs out, said truthfully: above whom nobody is listed
 * (by name when known: the manager who answered the stage before, or the social worker), and that
 * the data team can add the missing manager as that person's MANAGER_EMAIL if they should use the
 * app. The person named may well be the top of the council; the IRO then goes to them directly.
 */
function nobodyToAnswer(alert: PracticeAlert): string {
  const previous = previousStage(alert.stage);
  const answered = previous ? responseAt(alert, previous)?.actorName : alert.swName;
  const above = answered ?? NOBODY_ABOVE[alert.stage];
  return `Nobody above ${above} is in the staff list, so I could not send it to ${STAGE_RESPONDER[alert.stage]}. Please contact them directly. If they should hear from IRO Assistant, ask the data team to add them to Staff.csv as ${above}'s MANAGER_EMAIL.`;
}

/** Past its date (a stage due today is not overdue yet). */
function stageOverdue(alert: PracticeAlert, today: LocalDate): boolean {
  return alert.status === 'open' && alert.stageDueOn < today;
}

function respondByText(alert: PracticeAlert, overdue: boolean): string {
  const text = `Respond by ${longDay(alert.stageDueOn)}`;
  return overdue ? `${text} (overdue)` : text;
}

/** The concern, the decision concerned and the action wanted, each under its heading. */
function alertSections(alert: PracticeAlert): { heading: string; text: string }[] {
  return [
    { heading: 'The concern', text: alert.issue },
    ...(alert.decision
      ? [{ heading: 'Review decision concerned', text: alert.decision.description }]
      : []),
    ...(alert.actionWanted
      ? [{ heading: 'What should happen, and by when', text: alert.actionWanted }]
      : []),
  ];
}

function stepWhat(step: AlertStep): string {
  switch (step.action) {
    case 'raised':
      return 'raised it';
    case 'responded':
      return 'responded';
    case 'responseChanged':
      return 'changed their response';
    case 'movedOn':
      return `moved it to ${ALERT_STAGE_TEXT[step.stage]}`;
    case 'resolved':
      return 'resolved it';
  }
}

/** "Tue 5 January 2027: Alex Wilber raised it", and the note under it. */
function timeline(steps: AlertStep[], timeZone: string): { text: string; note: string }[] {
  return steps.map((step) => ({
    text: `${longDayAt(step.at, timeZone)}: ${step.actorName} ${stepWhat(step)}`,
    note: step.note ?? '',
  }));
}

function responderText(alert: PracticeAlert): string | null {
  return alert.responderName ?? alert.responderEmail;
}

/** The IRO's form to raise a practice alert on a child (from the midway card or "raise alert for"). */
export function renderAlertForm(input: {
  childId: string;
  childLabel: string;
  decisions: { decisionId: number; description: string }[];
  checkId?: number;
  responderName?: string | null;
  /** Named as what they are: a social worker may report straight to a service manager. */
  responderRole?: StaffMember['role'] | null;
  swName?: string | null;
  /**
   * Who the staff list names for the later stages (null: nobody above), when the chain was
   * looked up; without it the stages are named in general. `sameManager`: one manager has both.
   */
  laterResponders?: { formal: string | null; headOfService: string | null; sameManager?: true };
  values?: Record<string, string>;
  errors?: Record<string, string>;
}): AdaptiveCardJson {
  const values = input.values ?? {};
  const first = input.responderName
    ? `${input.responderName}${input.swName ? `, ${input.swName}'s ${input.responderRole === 'team_manager' ? 'team manager' : 'manager'}` : ''}`
    : STAGE_RESPONDER.informal;
  const later = input.laterResponders;
  const second = later?.formal ?? STAGE_RESPONDER.formal;
  const third = later?.headOfService ?? STAGE_RESPONDER.head_of_service;
  // Where the staff list's chain stops, said at the start, not at the stage it fails.
  const top =
    later && input.responderName
      ? later.formal === null
        ? input.responderName
        : later.headOfService === null
          ? later.formal
          : null
      : null;
  const chainEnd = top
    ? ` Nobody above ${top} is in the staff list: from there you would contact the next manager yourself.`
    : '';
  const errors = input.errors ?? {};
  const hasDecisions = input.decisions.length > 0;
  const known = new Set(['form', 'issue', 'actionWanted', ...(hasDecisions ? ['decisionId'] : [])]);
  const data = {
    child: input.childId,
    ...(input.checkId !== undefined ? { checkId: input.checkId } : {}),
  };
  return fillTemplate('alert-form', {
    title: `Raise a practice alert: ${input.childLabel}`,
    introText:
      `It goes first to ${first} (informal stage: ${STAGE_WORKING_DAYS.informal} working days), ` +
      `then to ${second} (formal stage: ${STAGE_WORKING_DAYS.formal} more working days), ` +
      (later?.sameManager
        ? `then to ${third} again, at the head of service stage.`
        : `then to ${third}.`) +
      `${chainEnd} The manager sees what you write here. You escalate it or close it.`,
    formErrors: formErrorLines(errors, known),
    issue: values['issue'] ?? '',
    issueError: fieldError(errors, 'issue', known),
    hasDecisions,
    decisionId: values['decisionId'] || ALERT_NO_DECISION,
    decisionChoices: input.decisions.map((d) => ({
      title: d.description,
      value: String(d.decisionId),
    })),
    decisionIdError: fieldError(errors, 'decisionId', known),
    actionWanted: values['actionWanted'] ?? '',
    actionWantedError: fieldError(errors, 'actionWanted', known),
    submitData: data,
    submitFallback: { verb: 'alert.raise', ...data },
  });
}

/** The IRO's confirmation once the alert is raised: where it went, and by when. */
export function renderAlertRaised(
  alert: PracticeAlert,
  options: { timeZone: string },
): AdaptiveCardJson {
  const raised = alert.steps.find((s) => s.action === 'raised');
  const responder = responderText(alert);
  const lines: { text: string; tone: LineTone }[] = responder
    ? [
        {
          text: `Sent to ${responder}, who should respond by ${longDay(alert.stageDueOn)}.`,
          tone: 'plain',
        },
      ]
    : [
        { text: nobodyToAnswer(alert), tone: 'attention' },
        { text: `This stage should be resolved by ${longDay(alert.stageDueOn)}.`, tone: 'plain' },
      ];
  lines.push({
    text: `To see it later, ask me "alert for ${alert.childId}".`,
    tone: 'subtle',
  });
  return fillTemplate('alert-notice', {
    title: `Practice alert raised: ${alert.childLabel}`,
    facts: [
      { title: 'Stage', value: ALERT_STAGE_TEXT[alert.stage] },
      {
        title: 'Raised',
        value: raised ? longDayAt(raised.at, options.timeZone) : longDay(alert.raisedOn),
      },
    ],
    lines,
  });
}

/** The card the manager answering at the alert's stage gets in their 1:1 chat. */
export function renderAlertForResponder(
  alert: PracticeAlert,
  options: {
    today: LocalDate;
    values?: Record<string, string>;
    errors?: Record<string, string>;
    /** For the dates of earlier steps; Europe/London when not given. */
    timeZone?: string;
    /** What the card is sent again for (a reminder), above it. */
    headline?: string;
  },
): AdaptiveCardJson {
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const known = new Set(['form', 'response']);
  const overdue = stageOverdue(alert, options.today);
  // The raising alone says nothing the card does not already say.
  const earlier = alert.steps.length > 1 ? alert.steps : [];
  const data = { alertId: alert.alertId, stage: alert.stage };
  return fillTemplate('alert-respond', {
    headline: options.headline ?? '',
    title: `Practice alert from ${alert.iroName}: ${alert.childLabel}`,
    introText: `${alert.iroName} (IRO) has raised a practice alert about the care plan for ${alert.childLabel}, and asks you, as ${alert.swName ? STAGE_RESPONDER[alert.stage].replace("the social worker's", `${alert.swName}'s`) : STAGE_RESPONDER[alert.stage]}, to respond.`,
    stageText: ALERT_STAGE_TEXT[alert.stage],
    raisedText: longDay(alert.raisedOn),
    overdue,
    dueText: respondByText(alert, overdue),
    formErrors: formErrorLines(errors, known),
    sections: alertSections(alert),
    steps: timeline(earlier, options.timeZone ?? DEFAULT_TIME_ZONE),
    response: values['response'] ?? '',
    responseError: fieldError(errors, 'response', known),
    submitData: data,
    submitFallback: { verb: 'alert.respond', ...data },
  });
}

/**
 * What the manager keeps in place of the form once they have sent their response: the response as
 * it stands, and, while the alert waits at this stage, "Change my response" with it to edit.
 * `alreadySent`: this press sent the same text again, and nothing was sent.
 */
export function renderAlertResponseSent(
  alert: PracticeAlert,
  options: { timeZone: string; alreadySent?: boolean },
): AdaptiveCardJson {
  const response = responseAt(alert, alert.stage);
  const changed = response?.action === 'responseChanged';
  const lines: CardLine[] = [
    {
      text:
        response && changed
          ? `Your response, changed on ${longDayAt(response.at, options.timeZone)}`
          : 'Your response',
      tone: 'heading',
    },
    { text: response?.note ?? 'No response recorded.', tone: 'plain' },
  ];
  if (options.alreadySent && response)
    lines.push({
      text: `You had already sent this on ${longDayAt(response.at, options.timeZone)}; it was not sent again.`,
      tone: 'plain',
    });
  lines.push({
    text: `${alert.iroName} (IRO) decides whether to close the alert or escalate it.`,
    tone: 'subtle',
  });
  const data = { alertId: alert.alertId, stage: alert.stage };
  return fillTemplate('alert-sent', {
    title: options.alreadySent
      ? `Already sent to ${alert.iroName}`
      : `${changed ? 'Change sent' : 'Sent'} to ${alert.iroName}`,
    facts: [
      { title: 'Practice alert', value: alert.childLabel },
      { title: 'Stage', value: ALERT_STAGE_TEXT[alert.stage] },
    ],
    lines,
    canChange: alert.status === 'open' && response !== undefined,
    changeText: `${alert.iroName} is told of the change. Your first response stays in the alert's record.`,
    response: response?.note ?? '',
    submitData: data,
    submitFallback: { verb: 'alert.respond', ...data },
  });
}

/**
 * The short notice to a manager who had the alert at a stage it has left: the IRO escalated it
 * (`nextResponderName`: who has it now, null when nobody above is in the staff list) or closed it.
 */
export function renderAlertMovedOnNotice(
  alert: PracticeAlert,
  step: AlertStep,
  options: { timeZone: string; nextResponderName: string | null },
): AdaptiveCardJson {
  const day = longDayAt(step.at, options.timeZone);
  const closed = step.action === 'resolved';
  const outcome = ALERT_OUTCOME_TEXT[alert.outcome ?? 'resolved'];
  const what = closed
    ? `${alert.iroName} (IRO) closed it on ${day}: ${outcome}.`
    : `${alert.iroName} (IRO) escalated it to ${ALERT_STAGE_TEXT[step.stage]} on ${day}; ${
        options.nextResponderName
          ? `${options.nextResponderName} has been asked to respond.`
          : 'nobody above is in the staff list to respond.'
      }`;
  return fillTemplate('alert-notice', {
    title: `Practice alert ${closed ? 'closed' : 'moved on'}: ${alert.childLabel}`,
    facts: closed
      ? [
          { title: 'Outcome', value: outcome },
          { title: 'Last stage', value: ALERT_STAGE_TEXT[step.stage] },
        ]
      : [{ title: 'Stage now', value: ALERT_STAGE_TEXT[step.stage] }],
    lines: [
      { text: what, tone: 'plain' },
      { text: 'Nothing more is asked of you on it.', tone: 'plain' },
      ...(closed
        ? []
        : [{ text: `To see it, ask me "alert for ${alert.childId}".`, tone: 'subtle' as const }]),
    ],
  });
}

/**
 * The alert as the IRO sees it: on "alert for Q40211", when a manager responds or a stage runs
 * out. With `iroActions` an open alert carries the outcome and note inputs and the buttons to
 * move it on and to resolve it; both buttons send the same inputs.
 */
export function renderAlertStatus(
  alert: PracticeAlert,
  options: {
    today: LocalDate;
    timeZone: string;
    headline?: string;
    iroActions: boolean;
    values?: Record<string, string>;
    errors?: Record<string, string>;
  },
): AdaptiveCardJson {
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const open = alert.status === 'open';
  const showInputs = options.iroActions && open;
  const known = new Set(['form', ...(showInputs ? ['outcome', 'note'] : [])]);
  const next = nextStage(alert.stage);
  const data = { alertId: alert.alertId, stage: alert.stage };
  return fillTemplate('alert-status', {
    headline: options.headline ?? '',
    title: `Practice alert: ${alert.childLabel}`,
    // Only the alert's IRO is given its buttons: `iroActions` says the reader is the IRO.
    statusLines: statusLines(alert, options.today, options.timeZone, options.iroActions),
    formErrors: formErrorLines(errors, known),
    sections: alertSections(alert),
    steps: timeline(alert.steps, options.timeZone),
    showInputs,
    outcome: values['outcome'] ?? '',
    outcomeChoices: ALERT_OUTCOMES.map((value) => ({ title: ALERT_OUTCOME_TEXT[value], value })),
    outcomeError: fieldError(errors, 'outcome', known),
    note: values['note'] ?? '',
    noteError: fieldError(errors, 'note', known),
    canEscalate: showInputs && next !== null,
    escalateTitle: next ? `Escalate to ${ESCALATE_TO[next]}` : '',
    actionData: data,
    escalateSubmit: { verb: 'alert.escalate', ...data },
    resolveSubmit: { verb: 'alert.resolve', ...data },
  });
}

/**
 * Who the alert waits for now: the manager at its stage until they respond, then the IRO, to
 * close it or escalate it ("you" when the reader is the IRO).
 */
function waitingOnIro(alert: PracticeAlert, timeZone: string, readerIsIro: boolean) {
  const response = alert.status === 'open' ? responseAt(alert, alert.stage) : undefined;
  if (!response) return undefined;
  const what = response.action === 'responseChanged' ? 'changed their response' : 'responded';
  return {
    responded: `${response.actorName} ${what} on ${longDayAt(response.at, timeZone)}`,
    waiting: readerIsIro ? 'you' : `${alert.iroName} (IRO)`,
  };
}

function statusLines(
  alert: PracticeAlert,
  today: LocalDate,
  timeZone: string,
  readerIsIro: boolean,
): CardLine[] {
  const raised: CardLine = {
    text: `Raised on ${longDay(alert.raisedOn)} by ${alert.iroName}.`,
    tone: 'subtle',
  };
  if (alert.status === 'resolved') {
    const outcome = alert.outcome ? ALERT_OUTCOME_TEXT[alert.outcome] : 'Resolved';
    const on = alert.resolvedOn ? ` on ${longDay(alert.resolvedOn)}` : '';
    return [
      { text: `Closed${on}: ${outcome}`, tone: 'heading' },
      { text: `Last stage: ${ALERT_STAGE_TEXT[alert.stage]}.`, tone: 'plain' },
      raised,
    ];
  }
  const stage: CardLine = {
    text: `Open at stage ${ALERT_STAGE_TEXT[alert.stage]}, since ${longDay(alert.stageStartedOn)}.`,
    tone: 'plain',
  };
  const answered = waitingOnIro(alert, timeZone, readerIsIro);
  if (answered) {
    // The manager has done their part: nothing of theirs is late, and the stage's date is the
    // IRO's to weigh.
    return [
      stage,
      {
        text: `${answered.responded}; waiting for ${answered.waiting} to close or escalate it.`,
        tone: 'heading',
      },
      { text: `The stage is due to be resolved by ${longDay(alert.stageDueOn)}.`, tone: 'plain' },
      raised,
    ];
  }
  const overdue = stageOverdue(alert, today);
  const responder = responderText(alert);
  return [
    stage,
    responder
      ? { text: `With ${responder}.`, tone: 'plain' }
      : { text: nobodyToAnswer(alert), tone: 'attention' },
    { text: respondByText(alert, overdue), tone: overdue ? 'attention' : 'heading' },
    raised,
  ];
}

/**
 * A list of alerts ("my practice alerts", a manager's open alerts), each with its Open button.
 * `viewerEmail`: an alert waiting for its IRO says "you" to them.
 */
export function renderAlertList(
  alerts: PracticeAlert[],
  options: {
    today: LocalDate;
    title: string;
    emptyText: string;
    timeZone?: string;
    viewerEmail?: string;
  },
): AdaptiveCardJson {
  const shown = alerts.slice(0, ALERT_LIST_MAX);
  const rest = alerts.length - shown.length;
  const count = `${alerts.length} practice ${alerts.length === 1 ? 'alert' : 'alerts'}`;
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  return fillTemplate('alert-list', {
    title: options.title,
    isEmpty: alerts.length === 0,
    emptyText: options.emptyText,
    countText: rest > 0 ? `${count}: the first ${shown.length} are shown.` : count,
    rows: shown.map((alert) =>
      listRow(alert, options.today, timeZone, alert.iroEmail === options.viewerEmail),
    ),
    moreText:
      rest > 0 ? `And ${rest} more. To open one, ask me "alert for" and the child's case ID.` : '',
  });
}

function listRow(alert: PracticeAlert, today: LocalDate, timeZone: string, readerIsIro: boolean) {
  const common = { childLabel: alert.childLabel, question: `alert for ${alert.childId}` };
  if (alert.status === 'resolved') {
    return {
      ...common,
      stageText: alert.outcome ? ALERT_OUTCOME_TEXT[alert.outcome] : 'Resolved',
      withText: `Last stage: ${ALERT_STAGE_TEXT[alert.stage]}`,
      dueText: alert.resolvedOn ? `Closed ${longDay(alert.resolvedOn)}` : 'Closed',
      overdue: false,
    };
  }
  const answered = waitingOnIro(alert, timeZone, readerIsIro);
  if (answered) {
    return {
      ...common,
      stageText: ALERT_STAGE_TEXT[alert.stage],
      withText: answered.responded,
      dueText: readerIsIro
        ? 'Waiting for you to close or escalate it'
        : `Waiting for ${answered.waiting}`,
      overdue: false,
    };
  }
  const overdue = stageOverdue(alert, today);
  const responder = responderText(alert);
  return {
    ...common,
    stageText: ALERT_STAGE_TEXT[alert.stage],
    withText: responder ? `With ${responder}` : 'No manager in the staff list',
    dueText: respondByText(alert, overdue),
    overdue,
  };
}
