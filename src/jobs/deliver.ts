import type { ClaimedJob } from '../app/jobs.js';
import type { CaseReader } from '../app/ports.js';
import type { AdaptiveCardJson } from '../cards/card-templates.js';
import { nextWorkingInstant, type WorkingTime } from '../domain/working-time.js';
import type { JobOutcome } from './job-runner.js';
import type { Messenger } from './messenger.js';

export interface DeliveryDeps {
  cases: CaseReader;
  messenger: Messenger;
  workingTime: WorkingTime;
  /**
   * Adds the app for someone the bot has no 1:1 chat with (through Graph), when the app's catalog
   * entry is known; true when Graph took it. Teams then tells the bot of the new chat.
   */
  installFor?: (userObjectId: string) => Promise<boolean>;
}

/** A colleague's Entra object id from the staff list, by e-mail; null when not known. */
export async function staffObjectIdOf(cases: CaseReader, email: string): Promise<string | null> {
  return (await cases.listStaff()).find((s) => s.email === email)?.aadObjectId ?? null;
}

/** After adding the app for someone, the message is tried again this much later. */
const AFTER_INSTALL_MS = 2 * 60_000;
/** A person not yet reachable in Teams is tried again each working hour, for about two weeks. */
export const UNREACHABLE_ATTEMPTS = 80;

export type Deliver = (
  job: ClaimedJob,
  now: Date,
  email: string,
  card: AdaptiveCardJson,
  text: string,
  sent: JobOutcome['effects'],
  onUnreachable?: JobOutcome['effects'],
  keepTryingUntil?: Date | null,
) => Promise<JobOutcome>;

/**
 * Sends a job's card to a colleague's 1:1 chat. For someone the bot has no chat with, the app is
 * first added through Graph; someone it still cannot reach (the app not added, no Entra id in
 * Staff.csv) is tried again each working hour, and `onUnreachable` runs (queueing a note to the
 * IRO under a key of its own, so once however often it runs). Someone who blocked the bot is not
 * tried again. A message that still matters until `keepTryingUntil` is not given up before then:
 * after about two weeks of hourly tries (or at once, for someone who blocked the bot) it is tried
 * once each working day, and at once when the person next talks to the bot (their chat stored
 * or unblocked wakes the jobs waiting for them).
 */
export function createDeliverer(deps: DeliveryDeps): Deliver {
  const { workingTime } = deps;
  const objectIdOf = (email: string) => staffObjectIdOf(deps.cases, email);
  const later = (now: Date) => nextWorkingInstant(new Date(now.getTime() + 3_600_000), workingTime);
  const tomorrow = (now: Date) =>
    nextWorkingInstant(new Date(now.getTime() + 24 * 3_600_000), workingTime);
  return async (job, now, email, card, text, sent, onUnreachable, keepTryingUntil) => {
    const aad = await objectIdOf(email);
    const delivery = aad ? await deps.messenger.sendCard(aad, card, text) : 'noChat';
    if (delivery === 'sent') return { result: { state: 'done', outcome: 'sent' }, effects: sent };
    if (aad && delivery !== 'blocked' && job.attempts === 1 && (await deps.installFor?.(aad))) {
      return {
        result: {
          state: 'retry',
          runAfter: nextWorkingInstant(new Date(now.getTime() + AFTER_INSTALL_MS), workingTime),
          error: 'installing',
          waitingFor: aad,
        },
      };
    }
    const error = aad ? delivery : 'noObjectId';
    // Tried again at once when this colleague's 1:1 chat is stored (not when someone blocked it).
    const waiting = aad ? { waitingFor: aad } : {};
    const givingUp = delivery === 'blocked' || job.attempts >= UNREACHABLE_ATTEMPTS;
    if (givingUp && keepTryingUntil) {
      const nextDay = tomorrow(now);
      if (nextDay < keepTryingUntil) {
        return {
          result: { state: 'retry', runAfter: nextDay, error, ...waiting },
          effects: onUnreachable,
        };
      }
    }
    if (givingUp) {
      return {
        result: { state: 'dropped', outcome: delivery === 'blocked' ? 'blocked' : 'unreachable' },
        effects: onUnreachable,
      };
    }
    return {
      result: { state: 'retry', runAfter: later(now), error, ...waiting },
      effects: onUnreachable,
    };
  };
}
