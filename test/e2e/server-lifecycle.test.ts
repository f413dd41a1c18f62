import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, stopSpawned } from '../support/spawn-server.js';
import { childEnv } from '../support/child-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Whether nothing listens on this port any more: a new server can take it at once. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

/** A kept-alive HTTP connection to the server, as a browser tab or the Bot Connector holds one. */
function keepAliveRequest(url: string): Promise<{ status: number; agent: Agent }> {
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, agent }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** This machine's first non-loopback IPv4 address, if it has one. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

function reachable(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
    (r) => r.ok,
    () => false,
  );
}

// Whatever the store: run once, in the PGlite pass (npm test), not again in test:postgres.
describe.skipIf(process.env['DATABASE_URL'])('stopping the server', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'iro-stop-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  const BOT = { BOT_ID: '11111111-2222-3333-4444-555555555555', BOT_PASSWORD: 'not-a-secret' };

  it.each([
    ['without BOT_ID', '127.0.0.1', 'SIGTERM', {}],
    ['with BOT_ID', '0.0.0.0', 'SIGINT', BOT],
  ] as const)(
    '%s: listens on %s; %s stops it with exit code 0, with a connection kept alive, and frees the port',
    async (_mode, host, signal, env) => {
      const server = await spawnServer({
        DATA_DIR: path.join(work, signal),
        DEMO_DATA: 'false',
        ...env,
      });
      // Where it listens: only this machine may send unauthenticated activities.
      expect(server.output()).toMatch(
        new RegExp(`"host":"${host.replace(/\./g, '\\.')}","port":\\d+[^\\n]*is listening`),
      );
      const lan = lanAddress();
      if (lan) expect(await reachable(`http://${lan}:${server.port}`)).toBe(host === '0.0.0.0');
      if (host === '127.0.0.1') {
        expect(server.output()).toMatch(
          /"level":40[^\n]*"msg":"BOT_ID is not set: \/api\/messages accepts unauthenticated activities, so the server listens on 127\.0\.0\.1 only \(this machine\)"/,
        );
      } else {
        expect(server.output()).not.toMatch(/BOT_ID is not set/);
      }

      const held = await keepAliveRequest(server.url);
      expect(held.status).toBe(200);
      const stopped = await stopSpawned(server, signal, 15_000);
      held.agent.destroy();
      expect(stopped.exit).toBe(0);
      expect(stopped.ms).toBeLessThan(5_000);
      expect(await portIsFree(server.port)).toBe(true);
      expect(server.output()).toMatch(new RegExp(`"signal":"${signal}"[^\\n]*"msg":"stopping"`));
    },
  );

  it('ends at once, with exit code 1, on a second signal', async () => {
    const server = await spawnServer({ DATA_DIR: path.join(work, 'twice'), DEMO_DATA: 'false' });
    // Two different signals: the kernel merges a second SIGTERM still pending into the first.
    server.child.kill('SIGINT');
    server.child.kill('SIGTERM');
    const { exit, ms } = await stopSpawned(server, 'SIGTERM', 15_000);
    expect(exit).toBe(1);
    expect(ms).toBeLessThan(5_000);
    expect(server.output()).toMatch(/"msg":"second signal: exiting without waiting"/);
    expect(await portIsFree(server.port)).toBe(true);
  });

  it.each([
    ['Ctrl-C (SIGINT to the whole process group)', 'SIGINT', true],
    ['SIGTERM to npm alone (docker stop, systemd)', 'SIGTERM', false],
  ] as const)('`npm start` stops on %s and frees the port', async (_what, signal, group) => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      detached: true,
      env: {
        ...childEnv(),
        HOME: process.env['HOME'] ?? '',
        PORT: '0',
        DATA_DIR: path.join(work, `npm-${signal}`),
        DEMO_DATA: 'false',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
    const exited = new Promise<number | string>((resolve) =>
      child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)),
    );
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 90_000);
      child.stdout.on('data', () => {
        const match = /"port":(\d+),[^\n]*"msg":"IRO Assistant is listening"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    const held = await keepAliveRequest(`http://127.0.0.1:${port}`);
    const started = Date.now();
    process.kill(group ? -(child.pid as number) : (child.pid as number), signal);
    await exited;
    let free = false;
    while (!free && Date.now() - started < 8_000) {
      free = await portIsFree(port);
      if (!free) await new Promise((r) => setTimeout(r, 100));
    }
    held.agent.destroy();
    // Whatever is left of the group is killed, so that a failing run leaves nothing behind.
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
    }
    expect(free).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(output).toMatch(new RegExp(`"signal":"${signal}"[^\\n]*"msg":"stopping"`));
    expect(output).not.toMatch(/Error|ERR!/);
  });
});
