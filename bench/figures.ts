import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mulberry32 } from '../src/demo/demo-council.js';
/** One measured figure of the benchmark, with its unit and, where the issue sets one, its target. */
export interface Figure {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  /** The target in words ("< 20 ms", ">= 20000 rows/s"); absent when none is set. */
  target?: string;
  /** Whether the value meets the target; absent when there is none. */
  met?: boolean;
  note?: string;
}

/** The p-th percentile (0..100) of the samples, nearest rank; null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

/** A seeded random number generator, so that runs pick the same people. */
export const seededRandom = mulberry32;

export function pickFrom<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Runs `work` `samples` times one after another; the duration of each, in milliseconds. */
export async function sampleLatency(
  samples: number,
  work: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    await work(i);
    times.push(performance.now() - start);
  }
  return times;
}

export function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * A full garbage collection of this process, now. The benchmark imports a million rows into the
 * server's own process before it times anything; a server that has been running a while has
 * collected such garbage, so the timed parts should not pay for it.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
