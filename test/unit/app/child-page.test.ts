import { describe, expect, it } from 'vitest';
import {
  childPage,
  type ChildPageDeps,
  type ChildPageReader,
} from '../../../src/app/child-page.js';
import type {
  ChildCase,
  ReviewStatusRow,
  ScheduledReview,
  StaffMember,
} from '../../../src/app/ports.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';

const d = (s: string) => s as LocalDate;
const TODAY = d('2026-11-23');
const IRO_AAD = '0a0a0a0a-0000-4000-8000-000000000001';

const iro: StaffMember = {
  email: 'iro@example.com',
  name: 'Ina Rowe',
  role: 'iro',
  aadObjectId: IRO_AAD,
  team: 'IRO Service',
  managerEmail: null,
  fte: 1,
  swId: null,
  level: null,
};

/** A child of a one-year extract: the council supplied the last review before it. */
function aChild(overrides: Partial<ChildCase>): ChildCase {
  return {
    childId: 'B10001',
    dob: d('2014-06-01'),
    sex: null,
    ethnic: null,
    firstName: 'Bea',
    lastName: 'Lowe',
    periods: [{ start: d('2025-04-10'), startKnown: false, end: null, shortBreak: false }],
    reviews: [
      { heldOn: d('2025-08-20'), reviewCode: 'PN1' },
      { heldOn: d('2026-03-01'), reviewCode: 'PN6' },
    ],
    allocations: [
      { role: 'iro', staffEmail: iro.email, startDate: d('2025-04-10'), endDate: null },
    ],
    reviewsKnownFrom: d('2025-04-01'),
    previousReview: { heldOn: d('2025-03-01'), number: null },
    ...overrides,
  } as ChildCase;
}

const noRows: ChildPageReader = {
  attendance: () => Promise.resolve([]),
  lastReviewDecisions: () => Promise.resolve([]),
  lastReviewMidwayCheck: () => Promise.resolve(undefined),
  alerts: () =>
    Promise.resolve([
      {
        id: 2,
        stage: 'director',
        raisedOn: d('2026-01-05'),
        stageDueOn: null,
        outcome: null,
        closedOn: null,
        respondedAt: null,
      },
      {
        id: 3,
        stage: 'informal',
        raisedOn: d('2026-02-02'),
        stageDueOn: d('2026-02-09'),
        outcome: null,
        closedOn: null,
        // 23:30 UTC on 3 February is still 3 February in London.
        respondedAt: new Date('2026-02-03T23:30:00Z'),
      },
      {
        id: 1,
        stage: 'formal',
        raisedOn: d('2025-12-01'),
        stageDueOn: d('2025-12-15'),
        outcome: 'withdrawn',
        closedOn: d('2025-12-10'),
        respondedAt: new Date('2025-12-05T10:00:00Z'),
      },
    ]),
};

function depsFor(child: ChildCase): ChildPageDeps {
  return {
    cases: {
      listStaff: () => Promise.resolve([iro]),
      listOpenAllocations: () =>
        Promise.resolve([{ childId: child.childId, role: 'iro', staffEmail: iro.email }]),
      findChildId: (text) =>
        Promise.resolve(text.trim().toUpperCase() === child.childId ? child.childId : undefined),
      listCases: () => Promise.resolve([child]),
      listReviewStatus: () => Promise.resolve([]),
      listScheduledReviews: () => Promise.resolve([]),
    },
    calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
    clock: { today: () => TODAY },
    childPages: noRows,
    timeZone: 'Europe/London',
  };
}

const held = (r: {
  heldOn: string;
  dueDate: string | null;
  kind: string | null;
  onTime: boolean | null;
  daysLate: number | null;
  participation: string | null;
}) => ({ ...r, attendance: [], scheduledStart: null, status: 'held' });

describe('the child page', () => {
  it("shows the council's last review before the extract as held, without judging it", async () => {
    const result = await childPage(depsFor(aChild({})), IRO_AAD, 'b10001');
    if (result.kind !== 'page') throw new Error(result.kind);
    expect(result.page.reviews).toEqual([
      held({
        heldOn: '2026-03-01',
        dueDate: '2026-02-20',
        kind: 'subsequent',
        onTime: false,
        daysLate: 9,
        participation: 'PN6',
      }),
      held({
        heldOn: '2025-08-20',
        dueDate: '2025-09-01',
        kind: 'subsequent',
        onTime: true,
        daysLate: 0,
        participation: 'PN1',
      }),
      held({
        heldOn: '2025-03-01',
        dueDate: null,
        kind: null,
        onTime: null,
        daysLate: null,
        participation: null,
      }),
    ]);
    // No review status for the child (the fake store has none): no next review row.
    expect(result.page.next).toEqual({
      dueDate: null,
      kind: null,
      midwayDate: null,
      holdBy: null,
      needsScheduling: false,
      urgentScheduling: false,
    });
    expect(result.page.iroName).toBe('Ina Rowe');
    expect(result.page.socialWorkerName).toBeNull();
  });

  it('gives a first review supplied by the council its due date, but no verdict', async () => {
    const child = aChild({
      periods: [{ start: d('2024-12-02'), startKnown: true, end: null, shortBreak: false }],
      reviews: [{ heldOn: d('2025-04-08'), reviewCode: 'PN1' }],
      previousReview: { heldOn: d('2025-01-10'), number: 1 },
    });
    const result = await childPage(depsFor(child), IRO_AAD, 'B10001');
    if (result.kind !== 'page') throw new Error(result.kind);
    const [second, first] = result.page.reviews;
    // 20 working days from Monday 2 Dec 2024 over Christmas: Thursday 2 Jan 2025.
    expect(first).toEqual(
      held({
        heldOn: '2025-01-10',
        dueDate: '2025-01-02',
        kind: 'first',
        onTime: null,
        daysLate: null,
        participation: null,
      }),
    );
    expect(second).toEqual(
      held({
        heldOn: '2025-04-08',
        dueDate: '2025-04-10',
        kind: 'second',
        onTime: true,
        daysLate: 0,
        participation: 'PN1',
      }),
    );
  });

  /** The child's status row (next due date), and its booked meeting if one. */
  function withNext(dueOn: string, booked?: ScheduledReview): ChildPageDeps {
    const deps = depsFor(aChild({}));
    const status: ReviewStatusRow = {
      childId: 'B10001',
      firstName: 'Bea',
      lastName: 'Lowe',
      shortBreak: false,
      periodStart: d('2025-04-10'),
      periodStartKnown: false,
      lastReviewOn: d('2026-03-01'),
      nextDueOn: d(dueOn),
      nextKind: 'subsequent',
      midwayOn: d('2026-07-15'),
      iro: iro.email,
      socialWorker: null,
      scheduledStart: booked?.start ?? null,
    };
    return {
      ...deps,
      cases: {
        ...deps.cases,
        listReviewStatus: () => Promise.resolve([status]),
        listScheduledReviews: () => Promise.resolve(booked ? [booked] : []),
      },
    };
  }

  // Today is Monday 23 November 2026. 20 working days on: Monday 21 December.
  it.each([
    // Saturday 5 December, 12 days away and not booked: hold by Friday 4 December, in red.
    ['2026-12-05', false, { holdBy: '2026-12-04', needsScheduling: true, urgentScheduling: true }],
    // The same review booked: nothing to flag, the hold-by day still said.
    ['2026-12-05', true, { holdBy: '2026-12-04', needsScheduling: false, urgentScheduling: false }],
    // Monday 7 December, 14 days away: the fortnight's last day is still red.
    ['2026-12-07', false, { holdBy: null, needsScheduling: true, urgentScheduling: true }],
    // Tuesday 8 December, 15 days away: flagged, not red.
    ['2026-12-08', false, { holdBy: null, needsScheduling: true, urgentScheduling: false }],
    // Christmas Day: hold by Thursday 24 December; 32 days and 21 working days away.
    [
      '2026-12-25',
      false,
      { holdBy: '2026-12-24', needsScheduling: false, urgentScheduling: false },
    ],
    // Overdue and not booked: red.
    ['2026-11-20', false, { holdBy: null, needsScheduling: true, urgentScheduling: true }],
  ])(
    "gives the next review due %s (booked: %s) its hold-by day and the flags of the chat's lists",
    async (dueOn, booked, flags) => {
      const meeting = booked
        ? { childId: 'B10001', start: new Date('2026-12-03T10:00:00Z'), end: null, joinUrl: null }
        : undefined;
      const result = await childPage(withNext(dueOn, meeting), IRO_AAD, 'B10001');
      if (result.kind !== 'page') throw new Error(result.kind);
      expect(result.page.next).toEqual({
        dueDate: dueOn,
        kind: 'subsequent',
        midwayDate: '2026-07-15',
        ...flags,
      });
    },
  );

  it("says whether the last review's midway check was sent and answered, on the council's days", async () => {
    const deps = depsFor(aChild({}));
    const none = await childPage(deps, IRO_AAD, 'B10001');
    expect(none.kind === 'page' && none.page.midwayCheck).toBeNull();
    const withCheck = (promptedAt: Date | null, answeredAt: Date | null): ChildPageDeps => ({
      ...deps,
      childPages: {
        ...noRows,
        lastReviewMidwayCheck: () =>
          Promise.resolve({ midwayOn: d('2026-06-01'), promptedAt, answeredAt }),
      },
    });
    // 23:30 UTC on 1 June is 00:30 on 2 June in London.
    const asked = new Date('2026-06-01T23:30:00Z');
    const answered = new Date('2026-06-08T09:00:00Z');
    const cases = [
      [withCheck(null, null), { askedOn: null, answeredOn: null }],
      [withCheck(asked, null), { askedOn: '2026-06-02', answeredOn: null }],
      [withCheck(asked, answered), { askedOn: '2026-06-02', answeredOn: '2026-06-08' }],
    ] as const;
    for (const [withIt, days] of cases) {
      const result = await childPage(withIt, IRO_AAD, 'B10001');
      if (result.kind !== 'page') throw new Error(result.kind);
      expect(result.page.midwayCheck).toEqual({ midwayOn: '2026-06-01', ...days });
    }
  });

  it('shows the stages the tab knows, and asks nobody unregistered anything', async () => {
    const result = await childPage(depsFor(aChild({})), IRO_AAD, 'B10001');
    if (result.kind !== 'page') throw new Error(result.kind);
    expect(result.page.alerts).toEqual([
      {
        id: 3,
        stage: 'informal',
        raisedOn: '2026-02-02',
        stageDueOn: '2026-02-09',
        outcome: null,
        closedOn: null,
        // Open and answered at its stage: it waits for the IRO.
        respondedOn: '2026-02-03',
      },
      {
        id: 1,
        stage: 'formal',
        raisedOn: '2025-12-01',
        stageDueOn: '2025-12-15',
        outcome: 'withdrawn',
        closedOn: '2025-12-10',
        // Closed: what it waited for no longer matters.
        respondedOn: null,
      },
    ]);
    const deps = depsFor(aChild({}));
    expect(await childPage(deps, undefined, 'B10001')).toEqual({ kind: 'notRegistered' });
    expect(await childPage(deps, 'someone-else', 'NOPE')).toEqual({ kind: 'notRegistered' });
    expect(await childPage(deps, IRO_AAD.toUpperCase(), 'NOPE')).toEqual({ kind: 'notFound' });
  });
});
