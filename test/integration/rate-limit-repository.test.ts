import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimits } from '../../src/app/rate-limits.js';
import type { Store } from '../../src/store/open-store.js';
import { createPgRateLimitCounter } from '../../src/store/rate-limit-repository.js';
import { DIALECTS } from '../support/store-dialects.js';

const W0 = new Date('2027-01-06T10:00:00Z');
const W1 = new Date('2027-01-06T10:01:00Z');
const W2 = new Date('2027-01-06T10:02:00Z');

/**
 * The shared request counter: one row per caller and window, counted up atomically, so that
 * callers hitting it at the same moment (from one instance or several) each get their own count.
 */
describe.each(DIALECTS)('the rate-limit counter on $name', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    await sql`truncate rate_limits`.execute(store.db);
  });

  const counter = () => createPgRateLimitCounter(store.db);
  const rows = async () =>
    (
      await sql<{
        key: string;
        windowStart: Date;
        count: number;
      }>`select key, window_start as "windowStart", count from rate_limits order by key, window_start`.execute(
        store.db,
      )
    ).rows;

  it('counts each key and window apart', async () => {
    const c = counter();
    expect(await c.hit('tab:a', W0)).toBe(1);
    expect(await c.hit('tab:a', W0)).toBe(2);
    expect(await c.hit('tab:b', W0)).toBe(1);
    expect(await c.hit('bot:a', W0)).toBe(1);
    expect(await c.hit('tab:a', W1)).toBe(1);
    expect(await c.hit('tab:a', W0)).toBe(3);
    expect((await rows()).map((r) => [r.key, r.windowStart.toISOString(), r.count])).toEqual([
      ['bot:a', W0.toISOString(), 1],
      ['tab:a', W0.toISOString(), 3],
      ['tab:a', W1.toISOString(), 1],
      ['tab:b', W0.toISOString(), 1],
    ]);
  });

  it('gives requests that arrive together each their own count', async () => {
    // Two counters over one store, as two instances would have.
    const [one, two] = [counter(), counter()];
    const counts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).hit('tab:a', W0)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('forgets windows that started before the one given, and only those', async () => {
    const c = counter();
    await c.hit('tab:a', W0);
    await c.hit('tab:b', W0);
    await c.hit('tab:a', W1);
    await c.hit('tab:a', W2);
    await c.prune(W1);
    expect((await rows()).map((r) => [r.key, r.windowStart.toISOString()])).toEqual([
      ['tab:a', W1.toISOString()],
      ['tab:a', W2.toISOString()],
    ]);
  });

  it('lets through the limit in a window, then refuses once as the first, and resets with the next window', async () => {
    let now = new Date(W0.getTime() + 15_000);
    const limits = createRateLimits(counter(), { now: () => now }, { tab: 3, bot: 1, demo: 0 });
    const decisions = [];
    for (let i = 0; i < 5; i += 1) decisions.push(await limits.check('tab', 'a'));
    expect(decisions).toEqual([
      { ok: true },
      { ok: true },
      { ok: true },
      { ok: false, retryAfterSeconds: 45, first: true },
      { ok: false, retryAfterSeconds: 45, first: false },
    ]);
    expect(await limits.check('tab', 'b')).toEqual({ ok: true });
    expect(await limits.check('bot', 'a')).toEqual({ ok: true });
    // A limit of 0 is no limit, and counts nothing.
    for (let i = 0; i < 5; i += 1) expect(await limits.check('demo', 'a')).toEqual({ ok: true });
    expect((await rows()).some((r) => r.key.startsWith('demo:'))).toBe(false);

    now = new Date(W1.getTime() + 59_500);
    expect(await limits.check('tab', 'a')).toEqual({ ok: true });
    // Two windows on, the first window's rows are gone.
    now = new Date(W2.getTime());
    expect(await limits.check('tab', 'a')).toEqual({ ok: true });
    expect((await rows()).every((r) => r.windowStart.getTime() >= W1.getTime())).toBe(true);
  });
});
