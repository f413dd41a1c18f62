import { daysBetween, type LocalDate } from '../../domain/local-date.js';
import type { WorkingCalendar } from '../../domain/working-days.js';
import { isManager, managedStaff, resolveAsker } from '../access/viewer-scope.js';
import { annualReportFigures, type AnnualReportFigures } from '../annual-report.js';
import { listDueReviews } from '../due-reviews.js';
import type { CaseReader, StaffMember } from '../ports.js';
import {
  answerQuestion,
  caseloadRowOf,
  managedScopeLabel,
  type AnswerDeps,
  type CaseloadRow,
  type ListedReview,
} from '../questions/answer-question.js';
import { percent } from '../../domain/timeliness.js';
import { rangeText } from '../questions/parse-period.js';
import { followUpFigures, type FollowUpFigures } from '../reminders/follow-up-figures.js';
import type { MidwayStore } from '../midway/midway-check.js';
import type { ReminderStore } from '../reminders/reminders.js';

/**
 * What the tab shows, computed by the same use cases as the bot's answers (the due lists and the
 * caseload summary are the bot's own), over the children the reader's role lets them see.
 */
export interface DashboardDeps {
  cases: CaseReader;
  calendar: WorkingCalendar;
  clock: { today(): LocalDate };
  reminders: ReminderStore;
  recordWorkingDays: number;
  midway: Pick<MidwayStore, 'statesFor'>;
}

export interface Viewer {
  person: StaffMember;
  /** The children the person may see (DOMAIN.md, Privacy). */
  childIds: string[];
  today: LocalDate;
  /** The staff list the person was found in (managers' views read their teams from it). */
  staff: StaffMember[];
}

/** The registered person behind an Entra object id, with their scope; undefined if not in Staff.csv. */
export async function viewerOf(
  deps: Pick<DashboardDeps, 'cases' | 'clock'>,
  objectId: string,
): Promise<Viewer | undefined> {
  const asker = await resolveAsker(deps.cases, objectId);
  if (!asker) return undefined;
  return { ...asker, childIds: [...asker.childIds], today: deps.clock.today() };
}

export type ReviewState = 'overdue' | 'due' | 'scheduled' | 'due_unknown';

export function reviewState(review: ListedReview): ReviewState {
  if (review.dueDate === null) return 'due_unknown';
  if ((review.daysLeft ?? 0) < 0) return 'overdue';
  return review.scheduledStart ? 'scheduled' : 'due';
}

export interface ReviewsView {
  from: LocalDate;
  to: LocalDate;
  today: LocalDate;
  showIro: boolean;
  due: ListedReview[];
  overdue: ListedReview[];
}

function answerDeps(deps: DashboardDeps): AnswerDeps {
  return {
    cases: deps.cases,
    calendar: deps.calendar,
    clock: deps.clock,
    reminders: deps.reminders,
    recordWorkingDays: deps.recordWorkingDays,
    midway: deps.midway,
  };
}

/**
 * "My reviews" for a range: the reader's children due in it (and those whose due date cannot be
 * known), and every overdue one, as the bot's "my reviews due ..." and "overdue reviews" list them.
 */
export async function reviewsView(
  deps: DashboardDeps,
  viewer: Viewer,
  range: { from: LocalDate; to: LocalDate },
): Promise<ReviewsView | undefined> {
  const personal = { kind: 'personal' } as const;
  const label = rangeText(range.from, range.to);
  const [due, overdue] = await Promise.all([
    answerQuestion(
      answerDeps(deps),
      viewer,
      { kind: 'due', period: { ...range, label }, personal: true },
      personal,
    ),
    answerQuestion(answerDeps(deps), viewer, { kind: 'overdue', personal: true }, personal),
  ]);
  if (due.kind !== 'reviewList' || overdue.kind !== 'reviewList') return undefined;
  return {
    ...range,
    today: deps.clock.today(),
    showIro: due.showIro,
    due: due.items,
    overdue: overdue.items.filter((i) => i.dueDate !== null),
  };
}

export interface IroLine extends CaseloadRow {
  dueThisMonth: number;
  overdue: number;
  reviewsHeld: number;
  timelinessPercent: number | null;
}

export interface CaseloadView {
  scopeLabel: string;
  asOf: LocalDate;
  from: LocalDate;
  to: LocalDate;
  iros: IroLine[];
  children: number;
  shortBreaks: number;
  dueThisMonth: number;
  overdue: number;
  dueUnknown: number;
  figures: AnnualReportFigures;
  followUp: FollowUpFigures;
  /**
   * The period's reviews of children in scope who are not with one of these IROs now (they left
   * care, or their IRO is in another team): with the IROs' lines they add up to the whole.
   */
  otherReviews: { reviewsHeld: number; timelinessPercent: number | null };
}

export type CaseloadOutcome = { kind: 'notManager' } | { kind: 'caseload'; view: CaseloadView };

/**
 * A manager's caseload page: the caseload summary's rows (as of today) for the IROs they manage,
 * and the period's figures (reviews held, timeliness, participation, attendance, alerts) over
 * their children; each IRO's timeliness over the children allocated to them now.
 */
export async function caseloadView(
  deps: DashboardDeps,
  viewer: Viewer,
  range: { from: LocalDate; to: LocalDate },
): Promise<CaseloadOutcome> {
  const manager = viewer.person;
  if (!isManager(manager)) return { kind: 'notManager' };
  const today = viewer.today;
  const items = await listDueReviews(deps, {
    today,
    from: '1900-01-01' as LocalDate,
    to: '2999-12-31' as LocalDate,
    childIds: viewer.childIds,
  });
  // Each child's current IRO: the period's reviews are counted against the IRO who has the child now.
  const iroOf = new Map(items.flatMap((i) => (i.iro ? [[i.child, i.iro] as const] : [])));
  const [figures, followUp] = await Promise.all([
    annualReportFigures(deps, range, { childIds: viewer.childIds, groups: iroOf }),
    followUpFigures(deps, range, { childIds: viewer.childIds }),
  ]);
  const thisMonth = today.slice(0, 7);
  const iros = managedStaff(manager, viewer.staff)
    .filter((s) => s.role === 'iro')
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((iro): IroLine => {
      const mine = items.filter((i) => i.iro === iro.email);
      const held = figures.byGroup?.[iro.email];
      return {
        ...caseloadRowOf(iro, mine),
        dueThisMonth: mine.filter((i) => i.dueDate?.slice(0, 7) === thisMonth).length,
        overdue: mine.filter((i) => i.dueDate !== null && i.dueDate < today).length,
        reviewsHeld: held?.reviewsHeld ?? 0,
        timelinessPercent: held ? percent(held.reviewsOnTime, held.reviewsAssessed) : null,
      };
    });
  const known = items.filter((i) => i.dueDate !== null);
  const listed = iros.map((iro) => figures.byGroup?.[iro.iro]);
  const sum = (key: 'reviewsHeld' | 'reviewsAssessed' | 'reviewsOnTime') =>
    figures[key] - listed.reduce((total, held) => total + (held?.[key] ?? 0), 0);
  return {
    kind: 'caseload',
    view: {
      scopeLabel: managedScopeLabel(manager),
      asOf: today,
      ...range,
      iros,
      children: items.filter((i) => !i.shortBreak).length,
      shortBreaks: items.filter((i) => i.shortBreak).length,
      dueThisMonth: known.filter((i) => i.dueDate?.slice(0, 7) === thisMonth).length,
      overdue: known.filter((i) => (i.dueDate as LocalDate) < today).length,
      dueUnknown: items.length - known.length,
      figures,
      followUp,
      otherReviews: {
        reviewsHeld: sum('reviewsHeld'),
        timelinessPercent: percent(sum('reviewsOnTime'), sum('reviewsAssessed')),
      },
    },
  };
}

/** Longest range a page may ask for: ten years of reviews. */
export const MAX_RANGE_DAYS = 3660;

export function rangeProblem(from: LocalDate, to: LocalDate): string | undefined {
  // The report compares with a year earlier: dates must stay inside what dates can be here.
  if (from < '1901-01-01' || to > '2199-12-31') return 'Pick dates between 1901 and 2199.';
  if (from > to) return 'The period ends before it starts: pick an end date on or after the start.';
  if (daysBetween(from, to) > MAX_RANGE_DAYS) return 'Pick a period of at most ten years.';
  return undefined;
}
