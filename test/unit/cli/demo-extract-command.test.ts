import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../../src/cli/cli-io.js';
import { DEMO_EXTRACT_FILES, demoExtractCommand } from '../../../src/cli/demo-extract-command.js';
import { demoCouncilExtract } from '../../../src/demo/demo-council.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { checkChild, collectionYearOf } from '../../../src/domain/ssda903-rules.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import { childrenInFiles } from '../../support/ssda903-files.js';

const today = '2026-11-23' as LocalDate;
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const services = {
  clock: { now: () => new Date(`${today}T12:00:00Z`), today: () => today },
  calendar,
};

let cwd: string;
let out: { stdout: string; stderr: string };
let io: CliIo;

beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'demo-extract-'));
  out = { stdout: '', stderr: '' };
  io = {
    cwd,
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    progress: () => undefined,
  };
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const read = async (dir: string) =>
  Object.fromEntries(
    await Promise.all(
      DEMO_EXTRACT_FILES.map(async (n) => [n, await readFile(path.join(cwd, dir, n), 'utf8')]),
    ),
  ) as Record<(typeof DEMO_EXTRACT_FILES)[number], string>;

describe('iro-assistant demo-extract', () => {
  it("writes the demo council's five files to a new folder and says what it wrote", async () => {
    expect(await demoExtractCommand(['out/demo'], {}, io, services)).toBe(0);
    const written = await read('out/demo');
    const expected = demoCouncilExtract({ today, calendar });
    for (const name of DEMO_EXTRACT_FILES) expect(written[name]).toBe(expected[name]);
    expect(written['Header.csv'].split('\r\n')[0]).toBe('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB');
    const header = written['Header.csv'].trim().split('\r\n');
    expect(out.stdout).toContain(`as of 2026-11-23, to out/demo:`);
    expect(out.stdout).toMatch(new RegExp(`Header\\.csv\\s+${header.length - 1} rows`));
    for (const name of DEMO_EXTRACT_FILES) expect(out.stdout).toContain(name);
    expect(out.stdout).toContain('iro-assistant import out/demo');
    expect(out.stderr).toBe('');
  });

  it('writes files that pass every DfE rule the app applies', async () => {
    await demoExtractCommand(['demo'], {}, io, services);
    const children = childrenInFiles(await read('demo'));
    expect(children.length).toBeGreaterThan(600);
    const year = collectionYearOf(today, { inYear: true });
    expect(children.flatMap((c) => checkChild(c, year).map((b) => `${c.id} ${b.rule}`))).toEqual(
      [],
    );
  });

  it('refuses to overwrite any of the files without --force, and writes nothing', async () => {
    await demoExtractCommand(['demo'], {}, io, services);
    await writeFile(path.join(cwd, 'demo', 'Header.csv'), 'kept');
    await rm(path.join(cwd, 'demo', 'Reviews.csv'));
    const again = demoExtractCommand(['demo'], {}, io, services);
    await expect(again).rejects.toThrow(UsageError);
    await expect(again).rejects.toThrow(
      /"demo" already has Header\.csv, Episodes\.csv, Staff\.csv, Allocations\.csv; nothing was written \(add --force/,
    );
    expect(await readFile(path.join(cwd, 'demo', 'Header.csv'), 'utf8')).toBe('kept');
    await expect(readFile(path.join(cwd, 'demo', 'Reviews.csv'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses when only one of the files is there', async () => {
    await writeFile(path.join(cwd, 'Staff.csv'), 'ours');
    await expect(demoExtractCommand(['.'], {}, io, services)).rejects.toThrow(
      /already has Staff\.csv;/,
    );
    expect(await readFile(path.join(cwd, 'Staff.csv'), 'utf8')).toBe('ours');
  });

  it('overwrites with --force', async () => {
    await demoExtractCommand(['demo'], {}, io, services);
    await writeFile(path.join(cwd, 'demo', 'Header.csv'), 'old');
    expect(await demoExtractCommand(['demo'], { force: true }, io, services)).toBe(0);
    expect((await read('demo'))['Header.csv']).toBe(
      demoCouncilExtract({ today, calendar })['Header.csv'],
    );
  });

  it.each([
    [[], {}, /give the folder to write to/],
    [['a', 'b'], {}, /unexpected argument "b"/],
    [['a'], { json: true }, /takes only a folder and --force, not --json/],
  ])('refuses %j %j', async (positionals, values, message) => {
    await expect(demoExtractCommand(positionals, values, io, services)).rejects.toThrow(message);
  });

  it('refuses a path that is a file', async () => {
    await writeFile(path.join(cwd, 'plain'), '');
    await expect(demoExtractCommand(['plain'], {}, io, services)).rejects.toThrow(
      /"plain" is a file, not a folder/,
    );
  });
});
