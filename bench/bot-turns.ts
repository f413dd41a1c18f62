/**
 * Whole bot turns over HTTP: POST /api/messages with a Teams 1:1 message, the reply posted to the
 * recording connector before the response comes back. "my reviews due this month" as a random
 * IRO, and an echo turn on the same stack, at concurrency 1 and 32: p50, p99, turns per second,
 * and the ratio of the two at each percentile.
 */
import { messageActivity } from '../test/support/teams-activities.js';
import { percentile, pickFrom, round, seededRandom, type Figure } from './figures.js';
import { ECHO_PREFIX, type BenchStack } from './bench-stack.js';
import type { BenchStaff } from './national-dataset.js';

interface Run {
  latencies: number[];
  turnsPerSecond: number;
}

async function drive(
  stack: BenchStack,
  turns: number,
  concurrency: number,
  activity: (i: number) => unknown,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next;
      next += 1;
      if (i >= turns) return;
      const body = JSON.stringify(activity(i));
      const start = performance.now();
      const response = await fetch(`${stack.server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`turn ${i} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { latencies, turnsPerSecond: turns / seconds };
}

export async function botTurns(
  stack: BenchStack,
  staff: readonly BenchStaff[],
  section: string,
  turns: number,
): Promise<Figure[]> {
  const random = seededRandom(23);
  const iros = staff.filter((s) => s.role === 'iro');
  const user = (iro: BenchStaff) => ({
    id: `29:${iro.aadObjectId}`,
    name: iro.email,
    aadObjectId: iro.aadObjectId,
  });
  const chat = (iro: BenchStaff) => ({ type: 'personal' as const, id: `a:${iro.aadObjectId}` });
  const query = () => {
    const iro = pickFrom(random, iros);
    return messageActivity(stack.connector.url, user(iro), chat(iro), 'my reviews due this month');
  };
  const echo = (i: number) => {
    const iro = pickFrom(random, iros);
    return messageActivity(stack.connector.url, user(iro), chat(iro), `${ECHO_PREFIX}turn ${i}`);
  };
  // Warm-up: each path once per worker, so first-call costs (JIT, plans) are not timed.
  await drive(stack, 32, 32, echo);
  await drive(stack, 32, 32, () => query());

  const figures: Figure[] = [];
  // A p99 needs a few hundred turns: of 100 it is the second slowest, and one pause decides it.
  for (const concurrency of [1, 32]) {
    const n = turns;
    const echoRun = await drive(stack, n, concurrency, echo);
    const queryRun = await drive(stack, n, concurrency, () => query());
    const at = `concurrency ${concurrency}`;
    for (const p of [50, 99]) {
      const e = percentile(echoRun.latencies, p);
      const q = percentile(queryRun.latencies, p);
      figures.push(
        {
          section,
          name: `echo turn p${p}, ${at}`,
          value: round(e, 2),
          unit: 'ms',
          note: `${n} turns`,
        },
        {
          section,
          name: `"my reviews due this month" turn p${p}, ${at}`,
          value: round(q, 2),
          unit: 'ms',
          note: `${n} turns`,
        },
      );
      const ratio = e && q !== null ? round(q / e, 2) : null;
      figures.push({
        section,
        name: `query turn / echo turn at p${p}, ${at}`,
        value: ratio,
        unit: 'x',
        ...(p === 99 ? { target: '<= 1.5 x', met: ratio !== null && ratio <= 1.5 } : {}),
      });
    }
    figures.push(
      {
        section,
        name: `echo turns per second, ${at}`,
        value: round(echoRun.turnsPerSecond, 1),
        unit: 'turns/s',
      },
      {
        section,
        name: `query turns per second, ${at}`,
        value: round(queryRun.turnsPerSecond, 1),
        unit: 'turns/s',
      },
    );
  }
  return figures;
}
