/**
 * The tab's first view on the demo council, timed in Debian's Chromium: from opening `/tab`
 * (signed in, as after the demo sign-in) to My reviews listing its children, and the caseload
 * page for a manager. Medians over several page loads; the bundle is built before timing, as a
 * running server has it. Skipped, with a line saying so, when there is no Chromium.
 */
import { performance } from 'node:perf_hooks';
import type { Figure } from './figures.js';
import {
  TabServer,
  hasChromium,
  launchChromium,
  signInThroughPage,
  CHROMIUM,
} from '../test/support/browser.js';

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function benchTabFirstView(): Promise<Figure[]> {
  console.log('\ntab in Chromium, demo council (about 300 children):');
  if (!hasChromium) {
    console.log(`  skipped: no Chromium at ${CHROMIUM}`);
    return [];
  }
  const figures: Figure[] = [];
  const server = new TabServer();
  await server.start();
  const browser = await launchChromium();
  try {
    await fetch(`${server.url}/tab/app.js`); // the bundle is built on first request
    const views: [string, string, string, string][] = [
      [
        'My reviews (IRO), first view',
        'alexw@example.com',
        '#/reviews',
        '[data-testid=reviews-count]',
      ],
      ['Caseload (team manager)', 'adelev@example.com', '#/caseload', '[data-testid=iro-table]'],
    ];
    for (const [label, email, hash, ready] of views) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInThroughPage(page, server.url, email);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        // A new document each time (a change of hash alone would not load the page again).
        await page.goto('about:blank');
        const start = performance.now();
        await page.goto(`${server.url}/tab/${hash}`);
        await page.locator(ready).first().waitFor();
        times.push(performance.now() - start);
      }
      await context.close();
      figures.push({
        section: 'tab in Chromium, demo council',
        name: label,
        value: Math.round(median(times)),
        unit: 'ms',
        note: `median of ${RUNS}`,
      });
      console.log(
        `  ${label.padEnd(42)} ${median(times).toFixed(0).padStart(7)} ms  median of ${RUNS} (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return figures;
}
