import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { annualReportFigures } from '../../src/app/annual-report.js';
import { listDueReviews } from '../../src/app/due-reviews.js';
import { exportReviewsFile } from '../../src/app/export-reviews.js';
import { formatProblem } from '../../src/app/import/extract.js';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract, type ExtractBuilder } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-03-31' as LocalDate;
const YEAR = { from: '2025-04-01' as LocalDate, to: TODAY };

/** A child whose period of care began before the extract: first episode in it has RNE P. */
function continuing(builder: ExtractBuilder, child: string, reviews: [string, string][] = []) {
  builder.withChild(child, '01/02/2012', '14/05/2024', reviews);
  return builder.update('Episodes.csv', { CHILD: child }, { RNE: 'P' });
}

describe.each(DIALECTS)('the 903 as councils send it, on $name', (dialect) => {
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

  const run = (builder: ExtractBuilder, reviewsFrom?: LocalDate | null) =>
    importExtract(
      services,
      builder.files(),
      { actor: 'test', today: TODAY },
      undefined,
      reviewsFrom === undefined ? {} : { reviewsFrom },
    );
  const problems = async (builder: ExtractBuilder) => {
    const result = await run(builder);
    return result.ok ? [] : result.problems.map(formatProblem);
  };
  const due = (childIds?: string[]) =>
    listDueReviews(services, {
      today: TODAY,
      from: '1900-01-01' as LocalDate,
      to: '2999-12-31' as LocalDate,
      ...(childIds ? { childIds } : {}),
    });

  describe('sex coding', () => {
    it('reads the current coding M, F and U and the older 1 and 2 as one meaning', async () => {
      const builder = anExtract()
        .withChild('A1', '01/02/2015', '02/11/2025')
        .withChild('A2', '01/02/2015', '02/11/2025')
        .withChild('A3', '01/02/2015', '02/11/2025')
        .withChild('A4', '01/02/2015', '02/11/2025')
        .withChild('A5', '01/02/2015', '02/11/2025')
        .update('Header.csv', { CHILD: 'A2' }, { SEX: 'f' })
        .update('Header.csv', { CHILD: 'A3' }, { SEX: 'U' })
        .update('Header.csv', { CHILD: 'A4' }, { SEX: '1' })
        .update('Header.csv', { CHILD: 'A5' }, { SEX: '2' });
      expect((await run(builder)).ok).toBe(true);
      const rows = await store.db
        .selectFrom('children')
        .select(['childId', 'sex'])
        .orderBy('childId')
        .execute();
      expect(rows.map((r) => r.sex)).toEqual(['M', 'F', 'U', 'M', 'F']);
    });

    it('refuses a code of neither coding, saying which codes it takes', async () => {
      const builder = anExtract()
        .withChild('A1', '01/02/2015', '02/11/2025')
        .update('Header.csv', { CHILD: 'A1' }, { SEX: '3' });
      expect(await problems(builder)).toEqual([
        'Header.csv:2: SEX: "3" is not a valid code (M, F or U; the older coding 1 and 2 is read too)',
      ]);
    });
  });

  describe('dates', () => {
    it('refuses a review dated after today, with its file and line, and stores nothing', async () => {
      const builder = anExtract().withChild('A1', '01/02/2015', '06/01/2025', [
        ['03/02/2025', 'PN1'],
        ['15/06/2026', 'PN1'],
      ]);
      expect(await problems(builder)).toEqual([
        'Reviews.csv:3: REVIEW: 15/06/2026 is in the future; a review is recorded once it has been held',
      ]);
      const held = await store.db.selectFrom('reviews').select('id').execute();
      expect(held).toEqual([]);
    });

    it('refuses an episode that starts or ends after today', async () => {
      const builder = anExtract()
        .withChild('A1', '01/02/2015', '06/04/2026')
        .withChild('A2', '01/02/2015', '06/01/2025')
        .update('Episodes.csv', { CHILD: 'A2' }, { DEC: '01/05/2026', REC: 'E13' });
      expect(await problems(builder)).toEqual([
        'Episodes.csv:2: DECOM: 06/04/2026 is in the future; an episode is recorded once it has happened',
        'Episodes.csv:3: DEC: 01/05/2026 is in the future; the end of an episode is recorded once it has happened',
      ]);
    });

    it('takes the DOB from Header.csv when Reviews.csv leaves it blank (INT17 skips blanks)', async () => {
      const builder = anExtract().withChild('A1', '01/02/2015', '06/01/2025', [
        ['03/02/2025', 'PN1'],
      ]);
      builder.update('Reviews.csv', { CHILD: 'A1' }, { DOB: '' });
      expect((await run(builder)).ok).toBe(true);
      const [review] = await store.db.selectFrom('reviews').select(['heldOn']).execute();
      expect(review?.heldOn).toBe('2025-02-03');
    });
  });

  describe('rule numbers mean what the DfE means', () => {
    it('gives 1012 to reviews of a child with no episode at all', async () => {
      const builder = anExtract()
        .withChild('A1', '01/02/2015', '06/01/2025')
        .row('Header.csv', { CHILD: 'A2', SEX: 'F', DOB: '01/02/2016' })
        .row('Reviews.csv', {
          CHILD: 'A2',
          DOB: '01/02/2016',
          REVIEW: '01/03/2025',
          REVIEW_CODE: 'PN1',
        });
      expect(await problems(builder)).toEqual([
        'Reviews.csv:2: CHILD: 1012 A2 has reviews but no episode in Episodes.csv',
      ]);
    });

    it.each([
      [
        'before the period began',
        '01/12/2024',
        "Reviews.csv:2: REVIEW: 01/12/2024 is before A1's period of care began (DECOM 06/01/2025 in Episodes.csv)",
      ],
      [
        'after the child left care',
        '10/03/2026',
        'Reviews.csv:2: REVIEW: 10/03/2026 is after A1 left care (DEC 28/02/2026 in Episodes.csv)',
      ],
    ])('has its own message, without a rule number, for a review %s', async (_l, date, line) => {
      const builder = anExtract()
        .withChild('A1', '01/02/2015', '06/01/2025', [[date, 'PN1']])
        .update('Episodes.csv', { CHILD: 'A1' }, { DEC: '28/02/2026', REC: 'E13' });
      expect(await problems(builder)).toEqual([line]);
    });

    it('accepts a review before the first episode of a period that began before the extract', async () => {
      const builder = continuing(anExtract(), 'A1', [['01/05/2024', 'PN1']]);
      builder.update('Episodes.csv', { CHILD: 'A1' }, { DECOM: '14/05/2024' });
      expect((await run(builder)).ok).toBe(true);
    });
  });

  describe('CHILD ids are compared exactly, as the 903 does', () => {
    it('refuses an id that differs from another only in letter case, in one extract', async () => {
      const builder = anExtract()
        .withChild('N38804', '01/02/2015', '06/01/2025')
        .row('Header.csv', { CHILD: ' n38804 ', SEX: 'M', DOB: '01/02/2015' });
      expect(await problems(builder)).toEqual([
        'Header.csv:3: CHILD: n38804 differs from N38804 (line 2) only in letter case; the 903 compares CHILD ids exactly: give one child one id',
      ]);
    });

    it('refuses an id that differs from one already imported only in letter case', async () => {
      expect((await run(anExtract().withChild('N38804', '01/02/2015', '06/01/2025'))).ok).toBe(
        true,
      );
      expect(await problems(anExtract().withChild(' n38804 ', '01/02/2015', '06/01/2025'))).toEqual(
        [
          'Header.csv:2: CHILD: n38804 differs from N38804, already imported, only in letter case; the 903 compares CHILD ids exactly: use the same id as before',
        ],
      );
      const children = await store.db.selectFrom('children').select('childId').execute();
      expect(children).toEqual([{ childId: 'N38804' }]);
    });

    it('trims spaces around an id, so " N38804 " is N38804', async () => {
      expect((await run(anExtract().withChild('N38804', '01/02/2015', '06/01/2025'))).ok).toBe(
        true,
      );
      const again = anExtract().withChild(' N38804 ', '01/02/2015', '06/01/2025');
      expect((await run(again)).ok).toBe(true);
      expect(await store.db.selectFrom('children').select('childId').execute()).toEqual([
        { childId: 'N38804' },
      ]);
    });
  });

  describe('a one-year extract', () => {
    it('shows a child whose last review was before the extract as due date unknown, and says so at import', async () => {
      const builder = continuing(anExtract(), 'OLD1');
      continuing(builder, 'OLD2', [
        ['10/06/2025', 'PN1'],
        ['20/11/2025', 'PN6'],
      ]);
      builder.withChild('NEW1', '01/02/2015', '01/09/2025', [['25/09/2025', 'PN1']]);
      const result = await run(builder);
      expect(result).toMatchObject({
        ok: true,
        reviewsKnownFrom: '2025-04-01',
        reviewsFromInferred: true,
        dueUnknown: ['OLD1'],
      });
      expect((await due()).map((i) => [i.child, i.dueDate, i.kind])).toEqual([
        ['NEW1', '2025-12-25', 'second'],
        ['OLD2', '2026-05-20', 'subsequent'],
        ['OLD1', null, null],
      ]);
      const year = await annualReportFigures(services, YEAR);
      expect(year).toMatchObject({
        reviewsHeld: 3,
        reviewsAssessed: 2,
        reviewsOnTime: 2,
        reviewsDueUnknown: 1,
        timelinessPercent: 100,
      });
      expect(year.childTimeliness.childrenDueUnknown).toBe(2);
    });

    it("takes the council's last review before the extract from LastReviews.csv", async () => {
      const builder = continuing(anExtract(), 'OLD1').row('LastReviews.csv', {
        CHILD: 'OLD1',
        LAST_REVIEW: '12/12/2024',
      });
      continuing(builder, 'OLD2', [['10/06/2025', 'PN1']]).row('LastReviews.csv', {
        CHILD: 'OLD2',
        LAST_REVIEW: '28/03/2025',
        REVIEW_NUMBER: '1',
      });
      const result = await run(builder);
      expect(result).toMatchObject({ ok: true, dueUnknown: [] });
      // OLD1: 6 months after 12 Dec 2024, overdue. OLD2: second review due 3 months after its
      // first (28 Mar): 28 Jun, held on time on 10 Jun; the next 6 months on.
      expect((await due()).map((i) => [i.child, i.dueDate, i.kind])).toEqual([
        ['OLD1', '2025-06-12', 'subsequent'],
        ['OLD2', '2025-12-10', 'subsequent'],
      ]);
      expect(await annualReportFigures(services, YEAR)).toMatchObject({
        reviewsAssessed: 1,
        reviewsOnTime: 1,
        reviewsDueUnknown: 0,
      });
    });

    it('keeps the last review before the extract when a later import leaves LastReviews.csv out', async () => {
      const first = continuing(anExtract(), 'OLD1').row('LastReviews.csv', {
        CHILD: 'OLD1',
        LAST_REVIEW: '12/12/2024',
      });
      expect((await run(first)).ok).toBe(true);
      expect((await run(continuing(anExtract(), 'OLD1'))).ok).toBe(true);
      expect((await due()).map((i) => i.dueDate)).toEqual(['2025-06-12']);
    });

    it.each([
      [
        { CHILD: 'OLD1', LAST_REVIEW: '10/07/2025' },
        "LastReviews.csv:2: LAST_REVIEW: 10/07/2025 is not before OLD1's first review in Reviews.csv (10/06/2025); give the last review held before the extract",
      ],
      [
        { CHILD: 'OLD1', LAST_REVIEW: '10/01/2025', REVIEW_NUMBER: 'first' },
        'LastReviews.csv:2: REVIEW_NUMBER: "first" is not a review number (1 for the child\'s first review of the period, 2, 3, ...; blank for a later review)',
      ],
      [
        { CHILD: 'NOBODY', LAST_REVIEW: '10/01/2025' },
        'LastReviews.csv:2: CHILD: NOBODY is not in Header.csv',
      ],
    ])('says what to fix in LastReviews.csv (%j)', async (row, line) => {
      const builder = continuing(anExtract(), 'OLD1', [['10/06/2025', 'PN1']]).row(
        'LastReviews.csv',
        row,
      );
      expect(await problems(builder)).toEqual([line]);
    });

    it('numbers the reviews, but invents no first due date, with --reviews-from all', async () => {
      const builder = continuing(anExtract(), 'OLD1', [['01/07/2024', 'PN1']]);
      continuing(builder, 'OLD2');
      // Every review ever held is here, so 1 July 2024 was OLD1's first: the second is due 3
      // months later. OLD2's period began before its first episode: its first review's due
      // date is not known.
      expect(await run(builder, null)).toMatchObject({
        ok: true,
        reviewsKnownFrom: null,
        dueUnknown: ['OLD2'],
      });
      expect((await due()).map((i) => [i.child, i.dueDate, i.kind])).toEqual([
        ['OLD1', '2024-10-01', 'second'],
        ['OLD2', null, null],
      ]);
    });
  });

  describe('short breaks', () => {
    const shortBreaks = () =>
      anExtract()
        .withChild('SB1', '01/02/2015', '06/01/2025', [['01/04/2025', 'PN1']])
        .update('Episodes.csv', { CHILD: 'SB1' }, { LS: 'V4' })
        .withChild('FT1', '01/02/2015', '06/01/2025', [['03/02/2025', 'PN1']]);

    it('are listed with their own due dates and kind', async () => {
      expect((await run(shortBreaks(), null)).ok).toBe(true);
      expect((await due()).map((i) => [i.child, i.dueDate, i.kind, i.shortBreak])).toEqual([
        ['FT1', '2025-05-03', 'second', false],
        // First break 6 Jan 2025: first review within 3 months (6 Apr), held 1 Apr; then 6 months.
        ['SB1', '2025-10-01', 'short_breaks', true],
      ]);
    });

    it('are left out of 903 timeliness and counted apart', async () => {
      expect((await run(shortBreaks(), null)).ok).toBe(true);
      const figures = await annualReportFigures(services, {
        from: '2025-01-01' as LocalDate,
        to: TODAY,
      });
      expect(figures).toMatchObject({ reviewsHeld: 1, reviewsAssessed: 1, childrenLookedAfter: 1 });
      expect(figures.shortBreaks).toMatchObject({
        children: 1,
        reviewsHeld: 1,
        reviewsAssessed: 1,
        reviewsOnTime: 1,
      });
    });

    it('are left out of the 903 Reviews file (DfE rule 399), which says how many', async () => {
      expect((await run(shortBreaks(), null)).ok).toBe(true);
      const file = await exportReviewsFile(services, {
        from: '2025-01-01' as LocalDate,
        to: TODAY,
      });
      expect(file.csv).toContain('FT1,');
      expect(file.csv).not.toContain('SB1');
      expect(file.shortBreaksLeftOut).toEqual({ reviews: 1, children: 1 });
    });

    it('are reviewed between breaks: a review after the last break is accepted', async () => {
      const builder = anExtract()
        .withChild('SB2', '01/02/2015', '06/01/2025', [['01/03/2025', 'PN1']])
        .update('Episodes.csv', { CHILD: 'SB2' }, { LS: 'V3', DEC: '08/01/2025', REC: 'E13' });
      expect((await run(builder, null)).ok).toBe(true);
      // The arrangement runs until 6 months after the last break (8 July 2025).
      expect(
        (
          await listDueReviews(services, {
            today: '2025-06-01' as LocalDate,
            from: '1900-01-01' as LocalDate,
            to: '2199-12-31' as LocalDate,
          })
        ).map((i) => [i.child, i.dueDate, i.kind]),
      ).toEqual([['SB2', '2025-09-01', 'short_breaks']]);
      expect(await due()).toEqual([]);
    });

    it('start the 20-working-day clock when the child moves to full-time care', async () => {
      const builder = anExtract()
        .withChild('MOVE', '01/02/2015', '06/01/2025', [['01/04/2025', 'PN1']])
        .update('Episodes.csv', { CHILD: 'MOVE' }, { LS: 'V4', DEC: '01/05/2025', REC: 'X1' })
        .row('Episodes.csv', {
          CHILD: 'MOVE',
          DECOM: '01/05/2025',
          RNE: 'L',
          LS: 'C2',
          CIN: 'N1',
          PLACE: 'U1',
          PLACE_PROVIDER: 'PR1',
        });
      expect((await run(builder, null)).ok).toBe(true);
      // 20 working days from 1 May 2025, skipping the early May and spring bank holidays.
      expect((await due()).map((i) => [i.dueDate, i.kind, i.shortBreak])).toEqual([
        ['2025-06-02', 'first', false],
      ]);
    });
  });

  describe('social worker episodes (SWEpisodes, 903 since 2023/24)', () => {
    const withSwEpisodes = () =>
      anExtract()
        .row('Staff.csv', {
          EMAIL: 'sw2@example.com',
          NAME: 'Second Worker',
          ROLE: 'social_worker',
          TEAM: 'CiC 1',
          FTE: '1',
          SW_ID: 'SW0002',
        })
        .update('Staff.csv', { EMAIL: 'sw@example.com' }, { SW_ID: 'SW0001' })
        .withChild('A1', '01/02/2015', '06/01/2025')
        .update('Allocations.csv', { CHILD: 'A1' }, { SW_EMAIL: '' })
        .row('SWEpisodes.csv', {
          CHILD: 'A1',
          DOB: '01/02/2015',
          SW_ID: 'SW0001',
          SW_DECOM: '06/01/2025',
          SW_DEC: '01/09/2025',
          SW_REASON: 'MANAGE',
        })
        .row('SWEpisodes.csv', { CHILD: 'A1', DOB: '', SW_ID: 'SW0002', SW_DECOM: '01/09/2025' });

    it("gives the child the social worker of their open episode, matched by Staff.csv's SW_ID", async () => {
      expect((await run(withSwEpisodes())).ok).toBe(true);
      expect((await due()).map((i) => i.socialWorker)).toEqual(['sw2@example.com']);
    });

    it('lets Allocations.csv win where it names a social worker', async () => {
      const builder = withSwEpisodes().update(
        'Allocations.csv',
        { CHILD: 'A1' },
        { SW_EMAIL: 'sw@example.com' },
      );
      expect((await run(builder)).ok).toBe(true);
      expect((await due()).map((i) => i.socialWorker)).toEqual(['sw@example.com']);
    });

    it('says what to fix when the open episode names nobody in Staff.csv', async () => {
      const builder = withSwEpisodes().update(
        'SWEpisodes.csv',
        { SW_ID: 'SW0002' },
        { SW_ID: 'SW9999' },
      );
      expect(await problems(builder)).toEqual([
        "SWEpisodes.csv:3: SW_ID: SW9999 is not in Staff.csv's SW_ID column; add the social worker there, or give SW_EMAIL in Allocations.csv",
      ]);
    });
  });
});
