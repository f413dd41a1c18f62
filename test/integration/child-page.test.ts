import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annualReportFigures } from '../../src/app/annual-report.js';
import { childPage, type ChildPageDeps } from '../../src/app/child-page.js';
import {
  readRecordForm,
  recordingContext,
  saveRecord,
} from '../../src/app/recording/record-review.js';
import type { StaffMember } from '../../src/app/ports.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed-demo-data.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import { createPgChildPageReader } from '../../src/store/child-page-repository.js';
import type { Store } from '../../src/store/open-store.js';
import type { ChildPage, ChildReview } from '../../src/tab/api-types.js';
import {
  oracleChain,
  oracleChildren,
  oracleDue,
  type OracleChild,
} from '../support/review-oracle.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const TODAY = '2026-11-23' as LocalDate;
const IRO = PLAYGROUND_USERS.iro;
const SW = PLAYGROUND_USERS.socialWorker;
const IRO_MANAGER = PLAYGROUND_USERS.teamManager;

const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const days = (from: string, to: string) => Math.round((utc(to) - utc(from)) / 86_400_000);
const shift = (date: string, n: number) =>
  new Date(utc(date) + n * 86_400_000).toISOString().slice(0, 10) as LocalDate;

/** The demo council's own files, read independently of the store. */
function demoFacts(services: Services) {
  const files = demoCouncilExtract({ today: TODAY, calendar: services.calendar });
  const names = new Map(
    files['Allocations.csv']
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(','))
      .map((c) => [c[0] as string, { first: c[3] as string, last: c[4] as string }]),
  );
  // The demo's files hold every review ever held (the seed imports them so).
  return { oracle: oracleChildren(files, { reviewsKnownFrom: null }), names };
}

/** The child's held reviews with due dates and lateness by the oracle's reading of the rules. */
function expectedHeld(c: OracleChild) {
  const codes = new Map(c.reviews.map((r) => [r.date, r.code]));
  return c.periods
    .flatMap((p) => oracleChain(c, p))
    .filter((l): l is typeof l & { held: string } => l.held !== null)
    .map((l) => ({
      heldOn: l.held,
      dueDate: l.due,
      kind: l.due === null ? null : l.kind,
      onTime: l.due === null ? null : l.held <= l.due,
      daysLate: l.due === null ? null : Math.max(0, days(l.due, l.held)),
      participation: codes.get(l.held) ?? null,
    }))
    .sort((a, b) => (a.heldOn < b.heldOn ? 1 : -1));
}

const heldPart = (r: ChildReview) => ({
  heldOn: r.heldOn,
  dueDate: r.dueDate,
  kind: r.kind,
  onTime: r.onTime,
  daysLate: r.daysLate,
  participation: r.participation,
});

describe.each(DIALECTS)('the child page on $name', (dialect) => {
  let store: Store;
  let services: Services;
  let deps: ChildPageDeps;
  let oracle: OracleChild[];
  let names: Map<string, { first: string; last: string }>;
  let staff: StaffMember[];
  const staffNamed = (email: string | null) => staff.find((s) => s.email === email);

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    expect(await seedDemoDataIfEmpty(services)).toBe(true);
    deps = {
      ...services,
      childPages: createPgChildPageReader(store.db),
      timeZone: services.scheduling.timeZone,
    };
    ({ oracle, names } = demoFacts(services));
    staff = await services.cases.listStaff();
  });
  afterAll(async () => {
    await store.close();
  });

  /** Alex's children in a current full-time period, with reviews held, one of them late. */
  const alexsChildren = () => {
    const current = new Set(
      oracleDue(oracle, TODAY, '0000-01-01', '9999-12-31').map((d) => d.child),
    );
    return oracle.filter(
      (c) =>
        c.iro === IRO.email &&
        current.has(c.child) &&
        c.periods.every((p) => !p.shortBreak) &&
        c.reviews.length >= 3,
    );
  };

  it("shows an IRO their own child's reviews, judged as the annual report judges them", async () => {
    const child = alexsChildren().find((c) =>
      expectedHeld(c).some((r) => r.onTime === false && r.daysLate !== null && r.daysLate > 0),
    );
    if (!child) throw new Error('the demo council has no late review among Alex’s children');
    const result = await childPage(deps, IRO.aadObjectId, child.child);
    if (result.kind !== 'page') throw new Error(`expected a page, got ${result.kind}`);
    const { page } = result;

    const name = names.get(child.child) as { first: string; last: string };
    const initials = `${name.first[0]}.${name.last[0]}.`;
    expect(page.childId).toBe(child.child);
    expect(page.initials).toBe(initials);
    expect(page.label).toBe(`${initials} · ${child.child}`);
    expect(page.iroName).toBe(IRO.name);
    expect(page.socialWorkerName).toBe(staffNamed(child.sw)?.name);
    const period = child.periods.at(-1);
    expect(page.period).toEqual({
      start: period?.start ?? period?.firstEpisode,
      startKnown: period?.start !== null,
      end: null,
      shortBreak: false,
    });

    // The next review: the oracle's due date, and the midway point since the last review.
    const due = oracleDue(oracle, TODAY, '0000-01-01', '9999-12-31').find(
      (d) => d.child === child.child,
    );
    const last = child.reviews.at(-1)?.date as string;
    const dueDate = due?.dueDate as LocalDate;
    let holdBy = dueDate;
    while (!services.calendar.isWorkingDay(holdBy)) holdBy = shift(holdBy, -1);
    expect(page.next).toEqual({
      dueDate,
      kind: due?.kind,
      midwayDate: shift(last, Math.floor(days(last, dueDate) / 2)),
      // A due date on a weekend or bank holiday is held by the working day before it.
      holdBy: holdBy === dueDate ? null : holdBy,
      // Not booked: flagged within 20 working days, red within a fortnight.
      needsScheduling: dueDate <= services.calendar.addWorkingDays(TODAY, 20),
      urgentScheduling: days(TODAY, dueDate) <= 14,
    });
    const [upcoming, ...held] = page.reviews;
    expect(upcoming).toEqual({
      dueDate: due?.dueDate,
      kind: due?.kind,
      heldOn: null,
      daysLate: null,
      onTime: null,
      participation: null,
      attendance: [],
      scheduledStart: null,
      status: 'due',
    });

    // Every review held, newest first, with the due date and lateness the rules give.
    expect(held.map(heldPart)).toEqual(expectedHeld(child));
    expect(held.every((r) => r.status === 'held' && r.attendance.length === 0)).toBe(true);

    // The same reviews, counted by the annual report for this child alone.
    const from = child.reviews[0]?.date as LocalDate;
    const figures = await annualReportFigures(
      services,
      { from, to: TODAY },
      {
        childIds: [child.child],
      },
    );
    expect(figures.reviewsHeld).toBe(held.length);
    expect(figures.reviewsAssessed).toBe(held.filter((r) => r.onTime !== null).length);
    expect(figures.reviewsOnTime).toBe(held.filter((r) => r.onTime === true).length);
    expect(figures.reviewsOnTime).toBeLessThan(figures.reviewsAssessed);
    expect(page.decisions).toEqual([]);
    expect(page.midwayCheck).toBeNull();
    expect(page.alerts).toEqual([]);

    // The CHILD id matches whatever its letter case; a manager of the IRO sees the same page.
    expect(await childPage(deps, IRO.aadObjectId, ` ${child.child.toLowerCase()} `)).toEqual(
      result,
    );
    expect(staffNamed(IRO.email)?.managerEmail).toBe(IRO_MANAGER.email);
    expect(page.canSchedule).toBe(true);
    const managers = await childPage(deps, IRO_MANAGER.aadObjectId, child.child);
    expect(managers).toEqual({ kind: 'page', page: { ...page, canSchedule: false } });
  });

  it("judges every review of every child on the IRO's caseload by the rules", async () => {
    const caseload = oracle.filter((c) => c.iro === IRO.email);
    expect(caseload.length).toBeGreaterThan(10);
    let judged = 0;
    let onDueDay = 0;
    for (const child of caseload) {
      const result = await childPage(deps, IRO.aadObjectId, child.child);
      if (result.kind !== 'page') throw new Error(`${child.child}: ${result.kind}`);
      const held = result.page.reviews.filter((r) => r.status === 'held');
      expect(held.map(heldPart), child.child).toEqual(expectedHeld(child));
      judged += held.filter((r) => r.onTime !== null).length;
      onDueDay += held.filter((r) => r.heldOn === r.dueDate).length;
    }
    expect(judged).toBeGreaterThan(20);
    // A review held on its due date is on time: the edge of the rule is among them.
    expect(onDueDay).toBeGreaterThan(0);
  });

  it('answers a child out of scope exactly as a child nobody knows', async () => {
    const megan = staffNamed(SW.email);
    const child = alexsChildren().find(
      (c) => c.sw !== SW.email && staffNamed(c.sw)?.team !== megan?.team,
    );
    if (!child || !megan) throw new Error('the demo council has no child of another team');
    const notAllowed = await childPage(deps, SW.aadObjectId, child.child);
    const unknown = await childPage(deps, SW.aadObjectId, 'ZZ000000');
    expect(notAllowed).toEqual({ kind: 'notFound' });
    expect(unknown).toStrictEqual(notAllowed);
    // The data team's admin account sees no child either.
    const admin = staff.find((s) => s.role === 'admin');
    expect(await childPage(deps, admin?.aadObjectId ?? undefined, child.child)).toEqual({
      kind: 'notFound',
    });
  });

  it('lets a social worker open their own child, and nobody unregistered', async () => {
    const own = oracle.find((c) => c.sw === SW.email && c.reviews.length > 0);
    if (!own) throw new Error('Megan has no child in the demo council');
    const page = await childPage(deps, SW.aadObjectId, own.child);
    expect(page.kind === 'page' && page.page.socialWorkerName).toBe(SW.name);
    expect(await childPage(deps, '11111111-2222-3333-4444-555555555555', own.child)).toEqual({
      kind: 'notRegistered',
    });
    expect(await childPage(deps, undefined, own.child)).toEqual({ kind: 'notRegistered' });
  });

  it('shows a review recorded in the app with its attendance, decisions, midway answers and alerts', async () => {
    // One of Alex's children aged 4 or more whose next review is due: record it today.
    const child = alexsChildren().find(
      (c) =>
        days(c.dob, TODAY) > 5 * 366 &&
        (c.reviews.at(-1)?.date ?? '') < TODAY &&
        oracleDue(oracle, TODAY, '0000-01-01', shift(TODAY, 60)).some(
          (d) => d.child === c.child && d.dueDate !== null,
        ),
    );
    if (!child?.sw) throw new Error('no child of Alex due for a review');
    const sw = staffNamed(child.sw) as StaffMember;
    const before = await childPage(deps, IRO.aadObjectId, child.child);
    if (before.kind !== 'page') throw new Error('Alex cannot open their child');
    const dueBefore = before.page.next.dueDate as LocalDate;
    // The review imported last had no midway check: the page says so, not "no answer".
    expect(before.page.midwayCheck).toBeNull();

    const context = await recordingContext(services, IRO.aadObjectId, child.child, undefined);
    if (!context.ok) throw new Error(`cannot record: ${context.reason}`);
    const form = readRecordForm(
      context.context,
      {
        heldOn: TODAY,
        code: 'PN1',
        att_child: 'in_person',
        att_mother: 'online',
        att_father: 'did_not_attend',
        att_carer: 'in_person',
        decision_0_what: 'Weekly contact with brother',
        decision_0_who: sw.email.toUpperCase(),
        decision_0_by: shift(TODAY, 30),
        decision_1_what: 'CAMHS referral',
        decision_1_who: 'outside@partner.example',
        decision_2_what: 'Life story work',
      },
      TODAY,
      [],
    );
    if (!form.ok) throw new Error(JSON.stringify(form.errors));
    const saved = await saveRecord(services, context.context, form.record, 'child-page-test');
    if (!saved.ok) throw new Error(saved.reason);
    const decisionIds = (
      await store.db
        .selectFrom('reviewDecisions')
        .select('id')
        .where('reviewId', '=', saved.review.reviewId)
        .orderBy('id')
        .execute()
    ).map((d) => d.id);
    const [contact, camhs, lifeStory] = decisionIds as [number, number, number];

    // The midway check of this review, answered by the social worker; one decision since done.
    const check = await store.db
      .insertInto('midwayChecks')
      .values({
        reviewId: saved.review.reviewId,
        childId: child.child,
        midwayOn: TODAY,
        swEmail: sw.email,
        iroEmail: IRO.email,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const midwayCheckNow = async () => {
      const shown = await childPage(deps, IRO.aadObjectId, child.child);
      return shown.kind === 'page' ? shown.page.midwayCheck : shown.kind;
    };
    // Opened, its card not yet with the social worker; then asked the evening before, at
    // 23:30 UTC on a winter day (the same day in London).
    expect(await midwayCheckNow()).toEqual({ midwayOn: TODAY, askedOn: null, answeredOn: null });
    await store.db
      .updateTable('midwayChecks')
      .set({ promptedAt: new Date(`${shift(TODAY, -1)}T23:30:00Z`) })
      .where('id', '=', check.id)
      .execute();
    expect(await midwayCheckNow()).toEqual({
      midwayOn: TODAY,
      askedOn: shift(TODAY, -1),
      answeredOn: null,
    });
    const at = new Date(`${TODAY}T10:00:00Z`);
    expect(
      await services.midway.recordAnswer({
        checkId: check.id,
        answeredBy: sw.email,
        at,
        answers: [
          { decisionId: contact, status: 'on_track', note: 'Started on Tuesdays' },
          { decisionId: camhs, status: 'delayed', note: null },
        ],
        iroNote: null,
        summaryAt: at,
        today: TODAY,
      }),
    ).toBe('recorded');
    await services.reminders.updateDecision({
      decisionId: lifeStory,
      status: 'done',
      reason: null,
      by: sw.email,
      // 23:30 UTC on 30 June is 00:30 on 1 July in London: the day done is the council's.
      at: new Date('2027-06-30T23:30:00Z'),
      today: '2027-07-01' as LocalDate,
    });

    // Two practice alerts: one open, one resolved; their text never reaches the page.
    const alertContext = { actor: IRO.email, at, today: TODAY };
    const newAlert = {
      childId: child.child,
      iroEmail: IRO.email,
      issue: 'Secret concern about the placement',
      actionWanted: 'Secret action wanted',
      decisionId: camhs,
      midwayCheckId: null,
      startedOn: TODAY,
      dueOn: shift(TODAY, 7),
      responderEmail: null,
    };
    const open = await services.alerts.raise(newAlert, alertContext, () => []);
    const closed = await services.alerts.raise(newAlert, alertContext, () => []);
    expect(
      await services.alerts.addStep(
        closed,
        'informal',
        { kind: 'resolve', outcome: 'resolved', resolvedOn: TODAY },
        { actorEmail: IRO.email, note: 'Secret note' },
        { at, today: TODAY },
        () => [],
      ),
    ).toBe('done');
    // The open one answered by the manager at its stage: it waits for the IRO.
    const manager = (await services.cases.listStaff()).find((s) => s.role === 'team_manager');
    if (!manager) throw new Error('the demo council has team managers');
    expect(
      await services.alerts.addStep(
        open,
        'informal',
        { kind: 'respond' },
        { actorEmail: manager.email, note: 'Secret response' },
        { at, today: TODAY },
        () => [],
      ),
    ).toBe('done');

    // And the next review booked.
    const next = saved.next.known ? saved.next.due : undefined;
    if (!next) throw new Error('the next review after a recorded one is known');
    const start = new Date(`${next.dueDate}T10:00:00Z`);
    await services.scheduledReviews.recordBooking(
      {
        childId: child.child,
        chairEmail: IRO.email,
        dueOn: next.dueDate,
        kind: next.kind,
        start,
        end: new Date(start.getTime() + 90 * 60_000),
        venue: 'Hybrid',
        eventId: 'event-child-page',
        iCalUId: 'ical-child-page',
        joinUrl: null,
        transactionId: null,
        invitees: [],
      },
      { actor: IRO.email, today: TODAY },
    );

    const result = await childPage(deps, IRO.aadObjectId, child.child);
    if (result.kind !== 'page') throw new Error(`expected a page, got ${result.kind}`);
    const page: ChildPage = result.page;
    const [booked, recorded, ...older] = page.reviews;
    expect(booked).toEqual({
      dueDate: next.dueDate,
      kind: next.kind,
      heldOn: null,
      daysLate: null,
      onTime: null,
      participation: null,
      attendance: [],
      scheduledStart: start.toISOString(),
      status: 'scheduled',
    });
    expect(page.next.dueDate).toBe(next.dueDate);
    // Booked: nothing to flag.
    expect(page.next).toMatchObject({ needsScheduling: false, urgentScheduling: false });
    expect(recorded).toEqual({
      dueDate: dueBefore,
      kind: before.page.next.kind,
      heldOn: TODAY,
      daysLate: Math.max(0, days(dueBefore, TODAY)),
      onTime: TODAY <= dueBefore,
      participation: 'PN1',
      attendance: [
        { participant: 'child', attendance: 'in_person' },
        { participant: 'mother', attendance: 'online' },
        { participant: 'father', attendance: 'did_not_attend' },
        { participant: 'carer', attendance: 'in_person' },
      ],
      scheduledStart: null,
      status: 'held',
    });
    expect(older.map(heldPart)).toEqual(expectedHeld(child));

    expect(page.decisions).toEqual([
      {
        id: contact,
        description: 'Weekly contact with brother',
        ownerName: sw.name,
        ownerOutsideStaff: false,
        dueOn: shift(TODAY, 30),
        doneOn: null,
        midway: { status: 'on_track', note: 'Started on Tuesdays' },
      },
      {
        id: camhs,
        description: 'CAMHS referral',
        // Not on the staff list: the page says so, without the address.
        ownerName: null,
        ownerOutsideStaff: true,
        dueOn: null,
        doneOn: null,
        midway: { status: 'delayed', note: null },
      },
      {
        id: lifeStory,
        description: 'Life story work',
        ownerName: null,
        ownerOutsideStaff: false,
        dueOn: null,
        doneOn: '2027-07-01',
        midway: null,
      },
    ]);
    expect(page.midwayCheck).toEqual({
      midwayOn: TODAY,
      askedOn: shift(TODAY, -1),
      answeredOn: TODAY,
    });
    expect(page.midwayCheck).toEqual({
      midwayOn: TODAY,
      askedOn: shift(TODAY, -1),
      answeredOn: TODAY,
    });
    expect(page.alerts).toEqual([
      {
        id: closed,
        stage: 'informal',
        raisedOn: TODAY,
        stageDueOn: shift(TODAY, 7),
        outcome: 'resolved',
        closedOn: TODAY,
        respondedOn: null,
      },
      {
        id: open,
        stage: 'informal',
        raisedOn: TODAY,
        stageDueOn: shift(TODAY, 7),
        outcome: null,
        closedOn: null,
        respondedOn: TODAY,
      },
    ]);
    expect(JSON.stringify(page)).not.toMatch(/Secret|@/);

    // The child's social worker sees the same page, without the offer to book the review.
    expect(page.canSchedule).toBe(true);
    expect(await childPage(deps, sw.aadObjectId ?? undefined, child.child)).toEqual({
      kind: 'page',
      page: { ...page, canSchedule: false },
    });
  });
});
