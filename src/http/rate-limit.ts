import type { Request, RequestHandler } from 'express';
import { AppError } from '../app/errors.js';
import type { RateLimits, RateLimitScope } from '../app/rate-limits.js';

/**
 * 429: the caller went over their limit; the error middleware adds `Retry-After`, and logs only
 * the `first` refusal of the window (a flood of requests is not a flood of log lines).
 */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  constructor(
    readonly retryAfterSeconds: number,
    readonly first = true,
  ) {
    super(
      `Too many requests: wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}, then try again.`,
    );
  }
}

/** Counts one request by `caller` (an Entra object id) and throws when it is over the limit. */
export async function limitCaller(
  rateLimits: RateLimits | undefined,
  scope: RateLimitScope,
  caller: string,
): Promise<void> {
  if (!rateLimits) return;
  const decision = await rateLimits.check(scope, caller);
  if (!decision.ok) throw new TooManyRequestsError(decision.retryAfterSeconds, decision.first);
}

/**
 * The client's address: the connection's own, or with `trust proxy` set to the number of proxies
 * in front (TRUST_PROXY_HOPS), the one the nearest of them put in X-Forwarded-For. Azure App
 * Service's front end writes `address:port`, so a port is taken off.
 */
export function clientAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  return /^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(address) ? address.replace(/:\d+$/, '') : address;
}

/** Limits a route that works before anyone has signed in, per client address. */
export function perClientAddress(
  rateLimits: RateLimits | undefined,
  scope: RateLimitScope,
): RequestHandler {
  return (req, _res, next) => {
    limitCaller(rateLimits, scope, clientAddress(req)).then(() => next(), next);
  };
}
