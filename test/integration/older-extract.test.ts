import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listDueReviews } from '../../src/app/due-reviews.js';
import type { ExtractFiles } from '../../src/app/import/extract.js';
import { importExtract, type ImportDone } from '../../src/app/import/import-extract.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract, writeExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-12-04' as LocalDate;

/**
 * The 2025/26 return as the council sent it: two children in care since years before the year
 * (RNE P and T: the start of their care is not in the return). L1, a girl, is still in care on
 * 31 March; L2 moved placement on 27 March, the return's latest date.
 */
function return2526(l2November = 'PN7') {
  return anExtract()
    .withChild('L1', '22/06/2008', '03/09/2021', [
      ['10/06/2025', 'PN1'],
      ['05/12/2025', 'PN1'],
    ])
    .update('Episodes.csv', { CHILD: 'L1' }, { RNE: 'P' })
    .update('Header.csv', { CHILD: 'L1' }, { SEX: 'F', MOTHER: '0' })
    .withChild('L2', '01/02/2013', '01/09/2022', [
      ['20/05/2025', 'PN1'],
      ['18/11/2025', l2November],
    ])
    .update('Episodes.csv', { CHILD: 'L2' }, { RNE: 'T', DEC: '27/03/2026', REC: 'X1' })
    .row('Episodes.csv', {
      CHILD: 'L2',
      DECOM: '27/03/2026',
      RNE: 'P',
      LS: 'C2',
      CIN: 'N1',
      PLACE: 'U3',
      PLACE_PROVIDER: 'PR1',
    });
}

/**
 * 2026/27 to date: L1 became a mother in May and left care on her 18th birthday, staying put
 * (E17); L2's episode of 27 March continues (the one it ended is not in this year's return).
 */
function yearToDate2627() {
  return anExtract()
    .withChild('L1', '22/06/2008', '03/09/2021', [['02/06/2026', 'PN1']])
    .update('Episodes.csv', { CHILD: 'L1' }, { RNE: 'P', DEC: '22/06/2026', REC: 'E17' })
    .update('Header.csv', { CHILD: 'L1' }, { SEX: 'F', MOTHER: '1', MC_DOB: '14/05/2026' })
    .withChild('L2', '01/02/2013', '27/03/2026', [
      ['12/05/2026', 'PN1'],
      ['10/11/2026', 'PN1'],
    ])
    .update('Episodes.csv', { CHILD: 'L2' }, { RNE: 'P', PLACE: 'U3' });
}

describe.each(DIALECTS)('an older extract imported after a newer one, on $name', (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await emptyStore(store);
  });

  const run = async (files: ExtractFiles): Promise<ImportDone> => {
    const result = await importExtract(services, files, { actor: 'test', today: TODAY });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result;
  };
  const episodes = () =>
    store.db
      .selectFrom('episodes')
      .select(['childId', 'decom', 'dec', 'rec', 'place'])
      .orderBy('childId')
      .orderBy('decom')
      .execute();
  const children = () =>
    store.db
      .selectFrom('children')
      .select(['childId', 'sex', 'dob', 'ethnic', 'upn', 'mother', 'mcDob', 'reviewsKnownFrom'])
      .orderBy('childId')
      .execute();
  const due = async () =>
    (
      await listDueReviews(services, {
        today: TODAY,
        from: '2020-01-01' as LocalDate,
        to: '2030-12-31' as LocalDate,
      })
    ).map(({ child, dueDate, kind }) => ({ child, dueDate, kind }));

  it('never reopens an episode a later import ended, and still takes the corrected codes of its own year', async () => {
    await run(return2526().files());
    await run(yearToDate2627().files());
    const before = { episodes: await episodes(), children: await children(), due: await due() };
    expect(before.due).toEqual([{ child: 'L2', dueDate: '2027-05-10', kind: 'subsequent' }]);

    // The 2025/26 return again, corrected after the DfE's validation: L2's November review was PN6.
    const again = await run(return2526('PN6').files());

    expect(again.lastDate).toBe('2026-03-27');
    expect(again.keptEpisodes).toEqual([{ childId: 'L1', decom: '2021-09-03', dec: '2026-06-22' }]);
    expect(again.summary.episodes).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    expect(again.keptChildren).toEqual([{ childId: 'L1', columns: ['MOTHER', 'MC_DOB'] }]);
    expect(again.summary.children).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await children()).toEqual(before.children);
    expect(before.children[0]).toMatchObject({ mother: '1', mcDob: '2026-05-14' });
    expect(again.summary.reviews).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
    expect(await episodes()).toEqual(before.episodes);
    expect(await due()).toEqual(before.due);
    const corrected = await store.db
      .selectFrom('reviews')
      .select('reviewCode')
      .where('childId', '=', 'L2')
      .where('heldOn', '=', '2025-11-18')
      .executeTakeFirstOrThrow();
    expect(corrected.reviewCode).toBe('PN6');
    const kept = await store.db
      .selectFrom('auditLog')
      .select(['actor', 'entity', 'entityId', 'detail'])
      .where('action', '=', 'import.keep')
      .orderBy('id')
      .execute();
    expect(kept).toEqual([
      {
        actor: 'test',
        entity: 'child',
        entityId: 'L1',
        detail: {
          file: 'Header.csv',
          because: 'given by a later import',
          columns: ['MOTHER', 'MC_DOB'],
          fileLastDate: '2026-03-27',
        },
      },
      {
        actor: 'test',
        entity: 'episode',
        entityId: 'L1 2021-09-03',
        detail: {
          file: 'Episodes.csv',
          because: 'ended by a later import',
          dec: '2026-06-22',
          fileDec: null,
          fileRec: null,
          fileLastDate: '2026-03-27',
        },
      },
    ]);
  });

  it('gives the store imported newest first what it gives imported oldest first', async () => {
    await run(return2526().files());
    await run(yearToDate2627().files());
    const inOrder = { episodes: await episodes(), children: await children(), due: await due() };
    await emptyStore(store);
    await run(yearToDate2627().files());
    const older = await run(return2526().files());
    expect(older.keptEpisodes.map((k) => k.childId)).toEqual(['L1']);
    expect(await episodes()).toEqual(inOrder.episodes);
    expect(await children()).toEqual(inOrder.children);
    expect(await due()).toEqual(inOrder.due);
  });

  it('still ends an episode the store holds open: a later file closing it is not rewinding', async () => {
    // 2025/26 to date, taken in December 2025, had L2's episode open; the return ends it.
    const open = return2526()
      .update('Episodes.csv', { CHILD: 'L2', DECOM: '01/09/2022' }, { DEC: '', REC: '' })
      .files();
    const openOnly = {
      ...open,
      'Episodes.csv': (open['Episodes.csv'] as string)
        .split('\n')
        .filter((l) => !l.startsWith('L2,27/03/2026'))
        .join('\n'),
    };
    await run(openOnly);
    const closing = await run(return2526().files());
    expect(closing.keptEpisodes).toEqual([]);
    expect(closing.summary.episodes).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
    expect((await episodes()).map((e) => [e.childId, e.decom, e.dec, e.rec])).toEqual([
      ['L1', '2021-09-03', null, null],
      ['L2', '2022-09-01', '2026-03-27', 'X1'],
      ['L2', '2026-03-27', null, null],
    ]);
  });

  it('says so in the import summary, in words a data officer reads', async () => {
    const folder = async (files: ExtractFiles) => writeExtract(files);
    const cli = async (dir: string) => {
      let out = '';
      const code = await runCli(
        ['import', dir],
        { stdout: (t) => (out += t), stderr: () => undefined, progress: () => undefined, cwd: '/' },
        services,
      );
      expect(code).toBe(0);
      return out;
    };
    const older = await folder(return2526().files());
    expect(await cli(older)).not.toContain('a later import ended');
    await cli(await folder(yearToDate2627().files()));
    const out = await cli(older);
    expect(out).toContain(
      "\nHeader.csv: 1 child's details from a later import were kept as they are (the latest date in this file is 27/03/2026; e.g. L1: MOTHER, MC_DOB).\n",
    );
    expect(out).toContain(
      "\nEpisodes.csv: 1 episode a later import ended was kept as it is (the latest date in this file is 27/03/2026; e.g. L1's episode from 03/09/2021, ended 22/06/2026).\n",
    );
  });
});
