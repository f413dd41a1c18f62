import { ConfigError, loadConfig } from './config.js';
import { startServer, StoreInUseError, type RunningServer } from './server.js';
import { createLogger } from './shared/logger.js';

/** How long a graceful stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);

  // Ctrl-C (SIGINT) or SIGTERM: close the HTTP server and its open connections, stop the jobs
  // and the Graph simulator, close the store, free the port, exit 0. A second signal, or a stop
  // that hangs, ends the process at once. A signal during start-up stops it once it has started.
  let server: RunningServer | undefined;
  let stopping: string | undefined;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = signal;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error({ ms: STOP_TIMEOUT_MS }, 'stopping took too long: exiting');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    if (server) close(server);
  };
  const close = (running: RunningServer) => {
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    server = await startServer(config, logger);
    if (stopping) close(server);
  } catch (error) {
    if (error instanceof StoreInUseError) {
      logger.error(error.message);
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}

await main();
