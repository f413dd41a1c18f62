import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The embedded store (PGlite) may be opened by one process at a time. Whoever opens it holds
 * this lock file in DATA_DIR. A running server also writes its port and a secret token there, so
 * that the command line can send its work through the server instead of opening the files.
 */
const lockSchema = z.object({
  pid: z.number().int(),
  holder: z.enum(['server', 'cli']),
  command: z.string(),
  startedAt: z.string(),
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

export function lockFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'iro-assistant.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live lock holder, or null when the store is free (a stale lock is ignored). */
export async function readLock(dataDir: string): Promise<LockInfo | null> {
  let text: string;
  try {
    text = await readFile(lockFilePath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = lockSchema.safeParse(safeJson(text));
  if (!parsed.success) return null;
  return isAlive(parsed.data.pid) ? parsed.data : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { error: String(error) };
  }
}

export async function acquireDataDirLock(
  dataDir: string,
  who: { holder: LockInfo['holder']; command: string },
): Promise<LockResult> {
  await mkdir(path.resolve(dataDir), { recursive: true });
  const file = lockFilePath(dataDir);
  const info: LockInfo = {
    pid: process.pid,
    holder: who.holder,
    command: who.command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return { ok: true, lock: createLock(file, info) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(dataDir);
      if (holder) return { ok: false, heldBy: holder };
      await unlink(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
  }
  const holder = await readLock(dataDir);
  return holder ? { ok: false, heldBy: holder } : { ok: false, heldBy: info };
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
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(info), { mode: 0o600 });
      await rename(temp, file);
      return info;
    },
    async release() {
      if (released) return;
      released = true;
      await unlink(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
  };
}
