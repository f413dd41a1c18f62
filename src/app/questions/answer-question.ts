import { addDays, daysBetween, reportingYear, type LocalDate } from '../../domain/local-date.js';
import { caseload, type IroCaseload } from '../../domain/caseload.js';
import type { ParticipationCode } from '../../domain/participation.js';
import { holdByDay, type WorkingCalendar } from '../../domain/working-days.js';
import {
  annualReportFigures,
  caseloadYearFigures,
  latestEligibleStart,
  summarisedFigures,
  type HeldReviewFigures,
} from '../annual-report.js';
import { followUpFigures, type FollowUpFigures } from '../reminders/follow-up-figures.js';
import type { MidwayCheckState, MidwayStore } from '../midway/midway-check.js';
import type { ReminderStore } from '../reminders/reminders.js';
import {
  isManager,
  managedStaff,
  readVisibleChildIds,
  findAsker,
  scopeEmails,
  sharedVisibility,
  visibleChildIds,
  type ResolvedAsker,
  type Role,
} from '../access/viewer-scope.js';
import { listDueReviews, type DueReviewItem, type DueReviewQuery } from '../due-reviews.js';
import type { CaseReader, CaseloadScope, StaffMember } from '../ports.js';
import { parsePeriod, rangeText, type Period } from './parse-period.js';
import type { Question } from './parse-question.js';

/**
 * Where the answer will be read: a 1:1 chat, or a group chat or channel with these members.
 * `rosterUnreadable` says the members could not be read: then nobody's children are shown.
 */
export type Audience =
  | { kind: 'personal' }
  | { kind: 'group'; memberAadObjectIds: readonly string[]; rosterUnreadable?: boolean };

export interface ListedReview extends DueReviewItem {
  /** The IRO's name, shown to managers (who see many IROs' children). */
  iroName: string | null;
  /** Not booked and due within 20 working days: someone should schedule it now. */
  needsScheduling: boolean;
  /**
   * The statutory due date falls on a weekend or bank holiday: the last working day before it,
   * when the review can still be held in time.
   */
  holdBy: LocalDate | null;
  /** The reader chairs this child's reviews (and reads in a 1:1 chat): offer to book or move it. */
  canSchedule: boolean;
  /**
   * In a list of midway dates: the check of this midway date, or null when none was opened yet
   * (nobody has been asked). Absent from other lists.
   */
  midwayCheck?: Pick<MidwayCheckState, 'promptedAt' | 'answeredAt' | 'unreachableToldAt'> | null;
}

/** An unscheduled review due within this many working days is flagged in lists. */
export const SCHEDULING_WARNING_WORKING_DAYS = 20;

/**
 * The last due date on which a review not booked yet is flagged "Not booked yet" (20 working
 * days ahead): the lists work it out once for all their rows, the child's page for one.
 */
export function bookingHorizon(calendar: WorkingCalendar, today: LocalDate): LocalDate {
  return calendar.addWorkingDays(today, SCHEDULING_WARNING_WORKING_DAYS);
}
/** An unscheduled review due within this many days (a fortnight), or overdue, is flagged in red. */
export const SCHEDULING_URGENT_DAYS = 14;

/**
 * Not booked and due within a fortnight, or past due: the lists of reviews, the IRO's digest and
 * the tab's child page show it in the attention colour.
 */
export function bookingIsUrgent(today: LocalDate, dueDate: LocalDate): boolean {
  return daysBetween(today, dueDate) <= SCHEDULING_URGENT_DAYS;
}

export interface CaseloadRow extends IroCaseload {
  iro: string;
  name: string;
  /** Children on short breaks allocated to the IRO (not in the per-FTE figure). */
  shortBreaks: number;
}

export interface Figures {
  period: Period;
  reviewsHeld: number;
  reviewsAssessed: number;
  reviewsOnTime: number;
  timelinessPercent: number | null;
  /** Reviews held whose due date cannot be known, left out of timeliness. */
  reviewsDueUnknown: number;
  childTimeliness: {
    childrenCounted: number;
    childrenOnTime: number;
    percent: number | null;
    childrenDueUnknown: number;
  };
  shortBreaks: { reviewsHeld: number; reviewsOnTime: number; reviewsAssessed: number };
  participation: Record<ParticipationCode, number>;
  participationPercent: Record<ParticipationCode, number | null>;
  viewsCommunicated: { children: number; of: number; percent: number | null };
  viewsConveyed: { reviews: number; of: number; percent: number | null };
}

export type Answer =
  | { kind: 'notRegistered' }
  | {
      kind: 'help';
      role: Role;
      name: string;
      /** A manager's: what their figures cover ("Children's Services and the teams below it"). */
      scope?: string;
      notUnderstood?: string;
    }
  /** `about`: the asker's own children, or caseload figures (which a group could only count in part). */
  | { kind: 'askInPersonalChat'; question: string; about?: 'own' | 'caseloads' }
  | { kind: 'message'; title: string; text: string }
  | {
      kind: 'reviewList';
      title: string;
      periodLabel: string;
      emptyText: string;
      items: ListedReview[];
      /** For a caseload list: the IRO's count against the guidance. */
      caseload?: CaseloadRow;
      /** Show each child's IRO (managers see many IROs' children; social workers need the chair). */
      showIro: boolean;
      /** Which date each row shows first: the review's due date, or the midway check's. */
      dates?: 'due' | 'midway';
      /** Children the asker may see but someone in this chat may not, left out of the list. */
      hiddenByAudience: number;
    }
  | {
      kind: 'caseloadSummary';
      scopeLabel: string;
      asOf: LocalDate;
      rows: CaseloadRow[];
      /** Children looked after (full-time care) in the teams. */
      children: number;
      /** Children on short-break arrangements (Regulation 48), counted apart. */
      shortBreaks: number;
      dueThisMonth: number;
      overdue: number;
      /** Children whose next due date cannot be known (last review before the extract). */
      dueUnknown: number;
      yearToDate: Figures;
      /** This reporting year: decisions, records, midway checks and practice alerts. */
      followUp: FollowUpFigures | null;
    }
  | {
      kind: 'figures';
      topic: 'timeliness' | 'participation';
      scopeLabel: string;
      figures: Figures;
    };

export interface AnswerDeps {
  cases: CaseReader;
  calendar: WorkingCalendar;
  clock: { today(): LocalDate };
  /** For what followed the reviews (decisions, records, midway checks, alerts). */
  reminders?: ReminderStore;
  /** Where each listed child's midway check stands ("midway reviews due"). */
  midway: Pick<MidwayStore, 'statesFor'>;
  recordWorkingDays?: number;
}

const EVER = { from: '1900-01-01' as LocalDate, to: '2999-12-31' as LocalDate };

/** The lists of reviews an IRO or social worker asks for about their own children. */
const OWN_LIST_QUESTIONS: ReadonlySet<Question['kind']> = new Set([
  'due',
  'overdue',
  'dueUnknown',
  'midway',
  'caseload',
]);

/**
 * Each row with the check of its own midway date (a check of an earlier review has another
 * date), read for all the rows in one query: a past midway date is not overdue when the social
 * worker was asked or has answered.
 */
async function withMidwayChecks(
  deps: Pick<AnswerDeps, 'midway'>,
  items: ListedReview[],
): Promise<ListedReview[]> {
  if (items.length === 0) return items;
  const states = await deps.midway.statesFor([...new Set(items.map((i) => i.child))]);
  const byDate = new Map(states.map((s) => [`${s.childId} ${s.midwayOn}`, s]));
  return items.map((item) => {
    const check = byDate.get(`${item.child} ${item.midwayDate}`);
    return {
      ...item,
      midwayCheck: check
        ? {
            promptedAt: check.promptedAt,
            answeredAt: check.answeredAt,
            unreachableToldAt: check.unreachableToldAt,
          }
        : null,
    };
  });
}

/**
 * Answers a question for the person who asked it, over only the children they may see; in a
 * group chat or channel, over only the children every member may see, and never a personal
 * question (that is offered in the 1:1 chat instead).
 */
export async function answerQuestion(
  deps: AnswerDeps,
  askerOrAadObjectId: ResolvedAsker | string | undefined,
  question: Question,
  audience: Audience,
): Promise<Answer> {
  const found = await findAsker(deps.cases, askerOrAadObjectId);
  if (!found) return { kind: 'notRegistered' };
  const today = deps.clock.today();
  // A manager's own summary is summed over their staff's children in the store: it needs no
  // list of those children, which for a service runs to thousands.
  if (
    audience.kind === 'personal' &&
    isManager(found.person) &&
    (question.kind === 'caseloadSummary' || question.kind === 'caseload')
  ) {
    const staffEmails = scopeEmails([found.person], found.staff);
    return caseloadSummary(deps, found.person, found.staff, { staffEmails }, today);
  }
  const { person: asker, staff } = found;
  // An IRO's or social worker's own lists, in their 1:1 chat, are read by their open allocation
  // in the store's own query; everything else over the children the asker may see, listed first.
  const ownLists =
    audience.kind === 'personal' &&
    (asker.role === 'iro' || asker.role === 'social_worker') &&
    OWN_LIST_QUESTIONS.has(question.kind);
  const own = ownLists ? new Set<string>() : await readVisibleChildIds(deps.cases, asker, staff);
  let scope = own;
  if (audience.kind === 'group') {
    if ('personal' in question && question.personal)
      return { kind: 'askInPersonalChat', question: describe(question) };
    // Figures about colleagues' caseloads counted over only what everyone here may see would be
    // wrong, not just shorter: a manager gets them in private.
    if (
      isManager(asker) &&
      (question.kind === 'caseloadSummary' || question.kind === 'caseloadFor')
    )
      return { kind: 'askInPersonalChat', question: describe(question), about: 'caseloads' };
    if (audience.rosterUnreadable || audience.memberAadObjectIds.length === 0) {
      if (!['help', 'unknown', 'periodUnclear'].includes(question.kind)) return rosterUnknown();
      scope = new Set();
    } else {
      const byObjectId = new Map(
        staff.filter((s) => s.aadObjectId).map((s) => [s.aadObjectId as string, s]),
      );
      const members = audience.memberAadObjectIds.map((id) => byObjectId.get(id.toLowerCase()));
      const present = members.filter((m): m is StaffMember => m !== undefined);
      const allocations = await deps.cases.listOpenAllocations({
        staffEmails: scopeEmails(present, staff),
      });
      scope = sharedVisibility([
        own,
        ...members.map((m) => (m ? visibleChildIds(m, staff, allocations) : new Set<string>())),
      ]);
    }
  }
  const childIds = [...scope];
  const listScope: Pick<DueReviewQuery, 'childIds' | 'iroEmail' | 'socialWorkerEmail'> = !ownLists
    ? { childIds }
    : asker.role === 'iro'
      ? { iroEmail: asker.email }
      : { socialWorkerEmail: asker.email };
  const showIro = isManager(asker) || asker.role === 'social_worker';
  /** How many of the asker's own children a group list leaves out, for the same question. */
  const hiddenFor = async (query: Omit<DueReviewQuery, 'childIds'>, shown: number) =>
    audience.kind === 'group' && own.size > scope.size
      ? (await listDueReviews(deps, { ...query, childIds: [...own] })).length - shown
      : 0;
  const list = (items: DueReviewItem[]) =>
    listedReviews(deps, items, staff, audience.kind === 'personal' ? asker.email : undefined);

  switch (question.kind) {
    case 'help':
      return helpFor(asker);
    case 'unknown':
      return { ...helpFor(asker), notUnderstood: question.text };
    case 'annualReport':
      return {
        kind: 'message',
        title: 'The IRO annual report',
        text: 'The whole report is in my tab: open IRO Assistant in Teams, choose Annual report and pick the period; it prints and downloads as CSV. Here I can give its main figures: ask "timeliness last year" or "participation last year".',
      };
    case 'periodUnclear':
      return {
        kind: 'message',
        title: 'Which dates do you mean?',
        text: `${question.problem} I understand "this month", "next month", "in January", "before 15 January", "on 15/01/2027" and "in the next 4 weeks".`,
      };
    case 'due': {
      const query = { today, ...question.period };
      const items = await listDueReviews(deps, { ...query, ...listScope });
      return {
        kind: 'reviewList',
        title: 'Reviews due',
        periodLabel: question.period.label,
        emptyText:
          question.period.to < today
            ? `No review that fell due ${question.period.label} is still waiting to be held.`
            : `No reviews fall due ${question.period.label}.`,
        items: list(items),
        showIro,
        hiddenByAudience: await hiddenFor(query, items.length),
      };
    }
    case 'overdue': {
      const query = { today, from: EVER.from, to: addDays(today, -1) };
      const items = await listDueReviews(deps, { ...query, ...listScope });
      return {
        kind: 'reviewList',
        title: 'Overdue reviews',
        periodLabel: `due before today (${rangeText(today, today)}) and not yet held`,
        emptyText: 'No review is overdue.',
        items: list(items),
        showIro,
        hiddenByAudience: await hiddenFor(query, items.length),
      };
    }
    case 'dueUnknown': {
      const query = { today, ...EVER, dueUnknown: true as const };
      const items = await listDueReviews(deps, { ...query, ...listScope });
      return {
        kind: 'reviewList',
        title: 'Due date unknown',
        periodLabel: `children looked after or on short breaks on ${rangeText(today, today)} whose last review was held before the council's extract began, so the next one's date cannot be worked out`,
        emptyText: "Every child's next due date is known.",
        items: list(items),
        showIro,
        hiddenByAudience: await hiddenFor(query, items.length),
      };
    }
    case 'midway': {
      const { from, to, label } = question.period;
      const inRange = (i: DueReviewItem) =>
        i.midwayDate !== null && i.midwayDate >= from && i.midwayDate <= to;
      const all = await listDueReviews(deps, { today, ...EVER, ...listScope });
      const items = all
        .filter(inRange)
        .sort((a, b) => ((a.midwayDate as string) < (b.midwayDate as string) ? -1 : 1));
      const hidden =
        audience.kind === 'group' && own.size > scope.size
          ? (await listDueReviews(deps, { today, ...EVER, childIds: [...own] })).filter(inRange)
              .length - items.length
          : 0;
      return {
        kind: 'reviewList',
        title: 'Midway reviews due',
        periodLabel: `${label}; the midway point is half way between the last review and the next due date`,
        emptyText: `No midway review falls ${label}.`,
        items: await withMidwayChecks(deps, list(items)),
        showIro,
        dates: 'midway',
        hiddenByAudience: hidden,
      };
    }
    case 'caseload': {
      const query = { today, ...EVER };
      const items = await listDueReviews(deps, { ...query, ...listScope });
      const group = audience.kind === 'group';
      const mine = asker.role === 'iro' && !group ? caseloadRowOf(asker, items) : undefined;
      return {
        kind: 'reviewList',
        title: group ? 'Children everyone here works with' : 'Your caseload',
        periodLabel: `children looked after or on short breaks on ${rangeText(today, today)}, by next review`,
        emptyText: group
          ? 'No child is shared by everyone in this chat.'
          : 'No children are allocated to you.',
        items: list(items),
        ...(mine ? { caseload: mine } : {}),
        showIro,
        hiddenByAudience: await hiddenFor(query, items.length),
      };
    }
    case 'caseloadSummary':
      if (!isManager(asker)) {
        return {
          kind: 'message',
          title: 'Caseload summaries are for managers',
          text: 'Team and service managers get caseload summaries. Ask "my caseload" for the children allocated to you.',
        };
      }
      return caseloadSummary(deps, asker, staff, { childIds }, today);
    case 'caseloadFor':
      return caseloadFor(deps, asker, staff, scope, question.who, today);
    case 'schedule':
    case 'reschedule':
    case 'cancelReview':
    case 'recordReview':
      return {
        kind: 'askInPersonalChat',
        question: `${question.kind === 'cancelReview' ? 'cancel' : question.kind === 'recordReview' ? 'record' : question.kind} review for ${question.child}`,
      };
    case 'midwayAnswers':
      return { kind: 'askInPersonalChat', question: `midway answers for ${question.child}` };
    case 'raiseAlert':
      return { kind: 'askInPersonalChat', question: `raise alert for ${question.child}` };
    case 'alertFor':
      return { kind: 'askInPersonalChat', question: `alert for ${question.child}` };
    case 'alerts':
      return { kind: 'askInPersonalChat', question: 'practice alerts' };
    case 'decisionsOverdue':
      return { kind: 'askInPersonalChat', question: 'decisions overdue' };
    case 'decisionsNotRecorded':
      return { kind: 'askInPersonalChat', question: 'decisions not yet recorded' };
    case 'recordsToDistribute':
      return { kind: 'askInPersonalChat', question: 'review records to distribute' };
    case 'timeliness':
    case 'participation':
      return {
        kind: 'figures',
        topic: question.kind,
        scopeLabel: scopeLabel(asker, audience),
        figures: await figures(deps, question.period, childIds),
      };
  }
}

function describe(question: Question): string {
  switch (question.kind) {
    case 'due':
      return `my reviews due ${question.period.label.replace(/ \(.*$/, '')}`;
    case 'overdue':
      return 'my overdue reviews';
    case 'dueUnknown':
      return 'my reviews with no known due date';
    case 'midway':
      return 'my midway reviews due';
    case 'caseload':
      return 'my caseload';
    case 'caseloadSummary':
      return 'caseload summary';
    case 'caseloadFor':
      return `caseload for ${question.who}`;
    default:
      return 'help';
  }
}

/** What the answer covers, in words: "your caseload", "the teams you manage (...)". */
export function scopeLabel(asker: StaffMember, audience: Audience): string {
  if (audience.kind === 'group') return 'the children everyone in this chat may see';
  if (asker.role === 'iro') return 'your caseload';
  if (asker.role === 'social_worker') return 'the children allocated to you';
  return asker.team ? `the teams you manage (${asker.team} and below)` : 'the teams you manage';
}

/**
 * What a report covers, in the third person, for a paper read by others (the annual report's CSV
 * and print): "IRO Service and the teams below it", "the caseload of Alex Wilber".
 */
export function reportScopeLabel(person: StaffMember): string {
  if (person.role === 'iro') return `the caseload of ${person.name}`;
  if (person.role === 'social_worker') return `the children allocated to ${person.name}`;
  if (isManager(person)) {
    return person.team ? managedScopeLabel(person) : `the teams ${person.name} manages`;
  }
  return 'all children';
}

/** "I can't read who is in this chat", instead of an answer that might show a child to a guest. */
function rosterUnknown(): Answer {
  return {
    kind: 'message',
    title: "I can't show children here",
    text: "I couldn't read who is in this chat, so I can't tell whether everyone here may see a child's details. Ask me in our 1:1 chat, or try again in a minute.",
  };
}

/** An IRO's caseload line: full-time children against the guidance, short breaks beside them. */
export function caseloadRowOf(iro: StaffMember, items: readonly DueReviewItem[]): CaseloadRow {
  const shortBreaks = items.filter((i) => i.shortBreak).length;
  return caseloadRowFromCounts(iro, { children: items.length - shortBreaks, shortBreaks });
}

function caseloadRowFromCounts(
  iro: StaffMember,
  counts: { children: number; shortBreaks: number } | undefined,
): CaseloadRow {
  return {
    iro: iro.email,
    name: iro.name,
    ...caseload(counts?.children ?? 0, iro.fte),
    shortBreaks: counts?.shortBreaks ?? 0,
  };
}

/** Adds the IRO's name, the scheduling flag, and whether `chair` (1:1 chat only) may book it. */
function listedReviews(
  deps: Pick<AnswerDeps, 'calendar' | 'clock'>,
  items: DueReviewItem[],
  staff: readonly StaffMember[],
  chair?: string,
): ListedReview[] {
  if (items.length === 0) return [];
  // The names of the IROs listed only: a service's staff list runs to hundreds of people.
  const iros = new Set(items.map((i) => i.iro));
  const names = new Map<string, string>();
  for (const s of staff) if (iros.has(s.email)) names.set(s.email, s.name);
  const soon = bookingHorizon(deps.calendar, deps.clock.today());
  // The fields added come before the item's: Node 20's V8 copies a spread quickly only when no
  // property follows it (one that does cost about 5 µs per row, measured).
  return items.map((i) => ({
    iroName: i.iro ? (names.get(i.iro) ?? i.iro) : null,
    needsScheduling: i.scheduledStart === null && i.dueDate !== null && i.dueDate <= soon,
    holdBy: i.dueDate === null ? null : holdByDay(deps.calendar, i.dueDate),
    canSchedule: chair !== undefined && i.iro === chair,
    ...i,
  }));
}

async function figures(deps: AnswerDeps, period: Period, childIds: string[]): Promise<Figures> {
  return figuresOf(
    period,
    (await summarisedFigures(deps, period, childIds)) ??
      (await annualReportFigures(deps, period, { childIds })),
  );
}

function figuresOf(period: Period, f: HeldReviewFigures): Figures {
  return {
    period,
    reviewsHeld: f.reviewsHeld,
    reviewsAssessed: f.reviewsAssessed,
    reviewsOnTime: f.reviewsOnTime,
    timelinessPercent: f.timelinessPercent,
    reviewsDueUnknown: f.reviewsDueUnknown,
    childTimeliness: f.childTimeliness,
    shortBreaks: {
      reviewsHeld: f.shortBreaks.reviewsHeld,
      reviewsOnTime: f.shortBreaks.reviewsOnTime,
      reviewsAssessed: f.shortBreaks.reviewsAssessed,
    },
    participation: f.participation,
    participationPercent: f.participationPercent,
    viewsCommunicated: f.viewsCommunicated,
    viewsConveyed: f.viewsConveyed,
  };
}

function helpFor(asker: StaffMember): Extract<Answer, { kind: 'help' }> {
  return {
    kind: 'help',
    role: asker.role,
    name: asker.name,
    ...(isManager(asker) ? { scope: managedScopeLabel(asker) } : {}),
  };
}

/** What a manager's caseload figures cover. */
export function managedScopeLabel(manager: StaffMember): string {
  return manager.team ? `${manager.team} and the teams below it` : 'the teams you manage';
}

/**
 * A manager's caseload summary, summed in the store from each child's status row. In a 1:1 chat
 * its scope is the manager's staff (no list of their children is needed); in a group chat, the
 * children everyone there may see. When a row cannot answer for today (a review recorded with a
 * later date, a period starting after today), the year's figures are worked out the long way.
 */
async function caseloadSummary(
  deps: AnswerDeps,
  manager: StaffMember,
  staff: StaffMember[],
  scope: CaseloadScope,
  today: LocalDate,
): Promise<Answer> {
  const managed = managedStaff(manager, staff);
  const iros = managed.filter((s) => s.role === 'iro');
  const month = parsePeriod('this month', today) as Period;
  const year = reportingYear(today);
  const period: Period = {
    from: year.first,
    to: today,
    label: `this reporting year to date (${rangeText(year.first, today)})`,
  };
  const sums = await deps.cases.summariseCaseload(scope, {
    today,
    month: { from: month.from, to: month.to },
    yearStart: year.first,
    eligibleBy: latestEligibleStart(deps.calendar, today),
  });
  const byIro = new Map(sums.map((c) => [c.iro, c]));
  const total = (key: 'children' | 'shortBreaks' | 'dueInMonth' | 'overdue' | 'dueUnknown') =>
    sums.reduce((sum, c) => sum + c[key], 0);
  const childIds = async () =>
    'childIds' in scope
      ? [...scope.childIds]
      : [...(await readVisibleChildIds(deps.cases, manager, staff))];
  return {
    kind: 'caseloadSummary',
    scopeLabel: managedScopeLabel(manager),
    asOf: today,
    rows: iros
      .map((s) => caseloadRowFromCounts(s, byIro.get(s.email)))
      .sort((a, b) => a.name.localeCompare(b.name)),
    children: total('children'),
    shortBreaks: total('shortBreaks'),
    dueThisMonth: total('dueInMonth'),
    overdue: total('overdue'),
    dueUnknown: total('dueUnknown'),
    yearToDate: sums.some((s) => s.unsure > 0)
      ? await figures(deps, period, await childIds())
      : figuresOf(period, caseloadYearFigures(sums)),
    followUp: deps.reminders
      ? await followUpFigures(
          {
            reminders: deps.reminders,
            calendar: deps.calendar,
            recordWorkingDays: deps.recordWorkingDays ?? 15,
          },
          { from: year.first, to: today },
          scope,
        )
      : null,
  };
}

async function caseloadFor(
  deps: AnswerDeps,
  asker: StaffMember,
  staff: StaffMember[],
  scope: Set<string>,
  who: string,
  today: LocalDate,
): Promise<Answer> {
  if (!isManager(asker)) {
    return {
      kind: 'message',
      title: "Other people's caseloads are for managers",
      text: 'Team and service managers can ask for the caseload of an IRO they manage. Ask "my caseload" for yours.',
    };
  }
  const wanted = who.toLowerCase().trim();
  const iros = managedStaff(asker, staff).filter((s) => s.role === 'iro');
  const exact = iros.filter((s) => s.email === wanted || s.name.toLowerCase() === wanted);
  const matches =
    exact.length > 0
      ? exact
      : iros.filter((s) => s.name.toLowerCase().includes(wanted) || s.email.startsWith(wanted));
  if (iros.length === 0) {
    return {
      kind: 'message',
      title: 'No IROs in the teams you manage',
      text: 'Caseloads are counted per IRO, and no IRO reports to you. Ask "overdue reviews" or "reviews due this month" for the children of your teams.',
    };
  }
  if (matches.length !== 1) {
    const example = iros[0] as StaffMember;
    return {
      kind: 'message',
      title:
        matches.length === 0
          ? `No IRO called "${who}" in your teams`
          : `More than one IRO matches "${who}"`,
      text:
        matches.length === 0
          ? `Check the name or use their e-mail address, e.g. "caseload for ${example.name}" or "caseload for ${example.email}".`
          : `Which one: ${matches.map((m) => m.name).join(', ')}? Use their full name or e-mail address.`,
    };
  }
  const iro = matches[0] as StaffMember;
  const items = (await listDueReviews(deps, { today, ...EVER, iroEmail: iro.email })).filter((i) =>
    scope.has(i.child),
  );
  return {
    kind: 'reviewList',
    title: `Caseload of ${iro.name}`,
    periodLabel: `children looked after or on short breaks on ${rangeText(today, today)}, by next review`,
    emptyText: `${iro.name} has no children allocated.`,
    items: listedReviews(deps, items, staff),
    caseload: caseloadRowOf(iro, items),
    showIro: false,
    hiddenByAudience: 0,
  };
}
