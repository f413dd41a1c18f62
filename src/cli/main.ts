import { ConfigError, loadConfig, type Config } from '../config.js';
import { createServices } from '../services.js';
import { describeSafely } from '../shared/logger.js';
import { acquireDataDirLock, readLock, type LockInfo } from '../store/data-dir-lock.js';
import { openStore, type StoreOptions } from '../store/open-store.js';
import { EXIT, UsageError, type CliIo } from './cli-io.js';
import { parseCommandLine, runCli, USAGE } from './run-cli.js';

/**
 * `iro-assistant`: the council data team's command line. On a PostgreSQL server (DATABASE_URL)
 * it connects like any client. On the embedded store it never opens files that a running server
 * holds: it sends the command through that server, or, when none runs, holds DATA_DIR's lock
 * itself while it works.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const io = terminalIo();
  let config: Config;
  try {
    parseCommandLine(argv);
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`iro-assistant: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr(`iro-assistant: ${error.problems.join('; ')}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (parseCommandLine(argv).command === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (config.DATABASE_URL) {
    return withStore(
      config,
      {
        kind: 'postgres',
        databaseUrl: config.DATABASE_URL,
        migrationUrl: config.DATABASE_MIGRATION_URL,
        maxConnections: 4,
      },
      argv,
      io,
    );
  }
  const holder = await readLock(config.DATA_DIR);
  if (holder) return throughHolder(holder, config, argv, io);
  const acquired = await acquireDataDirLock(config.DATA_DIR, {
    holder: 'cli',
    command: argv[0] ?? '',
  });
  if (!acquired.ok) return throughHolder(acquired.heldBy, config, argv, io);
  try {
    return await withStore(config, { kind: 'pglite', dataDir: config.DATA_DIR }, argv, io);
  } finally {
    await acquired.lock.release();
  }
}

async function withStore(
  config: Config,
  options: StoreOptions,
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  let store;
  try {
    store = await openStore(options);
  } catch (error) {
    io.stderr(`iro-assistant: cannot open the store (${describe(error)})\n`);
    return EXIT.unavailable;
  }
  try {
    const services = createServices(config, store);
    await services.ensureReviewState();
    return await runCli(argv, io, services);
  } catch (error) {
    // Never the error itself: a database error's text and fields can hold a child's details.
    io.stderr(`iro-assistant: ${argv[0] ?? ''} failed (${describeSafely(error)})\n`);
    return EXIT.unavailable;
  } finally {
    io.progress('');
    await store.close();
  }
}

async function throughHolder(
  holder: LockInfo,
  config: Config,
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  if (holder.holder !== 'server') {
    io.stderr(
      `iro-assistant: another "iro-assistant ${holder.command}" (pid ${holder.pid}) is using the embedded store in ${config.DATA_DIR}; wait for it to finish and run this again\n`,
    );
    return EXIT.unavailable;
  }
  if (!holder.port || !holder.token) {
    io.stderr(
      `iro-assistant: the server (pid ${holder.pid}) is still starting; run this again in a few seconds\n`,
    );
    return EXIT.unavailable;
  }
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${holder.port}/internal/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${holder.token}` },
      body: JSON.stringify({ argv, cwd: io.cwd }),
    });
  } catch (error) {
    io.stderr(
      `iro-assistant: the server (pid ${holder.pid}) holds the embedded store but does not answer on port ${holder.port} (${describe(error)})\n`,
    );
    return EXIT.unavailable;
  }
  if (!response.ok || !response.body) {
    io.stderr(
      `iro-assistant: the server (pid ${holder.pid}) refused the command (HTTP ${response.status})\n`,
    );
    return EXIT.unavailable;
  }
  io.stderr(
    `iro-assistant: running through the IRO Assistant server (pid ${holder.pid}), which holds ${config.DATA_DIR}\n`,
  );
  let exit: number = EXIT.unavailable;
  let buffered = '';
  const decoder = new TextDecoder();
  const handle = (line: string) => {
    if (!line) return;
    const message = JSON.parse(line) as {
      stdout?: string;
      stderr?: string;
      progress?: string;
      exit?: number;
    };
    if (message.stdout !== undefined) io.stdout(message.stdout);
    if (message.stderr !== undefined) io.stderr(message.stderr);
    if (message.progress !== undefined) io.progress(message.progress);
    if (message.exit !== undefined) exit = message.exit;
  };
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(handle);
  }
  handle(buffered);
  io.progress('');
  return exit;
}

function describe(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string }; message?: string };
  return e.code ?? e.cause?.code ?? e.message?.split('\n')[0] ?? 'unknown error';
}

function terminalIo(): CliIo {
  const tty = Boolean(process.stderr.isTTY);
  let shown = false;
  const clearProgress = () => {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    cwd: process.cwd(),
    stdout: (text) => {
      clearProgress();
      process.stdout.write(text);
    },
    stderr: (text) => {
      clearProgress();
      process.stderr.write(text);
    },
    progress: (text) => {
      if (!tty) return;
      process.stderr.write(`\r\x1b[K${text}`);
      shown = text !== '';
    },
  };
}

process.exitCode = await main(process.argv.slice(2));
