/**
 * `npm run bench`: times the foundation's heavy paths on a generated council and prints the
 * figures. It asserts nothing and never fails on a slow machine. Size with BENCH_CHILDREN
 * (children looked after; default 5000, about 17 local authorities' worth); runs on PGlite, and
 * also on PostgreSQL when DATABASE_URL is set.
 */
import { performance } from 'node:perf_hooks';
import { annualReportFigures } from '../src/app/annual-report.js';
import { listDueReviews } from '../src/app/due-reviews.js';
import { exportReviewsFile } from '../src/app/export-reviews.js';
import { importExtract } from '../src/app/import/import-extract.js';
import { parseExtract } from '../src/app/import/parse-extract.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../src/domain/bank-holidays.js';
import { addDays, todayIn } from '../src/domain/local-date.js';
import { createWorkingCalendar } from '../src/domain/working-days.js';
import { demoCouncilExtract } from '../src/demo/demo-council.js';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { openStore, type StoreOptions } from '../src/store/open-store.js';
import { benchTabFirstView } from './tab-first-view.js';

const lookedAfter = Number(process.env['BENCH_CHILDREN'] ?? 5000);
const today = todayIn('Europe/London', new Date());
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);

async function timed<T>(
  label: string,
  work: () => Promise<T> | T,
  detail: (r: T) => string = () => '',
): Promise<T> {
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  console.log(`  ${label.padEnd(42)} ${ms.toFixed(0).padStart(7)} ms  ${detail(result)}`);
  return result;
}

const files = await timed(
  'generate council',
  () =>
    demoCouncilExtract({
      today,
      calendar,
      seed: 1,
      childrenLookedAfter: lookedAfter,
      childrenLeftCare: Math.round(lookedAfter * 1.4),
    }),
  (f) =>
    `${f['Reviews.csv'].split('\n').length - 2} reviews, ${f['Header.csv'].split('\n').length - 2} children`,
);

await timed(
  'parse and validate extract (no store)',
  () => parseExtract(files, { today, reviewsFrom: null }),
  (r) => (r.ok ? 'valid' : 'INVALID'),
);

const engines: [string, StoreOptions][] = [
  ['pglite (in memory)', { kind: 'pglite', dataDir: null }],
];
if (process.env['DATABASE_URL'])
  engines.push(['postgres', { kind: 'postgres', databaseUrl: process.env['DATABASE_URL'] }]);

for (const [name, options] of engines) {
  console.log(`\n${name}, ${lookedAfter} children looked after:`);
  const store = await openStore(options);
  try {
    const services = createServices(loadConfig({}), store);
    await timed(
      'first import (all rows new)',
      () =>
        importExtract(services, files, { actor: 'bench', today }, undefined, { reviewsFrom: null }),
      (r) => (r.ok ? `${r.summary.reviews.inserted} reviews` : 'FAILED'),
    );
    await timed(
      're-import of the same extract',
      () =>
        importExtract(services, files, { actor: 'bench', today }, undefined, { reviewsFrom: null }),
      (r) => (r.ok ? `${r.summary.reviews.unchanged} unchanged` : 'FAILED'),
    );
    await timed(
      'due in the next 31 days (everyone)',
      () => listDueReviews(services, { today, from: today, to: addDays(today, 31) }),
      (r) => `${r.length} children`,
    );
    await timed(
      'annual report figures (one year)',
      () => annualReportFigures(services, { from: addDays(today, -365), to: today }),
      (r) => `${r.reviewsHeld} reviews, ${r.timelinessPercent}% on time`,
    );
    await timed(
      'export Reviews.csv (one year)',
      () => exportReviewsFile(services, { from: addDays(today, -365), to: today }),
      (r) => `${r.rows} rows`,
    );
  } finally {
    if (options.kind === 'postgres') {
      await store.db.schema.dropSchema('public').cascade().execute();
      await store.db.schema.createSchema('public').execute();
    }
    await store.close();
  }
}

await benchTabFirstView();
