import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annualReportFigures,
  caseloadYearFigures,
  latestEligibleStart,
  type AnnualReportFigures,
} from '../../src/app/annual-report.js';
import { resolveAsker, scopeEmails } from '../../src/app/access/viewer-scope.js';
import { listDueReviews } from '../../src/app/due-reviews.js';
import type { ExtractFiles } from '../../src/app/import/extract.js';
import { importExtract, type ImportDone } from '../../src/app/import/import-extract.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import {
  oracleAddMonths,
  oracleChain,
  oracleChildren,
  oracleDue,
  oracleStats,
  type OracleChild,
  type OracleLink,
  type OraclePeriod,
  type OracleStats,
} from '../support/review-oracle.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';
import { shownFigures } from '../support/shown-figures.js';

const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
/** The 903 year of the extract; the demo council's data end on its last day. */
const YEAR = { from: '2025-04-01' as LocalDate, to: '2026-03-31' as LocalDate };
const TODAY = YEAR.to;
/**
 * A seed whose data hold every case below (among them a first review due before the year and held
 * in it, which few seeds give).
 */
const SEED = 5;
/** Children whose reviews all stopped before the year: their next due date needs LastReviews.csv. */
const MISSED = 5;

describe.each(DIALECTS)('a one-year 903 extract on $name', (dialect) => {
  /** Every review ever held, and the rules on it: the truth. */
  let truth: OracleChild[];
  let missed: string[];
  /** The year's return, as a council sends it. */
  let cut: ExtractFiles;
  /** The same with LastReviews.csv: the last review before the year of every continuing period. */
  let withLast: ExtractFiles;
  let store: Store;
  let services: Services;
  let imported: ImportDone;
  let figures: AnnualReportFigures;
  let storeWithLast: Store;
  let servicesWithLast: Services;
  let importedWithLast: ImportDone;

  beforeAll(async () => {
    const full = demoCouncilExtract({ today: TODAY, calendar, seed: SEED });
    // A few children in long periods of care had no review in the year (overdue since).
    missed = oracleChildren(full, { reviewsKnownFrom: null })
      .filter((c) => {
        const latest = c.periods.at(-1);
        return (
          latest &&
          !latest.shortBreak &&
          latest.end === null &&
          (latest.start as string) < '2023-10-01'
        );
      })
      .map((c) => c.child)
      .sort()
      .slice(0, MISSED);
    const reviews = table(full['Reviews.csv']);
    const history: ExtractFiles = {
      ...full,
      'Reviews.csv': csv(
        reviews.head,
        reviews.rows.filter(
          (r) => !missed.includes(r['CHILD'] as string) || iso(r['REVIEW']) < YEAR.from,
        ),
      ),
    };
    truth = oracleChildren(history, { reviewsKnownFrom: null });
    cut = oneYearExtract(history);
    withLast = {
      ...cut,
      'LastReviews.csv': csv(
        ['CHILD', 'LAST_REVIEW', 'REVIEW_NUMBER'],
        lastReviewsBefore(truth, cut),
      ),
    };
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    imported = await importOk(services, cut);
    figures = await annualReportFigures(services, YEAR);
    storeWithLast = await dialect.open();
    servicesWithLast = servicesFor(storeWithLast, TODAY);
    importedWithLast = await importOk(servicesWithLast, withLast);
  });
  afterAll(async () => {
    await store.close();
    await storeWithLast.close();
  });

  it('knows every review from 1 April of the year, as the spec infers', () => {
    expect(imported.reviewsKnownFrom).toBe(YEAR.from);
    expect(imported.reviewsFromInferred).toBe(true);
    expect(oracleChildren(cut)[0]?.knownFrom).toBe(YEAR.from);
  });

  it('gives the annual report the rules give on the same extract', () => {
    const expected = oracleStats(oracleChildren(cut), YEAR.from, YEAR.to);
    expect(expected.reviewsAssessed).toBeGreaterThan(300);
    expect(expected.reviewsDueUnknown).toBeGreaterThan(100);
    expect(expected.childTimeliness.childrenDueUnknown).toBeGreaterThan(50);
    expect(reportFigures(figures)).toEqual(expected);
  });

  it("sums the year from each child's status row as the annual report counts it, unknown due dates and all", async () => {
    const at = {
      today: TODAY,
      month: { from: '2026-03-01' as LocalDate, to: TODAY },
      yearStart: YEAR.from,
      eligibleBy: latestEligibleStart(calendar, TODAY),
    };
    let compared = 0;
    let dueUnknown = 0;
    for (const person of await services.cases.listStaff()) {
      const asker = await resolveAsker(services.cases, person.aadObjectId ?? undefined);
      if (!asker || asker.childIds.length === 0) continue;
      const sums = await services.cases.summariseCaseload(
        { staffEmails: scopeEmails([person], asker.staff) },
        at,
      );
      expect(sums.every((s) => s.unsure === 0)).toBe(true);
      const slow = await annualReportFigures(services, YEAR, { childIds: asker.childIds });
      expect(shownFigures(caseloadYearFigures(sums)), person.email).toEqual(shownFigures(slow));
      dueUnknown += slow.childTimeliness.childrenDueUnknown + slow.reviewsDueUnknown;
      compared += 1;
    }
    expect(compared).toBeGreaterThan(5);
    expect(dueUnknown).toBeGreaterThan(50);
  });

  it('reports the timeliness of the full history, not what the extract read as complete gives', () => {
    const whole = oracleStats(truth, YEAR.from, YEAR.to);
    expect(whole.reviewsDueUnknown).toBe(0);
    expect(figures.reviewsHeld).toBe(whole.reviewsHeld);
    const truthPercent = (100 * whole.reviewsOnTime) / whole.reviewsHeld;
    const productPercent = (100 * figures.reviewsOnTime) / figures.reviewsAssessed;
    expect(Math.abs(productPercent - truthPercent)).toBeLessThanOrEqual(1.5);
    // The bug of issue 8: the first episode held taken as the start of care.
    const asComplete = oracleStats(
      oracleChildren(cut, { firstEpisodeStartsCare: true }),
      YEAR.from,
      YEAR.to,
    );
    const asCompletePercent = (100 * asComplete.reviewsOnTime) / asComplete.reviewsAssessed;
    expect(asCompletePercent).toBeLessThan(truthPercent - 40);
    expect(Math.abs(productPercent - asCompletePercent)).toBeGreaterThan(40);
  });

  it('gives every review it assesses the due date it had, but where the extract cannot number the reviews', async () => {
    const truthDue = dueDates(truth);
    const { firstDueBefore, startNotHeld, firstHeldEarly } = misnumbered(truth, cut);
    const excluded = new Set([...firstDueBefore, ...startNotHeld, ...firstHeldEarly]);
    expect(firstDueBefore.size).toBeGreaterThan(0);
    expect(excluded.size).toBeLessThan(table(cut['Header.csv']).rows.length * 0.02);

    const assessed = await assessedReviews(store);
    expect(assessed.length).toBe(figures.reviewsAssessed + figures.shortBreaks.reviewsAssessed);
    const wrong = assessed.filter((r) => r.dueOn !== truthDue.get(`${r.childId}|${r.heldOn}`));
    expect(assessed.length - wrong.length).toBeGreaterThan(300);
    expect(wrong.filter((r) => !excluded.has(r.childId))).toEqual([]);

    // What the old reading (first episode = start of care) gives fails this comparison.
    const oldDue = dueDates(oracleChildren(cut, { firstEpisodeStartsCare: true }));
    const oldWrong = [...oldDue].filter(([key, due]) => truthDue.get(key) !== due);
    expect(oldWrong.length).toBeGreaterThan(200);
  });

  it('lists the children whose last review was before the extract as due date unknown, and the import names them', async () => {
    const expected = unknownNextDue(truth, cut);
    expect(expected).toEqual(expect.arrayContaining(missed));
    const listed = await listDueReviews(services, {
      today: TODAY,
      from: TODAY,
      to: plusDays(TODAY, 183),
    });
    const unknown = listed.filter((r) => r.dueDate === null);
    expect(unknown.map((r) => r.child)).toEqual(expected);
    expect(unknown.every((r) => r.kind === null && r.daysLeft === null)).toBe(true);
    expect([...imported.dueUnknown].sort()).toEqual(expected);
    expect(
      oracleDue(oracleChildren(cut), TODAY, TODAY, plusDays(TODAY, 183))
        .filter((e) => e.dueDate === null)
        .map((e) => e.child),
    ).toEqual(expected);
  });

  it('with the last review before the extract (LastReviews.csv), gives those children their true next due date', async () => {
    const unknown = unknownNextDue(truth, cut);
    const supplied = new Set(table(withLast['LastReviews.csv']).rows.map((r) => r['CHILD']));
    const given = unknown.filter((c) => supplied.has(c));
    expect(given).toEqual(expect.arrayContaining(missed));
    // Only children with no review ever (short breaks, rule 399) stay unknown.
    expect([...importedWithLast.dueUnknown].sort()).toEqual(
      unknown.filter((c) => !supplied.has(c)),
    );
    const listed = await listDueReviews(servicesWithLast, {
      today: TODAY,
      from: '1900-01-01' as LocalDate,
      to: '2999-12-31' as LocalDate,
    });
    const want = truth
      .filter((c) => given.includes(c.child))
      .map((c) => {
        const next = oracleChain(c, c.periods.at(-1) as OraclePeriod).at(-1) as OracleLink;
        return { child: c.child, dueDate: next.due, kind: next.kind };
      })
      .sort(byDueThenChild);
    expect(
      listed
        .filter((r) => given.includes(r.child))
        .map(({ child, dueDate, kind }) => ({ child, dueDate, kind })),
    ).toEqual(want);
  });

  it('with LastReviews.csv, gives every review held in the year its true due date, but where its first review was held in the year', async () => {
    const expected = oracleStats(oracleChildren(withLast), YEAR.from, YEAR.to);
    expect(reportFigures(await annualReportFigures(servicesWithLast, YEAR))).toEqual(expected);
    const { firstDueBefore, startNotHeld, firstHeldEarly } = misnumbered(truth, cut);
    // Those children's first review in the year was the period's first: none came before it.
    const firstInYear = new Set([...firstDueBefore, ...startNotHeld]);
    const truthDue = dueDates(truth);
    const assessed = await assessedReviews(storeWithLast);
    expect(assessed.length).toBeGreaterThan(figures.reviewsAssessed + 200);
    const wrong = assessed.filter((r) => r.dueOn !== truthDue.get(`${r.childId}|${r.heldOn}`));
    expect(
      wrong.filter((r) => !firstInYear.has(r.childId) && !firstHeldEarly.has(r.childId)),
    ).toEqual([]);
    expect(expected.reviewsDueUnknown).toBeLessThan(firstInYear.size + 1);
  });

  // Spec gap (reported to the lead): a period that began shortly before the year, whose first
  // review fell due in the year but was held early, before it, counts as complete, so the
  // product takes its second review for the first even when LastReviews.csv gives the first.
  it('with LastReviews.csv, also dates the reviews after a first review held early, before the year', async () => {
    const { firstHeldEarly } = misnumbered(truth, cut);
    expect(firstHeldEarly.size).toBeGreaterThan(0);
    const truthDue = dueDates(truth);
    const assessed = (await assessedReviews(storeWithLast)).filter((r) =>
      firstHeldEarly.has(r.childId),
    );
    expect(assessed.length).toBeGreaterThan(0);
    expect(assessed.filter((r) => r.dueOn !== truthDue.get(`${r.childId}|${r.heldOn}`))).toEqual(
      [],
    );
  });
});

/**
 * A hand-made return for 2025/26 in the current 903 coding (SEX M/F), each child one case of the
 * rules, with the figures worked out by hand from the spec (K = 1 April 2025, inferred).
 */
const HAND_MADE: ExtractFiles = {
  'Header.csv': lines('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB', [
    'H01,M,01/01/2012,WBRI,UN1,,', // continuing period (RNE P), two reviews in the year
    'H02,F,01/01/2012,WBRI,UN1,0,', // continuing (RNE L), LastReviews.csv gives its first review
    'H03,M,01/01/2012,WBRI,UN1,,', // continuing, no review in the year: due date unknown
    'H04,F,01/01/2012,WBRI,UN1,0,', // came into care in the year
    'H05,M,01/01/2012,WBRI,UN1,,', // short breaks less than 6 months apart: one arrangement
    'H06,F,01/01/2012,WBRI,UN1,0,', // short breaks, then full-time care from 06/10/2025
    'H07,M,01/01/2012,WBRI,UN1,,', // continuing, left care in the year
    'H08,F,01/01/2012,WBRI,UN1,0,', // RNE S in March 2025, first review due in the year
    'H09,M,01/01/2012,WBRI,UN1,,', // RNE S in February 2025, first review due before the year
  ]),
  'Episodes.csv': lines(
    'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
    [
      'H01,10/06/2024,P,C2,N1,U1,PR1,,,,,,',
      'H02,15/01/2025,L,C2,N1,U1,PR1,,,,,,',
      'H03,03/03/2023,P,C2,N1,U1,PR1,,,,,,',
      'H04,02/06/2025,S,C2,N1,U1,PR1,,,,,,',
      'H05,05/05/2025,S,V3,N1,U6,PR1,07/05/2025,E13,,,,',
      'H05,01/08/2025,S,V3,N1,U6,PR1,03/08/2025,E13,,,,',
      'H05,20/01/2026,S,V3,N1,U6,PR1,22/01/2026,E13,,,,',
      'H06,01/09/2025,S,V3,N1,U6,PR1,06/10/2025,X1,,,,',
      'H06,06/10/2025,L,C2,N1,U1,PR1,,,,,,',
      'H07,01/12/2023,P,C2,N1,U1,PR1,15/09/2025,E4A,,,,',
      'H08,20/03/2025,S,C2,N1,U1,PR1,,,,,,',
      'H09,03/02/2025,S,C2,N1,U1,PR1,,,,,,',
    ],
  ),
  'Reviews.csv': lines('CHILD,DOB,REVIEW,REVIEW_CODE', [
    'H01,01/01/2012,01/05/2025,PN1', // due unknown (the review before it is not in the extract)
    'H01,01/01/2012,20/10/2025,PN1', // due 01/11/2025: on time
    'H02,01/01/2012,20/05/2025,PN6', // due 14/05/2025 (3 months after the first): late
    'H02,01/01/2012,18/11/2025,PN1', // due 20/11/2025: on time
    'H04,01/01/2012,27/06/2025,PN1', // due 30/06/2025 (20 working days): on time
    'H04,01/01/2012,01/10/2025,PN7', // due 27/09/2025: late
    'H05,01/01/2012,02/08/2025,PN1', // short breaks, due 05/08/2025: on time
    'H06,01/01/2012,30/10/2025,PN1', // due 03/11/2025 (20 working days from 06/10): on time
    'H06,01/01/2012,29/01/2026,PN1', // due 30/01/2026: on time
    'H07,01/01/2012,10/06/2025,PN1', // due unknown
    'H08,01/01/2012,16/04/2025,PN1', // due 17/04/2025 (Good Friday 18/04): on time
    'H08,01/01/2012,16/07/2025,PN1', // due 16/07/2025: on time
    'H08,01/01/2012,23/01/2026,PN1', // due 16/01/2026: late
    'H09,01/01/2012,10/04/2025,PN1', // due unknown (taken for a second review)
    'H09,01/01/2012,10/07/2025,PN1', // due 10/10/2025: on time
    'H09,01/01/2012,05/01/2026,PN1', // due 10/01/2026: on time
  ]),
  'Staff.csv': lines('EMAIL,NAME,ROLE,AAD_OBJECT_ID,TEAM,MANAGER_EMAIL,FTE', [
    'iro@example.com,An IRO,iro,11111111-0000-4000-8000-000000000002,IRO Service,,1',
    'sw@example.com,A Social Worker,social_worker,11111111-0000-4000-8000-000000000003,CiC 1,,1',
  ]),
  'Allocations.csv': lines(
    'CHILD,IRO_EMAIL,SW_EMAIL,FIRST_NAME,LAST_NAME',
    ['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09'].map(
      (c) => `${c},iro@example.com,sw@example.com,Sam,Jones`,
    ),
  ),
  'LastReviews.csv': lines('CHILD,LAST_REVIEW,REVIEW_NUMBER', ['H02,14/02/2025,1']),
};

describe.each(DIALECTS)('a hand-made one-year return on $name', (dialect) => {
  let store: Store;
  let services: Services;
  let imported: ImportDone;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    imported = await importOk(services, HAND_MADE);
  });
  afterAll(async () => {
    await store.close();
  });

  it('lists the reviews due, short breaks and the unknown due date included', async () => {
    expect(imported.reviewsKnownFrom).toBe(YEAR.from);
    expect(imported.dueUnknown).toEqual(['H03']);
    const listed = await listDueReviews(services, {
      today: TODAY,
      from: '2026-01-01' as LocalDate,
      to: '2026-09-30' as LocalDate,
    });
    const expected = [
      { child: 'H05', dueDate: '2026-02-02', kind: 'short_breaks' },
      { child: 'H04', dueDate: '2026-04-01', kind: 'subsequent' },
      { child: 'H01', dueDate: '2026-04-20', kind: 'subsequent' },
      { child: 'H02', dueDate: '2026-05-18', kind: 'subsequent' },
      { child: 'H09', dueDate: '2026-07-05', kind: 'subsequent' },
      { child: 'H08', dueDate: '2026-07-23', kind: 'subsequent' },
      { child: 'H06', dueDate: '2026-07-29', kind: 'subsequent' },
      { child: 'H03', dueDate: null, kind: null },
    ];
    expect(listed.map(({ child, dueDate, kind }) => ({ child, dueDate, kind }))).toEqual(expected);
    expect(
      oracleDue(oracleChildren(HAND_MADE), TODAY, '2026-01-01', '2026-09-30').map(
        ({ child, dueDate, kind }) => ({ child, dueDate, kind }),
      ),
    ).toEqual(expected);
  });

  it('counts the year as worked out by hand', async () => {
    const expected: OracleStats = {
      reviewsHeld: 15,
      reviewsAssessed: 12,
      reviewsOnTime: 9,
      reviewsDueUnknown: 3,
      participation: { PN0: 0, PN1: 13, PN2: 0, PN3: 0, PN4: 0, PN5: 0, PN6: 1, PN7: 1 },
      childrenLookedAfter: 7,
      childTimeliness: { childrenCounted: 4, childrenOnTime: 1, childrenDueUnknown: 3 },
      shortBreaks: { reviewsHeld: 1, reviewsAssessed: 1, reviewsOnTime: 1, reviewsDueUnknown: 0 },
    };
    const figures = await annualReportFigures(services, YEAR);
    expect(reportFigures(figures)).toEqual(expected);
    expect(figures.timelinessPercent).toBe(75);
    expect(oracleStats(oracleChildren(HAND_MADE), YEAR.from, YEAR.to)).toEqual(expected);
  });
});

function lines(head: string, rows: string[]): string {
  return [head, ...rows].map((r) => `${r}\r\n`).join('');
}

/** The product's due date of every held review it could date, as the store keeps it. */
async function assessedReviews(
  store: Store,
): Promise<{ childId: string; heldOn: string; dueOn: string }[]> {
  const rows = await store.db
    .selectFrom('reviews')
    .select(['childId', 'heldOn', 'dueOn'])
    .where('heldOn', 'is not', null)
    .where('dueOn', 'is not', null)
    .execute();
  return rows.map((r) => ({
    childId: r.childId,
    heldOn: r.heldOn as string,
    dueOn: r.dueOn as string,
  }));
}

async function importOk(services: Services, files: ExtractFiles): Promise<ImportDone> {
  const result = await importExtract(services, files, { actor: 'test', today: TODAY });
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 10)));
  return result;
}

/** The report's figures that the oracle computes too, shaped as the oracle gives them. */
function reportFigures(f: AnnualReportFigures): OracleStats {
  return {
    reviewsHeld: f.reviewsHeld,
    reviewsAssessed: f.reviewsAssessed,
    reviewsOnTime: f.reviewsOnTime,
    reviewsDueUnknown: f.reviewsDueUnknown,
    participation: f.participation,
    childrenLookedAfter: f.childrenLookedAfter,
    childTimeliness: {
      childrenCounted: f.childTimeliness.childrenCounted,
      childrenOnTime: f.childTimeliness.childrenOnTime,
      childrenDueUnknown: f.childTimeliness.childrenDueUnknown,
    },
    shortBreaks: {
      reviewsHeld: f.shortBreaks.reviewsHeld,
      reviewsAssessed: f.shortBreaks.reviewsAssessed,
      reviewsOnTime: f.shortBreaks.reviewsOnTime,
      reviewsDueUnknown: f.shortBreaks.reviewsDueUnknown,
    },
  };
}

/** Each held review's due date by the oracle, keyed `CHILD|held`, when known. */
function dueDates(children: OracleChild[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of children)
    for (const p of c.periods)
      for (const l of oracleChain(c, p))
        if (l.held !== null && l.due !== null) out.set(`${c.child}|${l.held}`, l.due);
  return out;
}

/**
 * The children a one-year extract cannot number the reviews of, from the full history: a period
 * that began before the year whose first review was held in it, when that review fell due before
 * the year (the spec assumes it was held before: `firstDueBefore`) or when the extract does not
 * hold the period's start (`startNotHeld`); and a period that began before the year whose first
 * review fell due in it but was held early, before it (`firstHeldEarly`: the extract takes the
 * second review for the first).
 */
function misnumbered(
  truth: OracleChild[],
  cut: ExtractFiles,
): { firstDueBefore: Set<string>; startNotHeld: Set<string>; firstHeldEarly: Set<string> } {
  const firstDueBefore = new Set<string>();
  const startNotHeld = new Set<string>();
  const firstHeldEarly = new Set<string>();
  for (const c of truth) {
    for (const p of c.periods) {
      const first = oracleChain(c, p)[0] as OracleLink;
      const start = p.start as string;
      if (start >= YEAR.from || first.held === null) continue;
      const cutOff = startCutOff(cut, c.child, start);
      if (first.held >= YEAR.from) {
        if ((first.due as string) < YEAR.from) firstDueBefore.add(c.child);
        else if (cutOff) startNotHeld.add(c.child);
      } else if ((first.due as string) >= YEAR.from && !cutOff) firstHeldEarly.add(c.child);
    }
  }
  return { firstDueBefore, startNotHeld, firstHeldEarly };
}

/** Whether the extract lacks the episode that started the child's period begun on `start`. */
function startCutOff(cut: ExtractFiles, child: string, start: string): boolean {
  const decoms = table(cut['Episodes.csv'])
    .rows.filter((e) => e['CHILD'] === child)
    .map((e) => iso(e['DECOM']))
    .sort();
  return (decoms[0] as string) > start;
}

/** Whether the period is current on `date` (short breaks: until 6 months after the last break). */
function currentOn(p: OraclePeriod, date: string): boolean {
  if (p.end === null) return true;
  return p.shortBreak ? date <= oracleAddMonths(p.end, 6) : date <= p.end;
}

/**
 * From the full history: the children in a current period with no review in the year, whose
 * period the extract cannot date (its first review fell due before the year, or its start is
 * not in the extract). Sorted by CHILD.
 */
function unknownNextDue(truth: OracleChild[], cut: ExtractFiles): string[] {
  const inCut = new Set(table(cut['Header.csv']).rows.map((h) => h['CHILD']));
  return truth
    .filter((c) => {
      const p = c.periods.at(-1);
      if (!inCut.has(c.child) || !p || !currentOn(p, TODAY)) return false;
      const links = oracleChain(c, p);
      if (links.some((l) => l.held !== null && l.held >= YEAR.from)) return false;
      const start = p.start as string;
      return (
        (links[0]?.due as string) < YEAR.from ||
        (start < YEAR.from && startCutOff(cut, c.child, start))
      );
    })
    .map((c) => c.child)
    .sort();
}

/**
 * LastReviews.csv from the full history: for each child of the extract whose period of care was
 * open on the year's first day, the last review held before it (numbered 1 when it was the first).
 */
function lastReviewsBefore(truth: OracleChild[], cut: ExtractFiles): Record<string, string>[] {
  const inCut = new Set(table(cut['Header.csv']).rows.map((h) => h['CHILD']));
  return truth
    .filter((c) => inCut.has(c.child))
    .flatMap((c) => {
      const p = c.periods.find(
        (q) => (q.start as string) < YEAR.from && (q.end === null || q.end >= YEAR.from),
      );
      if (!p) return [];
      const before = oracleChain(c, p).filter((l) => l.held !== null && l.held < YEAR.from);
      const last = before.at(-1);
      if (!last) return [];
      return [
        {
          CHILD: c.child,
          LAST_REVIEW: uk(last.held as string),
          REVIEW_NUMBER: before.length === 1 ? '1' : '',
        },
      ];
    });
}

/** CSV rows of a file as the demo writes it (no quoting). */
function table(text: string | undefined): { head: string[]; rows: Record<string, string>[] } {
  const [head = '', ...lines] = (text ?? '').split(/\r?\n/).filter((l) => l !== '');
  const columns = head.split(',');
  return {
    head: columns,
    rows: lines.map((l) => {
      const cells = l.split(',');
      return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
    }),
  };
}

function csv(head: readonly string[], rows: Record<string, string>[]): string {
  return [head, ...rows.map((r) => head.map((c) => r[c] ?? ''))]
    .map((r) => `${r.join(',')}\r\n`)
    .join('');
}

const iso = (uk: string | undefined) => (uk ?? '').split('/').reverse().join('-');
const uk = (isoDate: string) => isoDate.split('-').reverse().join('/');

function plusDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as LocalDate;
}

/**
 * The council's 903 return for the year, cut from its full history as a return holds it: the
 * children with an episode open at any time in the year, those episodes (with their original
 * RNE: a continuing period's first episode is not S), the reviews held in the year.
 */
function oneYearExtract(full: ExtractFiles): ExtractFiles {
  const episodes = table(full['Episodes.csv']);
  const kept = episodes.rows.filter(
    (e) => iso(e['DECOM']) <= YEAR.to && (e['DEC'] === '' || iso(e['DEC']) >= YEAR.from),
  );
  const children = new Set(kept.map((e) => e['CHILD']));
  const header = table(full['Header.csv']);
  const reviews = table(full['Reviews.csv']);
  const allocations = table(full['Allocations.csv']);
  return {
    'Header.csv': csv(
      header.head,
      header.rows.filter((h) => children.has(h['CHILD'])),
    ),
    'Episodes.csv': csv(episodes.head, kept),
    'Reviews.csv': csv(
      reviews.head,
      reviews.rows.filter((r) => {
        const held = iso(r['REVIEW']);
        return children.has(r['CHILD']) && held >= YEAR.from && held <= YEAR.to;
      }),
    ),
    'Staff.csv': full['Staff.csv'],
    'Allocations.csv': csv(
      allocations.head,
      allocations.rows.filter((a) => children.has(a['CHILD'])),
    ),
  };
}

function byDueThenChild(
  a: { child: string; dueDate: string | null },
  b: { child: string; dueDate: string | null },
): number {
  const key = (x: typeof a) => `${x.dueDate ?? '9999-99-99'}|${x.child}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
