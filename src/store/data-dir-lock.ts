import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  chmod,
  copyFile,
  link,
  mkdir,
  open,
  readFile,
  rename,
  unlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The embedded store (PGlite) may be opened by one process at a time. Whoever opens it holds
 * this lock file in DATA_DIR. A running server also writes its port and a secret token there, so
 * that the command line can send its work through the server instead of opening the files.
 *
 * The lock file only ever appears complete: it is written to a temporary file first and then
 * hard-linked into place, which fails atomically when a lock is already there. A lock whose
 * process has died is taken over, by one process only (see `takeOver`). A lock file that cannot
 * be read is counted as held until it is a few seconds old (something may still be writing it).
 */
const lockSchema = z.object({
  pid: z.number().int(),
  holder: z.enum(['server', 'cli']),
  command: z.string(),
  startedAt: z.string(),
  /** Makes every lock file's content unique, so that a takeover can tell one from another. */
  nonce: z.string().optional(),
  port: z.number().int().optional(),
  token: z.string().optional(),
});

export type LockInfo = z.infer<typeof lockSchema>;

export type LockResult = { ok: true; lock: DataDirLock } | { ok: false; heldBy: LockInfo };

export interface DataDirLock {
  readonly info: LockInfo;
  /** Records the port a server listens on, with a fresh token for the command line. */
  announceServer(port: number): Promise<LockInfo>;
  release(): Promise<void>;
}

/** How long an unreadable lock file counts as being written rather than abandoned. */
const UNREADABLE_GRACE_MS = 5_000;

export function lockFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'iro-assistant.lock');
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** What the lock file says right now. `key` names this very file and content. */
type LockState =
  { state: 'free' } | { state: 'held'; info: LockInfo } | { state: 'stale'; key: string };

async function inspect(file: string): Promise<LockState> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { state: 'free' };
    throw error;
  }
  try {
    const stats = await handle.stat();
    const text = await handle.readFile('utf8');
    const key = createHash('sha256')
      .update(`${stats.ino}:${stats.mtimeMs}:${stats.size}:${text}`)
      .digest('hex')
      .slice(0, 32);
    const parsed = lockSchema.safeParse(parseJson(text));
    if (parsed.success) {
      return isAlive(parsed.data.pid)
        ? { state: 'held', info: parsed.data }
        : { state: 'stale', key };
    }
    if (Date.now() - stats.mtimeMs < UNREADABLE_GRACE_MS) {
      return {
        state: 'held',
        info: {
          pid: 0,
          holder: 'cli',
          command: '(starting)',
          startedAt: stats.mtime.toISOString(),
        },
      };
    }
    return { state: 'stale', key };
  } finally {
    await handle.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { unreadable: String(error) };
  }
}

/** The live lock holder, or null when the store is free (a stale lock is ignored). */
export async function readLock(dataDir: string): Promise<LockInfo | null> {
  const current = await inspect(lockFilePath(dataDir));
  return current.state === 'held' && current.info.pid > 0 ? current.info : null;
}

async function removeIfThere(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}

/** Puts the complete temporary file in place as the lock; false when a lock is already there. */
async function place(temp: string, file: string): Promise<boolean> {
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  // A file system without hard links: an exclusive create still lets only one process in; a
  // reader that meets the file before its content counts it as held (UNREADABLE_GRACE_MS).
  try {
    await copyFile(temp, file, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Replaces the stale lock `key` with ours, or returns false. Only the process that creates the
 * claim file `<lock>.takeover-<key>-<n>` may replace it, and only after checking that the lock
 * file is still that stale one; a claim whose own process died is passed over (n + 1). The
 * rename replaces the lock file in one step, so a lock file is always there for others to see.
 */
async function takeOver(file: string, temp: string, key: string): Promise<boolean> {
  for (let generation = 0; generation < 10; generation += 1) {
    const claim = `${file}.takeover-${key}-${generation}`;
    const claimTemp = `${claim}.${process.pid}.tmp`;
    await writeFile(claimTemp, String(process.pid), { mode: 0o600 });
    let claimed: boolean;
    try {
      claimed = await place(claimTemp, claim);
    } finally {
      await removeIfThere(claimTemp);
    }
    if (!claimed) {
      const claimant = Number(await readFile(claim, 'utf8').catch(() => '0'));
      // A claim that vanished or cannot be read yet belongs to someone still at work.
      if (claimant === 0 || isAlive(claimant)) return false;
      continue;
    }
    try {
      const now = await inspect(file);
      if (now.state !== 'stale' || now.key !== key) return false;
      await rename(temp, file);
      return true;
    } finally {
      await removeIfThere(claim);
    }
  }
  return false;
}

export async function acquireDataDirLock(
  dataDir: string,
  who: { holder: LockInfo['holder']; command: string },
): Promise<LockResult> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const file = lockFilePath(dataDir);
  const info: LockInfo = {
    pid: process.pid,
    holder: who.holder,
    command: who.command,
    startedAt: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  const temp = `${file}.${process.pid}.${info.nonce}.tmp`;
  await writeFile(temp, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (await place(temp, file)) return { ok: true, lock: createLock(file, info) };
      const current = await inspect(file);
      if (current.state === 'held') return { ok: false, heldBy: current.info };
      if (current.state === 'stale' && (await takeOver(file, temp, current.key))) {
        return { ok: true, lock: createLock(file, info) };
      }
    }
    // Another process is taking over a stale lock at this very moment.
    return { ok: false, heldBy: { ...info, pid: 0, command: '(starting)' } };
  } finally {
    await removeIfThere(temp);
  }
}

function createLock(file: string, initial: LockInfo): DataDirLock {
  let info = initial;
  let released = false;
  return {
    get info() {
      return info;
    },
    async announceServer(port) {
      info = { ...info, port, token: randomBytes(32).toString('hex') };
      const temp = `${file}.${process.pid}.${info.nonce}.tmp`;
      await writeFile(temp, JSON.stringify(info), { mode: 0o600 });
      await rename(temp, file);
      return info;
    },
    async release() {
      if (released) return;
      released = true;
      const current = await inspect(file);
      // Never remove a lock that is not ours (one taken over after we were thought dead).
      if (current.state === 'held' && current.info.nonce !== info.nonce) return;
      await removeIfThere(file);
    },
  };
}
