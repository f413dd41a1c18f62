import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { createLogger } from '../../src/shared/logger.js';

/** Every file and folder under `dir` (itself included) whose mode lets group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (p: string) => {
    const s = await stat(p);
    if ((s.mode & 0o077) !== 0)
      found.push(`${path.relative(dir, p) || '.'} ${(s.mode & 0o777).toString(8)}`);
    if (s.isDirectory()) for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  await walk(dir);
  return found;
}

describe('the embedded store on disk', () => {
  let work: string;
  const umask = process.umask();

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'iro-perm-'));
    process.umask(0o022);
  });
  afterAll(async () => {
    process.umask(umask);
    await rm(work, { recursive: true, force: true });
  });

  it('is readable by its owner only, in a new DATA_DIR', async () => {
    const dataDir = path.join(work, 'new');
    const server = await startServer(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', DEMO_DATA: 'true' }),
      createLogger('silent'),
    );
    try {
      expect((await readdir(dataDir)).sort()).toEqual(['iro-assistant.lock', 'pglite']);
      expect(await openToOthers(dataDir)).toEqual([]);
    } finally {
      await server.close();
    }
    expect(await openToOthers(dataDir)).toEqual([]);
  });

  it('closes up a DATA_DIR that an earlier version left open', async () => {
    const dataDir = path.join(work, 'new');
    const loosen = async (p: string) => {
      const s = await stat(p);
      await chmod(p, s.isDirectory() ? 0o755 : 0o644);
      if (s.isDirectory()) for (const name of await readdir(p)) await loosen(path.join(p, name));
    };
    await loosen(dataDir);
    await writeFile(path.join(dataDir, 'notes.txt'), 'x', { mode: 0o644 });
    expect((await openToOthers(dataDir)).length).toBeGreaterThan(10);
    const server = await startServer(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', DEMO_DATA: 'false' }),
      createLogger('silent'),
    );
    try {
      expect(await openToOthers(dataDir)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
