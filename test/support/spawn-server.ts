import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { todayIn } from '../../src/domain/local-date.js';
import { keepSpawnedOutput, watchFor } from './test-log.js';
import { childEnv as cleanChildEnv } from './child-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts `node --import tsx src/main.ts` (what `npm start` runs) as its own process, and waits
 * until it logs that it is listening. `entry` may point at a built `dist/main.js` instead.
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { entry?: string; timeoutMs?: number } = {},
): Promise<SpawnedServer> {
  const args = options.entry ? [options.entry] : ['--import', 'tsx', 'src/main.ts'];
  const childEnv: Record<string, string> & { TIME_ZONE: string } = {
    ...cleanChildEnv(),
    TIME_ZONE: 'Europe/London',
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...env,
  };
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // For the check after the run: what it logged, and the demo council it may seed.
  if (childEnv['DEMO_DATA'] !== 'false') {
    const start = childEnv['CLOCK_START'] ? new Date(childEnv['CLOCK_START']) : new Date();
    watchFor([{ kind: 'demo council of', value: todayIn(childEnv.TIME_ZONE, start) }]);
  }
  let output = '';
  const keep = (stream: 'stdout' | 'stderr') => (text: string) => {
    output += text;
    keepSpawnedOutput(`${child.pid ?? 'unknown'}-${stream}`, text);
  };
  child.stdout?.setEncoding('utf8').on('data', keep('stdout'));
  child.stderr?.setEncoding('utf8').on('data', keep('stderr'));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in time:\n${output}`));
    }, options.timeoutMs ?? 90_000);
    const look = () => {
      const match = /"port":(\d+),[^\n]*"msg":"IRO Assistant is listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Sends a signal and waits for the process to end; a process still running after `ms` is killed. */
export async function stopSpawned(
  server: SpawnedServer,
  signal: NodeJS.Signals = 'SIGTERM',
  ms = 10_000,
): Promise<{ exit: number | string; ms: number }> {
  const started = Date.now();
  server.child.kill(signal);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), ms);
  const exit = await server.exited;
  clearTimeout(timer);
  return { exit, ms: Date.now() - started };
}
