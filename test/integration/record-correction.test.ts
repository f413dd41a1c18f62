import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { ReviewRecord } from '../../src/app/recording/review-record.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-30' as LocalDate;
const CONTEXT = { actor: 'iro@example.com', today: TODAY };

/**
 * A chair corrects a review record after people have reported on its decisions (a midway answer,
 * "done"): a decision the correction keeps, or only rewords, keeps its row and what was said
 * about it; a decision the correction drops goes, with its reports.
 */
describe.each(DIALECTS)('correcting a review record on $name', (dialect) => {
  let store: Store;
  let services: Services;
  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    const result = await importExtract(
      services,
      anExtract()
        .withChild('C1', '01/02/2015', '03/03/2025', [['20/03/2025', 'PN1']])
        .files(),
      { actor: 'test', today: TODAY },
    );
    expect(result.ok).toBe(true);
  });
  afterAll(() => store.close());

  const record = (decisions: string[]): ReviewRecord => ({
    heldOn: '2026-09-01' as LocalDate,
    reviewCode: 'PN1',
    lateReason: null,
    attendance: [],
    childChaired: false,
    advocacyOffered: false,
    consultationReturned: false,
    decisions: decisions.map((description) => ({ description, ownerEmail: null, dueOn: null })),
  });
  const target = {
    childId: 'C1',
    chairEmail: 'iro@example.com',
    reviewId: null,
    recordKey: 'record-1',
    dueOn: null,
    kind: null,
  };
  const decisionsNow = () =>
    store.db
      .selectFrom('reviewDecisions as d')
      .leftJoin('decisionProgress as p', 'p.decisionId', 'd.id')
      .select(['d.id', 'd.description', 'p.note'])
      .orderBy('d.id')
      .execute();

  it('keeps decisions and their reports through a correction', async () => {
    const first = await services.reviewRecords.record(
      target,
      record(['Contact weekly', 'CAMHS referral']),
      CONTEXT,
    );
    expect(first.ok).toBe(true);
    const [contact, camhs] = await decisionsNow();
    await store.db
      .insertInto('decisionProgress')
      .values([
        { decisionId: contact!.id, status: 'delayed', note: 'contact report', reportedBy: 'sw' },
        { decisionId: camhs!.id, status: 'done', note: 'camhs report', reportedBy: 'sw' },
      ])
      .execute();

    // Reordered, one with a new owner: both rows and both reports stay.
    await services.reviewRecords.record(
      target,
      {
        ...record(['CAMHS referral', 'Contact weekly']),
        decisions: [
          { description: 'CAMHS referral', ownerEmail: 'sw@example.com', dueOn: null },
          { description: 'Contact weekly', ownerEmail: null, dueOn: null },
        ],
      },
      CONTEXT,
    );
    expect(await decisionsNow()).toEqual([
      { id: contact!.id, description: 'Contact weekly', note: 'contact report' },
      { id: camhs!.id, description: 'CAMHS referral', note: 'camhs report' },
    ]);

    // One dropped, one added: the dropped one goes with its report, the new one has none.
    await services.reviewRecords.record(
      target,
      record(['CAMHS referral', 'Life story work']),
      CONTEXT,
    );
    const after = await decisionsNow();
    expect(after.map((d) => [d.description, d.note])).toEqual([
      ['CAMHS referral', 'camhs report'],
      ['Life story work', null],
    ]);
    expect(after[0]?.id).toBe(camhs!.id);
  });
});
