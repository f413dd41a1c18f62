/**
 * Per-caller request limits, counted in the store so that every instance behind the load
 * balancer counts the same requests: a fixed one-minute window per caller, one atomic increment
 * per request. A limit of 0 turns that kind of limit off.
 */

/** What is limited, each counted apart: the tab's API (and the add-in's), the bot, the demo sign-in. */
export type RateLimitScope = 'tab' | 'bot' | 'demo';

/** The store's side: one shared counter per key and window. */
export interface RateLimitCounter {
  /** Counts one request for `key` in the window that starts at `windowStart`; returns the count, this one included. */
  hit(key: string, windowStart: Date): Promise<number>;
  /** Forgets every window that started before `before`. */
  prune(before: Date): Promise<void>;
}

export type RateLimitDecision =
  | { ok: true }
  | {
      ok: false;
      /** Seconds until the window ends and the caller may go on. */
      retryAfterSeconds: number;
      /**
       * True for the one request, across all instances, that went over the limit first in this
       * window: the bot tells the person once, not for every message that follows.
       */
      first: boolean;
    };

export interface RateLimits {
  /** Counts one request by `caller` (an id, never a name) and says whether it may go on. */
  check(scope: RateLimitScope, caller: string): Promise<RateLimitDecision>;
}

export const RATE_LIMIT_WINDOW_MS = 60_000;

export function createRateLimits(
  counter: RateLimitCounter,
  clock: { now(): Date },
  perMinute: Readonly<Record<RateLimitScope, number>>,
): RateLimits {
  let prunedBefore = 0;
  return {
    async check(scope, caller) {
      const limit = perMinute[scope];
      if (limit <= 0) return { ok: true };
      const now = clock.now().getTime();
      const windowStart =
        now - (((now % RATE_LIMIT_WINDOW_MS) + RATE_LIMIT_WINDOW_MS) % RATE_LIMIT_WINDOW_MS);
      // Each instance clears windows older than the last one once a window: the table holds
      // about two rows per active caller. The previous window is kept for instances whose
      // clocks run a little behind.
      const stale = windowStart - RATE_LIMIT_WINDOW_MS;
      if (stale > prunedBefore) {
        prunedBefore = stale;
        await counter.prune(new Date(stale));
      }
      const count = await counter.hit(`${scope}:${caller}`, new Date(windowStart));
      if (count <= limit) return { ok: true };
      return {
        ok: false,
        retryAfterSeconds: Math.max(
          1,
          Math.ceil((windowStart + RATE_LIMIT_WINDOW_MS - now) / 1000),
        ),
        first: count === limit + 1,
      };
    },
  };
}
