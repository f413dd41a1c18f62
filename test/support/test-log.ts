import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from '../../src/shared/logger.js';

/**
 * The folder where a test run keeps every server log, for the check after the run
 * (test/support/log-check-setup.ts sets it; unset, nothing is kept).
 */
export const TEST_LOG_DIR = 'TEST_LOG_DIR';

/** What each kind of file in the folder holds. */
export const LOG_FILE_PREFIX = 'log-';
export const WATCHED_FILE_PREFIX = 'watched-';

/** A value that must not be in any log, and what it is (never the value itself in a report). */
export interface Watched {
  kind: 'name' | 'date of birth' | 'free text' | 'demo council of';
  value: string;
}

const DEBUG = 20;
const LEVELS: Record<string, number> = {
  trace: 10,
  debug: DEBUG,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

export function testLogDir(): string | undefined {
  return process.env[TEST_LOG_DIR] || undefined;
}

const fds = new Map<string, number>();

/** Appends to a file of the run's log folder (opened once per process, written synchronously). */
function append(name: string, text: string): void {
  const dir = testLogDir();
  if (!dir) return;
  let fd = fds.get(name);
  if (fd === undefined) {
    mkdirSync(dir, { recursive: true });
    fd = openSync(path.join(dir, name), 'a');
    fds.set(name, fd);
  }
  writeSync(fd, text);
}

process.once('exit', () => {
  for (const fd of fds.values()) closeSync(fd);
});

/**
 * The logger of a server a test starts in its own process: to the terminal at TEST_LOG_LEVEL
 * (silent by default), as before, and at debug level (or lower, if asked) to this process's file
 * in the run's log folder, which the check after the run reads for personal data.
 */
export function testLogger(level = process.env['TEST_LOG_LEVEL'] ?? 'silent'): Logger {
  if (!testLogDir()) return createLogger(level);
  const shown = LEVELS[level] ?? DEBUG;
  const file = `${LOG_FILE_PREFIX}${process.pid}.jsonl`;
  const tee: DestinationStream = {
    write(line: string) {
      append(file, line);
      const at = /"level":(\d+)/.exec(line);
      if (at && Number(at[1]) >= shown) process.stdout.write(line);
    },
  };
  return createLogger(shown < DEBUG ? level : 'debug', tee);
}

/** Keeps what a server process wrote (stdout and stderr), for the check after the run. */
export function keepSpawnedOutput(name: string, text: string): void {
  append(`${LOG_FILE_PREFIX}spawned-${process.pid}-${name}.log`, text);
}

/** Values the check after the run must not find in any log. */
export function watchFor(values: Watched[]): void {
  const lines = values
    .filter((w) => w.value.trim() !== '')
    .map((w) => `${JSON.stringify(w)}\n`)
    .join('');
  if (lines) append(`${WATCHED_FILE_PREFIX}${process.pid}.jsonl`, lines);
}
