import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../src/app/errors.js';
import { linkMeetingChat, linkNote } from '../../src/app/recording/link-meeting.js';
import type { MeetingGateway } from '../../src/app/recording/meeting-gateway.js';
import type { ReviewRecordRepository } from '../../src/app/recording/review-record.js';
import type { CalendarGateway } from '../../src/app/scheduling/calendar-gateway.js';
import { APP_PACKAGE_DIR } from '../../src/app-package/app-package.js';
import { loadConfig } from '../../src/config.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../../src/dev/graph-simulator/graph-simulator.js';
import { createGraphCalendarGateway } from '../../src/graph/graph-calendar-gateway.js';
import { createGraphClient } from '../../src/graph/graph-client.js';
import {
  createGraphMeetingGateway,
  joinWebUrlFilter,
  MEETING_CHAT_CONSENT,
} from '../../src/graph/graph-meeting-gateway.js';
import { createLogger } from '../../src/shared/logger.js';
import { normaliseJoinUrl } from '../../src/store/review-record-repository.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';

const at = (iso: string) => new Date(iso);
const IRO = { email: 'iro@council.example', id: '6d3c2b1a-0f9e-4d8c-b7a6-000000000001' };
const OTHER = { email: 'other.iro@council.example', id: '6d3c2b1a-0f9e-4d8c-b7a6-000000000002' };
const SHORT = { email: 'short.links@council.example', id: '6d3c2b1a-0f9e-4d8c-b7a6-000000000003' };
const NO_TEAMS = { email: 'no.teams@council.example', id: '6d3c2b1a-0f9e-4d8c-b7a6-000000000004' };
const MANIFEST_ID = '3b3f2d9e-5c2a-4f0e-9a51-0c7e6a9d1a01';
const IMMUTABLE = 'IdType="ImmutableId"';

/** The resource-specific permissions appPackage/manifest.json asks for, as an admin uploads it. */
const manifestRsc = (
  JSON.parse(readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8')) as {
    authorization: { permissions: { resourceSpecific: { name: string; type: 'Application' }[] } };
  }
).authorization.permissions.resourceSpecific;

let counter = 0;
const anEvent = (attendees: { email: string }[] = []) => {
  counter += 1;
  const start = at(`2026-12-${String(counter).padStart(2, '0')}T10:00:00Z`);
  return {
    subject: `Review: A.B. (A1234${counter})`,
    bodyHtml: '<p>Hybrid review</p>',
    start,
    end: new Date(start.getTime() + 90 * 60_000),
    venue: 'Placement',
    attendees,
    hideAttendees: false,
    transactionId: `meeting-test-${counter}`,
  };
};

/** The caught error of a promise that must fail. */
async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure');
}

describe('meetings, attendance and installs through Graph, against the simulator over HTTP', () => {
  let simulator: GraphSimulator;
  let control: SimulatorControl;
  let client: Client;
  let calendar: CalendarGateway;
  let meetings: MeetingGateway;
  let catalogId: string;

  beforeAll(async () => {
    simulator = await startGraphSimulator();
    control = new SimulatorControl(simulator.url);
    await control.addUsers([
      { email: IRO.email, displayName: 'An IRO', id: IRO.id },
      { email: OTHER.email, displayName: 'Another IRO', id: OTHER.id },
      { email: SHORT.email, displayName: 'Short Links', id: SHORT.id, shortJoinLinks: true },
      { email: NO_TEAMS.email, displayName: 'No Teams', id: NO_TEAMS.id, teamsEnabled: false },
      { email: 'sw@council.example', displayName: 'A Social Worker' },
    ]);
    const [app] = await control.addCatalogApps([
      { externalId: MANIFEST_ID, displayName: 'IRO Assistant', resourceSpecific: manifestRsc },
    ]);
    catalogId = app!.id;
    const config = loadConfig({ GRAPH_BASE_URL: simulator.url, GRAPH_MAX_RETRIES: '1' });
    client = createGraphClient(config, simulator.url, 1);
    const logger = createLogger('silent');
    calendar = createGraphCalendarGateway(client, { logger, maxRetries: 1 });
    meetings = createGraphMeetingGateway(client, logger);
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
    await control.settings({ cancelContentType: 'application/json' });
  });

  describe('finding the online meeting by its join link', () => {
    it('sends the join link URL-encoded once more, by the organiser object id, and finds the meeting', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      expect(event.joinUrl).toMatch(/\/l\/meetup-join\/19%3ameeting_/);
      await control.clearRequests();
      const found = await meetings.findOnlineMeeting(IRO.id, event.joinUrl!);
      const mine = (await control.events()).find((e) => e.id === event.eventId);
      expect(found?.chatId).toBe(mine?.meetingChatId);
      const [lookup] = await control.requests();
      expect(lookup?.path).toBe(`/users/${IRO.id}/onlineMeetings`);
      // On the wire the link's own %3a is %253a; one decoding (any HTTP server's) gives the link.
      expect(lookup?.query).toContain('19%253ameeting_');
      const filter = new URLSearchParams(lookup?.query).get('$filter');
      expect(filter).toBe(`JoinWebUrl eq '${event.joinUrl}'`);
    });

    it("doubles quotes inside the link (OData) and encodes its own '%' once more", () => {
      expect(
        joinWebUrlFilter("https://teams.microsoft.com/l/meetup-join/19%3ameeting_O'Neil"),
      ).toBe(
        "JoinWebUrl eq 'https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_O''Neil'",
      );
    });

    it('finds nothing for the raw link, which would match only when decoded twice (graph-client does not encode .filter())', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      await control.clearRequests();
      const raw = (await client
        .api(`/users/${IRO.id}/onlineMeetings`)
        .filter(`JoinWebUrl eq '${event.joinUrl}'`)
        .get()) as { value: unknown[] };
      expect(raw.value).toEqual([]);
      // graph-client sent the text as it was: the link's own %3a arrived as %3a, not %253a.
      const [sent] = await control.requests();
      expect(sent?.query).toContain('19%3ameeting_');
      expect(sent?.query).not.toContain('%253a');
    });

    it('refuses an e-mail where the organiser object id belongs (404), for meetings and attendance', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const lookup = failure(meetings.findOnlineMeeting(IRO.email, event.joinUrl!));
      expect(await lookup).toBeInstanceOf(ExternalServiceError);
      expect((await lookup).message).toContain('Entra object id (AAD_OBJECT_ID)');
      const found = await meetings.findOnlineMeeting(IRO.id, event.joinUrl!);
      await expect(meetings.attendance(IRO.email, found!.meetingId)).rejects.toThrow(
        /Entra object id/,
      );
      const statuses = (await control.requests())
        .filter((r) => r.path.includes('/onlineMeetings'))
        .map((r) => [decodeURIComponent(r.path).split('/')[2], r.status]);
      expect(statuses).toEqual([
        [IRO.email, 404],
        [IRO.id, 200],
        [IRO.email, 404],
      ]);
    });

    it('lets only the organiser read the meeting: others get 403, explained as the access policy', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const refused = await failure(meetings.findOnlineMeeting(OTHER.id, event.joinUrl!));
      expect(refused.message).toBe(
        `I couldn't read the Teams meeting: the Teams application access policy does not cover the organiser (Entra object id ${OTHER.id}) (or the app lacks OnlineMeetings.Read.All / OnlineMeetingArtifact.Read.All); ask IT.`,
      );
      const found = await meetings.findOnlineMeeting(IRO.id, event.joinUrl!);
      await expect(meetings.attendance(OTHER.id, found!.meetingId)).rejects.toThrow(
        /access policy does not cover/,
      );
    });

    it('works with Teams short join links too, and the store matches a short link to its review', async () => {
      const event = await calendar.createEvent(SHORT.email, anEvent());
      expect(event.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/meet\/\d{10,}\?p=\w+$/);
      const found = await meetings.findOnlineMeeting(SHORT.id, event.joinUrl!);
      const mine = (await control.events()).find((e) => e.id === event.eventId);
      expect(found?.chatId).toBe(mine?.meetingChatId);
      // The long form of the same meeting's link finds it as well.
      expect(await meetings.findOnlineMeeting(SHORT.id, mine!.longJoinUrl!)).toEqual(found);

      const other = await calendar.createEvent(SHORT.email, anEvent());
      const digits = (url: string) => /\/meet\/(\d+)/.exec(url)?.[1];
      expect(digits(other.joinUrl!)).not.toBe(digits(event.joinUrl!));
      expect(normaliseJoinUrl(event.joinUrl!)).toBe(
        normaliseJoinUrl(event.joinUrl!.replace(/\?p=.*$/, '?p=other&anon=true')),
      );
      expect(normaliseJoinUrl(other.joinUrl!)).not.toBe(normaliseJoinUrl(event.joinUrl!));
    });
  });

  describe('attendance reports', () => {
    it('reads the records with $expand=attendanceRecords; the list and a plain read carry none', async () => {
      const event = await calendar.createEvent(
        IRO.email,
        anEvent([{ email: 'sw@council.example' }]),
      );
      await control.attendance(event.joinUrl!, [
        { email: 'SW@council.example', displayName: 'Social worker', seconds: 3000 },
        { displayName: 'Guest', seconds: 60 },
      ]);
      const found = await meetings.findOnlineMeeting(IRO.id, event.joinUrl!);
      expect(await meetings.attendance(IRO.id, found!.meetingId)).toEqual([
        { email: 'sw@council.example', displayName: 'Social worker', seconds: 3000 },
        { email: null, displayName: 'Guest', seconds: 60 },
      ]);
      const reports = `/users/${IRO.id}/onlineMeetings/${encodeURIComponent(found!.meetingId)}/attendanceReports`;
      const list = (await client.api(reports).get()) as {
        value: { id: string; attendanceRecords: unknown[] }[];
      };
      expect(list.value.map((r) => r.attendanceRecords)).toEqual([[]]);
      const plain = (await client.api(`${reports}/${list.value[0]!.id}`).get()) as {
        attendanceRecords: unknown[];
      };
      expect(plain.attendanceRecords).toEqual([]);
    });
  });

  describe('installing the app into the meeting chat', () => {
    it('finds the catalog id by the manifest id once per process, and installs with consent', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const found = await meetings.findOnlineMeeting(IRO.id, event.joinUrl!);
      await control.clearRequests();
      expect(await meetings.catalogAppId(MANIFEST_ID)).toBe(catalogId);
      expect(catalogId).not.toBe(MANIFEST_ID);
      expect(await meetings.catalogAppId(MANIFEST_ID)).toBe(catalogId);
      await meetings.installApp(found!.chatId, catalogId);
      const requests = await control.requests();
      const lookups = requests.filter((r) => r.path === '/appCatalogs/teamsApps');
      expect(lookups).toHaveLength(1);
      expect(new URLSearchParams(lookups[0]?.query).get('$filter')).toBe(
        `externalId eq '${MANIFEST_ID}'`,
      );
      const install = requests.find((r) => r.path.endsWith('/installedApps'));
      expect(install?.status).toBe(201);
      expect(install?.body).toEqual({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}`,
        consentedPermissionSet: {
          resourceSpecificPermissions: manifestRsc.map((p) => ({
            permissionValue: p.name,
            permissionType: p.type,
          })),
        },
      });
      expect(MEETING_CHAT_CONSENT.resourceSpecificPermissions).toHaveLength(manifestRsc.length);
      expect(await control.installs()).toContainEqual({
        chatId: found!.chatId,
        appId: catalogId,
        externalId: MANIFEST_ID,
        consented: [
          { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'Application' },
          { permissionValue: 'MailboxItem.ReadWrite.User', permissionType: 'Delegated' },
        ],
      });
      // Installing again (a second booking, a retry) is not a failure.
      await expect(meetings.installApp(found!.chatId, catalogId)).resolves.toBeUndefined();
    });

    it('is refused when it names the manifest id, or leaves out consent, as Graph refuses them', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const found = await meetings.findOnlineMeeting(IRO.id, event.joinUrl!);
      const install = (body: Record<string, unknown>) =>
        failure(client.api(`/chats/${encodeURIComponent(found!.chatId)}/installedApps`).post(body));
      const byManifestId = await install({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${MANIFEST_ID}`,
        consentedPermissionSet: MEETING_CHAT_CONSENT,
      });
      expect(byManifestId['statusCode']).toBe(404);
      const withoutConsent = await install({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}`,
      });
      expect(withoutConsent['statusCode']).toBe(403);
      expect(await control.installs()).not.toContainEqual(
        expect.objectContaining({ chatId: found!.chatId }),
      );
    });

    it('says which permission is missing when the catalog or the install is refused (403)', async () => {
      await control.fault({ path: '^/appCatalogs/teamsApps$', status: 403 });
      await expect(meetings.catalogAppId('00000000-0000-4000-8000-00000000beef')).rejects.toThrow(
        "I couldn't look up IRO Assistant in the Teams app catalog: the app lacks the application permission AppCatalog.Read.All; ask IT.",
      );
      await control.fault({ path: '/installedApps$', status: 403 });
      await expect(meetings.installApp('19:meeting_x@thread.v2', catalogId)).rejects.toThrow(
        "I couldn't add IRO Assistant to the meeting chat: it needs consent for the chat (the application permission TeamsAppInstallation.ReadWriteAndConsentForChat.All); ask IT.",
      );
    });

    it('links the meeting and installs the app after a booking, naming the catalog id', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const linked: unknown[] = [];
      const reviewRecords = {
        linkMeeting: async (...args: unknown[]) => {
          linked.push(args);
        },
      } as unknown as ReviewRecordRepository;
      const deps = { meetingGateway: meetings, reviewRecords, logger: createLogger('silent') };
      const result = await linkMeetingChat(
        deps,
        { id: 7, joinUrl: event.joinUrl },
        IRO.id,
        MANIFEST_ID,
      );
      expect(result).toEqual({ outcome: 'installed', catalogAppId: catalogId });
      expect(linked).toHaveLength(1);
    });

    it('asks Graph nothing when the chair has no Entra object id, and says so', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      await control.clearRequests();
      const reviewRecords = {} as ReviewRecordRepository;
      const deps = { meetingGateway: meetings, reviewRecords, logger: createLogger('silent') };
      const result = await linkMeetingChat(
        deps,
        { id: 8, joinUrl: event.joinUrl },
        null,
        MANIFEST_ID,
      );
      expect(result).toEqual({ outcome: 'noObjectId' });
      expect(await control.requests()).toEqual([]);
      expect(linkNote(result)).toContain(
        "I can't link the meeting: your Entra object id is not in the staff list; ask the data team",
      );
    });
  });

  describe('calendar events as Graph documents them', () => {
    it('asks for immutable ids on every event call and stores the immutable id', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const stored = (await control.events()).find((e) => e.id === event.eventId);
      expect(stored).toBeDefined();
      expect(stored?.regularId).not.toBe(event.eventId);
      const moved = await calendar.moveEvent(IRO.email, event.eventId, {
        start: at('2026-12-20T10:00:00Z'),
        end: at('2026-12-20T11:00:00Z'),
      });
      expect(moved.eventId).toBe(event.eventId);
      await calendar.cancelEvent(IRO.email, event.eventId, 'Cancelled.');
      const calls = (await control.requests()).filter((r) => r.path.includes('/events'));
      expect(calls.map((r) => [r.method, r.status, r.prefer])).toEqual([
        ['POST', 201, IMMUTABLE],
        ['PATCH', 200, IMMUTABLE],
        ['POST', 202, IMMUTABLE],
      ]);
    });

    it('still finds an event by its regular id, as Graph does', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      const stored = (await control.events()).find((e) => e.id === event.eventId);
      const moved = await calendar.moveEvent(IRO.email, stored!.regularId, {
        start: at('2026-12-21T10:00:00Z'),
        end: at('2026-12-21T11:00:00Z'),
      });
      expect(moved.eventId).toBe(event.eventId);
    });

    it('gives no join link when the mailbox makes no Teams meeting (onlineMeeting: null)', async () => {
      const event = await calendar.createEvent(NO_TEAMS.email, anEvent());
      expect(event.joinUrl).toBeNull();
      const stored = (await control.events()).find((e) => e.id === event.eventId);
      expect(stored?.onlineMeeting).toBeNull();
    });

    it('records a cancel answered 202 with no body, whatever its Content-Type says', async () => {
      // graph-client 3.0.7 on its own throws on an empty 202 that declares JSON.
      const first = await calendar.createEvent(IRO.email, anEvent());
      const bare = await failure(
        client
          .api(`/users/${IRO.id}/events/${encodeURIComponent(first.eventId)}/cancel`)
          .post({ comment: 'x' }),
      );
      expect(bare['statusCode']).toBe(202);
      // The gateway reads the reply raw: both a JSON-declared and an undeclared empty 202 are fine.
      const second = await calendar.createEvent(IRO.email, anEvent());
      await expect(calendar.cancelEvent(IRO.email, second.eventId, 'x')).resolves.toBeUndefined();
      await control.settings({ cancelContentType: null });
      const third = await calendar.createEvent(IRO.email, anEvent());
      await expect(calendar.cancelEvent(IRO.email, third.eventId, 'x')).resolves.toBeUndefined();
      const cancels = (await control.requests()).filter((r) => r.path.endsWith('/cancel'));
      expect(cancels.map((r) => r.status)).toEqual([202, 202, 202]);
      expect((await control.events()).filter((e) => e.isCancelled).map((e) => e.id)).toEqual(
        expect.arrayContaining([first.eventId, second.eventId, third.eventId]),
      );
    });

    it('takes a 404 on a repeated cancel as already cancelled, but not a refusal', async () => {
      const event = await calendar.createEvent(IRO.email, anEvent());
      await calendar.cancelEvent(IRO.email, event.eventId, 'x');
      await expect(calendar.cancelEvent(IRO.email, event.eventId, 'x')).resolves.toBeUndefined();
      const statuses = (await control.requests())
        .filter((r) => r.path.endsWith('/cancel'))
        .map((r) => r.status);
      expect(statuses).toEqual([202, 404]);
      const other = await calendar.createEvent(IRO.email, anEvent());
      await control.fault({ path: '/cancel$', status: 403 });
      await expect(calendar.cancelEvent(IRO.email, other.eventId, 'x')).rejects.toThrow(
        "I couldn't reach your calendar: the app lacks the application permission Calendars.ReadWrite; ask IT.",
      );
      await expect(
        calendar.cancelEvent('nobody@council.example', other.eventId, 'x'),
      ).rejects.toThrow(/check the e-mail address/);
    });
  });

  it('refuses a batch whose request ids repeat', async () => {
    const batch = await failure(
      client.api('/$batch').post({
        requests: [
          { id: '1', method: 'GET', url: `/users/${IRO.id}/events/x` },
          { id: '1', method: 'GET', url: `/users/${IRO.id}/events/y` },
        ],
      }),
    );
    expect(batch['statusCode']).toBe(400);
    expect(batch['message']).toContain('unique');
    // Ids are compared without regard to case.
    const cased = await failure(
      client.api('/$batch').post({
        requests: [
          { id: 'a', method: 'GET', url: `/users/${IRO.id}/events/x` },
          { id: 'A', method: 'GET', url: `/users/${IRO.id}/events/y` },
        ],
      }),
    );
    expect(cased['statusCode']).toBe(400);
  });

  it('refuses a whole batch when a write in it has no body or no Content-Type, and runs none of it', async () => {
    for (const write of [
      { id: '2', method: 'POST', url: `/users/${IRO.id}/events`, body: { subject: 'x' } },
      {
        id: '2',
        method: 'PATCH',
        url: `/users/${IRO.id}/events/x`,
        headers: { Prefer: 'IdType="ImmutableId"' },
        body: { subject: 'y' },
      },
      {
        id: '2',
        method: 'POST',
        url: `/users/${IRO.id}/events/x/cancel`,
        headers: { 'Content-Type': 'application/json' },
      },
    ]) {
      const before = (await control.requests()).length;
      const batch = await failure(
        client.api('/$batch').post({
          requests: [{ id: '1', method: 'GET', url: `/users/${IRO.id}/events/x` }, write],
        }),
      );
      expect(batch['statusCode']).toBe(400);
      expect(batch['message']).toBe(
        'Write request id : 2 does not contain Content-Type header or body.',
      );
      // Nothing in the batch ran (a refused batch is not recorded either).
      expect((await control.requests()).length).toBe(before);
    }
  });
});
