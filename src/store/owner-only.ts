import { lstat, chmod, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * The embedded store holds children's records: its folder and files are for the account that
 * runs the app alone. New files get no group or other permissions (umask 077; a worker thread
 * cannot change the umask, and relies on the folder's own 0700 mode instead).
 */
export function createFilesForOwnerOnly(): void {
  if (isMainThread) process.umask(0o077);
}

/**
 * Takes group and other permissions off `dir` and everything under it. PGlite unpacks a new
 * database with mode 0666 whatever the umask, and rewrites a few files (pg_internal.init) with
 * 0644; folders left open by an earlier version are closed here too.
 */
export async function closeToOthers(dir: string): Promise<void> {
  const walk = async (target: string): Promise<void> => {
    const stats = await lstat(target);
    if (stats.isSymbolicLink()) return;
    if ((stats.mode & 0o077) !== 0) await chmod(target, stats.mode & 0o7700);
    if (stats.isDirectory()) {
      for (const name of await readdir(target)) await walk(path.join(target, name)).catch(gone);
    }
  };
  await walk(path.resolve(dir));
}

/** A file the database removed while we walked past it needs nothing more. */
function gone(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
