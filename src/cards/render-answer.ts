import { daysBetween, type LocalDate } from '../domain/local-date.js';
import { CASELOAD_GUIDANCE } from '../domain/caseload.js';
import { PARTICIPATION, PARTICIPATION_CODES } from '../domain/participation.js';
import type {
  Answer,
  CaseloadRow,
  Figures,
  ListedReview,
} from '../app/questions/answer-question.js';
import type { Role } from '../app/access/viewer-scope.js';
import { longDay, longDayAt, meetingTime } from './card-dates.js';
import { childLabel } from '../app/case-view.js';
import { followUpLines } from '../app/reminders/follow-up-figures.js';
import { fillTemplate, type AdaptiveCardJson } from './card-templates.js';
import { bookingIsUrgent } from '../app/questions/answer-question.js';
import { dueWithHoldBy } from './review-due-text.js';

export const PAGE_SIZE = 8;

export interface RenderOptions {
  /** The question as typed, carried by "Show more" so the next page is computed afresh. */
  question: string;
  page: number;
  timeZone: string;
  today: LocalDate;
}

const KIND_TEXT = {
  first: 'First review (within 20 working days)',
  second: 'Second review (within 3 months)',
  subsequent: 'Subsequent review (every 6 months)',
  short_breaks: 'Short breaks review (3 months, then every 6)',
} as const;

const MANAGER_QUESTIONS = [
  'caseload summary',
  'reviews due this month',
  'overdue reviews',
  'practice alerts',
  'timeliness this year',
  'participation last quarter',
  'annual report',
];
const MANAGER_HINT = 'Try one of these, or type "caseload for" and an IRO\'s name:';

const HELP: Record<Role, { intro: string; questions: string[] }> = {
  iro: {
    intro:
      'I list the reviews of the children allocated to you. Type "schedule review for", "record review for", "midway answers for" or "raise alert for" and a case ID. Or try one of these:',
    questions: [
      'my reviews due this month',
      'my reviews due next month',
      'my reviews due this week',
      'my reviews due in the next 4 weeks',
      'overdue reviews',
      'midway reviews due',
      'decisions overdue',
      'decisions not yet recorded',
      'review records to distribute',
      'my practice alerts',
      'my caseload',
      'timeliness this year',
    ],
  },
  social_worker: {
    intro:
      'I list the reviews of the children allocated to you. Try one of these, or type your own:',
    questions: [
      'my reviews due this month',
      'my reviews due next month',
      'overdue reviews',
      'midway reviews due',
      'decisions overdue',
      'my caseload',
    ],
  },
  team_manager: {
    intro: `I answer for the teams you manage. ${MANAGER_HINT}`,
    questions: MANAGER_QUESTIONS,
  },
  service_manager: {
    intro: `I answer for the service you manage. ${MANAGER_HINT}`,
    questions: MANAGER_QUESTIONS,
  },
  admin: {
    intro:
      'Your account is a data team account. In chat I answer about the children a person works with, so there is nothing to list for you here; council-wide figures come from the iro-assistant command line.',
    questions: [],
  },
};

const ROLE_TEXT: Record<Role, string> = {
  iro: 'an Independent Reviewing Officer',
  social_worker: 'a social worker',
  team_manager: 'a team manager',
  service_manager: 'a service manager',
  admin: 'a member of the data team',
};

export function renderAnswer(answer: Answer, options: RenderOptions): AdaptiveCardJson {
  switch (answer.kind) {
    case 'notRegistered':
      return message(
        "You're not registered with IRO Assistant",
        "I can only answer people the council has registered, so I can't show you anything yet. Ask your council's children's services data team (whoever looks after IRO Assistant) to add your Microsoft 365 account to the staff list.",
        false,
      );
    case 'askInPersonalChat':
      return fillTemplate('message', {
        title: "Let's talk about that in private",
        text:
          answer.about === 'caseloads'
            ? `"${answer.question}" gives caseload figures, and in a chat with other people in it I could count only the children everyone here may see, which would make them wrong. Press the button and I'll answer in our 1:1 chat.`
            : `"${answer.question}" is about the children you work with, and this chat has other people in it. Press the button and I'll answer in our 1:1 chat.`,
        hasAction: true,
        actionTitle: 'Answer me in our 1:1 chat',
        actionVerb: 'question.askPrivately',
        actionData: { question: answer.question },
        actionSubmit: { verb: 'question.askPrivately', question: answer.question },
        showHelp: false,
      });
    case 'message':
      return message(answer.title, answer.text, true);
    case 'help': {
      const help = HELP[answer.role];
      return fillTemplate('help', {
        notUnderstood: answer.notUnderstood ?? '',
        greeting: `Hello ${firstName(answer.name)}. You're registered as ${ROLE_TEXT[answer.role]}${answer.scope ? `, for ${answer.scope}` : ''}.`,
        intro: help.intro,
        questions: help.questions.map((text) => ({ text })),
        footer:
          'Children are shown by initials and case ID only. In a group chat I only show what everyone in it may see.',
      });
    }
    case 'reviewList':
      return reviewList(answer, options);
    case 'caseloadSummary':
      return fillTemplate('caseload-summary', {
        scopeLabel: answer.scopeLabel,
        asOfText: longDay(answer.asOf),
        childrenText: String(answer.children),
        shortBreaksText: String(answer.shortBreaks),
        dueThisMonthText: String(answer.dueThisMonth),
        overdueText: String(answer.overdue),
        dueUnknownText: String(answer.dueUnknown),
        hasDueUnknown: answer.dueUnknown > 0,
        hasShortBreaks: answer.shortBreaks > 0,
        timelinessText: timelinessText(answer.yearToDate),
        childTimelinessText: childTimelinessText(answer.yearToDate),
        leftOutText: leftOutText(answer.yearToDate),
        hasLeftOut: leftOutText(answer.yearToDate) !== '',
        guidanceText: `${CASELOAD_GUIDANCE.min} to ${CASELOAD_GUIDANCE.max}`,
        rows: answer.rows.map(caseloadRow),
        hasRows: answer.rows.length > 0,
        participation: participationRows(answer.yearToDate).map((p) => ({
          code: p.code,
          valueText: p.valueText,
        })),
        hasFollowUp: answer.followUp !== null,
        followUp: answer.followUp ? followUpLines(answer.followUp).map((text) => ({ text })) : [],
      });
    case 'figures':
      return fillTemplate('figures', {
        topic: answer.topic,
        title: answer.topic === 'timeliness' ? 'Review timeliness' : 'Participation in reviews',
        periodLabel: answer.figures.period.label,
        scopeLabel: answer.scopeLabel,
        reviewsHeldText: String(answer.figures.reviewsHeld),
        onTimeText: timelinessText(answer.figures),
        childTimelinessText: childTimelinessText(answer.figures),
        viewsText: viewsText(answer.figures),
        leftOutText: leftOutText(answer.figures),
        hasLeftOut: leftOutText(answer.figures) !== '',
        participation: participationRows(answer.figures),
      });
  }
}

/**
 * DOMAIN.md's participation measure (children, PN1 to PN6), then the stricter count by review
 * without PN4, each with its own label, as the annual report shows them.
 */
function viewsText(f: Figures): string {
  const children = f.viewsCommunicated;
  const reviews = f.viewsConveyed;
  return `Children aged 4 or over who communicated their views at every review (PN1 to PN6): ${children.children} of ${children.of}${pct(children.percent)}. Reviews of children aged 4 or over where the child's view was conveyed (PN1 to PN3, PN5, PN6; not PN4, attended without conveying a view): ${reviews.reviews} of ${reviews.of}${pct(reviews.percent)}.`;
}

function message(title: string, text: string, showHelp: boolean): AdaptiveCardJson {
  return fillTemplate('message', { title, text, hasAction: false, showHelp });
}

function reviewList(
  answer: Extract<Answer, { kind: 'reviewList' }>,
  options: RenderOptions,
): AdaptiveCardJson {
  const total = answer.items.length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(0, options.page), pages - 1);
  const shown = answer.items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const pageData = (p: number) => ({ question: options.question, page: p });
  return fillTemplate('review-list', {
    title: answer.title,
    periodLabel: capitalise(answer.periodLabel),
    caseloadText: answer.caseload ? caseloadSentence(answer.caseload) : '',
    // Everyone in the chat reads this: it says that the list is shorter, never by how much.
    hiddenText:
      answer.hiddenByAudience > 0
        ? 'Some children are not shown, because not everyone in this chat may see them. Ask me in a 1:1 chat for the full list.'
        : '',
    hasHidden: answer.hiddenByAudience > 0,
    caseloadTone: !answer.caseload ? 'none' : answer.caseload.band === 'above' ? 'above' : 'normal',
    isEmpty: total === 0,
    // An empty list with children left out says so, rather than that there is nothing.
    emptyText:
      answer.hiddenByAudience > 0 ? 'None that everyone in this chat may see.' : answer.emptyText,
    countText:
      total <= PAGE_SIZE
        ? `${total} ${total === 1 ? 'child' : 'children'}`
        : `${page * PAGE_SIZE + 1} to ${page * PAGE_SIZE + shown.length} of ${total} children`,
    items: shown.map((item) => listItem(item, options, answer.showIro, answer.dates ?? 'due')),
    hasPrevious: page > 0,
    previousData: pageData(page - 1),
    previousSubmit: { verb: 'reviews.page', ...pageData(page - 1) },
    hasMore: page < pages - 1,
    nextData: pageData(page + 1),
    nextSubmit: { verb: 'reviews.page', ...pageData(page + 1) },
  });
}

function listItem(
  item: ListedReview,
  options: RenderOptions,
  showIro: boolean,
  dates: 'due' | 'midway',
) {
  const label = childLabel(item.initials, item.child);
  if (item.dueDate === null) {
    return row(item, options, showIro, item.canSchedule, {
      childLabel: label,
      kindText: item.shortBreak ? KIND_TEXT.short_breaks : 'Next review',
      dueText: 'Due date unknown',
      daysText: 'last review before the extract',
      daysTone: 'later',
    });
  }
  const kindText = KIND_TEXT[item.kind ?? 'subsequent'];
  if (dates === 'midway' && item.midwayDate) {
    // The button would book the review, not the midway check: not offered here.
    return row(item, options, showIro, false, {
      childLabel: label,
      kindText: `${kindText}: due ${longDay(item.dueDate)}`,
      dueText: `Midway check ${longDay(item.midwayDate)}`,
      ...midwayStanding(item.midwayDate, item.midwayCheck ?? null, options),
    });
  }
  return row(item, options, showIro, item.canSchedule, {
    childLabel: label,
    kindText,
    dueText: dueWithHoldBy(item.dueDate, item.holdBy, options.today),
    ...relativeDays(daysBetween(options.today, item.dueDate)),
  });
}

/**
 * One child's row of the list: what `listItem` says of the dates, then the scheduling line and
 * button. Built as one literal: Node 20's V8 copies a spread quickly only when no property
 * follows it (one that does cost about 5 µs per row, measured).
 */
function row(
  item: ListedReview,
  options: RenderOptions,
  showIro: boolean,
  canSchedule: boolean,
  dates: {
    childLabel: string;
    kindText: string;
    dueText: string;
    daysText: string;
    daysTone: string;
  },
) {
  return {
    canSchedule,
    child: item.child,
    scheduleTitle: item.scheduledStart ? 'Reschedule' : 'Schedule',
    scheduleMode: item.scheduledStart ? 'reschedule' : 'schedule',
    scheduledText: item.scheduledStart
      ? `Scheduled ${meetingTime(item.scheduledStart, options.timeZone)}`
      : item.needsScheduling
        ? '⚠ Not scheduled yet'
        : 'Not scheduled yet',
    needsScheduling: item.needsScheduling,
    // Red only for what must be booked within the fortnight; later ones carry the ⚠ alone.
    urgentScheduling:
      item.needsScheduling && item.dueDate !== null && bookingIsUrgent(options.today, item.dueDate),
    iroText: showIro ? `IRO: ${item.iroName ?? 'none allocated'}` : '',
    childLabel: dates.childLabel,
    kindText: dates.kindText,
    dueText: dates.dueText,
    daysText: dates.daysText,
    daysTone: dates.daysTone,
  };
}

/**
 * Where a midway check stands: answered, asked and waiting, or not asked yet. Only a check
 * nobody has been asked for is overdue once its date has passed.
 */
function midwayStanding(
  midwayDate: LocalDate,
  check: ListedReview['midwayCheck'] | null,
  options: Pick<RenderOptions, 'today' | 'timeZone'>,
): { daysText: string; daysTone: string } {
  const day = (at: Date) => longDayAt(at, options.timeZone);
  if (check?.answeredAt)
    return { daysText: `Answered ${day(check.answeredAt)}`, daysTone: 'later' };
  if (check?.promptedAt)
    return { daysText: `Asked ${day(check.promptedAt)}, no answer yet`, daysTone: 'soon' };
  if (check?.unreachableToldAt)
    return {
      daysText: 'Not sent yet: I cannot reach the social worker in Teams',
      daysTone: 'soon',
    };
  const days = daysBetween(options.today, midwayDate);
  const { daysText, daysTone } = relativeDays(days);
  // "3 days overdue", "due today", "due tomorrow", "due in 19 days".
  const when = days <= 1 ? daysText : `due ${daysText}`;
  return { daysText: `Not asked yet, ${when}`, daysTone };
}

/** "3 days overdue", "due today", "due tomorrow", "in 19 days", "in 5 weeks", "in 4 months" (rounded). */
function relativeDays(days: number): { daysText: string; daysTone: string } {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days < 0) return { daysText: `${plural(-days, 'day')} overdue`, daysTone: 'overdue' };
  const tone = days <= 7 ? 'soon' : 'later';
  if (days === 0) return { daysText: 'due today', daysTone: tone };
  if (days === 1) return { daysText: 'due tomorrow', daysTone: tone };
  if (days < 28) return { daysText: `in ${days} days`, daysTone: tone };
  if (days < 91) return { daysText: `in ${plural(Math.round(days / 7), 'week')}`, daysTone: tone };
  return { daysText: `in ${plural(Math.round(days / 30.44), 'month')}`, daysTone: tone };
}

/** What a timeliness figure leaves out, in words; empty when nothing is. */
function leftOutText(f: Figures): string {
  const parts: string[] = [];
  if (f.reviewsDueUnknown > 0)
    parts.push(
      `${f.reviewsDueUnknown} ${f.reviewsDueUnknown === 1 ? 'review' : 'reviews'} whose due date cannot be known (the review before ${f.reviewsDueUnknown === 1 ? 'it was' : 'them was'} held before the extract) ${f.reviewsDueUnknown === 1 ? 'is' : 'are'} left out of timeliness`,
    );
  if (f.childTimeliness.childrenDueUnknown > 0)
    parts.push(
      `${f.childTimeliness.childrenDueUnknown} ${f.childTimeliness.childrenDueUnknown === 1 ? 'child is' : 'children are'} left out of the per-child measure for the same reason`,
    );
  if (f.shortBreaks.reviewsHeld > 0)
    parts.push(
      `short-break reviews are counted apart: ${f.shortBreaks.reviewsOnTime} of ${f.shortBreaks.reviewsAssessed} on time`,
    );
  return parts.length === 0 ? '' : `${capitalise(parts.join('; '))}.`;
}

function caseloadSentence(row: CaseloadRow): string {
  const ratio =
    row.perFte === null ? '' : `: ${row.perFte} per full-time equivalent at ${row.fte} FTE`;
  const band = row.band === 'above' ? ', above' : row.band === 'below' ? ', below' : ', within';
  const children = `${row.children} ${row.children === 1 ? 'child' : 'children'} looked after`;
  const shortBreaks =
    row.shortBreaks > 0 ? ` and ${shortBreaksText(row.shortBreaks)} (not in the ratio)` : '';
  return `${children}${shortBreaks}${ratio}${row.band ? `${band} the guidance of ${CASELOAD_GUIDANCE.min} to ${CASELOAD_GUIDANCE.max}` : ''}.`;
}

function shortBreaksText(n: number): string {
  return `${n} on short breaks`;
}

function caseloadRow(row: CaseloadRow) {
  return {
    name: row.name,
    childrenText:
      row.shortBreaks > 0
        ? `${row.children} (+${row.shortBreaks} short ${row.shortBreaks === 1 ? 'break' : 'breaks'})`
        : String(row.children),
    fteText: String(row.fte),
    perFteText: row.perFte === null ? 'n/a' : String(row.perFte),
    band: row.band ?? 'none',
  };
}

function participationRows(f: Figures) {
  return PARTICIPATION_CODES.map((code) => ({
    code,
    wording: PARTICIPATION[code].wording,
    valueText: `${f.participation[code]}${pct(f.participationPercent[code])}`,
  }));
}

function timelinessText(f: Figures): string {
  if (f.reviewsHeld === 0) return 'no reviews held';
  if (f.reviewsAssessed === 0) return 'no review whose due date is known';
  return `${f.reviewsOnTime} of ${f.reviewsAssessed}${pct(f.timelinessPercent)}`;
}

function childTimelinessText(f: Figures): string {
  const c = f.childTimeliness;
  return c.childrenCounted === 0
    ? 'no children counted'
    : `${c.childrenOnTime} of ${c.childrenCounted}${pct(c.percent)}`;
}

function pct(value: number | null): string {
  return value === null ? '' : ` (${value.toFixed(1)}%)`;
}

function firstName(name: string): string {
  return name.split(' ')[0] ?? name;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
