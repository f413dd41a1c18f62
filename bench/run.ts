/**
 * `npm run bench`: the national-scale benchmark of issue 11. Generates a synthetic partnership
 * (BENCH_CHILDREN children looked after, default 50,000, and 1.4 times as many who left care, so
 * 121,500 children and 562,000 reviews; 600 IROs in teams of about 2,000 children; ten years),
 * imports it through the real importExtract into the real server's store, and measures the store queries, whole bot turns over HTTP beside an echo
 * turn, and Microsoft Graph requests per scheduled review, on PGlite and, when DATABASE_URL is
 * set, on that PostgreSQL server; then the tab's first view in Chromium. It prints a table and
 * writes bench/results.json. It asserts nothing and never fails on a slow machine.
 * Knobs: BENCH_CHILDREN, BENCH_SAMPLES (query samples, default 400), BENCH_TURNS (turns of
 * each kind per concurrency, default 2000), BENCH_SCHEDULED (reviews scheduled in a row,
 * default 100), BENCH_ENGINES=pglite or postgres (one engine only), BENCH_SKIP_TAB=1 (no
 * Chromium part).
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { importExtract } from '../src/app/import/import-extract.js';
import { parseExtract } from '../src/app/import/parse-extract.js';
import { listDueReviews } from '../src/app/due-reviews.js';
import { addDays, todayIn } from '../src/domain/local-date.js';
import { startBenchStack } from './bench-stack.js';
import { botTurns } from './bot-turns.js';
import { collectGarbage, round, type Figure } from './figures.js';
import { graphRequests } from './graph-requests.js';
import { IROS, YEARS, nationalDataset, staffOf } from './national-dataset.js';
import { storeLatency } from './store-latency.js';
import { benchTabFirstView } from './tab-first-view.js';

const numberOf = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const lookedAfter = numberOf('BENCH_CHILDREN', 50_000);
const samples = numberOf('BENCH_SAMPLES', 400);
// 2,000: a p99 is then the 20th slowest turn, not the 4th, so a few slow turns landing in one
// kind's blocks do not decide it.
const turns = numberOf('BENCH_TURNS', 2000);
const scheduled = numberOf('BENCH_SCHEDULED', 100);
const IMPORT_TARGET = 20_000;

const figures: Figure[] = [];
const began = performance.now();
const say = (text: string) =>
  console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${text}`);

const today = todayIn('Europe/London', new Date());
const loadAtStart = os.loadavg().map((l) => round(l, 2));
say(`generating ${lookedAfter} children looked after, ${IROS} IROs, ${YEARS} years`);
let start = performance.now();
const dataset = nationalDataset(today, lookedAfter);
const generateMs = performance.now() - start;
const staff = staffOf(dataset.files);
figures.push(
  {
    section: 'dataset',
    name: 'children (looked after and left care)',
    value: dataset.children,
    unit: 'children',
  },
  { section: 'dataset', name: 'review rows', value: dataset.reviews, unit: 'rows' },
  {
    section: 'dataset',
    name: 'rows in the five 903 files',
    value: dataset.totalRows,
    unit: 'rows',
    note: JSON.stringify(dataset.rows),
  },
  {
    section: 'dataset',
    name: 'IROs',
    value: staff.filter((s) => s.role === 'iro').length,
    unit: 'IROs',
  },
  { section: 'dataset', name: 'generation time', value: round(generateMs / 1000, 1), unit: 's' },
);
say(
  `generated ${dataset.children} children, ${dataset.reviews} reviews, ${dataset.totalRows} rows`,
);

start = performance.now();
// Only whether it is valid is kept: the import below parses the files again, as a council's would,
// without a second parsed copy alive in this process.
const parsedOk = parseExtract(dataset.files, { today, reviewsFrom: null }).ok;
figures.push({
  section: 'dataset',
  name: 'parse and validate the files (no store)',
  value: round((dataset.totalRows / (performance.now() - start)) * 1000, 0),
  unit: 'rows/s',
  note: parsedOk ? 'valid' : 'INVALID',
});

// BENCH_ENGINES=postgres (or pglite) runs one engine only.
const only = process.env['BENCH_ENGINES'];
const engines: [string, string | undefined][] = [];
if (!only || only.includes('pglite')) engines.push(['pglite', undefined]);
if (process.env['DATABASE_URL'] && (!only || only.includes('postgres')))
  engines.push(['postgres', process.env['DATABASE_URL']]);

for (const [engine, databaseUrl] of engines) {
  const section = engine === 'pglite' ? 'pglite (DATA_DIR on disk)' : 'postgres (DATABASE_URL)';
  say(`${section}: starting the server`);
  const stack = await startBenchStack(databaseUrl);
  try {
    const services = stack.server.services;
    say(`${section}: importing`);
    start = performance.now();
    const cpuBefore = process.cpuUsage();
    const imported = await importExtract(
      services,
      dataset.files,
      { actor: 'bench', today },
      undefined,
      { reviewsFrom: null },
    );
    const importSeconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const rate = round(dataset.totalRows / importSeconds, 0);
    figures.push({
      section,
      name: 'import of the 903 files (first import, all rows new)',
      value: rate,
      unit: 'rows/s',
      target: `>= ${IMPORT_TARGET} rows/s`,
      met: imported.ok && rate !== null && rate >= IMPORT_TARGET,
      note: imported.ok
        ? `${dataset.totalRows} rows in ${importSeconds.toFixed(1)} s`
        : 'IMPORT FAILED',
    });
    if (engine === 'pglite') {
      figures.push({
        section,
        name: 'import, per CPU second of this process (PGlite runs in it)',
        value: round(dataset.totalRows / cpuSeconds, 0),
        unit: 'rows/s',
        note: `${cpuSeconds.toFixed(1)} CPU s; wall time counts other processes' load too`,
      });
    }
    say(`${section}: imported in ${importSeconds.toFixed(1)} s`);
    collectGarbage();

    start = performance.now();
    const everyone = await listDueReviews(services, { today, from: today, to: addDays(today, 31) });
    figures.push({
      section,
      name: 'due in the next 31 days, everyone (one query)',
      value: round(performance.now() - start, 1),
      unit: 'ms',
      note: `${everyone.length} children`,
    });

    say(`${section}: store queries`);
    const latency = await storeLatency(services, staff, section, samples);
    figures.push(...latency.figures);
    say(`${section}: bot turns`);
    // The store queries' garbage is not the turns' to collect (nor counted in their CPU).
    collectGarbage();
    figures.push(...(await botTurns(stack, staff, section, turns)));
    say(`${section}: scheduling through Graph`);
    figures.push(...(await graphRequests(stack, staff, section, scheduled)));
  } finally {
    await stack.stop();
  }
}

if (process.env['BENCH_SKIP_TAB'] !== '1') {
  say('tab first view');
  figures.push(...(await benchTabFirstView()));
}

const machine = {
  loadAverageAtStart: loadAtStart,
  loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGb: round(os.totalmem() / 1024 ** 3, 1),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  date: new Date().toISOString(),
};
const settings = { lookedAfter, samples, turns, scheduled, iros: IROS, years: YEARS };

console.log(
  `\nIRO Assistant benchmark, ${machine.date}\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, load average ${loadAtStart.join(' ')} at start\n`,
);
let section = '';
for (const f of figures) {
  if (f.section !== section) {
    section = f.section;
    console.log(`\n${section}`);
  }
  const value = f.value === null ? 'n/a' : String(f.value);
  const target = f.target ? `  target ${f.target}: ${f.met ? 'met' : 'NOT met'}` : '';
  console.log(
    `  ${f.name.padEnd(62)} ${value.padStart(10)} ${f.unit.padEnd(9)}${target}${f.note ? `  (${f.note})` : ''}`,
  );
}
const totalSeconds = round((performance.now() - began) / 1000, 0);
console.log(`\nwhole run: ${totalSeconds} s`);
const out = fileURLToPath(new URL('./results.json', import.meta.url));
await writeFile(out, `${JSON.stringify({ machine, settings, totalSeconds, figures }, null, 2)}\n`);
console.log(`written to ${out}`);
