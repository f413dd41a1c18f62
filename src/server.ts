import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { AppError } from './app/errors.js';
import { createBot } from './bot/create-bot.js';
import { connectGraph, type GraphConnection } from './graph/connect-graph.js';
import {
  startRecordingReminderJob,
  type RecordingReminderJob,
} from './jobs/recording-reminder-job.js';
import { seedDemoDataIfEmpty } from './demo/seed-demo-data.js';
import { createHttpApp } from './http/create-http-app.js';
import { tabAuthenticatorOf } from './http/tab-auth.js';
import { createClock, createServices, type Clock, type Services } from './services.js';
import { calendarSyncJobHandlers, calendarSyncPlanner } from './jobs/calendar-sync-job.js';
import { startJobRunner, type JobRunner } from './jobs/job-runner.js';
import { midwayJobHandlers, midwayPlanner } from './jobs/midway-jobs.js';
import { alertJobHandlers } from './jobs/alert-jobs.js';
import { staffObjectIdOf } from './jobs/deliver.js';
import { reminderJobHandlers, reminderPlanner } from './jobs/reminder-jobs.js';
import { isWorkingTime } from './domain/working-time.js';
import { todayIn } from './domain/local-date.js';
import type { Logger } from './shared/logger.js';
import { acquireDataDirLock, type DataDirLock } from './store/data-dir-lock.js';
import { openStore, type LostConnection } from './store/open-store.js';
import { createPgReminderOutcomes } from './store/reminder-outcome-repository.js';

export interface RunningServer {
  jobs: { recordingReminder: RecordingReminderJob; runner: JobRunner };
  url: string;
  port: number;
  services: Services;
  /** Where Microsoft Graph calls go (the built-in simulator when none is configured). */
  graphUrl: string;
  close(): Promise<void>;
}

export class StoreInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreInUseError';
  }
}

/** What the log says when PostgreSQL ends one of the store's connections (no query, no data). */
const CONNECTION_LOST: Record<LostConnection, string> = {
  idle: 'PostgreSQL ended an idle connection; the next query opens another',
  'in use':
    'PostgreSQL ended a connection in use: its request failed; the next query opens another',
  changes:
    'The connection that listens for changes was lost; the staff list and chats are read afresh until it is back',
};

/**
 * Without BOT_ID, /api/messages takes activities without a token and answers whatever serviceUrl
 * they name: only this machine may reach it then (Agents Playground, a dev tunnel). With BOT_ID
 * every activity must carry a Bot Framework token, and the Bot Connector must reach the server.
 */
export function listenAddress(config: Pick<Config, 'BOT_ID'>): string {
  return config.BOT_ID ? '0.0.0.0' : '127.0.0.1';
}

/**
 * Composition root: config -> store -> services -> HTTP. On the embedded store the server holds
 * DATA_DIR's lock for as long as it runs, and tells the command line its port.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: { clock?: Clock } = {},
): Promise<RunningServer> {
  let lock: DataDirLock | null = null;
  if (!config.DATABASE_URL) {
    const result = await acquireDataDirLock(config.DATA_DIR, {
      holder: 'server',
      command: 'start',
    });
    if (!result.ok) {
      const who =
        result.heldBy.holder === 'server'
          ? 'another IRO Assistant server'
          : `"iro-assistant ${result.heldBy.command}"`;
      throw new StoreInUseError(
        `The embedded store in ${config.DATA_DIR} is in use by ${who} (pid ${result.heldBy.pid}). ` +
          'Stop it first, use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server.',
      );
    }
    lock = result.lock;
  }
  let server: Server | undefined;
  let graph: GraphConnection | undefined;
  let jobs: { recordingReminder: RecordingReminderJob; runner: JobRunner } | undefined;
  try {
    const store = await openStore(
      config.DATABASE_URL
        ? {
            kind: 'postgres',
            databaseUrl: config.DATABASE_URL,
            migrationUrl: config.DATABASE_MIGRATION_URL,
            onConnectionLost: (error, connection) =>
              logger.warn({ code: error.code }, CONNECTION_LOST[connection]),
          }
        : { kind: 'pglite', dataDir: config.DATA_DIR },
    );
    logger.info({ store: store.kind, location: store.location }, 'store open and migrated');
    const services = createServices(config, store, options.clock ?? clockOf(config));
    const state = await services.ensureReviewState();
    if (state.rebuilt && state.children > 0) {
      logger.info({ children: state.children }, 'recomputed due dates under the current rules');
    }
    if (
      config.DEMO_DATA &&
      (await seedDemoDataIfEmpty(services, { recordedDays: config.DEMO_RECORDED_DAYS }))
    ) {
      logger.info('empty store: seeded the synthetic demo council');
    }
    graph = await connectGraph(config, services, logger);
    const bot = createBot(config, services, graph, logger);
    const tabAuth = tabAuthenticatorOf(config, () => services.clock.now());
    if (!tabAuth) {
      logger.warn(
        "the tab cannot check sign-ins: set SSO_CLIENT_ID (or BOT_ID) and SSO_TENANT_ID (the council's tenant)",
      );
    } else if (tabAuth.mode === 'demo') {
      logger.info('no Entra app configured: the tab offers the demo sign-in');
    }
    const app = createHttpApp({
      services,
      bot,
      logger,
      cliToken: () => lock?.info.token,
      trustProxyHops: config.TRUST_PROXY_HOPS,
      tab: {
        auth: tabAuth,
        timeZone: config.TIME_ZONE,
        appIdUri: config.SSO_APP_ID_URI,
        files: async () => (await import('./tab/build-tab.js')).buildTab(),
      },
      addin: {
        calendarGateway: graph.calendarGateway,
        files: async () => (await import('./addin/build-addin.js')).buildAddin(),
      },
    });
    const recordingReminder = startRecordingReminderJob({
      reviewRecords: services.reviewRecords,
      outcomes: createPgReminderOutcomes(store.db),
      clock: services.clock,
      logger,
      minutes: config.RECORDING_REMINDER_MINUTES,
      remind: async (review) => {
        const aad = await staffObjectIdOf(services.cases, review.chairEmail);
        if (!aad) return 'notReached';
        const delivery = await bot.bot.sendRecordingForm(aad, review.reviewId);
        return delivery === 'sent' || delivery === 'blocked' ? delivery : 'notReached';
      },
    });
    const gateway = graph.meetingGateway;
    const teamsAppId = config.TEAMS_APP_ID;
    const midwayDeps = {
      midway: services.midway,
      cases: services.cases,
      messenger: bot.bot,
      workingTime: services.workingTime,
      installFor: teamsAppId
        ? async (userObjectId: string) => {
            try {
              const catalogAppId = await gateway.catalogAppId(teamsAppId);
              if (!catalogAppId) return false;
              await gateway.installForUser(userObjectId, catalogAppId);
              return true;
            } catch (error) {
              if (!(error instanceof AppError)) throw error;
              logger.warn({ error: error.name }, 'could not add the app for a colleague');
              return false;
            }
          }
        : undefined,
    };
    const reminderDeps = {
      ...midwayDeps,
      reminders: services.reminders,
      clock: services.clock,
      recordWorkingDays: services.recordWorkingDays,
    };
    const runner = startJobRunner({
      queue: services.jobs,
      handlers: {
        ...(config.MIDWAY_CHECKS ? midwayJobHandlers(midwayDeps) : {}),
        ...alertJobHandlers({ ...midwayDeps, alerts: services.alerts }),
        ...reminderJobHandlers(reminderDeps),
        ...calendarSyncJobHandlers(
          {
            scheduledReviews: services.scheduledReviews,
            calendarGateway: graph.calendarGateway,
            clock: services.clock,
            logger,
          },
          config.CALENDAR_SYNC_MINUTES || 60,
        ),
      },
      planners: [
        ...(config.MIDWAY_CHECKS ? [midwayPlanner(midwayDeps)] : []),
        reminderPlanner(reminderDeps),
        ...(config.CALENDAR_SYNC_MINUTES > 0
          ? [calendarSyncPlanner({ jobs: services.jobs }, config.CALENDAR_SYNC_MINUTES)]
          : []),
      ],
      mayRun: (now) => isWorkingTime(now, services.workingTime),
      clock: services.clock,
      logger,
      leaseMs: config.JOB_LEASE_SECONDS * 1000,
      intervalMs: config.JOBS_INTERVAL_SECONDS * 1000,
    });
    jobs = { recordingReminder, runner };
    const host = listenAddress(config);
    const listening = app.listen(config.PORT, host);
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
    const port = (listening.address() as AddressInfo).port;
    await lock?.announceServer(port);
    logger.info({ host, port }, 'IRO Assistant is listening');
    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      services,
      graphUrl: graph.baseUrl,
      jobs,
      close: () => {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            listening.close(() => resolve());
            listening.closeAllConnections();
          });
          await jobs?.recordingReminder.stop();
          await jobs?.runner.stop();
          await graph?.close();
          await store.close();
          await lock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    server?.close();
    await jobs?.recordingReminder.stop();
    await jobs?.runner.stop();
    await graph?.close();
    await lock?.release();
    throw error;
  }
}

/**
 * The real clock; with CLOCK_START (demos and tests), one that reads CLOCK_START when the process
 * started and runs on from there.
 */
function clockOf(config: Config): Clock {
  if (!config.CLOCK_START) return createClock(config.TIME_ZONE);
  // Anchored to the process's start, so that instances started together agree to the millisecond.
  const offset = new Date(config.CLOCK_START).getTime() - performance.timeOrigin;
  const now = () => new Date(Date.now() + offset);
  return { now, today: () => todayIn(config.TIME_ZONE, now()) };
}
