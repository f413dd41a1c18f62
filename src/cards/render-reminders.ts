import { instantToZoned } from '../domain/zoned-time.js';
import type {
  DecisionContext,
  FollowedDecision,
  IroDigest,
  ReportDue,
} from '../app/reminders/reminders.js';
import { daysBetween, type LocalDate } from '../domain/local-date.js';
import { longDate, longDay } from '../domain/date-text.js';
import { fillTemplate, type AdaptiveCardJson } from './card-templates.js';
import { decisionOwnerText } from './decision-owner.js';
import { formErrorLines, type CardLine } from './render-alerts.js';
import { bookingIsUrgent } from '../app/questions/answer-question.js';
import { dueWithHoldBy } from './review-due-text.js';
import { sameEmail } from '../shared/same-email.js';
import { DECISIONS_WORKING_DAYS } from '../app/reminders/follow-up.js';

/** Rows a digest section shows before "and N more". */
export const DIGEST_SECTION_MAX = 10;
/** Overdue decisions the digest names; the rest are behind "See all". */
export const DIGEST_OVERDUE_SHOWN = 3;
/** Children with no knowable due date the digest names; the rest are behind "See all". */
export const DIGEST_DUE_UNKNOWN_SHOWN = 3;
/** Decisions the "decisions overdue" card lists before it says how many more. */
export const OVERDUE_LIST_MAX = 30;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function moreText(rest: number): string {
  return rest > 0 ? `And ${rest} more.` : '';
}

/** Past its date and not done (a decision due today is not overdue yet). */
function decisionOverdue(decision: FollowedDecision, today: LocalDate): boolean {
  return decision.status !== 'done' && decision.dueOn !== null && decision.dueOn < today;
}

/** A decision as its reminder reads it: with the child's IRO, who set it at the review. */
export type RemindedDecision = FollowedDecision &
  Pick<DecisionContext, 'iroEmail'> &
  Partial<Pick<DecisionContext, 'chairEmail' | 'chairName'>>;

/**
 * The chair set the decision for themselves: the card speaks to them as "you". The chair is the
 * IRO who held the review (the child's IRO now when it was not recorded), not always today's.
 */
function setByOwner(decision: RemindedDecision): boolean {
  return sameEmail(decision.ownerEmail, decision.chairEmail ?? decision.iroEmail);
}

/** Who set the decision, as the card names them: "Alex Wilber (IRO)". */
function setByText(decision: RemindedDecision): string {
  if (!decision.chairEmail) return `${decision.iroName} (IRO)`;
  return decision.chairName ? `${decision.chairName} (IRO)` : 'The IRO who chaired the review';
}

/** To the person responsible for a review decision, the day before its date (or once it is past). */
export function renderDecisionDue(
  decision: RemindedDecision,
  options: {
    today: LocalDate;
    values?: Record<string, string>;
    errors?: Record<string, string>;
  },
): AdaptiveCardJson {
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const known = new Set(['form', 'status', 'reason']);
  const overdue = decisionOverdue(decision, options.today);
  const { dueOn } = decision;
  const title = !dueOn
    ? `Review decision: ${decision.childLabel}`
    : overdue
      ? `Review decision overdue: ${decision.childLabel}`
      : `Review decision due ${longDay(dueOn)}: ${decision.childLabel}`;
  const data = { decisionId: decision.decisionId };
  return fillTemplate('decision-due', {
    title,
    introText: setByOwner(decision)
      ? 'You set this decision at the review and are responsible for it. Please say whether it is done.'
      : `${setByText(decision)} set this decision at the review, with you responsible for it. Please say whether it is done.`,
    description: decision.description,
    overdue,
    dueText: !dueOn
      ? 'No date was set.'
      : overdue
        ? `Was due ${longDay(dueOn)} (overdue)`
        : `Due ${longDay(dueOn)}`,
    formErrors: formErrorLines(errors, known),
    status: values['status'] ?? '',
    statusError: errors['status'] ?? '',
    reason: values['reason'] ?? '',
    reasonError: errors['reason'] ?? '',
    submitData: data,
    submitFallback: { verb: 'decision.update', ...data },
  });
}

/** What the person responsible keeps once they have said where the decision stands. */
export function renderDecisionUpdated(decision: RemindedDecision): AdaptiveCardJson {
  const statusText =
    decision.status === 'done'
      ? decision.doneOn
        ? `Done on ${longDay(decision.doneOn)}.`
        : 'Done.'
      : decision.status === 'notDone'
        ? decision.reason
          ? `Not done yet: ${decision.reason}`
          : 'Not done yet.'
        : 'No update yet.';
  return fillTemplate('digest-notice', {
    title: `Review decision updated: ${decision.childLabel}`,
    facts: [],
    lines: [
      { text: decision.description, tone: 'heading' },
      { text: statusText, tone: 'plain' },
      {
        text: sameEmail(decision.ownerEmail, decision.iroEmail)
          ? "Thank you. It is kept with the review's decisions."
          : `Thank you. ${decision.iroName} (IRO) can see this.`,
        tone: 'subtle',
      },
    ] satisfies CardLine[],
  });
}

/** For the IRO ("decisions overdue"): every overdue decision of their children, by child. */
export function renderDecisionsOverdue(
  decisions: FollowedDecision[],
  options: { today: LocalDate },
): AdaptiveCardJson {
  const shown = decisions.slice(0, OVERDUE_LIST_MAX);
  const groups = new Map<string, { childLabel: string; items: FollowedDecision[] }>();
  for (const decision of shown) {
    const group = groups.get(decision.childId) ?? { childLabel: decision.childLabel, items: [] };
    group.items.push(decision);
    groups.set(decision.childId, group);
  }
  const children = new Set(decisions.map((d) => d.childId)).size;
  return fillTemplate('decision-overdue', {
    title: 'Decisions overdue',
    isEmpty: decisions.length === 0,
    emptyText: 'No review decision is overdue for your children.',
    countText: `${plural(decisions.length, 'decision', 'decisions')} overdue, for ${plural(children, 'child', 'children')}.`,
    groups: [...groups.values()].map((group) => ({
      childLabel: group.childLabel,
      items: [...group.items]
        .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? ''))
        .map((d) => ({
          description: d.description,
          whoText: `Who: ${decisionOwnerText(d) ?? 'nobody named'}`,
          dueText: d.dueOn
            ? `Due ${longDay(d.dueOn)}: ${plural(Math.max(daysBetween(d.dueOn, options.today), 0), 'day', 'days')} overdue`
            : 'No date set',
          reasonText: d.reason ? `Last said: ${d.reason}` : 'No reason given yet.',
        })),
    })),
    moreText: moreText(decisions.length - shown.length),
  });
}

interface CardButton {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/** A button's template fields: its Action.Execute, and the Action.Submit fallback's data. */
const button = (b: CardButton) => ({ ...b, submit: { verb: b.verb, ...b.data } });

interface DigestRow {
  label: string;
  text: string;
  /** In Teams' attention colour: past due, or to be dealt with now. */
  attention: boolean;
  hasButton: boolean;
  buttonTitle: string;
  verb: string;
  data: Record<string, unknown>;
  submit: Record<string, unknown>;
}

function row(label: string, text: string, attention: boolean, action?: CardButton): DigestRow {
  return {
    label,
    text,
    attention,
    hasButton: action !== undefined,
    buttonTitle: action?.title ?? '',
    verb: action?.verb ?? '',
    data: action?.data ?? {},
    submit: action ? { verb: action.verb, ...action.data } : {},
  };
}

interface DigestSection {
  heading: string;
  /** A line under the heading saying why the section is there; empty for none. */
  note: string;
  rows: DigestRow[];
  moreText: string;
  hasSectionAction: boolean;
  actions: ReturnType<typeof button>[];
}

/**
 * A section of the digest, or none when it has no items: its first `max` rows, how many more,
 * and the buttons `actions` gives for the items left out (none when nothing is left out).
 */
function section<T>(
  heading: string,
  items: T[],
  toRow: (item: T) => DigestRow,
  options: { max?: number; note?: string; actions?: (rest: T[]) => CardButton[] } = {},
): DigestSection[] {
  if (items.length === 0) return [];
  const max = options.max ?? DIGEST_SECTION_MAX;
  const rest = items.slice(max);
  const actions = rest.length > 0 && options.actions ? options.actions(rest).map(button) : [];
  return [
    {
      heading,
      note: options.note ?? '',
      rows: items.slice(0, max).map(toRow),
      moreText: moreText(rest.length),
      hasSectionAction: actions.length > 0,
      actions,
    },
  ];
}

/** A review held whose decisions are not recorded, with the button that opens its form. */
function decisionRow(item: IroDigest['decisionsNotRecorded'][number]): DigestRow {
  // The form of that very review: "record review for" would start a new one.
  return row(item.childLabel, `Held on ${longDay(item.heldOn)}`, false, {
    title: item.recorded ? 'Add the decisions' : 'Record',
    verb: 'participation.form',
    data: { reviewId: item.reviewId, ...(item.recorded ? { edit: true } : {}) },
  });
}

/** A review record not marked distributed, past its date, with "Mark distributed". */
function recordRow(item: IroDigest['recordsNotDistributed'][number], today: LocalDate): DigestRow {
  return row(
    item.childLabel,
    `Held on ${longDay(item.heldOn)}; due by ${longDay(item.dueBy)}`,
    item.dueBy < today,
    { title: 'Mark distributed', verb: 'record.distributed', data: { reviewId: item.reviewId } },
  );
}

/**
 * The two lists of what is left to do after a review: the digest's section headings, the
 * questions its "See all" buttons ask (which `parseQuestion` reads), and their answers' words.
 */
const WRITE_UP = {
  decisions: {
    title: 'Decisions not yet recorded',
    question: 'decisions not yet recorded',
    introText: (days: number) =>
      `Reviews booked in the app for your children, held in the last ${days} days, whose decisions were not recorded ${DECISIONS_WORKING_DAYS} working days after the meeting.`,
    emptyText: 'None: no decisions are waiting to be recorded.',
    count: (n: number) => plural(n, 'review', 'reviews'),
  },
  records: {
    title: 'Review records to distribute',
    question: 'review records to distribute',
    introText: (days: number, workingDays: number) =>
      `Reviews of your children held in the last ${days} days whose record was not marked distributed within the council's ${plural(workingDays, 'working day', 'working days')}.`,
    emptyText: 'None: no record is waiting to be distributed.',
    count: (n: number) => plural(n, 'record', 'records'),
  },
} as const;

/**
 * "decisions not yet recorded" or "review records to distribute": every one of the IRO's, in the
 * digest's rows with their buttons (up to `OVERDUE_LIST_MAX`, then how many more).
 */
export function renderReviewsToWriteUp(
  lists: Pick<IroDigest, 'today' | 'decisionsNotRecorded' | 'recordsNotDistributed'>,
  which: 'decisions' | 'records',
  options: { followUpDays: number; recordWorkingDays: number },
): AdaptiveCardJson {
  const words = WRITE_UP[which];
  const sections =
    which === 'decisions'
      ? section(
          words.count(lists.decisionsNotRecorded.length),
          lists.decisionsNotRecorded,
          decisionRow,
          { max: OVERDUE_LIST_MAX },
        )
      : section(
          words.count(lists.recordsNotDistributed.length),
          lists.recordsNotDistributed,
          (item) => recordRow(item, lists.today),
          { max: OVERDUE_LIST_MAX },
        );
  return fillTemplate('digest-daily', {
    title: words.title,
    introText: words.introText(options.followUpDays, options.recordWorkingDays),
    isEmpty: sections.length === 0,
    emptyText: words.emptyText,
    sections,
  });
}

/** Why a child's next due date cannot be known, as scheduling says it. */
const DUE_UNKNOWN_REASON =
  "Their last review was held before the council's extract began, so I can't tell when the next one is due.";

const ask = (title: string, question: string): CardButton => ({
  title,
  verb: 'question.ask',
  data: { question },
});

/**
 * The IRO's daily digest: only the sections with something in them. `timeZone` is taken for
 * the callers' symmetry with the other cards; every date in the digest is a calendar date.
 */
export function renderIroDigest(
  digest: IroDigest,
  options: { timeZone: string },
): AdaptiveCardJson {
  void options;
  const { today } = digest;
  const sections: DigestSection[] = [
    ...section(
      'Overdue or due in the next 20 working days, not booked',
      digest.dueUnscheduled,
      (item) =>
        // As the lists say it: red within a fortnight, and by when to hold it.
        row(
          item.childLabel,
          item.dueOn < today
            ? `Was due ${longDay(item.dueOn)} (overdue)`
            : dueWithHoldBy(item.dueOn, item.holdBy, today),
          bookingIsUrgent(today, item.dueOn),
          {
            title: 'Schedule',
            verb: 'review.plan',
            data: { child: item.childId, mode: 'schedule' },
          },
        ),
      {
        // The rows left out, in the lists the bot answers with (each with its Schedule button).
        actions: (rest) => [
          ...(rest.some((item) => item.dueOn < today)
            ? [ask('See all overdue', 'my overdue reviews')]
            : []),
          ...(rest.some((item) => item.dueOn >= today)
            ? [
                ask(
                  `See all due by ${longDay(digest.dueUntil)}`,
                  `my reviews due by ${longDate(digest.dueUntil)}`,
                ),
              ]
            : []),
        ],
      },
    ),
    // As the lists say it; not in red: the review may be due, or may not, and nobody can say.
    ...section(
      `Due date unknown, not booked (${digest.dueUnknown.length})`,
      digest.dueUnknown,
      (item) => row(item.childLabel, '', false),
      {
        max: DIGEST_DUE_UNKNOWN_SHOWN,
        note: `${DUE_UNKNOWN_REASON} Record it with "record review for" and the case ID, or ask the data team to add its date.`,
        // The children left out, in the list the bot answers with (any booked ones too).
        actions: () => [ask('See all', 'my reviews with no known due date')],
      },
    ),
    // The rows left out are in the answer to the question the button asks.
    ...section(WRITE_UP.decisions.title, digest.decisionsNotRecorded, decisionRow, {
      actions: () => [ask('See all', WRITE_UP.decisions.question)],
    }),
    ...section(
      WRITE_UP.records.title,
      digest.recordsNotDistributed,
      (item) => recordRow(item, today),
      { actions: () => [ask('See all', WRITE_UP.records.question)] },
    ),
    ...section(
      `Decisions overdue (${digest.decisionsOverdue.length})`,
      digest.decisionsOverdue,
      (d) =>
        row(
          d.childLabel,
          d.dueOn ? `${d.description}: due ${longDay(d.dueOn)}` : d.description,
          true,
        ),
      { max: DIGEST_OVERDUE_SHOWN },
    ).map((s) => {
      const all = button(ask('See all', 'decisions overdue'));
      return { ...s, hasSectionAction: true, actions: [all] };
    }),
  ];
  return fillTemplate('digest-daily', {
    title: `Your IRO digest: ${longDay(today)}`,
    introText: '',
    isEmpty: sections.length === 0,
    emptyText: 'Nothing needs you today.',
    sections,
  });
}

/** To the social worker: their report for the review is due, some working days before it. */
export function renderReportDue(
  item: ReportDue,
  options: {
    timeZone: string;
    /** Working days before the meeting the report is due (DOMAIN.md: 3 unless configured). */
    workingDays?: number;
  },
): AdaptiveCardJson {
  const days = options.workingDays ?? 3;
  const meetingDay = instantToZoned(item.meetingStart, options.timeZone);
  const meeting = `${longDay(meetingDay.date)}, ${meetingDay.time}`;
  return fillTemplate('digest-notice', {
    title: `Report due ${longDay(item.reportDueOn)}: ${item.childLabel}`,
    facts: [
      { title: 'Review meeting', value: meeting },
      { title: 'Report due', value: longDay(item.reportDueOn) },
      { title: 'IRO', value: item.iroName },
    ],
    lines: [
      {
        text: `Please share your report for the review with ${item.iroName} (IRO): it is due ${plural(days, 'working day', 'working days')} before the meeting.`,
        tone: 'plain',
      },
    ] satisfies CardLine[],
  });
}

/**
 * The confirmation after "Mark distributed". `workingDays` is the council's limit (DOMAIN.md: 15
 * unless configured) and `withinDays` whether the record went out within it.
 */
export function renderRecordDistributed(input: {
  childLabel: string;
  heldOn: LocalDate;
  distributedOn: LocalDate;
  withinDays: boolean;
  workingDays: number;
}): AdaptiveCardJson {
  const limit = plural(input.workingDays, 'working day', 'working days');
  return fillTemplate('digest-notice', {
    title: `Review record distributed: ${input.childLabel}`,
    facts: [
      { title: 'Review held', value: longDay(input.heldOn) },
      { title: 'Distributed', value: longDay(input.distributedOn) },
    ],
    lines: [
      input.withinDays
        ? { text: `On time: within the council's ${limit} of the review.`, tone: 'plain' }
        : {
            text: `Late: more than the council's ${limit} after the review.`,
            tone: 'attention',
          },
      {
        text: `The annual report counts it as distributed ${input.withinDays ? 'on time' : 'late'}.`,
        tone: 'subtle',
      },
    ] satisfies CardLine[],
  });
}
