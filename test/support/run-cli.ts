import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from './child-env.js';

const BIN = fileURLToPath(new URL('../../bin/iro-assistant.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `iro-assistant` command in a child process. */
export function runIroAssistant(
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd,
        env: {
          ...childEnv(),
          TIME_ZONE: 'Europe/London',
          LOG_LEVEL: 'silent',
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: child.exitCode ?? 0, stdout, stderr });
      },
    );
  });
}
