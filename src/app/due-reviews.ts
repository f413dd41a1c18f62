import { daysBetween, type LocalDate } from '../domain/local-date.js';
import { nextReviewDue, midwayDate, type ReviewKind } from '../domain/review-schedule.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { allocatedNow, initialsOf, reviewablePeriodOn } from './case-view.js';
import type { CaseReader } from './ports.js';

export interface DueReviewItem {
  child: string;
  initials: string | null;
  dueDate: LocalDate;
  kind: ReviewKind;
  /** Days from today to the due date; negative when overdue. */
  daysLeft: number;
  midwayDate: LocalDate | null;
  iro: string | null;
  socialWorker: string | null;
}

export interface DueReviewQuery {
  today: LocalDate;
  from: LocalDate;
  to: LocalDate;
  iroEmail?: string;
  /** Only these children (the asker's scope). */
  childIds?: readonly string[];
}

/**
 * The children looked after today (short breaks excluded) whose next review falls due in
 * [from, to], sorted by due date and then CHILD id.
 */
export async function listDueReviews(
  deps: { cases: CaseReader; calendar: WorkingCalendar },
  query: DueReviewQuery,
): Promise<DueReviewItem[]> {
  const cases = await deps.cases.listCases({
    lookedAfterOn: query.today,
    ...(query.iroEmail ? { iroEmail: query.iroEmail } : {}),
    ...(query.childIds ? { childIds: query.childIds } : {}),
  });
  const items: DueReviewItem[] = [];
  for (const child of cases) {
    const period = reviewablePeriodOn(child, query.today);
    if (!period) continue;
    const due = nextReviewDue(
      deps.calendar,
      period,
      child.reviews.map((r) => r.heldOn),
    );
    if (due.dueDate < query.from || due.dueDate > query.to) continue;
    items.push({
      child: child.childId,
      initials: initialsOf(child),
      dueDate: due.dueDate,
      kind: due.kind,
      daysLeft: daysBetween(query.today, due.dueDate),
      midwayDate: midwayDate(due),
      iro: allocatedNow(child, 'iro'),
      socialWorker: allocatedNow(child, 'social_worker'),
    });
  }
  return items.sort((a, b) =>
    a.dueDate < b.dueDate
      ? -1
      : a.dueDate > b.dueDate
        ? 1
        : a.child < b.child
          ? -1
          : a.child > b.child
            ? 1
            : 0,
  );
}
