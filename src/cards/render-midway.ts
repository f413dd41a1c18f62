import {
  answeredBySocialWorker,
  answersByStatus,
  DECISION_STATUS_TEXT,
  DECISION_STATUSES,
  type DecisionStatus,
  type MidwayCheck,
  type MidwayDecision,
} from '../app/midway/midway-check.js';
import type { LocalDate } from '../domain/local-date.js';
import { instantToZoned } from '../domain/zoned-time.js';
import { longDay, longDayAt } from './card-dates.js';
import { decisionOwnerText } from './decision-owner.js';
import { formErrorLines } from './render-alerts.js';
import { fillTemplate, type AdaptiveCardJson } from './card-templates.js';

/** The card's action, with the Action.Submit fallback that carries its verb in its data. */
export interface CardAction {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/** "Wed 6 January 2027 at 14:05" in the council's time zone. */
function dayAndTime(at: Date, timeZone: string): string {
  const zoned = instantToZoned(at, timeZone);
  return `${longDay(zoned.date)} at ${zoned.time}`;
}

/**
 * "Sam Worker, by Tue 1 December 2026 (overdue)": who is responsible, and by when. An owner
 * outside the staff list (a carer, a school) is not shown by address, as in the tab's child page:
 * the address was typed for the record, not to be passed round in chats.
 */
function whoWhen(decision: MidwayDecision, overdue: boolean): string {
  const by = decision.dueOn ? longDay(decision.dueOn) : null;
  const owner = decisionOwnerText(decision);
  const text = owner && by ? `${owner}, by ${by}` : by ? `By ${by}` : (owner ?? '');
  return overdue ? `${text} (overdue)` : text;
}

/** Past its date (a decision due today is not overdue yet). */
function pastDue(decision: MidwayDecision, today: LocalDate): boolean {
  return decision.dueOn !== null && decision.dueOn < today;
}

/** The card the social worker gets in their 1:1 chat, at the midway date (and once more as a reminder). */
export function renderMidwayPrompt(
  check: MidwayCheck,
  options: {
    reminder: boolean;
    today: LocalDate;
    values?: Record<string, string>;
    errors?: Record<string, string>;
  },
): AdaptiveCardJson {
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const known = new Set(['form', 'iroNote']);
  const decisions = check.decisions.map((d) => {
    const statusId = `status_${d.decisionId}`;
    const noteId = `note_${d.decisionId}`;
    known.add(statusId).add(noteId);
    const overdue = pastDue(d, options.today);
    const required = answeredBySocialWorker(check, d);
    return {
      description: d.description,
      whoWhen: whoWhen(d, overdue),
      overdue,
      // Each choice says which decision it is about (a screen reader reads the label alone).
      statusLabel: required
        ? `How is "${shorten(d.description, 60)}" going?`
        : `How is "${shorten(d.description, 60)}" going? Not yours: answer if you know.`,
      placeholder: required ? 'Choose one' : 'Choose one, if you know',
      required,
      statusId,
      status: values[statusId] ?? '',
      statusError: errors[statusId] ?? '',
      noteId,
      note: values[noteId] ?? '',
      noteError: errors[noteId] ?? '',
    };
  });
  // One banner, as on the alert forms: parseMidwayForm's own line already says what to do.
  const formErrors = formErrorLines(errors, known);
  const title = `Midway check: ${check.childLabel}`;
  return fillTemplate('midway-check', {
    title: options.reminder ? `Reminder: ${title}` : title,
    introText:
      decisions.length > 0
        ? `${check.iroName} (IRO) would like to know how the decisions of the review are going. ${reviewsText(check)}`
        : `Half way to the next review: if there is anything ${check.iroName} (IRO) should know, you can say it here. ${reviewsText(check)} Nothing needs an answer.`,
    sendTitle: `Send to ${check.iroName}`,
    formErrors,
    noDecisions: decisions.length === 0,
    decisions,
    statusChoices: DECISION_STATUSES.map((value) => ({
      title: DECISION_STATUS_TEXT[value],
      value,
    })),
    iroNote: values['iroNote'] ?? '',
    iroNoteError: errors['iroNote'] ?? '',
    submitData: { checkId: check.checkId },
    submitFallback: { verb: 'midway.answer', checkId: check.checkId },
  });
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function reviewsText(check: MidwayCheck): string {
  const last = `The last review was on ${longDay(check.lastReviewOn)}`;
  return check.nextDueOn
    ? `${last}, and the next is due ${longDay(check.nextDueOn)}.`
    : `${last}, and the next review's due date is not known.`;
}

/**
 * What the social worker sees in place of the form once they have sent it: read only, with what
 * was stored. `changesNotSaved`: the form was sent again with other answers, which were dropped;
 * `byYou` says whether the reader sent the stored ones.
 */
export function renderMidwayAnswered(
  check: MidwayCheck,
  options: { timeZone: string; changesNotSaved?: { byYou: boolean } },
): AdaptiveCardJson {
  const decisions = check.decisions.map((d) => {
    const answer = check.answers.find((a) => a.decisionId === d.decisionId);
    return {
      description: d.description,
      statusText: answer ? DECISION_STATUS_TEXT[answer.status] : 'No answer',
      note: answer?.note ?? '',
    };
  });
  return fillTemplate('midway-answered', {
    title: `Midway check: ${check.childLabel}`,
    sentText: sentText(check, options),
    notSaved: options.changesNotSaved !== undefined,
    noDecisions: decisions.length === 0,
    decisions,
    iroNoteText: check.iroNote ?? 'No note.',
  });
}

function sentText(
  check: MidwayCheck,
  options: { timeZone: string; changesNotSaved?: { byYou: boolean } },
): string {
  const on = check.answeredAt ? ` on ${dayAndTime(check.answeredAt, options.timeZone)}` : '';
  if (!options.changesNotSaved) return `Thank you. Sent to ${check.iroName}${on}.`;
  // A check is answered once: a correction goes to the IRO by other means.
  const who = options.changesNotSaved.byYou ? 'You' : answeredByName(check);
  return `${who} sent this to ${check.iroName}${on}; these changes were not saved. Below is what was sent. To correct it, tell ${check.iroName} in a Teams chat.`;
}

/** Headings in the order an IRO reads them: what needs them first. */
const SUMMARY_ORDER: { status: DecisionStatus | 'unanswered'; stressed: boolean }[] = [
  { status: 'delayed', stressed: true },
  { status: 'not_started', stressed: true },
  { status: 'unanswered', stressed: true },
  { status: 'on_track', stressed: false },
  { status: 'done', stressed: false },
];

/** The IRO's summary of a midway check: answered, asked and waiting, or not asked yet. */
export function renderMidwaySummary(
  check: MidwayCheck,
  options: { today: LocalDate; timeZone: string; alertAction?: CardAction },
): AdaptiveCardJson {
  const { today, timeZone, alertAction } = options;
  const answered = check.answeredAt !== null;
  const item = (decision: MidwayDecision, note: string | null, done: boolean) => {
    const overdue = !done && pastDue(decision, today);
    return {
      description: decision.description,
      whoWhen: whoWhen(decision, overdue),
      overdue,
      note: note ? `Note: ${note}` : '',
    };
  };
  const inReviewOrder = <T extends { decision: MidwayDecision }>(list: T[]): T[] =>
    [...list].sort(
      (a, b) => check.decisions.indexOf(a.decision) - check.decisions.indexOf(b.decision),
    );

  let groups: { heading: string; stressed: boolean; items: ReturnType<typeof item>[] }[];
  if (answered) {
    const byStatus = answersByStatus(check);
    const answeredIds = new Set(check.answers.map((a) => a.decisionId));
    const unanswered = check.decisions
      .filter((d) => !answeredIds.has(d.decisionId))
      .map((decision) => ({ decision, note: null }));
    groups = SUMMARY_ORDER.map(({ status, stressed }) => {
      const list = inReviewOrder(status === 'unanswered' ? unanswered : byStatus[status]);
      return {
        heading: `${status === 'unanswered' ? 'No answer' : DECISION_STATUS_TEXT[status]} (${list.length})`,
        stressed,
        items: list.map(({ decision, note }) => item(decision, note, status === 'done')),
      };
    }).filter((group) => group.items.length > 0);
  } else {
    groups =
      check.decisions.length === 0
        ? []
        : [
            {
              heading: 'Decisions of the last review',
              stressed: false,
              items: check.decisions.map((d) => item(d, null, false)),
            },
          ];
  }

  return fillTemplate('midway-summary', {
    title: `Midway answers: ${check.childLabel}`,
    statusText: summaryStatus(check, timeZone),
    lastReviewText: longDay(check.lastReviewOn),
    midwayText: longDay(check.midwayOn),
    nextDueText: check.nextDueOn ? longDay(check.nextDueOn) : 'Not known',
    noDecisions: check.decisions.length === 0,
    groups,
    answered,
    iroNoteHeading: `Note to the IRO from ${answeredByName(check)}`,
    iroNoteText: check.iroNote ?? 'No note.',
    hasAlert: alertAction !== undefined,
    alertTitle: alertAction?.title ?? '',
    alertVerb: alertAction?.verb ?? '',
    alertData: alertAction?.data ?? {},
    alertSubmit: alertAction ? { verb: alertAction.verb, ...alertAction.data } : {},
  });
}

/** The social worker by name, unless someone else (an e-mail as recorded) answered for them. */
function answeredByName(check: MidwayCheck): string {
  return check.answeredBy && check.answeredBy.toLowerCase() !== check.swEmail.toLowerCase()
    ? check.answeredBy
    : check.swName;
}

function summaryStatus(check: MidwayCheck, timeZone: string): string {
  if (check.answeredAt)
    return `Answered by ${answeredByName(check)} on ${dayAndTime(check.answeredAt, timeZone)}.`;
  if (check.promptedAt)
    return `Asked ${check.swName} on ${longDayAt(check.promptedAt, timeZone)}; no answer yet.`;
  return `Not asked yet: the midway date is ${longDay(check.midwayOn)}.`;
}

/** To the IRO, when the social worker has not answered after the reminder. */
export function renderMidwayNoAnswer(
  check: MidwayCheck,
  options: { timeZone: string; workingDays: number },
): AdaptiveCardJson {
  const days = `${options.workingDays} working ${options.workingDays === 1 ? 'day' : 'days'} ago`;
  const sent = check.promptedAt
    ? `sent on ${longDayAt(check.promptedAt, options.timeZone)} (${days})`
    : `sent ${days}`;
  return fillTemplate('midway-notice', {
    title: `No midway answer: ${check.childLabel}`,
    text: `${check.swName} has not answered the midway check for ${check.childLabel} ${sent}.`,
    facts: [],
    advice: `You may want to call or message them. To see the check and any answers later, ask me "midway answers for ${check.childId}".`,
  });
}

/** Why a midway check could not reach its social worker. */
export type UnreachableReason = 'noChat' | 'blocked';

const UNREACHABLE_WHY: Record<UnreachableReason, string> = {
  noChat: 'they have not got IRO Assistant in Teams',
  blocked: 'they have blocked IRO Assistant in Teams',
};
const UNREACHABLE_ASK: Record<UnreachableReason, string> = {
  noChat: 'Ask them to open IRO Assistant from Apps in Teams and say hello.',
  blocked:
    'Ask them to unblock it in their chat with IRO Assistant, or to open IRO Assistant from Apps in Teams and say hello.',
};

/** "until the next review, due Thu 1 April 2027" for one check; each child's own for several. */
function untilText(checks: readonly MidwayCheck[]): string {
  const [only] = checks;
  if (checks.length === 1 && only?.nextDueOn) {
    return ` I send the check when they do, until the next review is due on ${longDay(only.nextDueOn)}.`;
  }
  return checks.length === 1
    ? ' I send the check when they do.'
    : " I send each check when they do, until that child's next review is due.";
}

/**
 * To the IRO, when social workers cannot be reached in Teams: every check of that day in one card
 * (an IRO whose colleagues have not opened the app gets one card, not one per child), grouped by
 * social worker.
 */
export function renderMidwayUnreachable(
  entries: readonly { check: MidwayCheck; reason: UnreachableReason }[],
): AdaptiveCardJson {
  const checks = entries.map((e) => e.check);
  const reasons = new Set(entries.map((e) => e.reason));
  const [first] = entries;
  if (entries.length === 1 && first) {
    const { check, reason } = first;
    return fillTemplate('midway-notice', {
      title: `Midway check not sent: ${check.childLabel}`,
      text: `I could not send ${check.swName} the midway check for ${check.childLabel}: ${UNREACHABLE_WHY[reason]}.`,
      facts: [],
      advice: `${UNREACHABLE_ASK[reason]}${untilText(checks)}`,
    });
  }
  const bySocialWorker = new Map<string, { name: string; labels: string[]; blocked: boolean }>();
  for (const { check, reason } of entries) {
    const entry = bySocialWorker.get(check.swEmail) ?? {
      name: check.swName,
      labels: [],
      blocked: false,
    };
    entry.labels.push(check.childLabel);
    entry.blocked ||= reason === 'blocked';
    bySocialWorker.set(check.swEmail, entry);
  }
  const why =
    reasons.size === 1 && first
      ? UNREACHABLE_WHY[first.reason]
      : 'they have not got IRO Assistant in Teams, or have blocked it (marked)';
  return fillTemplate('midway-notice', {
    title: `${entries.length} midway checks not sent`,
    text: `I could not send these midway checks to the social workers below: ${why}.`,
    facts: [...bySocialWorker.values()].map((sw) => ({
      title: reasons.size > 1 && sw.blocked ? `${sw.name} (blocked)` : sw.name,
      value: sw.labels.join(', '),
    })),
    advice: `${UNREACHABLE_ASK[reasons.has('blocked') ? 'blocked' : 'noChat']}${untilText(checks)}`,
  });
}
