import type { LocalDate } from '../../domain/local-date.js';
import { sameEmail } from '../../shared/same-email.js';

/** How the social worker says a review decision is going, at the midway check. */
export const DECISION_STATUSES = ['done', 'on_track', 'delayed', 'not_started'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const DECISION_STATUS_TEXT: Record<DecisionStatus, string> = {
  done: 'Done',
  on_track: 'On track',
  delayed: 'Delayed',
  not_started: 'Not started',
};

/** A decision of the last review, as the midway card shows it. */
export interface MidwayDecision {
  decisionId: number;
  description: string;
  /** Who is responsible (an e-mail, as recorded), or null when nobody was named. */
  ownerEmail: string | null;
  /** The owner's name when they are in the staff list; cards never show the e-mail. */
  ownerName?: string | null;
  dueOn: LocalDate | null;
}

export interface MidwayAnswer {
  decisionId: number;
  status: DecisionStatus;
  note: string | null;
}

/**
 * The IRO's check, half way between the last review and the next, of how the review's decisions
 * are going. One per review held; the social worker answers it once.
 */
export interface MidwayCheck {
  checkId: number;
  childId: string;
  /** Initials and case id ("A.B. · Q40211"), or the case id alone. */
  childLabel: string;
  reviewId: number;
  lastReviewOn: LocalDate;
  midwayOn: LocalDate;
  nextDueOn: LocalDate | null;
  swEmail: string;
  swName: string;
  /**
   * The child's earlier social workers (allocations ended): a decision the review gave one of
   * them passed with the child to the social worker now, who answers for it.
   */
  formerSwEmails: readonly string[];
  /**
   * Why the check no longer asks anything, or null while it does: a later review has been held
   * (its decisions are the ones to follow now), or the child has left care.
   */
  overtaken: 'laterReview' | 'leftCare' | null;
  iroEmail: string;
  iroName: string;
  decisions: MidwayDecision[];
  promptedAt: Date | null;
  /** When the IRO was told the social worker could not be reached in Teams; null if never. */
  unreachableToldAt: Date | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  /** The social worker's "anything the IRO should know?", or null. */
  iroNote: string | null;
  answers: MidwayAnswer[];
}

/**
 * Whether the social worker must say how a decision is going: theirs (or an earlier social
 * worker's, which passed to them with the child), or nobody's in particular. Someone else's (the
 * IRO's, a carer's, a school's) they answer only if they know.
 */
export function answeredBySocialWorker(
  check: Pick<MidwayCheck, 'swEmail' | 'formerSwEmails'>,
  decision: Pick<MidwayDecision, 'ownerEmail'>,
): boolean {
  const owner = decision.ownerEmail;
  return (
    owner === null ||
    sameEmail(owner, check.swEmail) ||
    check.formerSwEmails.some((former) => sameEmail(owner, former))
  );
}

/** The answers grouped as the IRO's summary reads them: what is done, delayed, on track, not started. */
export function answersByStatus(
  check: Pick<MidwayCheck, 'decisions' | 'answers'>,
): Record<DecisionStatus, { decision: MidwayDecision; note: string | null }[]> {
  const groups: Record<DecisionStatus, { decision: MidwayDecision; note: string | null }[]> = {
    done: [],
    on_track: [],
    delayed: [],
    not_started: [],
  };
  for (const answer of check.answers) {
    const decision = check.decisions.find((d) => d.decisionId === answer.decisionId);
    if (decision) groups[answer.status].push({ decision, note: answer.note });
  }
  return groups;
}

/** The kinds of job the midway check runs on, and the key of each check's job. */
export const MIDWAY_JOBS = {
  prompt: 'midway.prompt',
  reminder: 'midway.reminder',
  noAnswer: 'midway.noAnswer',
  summary: 'midway.summary',
  unreachable: 'midway.unreachable',
} as const;
export type MidwayJobKind = (typeof MIDWAY_JOBS)[keyof typeof MIDWAY_JOBS];

export function midwayJobKey(kind: MidwayJobKind, checkId: number): string {
  return `${kind}:${checkId}`;
}

/** The check a midway job is about, from its key; undefined for a key of another shape. */
export function checkIdOfJob(key: string): number | undefined {
  const match = /^midway\.[a-zA-Z]+:(\d{1,9})$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** Where a child's midway check stands, as a list of midway dates shows it. */
export interface MidwayCheckState {
  childId: string;
  midwayOn: LocalDate;
  /** When the card reached the social worker; null while it has not. */
  promptedAt: Date | null;
  /** When the IRO was told the card could not reach the social worker; null if never. */
  unreachableToldAt: Date | null;
  answeredAt: Date | null;
}

export interface MidwayStore {
  /**
   * Opens a check for each child whose midway date is from `since` to `today`, in a period of
   * care whose next review is still ahead, with an allocated IRO and social worker; queues its
   * prompt for `promptAt`. One check per review held, whichever instance asks first. Returns the
   * new checks' ids.
   */
  openDueChecks(today: LocalDate, since: LocalDate, promptAt: Date): Promise<number[]>;
  find(checkId: number): Promise<MidwayCheck | undefined>;
  /** The child's most recent check, if any. */
  latestForChild(childId: string): Promise<MidwayCheck | undefined>;
  /**
   * The IRO's checks whose "could not be sent" note is queued and not yet sent, the social
   * worker still not reached: told in one card, not one per child. A note another instance is
   * running now (`jobId` is this one's) is left to it, so no check is told twice.
   */
  unreachableNotesFor(iroEmail: string, jobId: string): Promise<MidwayCheck[]>;
  /** Every check of these children, oldest first, in one query (a list names many children). */
  statesFor(childIds: readonly string[]): Promise<MidwayCheckState[]>;
  /**
   * Stores the social worker's answers, audited, and queues the IRO's summary for `summaryAt`,
   * in one transaction; a check answered already (a second press, another device) is left as it
   * was.
   */
  recordAnswer(input: {
    checkId: number;
    answeredBy: string;
    at: Date;
    answers: readonly MidwayAnswer[];
    iroNote: string | null;
    summaryAt: Date;
    correlationId?: string;
    today: LocalDate;
  }): Promise<'recorded' | 'alreadyAnswered'>;
}
