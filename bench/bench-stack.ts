/**
 * The real server (src/server.ts startServer: store, services, bot, express app, HTTP) on an
 * empty store, with a recording Bot Connector at the activities' serviceUrl and a Graph simulator
 * at GRAPH_BASE_URL, as the e2e tests run it. Bench-only: a message whose text starts with
 * "echo " is answered by a minimal echo bot on the same app, adapter and connector, so an echo
 * turn and a query turn can be timed side by side.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { IroBot } from '../src/bot/iro-bot.js';
import { loadConfig } from '../src/config.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../src/dev/graph-simulator/graph-simulator.js';
import { startServer, type RunningServer } from '../src/server.js';
import { createLogger } from '../src/shared/logger.js';
import { RecordingConnector } from '../test/support/recording-connector.js';
import { ECHO_PREFIX } from './turn-messages.js';

let echoInstalled = false;

/** The echo bot: the same adapter hands it the turn; it sends the text back and does nothing else. */
function installEchoBot(): void {
  if (echoInstalled) return;
  echoInstalled = true;
  const run = IroBot.prototype.run;
  IroBot.prototype.run = async function (this: IroBot, context: TurnContext): Promise<void> {
    const text = context.activity.type === 'message' ? (context.activity.text ?? '') : '';
    if (text.startsWith(ECHO_PREFIX)) {
      await context.sendActivity(text.slice(ECHO_PREFIX.length));
      return;
    }
    return run.call(this, context);
  };
}

export interface BenchStack {
  server: RunningServer;
  connector: RecordingConnector;
  graph: GraphSimulator;
  stop(): Promise<void>;
}

export async function startBenchStack(databaseUrl?: string): Promise<BenchStack> {
  installEchoBot();
  const connector = new RecordingConnector();
  await connector.start();
  const graph = await startGraphSimulator();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'iro-bench-'));
  const server = await startServer(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      DEMO_DATA: 'false',
      GRAPH_BASE_URL: graph.url,
      JOBS_INTERVAL_SECONDS: '3600',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
    createLogger(process.env['BENCH_LOG_LEVEL'] ?? 'silent'),
  );
  return {
    server,
    connector,
    graph,
    async stop() {
      if (databaseUrl) {
        const db = server.services.store.db;
        await db.schema.dropSchema('public').cascade().execute();
        await db.schema.createSchema('public').execute();
      }
      await server.close();
      await graph.close();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
