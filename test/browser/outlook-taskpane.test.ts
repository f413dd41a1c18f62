import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewRow, ReviewsResponse } from '../../src/tab/api-types.js';
import { longDay, meetingTime, slotText } from '../../src/cards/card-dates.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import {
  BROWSER_NOW,
  CHROMIUM,
  TabServer,
  hasChromium,
  launchChromium,
  screenshot,
} from '../support/browser.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';

if (!hasChromium) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const IRO = 'alexw@example.com';
const PANE_VIEWPORT = { width: 360, height: 760 };

/**
 * office.js cannot load here (no internet), so its URL answers with a stand-in for what the pane
 * uses in a meeting being organised: Office.onReady, the appointment's subject, start and end
 * (getAsync/setAsync), saveAsync answering the EWS id, getItemIdAsync, and convertToRestId, which
 * turns the EWS id into the REST id as Outlook does ('/' to '-', '+' to '_'). What the pane did is
 * kept in window.outlookCalls.
 */
function officeStub(
  ewsId: string,
  subject: string,
  start: Date,
  end: Date,
  recurrence: { recurrenceType: string } | null = null,
): string {
  return `
(() => {
  const calls = { setSubject: [], saves: 0, converted: [] };
  window.outlookCalls = calls;
  const ok = (value) => ({ status: 'succeeded', value });
  let currentSubject = ${JSON.stringify(subject)};
  let saved = false;
  const later = (fn) => setTimeout(fn, 10);
  const item = {
    itemType: 'appointment',
    subject: {
      getAsync: (cb) => later(() => cb(ok(currentSubject))),
      setAsync: (value, cb) => { calls.setSubject.push(value); currentSubject = value; later(() => cb && cb(ok(undefined))); },
    },
    start: { getAsync: (cb) => later(() => cb(ok(new Date(${JSON.stringify(start.toISOString())})))), setAsync: (_v, cb) => later(() => cb && cb(ok(undefined))) },
    end: { getAsync: (cb) => later(() => cb(ok(new Date(${JSON.stringify(end.toISOString())})))), setAsync: (_v, cb) => later(() => cb && cb(ok(undefined))) },
    saveAsync: (optionsOrCb, maybeCb) => {
      const cb = typeof optionsOrCb === 'function' ? optionsOrCb : maybeCb;
      calls.saves += 1; saved = true;
      later(() => cb(ok(${JSON.stringify(ewsId)})));
    },
    seriesId: null,
    recurrence: { getAsync: (cb) => later(() => cb(ok(${JSON.stringify(recurrence)}))) },
    getItemIdAsync: (optionsOrCb, maybeCb) => {
      const cb = typeof optionsOrCb === 'function' ? optionsOrCb : maybeCb;
      later(() => cb(saved ? ok(${JSON.stringify(ewsId)}) : { status: 'failed', error: { code: 9049, name: 'ItemNotSaved', message: 'The item is not saved.' } }));
    },
  };
  window.Office = {
    HostType: { Outlook: 'Outlook' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    MailboxEnums: { ItemType: { Appointment: 'appointment', Message: 'message' }, RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' } },
    context: {
      mailbox: {
        item,
        convertToRestId: (id, version) => { calls.converted.push([id, version]); return id.replace(/\\//g, '-').replace(/\\+/g, '_'); },
      },
    },
    onReady: (cb) => { const info = { host: 'Outlook', platform: 'OfficeOnline' }; if (cb) cb(info); return Promise.resolve(info); },
  };
})();
`;
}

describe.skipIf(!hasChromium)('the Outlook task pane', () => {
  const server = new TabServer();
  let browser: Browser;
  let graph: SimulatorControl;

  beforeAll(async () => {
    await server.start();
    graph = new SimulatorControl(server.server.graphUrl);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server.stop();
  });

  /**
   * A meeting saved in Outlook three days from the test's clock (`days` moves it), in Alex's
   * calendar unless `organiser` says whose; its REST id.
   */
  async function meetingInOutlook(
    options: { days?: number; organiser?: string; attendees?: string[] } = {},
  ): Promise<{ restId: string; start: Date; end: Date }> {
    const start = new Date(BROWSER_NOW.getTime() + (options.days ?? 3) * 86_400_000);
    const end = new Date(start.getTime() + 90 * 60_000);
    const utc = (d: Date) => ({ dateTime: d.toISOString().replace('Z', ''), timeZone: 'UTC' });
    const organiser = options.organiser ?? IRO;
    const response = await fetch(`${server.server.graphUrl}/v1.0/users/${organiser}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Review – Jane Smith',
        start: utc(start),
        end: utc(end),
        attendees: (options.attendees ?? []).map((address) => ({
          type: 'required',
          emailAddress: { address },
        })),
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
      }),
    });
    expect(response.status).toBe(201);
    return { restId: ((await response.json()) as { id: string }).id, start, end };
  }

  async function openPane(
    stub: string,
    storedSession?: object,
  ): Promise<{ page: Page; scripts: string[] }> {
    const context = await browser.newContext({ viewport: PANE_VIEWPORT });
    if (storedSession) {
      await context.addInitScript(
        `window.sessionStorage.setItem('iro-assistant.demo-session', ${JSON.stringify(JSON.stringify(storedSession))});`,
      );
    }
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await context.route(OFFICE_JS, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: stub }),
    );
    await page.goto(`${server.url}/addin/taskpane.html`);
    return { page, scripts };
  }

  it('links the meeting being organised to the child chosen, and shows what it did', async () => {
    const { restId, start, end } = await meetingInOutlook();
    // Outlook's EWS id of the same item: the REST id with '-' and '_' back as '/' and '+'.
    const ewsId = restId.replace(/-/g, '/').replace(/_/g, '+');
    const { page, scripts } = await openPane(officeStub(ewsId, 'Review – Jane Smith', start, end));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.getByRole('heading', { name: 'Demo sign-in' }).waitFor();
    await page.locator(`button[data-email="${IRO}"]`).click();
    const legend = page.getByText("Which child's review is this meeting?");
    await legend.waitFor();

    // The children offered are those the API says Alex may book, with a due date.
    const token = await server.tokenFor(IRO);
    const reviews = await server.api<ReviewsResponse>(
      token,
      `/api/tab/reviews?from=2026-11-16&to=2027-06-18`,
    );
    const bookable = [...reviews.body.overdue, ...reviews.body.due].filter(
      (r) => r.canSchedule && r.dueDate !== null,
    );
    const offered = await Promise.all(
      (await page.locator('input[name="child"]').all()).map((i) => i.getAttribute('value')),
    );
    expect(offered.sort()).toEqual([...new Set(bookable.map((r) => r.childId))].sort());
    const child = bookable.find((r) => r.scheduledStart === null)!;

    // Alex chairs dozens of reviews: the list can be narrowed by initials or case ID.
    await page.getByLabel('Find a child (initials or case ID)').fill(child.childId.toLowerCase());
    await expect.poll(() => page.locator('.choice:visible').count()).toBe(1);
    await page.locator(`label[for="child-${child.childId}"]`).click();
    await screenshot(page, 'outlook-taskpane-choose');
    await page.getByRole('button', { name: 'Link this meeting' }).click();
    const heading = page.getByRole('heading', { name: 'Linked', exact: true });
    await heading.waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('result-heading');
    const text = await page.locator('.result').innerText();
    expect(text).toContain(`This meeting is now ${child.initials} (${child.childId})'s review`);
    expect(text).toContain('initials and case ID only');

    // The pane put the safe subject in the form, saved once and gave Graph's REST id.
    const calls = (await page.evaluate('window.outlookCalls')) as {
      setSubject: string[];
      saves: number;
      converted: [string, string][];
    };
    expect(calls.saves).toBe(1);
    expect(calls.converted).toEqual([[ewsId, 'v2.0']]);
    expect(calls.setSubject).toHaveLength(1);
    expect(calls.setSubject[0]).toContain(child.childId);
    expect(calls.setSubject[0]).not.toContain('Jane');

    // The store holds it as the child's booked review, and the calendar has the same subject.
    const booked = await server.server.services.scheduledReviews.findScheduled(child.childId);
    const event = (await graph.events()).find((e) => e.regularId === restId);
    expect(booked?.eventId).toBe(event?.id);
    expect(booked?.start.toISOString()).toBe(start.toISOString());
    expect(event?.['subject']).toBe(calls.setSubject[0]);

    // office.js (here its stand-in) and the pane's bundle only: never teams-js.
    expect(scripts).toEqual([OFFICE_JS, `${server.url}/addin/taskpane.js`]);
    expect(errors).toEqual([]);
    await screenshot(page, 'outlook-taskpane');
    await page.context().close();
  });

  /** The rows the pane offers Alex, as the API gives them now. */
  async function bookableRows(): Promise<ReviewRow[]> {
    const token = await server.tokenFor(IRO);
    const reviews = await server.api<ReviewsResponse>(
      token,
      `/api/tab/reviews?from=2026-11-16&to=2027-06-18`,
    );
    return [...reviews.body.overdue, ...reviews.body.due].filter(
      (r) => r.canSchedule && r.dueDate !== null,
    );
  }

  /** Signs in as Alex in a pane for this meeting, and waits for the list of children. */
  async function paneFor(stub: string): Promise<Page> {
    const { page } = await openPane(stub);
    await page.getByRole('heading', { name: 'Demo sign-in' }).waitFor();
    await page.locator(`button[data-email="${IRO}"]`).click();
    await page.getByText("Which child's review is this meeting?").waitFor();
    return page;
  }

  async function linkInPane(page: Page, childId: string): Promise<void> {
    await page.locator(`label[for="child-${childId}"]`).click();
    await page.getByRole('button', { name: 'Link this meeting' }).click();
  }

  type OutlookCalls = { setSubject: string[]; saves: number };

  it('asks the server first: a refused link leaves the meeting in Outlook as it was', async () => {
    // One child booked already (another meeting, linked through the API as a pane would).
    const rows = await bookableRows();
    const bookedChild = rows.find((r) => r.scheduledStart === null)!;
    const first = await meetingInOutlook({ days: 4 });
    const token = await server.tokenFor(IRO);
    const linked = await fetch(`${server.url}/api/tab/outlook/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ childId: bookedChild.childId, eventId: first.restId }),
    });
    expect(linked.status).toBe(200);

    // A new meeting (never saved: Outlook has no id for it) for that child is refused...
    const start = new Date(BROWSER_NOW.getTime() + 5 * 86_400_000);
    const end = new Date(start.getTime() + 90 * 60_000);
    const page = await paneFor(officeStub('AAMkNEVERSAVED', 'Review – Jane Smith', start, end));
    // (the list says when, with the year)
    expect(await page.locator(`label[for="child-${bookedChild.childId}"]`).innerText()).toContain(
      `Already booked: ${meetingTime(first.start, 'Europe/London')}`,
    );
    await linkInPane(page, bookedChild.childId);
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/already booked/);
    // ...before anything is changed in Outlook.
    const calls = (await page.evaluate('window.outlookCalls')) as OutlookCalls;
    expect(calls).toMatchObject({ setSubject: [], saves: 0 });
    await page.context().close();

    // A meeting that has already ended: refused the same way, nothing changed.
    const past = new Date(BROWSER_NOW.getTime() - 3 * 3_600_000);
    const other = rows.find((r) => r.scheduledStart === null && r !== bookedChild)!;
    const pastPage = await paneFor(
      officeStub('AAMkPAST', 'Contact', past, new Date(past.getTime() + 3_600_000)),
    );
    await linkInPane(pastPage, other.childId);
    await expect.poll(() => pastPage.getByRole('alert').innerText()).toMatch(/already ended/);
    expect(await pastPage.evaluate('window.outlookCalls')).toMatchObject({
      setSubject: [],
      saves: 0,
    });
    expect(await server.server.services.scheduledReviews.findScheduled(other.childId)).toBe(
      undefined,
    );
    await pastPage.context().close();

    // A new meeting set to repeat: a series, which the server cannot see before it is saved.
    const seriesPage = await paneFor(
      officeStub('AAMkSERIES', 'Reviews', start, end, { recurrenceType: 'weekly' }),
    );
    await linkInPane(seriesPage, other.childId);
    await expect
      .poll(() => seriesPage.getByRole('alert').innerText())
      .toContain('This is a recurring series, and a review is one meeting.');
    expect(await seriesPage.evaluate('window.outlookCalls')).toMatchObject({
      setSubject: [],
      saves: 0,
    });
    await seriesPage.context().close();
  });

  it('says what it changed in Outlook, and how to undo it, when linking fails after saving', async () => {
    // Someone else's meeting: only the saved copy shows that, so the check before saving passes.
    const someoneElse = (await server.demoUsers()).find(
      (u) => u.role === 'iro' && u.email !== IRO,
    )!;
    const theirs = await meetingInOutlook({ organiser: someoneElse.email, attendees: [IRO] });
    const ewsId = theirs.restId.replace(/-/g, '/').replace(/_/g, '+');
    const child = (await bookableRows()).find((r) => r.scheduledStart === null)!;
    const page = await paneFor(officeStub(ewsId, 'Catch-up', theirs.start, theirs.end));
    await linkInPane(page, child.childId);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 15_000 }).toMatch(/undo/);
    const calls = (await page.evaluate('window.outlookCalls')) as OutlookCalls;
    expect(calls.saves).toBe(1);
    const text = await alert.innerText();
    expect(text).toContain(
      `The meeting was saved in your calendar with the subject “${calls.setSubject[0]}”`,
    );
    expect(text).toContain('change the subject back to “Catch-up” and save');
    await page.context().close();
  });

  it('writes dates with the year, says when the review will be late, and when to hold it by', async () => {
    const rows = await bookableRows();
    // A due date on a weekend or bank holiday: the list says the working day to hold it by.
    const weekend = rows.find((r) => r.holdBy !== null && r.state !== 'overdue')!;
    expect(weekend).toBeDefined();
    // A meeting two days after a child's due date.
    const late = rows.find((r) => r.scheduledStart === null && r.state !== 'overdue')!;
    const days = (Date.parse(late.dueDate!) - Date.parse('2026-11-16')) / 86_400_000 + 2;
    const { restId, start, end } = await meetingInOutlook({ days });
    const ewsId = restId.replace(/-/g, '/').replace(/_/g, '+');
    const page = await paneFor(officeStub(ewsId, 'Review – Jane Smith', start, end));
    const label = (row: ReviewRow) => page.locator(`label[for="child-${row.childId}"]`).innerText();
    expect(await label(weekend)).toContain(`Due ${longDay(weekend.dueDate as LocalDate)}`);
    expect(await label(weekend)).toContain(`Hold by ${longDay(weekend.holdBy as LocalDate)}`);

    // Linked, with the year in the time, and the warning the chat gives.
    await linkInPane(page, late.childId);
    await page.getByRole('heading', { name: 'Linked', exact: true }).waitFor();
    const text = await page.locator('.result').innerText();
    expect(text).toContain(`'s review: ${slotText({ start, end }, 'Europe/London')}.`);
    expect(text).toMatch(/'s review: \w{3} \d{1,2} [A-Z][a-z]+ 20\d\d, /);
    expect(text).toContain(
      `This is after the due date (${longDay(late.dueDate as LocalDate)}): the review will count as late.`,
    );
    await page.context().close();
  });

  it('asks who you are again when the session it kept is refused, as the tab does', async () => {
    const { page } = await openPane(officeStub('x', '', BROWSER_NOW, BROWSER_NOW), {
      email: IRO,
      token: 'not-a-token-the-server-issued',
      expiresAt: new Date(BROWSER_NOW.getTime() + 3_600_000).toISOString(),
    });
    await page.getByRole('heading', { name: 'Demo sign-in' }).waitFor();
    expect(await page.evaluate("window.sessionStorage.getItem('iro-assistant.demo-session')")).toBe(
      null,
    );
    await page.locator(`button[data-email="${IRO}"]`).click();
    await page.getByText("Which child's review is this meeting?").waitFor();
    const kept = JSON.parse(
      String(await page.evaluate("window.sessionStorage.getItem('iro-assistant.demo-session')")),
    ) as { email: string; token: string };
    expect(kept.email).toBe(IRO);
    expect(kept.token).not.toBe('not-a-token-the-server-issued');
    await page.context().close();
  });

  it('says where to open it when it is not in a meeting being organised', async () => {
    const stub = officeStub('x', '', BROWSER_NOW, BROWSER_NOW).replace(
      "itemType: 'appointment'",
      "itemType: 'message'",
    );
    const { page } = await openPane(stub);
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(/Open this pane from a meeting you are organising in Outlook/);
    await page.context().close();
  });
});
