import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import {
  addDays,
  addYears,
  monthOf,
  reportingYear,
  todayIn,
  type LocalDate,
} from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import type {
  AnnualReportResponse,
  CardResponse,
  CaseloadResponse,
  ChildPage,
  DemoSignIn,
  DemoUsers,
  Me,
  ReportSection,
  ReviewsResponse,
  TabConfig,
} from '../../src/tab/api-types.js';
import { annualReportFigures } from '../../src/app/annual-report.js';
import { BotHarness } from '../support/bot-harness.js';
import { EntraTestKeys, TEST_CLIENT_ID, TEST_TENANT } from '../support/entra-test-keys.js';
import { oracleChildren, oracleDue } from '../support/review-oracle.js';
import { runIroAssistant } from '../support/run-cli.js';
import { writeExtract } from '../support/extract-builder.js';

const today = todayIn('Europe/London', new Date());
const oracle = oracleChildren(
  demoCouncilExtract({ today, calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS) }),
);
const month = monthOf(today);
const { iro, socialWorker, teamManager } = PLAYGROUND_USERS;

async function call(
  base: string,
  path: string,
  token?: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

describe('the tab API with the demo sign-in (no Entra configured)', () => {
  const harness = new BotHarness();
  const tokens: Record<string, string> = {};
  let base = '';
  beforeAll(async () => {
    await harness.start();
    base = harness.server.url;
    for (const person of [iro, socialWorker, teamManager]) {
      const signIn = await call(base, '/api/tab/demo/sign-in', undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: person.email.toUpperCase() }),
      });
      expect(signIn.status).toBe(200);
      tokens[person.email] = (signIn.body as unknown as DemoSignIn).token;
    }
  });
  afterAll(() => harness.stop());

  it('says it is in demo mode and lists the demo users who have an Entra object id', async () => {
    const config = await call(base, '/api/tab/config');
    expect(config.body as unknown as TabConfig).toEqual({
      auth: 'demo',
      timeZone: 'Europe/London',
    });
    const users = (await call(base, '/api/tab/demo/users')).body as unknown as DemoUsers;
    const emails = users.users.map((u) => u.email);
    expect(emails).toEqual(
      expect.arrayContaining([iro.email, socialWorker.email, teamManager.email]),
    );
    const staff = await harness.server.services.cases.listStaff();
    expect(emails).toHaveLength(staff.filter((s) => s.aadObjectId && s.role !== 'admin').length);
  });

  it('refuses a sign-in as someone who is not a demo user, with what to do', async () => {
    const answer = await call(base, '/api/tab/demo/sign-in', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toBe('Pick one of the demo users listed.');
  });

  it('tells each person who they are, and whether they see the caseload page', async () => {
    const me = (await call(base, '/api/tab/me', tokens[iro.email])).body as unknown as Me;
    expect(me).toMatchObject({
      email: iro.email,
      role: 'iro',
      isManager: false,
      demo: true,
      today,
    });
    const manager = (await call(base, '/api/tab/me', tokens[teamManager.email]))
      .body as unknown as Me;
    expect(manager).toMatchObject({ role: 'team_manager', isManager: true });
  });

  it("lists an IRO's reviews due this month as the rules say, and the overdue ones", async () => {
    const answer = await call(
      base,
      `/api/tab/reviews?from=${month.first}&to=${month.last}`,
      tokens[iro.email],
    );
    expect(answer.status).toBe(200);
    const body = answer.body as unknown as ReviewsResponse;
    const expected = oracleDue(oracle, today, month.first, month.last, iro.email);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.due.filter((r) => r.dueDate !== null).map((r) => [r.childId, r.dueDate])).toEqual(
      expected.filter((e) => e.dueDate !== null).map((e) => [e.child, e.dueDate]),
    );
    const overdue = oracleDue(oracle, today, '1900-01-01', addDays(today, -1), iro.email).filter(
      (e) => e.dueDate !== null,
    );
    expect(overdue.length).toBeGreaterThan(0);
    expect(body.overdue.map((r) => r.childId)).toEqual(overdue.map((e) => e.child));
    for (const row of body.overdue) expect(row.state).toBe('overdue');
    expect(body.due.every((r) => r.label.endsWith(r.childId))).toBe(true);
    expect(body.showIro).toBe(false);
    // Unbooked and overdue or due within a fortnight: urgent, as the chat's lists show it in red.
    for (const row of [...body.overdue, ...body.due]) {
      const urgent =
        row.scheduledStart === null &&
        row.dueDate !== null &&
        (row.dueDate < today || row.dueDate <= addDays(today, 14));
      expect(row.urgentScheduling, row.childId).toBe(urgent);
    }
    expect(body.overdue.some((r) => r.urgentScheduling)).toBe(true);
  });

  it('refuses a period that is not one, saying how to give it', async () => {
    for (const query of [
      '',
      '?from=2026-02-30&to=2026-03-01',
      '?from=2026-04-01&to=2026-03-01',
      '?from=1900-01-01&to=1900-12-31',
    ]) {
      const answer = await call(base, `/api/tab/reviews${query}`, tokens[iro.email]);
      expect(answer.status).toBe(400);
      expect(String(answer.body['error'])).toMatch(/YYYY-MM-DD|ends before it starts|between 1901/);
      const report = await call(base, `/api/tab/annual-report${query}`, tokens[iro.email]);
      expect(report.status).toBe(400);
    }
  });

  it('gives the caseload page to managers only', async () => {
    const refused = await call(
      base,
      `/api/tab/caseload?from=${month.first}&to=${today}`,
      tokens[iro.email],
    );
    expect(refused.status).toBe(403);
    expect(refused.body['error']).toMatch(/for team and service managers/);
    // The last twelve months: this reporting year has no reviews yet on 1 April.
    const lastYear = { from: addDays(today, -364), to: today };
    const answer = await call(
      base,
      `/api/tab/caseload?from=${lastYear.from}&to=${lastYear.to}`,
      tokens[teamManager.email],
    );
    expect(answer.status).toBe(200);
    const body = answer.body as unknown as CaseloadResponse;
    expect(body.iros.map((i) => i.email)).toContain(iro.email);
    const mine = body.iros.find((i) => i.email === iro.email);
    const status = await harness.server.services.cases.listReviewStatus({
      today,
      iroEmail: iro.email,
    });
    expect(mine?.children).toBe(status.filter((s) => !s.shortBreak).length);
    expect(mine?.children).toBeGreaterThan(0);
    // The IRO's line counts the reviews of the children allocated to them now, as a report over
    // those children alone does.
    const own = await annualReportFigures(harness.server.services, lastYear, {
      childIds: status.map((s) => s.childId),
    });
    expect(own.reviewsHeld).toBeGreaterThan(0);
    expect(mine?.reviewsHeld).toBe(own.reviewsHeld);
    expect(mine?.timelinessPercent).toBe(own.timelinessPercent);
    expect(body.iros.reduce((n, i) => n + i.reviewsHeld, 0)).toBeLessThanOrEqual(body.reviewsHeld);
  });

  it("books a review from the tab's dialog with the chat's own scheduling card", async () => {
    // Not one of the social worker's children: they are refused it below as an unknown id.
    const [child] = oracleDue(
      oracle,
      today,
      addDays(today, 28),
      addDays(today, 63),
      iro.email,
    ).filter((c) => c.socialWorker !== socialWorker.email);
    expect(child).toBeDefined();
    const opened = await call(
      base,
      `/api/tab/children/${child?.child.toLowerCase()}/schedule`,
      tokens[iro.email],
    );
    expect(opened.status).toBe(200);
    const card = (opened.body as unknown as CardResponse).card;
    const text = JSON.stringify(card);
    const action = /"verb":"(review\.schedule)","data":(\{[^}]*\})/.exec(text);
    expect(action?.[1]).toBe('review.schedule');
    const slot = /"id":"slot"[^\]]*"choices":\[\{"title":"[^"]*","value":"([^"]+)"/.exec(text);
    expect(slot?.[1]).toBeDefined();
    const press = (token: string | undefined, data: Record<string, unknown>) =>
      call(base, '/api/tab/cards/scheduling', token, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verb: 'review.schedule', data }),
      });
    const form = {
      ...(JSON.parse(action?.[2] as string) as Record<string, unknown>),
      slot: slot?.[1],
      duration: '90',
      venue: 'The foster home',
      inviteSocialWorker: 'true',
    };
    const booked = await press(tokens[iro.email], form);
    expect(booked.status).toBe(200);
    expect(JSON.stringify((booked.body as unknown as CardResponse).card)).toContain(
      'Review booked',
    );
    const scheduled = await harness.server.services.scheduledReviews.findScheduled(
      child?.child as string,
    );
    expect(scheduled?.chairEmail).toBe(iro.email);

    // Someone who may not see the child gets the same 404 as for an id nobody knows, whatever
    // the card would have said (the chat tells "I don't know" from "only the IRO").
    const notTheirs = await press(tokens[socialWorker.email], form);
    const unknown = await press(tokens[socialWorker.email], { ...form, child: 'ZZ99999' });
    expect(notTheirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(notTheirs.body['error']).toBe(unknown.body['error']);
    const openUnknown = await call(base, '/api/tab/children/ZZ99999/schedule', tokens[iro.email]);
    expect(openUnknown.status).toBe(404);
    expect(openUnknown.body['error']).toBe(unknown.body['error']);
    // A social worker's own child: the chat's refusal, as in the chat.
    const own = oracleDue(oracle, today, '1900-01-01', '2999-12-31').find(
      (c) => c.socialWorker === socialWorker.email,
    );
    const refused = await call(
      base,
      `/api/tab/children/${own?.child}/schedule`,
      tokens[socialWorker.email],
    );
    expect(refused.status).toBe(200);
    expect(JSON.stringify((refused.body as unknown as CardResponse).card)).toContain(
      'Only the IRO can schedule this review',
    );
    const { transactionKey: _key, ...keyless } = form as Record<string, unknown>;
    expect(_key).toBeDefined();
    expect((await press(tokens[iro.email], keyless)).status).toBe(400);
    const junk = await press(tokens[iro.email], { child: '<script>' });
    expect(junk.status).toBe(400);
  });

  it("shows a child's page to those who may see the child, and the same 404 to anyone else", async () => {
    const [own] = oracleDue(oracle, today, '1900-01-01', '2999-12-31', iro.email);
    const page = await call(base, `/api/tab/children/${own?.child}`, tokens[iro.email]);
    expect(page.status).toBe(200);
    expect(page.body['childId']).toBe(own?.child);
    expect(String(page.body['label'])).toMatch(new RegExp(`^([A-Z]\\.)+ · ${own?.child}$`));
    expect(JSON.stringify(page.body)).not.toMatch(/@/);
    // The next review with the day to hold it by (the working-day calendar is the server's),
    // and where the last review's midway check stands (null: none was sent).
    const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
    const next = page.body['next'] as ChildPage['next'];
    expect(next.dueDate).toBe(own?.dueDate);
    let holdBy = next.dueDate as LocalDate;
    while (!calendar.isWorkingDay(holdBy)) holdBy = addDays(holdBy, -1);
    expect(next.holdBy).toBe(holdBy === next.dueDate ? null : holdBy);
    // Flagged as the lists flag it: not booked and due within 20 working days, told from the
    // oracle's due dates (not from the server's own), one child each way.
    const horizon = calendar.addWorkingDays(today as LocalDate, 20);
    const unbooked = [];
    for (const c of oracleDue(oracle, today, '1900-01-01', '2999-12-31', iro.email)) {
      if (c.dueDate === null) continue;
      if (await harness.server.services.scheduledReviews.findScheduled(c.child)) continue;
      unbooked.push(c);
    }
    const soon = unbooked.find((c) => (c.dueDate as LocalDate) <= horizon);
    const later = unbooked.find((c) => (c.dueDate as LocalDate) > horizon);
    expect(soon && later).toBeDefined();
    for (const [c, flagged] of [
      [soon, true],
      [later, false],
    ] as const) {
      const itsPage = await call(base, `/api/tab/children/${c?.child}`, tokens[iro.email]);
      expect((itsPage.body['next'] as ChildPage['next']).needsScheduling).toBe(flagged);
    }
    expect(page.body).toHaveProperty('midwayCheck');
    const mine = new Set(
      oracleDue(oracle, today, '1900-01-01', '2999-12-31')
        .filter((c) => c.socialWorker === socialWorker.email)
        .map((c) => c.child),
    );
    expect(mine.size).toBeGreaterThan(0);
    expect(mine.has(own?.child as string)).toBe(false);
    const swPage = await call(
      base,
      `/api/tab/children/${[...mine][0]}`,
      tokens[socialWorker.email],
    );
    expect(swPage.status).toBe(200);
    const notTheirs = await call(
      base,
      `/api/tab/children/${own?.child}`,
      tokens[socialWorker.email],
    );
    const unknown = await call(base, '/api/tab/children/ZZ99999', tokens[socialWorker.email]);
    expect(notTheirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(notTheirs.body['error']).toBe(unknown.body['error']);
    expect((await call(base, '/api/tab/children/..%2Fetc', tokens[iro.email])).status).toBe(404);
  });

  it('opens the page of a child whose CHILD id has a hyphen or an underscore, as the import allows', async () => {
    const files = demoCouncilExtract({
      today,
      calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
    });
    const [own] = oracleDue(oracle, today, '1900-01-01', '2999-12-31', iro.email);
    const renamed = 'LA-07_0001';
    const dir = await writeExtract(
      Object.fromEntries(
        Object.entries(files).map(([name, text]) => [
          name,
          text.replaceAll(String(own?.child), renamed),
        ]),
      ) as typeof files,
    );
    const run = await runIroAssistant(['import', dir], { DATA_DIR: harness.dataDir });
    expect(run.code, run.stderr).toBe(0);
    const listed = await call(
      base,
      `/api/tab/reviews?from=${addYears(today, -5)}&to=${addYears(today, 4)}`,
      tokens[iro.email],
    );
    expect(JSON.stringify(listed.body)).toContain(renamed);
    const page = await call(base, `/api/tab/children/${renamed}`, tokens[iro.email]);
    expect(page.status).toBe(200);
    expect(page.body['childId']).toBe(renamed);
    const card = await call(base, `/api/tab/children/${renamed}/schedule`, tokens[iro.email]);
    expect(card.status).toBe(200);
    expect(JSON.stringify(card.body)).toContain(renamed);
  });

  it('gives the head of service the annual report the command line prints, beside the year before, and as CSV', async () => {
    const head = PLAYGROUND_USERS.headOfService;
    const signIn = await call(base, '/api/tab/demo/sign-in', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: head.email }),
    });
    const token = (signIn.body as unknown as DemoSignIn).token;
    const year = reportingYear(today);
    const from = addYears(year.first, -1);
    const to = addDays(year.first, -1);
    const answer = await call(base, `/api/tab/annual-report?from=${from}&to=${to}`, token);
    expect(answer.status).toBe(200);
    const report = answer.body as unknown as AnnualReportResponse;
    expect(report.previousFrom).toBe(addYears(from, -1));
    const run = await runIroAssistant(['stats', '--from', from, '--to', to, '--json'], {
      DATA_DIR: harness.dataDir,
    });
    expect(run.code).toBe(0);
    const cli = JSON.parse(run.stdout) as { sections: ReportSection[]; reviewsHeld: number };
    expect(cli.reviewsHeld).toBeGreaterThan(100);
    expect(report.sections).toEqual(cli.sections);

    const csv = await fetch(`${base}/api/tab/annual-report.csv?from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(
      `iro-annual-report-${from}-to-${to}.csv`,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const csvRun = await runIroAssistant(['stats', '--from', from, '--to', to, '--csv'], {
      DATA_DIR: harness.dataDir,
    });
    const lines = text.split('\r\n');
    expect(lines.length).toBeGreaterThan(50);
    // The same rows; only the scope line differs (the command line reports the whole council).
    const cliLines = csvRun.stdout.split('\r\n');
    // In the third person, as a board paper reads it (not "the teams you manage").
    expect(lines[3]).toBe("Scope,Children's Services and the teams below it,,");
    expect([...lines.slice(0, 3), ...lines.slice(4)]).toEqual([
      ...cliLines.slice(0, 3),
      ...cliLines.slice(4),
    ]);

    // An IRO's report covers their own caseload only.
    const own = (
      await call(base, `/api/tab/annual-report?from=${from}&to=${to}`, tokens[iro.email])
    ).body as unknown as AnnualReportResponse;
    const held = (r: AnnualReportResponse) =>
      r.sections.find((s) => s.title === 'Timeliness')?.rows[0]?.current ?? 0;
    expect(held(own)).toBeGreaterThan(0);
    expect(held(own)).toBeLessThan(held(report));
    // Its caseloads are theirs: no line for other IROs, and the total divides by their own FTE.
    const caseloads = (r: AnnualReportResponse) =>
      new Map(
        (r.sections.find((s) => s.title === 'Caseloads')?.rows ?? []).map((row) => [
          row.label,
          row,
        ]),
      );
    // Last year ended before the demo's allocations were imported (today): which IRO held each
    // child then is not known, so the IRO's line says so rather than show today's children.
    const mine = caseloads(own);
    expect([...mine.keys()]).toEqual([
      `${iro.name}: children`,
      `${iro.name}: children per FTE`,
      'IRO not known on the last day',
      'All IROs: children',
      'All IROs: FTE',
      'All IROs: children per FTE',
    ]);
    expect(mine.get(`${iro.name}: children`)?.current).toBeNull();
    expect(mine.get(`${iro.name}: children per FTE`)?.current).toBeNull();
    expect(mine.get('All IROs: children')?.current).toBeGreaterThan(0);
    expect(mine.get('All IROs: children')?.current).toBe(
      mine.get('IRO not known on the last day')?.current,
    );
    // The service's FTE is a sum of part-time staff (Staff.csv's 0.6, 0.8), not a whole number.
    const all = caseloads(report).get('All IROs: FTE');
    expect(all?.unit).toBe('fte');
    expect(Number.isInteger(all?.current)).toBe(false);
  });

  it('answers an unknown route under /api/tab with 404, and a bad token with 401', async () => {
    expect((await call(base, '/api/tab/nothing', tokens[iro.email])).status).toBe(404);
    const bad = await call(base, '/api/tab/me', 'abc.def.ghi');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('the tab API with Entra sign-in (a local test key set)', () => {
  const harness = new BotHarness();
  const keys = new EntraTestKeys();
  let base = '';
  beforeAll(async () => {
    await keys.start();
    await harness.start(keys.env());
    base = harness.server.url;
  });
  afterAll(async () => {
    await harness.stop();
    await keys.stop();
  });

  it('accepts a token from the tenant for the app, and maps the user by object id', async () => {
    const answer = await call(base, '/api/tab/me', await keys.token(iro.aadObjectId));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ email: iro.email, demo: false });
    // What the Outlook pane needs to ask for the same token through nested app authentication.
    expect((await call(base, '/api/tab/config')).body).toEqual({
      auth: 'entra',
      timeZone: 'Europe/London',
      sso: {
        clientId: TEST_CLIENT_ID,
        authority: `https://login.microsoftonline.com/${TEST_TENANT}`,
        scopes: [`api://iro.example.org/botid-${TEST_CLIENT_ID}/access_as_user`],
      },
    });
  });

  it("accepts the Outlook pane's token, asked for by the app itself (nested app authentication)", async () => {
    const token = await keys.token(iro.aadObjectId, { claims: { azp: TEST_CLIENT_ID } });
    expect((await call(base, '/api/tab/me', token)).status).toBe(200);
  });

  it('has no demo sign-in once Entra is configured', async () => {
    expect((await call(base, '/api/tab/demo/users')).status).toBe(404);
    const signIn = await call(base, '/api/tab/demo/sign-in', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: iro.email }),
    });
    expect(signIn.status).toBe(404);
  });

  const refusedTokens: [string, () => Promise<string | undefined>][] = [
    ['no token', () => Promise.resolve(undefined)],
    ['an expired token', () => keys.token(iro.aadObjectId, { expiresInSeconds: -600 })],
    ['a token signed by another key', () => keys.token(iro.aadObjectId, { signedBy: 'stranger' })],
    [
      'a token for another app',
      () =>
        keys.token(iro.aadObjectId, { claims: { aud: '00000000-1111-2222-3333-444444444444' } }),
    ],
    [
      'a token from another issuer',
      () =>
        keys.token(iro.aadObjectId, {
          claims: { iss: 'https://login.microsoftonline.com/common/v2.0' },
        }),
    ],
    [
      'a v1 token (sts.windows.net)',
      () =>
        keys.token(iro.aadObjectId, { claims: { iss: `https://sts.windows.net/${TEST_TENANT}/` } }),
    ],
    [
      'a token of another tenant',
      () =>
        keys.token(iro.aadObjectId, { claims: { tid: '00000000-0000-4000-8000-000000000bad' } }),
    ],
    [
      'a token without the scope',
      () => keys.token(iro.aadObjectId, { claims: { scp: 'User.Read' } }),
    ],
    [
      'a token another app asked for (azp)',
      () =>
        keys.token(iro.aadObjectId, { claims: { azp: '00000000-1111-2222-3333-444444444444' } }),
    ],
    ['a token without an object id', () => keys.token(iro.aadObjectId, { claims: { oid: null } })],
    [
      'a token not valid yet',
      () => keys.token(iro.aadObjectId, { claims: { nbf: Math.floor(Date.now() / 1000) + 900 } }),
    ],
    [
      'a token with alg none',
      async () => {
        const [, payload] = (await keys.token(iro.aadObjectId)).split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString(
          'base64url',
        );
        return `${header}.${payload}.`;
      },
    ],
  ];

  it.each(refusedTokens)('refuses %s with 401 and no data', async (_what, make) => {
    const token = await make();
    for (const path of ['/api/tab/me', `/api/tab/reviews?from=${month.first}&to=${month.last}`]) {
      const answer = await call(base, path, token);
      expect(answer.status).toBe(401);
      expect(Object.keys(answer.body).sort()).toEqual(['correlationId', 'error']);
      expect(String(answer.body['error'])).toMatch(/sign-in|Sign in/);
    }
  });

  it('refuses a valid token of someone not in the staff list with 403', async () => {
    const answer = await call(
      base,
      '/api/tab/me',
      await keys.token('99999999-0000-4000-8000-000000000099'),
    );
    expect(answer.status).toBe(403);
    expect(answer.body['error']).toMatch(/not in IRO Assistant's staff list/);
  });
});
