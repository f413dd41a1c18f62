import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPgJobQueue, enqueueJobs } from '../../src/store/job-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';

const T0 = new Date('2027-01-06T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

/**
 * The shared job table: work queued once per key, claimed by one worker at a time (also when
 * several claim at once, as two instances do), taken up again when a worker's lease runs out, and
 * a worker that lost its claim cannot write over the one that took the job.
 */
describe.each(DIALECTS)('the job queue on $name', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
  });
  afterAll(() => store.close());
  beforeEach(() => emptyStore(store));

  const queue = () => createPgJobQueue(store.db);
  const jobsNamed = (n: number, runAfter = T0) =>
    Array.from({ length: n }, (_, i) => ({ kind: 'test', key: `test:${i}`, runAfter }));

  it('queues the same work once', async () => {
    expect(await enqueueJobs(store.db, jobsNamed(3))).toBe(3);
    expect(await enqueueJobs(store.db, jobsNamed(4))).toBe(1);
    const rows = await store.db.selectFrom('jobs').select('key').execute();
    expect(rows.map((r) => r.key).sort()).toEqual(['test:0', 'test:1', 'test:2', 'test:3']);
  });

  it('gives each job to one of many workers claiming at the same time', async () => {
    await enqueueJobs(store.db, jobsNamed(40));
    const q = queue();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          const mine: string[] = [];
          for (;;) {
            const [job] = await q.claim(`w${w}`, T0, 60_000, 1);
            if (!job) return mine;
            mine.push(job.key);
            expect(await q.finish(job, `w${w}`, { state: 'done', outcome: 'ok' }, T0)).toBe(true);
          }
        })(),
      ),
    );
    const all = claims.flat();
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
  });

  it('does not hand out work before its time', async () => {
    await enqueueJobs(store.db, jobsNamed(1, later(60_000)));
    expect(await queue().claim('w', T0, 1000, 5)).toEqual([]);
    expect(await queue().claim('w', later(60_000), 1000, 5)).toHaveLength(1);
  });

  it('takes up the job of a worker that stopped, once its lease runs out, and says so', async () => {
    await enqueueJobs(store.db, jobsNamed(1));
    const q = queue();
    const [first] = await q.claim('dead', T0, 5000, 1);
    expect(first).toMatchObject({ key: 'test:0', attempts: 1, resumed: false });
    expect(await q.claim('alive', later(4999), 5000, 1)).toEqual([]);
    const [again] = await q.claim('alive', later(5000), 5000, 1);
    expect(again).toMatchObject({ key: 'test:0', attempts: 2, resumed: true });
    // The stopped worker comes back late: its result is not written.
    expect(
      await q.finish(first!, 'dead', { state: 'done', outcome: 'late' }, later(6000), async (tx) =>
        tx.enqueue([{ kind: 'test', key: 'test:follow-up', runAfter: T0 }]),
      ),
    ).toBe(false);
    expect(await q.finish(again!, 'alive', { state: 'done', outcome: 'ok' }, later(6000))).toBe(
      true,
    );
    const rows = await store.db.selectFrom('jobs').select(['key', 'state', 'outcome']).execute();
    expect(rows).toEqual([{ key: 'test:0', state: 'done', outcome: 'ok' }]);
  });

  it('runs a job again at once when the chat it waited for was stored while it ran', async () => {
    const AAD = '0b7c6d52-3d0e-4a52-9c1f-6a0f6f0c1a11';
    await enqueueJobs(store.db, jobsNamed(2));
    const q = queue();
    const tomorrow = later(86_400_000);
    const [first] = await q.claim('w1', T0, 60_000, 1);
    // Nobody's chat yet: put back until tomorrow.
    await q.finish(
      first!,
      'w1',
      { state: 'retry', runAfter: tomorrow, error: 'noChat', waitingFor: AAD },
      T0,
    );
    const [second] = await q.claim('w1', T0, 60_000, 1);
    // Their chat is stored (on another instance, say) while the second try runs.
    await store.db
      .insertInto('conversationReferences')
      .values({ conversationId: 'a:chat', scope: 'personal', aadObjectId: AAD, reference: '{}' })
      .execute();
    await q.finish(
      second!,
      'w1',
      { state: 'retry', runAfter: tomorrow, error: 'noChat', waitingFor: AAD.toUpperCase() },
      T0,
    );
    const rows = await store.db
      .selectFrom('jobs')
      .select(['key', 'runAfter', 'waitingFor'])
      .orderBy('key')
      .execute();
    expect(rows.map((r) => [r.key, new Date(r.runAfter).getTime(), r.waitingFor])).toEqual([
      ['test:0', tomorrow.getTime(), AAD],
      ['test:1', T0.getTime(), AAD],
    ]);
  });

  it('tries again later, and writes what the work changed with the result', async () => {
    await enqueueJobs(store.db, jobsNamed(1));
    const q = queue();
    const [job] = await q.claim('w', T0, 5000, 1);
    await q.finish(job!, 'w', { state: 'retry', runAfter: later(3_600_000), error: '503' }, T0);
    expect(await q.claim('w', later(3_599_999), 5000, 1)).toEqual([]);
    const [retry] = await q.claim('w', later(3_600_000), 5000, 1);
    expect(retry).toMatchObject({ attempts: 2, resumed: false });
    await q.finish(retry!, 'w', { state: 'done', outcome: 'sent' }, T0, (tx) =>
      tx.enqueue([{ kind: 'test', key: 'test:next', runAfter: later(1) }]),
    );
    const rows = await store.db
      .selectFrom('jobs')
      .select(['key', 'state', 'lastError'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { key: 'test:0', state: 'done', lastError: '503' },
      { key: 'test:next', state: 'pending', lastError: null },
    ]);
  });
});
