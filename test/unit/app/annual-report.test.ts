import { describe, expect, it } from 'vitest';
import { annualReportFigures } from '../../../src/app/annual-report.js';
import type {
  CaseReader,
  ChildCase,
  RecordedReviewFacts,
  StaffMember,
} from '../../../src/app/ports.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import { ageBandOn, ethnicGroupOf } from '../../../src/domain/child-profile.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import type { ParticipationCode } from '../../../src/domain/participation.js';
import type { PeriodOfCare } from '../../../src/domain/periods-of-care.js';
import { ETHNIC_CODES } from '../../../src/domain/ssda903-rules.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';

const d = (s: string) => s as LocalDate;
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const YEAR = { from: d('2025-04-01'), to: d('2026-03-31') };

function period(
  start: string,
  end: string | null,
  extra: Partial<PeriodOfCare> = {},
): PeriodOfCare {
  return {
    start: d(start),
    startKnown: true,
    end: end ? d(end) : null,
    shortBreak: false,
    ...extra,
  };
}

function aChild(childId: string, extra: Partial<ChildCase> = {}): ChildCase {
  return {
    childId,
    dob: d('2015-06-01'),
    sex: 'F',
    ethnic: 'WBRI',
    firstName: null,
    lastName: null,
    periods: [period('2020-01-06', null)],
    reviews: [],
    allocations: [],
    reviewsKnownFrom: null,
    previousReview: null,
    ...extra,
  };
}

const held = (heldOn: string, reviewCode: ParticipationCode = 'PN1') => ({
  heldOn: d(heldOn),
  reviewCode,
});

function readerOf(
  cases: ChildCase[],
  facts: RecordedReviewFacts[] = [],
  staff: StaffMember[] = [],
): CaseReader {
  const unused = () => Promise.reject(new Error('not used by the annual report'));
  return {
    listCases: async () => cases,
    listStaff: async () => staff,
    listRecordedReviewFacts: async () => facts,
    listReviewStatus: unused,
    summariseCaseload: unused,
    findChildId: unused,
    listOpenAllocations: unused,
    listScheduledReviews: unused,
  };
}

const figuresOf = (
  cases: ChildCase[],
  range = YEAR,
  facts?: RecordedReviewFacts[],
  staff?: StaffMember[],
) => annualReportFigures({ cases: readerOf(cases, facts, staff), calendar }, range);

describe('the annual report: children looked after over the period', () => {
  it('counts starters and leavers on the first and last days, short breaks and unknown starts apart', async () => {
    const f = await figuresOf([
      aChild('STARTS_FIRST_DAY', { periods: [period('2025-04-01', null)] }),
      aChild('STARTS_LAST_DAY', { periods: [period('2026-03-31', null)] }),
      aChild('STARTED_DAY_BEFORE', { periods: [period('2025-03-31', null)] }),
      aChild('STARTS_DAY_AFTER', { periods: [period('2026-04-01', null)] }),
      aChild('LEAVES_FIRST_DAY', { periods: [period('2024-01-08', '2025-04-01')] }),
      aChild('LEAVES_LAST_DAY', { periods: [period('2024-01-08', '2026-03-31')] }),
      aChild('LEFT_DAY_BEFORE', { periods: [period('2024-01-08', '2025-03-31')] }),
      aChild('LEAVES_AND_RETURNS', {
        periods: [period('2024-01-08', '2025-06-30'), period('2025-09-01', null)],
      }),
      // Its first known day is in the range, but it began before the extract: not a start.
      aChild('UNKNOWN_START', { periods: [period('2025-05-01', null, { startKnown: false })] }),
      aChild('SHORT_BREAKS', {
        periods: [period('2025-05-01', '2025-12-31', { shortBreak: true })],
      }),
      // Short breaks, then full-time care: the move to full-time care starts a period.
      aChild('SHORT_THEN_FULL', {
        periods: [
          period('2025-05-01', '2025-07-31', { shortBreak: true }),
          period('2025-08-01', null),
        ],
      }),
    ]);
    expect(f.lookedAfter).toEqual({
      // STARTS_FIRST_DAY, STARTED_DAY_BEFORE, LEAVES_FIRST_DAY, LEAVES_LAST_DAY,
      // LEAVES_AND_RETURNS, UNKNOWN_START (its period reaches back before its first known day).
      atStart: 6,
      // STARTS_FIRST_DAY, STARTS_LAST_DAY, STARTED_DAY_BEFORE, LEAVES_LAST_DAY,
      // LEAVES_AND_RETURNS, UNKNOWN_START, SHORT_THEN_FULL.
      atEnd: 7,
      started: 4, // the first day, the last day, the return, full-time care after short breaks
      ended: 3, // the first day, the last day, LEAVES_AND_RETURNS's first period
    });
    expect(f.lookedAfter.atEnd).toBe(f.childrenLookedAfter);
    expect(f.shortBreaks.children).toBe(0); // SHORT_BREAKS' arrangement ended in December
  });
});

describe('the annual report: profile of the children looked after on the last day', () => {
  it.each([
    // [date of birth, age band on 31 March 2026]
    ['2025-04-01', 'under1'],
    ['2025-03-31', '1to4'], // first birthday on the last day
    ['2021-04-01', '1to4'],
    ['2021-03-31', '5to9'],
    ['2016-04-01', '5to9'],
    ['2016-03-31', '10to15'],
    ['2010-04-01', '10to15'],
    ['2010-03-31', '16plus'],
    ['2008-02-29', '16plus'],
  ])('puts a child born on %s in band %s', (dob, band) => {
    expect(ageBandOn(d(dob), d('2026-03-31'))).toBe(band);
  });

  it('counts a 29 February birthday on 28 February in a common year', () => {
    expect(ageBandOn(d('2016-02-29'), d('2026-02-28'))).toBe('10to15');
    expect(ageBandOn(d('2016-02-29'), d('2026-02-27'))).toBe('5to9');
  });

  it.each([
    ['WBRI', 'white'],
    ['WROM', 'white'],
    ['WIRT', 'white'],
    ['MWBC', 'mixed'],
    ['MOTH', 'mixed'],
    ['AIND', 'asian'],
    ['AOTH', 'asian'],
    ['BCRB', 'black'],
    ['BOTH', 'black'],
    ['CHNE', 'other'],
    ['OOTH', 'other'],
    ['REFU', 'notKnown'],
    ['NOBT', 'notKnown'],
    ['wbri', 'white'],
    ['XXXX', 'notKnown'],
    [null, 'notKnown'],
  ])('groups ETHNIC %s as %s', (code, group) => {
    expect(ethnicGroupOf(code)).toBe(group);
  });

  it('groups every 903 ETHNIC code, and only REFU and NOBT as not known', () => {
    expect(ETHNIC_CODES.filter((c) => ethnicGroupOf(c) === 'notKnown')).toEqual(['REFU', 'NOBT']);
  });

  it('profiles only children looked after on the last day, short breaks apart', async () => {
    const f = await figuresOf([
      aChild('A', { dob: d('2025-04-01'), sex: 'M', ethnic: 'WBRI' }),
      aChild('B', { dob: d('2025-03-31'), sex: 'F', ethnic: 'MWBA' }),
      aChild('C', { dob: d('2010-03-31'), sex: 'U', ethnic: 'CHNE' }),
      aChild('D', { dob: d('2010-04-01'), sex: null, ethnic: null }),
      aChild('E', { dob: d('2012-01-01'), sex: 'M', ethnic: 'BAFR' }),
      // Left before the last day, and on short breaks: not profiled.
      aChild('LEFT', { sex: 'M', ethnic: 'APKN', periods: [period('2024-01-08', '2025-12-01')] }),
      aChild('SB', {
        sex: 'M',
        ethnic: 'APKN',
        periods: [period('2025-05-01', null, { shortBreak: true })],
      }),
    ]);
    expect(f.childrenLookedAfter).toBe(5);
    expect(f.profile).toEqual({
      ageBands: { under1: 1, '1to4': 1, '5to9': 0, '10to15': 2, '16plus': 1 },
      sex: { M: 2, F: 1, U: 2 },
      ethnicity: { white: 1, mixed: 1, asian: 0, black: 1, other: 1, notKnown: 1 },
    });
    expect(f.shortBreaks.children).toBe(1);
  });
});

describe('the annual report: timeliness by kind and what the chairs recorded', () => {
  // Looked after from Mon 6 Jan 2025: first review due Mon 3 Feb (20 working days), held 30 Jan
  // (on time); second due 30 Apr, held 6 May (late); third due 6 Nov, held 1 Nov (on time).
  const child = aChild('CLA', {
    periods: [period('2025-01-06', null)],
    reviews: [held('2025-01-30'), held('2025-05-06', 'PN6'), held('2025-11-01', 'PN7')],
  });
  // Short breaks from 1 Feb 2025: first review due 1 May, held 20 Apr (on time).
  const shortBreaks = aChild('SB', {
    periods: [period('2025-02-01', null, { shortBreak: true })],
    reviews: [held('2025-04-20')],
  });
  const range = { from: d('2025-01-01'), to: d('2025-12-31') };
  const fact = (
    childId: string,
    heldOn: string,
    extra: Partial<RecordedReviewFacts> = {},
  ): RecordedReviewFacts => ({
    childId,
    heldOn: d(heldOn),
    attendanceRecorded: true,
    attended: [],
    childChaired: false,
    advocacyOffered: false,
    consultationReturned: false,
    lateReason: null,
    ...extra,
  });

  it('judges each kind of review, and short breaks apart', async () => {
    const f = await figuresOf([child, shortBreaks], range);
    expect(f.timelinessByKind).toEqual({
      first: { reviewsAssessed: 1, reviewsOnTime: 1, timelinessPercent: 100 },
      second: { reviewsAssessed: 1, reviewsOnTime: 0, timelinessPercent: 0 },
      subsequent: { reviewsAssessed: 1, reviewsOnTime: 1, timelinessPercent: 100 },
      short_breaks: { reviewsAssessed: 1, reviewsOnTime: 1, timelinessPercent: 100 },
    });
    expect(f.reviewsHeld).toBe(3);
    expect(f.reviewsAssessed).toBe(3);
    expect(f.shortBreaks).toMatchObject({ reviewsHeld: 1, reviewsAssessed: 1, reviewsOnTime: 1 });
  });

  it('leaves a review whose due date cannot be known out of every kind', async () => {
    // Reviews known from 1 April 2025 of a period that began before: the first in hand has no
    // known due date; the one after it is due 6 months later.
    const f = await figuresOf(
      [
        aChild('OLD', {
          periods: [period('2023-01-09', null, { startKnown: false })],
          reviewsKnownFrom: d('2025-04-01'),
          reviews: [held('2025-05-01'), held('2025-11-03')],
        }),
      ],
      range,
    );
    expect(f.reviewsDueUnknown).toBe(1);
    expect(f.timelinessByKind.subsequent).toEqual({
      reviewsAssessed: 1,
      reviewsOnTime: 0,
      timelinessPercent: 0,
    });
    expect(
      f.timelinessByKind.first.reviewsAssessed + f.timelinessByKind.second.reviewsAssessed,
    ).toBe(0);
  });

  it('counts attendance, chairing, advocacy and consultation of reviews recorded in the app only', async () => {
    const f = await figuresOf([child, shortBreaks], range, [
      fact('CLA', '2025-01-30', {
        attended: ['child', 'mother', 'carer'],
        childChaired: true,
        consultationReturned: true,
      }),
      fact('CLA', '2025-05-06', { attended: ['father', 'other_family'], advocacyOffered: true }),
      fact('CLA', '2025-11-01', { attendanceRecorded: false, consultationReturned: true }),
      // A short-break review, and a record for no review of the child's in the range: apart.
      fact('SB', '2025-04-20', { attended: ['child', 'mother'], childChaired: true }),
      fact('CLA', '2024-12-02', { attended: ['child'], childChaired: true }),
    ]);
    expect(f.recordedReviews).toEqual({
      recorded: 3,
      attendanceRecorded: 2,
      attended: { child: 1, mother: 1, father: 1, otherFamily: 1, carer: 1 },
      attendedPercent: { child: 50, mother: 50, father: 50, otherFamily: 50, carer: 50 },
      childChaired: 1,
      childChairedPercent: 33.3,
      advocacyOffered: 1,
      advocacyOfferedPercent: 33.3,
      consultationReturned: 2,
      consultationReturnedPercent: 66.7,
      late: 1,
      lateReasons: {
        child_unavailable: 0,
        family_unavailable: 0,
        social_worker_unavailable: 0,
        iro_unavailable: 0,
        placement_change: 0,
        not_booked_in_time: 0,
        rearranged_on_request: 0,
        other: 0,
        notGiven: 1,
      },
    });
  });

  it('counts the reasons given for late reviews, and only for reviews held late', async () => {
    const f = await figuresOf([child, shortBreaks], range, [
      fact('CLA', '2025-01-30', { lateReason: 'other' }),
      fact('CLA', '2025-05-06', { lateReason: 'iro_unavailable' }),
      fact('SB', '2025-04-20', { lateReason: 'placement_change' }),
    ]);
    expect(f.recordedReviews.late).toBe(1);
    expect(Object.entries(f.recordedReviews.lateReasons).filter(([, n]) => n > 0)).toEqual([
      ['iro_unavailable', 1],
    ]);
  });

  it('gives no percentages when no review was recorded in the app', async () => {
    const f = await figuresOf([child], range);
    expect(f.recordedReviews).toMatchObject({
      recorded: 0,
      attendanceRecorded: 0,
      attendedPercent: { child: null, mother: null, father: null, otherFamily: null, carer: null },
      childChairedPercent: null,
    });
  });
});

describe('the annual report: caseload of every IRO together', () => {
  const iro = (email: string, fte: number): StaffMember => ({
    email,
    name: email,
    role: 'iro',
    aadObjectId: null,
    team: null,
    managerEmail: null,
    fte,
    swId: null,
    level: null,
  });
  const allocated = (childId: string, staffEmail: string) =>
    aChild(childId, {
      allocations: [{ role: 'iro', staffEmail, startDate: d('2020-01-06'), endDate: null }],
    });

  it('sums children and FTE (0.1 + 0.2 is 0.3) and divides', async () => {
    const f = await figuresOf(
      [
        allocated('A', 'a@x.test'),
        allocated('B', 'b@x.test'),
        allocated('C', 'b@x.test'),
        aChild('D'),
      ],
      YEAR,
      [],
      [iro('a@x.test', 0.1), iro('b@x.test', 0.2)],
    );
    expect(f.caseloadTotal).toEqual({ children: 3, fte: 0.3, perFte: 10, band: 'below' });
    expect(f.childrenWithoutIro).toBe(1);
    expect(f.childrenIroNotKnown).toBe(0);
    expect(f.iroKnownFrom).toBeNull();
  });
});

describe('the annual report: children aged 4 or over who communicated their views', () => {
  it('counts children (PN1 to PN6 at every review at 4 or over), and reviews without PN4 beside', async () => {
    const f = await figuresOf([
      // PN4 is communicating (DOMAIN.md: PN1..PN6), but not a view conveyed.
      aChild('A', { reviews: [held('2025-05-01', 'PN1'), held('2025-11-01', 'PN4')] }),
      // PN7 at one review: not at every review.
      aChild('B', { reviews: [held('2025-05-01', 'PN1'), held('2025-11-01', 'PN7')] }),
      aChild('D', { reviews: [held('2025-05-01', 'PN4')] }),
      // Under 4 at every review: not counted.
      aChild('C', { dob: d('2023-01-10'), reviews: [held('2025-05-01', 'PN0')] }),
      // Turns 4 between reviews: only the review at 4 or over counts.
      aChild('E', {
        dob: d('2021-08-01'),
        reviews: [held('2025-05-01', 'PN0'), held('2025-11-01', 'PN6')],
      }),
    ]);
    expect(f.viewsCommunicated).toEqual({ children: 3, of: 4, percent: 75 });
    // A's PN1, B's PN1, E's PN6 of the 6 reviews at 4 or over.
    expect(f.viewsConveyed).toEqual({ reviews: 3, of: 6, percent: 50 });
  });
});

describe('the annual report: caseloads before allocations were held', () => {
  const iro = (email: string, fte: number): StaffMember => ({
    email,
    name: email,
    role: 'iro',
    aadObjectId: null,
    team: null,
    managerEmail: null,
    fte,
    swId: null,
    level: null,
  });
  // Allocations.csv first imported on Mon 12 October 2026 (go-live): every child looked after
  // since 2020, so on 31 March 2026 each had an IRO, but which one is not known.
  const GO_LIVE = d('2026-10-12');
  const allocatedFrom = (childId: string, staffEmail: string, startDate = GO_LIVE) =>
    aChild(childId, { allocations: [{ role: 'iro', staffEmail, startDate, endDate: null }] });
  const STAFF = [iro('a@x.test', 1), iro('b@x.test', 0.5)];

  it('credits no IRO with a child on a day before its first known allocation', async () => {
    const f = await figuresOf(
      [allocatedFrom('A', 'a@x.test'), allocatedFrom('B', 'a@x.test'), aChild('C')],
      YEAR,
      [],
      STAFF,
    );
    expect(f.childrenIroNotKnown).toBe(2);
    expect(f.iroKnownFrom).toBe(GO_LIVE);
    // Not "2 children, below guidance" for a@, nor 0 for b@: nobody's caseload is known that day.
    expect(f.caseload).toEqual([
      { iro: 'a@x.test', name: 'a@x.test', children: null, fte: 1, perFte: null, band: null },
      { iro: 'b@x.test', name: 'b@x.test', children: null, fte: 0.5, perFte: null, band: null },
    ]);
    // Every child allocated to an IRO still counts for all IROs together (today's FTE).
    expect(f.caseloadTotal).toEqual({ children: 2, fte: 1.5, perFte: 1.3, band: 'below' });
    expect(f.childrenWithoutIro).toBe(1);
    expect(f.childrenLookedAfter).toBe(3);
  });

  it('credits the children whose IRO is known, and counts the others apart', async () => {
    const f = await figuresOf(
      [
        allocatedFrom('A', 'a@x.test', d('2026-01-05')),
        allocatedFrom('B', 'b@x.test', d('2026-03-31')),
        allocatedFrom('C', 'a@x.test'),
      ],
      YEAR,
      [],
      STAFF,
    );
    expect(f.caseload.map((c) => [c.iro, c.children, c.perFte])).toEqual([
      ['a@x.test', 1, 1],
      ['b@x.test', 1, 2],
    ]);
    expect(f.childrenIroNotKnown).toBe(1);
    expect(f.iroKnownFrom).toBe(GO_LIVE);
    expect(f.caseloadTotal.children).toBe(3);
  });

  it('credits the IRO who holds the child from the first known allocation on, as before', async () => {
    const today = { from: d('2026-10-01'), to: d('2026-12-04') };
    const moved = aChild('A', {
      allocations: [
        { role: 'iro', staffEmail: 'a@x.test', startDate: GO_LIVE, endDate: d('2026-11-02') },
        { role: 'iro', staffEmail: 'b@x.test', startDate: d('2026-11-02'), endDate: null },
      ],
    });
    const f = await figuresOf([moved, allocatedFrom('B', 'a@x.test')], today, [], STAFF);
    expect(f.caseload.map((c) => [c.iro, c.children])).toEqual([
      ['a@x.test', 1],
      ['b@x.test', 1],
    ]);
    expect(f.childrenIroNotKnown).toBe(0);
    const onGoLive = await figuresOf([moved], { from: GO_LIVE, to: GO_LIVE }, [], STAFF);
    expect(onGoLive.caseload.map((c) => [c.iro, c.children])).toEqual([
      ['a@x.test', 1],
      ['b@x.test', 0],
    ]);
  });
});
