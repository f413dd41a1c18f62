import type { LocalDate } from '../domain/local-date.js';
import { periodOn, type PeriodOfCare } from '../domain/periods-of-care.js';
import type { ReviewHistory } from '../domain/review-schedule.js';
import type { AllocationSpan, CaseReader, ChildCase } from './ports.js';

/** The child someone named in chat (CHILD ids match whatever their letter case), if known. */
export async function childNamed(cases: CaseReader, text: string): Promise<ChildCase | undefined> {
  const childId = await cases.findChildId(text);
  if (!childId) return undefined;
  const [child] = await cases.listCases({ childIds: [childId] });
  return child;
}

/** Initials for display ("J.S."), or null when the case system gave no name. */
export function initialsOf(child: Pick<ChildCase, 'firstName' | 'lastName'>): string | null {
  const letters = [child.firstName, child.lastName]
    .map((n) => n?.trim().charAt(0).toUpperCase())
    .filter((c): c is string => Boolean(c));
  return letters.length > 0 ? letters.map((c) => `${c}.`).join('') : null;
}

/** How cards name a child: its initials and case id ("A.B. · Q40211"), or the case id alone. */
export function childLabel(initials: string | null, childId: string): string {
  return initials ? `${initials} · ${childId}` : childId;
}

export function childLabelOf(child: Pick<ChildCase, 'childId' | 'firstName' | 'lastName'>): string {
  return childLabel(initialsOf(child), child.childId);
}

/** What is known of the child's reviews: those held, from when they are all known, the council's last one before the extract. */
export function historyOf(child: ChildCase): ReviewHistory {
  return {
    held: child.reviews.map((r) => r.heldOn),
    knownFrom: child.reviewsKnownFrom,
    previous: child.previousReview,
  };
}

/** The period of care the child is in on `date`, not counting short breaks (903 "looked after"). */
export function reviewablePeriodOn(child: ChildCase, date: LocalDate): PeriodOfCare | undefined {
  const period = periodOn(child.periods, date);
  return period && !period.shortBreak ? period : undefined;
}

/**
 * Who held the role for the child on `date`, as far as it is known: `staffEmail` (null: nobody),
 * or, for a date before the child's first known allocation to the role, not known. Allocations
 * are known from the day they were first imported (`knownFrom`): the first IRO held then may not
 * have held the child before, so no one is credited with an earlier date.
 */
export type AllocationOn =
  { known: true; staffEmail: string | null } | { known: false; knownFrom: LocalDate };

export function allocationOn(
  child: ChildCase,
  role: AllocationSpan['role'],
  date: LocalDate,
): AllocationOn {
  const spans = child.allocations.filter((a) => a.role === role);
  const current = spans.find(
    (a) => a.startDate <= date && (a.endDate === null || a.endDate > date),
  );
  if (current) return { known: true, staffEmail: current.staffEmail };
  const first = [...spans].sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0];
  return first && first.startDate > date
    ? { known: false, knownFrom: first.startDate }
    : { known: true, staffEmail: null };
}

/** Who holds the role now (the open allocation). */
export function allocatedNow(child: ChildCase, role: AllocationSpan['role']): string | null {
  return child.allocations.find((a) => a.role === role && a.endDate === null)?.staffEmail ?? null;
}
