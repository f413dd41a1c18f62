import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractFileName } from '../../src/app/import/extract.js';
import { todayIn } from '../../src/domain/local-date.js';
import { anExtract } from '../support/extract-builder.js';
import { runIroAssistant } from '../support/run-cli.js';

// The command line works on the real today: the extract is dated relative to it.
const today = todayIn('Europe/London', new Date());
const year = Number(today.slice(0, 4));
const uk = (y: number, m: number, d: number) =>
  `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
// The last complete 903 year: from 1 April two springs ago or one, whichever has ended.
const yearStart = today >= `${year}-04-01` ? year - 1 : year - 2;

/** A one-year extract as a council's case system writes it: the current coding, names in any case. */
function oneYearExtract() {
  return anExtract()
    .withChild('OLD1', '01/02/2012', uk(yearStart - 2, 5, 14))
    .update('Episodes.csv', { CHILD: 'OLD1' }, { RNE: 'P' })
    .withChild('OLD2', '01/02/2013', uk(yearStart - 3, 9, 1), [
      [uk(yearStart, 6, 10), 'PN1'],
      [uk(yearStart, 11, 20), 'PN6'],
    ])
    .update('Episodes.csv', { CHILD: 'OLD2' }, { RNE: 'T' })
    .update('Header.csv', { CHILD: 'OLD2' }, { SEX: 'F' })
    .withChild('SB1', '01/02/2015', uk(yearStart, 5, 6), [[uk(yearStart, 7, 1), 'PN1']])
    .update('Episodes.csv', { CHILD: 'SB1' }, { LS: 'V4' })
    .update('Header.csv', { CHILD: 'SB1' }, { SEX: 'U' });
}

const NAMES: Partial<Record<ExtractFileName, string>> = {
  'Header.csv': 'header.csv',
  'Episodes.csv': 'EPISODES.CSV',
  'Reviews.csv': 'Reviews.csv',
  'Staff.csv': 'staff.CSV',
  'Allocations.csv': 'allocations.csv',
};

async function writeAs(
  dir: string,
  files: Partial<Record<ExtractFileName, string>>,
  names: Partial<Record<ExtractFileName, string>>,
) {
  for (const [name, text] of Object.entries(files) as [ExtractFileName, string][]) {
    await writeFile(path.join(dir, names[name] ?? name), text);
  }
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'iro-cli-903-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("iro-assistant with a file saved as Excel's plain CSV (Windows-1252)", () => {
  it('refuses it with its file and line, and imports nothing', async () => {
    const files = oneYearExtract().files();
    const lines = (files['Allocations.csv'] as string).split('\n');
    const column = (lines[0] as string).trim().split(',').indexOf('FIRST_NAME');
    const cells = (lines[1] as string).split(',');
    cells[column] = 'Élodie';
    lines[1] = cells.join(',');
    const dir = await mkdtemp(path.join(work, 'cp1252-'));
    await writeAs(dir, files, {});
    await writeFile(path.join(dir, 'Allocations.csv'), Buffer.from(lines.join('\n'), 'latin1'));
    const env = { DATA_DIR: path.join(dir, 'data') };
    const run = await runIroAssistant(['import', dir], env);
    // Invalid data (1), not a bad command line (2): a scheduled import tells the data team.
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Allocations.csv:2: the file is not UTF-8');
    const due = await runIroAssistant(['due', '--from', '2000-01-01', '--to', '2099-12-31'], env);
    expect(due.stdout).not.toMatch(/\uFFFD/);
    expect(due.stdout).not.toMatch(/[A-Z]\d{5}/);
  });
});

describe('iro-assistant with a one-year 903 extract', () => {
  let env: Record<string, string>;
  let extract: string;

  beforeAll(async () => {
    env = { DATA_DIR: path.join(work, 'data') };
    extract = await mkdtemp(path.join(work, 'extract-'));
    await writeAs(extract, oneYearExtract().files(), NAMES);
  });

  it('reads the files whatever the case of their names, and says which was read as which', async () => {
    const run = await runIroAssistant(['import', extract], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'header.csv as Header.csv, EPISODES.CSV as Episodes.csv, Reviews.csv, staff.CSV as Staff.csv, allocations.csv as Allocations.csv',
    );
    expect(run.stdout).toContain(
      `Reviews held from 01/04/${yearStart} are taken as complete (the 903 year of the earliest review in Reviews.csv; change it with --reviews-from); reviews before that are known only from earlier imports and LastReviews.csv.`,
    );
    // An IRO and a social worker for each row: the count is of allocations, and says so.
    expect(run.stdout).toContain(
      "allocations counts a child's IRO and social worker apart (up to two for each row of Allocations.csv).",
    );
  });

  it('prints one warning line per child whose due date cannot be known', async () => {
    const run = await runIroAssistant(['import', extract], env);
    expect(run.code).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      'warning: OLD1: due date unknown: last review before the extract; give its date in LastReviews.csv (CHILD, LAST_REVIEW)',
    ]);
  });

  it('lists that child as due date unknown, and the short-break child with its own kind', async () => {
    const run = await runIroAssistant(
      ['due', '--from', '1990-01-01', '--to', '2199-12-31', '--json'],
      env,
    );
    expect(run.code).toBe(0);
    const items = JSON.parse(run.stdout) as { child: string; kind: string | null }[];
    expect(items.map((i) => [i.child, i.kind])).toEqual([
      ['SB1', 'short_breaks'],
      ['OLD2', 'subsequent'],
      ['OLD1', null],
    ]);
    expect(items[2]).toMatchObject({
      dueDate: null,
      dueDateUnknown: 'due date unknown: last review before the extract',
    });
  });

  it('leaves the short-break child out of the Reviews file and says how many and why', async () => {
    const run = await runIroAssistant(
      ['export-reviews', '--from', `${yearStart}-04-01`, '--to', today],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('OLD2,01/02/2013,');
    expect(run.stdout).not.toContain('SB1');
    expect(run.stderr).toContain(
      'left out: 1 review of 1 child on short breaks only (every episode LS V3 or V4): the 903 has no REVIEW for them (DfE rule 399)',
    );
  });

  it('says in the report figures what timeliness leaves out', async () => {
    const run = await runIroAssistant(
      ['stats', '--from', `${yearStart}-04-01`, '--to', today],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Left out of timeliness: 1 reviews whose due date cannot be known (the review before them was held before the extract)',
    );
    expect(run.stdout).toMatch(/Short breaks \(Regulation 48, counted apart\): 1 children/);
  });
});

describe('iro-assistant import mistakes with file names', () => {
  it('refuses a folder with two files for one name, and imports nothing', async () => {
    const dir = await mkdtemp(path.join(work, 'twice-'));
    const files = oneYearExtract().files();
    await writeAs(dir, files, {});
    await writeFile(path.join(dir, 'HEADER.CSV'), files['Header.csv']);
    const run = await runIroAssistant(['import', dir], { DATA_DIR: path.join(work, 'twice-data') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /has (HEADER\.CSV and Header\.csv|Header\.csv and HEADER\.CSV); keep one file for Header\.csv/,
    );
  });

  it('takes --reviews-from all for an extract that holds every review ever held', async () => {
    const dir = await mkdtemp(path.join(work, 'all-'));
    await writeAs(dir, oneYearExtract().files(), {});
    const run = await runIroAssistant(['import', dir, '--reviews-from', 'all'], {
      DATA_DIR: path.join(work, 'all-data'),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Reviews.csv is taken to hold every review ever held');
    // Even with every review, OLD1's period began before its first episode: no first due date.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: OLD1: due date unknown: last review before the extract; give its date in LastReviews.csv (CHILD, LAST_REVIEW)',
    ]);
  });

  it('refuses a --reviews-from that is not a date', async () => {
    const run = await runIroAssistant(['import', work, '--reviews-from', 'last year'], {
      DATA_DIR: path.join(work, 'bad-data'),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--reviews-from "last year" is not a date as YYYY-MM-DD or "all"');
  });
});
