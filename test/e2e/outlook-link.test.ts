import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../../src/dev/graph-simulator/graph-simulator.js';
import type {
  OutlookLinkResponse,
  OutlookSubjectResponse,
} from '../../src/addin/addin-api-types.js';
import type { DemoSignIn, DemoUsers, ReviewRow, ReviewsResponse } from '../../src/tab/api-types.js';
import { BotHarness } from '../support/bot-harness.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';

const IRO = PLAYGROUND_USERS.iro;
const SW = PLAYGROUND_USERS.socialWorker;
const HOUR = 3_600_000;

function meetingStart(startInHours = 72): Date {
  return new Date(Math.ceil(Date.now() / HOUR) * HOUR + startInHours * HOUR);
}

/** The meeting's times as the pane reads them from Outlook's form, for the check. */
function formTimes(startInHours = 72): string {
  const start = meetingStart(startInHours);
  const end = new Date(start.getTime() + 90 * 60_000);
  return `start=${start.toISOString()}&end=${end.toISOString()}`;
}

/** A meeting as Outlook saves it: POSTed to the organiser's calendar, answered with a REST id. */
async function outlookMeeting(
  simulator: GraphSimulator,
  organiser: string,
  options: {
    subject?: string;
    startInHours?: number;
    attendees?: string[];
    venue?: string;
    /** false: a meeting with no Teams link (an in-person review booked in Outlook). */
    online?: boolean;
  } = {},
): Promise<string> {
  const start = meetingStart(options.startInHours);
  const utc = (d: Date) => ({ dateTime: d.toISOString().replace('Z', ''), timeZone: 'UTC' });
  const response = await fetch(
    `${simulator.url}/v1.0/users/${encodeURIComponent(organiser)}/events`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: options.subject ?? 'Review for Jane Smith (DOB 01/02/2015)',
        start: utc(start),
        end: utc(new Date(start.getTime() + 90 * 60_000)),
        ...(options.venue ? { location: { displayName: options.venue } } : {}),
        attendees: (options.attendees ?? []).map((address) => ({
          type: 'required',
          emailAddress: { address },
        })),
        ...(options.online === false
          ? { isOnlineMeeting: false }
          : { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' }),
      }),
    },
  );
  expect(response.status).toBe(201);
  const event = (await response.json()) as { id: string };
  expect(event.id.startsWith('AAMkA')).toBe(true);
  return event.id;
}

describe('linking a meeting booked in Outlook to a child’s review', () => {
  const harness = new BotHarness();
  let simulator: GraphSimulator;
  let graph: SimulatorControl;
  let otherIro: DemoUsers['users'][number];
  let iroToken: string;
  let swToken: string;
  let dueChildren: ReviewRow[];

  const url = (path: string) => `${harness.server.url}${path}`;
  const signIn = async (email: string) => {
    const response = await fetch(url('/api/tab/demo/sign-in'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as DemoSignIn).token;
  };
  const link = async (token: string, body: unknown) => {
    const response = await fetch(url('/api/tab/outlook/link'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The pane's check before it changes anything in Outlook. */
  const check = async (token: string, query: string) => {
    const response = await fetch(url(`/api/tab/outlook/subject?${query}`), {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const graphCalls = async () =>
    (await graph.requests()).filter(
      (r) => r.path.includes('translateExchangeIds') || r.path.includes('/events/'),
    );

  beforeAll(async () => {
    simulator = await startGraphSimulator();
    graph = new SimulatorControl(simulator.url);
    await harness.start({ GRAPH_BASE_URL: simulator.url, GRAPH_MAX_RETRIES: '1' });
    const users = ((await (await fetch(url('/api/tab/demo/users'))).json()) as DemoUsers).users;
    otherIro = users.find((u) => u.role === 'iro' && u.email !== IRO.email)!;
    expect(otherIro).toBeDefined();
    await graph.addUsers([
      { email: IRO.email, displayName: IRO.name, id: IRO.aadObjectId },
      { email: SW.email, displayName: SW.name, id: SW.aadObjectId },
      { email: otherIro.email, displayName: otherIro.name },
    ]);
    iroToken = await signIn(IRO.email);
    swToken = await signIn(SW.email);
    const today = new Date().toISOString().slice(0, 10);
    const until = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const reviews = await fetch(url(`/api/tab/reviews?from=${today}&to=${until}`), {
      headers: { authorization: `Bearer ${iroToken}` },
    });
    const body = (await reviews.json()) as ReviewsResponse;
    // The pane offers the rows the reader may book.
    dueChildren = [...body.overdue, ...body.due].filter(
      (r) => r.canSchedule && r.dueDate !== null && r.scheduledStart === null,
    );
    expect(dueChildren.length).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => {
    await harness.stop();
    await simulator.close();
  });
  beforeEach(async () => {
    await graph.clearFaults();
    await graph.clearRequests();
  });

  it('books the review from the Outlook meeting, with the privacy-safe subject, audited as the IRO', async () => {
    const child = dueChildren[0]!;
    const restId = await outlookMeeting(simulator, IRO.email, {
      attendees: [SW.email, 'Mother@Example.org'],
      venue: 'Foster home, 1 High Street',
    });
    const subjectAnswer = await check(iroToken, `childId=${child.childId}&${formTimes()}`);
    expect(subjectAnswer.status).toBe(200);
    const { subject } = subjectAnswer.body as unknown as OutlookSubjectResponse;
    expect(subject).toContain(child.childId);
    expect(subject).not.toMatch(/Jane|Smith/);

    const { status, body } = await link(iroToken, { childId: child.childId, eventId: restId });
    expect(status).toBe(200);
    const answer = body as unknown as OutlookLinkResponse;
    expect(answer.outcome).toBe('linked');
    expect(answer.subject).toBe(subject);
    expect(answer.teamsMeeting).toBe(true);
    expect(answer.childLabel).toContain(child.childId);
    expect(answer.dueDate).toBe(child.dueDate);
    expect(typeof answer.late).toBe('boolean');

    const event = (await graph.events()).find((e) => e.regularId === restId)!;
    // The subject in everyone's calendar no longer carries the child's name.
    expect(event['subject']).toBe(subject);
    expect(answer.start).toBe(
      new Date(`${(event['start'] as { dateTime: string }).dateTime.slice(0, 23)}Z`).toISOString(),
    );

    const booked = await harness.server.services.scheduledReviews.findScheduled(child.childId);
    expect(booked).toMatchObject({
      childId: child.childId,
      chairEmail: IRO.email,
      dueOn: child.dueDate,
      kind: child.kind,
      eventId: event.id,
      iCalUId: event['iCalUId'],
      joinUrl: event.onlineMeeting?.joinUrl,
      venue: 'Foster home, 1 High Street',
      transactionId: null,
    });
    expect(booked?.eventId.startsWith('AAkAL')).toBe(true);
    expect(booked?.invitees.sort()).toEqual(['meganb@example.com', 'mother@example.org']);
    expect(booked?.start.toISOString()).toBe(answer.start);
    // Known to the store as a booked review, so the meeting's end is recorded like any other.
    const meeting = await harness.server.services.reviewRecords.findByJoinUrl(
      event.onlineMeeting!.joinUrl,
    );
    expect(meeting).toMatchObject({ childId: child.childId, status: 'scheduled' });
    const audit = await harness.server.services.store.db
      .selectFrom('auditLog')
      .select(['actor', 'action', 'entityId'])
      .where('action', '=', 'review.schedule')
      .where('entityId', '=', String(booked!.id))
      .execute();
    expect(audit).toEqual([
      { actor: IRO.email, action: 'review.schedule', entityId: String(booked!.id) },
    ]);

    // Graph as documented: the REST id translated, the event read by its immutable id with only
    // the fields needed, and the subject alone changed.
    const calls = await graphCalls();
    expect(calls.map((c) => `${c.method} ${decodeURIComponent(c.path)}`)).toEqual([
      `POST /users/${IRO.email}/translateExchangeIds`,
      `GET /users/${IRO.email}/events/${event.id}`,
      `PATCH /users/${IRO.email}/events/${event.id}`,
    ]);
    expect(calls[0]?.body).toEqual({
      inputIds: [restId],
      sourceIdType: 'restId',
      targetIdType: 'restImmutableEntryId',
    });
    expect(calls[1]?.prefer).toBe('IdType="ImmutableId"');
    expect(new URLSearchParams(calls[1]?.query).get('$select')?.split(',')).toContain(
      'isOrganizer',
    );
    expect(calls[2]?.body).toEqual({ subject });
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('answers "already linked" to a second link of the same meeting, and books nothing more', async () => {
    const child = dueChildren[1]!;
    const restId = await outlookMeeting(simulator, IRO.email);
    const first = await link(iroToken, { childId: child.childId, eventId: restId });
    expect(first.body['outcome']).toBe('linked');
    const booked = await harness.server.services.scheduledReviews.findScheduled(child.childId);
    await graph.clearRequests();

    const second = await link(iroToken, { childId: child.childId, eventId: restId });
    expect(second.status).toBe(200);
    expect(second.body['outcome']).toBe('alreadyLinked');
    expect(second.body['start']).toBe(first.body['start']);
    expect(await harness.server.services.scheduledReviews.findScheduled(child.childId)).toEqual(
      booked,
    );
    // The subject is already safe: nothing is changed in the calendar.
    expect((await graphCalls()).map((c) => c.method)).toEqual(['POST', 'GET']);

    // Another meeting for the same child is refused: the review is booked already.
    const other = await outlookMeeting(simulator, IRO.email, { startInHours: 96 });
    const refused = await link(iroToken, { childId: child.childId, eventId: other });
    expect(refused.status).toBe(409);
    expect(refused.body['error']).toMatch(/already booked/);
    // And the linked meeting cannot become a second child's review.
    const taken = await link(iroToken, { childId: dueChildren[2]!.childId, eventId: restId });
    expect(taken.status).toBe(409);
    expect(taken.body['error']).toMatch(/another child's review/);
    expect(
      await harness.server.services.scheduledReviews.findScheduled(dueChildren[2]!.childId),
    ).toBeUndefined();
  });

  it('checks before the pane changes anything: the same refusals as linking, and none for the booked meeting', async () => {
    const child = dueChildren[7]!;
    const restId = await outlookMeeting(simulator, IRO.email, { startInHours: 30 });
    await graph.clearRequests();
    // A new meeting (no id yet) for a child with nothing booked: the subject, and Graph not asked.
    const fresh = await check(iroToken, `childId=${child.childId}&${formTimes(30)}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body['subject']).toContain(child.childId);
    expect(await graphCalls()).toEqual([]);
    // A meeting over already, by the form's times.
    const ended = await check(iroToken, `childId=${child.childId}&${formTimes(-5)}`);
    expect(ended.status).toBe(409);
    expect(ended.body['error']).toMatch(/already ended/);
    // The form's times, not the saved ones, decide (the IRO may have moved the meeting).
    const moved = await check(
      iroToken,
      `childId=${child.childId}&${formTimes(-5)}&eventId=${restId}`,
    );
    expect(moved.status).toBe(409);

    const first = await link(iroToken, { childId: child.childId, eventId: restId });
    expect(first.status).toBe(200);
    // Booked: another meeting, saved or not, is refused; the booked meeting itself is not.
    const another = await check(iroToken, `childId=${child.childId}&${formTimes(50)}`);
    expect(another.status).toBe(409);
    expect(another.body['error']).toMatch(/already booked: \w{3} \d{1,2} [A-Z][a-z]+ 20\d\d, /);
    const same = await check(
      iroToken,
      `childId=${child.childId}&${formTimes(30)}&eventId=${restId}`,
    );
    expect(same.status).toBe(200);
    // The booked meeting cannot become another child's review.
    const taken = await check(
      iroToken,
      `childId=${dueChildren[8]!.childId}&${formTimes(30)}&eventId=${restId}`,
    );
    expect(taken.status).toBe(409);
    expect(taken.body['error']).toMatch(/another child's review/);
    // Someone else's meeting, once saved, is refused too.
    const invited = await outlookMeeting(simulator, otherIro.email, { attendees: [IRO.email] });
    const notOrganiser = await check(
      iroToken,
      `childId=${dueChildren[8]!.childId}&${formTimes()}&eventId=${invited}`,
    );
    expect(notOrganiser.status).toBe(403);
    // The times are needed; a social worker is refused as for linking.
    expect((await check(iroToken, `childId=${child.childId}`)).status).toBe(400);
    const sw = await check(swToken, `childId=${child.childId}&${formTimes()}`);
    expect(sw.status).toBe(403);
    expect(sw.body['error']).toMatch(/Only a child's IRO can link a meeting/);
  });

  it('says when the meeting is after the due date: the review will be late', async () => {
    const child = dueChildren[9]!;
    const hoursToDue = (Date.parse(`${child.dueDate!}T12:00:00Z`) - Date.now()) / HOUR;
    const restId = await outlookMeeting(simulator, IRO.email, {
      startInHours: Math.ceil(hoursToDue) + 48,
    });
    const { status, body } = await link(iroToken, { childId: child.childId, eventId: restId });
    expect(status).toBe(200);
    expect(body).toMatchObject({ outcome: 'linked', dueDate: child.dueDate, late: true });
  });

  it("will not make one meeting without a Teams link two children's reviews", async () => {
    const inPerson = await outlookMeeting(simulator, IRO.email, {
      startInHours: 120,
      online: false,
    });
    const first = await link(iroToken, { childId: dueChildren[5]!.childId, eventId: inPerson });
    expect(first.body['outcome']).toBe('linked');
    const second = await link(iroToken, { childId: dueChildren[6]!.childId, eventId: inPerson });
    expect(second.status).toBe(409);
    expect(second.body['error']).toMatch(/another child's review/);
    expect(
      await harness.server.services.scheduledReviews.findScheduled(dueChildren[6]!.childId),
    ).toBeUndefined();
  });

  it('refuses a social worker, whatever the child, and asks Graph nothing', async () => {
    const restId = await outlookMeeting(simulator, SW.email);
    await graph.clearRequests();
    const own = await link(swToken, { childId: dueChildren[3]!.childId, eventId: restId });
    const unknown = await link(swToken, { childId: 'Z99999', eventId: restId });
    expect(own.status).toBe(403);
    expect(own.body['error']).toMatch(/Only a child's IRO can link a meeting/);
    expect(unknown).toMatchObject({ status: 403, body: { error: own.body['error'] } });
    expect(await graphCalls()).toEqual([]);
    expect(
      await harness.server.services.scheduledReviews.findScheduled(dueChildren[3]!.childId),
    ).toBeUndefined();
  });

  it("refuses another IRO's meeting: not in the IRO's calendar, or organised by someone else", async () => {
    const child = dueChildren[3]!;
    const theirs = await outlookMeeting(simulator, otherIro.email);
    const notMine = await link(iroToken, { childId: child.childId, eventId: theirs });
    expect(notMine.status).toBe(404);
    expect(notMine.body['error']).toMatch(/can't find this meeting in your Outlook calendar/);

    const invited = await outlookMeeting(simulator, otherIro.email, { attendees: [IRO.email] });
    const attendee = await link(iroToken, { childId: child.childId, eventId: invited });
    expect(attendee.status).toBe(403);
    expect(attendee.body['error']).toMatch(/Only the meeting's organiser/);
    expect(
      await harness.server.services.scheduledReviews.findScheduled(child.childId),
    ).toBeUndefined();
    // Neither meeting was renamed.
    const events = await graph.events();
    for (const id of [theirs, invited]) {
      expect(events.find((e) => e.regularId === id)?.['subject']).toMatch(/Jane Smith/);
    }
  });

  it("answers an unknown child exactly as another IRO's child, before asking Graph", async () => {
    const restId = await outlookMeeting(simulator, IRO.email);
    const theirsToken = await signIn(otherIro.email);
    const today = new Date().toISOString().slice(0, 10);
    const until = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const theirReviews = (await (
      await fetch(url(`/api/tab/reviews?from=${today}&to=${until}`), {
        headers: { authorization: `Bearer ${theirsToken}` },
      })
    ).json()) as ReviewsResponse;
    const theirChild = [...theirReviews.overdue, ...theirReviews.due].find((r) => r.canSchedule)!;
    expect(theirChild).toBeDefined();
    await graph.clearRequests();

    const other = await link(iroToken, { childId: theirChild.childId, eventId: restId });
    const unknown = await link(iroToken, { childId: 'Z99999', eventId: restId });
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(unknown.body['error']).toBe(other.body['error']);
    expect(other.body['error']).not.toContain(theirChild.childId);
    expect(await graphCalls()).toEqual([]);
  });

  it('refuses a meeting that has ended, and unusable requests', async () => {
    const child = dueChildren[3]!;
    const past = await outlookMeeting(simulator, IRO.email, { startInHours: -5 });
    const ended = await link(iroToken, { childId: child.childId, eventId: past });
    expect(ended.status).toBe(409);
    expect(ended.body['error']).toMatch(/already ended/);

    const badBody = await link(iroToken, { childId: child.childId, eventId: 'not an id!' });
    expect(badBody.status).toBe(400);
    expect(typeof badBody.body['correlationId']).toBe('string');
    const noToken = await fetch(url('/api/tab/outlook/link'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ childId: child.childId, eventId: past }),
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer');
    // Graph failing: the IRO gets a sentence, not Graph's words.
    await graph.fault({ path: 'translateExchangeIds', status: 500, times: 1 });
    const down = await link(iroToken, { childId: child.childId, eventId: past });
    expect(down.status).toBe(502);
    expect(down.body['error']).toMatch(/Microsoft 365 didn't answer/);
    expect(
      await harness.server.services.scheduledReviews.findScheduled(child.childId),
    ).toBeUndefined();
  });

  it('serves the task pane with office.js allowed and Outlook allowed to frame it, and no teams-js', async () => {
    const page = await fetch(url('/addin/taskpane.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com;/);
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/outlook\.office\.com/);
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/\*\.cloud\.microsoft/);
    const html = await page.text();
    expect(html).toContain(
      '<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>',
    );
    const script = await fetch(url('/addin/taskpane.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await script.text();
    expect(code).toContain('/api/tab/outlook/link');
    expect(code).not.toMatch(/microsoftTeams|teams-js|app\.initialize/);
    for (const size of [16, 32, 64, 80, 128]) {
      const icon = await fetch(url(`/addin/icon-${size}.png`));
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await icon.arrayBuffer());
      expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(bytes.readUInt32BE(16)).toBe(size);
    }
    expect((await fetch(url('/addin/other.js'))).status).toBe(404);
    expect((await fetch(url('/addin/icon-48.png'))).status).toBe(404);
  });
});
