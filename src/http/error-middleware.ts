import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../app/errors.js';
import type { Logger } from '../shared/logger.js';
import { TooManyRequestsError } from './rate-limit.js';

/** What body-parser's own errors (`type`) mean, in our words. */
const BODY_ERRORS: Record<string, { status: number; message: string }> = {
  'entity.too.large': { status: 413, message: 'The request body is too large.' },
  'entity.parse.failed': { status: 400, message: 'The request body is not valid JSON.' },
  'entity.verify.failed': { status: 400, message: 'The request body could not be read.' },
  'encoding.unsupported': { status: 415, message: 'The request body could not be read.' },
  'charset.unsupported': { status: 415, message: 'The request body could not be read.' },
  'request.aborted': { status: 400, message: 'The request body could not be read.' },
  'request.size.invalid': { status: 400, message: 'The request body could not be read.' },
  'stream.encoding.set': { status: 500, message: 'Something went wrong on our side.' },
  'stream.not.readable': { status: 500, message: 'Something went wrong on our side.' },
};

/**
 * The one place HTTP turns errors into answers: a plain sentence and a correlation id, as JSON.
 * Nothing goes on to express's default handler, which would print the error (and whatever
 * values its message holds) to stderr: an error after the answer has started is logged here,
 * through the logger's safe error serializer, and the answer is ended.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  // Express knows an error handler by its four parameters, though this one never calls next.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (error: unknown, req, res, _next) => {
    const correlationId = randomUUID();
    if (res.headersSent) {
      logger.error(
        { correlationId, route: routeOf(req), err: error },
        'request failed after its answer had started',
      );
      if (!res.writableEnded) res.end();
      return;
    }
    if (error instanceof AppError) {
      const again = error instanceof TooManyRequestsError && !error.first;
      logger[again ? 'debug' : 'warn'](
        { correlationId, route: routeOf(req), error: error.name },
        'request refused',
      );
      if (error instanceof TooManyRequestsError) {
        res.set('Retry-After', String(error.retryAfterSeconds));
      }
      res.status(error.status).json({ error: error.message, correlationId });
      return;
    }
    const e = error as { type?: unknown; status?: unknown; limit?: unknown };
    const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
    const status =
      known?.status ??
      (typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? 400 : 500);
    if (status < 500) {
      logger.warn({ correlationId, route: routeOf(req), status, err: error }, 'request refused');
    } else {
      logger.error({ correlationId, route: routeOf(req), err: error }, 'request failed');
    }
    res.status(status).json({
      error:
        (status === 413 ? tooLarge(e) : known?.message) ??
        (status < 500 ? 'The request could not be read.' : 'Something went wrong on our side.'),
      correlationId,
    });
  };
}

/**
 * Where a request went, for the log: the route it matched ("/api/tab/children/:childId"), never
 * the address as sent, which holds whatever someone typed into it. A request no route took is
 * logged by its first segment only.
 */
export function routeOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route?.path;
  const pattern = Array.isArray(route) ? route[0] : route;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  const first = /^\/[A-Za-z0-9_-]{1,40}/.exec(req.baseUrl + req.path)?.[0] ?? '';
  return `${first}/…`;
}

/** body-parser says how many bytes the route takes: tell the caller, in kilobytes. */
function tooLarge(error: { limit?: unknown }): string {
  const limit =
    typeof error.limit === 'number' ? ` (at most ${Math.floor(error.limit / 1024)} KB here)` : '';
  return `The request body is too large${limit}.`;
}

/** Unknown paths get JSON too, not express's HTML page. */
export function notFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: 'There is nothing here.', correlationId: randomUUID() });
  };
}
