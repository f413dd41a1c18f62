import express, { type Express } from 'express';
import { sql } from 'kysely';
import type { Bot } from '../bot/create-bot.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import { cliRoute } from './cli-route.js';
import { errorMiddleware } from './error-middleware.js';

export interface HttpDeps {
  services: Services;
  bot: Bot;
  logger: Logger;
  /** The token the command line must present to /internal/cli (embedded store only). */
  cliToken: () => string | undefined;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', async (_req, res) => {
    try {
      await sql`select 1`.execute(deps.services.store.db);
      res.json({ status: 'ok', store: deps.services.store.kind });
    } catch (error) {
      deps.logger.error({ err: error }, 'health check: store unreachable');
      res.status(503).json({ status: 'unavailable', store: deps.services.store.kind });
    }
  });

  app.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await deps.bot.adapter.process(req, res, (context) => deps.bot.bot.run(context));
  });

  app.use(cliRoute(deps.services, deps.cliToken));
  app.use(errorMiddleware(deps.logger));
  return app;
}
