import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { demoCouncilExtract } from '../demo/demo-council.js';
import type { Services } from '../services.js';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** The files `demo-extract` writes, in the order it writes and lists them. */
export const DEMO_EXTRACT_FILES = [
  'Header.csv',
  'Episodes.csv',
  'Reviews.csv',
  'Staff.csv',
  'Allocations.csv',
] as const;

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * `iro-assistant demo-extract <dir> [--force]`: writes the synthetic demo council's files, as of
 * today, to a folder (created if missing), so an analyst can see the format the import reads.
 * Refuses to overwrite any of them unless --force.
 */
export async function demoExtractCommand(
  positionals: string[],
  values: Record<string, unknown>,
  io: CliIo,
  services: Pick<Services, 'clock' | 'calendar'>,
): Promise<number> {
  const [dir, extra] = positionals;
  if (!dir) {
    throw new UsageError('demo-extract: give the folder to write to, e.g. demo-extract ./demo');
  }
  if (extra !== undefined) throw new UsageError(`demo-extract: unexpected argument "${extra}"`);
  const other = Object.keys(values).find((k) => k !== 'force' && values[k] !== undefined);
  if (other) throw new UsageError(`demo-extract: takes only a folder and --force, not --${other}`);
  const force = values['force'] === true;

  const folder = path.resolve(io.cwd, dir);
  if ((await exists(folder)) && !(await stat(folder)).isDirectory()) {
    throw new UsageError(`demo-extract: "${dir}" is a file, not a folder`);
  }
  if (!force) {
    const found: string[] = [];
    for (const name of DEMO_EXTRACT_FILES) {
      if (await exists(path.join(folder, name))) found.push(name);
    }
    if (found.length > 0) {
      throw new UsageError(
        `demo-extract: "${dir}" already has ${found.join(', ')}; nothing was written (add --force to overwrite)`,
      );
    }
  }

  const today = services.clock.today();
  const files = demoCouncilExtract({ today, calendar: services.calendar });
  await mkdir(folder, { recursive: true });
  const lines: string[] = [];
  for (const name of DEMO_EXTRACT_FILES) {
    const text = files[name];
    try {
      await writeFile(path.join(folder, name), text, { flag: force ? 'w' : 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new UsageError(
        `demo-extract: ${name} appeared in "${dir}" while writing; add --force to overwrite`,
      );
    }
    const rows = text.split('\r\n').filter((l) => l !== '').length - 1;
    lines.push(`  ${name.padEnd(16)} ${String(rows).padStart(6)} rows`);
  }
  io.stdout(
    `Wrote the demo council's files, as of ${today}, to ${dir}:\n${lines.join('\n')}\n` +
      'Every name in them is made up. Its Header and Episodes pass the DfE rules the app applies.\n' +
      `Load them with: iro-assistant import ${dir}\n`,
  );
  return EXIT.ok;
}
