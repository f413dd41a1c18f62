import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, lockFilePath, readLock } from '../../src/store/data-dir-lock.js';

const RACER = fileURLToPath(new URL('../support/lock-racer.ts', import.meta.url));
const RACERS = 3;
const ROUNDS = 400;
/** A pid no process can have (above Linux's pid_max): its lock is stale. */
const DEAD_PID = 99_999_999;

type Reply = { ready?: true; won?: boolean; released?: true; failed?: string };

class Racer {
  private readonly replies: Reply[] = [];
  private waiting: ((reply: Reply) => void) | undefined;
  readonly child: ChildProcess;

  constructor() {
    this.child = fork(RACER, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    this.child.on('message', (reply: Reply) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(reply);
      } else this.replies.push(reply);
    });
  }

  next(): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async ask(message: object): Promise<Reply> {
    this.child.send(message);
    const reply = await this.next();
    if (reply.failed) throw new Error(reply.failed);
    return reply;
  }
}

/** What DATA_DIR holds when the racers start. */
const SCENARIOS = {
  free: { winners: 1 },
  staleLock: { winners: 1 },
  oldHalfWrittenLock: { winners: 1 },
  newHalfWrittenLock: { winners: 0 },
} as const;
type Scenario = keyof typeof SCENARIOS;

async function prepare(dataDir: string, scenario: Scenario): Promise<void> {
  const file = lockFilePath(dataDir);
  await mkdir(dataDir, { recursive: true });
  await rm(file, { force: true });
  if (scenario === 'staleLock') {
    await writeFile(
      file,
      JSON.stringify({
        pid: DEAD_PID,
        holder: 'server',
        command: 'start',
        startedAt: '2026-01-01',
      }),
    );
  } else if (scenario === 'oldHalfWrittenLock' || scenario === 'newHalfWrittenLock') {
    await writeFile(file, scenario === 'oldHalfWrittenLock' ? '{"pid": 12' : '');
    if (scenario === 'oldHalfWrittenLock') {
      const minuteAgo = new Date(Date.now() - 60_000);
      await utimes(file, minuteAgo, minuteAgo);
    }
  }
}

describe("the embedded store's lock", () => {
  let work: string;
  const racers: Racer[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'iro-lock-'));
    for (let i = 0; i < RACERS; i += 1) racers.push(new Racer());
    await Promise.all(racers.map((r) => r.next()));
  });

  afterAll(async () => {
    for (const racer of racers) racer.child.kill();
    await rm(work, { recursive: true, force: true });
  });

  it(`goes to exactly one of ${RACERS} processes racing for it, ${ROUNDS} times`, async () => {
    const dataDir = path.join(work, 'race');
    const names = Object.keys(SCENARIOS) as Scenario[];
    const wrong: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const scenario = names[round % names.length] as Scenario;
      await prepare(dataDir, scenario);
      const replies = await Promise.all(racers.map((r) => r.ask({ go: dataDir })));
      const winners = racers.filter((_, i) => replies[i]?.won);
      if (winners.length !== SCENARIOS[scenario].winners) {
        wrong.push(`round ${round} (${scenario}): ${winners.length} winners`);
      }
      await Promise.all(winners.map((w) => w.ask({ release: true })));
    }
    expect(wrong).toEqual([]);
    // Nothing is left behind: no temporary files, no lock.
    await rm(lockFilePath(dataDir), { force: true });
    expect(await readdir(dataDir)).toEqual([]);
  }, 60_000);

  it('is taken over from a process that died, and never from a live one', async () => {
    const dataDir = path.join(work, 'takeover');
    await prepare(dataDir, 'staleLock');
    expect(await readLock(dataDir)).toBeNull();
    const first = await acquireDataDirLock(dataDir, { holder: 'cli', command: 'import' });
    expect(first.ok).toBe(true);
    const second = await acquireDataDirLock(dataDir, { holder: 'server', command: 'start' });
    expect(second).toMatchObject({
      ok: false,
      heldBy: { pid: process.pid, holder: 'cli', command: 'import' },
    });
    if (first.ok) await first.lock.release();
    const third = await acquireDataDirLock(dataDir, { holder: 'server', command: 'start' });
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('counts a lock file that is still being written as held', async () => {
    const dataDir = path.join(work, 'young');
    await prepare(dataDir, 'newHalfWrittenLock');
    const result = await acquireDataDirLock(dataDir, { holder: 'cli', command: 'due' });
    expect(result.ok).toBe(false);
  });
});
