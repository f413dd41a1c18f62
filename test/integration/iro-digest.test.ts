import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import { answerQuestion } from '../../src/app/questions/answer-question.js';
import { parseQuestion } from '../../src/app/questions/parse-question.js';
import { digestFor, digestIsEmpty } from '../../src/app/reminders/follow-up.js';
import type { StaffMember } from '../../src/app/ports.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { anExtract } from '../support/extract-builder.js';
import { DIALECTS, emptyStore } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

/** Friday 4 December 2026: the window of 20 working days runs over Christmas to 6 January. */
const TODAY = '2026-12-04' as LocalDate;

const extract = () =>
  anExtract()
    .row('Staff.csv', {
      EMAIL: 'iro2@example.com',
      NAME: 'Another IRO',
      ROLE: 'iro',
      AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000004',
      TEAM: 'IRO Service',
      MANAGER_EMAIL: 'manager@example.com',
      FTE: '1',
    })
    // Reviewed every 6 months from 5 June: due Saturday 5 December, so held by today.
    .withChild('C1', '01/01/2015', '05/11/2025', [
      ['05/12/2025', 'PN1'],
      ['05/03/2026', 'PN1'],
      ['05/06/2026', 'PN1'],
    ])
    // On short breaks from 2 November: the first review is due within 3 months, on 2 February.
    .withChild('C2', '01/01/2016', '02/11/2026', [], { iro: 'iro2@example.com' })
    .update('Episodes.csv', { CHILD: 'C2' }, { LS: 'V3' })
    .row('Staff.csv', {
      EMAIL: 'iro3@example.com',
      NAME: 'A Third IRO',
      ROLE: 'iro',
      AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000005',
      TEAM: 'IRO Service',
      MANAGER_EMAIL: 'manager@example.com',
      FTE: '1',
    })
    // In care since before the extract (RNE P) and not reviewed in it: the due date is unknown.
    .withChild('C3', '01/01/2014', '01/06/2024', [], { iro: 'iro3@example.com' })
    .update('Episodes.csv', { CHILD: 'C3' }, { RNE: 'P' })
    .files();

describe.each(DIALECTS)("an IRO's daily digest ($name)", (dialect) => {
  let store: Store;
  let services: Services;
  const iro = async (email: string): Promise<StaffMember> => {
    const found = (await services.cases.listStaff()).find((s) => s.email === email);
    if (!found) throw new Error(`no ${email} in the staff list`);
    return found;
  };

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    await emptyStore(store);
    const imported = await importExtract(services, extract(), { actor: 'test', today: TODAY });
    expect(imported.ok).toBe(true);
  });
  afterAll(async () => {
    await store.close();
  });

  it('lists an unbooked review with by when to hold it, and the window it covers', async () => {
    const digest = await digestFor(services, await iro('iro@example.com'));
    expect(digest.dueUnscheduled).toEqual([
      { childId: 'C1', childLabel: 'S.J. · C1', dueOn: '2026-12-05', holdBy: '2026-12-04' },
    ]);
    // 20 working days, without Christmas Day, the Boxing Day substitute and New Year's Day.
    expect(digest.dueUntil).toBe('2027-01-06');
    expect(digestIsEmpty(digest, services.calendar)).toBe(false);
  });

  it('leaves out a child never reviewed until their review is within the window', async () => {
    const status = await store.db
      .selectFrom('reviewStatus')
      .select(['nextDueOn', 'shortBreak', 'lastReviewOn'])
      .where('childId', '=', 'C2')
      .executeTakeFirstOrThrow();
    expect(status).toEqual({ nextDueOn: '2027-02-02', shortBreak: true, lastReviewOn: null });
    // Nothing else to say: no digest that day.
    const december = await digestFor(services, await iro('iro2@example.com'));
    expect(december.dueUnscheduled).toEqual([]);
    expect(digestIsEmpty(december, services.calendar)).toBe(true);
    // Once the review falls within the 20 working days: to book, with its Schedule button.
    const january = servicesFor(store, '2027-01-12');
    const later = await digestFor(january, await iro('iro2@example.com'));
    expect(later.dueUnscheduled).toEqual([
      { childId: 'C2', childLabel: 'S.J. · C2', dueOn: '2027-02-02', holdBy: null },
    ]);
    expect(digestIsEmpty(later, services.calendar)).toBe(false);
  });

  it('names a child whose due date cannot be known, which alone is worth a digest once a week', async () => {
    const status = await store.db
      .selectFrom('reviewStatus')
      .select(['nextDueOn', 'lastReviewOn'])
      .where('childId', '=', 'C3')
      .executeTakeFirstOrThrow();
    expect(status).toEqual({ nextDueOn: null, lastReviewOn: null });
    const digest = await digestFor(services, await iro('iro3@example.com'));
    expect(digest.dueUnscheduled).toEqual([]);
    expect(digest.dueUnknown).toEqual([{ childId: 'C3', childLabel: 'S.J. · C3' }]);
    // Friday 4 December: nothing else to say, so no digest; on Monday it goes, and on a Tuesday
    // after a bank holiday Monday (29 December 2026 follows the 28th, Boxing Day's substitute).
    expect(digestIsEmpty(digest, services.calendar)).toBe(true);
    const on = (today: string) => ({ ...digest, today: today as LocalDate });
    expect(digestIsEmpty(on('2026-12-07'), services.calendar)).toBe(false);
    expect(digestIsEmpty(on('2026-12-08'), services.calendar)).toBe(true);
    expect(digestIsEmpty(on('2026-12-29'), services.calendar)).toBe(false);
    expect(digestIsEmpty(on('2026-12-30'), services.calendar)).toBe(true);
    // Not in another IRO's digest.
    expect((await digestFor(services, await iro('iro@example.com'))).dueUnknown).toEqual([]);
    // Once a meeting is booked for it, the IRO has dealt with it: not in the digest.
    const booking = await store.db
      .insertInto('reviews')
      .values({
        childId: 'C3',
        status: 'scheduled',
        chairEmail: 'iro3@example.com',
        scheduledStart: new Date('2026-12-15T10:00:00Z'),
        scheduledEnd: new Date('2026-12-15T11:30:00Z'),
        source: 'bot',
        invitees: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The digest's "See all" question lists them, with the booking: the IRO's own only.
    const seeAll = async (email: string) => {
      const answer = await answerQuestion(
        services,
        (await iro(email)).aadObjectId ?? undefined,
        parseQuestion('my reviews with no known due date', TODAY),
        { kind: 'personal' },
      );
      if (answer.kind !== 'reviewList') throw new Error(`answered ${answer.kind}`);
      return answer.items.map((i) => [i.child, i.dueDate, i.scheduledStart !== null]);
    };
    expect(await seeAll('iro3@example.com')).toEqual([['C3', null, true]]);
    expect(await seeAll('iro@example.com')).toEqual([]);
    // Asked in a group chat: offered in the 1:1 chat, with a question that asks the same.
    const inGroup = await answerQuestion(
      services,
      (await iro('iro3@example.com')).aadObjectId ?? undefined,
      parseQuestion('my reviews with no known due date', TODAY),
      { kind: 'group', memberAadObjectIds: ['11111111-0000-4000-8000-000000000005'] },
    );
    expect(inGroup).toEqual({
      kind: 'askInPersonalChat',
      question: 'my reviews with no known due date',
    });
    try {
      const booked = await digestFor(services, await iro('iro3@example.com'));
      expect(booked.dueUnknown).toEqual([]);
      expect(digestIsEmpty(booked, services.calendar)).toBe(true);
    } finally {
      await store.db.deleteFrom('reviews').where('id', '=', booking.id).execute();
    }
  });
});
