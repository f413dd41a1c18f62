import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../src/app/errors.js';
import type { BookedEvent, CalendarGateway } from '../../src/app/scheduling/calendar-gateway.js';
import { loadConfig } from '../../src/config.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../../src/dev/graph-simulator/graph-simulator.js';
import { createGraphCalendarGateway } from '../../src/graph/graph-calendar-gateway.js';
import { createGraphClient } from '../../src/graph/graph-client.js';
import { createLogger } from '../../src/shared/logger.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';

const at = (iso: string) => new Date(iso);
/** A one-hour review event on 4 December with nobody invited; only the transaction id varies. */
const anEvent = (transactionId: string) => ({
  subject: 's',
  bodyHtml: 'b',
  start: at('2026-12-04T10:00:00Z'),
  end: at('2026-12-04T11:00:00Z'),
  venue: 'v',
  attendees: [],
  hideAttendees: false,
  transactionId,
});

describe('the Graph calendar gateway against the Graph simulator over HTTP', () => {
  let simulator: GraphSimulator;
  let control: SimulatorControl;
  let gateway: CalendarGateway;

  beforeAll(async () => {
    simulator = await startGraphSimulator();
    control = new SimulatorControl(simulator.url);
    await control.addUsers([
      {
        email: 'iro@council.example',
        displayName: 'An IRO',
        busy: [{ start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z' }],
      },
      {
        email: 'sw@council.example',
        displayName: 'A Social Worker',
        busy: [{ start: '2026-12-01T13:00:00Z', end: '2026-12-01T14:30:00Z' }],
      },
    ]);
    const config = loadConfig({ GRAPH_BASE_URL: simulator.url, GRAPH_MAX_RETRIES: '2' });
    gateway = createGraphCalendarGateway(createGraphClient(config, simulator.url, 1), {
      logger: createLogger('silent'),
      maxRetries: 2,
    });
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
  });

  it('reads free/busy for several people in one JSON batch, and says whose calendar it cannot read', async () => {
    const result = await gateway.busyTimes(
      ['IRO@council.example', 'sw@council.example', 'nobody@council.example'],
      at('2026-12-01T00:00:00Z'),
      at('2026-12-02T00:00:00Z'),
    );
    expect(result.busy.get('iro@council.example')).toEqual([
      { start: at('2026-12-01T10:00:00Z'), end: at('2026-12-01T11:00:00Z') },
    ]);
    expect(result.busy.get('sw@council.example')).toEqual([
      { start: at('2026-12-01T13:00:00Z'), end: at('2026-12-01T14:30:00Z') },
    ]);
    expect(result.unavailable).toEqual(['nobody@council.example']);
    const requests = await control.requests();
    expect(requests.filter((r) => !r.batchId).map((r) => r.path)).toEqual(['/$batch']);
    expect(
      requests
        .filter((r) => r.batchId)
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/users/IRO%40council.example/calendar/getSchedule'.replace('IRO', 'iro'),
      '/users/nobody%40council.example/calendar/getSchedule',
      '/users/sw%40council.example/calendar/getSchedule',
    ]);
    expect(requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('retries a throttled part of a batch after its Retry-After', async () => {
    await control.fault({
      path: 'sw%40council\\.example/calendar/getSchedule',
      status: 429,
      retryAfterSeconds: 1,
    });
    const started = Date.now();
    const result = await gateway.busyTimes(
      ['iro@council.example', 'sw@council.example'],
      at('2026-12-01T00:00:00Z'),
      at('2026-12-02T00:00:00Z'),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.unavailable).toEqual([]);
    const parts = (await control.requests()).filter((r) => r.batchId);
    expect(parts.map((p) => p.status)).toEqual(expect.arrayContaining([429, 200]));
    expect(parts.filter((p) => p.path.includes('sw%40')).map((p) => p.status)).toEqual([429, 200]);
  });

  it('creates the Teams meeting once, however often the create is retried (transactionId)', async () => {
    const request = {
      subject: 'Review: J.S. (A12345)',
      bodyHtml: '<p>Hybrid review</p>',
      start: at('2026-12-02T10:00:00Z'),
      end: at('2026-12-02T11:30:00Z'),
      venue: "the child's placement",
      attendees: [{ email: 'sw@council.example', name: 'A Social Worker' }],
      hideAttendees: false,
      transactionId: 'd7c7a1f0-3a8e-4bb8-9d54-0f4fd5b1a001',
    };
    const first = await gateway.createEvent('iro@council.example', request);
    const second = await gateway.createEvent('iro@council.example', request);
    expect(second.eventId).toBe(first.eventId);
    expect(first.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(first.start).toEqual(request.start);
    const live = (await control.events()).filter(
      (e) => !e.isCancelled && e['subject'] === request.subject,
    );
    expect(live).toHaveLength(1);
  });

  it('waits out 429 and 503 on a single call and then succeeds', async () => {
    await control.fault({ method: 'POST', path: '/events$', status: 429, retryAfterSeconds: 1 });
    await control.fault({ method: 'POST', path: '/events$', status: 503, retryAfterSeconds: 1 });
    const event = await gateway.createEvent('iro@council.example', {
      subject: 'Review: A.B. (B22222)',
      bodyHtml: '<p>x</p>',
      start: at('2026-12-03T10:00:00Z'),
      end: at('2026-12-03T11:30:00Z'),
      venue: 'Placement',
      attendees: [],
      hideAttendees: false,
      transactionId: 'e1',
    });
    expect(event.eventId).toBeTruthy();
    const posts = (await control.requests()).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/events'),
    );
    expect(posts.map((p) => p.status)).toEqual([429, 503, 201]);
  });

  it('gives up after the configured retries with a sentence a user can act on', async () => {
    await control.fault({
      method: 'POST',
      path: '/events$',
      status: 503,
      retryAfterSeconds: 1,
      times: 5,
    });
    const attempt = gateway.createEvent('iro@council.example', anEvent('e2'));
    await expect(attempt).rejects.toThrow(ExternalServiceError);
    await expect(attempt).rejects.toThrow(
      "Microsoft 365 didn't answer; try again in a few minutes.",
    );
    expect((await control.requests()).filter((r) => r.path.endsWith('/events'))).toHaveLength(3);
  });

  it('explains a missing permission', async () => {
    await control.fault({ method: 'POST', path: '/events$', status: 403 });
    await expect(gateway.createEvent('iro@council.example', anEvent('e3'))).rejects.toThrow(
      "I couldn't reach your calendar: the app lacks the application permission Calendars.ReadWrite; ask IT.",
    );
  });

  it('hides the attendees from each other when asked (hideAttendees), as Graph documents it', async () => {
    await control.addUsers([
      { email: 'parent@family.example', displayName: 'A Parent' },
      { email: 'carer@fostering.example', displayName: 'A Carer' },
    ]);
    const event = await gateway.createEvent('iro@council.example', {
      ...anEvent('hidden-1'),
      attendees: [
        { email: 'sw@council.example' },
        { email: 'parent@family.example' },
        { email: 'carer@fostering.example' },
      ],
      hideAttendees: true,
    });
    const create = (await control.requests()).find((r) => r.method === 'POST');
    expect((create?.body as Record<string, unknown>)['hideAttendees']).toBe(true);
    const read = async (mailbox: string) => {
      const response = await fetch(
        `${simulator.url}/v1.0/users/${mailbox}/events/${encodeURIComponent(event.eventId)}?$select=hideAttendees,attendees`,
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        hideAttendees: boolean;
        attendees: { emailAddress: { address: string } }[];
      };
      return { hidden: body.hideAttendees, who: body.attendees.map((a) => a.emailAddress.address) };
    };
    // The organiser sees everyone; each attendee sees only themselves.
    expect(await read('iro@council.example')).toEqual({
      hidden: true,
      who: ['sw@council.example', 'parent@family.example', 'carer@fostering.example'],
    });
    expect(await read('parent@family.example')).toEqual({
      hidden: true,
      who: ['parent@family.example'],
    });
    expect(await read('carer@fostering.example')).toEqual({
      hidden: true,
      who: ['carer@fostering.example'],
    });
    // Without it (Graph's default), everyone sees everyone.
    const open = await gateway.createEvent('iro@council.example', {
      ...anEvent('hidden-2'),
      attendees: [{ email: 'parent@family.example' }, { email: 'carer@fostering.example' }],
    });
    const openRead = await fetch(
      `${simulator.url}/v1.0/users/parent@family.example/events/${encodeURIComponent(open.eventId)}?$select=hideAttendees,attendees`,
    );
    expect(await openRead.json()).toMatchObject({
      hideAttendees: false,
      attendees: [
        { emailAddress: { address: 'parent@family.example' } },
        { emailAddress: { address: 'carer@fostering.example' } },
      ],
    });
    // A move can turn it on; Graph refuses a value that is not a Boolean.
    await gateway.moveEvent('iro@council.example', open.eventId, {
      start: at('2026-12-04T12:00:00Z'),
      end: at('2026-12-04T13:00:00Z'),
      hideAttendees: true,
    });
    expect(
      (
        (await control.requests()).find((r) => r.method === 'PATCH')?.body as Record<
          string,
          unknown
        >
      )['hideAttendees'],
    ).toBe(true);
    const refused = await fetch(`${simulator.url}/v1.0/users/iro@council.example/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 's',
        start: { dateTime: '2026-12-04T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-04T11:00:00', timeZone: 'UTC' },
        hideAttendees: 'yes',
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'ErrorInvalidRequest' } });
  });

  it('moves and cancels the event, with the comment for the attendees', async () => {
    const event = await gateway.createEvent('iro@council.example', {
      subject: 'Review: C.D. (C33333)',
      bodyHtml: 'b',
      start: at('2026-12-07T10:00:00Z'),
      end: at('2026-12-07T11:30:00Z'),
      venue: 'v',
      attendees: [{ email: 'sw@council.example' }],
      hideAttendees: false,
      transactionId: 'e4',
    });
    const moved = await gateway.moveEvent('iro@council.example', event.eventId, {
      start: at('2026-12-08T14:00:00Z'),
      end: at('2026-12-08T15:30:00Z'),
    });
    expect(moved.start).toEqual(at('2026-12-08T14:00:00Z'));
    await gateway.cancelEvent(
      'iro@council.example',
      event.eventId,
      'The child is unwell; a new date will follow.',
    );
    const requests = await control.requests();
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      start: { dateTime: '2026-12-08T14:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-08T15:30:00.000', timeZone: 'UTC' },
    });
    expect(requests.find((r) => r.path.endsWith('/cancel'))?.body).toEqual({
      comment: 'The child is unwell; a new date will follow.',
    });
    await expect(
      gateway.moveEvent('iro@council.example', event.eventId, {
        start: at('2026-12-09T10:00:00Z'),
        end: at('2026-12-09T11:00:00Z'),
      }),
    ).rejects.toThrow(/no longer in your calendar/);
  });
  it('reads booked events back 20 to a batch, with immutable ids: moved, gone and unreadable told apart', async () => {
    const events = [];
    for (let i = 0; i < 21; i += 1) {
      events.push(await gateway.createEvent('iro@council.example', anEvent(`read-back-${i}`)));
    }
    const [first, second, third] = events as [BookedEvent, BookedEvent, BookedEvent];
    await gateway.moveEvent('iro@council.example', first.eventId, {
      start: at('2026-12-05T09:00:00Z'),
      end: at('2026-12-05T10:30:00Z'),
    });
    await gateway.cancelEvent('iro@council.example', second.eventId, 'x');
    await control.clearRequests();
    // The third one's part fails past the retries; the rest of its batch is read.
    await control.fault({
      path: `/users/iro%40council.example/events/${encodeURIComponent(third.eventId)}$`,
      status: 503,
      times: 3,
    });
    const readings = await gateway.readEvents([
      ...events.map((e) => ({ mailbox: 'iro@council.example', eventId: e.eventId })),
      { mailbox: 'iro@council.example', eventId: 'no-such-event' },
    ]);
    expect(readings).toHaveLength(22);
    expect(readings[0]).toMatchObject({
      state: 'found',
      event: {
        eventId: first.eventId,
        start: at('2026-12-05T09:00:00Z'),
        end: at('2026-12-05T10:30:00Z'),
        isCancelled: false,
      },
    });
    expect(readings[1]).toEqual({ state: 'gone' });
    expect(readings[2]).toEqual({ state: 'unreadable' });
    expect(readings[3]).toMatchObject({
      state: 'found',
      event: { start: at('2026-12-04T10:00:00Z') },
    });
    expect(readings[21]).toEqual({ state: 'gone' });
    const requests = await control.requests();
    // Two batches of 20 and 2, then the 503 part retried alone after its Retry-After.
    expect(requests.filter((r) => r.path === '/$batch')).toHaveLength(4);
    const parts = requests.filter((r) => r.batchId);
    expect(parts.every((r) => r.method === 'GET' && r.prefer === 'IdType="ImmutableId"')).toBe(
      true,
    );
    expect(parts[0]?.query).toContain('$select=');
    expect(new Set(parts.map((r) => r.path)).size).toBe(22);
  });
  it('calls an event with a malformed id unreadable, never gone (a fault of ours must not cancel bookings)', async () => {
    const event = await gateway.createEvent('iro@council.example', anEvent('read-back-malformed'));
    await control.fault({
      path: `/events/${encodeURIComponent(event.eventId)}$`,
      status: 400,
      code: 'ErrorInvalidIdMalformed',
      message: 'Id is malformed.',
    });
    expect(
      await gateway.readEvents([{ mailbox: 'iro@council.example', eventId: event.eventId }]),
    ).toEqual([{ state: 'unreadable' }]);
  });
});
