import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import { startServer, StoreInUseError } from '../../src/server.js';
import { createLogger } from '../../src/shared/logger.js';
import { acquireDataDirLock } from '../../src/store/data-dir-lock.js';
import { writeExtract } from '../support/extract-builder.js';
import { oracleChildren, oracleDue, oracleStats } from '../support/review-oracle.js';
import { runIroAssistant } from '../support/run-cli.js';
import { freshPostgresUrl } from '../support/store-dialects.js';

// The command line uses the real clock, so the generated council is built around today.
const today = todayIn('Europe/London', new Date());
const files = demoCouncilExtract({
  today,
  calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
  seed: 99,
});
const oracle = oracleChildren(files);
const inDays = (n: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10) as LocalDate;
};

let work: string;
let extractDir: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'iro-cli-'));
  extractDir = await writeExtract(files, await mkdtemp(path.join(work, 'extract-')));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('iro-assistant command line mistakes', () => {
  const env = () => ({ DATA_DIR: path.join(work, 'unused') });

  it.each([
    [['frob'], /unknown command "frob"/],
    [
      ['due', '--from', '2026-02-30', '--to', '2026-03-01'],
      /--from "2026-02-30" is not a date as YYYY-MM-DD/,
    ],
    [['due', '--from', '2026-03-01'], /--to YYYY-MM-DD is required/],
    [
      ['stats', '--from', '2026-03-02', '--to', '2026-03-01'],
      /--from 2026-03-02 is after --to 2026-03-01/,
    ],
    [
      ['due', '--from', '2026-03-01', '--to', '2026-03-02', '--colour'],
      /Unknown option '--colour'/,
    ],
    [['import'], /give the folder/],
    [['import', '/no/such/folder'], /folder "\/no\/such\/folder" does not exist/],
  ])('%j exits 2 with one line', async (args, message) => {
    const run = await runIroAssistant(args, env());
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('names the missing files of an extract and exits 2', async () => {
    const partial = await mkdtemp(path.join(work, 'partial-'));
    await writeFile(path.join(partial, 'Header.csv'), files['Header.csv']);
    const run = await runIroAssistant(['import', partial], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no Episodes\.csv, Reviews\.csv, Staff\.csv, Allocations\.csv/);
  });

  it('prints help', async () => {
    const run = await runIroAssistant(['help'], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/export-reviews --from DATE --to DATE/);
  });
});

describe('iro-assistant on the embedded store', () => {
  let env: Record<string, string>;

  beforeAll(() => {
    env = { DATA_DIR: path.join(work, 'data') };
  });

  it('imports an extract, and a second import of it changes nothing', async () => {
    const first = await runIroAssistant(['import', extractDir], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/reviews\s+\d+ new\s+0 updated\s+0 unchanged/);
    const second = await runIroAssistant(['import', extractDir], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/reviews\s+0 new\s+0 updated\s+\d+ unchanged/);
  });

  it('lists due reviews as JSON, sorted, matching the rules', async () => {
    const run = await runIroAssistant(['due', '--from', today, '--to', inDays(40), '--json'], env);
    expect(run.code).toBe(0);
    const expected = oracleDue(oracle, today, today, inDays(40));
    expect(expected.length).toBeGreaterThan(5);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('filters by IRO, whatever the case of the address', async () => {
    const iro = oracle[3]?.iro as string;
    const run = await runIroAssistant(
      ['due', '--from', today, '--to', inDays(90), '--iro', iro.toUpperCase(), '--json'],
      env,
    );
    expect(JSON.parse(run.stdout)).toEqual(oracleDue(oracle, today, today, inDays(90), iro));
  });

  it('prints a readable table without --json', async () => {
    const run = await runIroAssistant(['due', '--from', today, '--to', inDays(40)], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Reviews due ${today} to ${inDays(40)}: \\d+\\n`));
    expect(run.stdout).toMatch(/Due\s+Kind\s+Child\s+Initials\s+Days left\s+IRO\s+Social worker/);
  });

  it('prints the annual report figures as JSON', async () => {
    const run = await runIroAssistant(
      ['stats', '--from', inDays(-365), '--to', today, '--json'],
      env,
    );
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    const expected = oracleStats(oracle, inDays(-365), today);
    expect(stats).toMatchObject({
      reviewsHeld: expected.reviewsHeld,
      reviewsOnTime: expected.reviewsOnTime,
      participation: expected.participation,
      childrenLookedAfter: expected.childrenLookedAfter,
    });
    expect(stats.timelinessPercent).toBeCloseTo(
      (100 * expected.reviewsOnTime) / expected.reviewsHeld,
      1,
    );
    expect(stats.caseload).toHaveLength(14);
    expect(stats.caseload[0]).toEqual(
      expect.objectContaining({
        iro: expect.any(String),
        children: expect.any(Number),
        fte: expect.any(Number),
        perFte: expect.any(Number),
      }),
    );
  });

  it('exports the 903 Reviews file', async () => {
    const run = await runIroAssistant(
      ['export-reviews', '--from', inDays(-365), '--to', today],
      env,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('CHILD,DOB,REVIEW,REVIEW_CODE');
    expect(lines.length - 1).toBeGreaterThan(100);
    expect(
      lines
        .slice(1)
        .every((l) => /^[A-Z]\d{5},\d{2}\/\d{2}\/\d{4},\d{2}\/\d{2}\/\d{4},PN[0-7]$/.test(l)),
    ).toBe(true);
  });

  it('refuses a bad extract as a whole: exit 1, every problem listed, nothing changed', async () => {
    const before = await runIroAssistant(
      ['stats', '--from', inDays(-365), '--to', today, '--json'],
      env,
    );
    const bad = await mkdtemp(path.join(work, 'bad-'));
    const reviews = files['Reviews.csv'].trimEnd().split('\r\n');
    const [child, dob] = (reviews[1] as string).split(',');
    reviews.push(`${child},${dob},${'01/01/2001'},PN9`);
    await writeExtract({ ...files, 'Reviews.csv': `${reviews.join('\r\n')}\r\n` }, bad);
    const run = await runIroAssistant(['import', bad], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Reviews.csv:${reviews.length}: REVIEW_CODE: 167 "PN9" is not one of PN0 to PN7`,
    );
    expect(run.stderr).toMatch(/Nothing was imported: 1 problem to fix in the extract\./);
    const after = await runIroAssistant(
      ['stats', '--from', inDays(-365), '--to', today, '--json'],
      env,
    );
    expect(after.stdout).toBe(before.stdout);
  });

  it('says once that a column is in the wrong date format, and lists only the first few', async () => {
    const iso = await mkdtemp(path.join(work, 'iso-'));
    // As Power Query or a custom format writes it: every date in Reviews.csv as yyyy-mm-dd.
    const reviews = files['Reviews.csv'].replace(
      /\b(\d{2})\/(\d{2})\/(\d{4})\b/g,
      (_, d: string, m: string, y: string) => `${y}-${m}-${d}`,
    );
    await writeExtract({ ...files, 'Reviews.csv': reviews }, iso);
    const run = await runIroAssistant(['import', iso], env);
    expect(run.code).toBe(1);
    const rows = reviews.trimEnd().split('\r\n').length - 1;
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Reviews\.csv, DOB: every value is written yyyy-mm-dd \(line 2: \d{4}-\d{2}-\d{2}\), but the 903 needs dd\/mm\/yyyy\. In Excel, select the column, Format Cells > Custom, type dd\/mm\/yyyy/,
    );
    expect(lines[1]).toMatch(/^Reviews\.csv, REVIEW: every value is written yyyy-mm-dd/);
    expect(lines.filter((l) => /^Reviews\.csv:\d+: DOB: /.test(l))).toHaveLength(10);
    expect(lines.filter((l) => /^Reviews\.csv:\d+: REVIEW: 166 /.test(l))).toHaveLength(10);
    expect(lines).toContain(
      `Reviews.csv: DOB: and ${(rows - 10).toLocaleString('en-GB')} more like them further down`,
    );
    expect(lines.at(-1)).toBe(
      `Nothing was imported: ${(2 * rows).toLocaleString('en-GB')} problems to fix in the extract.`,
    );
  });

  it('says a file separated by semicolons must be separated by commas, once', async () => {
    const semi = await mkdtemp(path.join(work, 'semi-'));
    await writeExtract({ ...files, 'Reviews.csv': files['Reviews.csv'].replace(/,/g, ';') }, semi);
    const run = await runIroAssistant(['import', semi], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Reviews\.csv:1: \(whole file\): the columns are separated by semicolons \(;\), but the file must be separated by commas: in Excel, save it as "CSV UTF-8 \(Comma delimited\)"/,
    );
    expect(run.stderr).not.toContain('missing from the header line');
    expect(run.stderr).toMatch(/Nothing was imported: 1 problem to fix in the extract\.\n$/);
  });

  it('prints each count of the report figures after a colon, not run into its label', async () => {
    const run = await runIroAssistant(['stats', '--from', inDays(-365), '--to', today], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\nAge on ${today}: Under 1: \\d+, 1 to 4: \\d+, 5 to 9: \\d+, 10 to 15: \\d+, 16 and over: \\d+\\n`,
      ),
    );
    expect(run.stdout).toMatch(/\nGender: Male: \d+, Female: \d+/);
    expect(run.stdout).toMatch(/\nEthnicity: White: \d+; /);
    expect(run.stdout).toMatch(/\nOn time by kind \(due date known\): first: \d+ of \d+ \(/);
    expect(run.stdout).toMatch(/attendance recorded at \d+: child: \d+ \(/);
  });

  it("credits no IRO with a child on a day before allocations were imported, and says FTE is today's", async () => {
    const lastDay = inDays(-365);
    const run = await runIroAssistant(['stats', '--from', inDays(-730), '--to', lastDay], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\nIRO not known on ${lastDay}: \\d+ children \\(allocations held from \\d{4}-\\d{2}-\\d{2}\\), credited to no IRO\\n`,
      ),
    );
    expect(run.stdout).toContain("FTE as in today's Staff.csv.");
    // Each IRO's line: n/a children and n/a per FTE, not today's caseload.
    const table = run.stdout.split(`Caseload on ${lastDay}`)[1]?.split('\nAll IROs:')[0] ?? '';
    const lines = table.split('\n').filter((l) => l.includes('@'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => /@\S+\s+n\/a\s+[\d.]+\s+n\/a/.test(l))).toBe(true);
  });

  it('works through a running server instead of opening its files', async () => {
    const logger = createLogger('silent');
    const server = await startServer(loadConfig({ ...env, PORT: '0', DEMO_DATA: 'false' }), logger);
    try {
      const run = await runIroAssistant(
        ['due', '--from', today, '--to', inDays(40), '--json'],
        env,
      );
      expect(run.stderr).toMatch(/running through the IRO Assistant server/);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(oracleDue(oracle, today, today, inDays(40)));
      const reimport = await runIroAssistant(['import', extractDir], env);
      expect(reimport.code).toBe(0);
      expect(reimport.stdout).toMatch(/children\s+0 new/);
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', store: 'pglite' });
      const forged = await fetch(`${server.url}/internal/cli`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer guess' },
        body: JSON.stringify({ argv: ['due'], cwd: '/' }),
      });
      expect(forged.status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('keeps a server off the store while a command holds it', async () => {
    const held = await acquireDataDirLock(env['DATA_DIR'] as string, {
      holder: 'cli',
      command: 'import',
    });
    expect(held.ok).toBe(true);
    try {
      await expect(
        startServer(loadConfig({ ...env, PORT: '0' }), createLogger('silent')),
      ).rejects.toThrow(StoreInUseError);
    } finally {
      if (held.ok) await held.lock.release();
    }
  });
});

describe.runIf(process.env['DATABASE_URL'])('iro-assistant on a PostgreSQL server', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    drop = db.drop;
    env = { DATABASE_URL: db.url, DATA_DIR: path.join(work, 'never-used') };
  });
  afterAll(async () => {
    await drop();
  });

  it('imports and answers the same as on the embedded store', async () => {
    const imported = await runIroAssistant(['import', extractDir], env);
    expect(imported.code).toBe(0);
    const run = await runIroAssistant(['due', '--from', today, '--to', inDays(40), '--json'], env);
    expect(JSON.parse(run.stdout)).toEqual(oracleDue(oracle, today, today, inDays(40)));
  });
});
