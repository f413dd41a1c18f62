import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExtractFiles } from '../../src/app/import/extract.js';
import { importExtract, type ImportDone } from '../../src/app/import/import-extract.js';
import type { ReviewRecord } from '../../src/app/recording/review-record.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract, writeExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-12-04' as LocalDate;

/**
 * 2026/27 to date from the case system: X77828 in care since 2019 (RNE P: the period began
 * before the year), reviewed in June; E79432 since 2022.
 */
function yearToDate(extra: [child: string, date: string, code: string][] = []) {
  const files = anExtract()
    .withChild('X77828', '27/07/2011', '14/05/2019', [['04/06/2026', 'PN1']])
    .update('Episodes.csv', { CHILD: 'X77828' }, { RNE: 'P' })
    .withChild('E79432', '05/08/2012', '02/02/2022', [['03/06/2026', 'PN1']])
    .update('Episodes.csv', { CHILD: 'E79432' }, { RNE: 'T' });
  for (const [child, date, code] of extra) {
    files.row('Reviews.csv', {
      CHILD: child,
      DOB: child === 'X77828' ? '27/07/2011' : '05/08/2012',
      REVIEW: date,
      REVIEW_CODE: code,
    });
  }
  return files;
}

/** What the chair recorded at meeting end: the child did not attend, and sent their views. */
const chairRecord: ReviewRecord = {
  heldOn: TODAY,
  reviewCode: 'PN6',
  lateReason: null,
  attendance: [{ participant: 'child', inviteeIndex: null, attendance: 'did_not_attend' }],
  childChaired: false,
  advocacyOffered: true,
  consultationReturned: true,
  decisions: [],
};

describe.each(DIALECTS)('an import beside reviews recorded in the app, on $name', (dialect) => {
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
    await run(yearToDate().files());
    const saved = await services.reviewRecords.record(
      {
        childId: 'X77828',
        chairEmail: 'iro@example.com',
        reviewId: null,
        recordKey: 'meeting-end-1',
        dueOn: null,
        kind: null,
      },
      chairRecord,
      { actor: 'iro@example.com', today: TODAY },
    );
    expect(saved.ok).toBe(true);
  });

  const run = async (files: ExtractFiles): Promise<ImportDone> => {
    const result = await importExtract(services, files, { actor: 'test', today: TODAY });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result;
  };
  const x77828 = async () => {
    const review = await store.db
      .selectFrom('reviews')
      .select(['id', 'reviewCode', 'source', 'recordedBy'])
      .where('childId', '=', 'X77828')
      .where('heldOn', '=', TODAY)
      .executeTakeFirstOrThrow();
    const attendance = await store.db
      .selectFrom('reviewAttendance')
      .select(['participant', 'attendance'])
      .where('reviewId', '=', review.id)
      .execute();
    return { ...review, attendance };
  };

  it("keeps the chair's record when Reviews.csv gives the same review another code, and says so", async () => {
    const before = await x77828();
    const result = await run(
      yearToDate([
        ['X77828', '04/12/2026', 'PN1'],
        ['E79432', '03/12/2026', 'PN1'],
      ])
        // A code corrected in the case system on a review that came from an import still applies.
        .update('Reviews.csv', { CHILD: 'E79432', REVIEW: '03/06/2026' }, { REVIEW_CODE: 'PN2' })
        .files(),
    );
    expect(result.reviewConflicts).toEqual([
      { childId: 'X77828', heldOn: '2026-12-04', recorded: 'PN6', imported: 'PN1' },
    ]);
    expect(result.summary.reviews).toEqual({ inserted: 1, updated: 1, unchanged: 2 });
    expect(await x77828()).toEqual(before);
    expect(before).toMatchObject({
      reviewCode: 'PN6',
      attendance: [{ participant: 'child', attendance: 'did_not_attend' }],
    });
    const codes = await store.db
      .selectFrom('reviews')
      .select(['heldOn', 'reviewCode'])
      .where('childId', '=', 'E79432')
      .where('status', '=', 'held')
      .orderBy('heldOn')
      .execute();
    expect(codes).toEqual([
      { heldOn: '2026-06-03', reviewCode: 'PN2' },
      { heldOn: '2026-12-03', reviewCode: 'PN1' },
    ]);
    const kept = await store.db
      .selectFrom('auditLog')
      .select(['actor', 'entity', 'entityId', 'detail'])
      .where('action', '=', 'import.keep')
      .execute();
    expect(kept).toEqual([
      {
        actor: 'test',
        entity: 'review',
        entityId: String(before.id),
        detail: {
          file: 'Reviews.csv',
          because: 'recorded in the app',
          child: 'X77828',
          heldOn: '2026-12-04',
          reviewCode: 'PN6',
          fileReviewCode: 'PN1',
        },
      },
    ]);
  });

  it("says nothing when Reviews.csv agrees with the chair's record", async () => {
    const result = await run(yearToDate([['X77828', '04/12/2026', 'PN6']]).files());
    expect(result.reviewConflicts).toEqual([]);
    expect(result.summary.reviews).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('prints one line per conflict, with the case id and no name', async () => {
    let out = '';
    const dir = await writeExtract(yearToDate([['X77828', '04/12/2026', 'PN1']]).files());
    const code = await runCli(
      ['import', dir],
      { stdout: (t) => (out += t), stderr: () => undefined, progress: () => undefined, cwd: '/' },
      services,
    );
    expect(code).toBe(0);
    expect(out).toContain(
      '\nX77828 04/12/2026: Reviews.csv says PN1, the chair recorded PN6 in IRO Assistant; kept PN6\n',
    );
    expect(out).not.toContain('Jones');
  });
});
