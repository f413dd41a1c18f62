import express, { type Express } from 'express';
import { sql } from 'kysely';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { AppError, ValidationError } from '../app/errors.js';
import type { Bot } from '../bot/create-bot.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import type { CalendarGateway } from '../app/scheduling/calendar-gateway.js';
import { addinRoutes, type AddinRouteDeps } from './addin-routes.js';
import { cliRoute } from './cli-route.js';
import { errorMiddleware, notFound } from './error-middleware.js';
import { jsonObjectBody } from './json-body.js';
import { tabRoutes, type TabRouteDeps } from './tab-routes.js';

export interface HttpDeps {
  services: Services;
  bot: Bot;
  logger: Logger;
  /** The token the command line must present to /internal/cli (embedded store only). */
  cliToken: () => string | undefined;
  /** The tab's sign-in, time zone and files. */
  tab: Pick<TabRouteDeps, 'auth' | 'timeZone' | 'files' | 'appIdUri'>;
  /** The Outlook add-in's files, and the calendars it links meetings in. */
  addin: Pick<AddinRouteDeps, 'files'> & { calendarGateway: CalendarGateway };
  /** Reverse proxies in front of the server (TRUST_PROXY_HOPS): 0 ignores X-Forwarded-For. */
  trustProxyHops?: number;
}

/**
 * The most an activity may weigh. Teams caps a message at about 100 KB (counted in UTF-16, so
 * no more than that in UTF-8) and a card's Action.Execute data at what the card holds; the
 * envelope (ids, channel data, entities) adds a few KB. 256 KB leaves more than twice that.
 */
export const ACTIVITY_BODY_LIMIT = '256kb';

class NotAuthenticatedError extends AppError {
  readonly status = 401;
}

/**
 * The least an activity needs before botbuilder may run it: what it is, where the answer goes
 * and in which conversation. Other fields pass through to botbuilder as they came.
 */
const activitySchema = z.looseObject({
  type: z.string().min(1).max(100),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.looseObject({ id: z.string().min(1) }),
});

/** botbuilder's own request path turns these timestamps into dates; we keep doing so. */
function withDates(activity: Record<string, unknown>): Activity {
  const fixed: Record<string, unknown> = { ...activity };
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = fixed[field];
    if (typeof value === 'string') {
      fixed[raw] = value;
      fixed[field] = new Date(value);
    }
  }
  return fixed as unknown as Activity;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxyHops ?? 0);
  // Every answer, an error's included: nothing is cached by a browser or proxy (the tab's and
  // the pane's built files say otherwise for themselves), nothing is sniffed as another type,
  // and no page sends its address on to another site.
  app.use((_req, res, next) => {
    res.set({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    next();
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await sql`select 1`.execute(deps.services.store.db);
      res.json({ status: 'ok', store: deps.services.store.kind });
    } catch (error) {
      deps.logger.error({ err: error }, 'health check: store unreachable');
      res.status(503).json({ status: 'unavailable', store: deps.services.store.kind });
    }
  });

  app.post('/api/messages', ...jsonObjectBody(ACTIVITY_BODY_LIMIT), async (req, res, next) => {
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) {
      next(new ValidationError('This is not a Bot Framework activity the bot can answer.'));
      return;
    }
    let answer;
    try {
      answer = await deps.bot.adapter.handle(
        req.headers.authorization ?? '',
        withDates(parsed.data),
        (context) => deps.bot.bot.run(context),
      );
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      next(
        status === 401 || status === 403
          ? new NotAuthenticatedError('The request does not carry a valid Bot Framework token.')
          : error,
      );
      return;
    }
    res.status(answer?.status ?? 200);
    if (answer?.body !== undefined) res.send(answer.body);
    else res.end();
  });

  const dashboard = {
    cases: deps.services.cases,
    calendar: deps.services.calendar,
    clock: deps.services.clock,
    reminders: deps.services.reminders,
    recordWorkingDays: deps.services.recordWorkingDays,
    midway: deps.services.midway,
  };
  // Before the tab's routes, which answer 404 for any other /api/tab path.
  app.use(
    addinRoutes({
      auth: deps.tab.auth,
      timeZone: deps.tab.timeZone,
      files: deps.addin.files,
      dashboard,
      link: { ...deps.services, calendarGateway: deps.addin.calendarGateway },
      logger: deps.logger,
      rateLimits: deps.services.rateLimits,
    }),
  );
  app.use(
    tabRoutes({
      ...deps.tab,
      dashboard,
      logger: deps.logger,
      rateLimits: deps.services.rateLimits,
      scheduling: deps.bot.scheduling,
      childPage: {
        ...deps.services,
        timeZone: deps.services.scheduling.timeZone,
      },
    }),
  );
  app.use(cliRoute(deps.services, deps.cliToken, deps.logger));
  app.use(notFound());
  app.use(errorMiddleware(deps.logger));
  return app;
}
