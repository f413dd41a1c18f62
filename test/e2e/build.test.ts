import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, stopSpawned } from '../support/spawn-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run build` compiles src/ to dist/, and the compiled server runs without tsx. */
// Whatever the store: run once, in the PGlite pass (npm test), not again in test:postgres.
describe.skipIf(process.env['DATABASE_URL'])('npm run build', () => {
  let work: string | undefined;
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('emits dist/main.js, which starts the server and answers /healthz', async () => {
    const build = await promisify(execFile)('npm', ['run', 'build', '--silent'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    });
    expect(build.stderr).toBe('');
    const main = path.join(ROOT, 'dist', 'main.js');
    expect((await stat(main)).isFile()).toBe(true);
    expect((await stat(path.join(ROOT, 'dist', 'cli', 'main.js'))).isFile()).toBe(true);

    work = await mkdtemp(path.join(tmpdir(), 'iro-build-'));
    const server = await spawnServer({ DATA_DIR: work, DEMO_DATA: 'true' }, { entry: main });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', store: 'pglite' });
    } finally {
      const stopped = await stopSpawned(server);
      expect(stopped.exit).toBe(0);
    }
    expect(server.output()).toMatch(/seeded the synthetic demo council/);
  }, 180_000);
});
