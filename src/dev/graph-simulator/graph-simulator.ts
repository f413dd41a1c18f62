import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';

/**
 * A local stand-in for the Microsoft Graph endpoints IRO Assistant uses: free/busy
 * (calendar/getSchedule), calendar events (create with transactionId, read with $select, update,
 * cancel, with regular and immutable ids, and Outlook's REST ids translated to immutable ones),
 * online meetings found by join link and their attendance reports, the Teams app catalog, app installs into meeting chats, and JSON batching. It follows Graph's
 * documentation, not our code: it refuses what Graph refuses (an e-mail where an onlineMeetings
 * path needs an object id, a join link that only matches when decoded twice, an install that
 * names the manifest id or leaves out consent) and answers with Graph's shapes and error bodies.
 * Everything lives in memory. It can be told to throttle (429 with Retry-After) or fail, and it
 * limits each mailbox to 4 requests at once as Exchange does. Control endpoints live under
 * /_simulator.
 */
export interface SimulatedUser {
  email: string;
  displayName: string;
  /** The user's Entra object id: onlineMeetings and attendance paths accept only this. */
  id?: string;
  busy?: { start: Date; end: Date; subject?: string }[];
  /** false: the mailbox cannot create Teams meetings, so events come back with onlineMeeting null. */
  teamsEnabled?: boolean;
  /** true: this user's meetings get Teams' short join links (https://teams.microsoft.com/meet/<digits>?p=<passcode>). */
  shortJoinLinks?: boolean;
}

/** An app uploaded to the organisation's Teams app catalog, described as its manifest says. */
export interface CatalogApp {
  /** The catalog's own id; generated on upload when not given (never the manifest id). */
  id?: string;
  /** The manifest's id. */
  externalId: string;
  displayName?: string;
  /** The manifest's authorization.permissions.resourceSpecific. */
  resourceSpecific?: { name: string; type: 'Application' | 'Delegated' }[];
}

/** An app in the simulated catalog, with the id the catalog gave it. */
export interface CatalogEntry {
  id: string;
  externalId: string;
  displayName: string;
  resourceSpecific: { name: string; type: 'Application' | 'Delegated' }[];
}

/** The Teams meeting behind an event. */
interface StoredMeeting {
  id: string;
  threadId: string;
  joinUrl: string;
  /** Teams' short form of the join link, for organisers flagged shortJoinLinks. */
  shortUrl: string | null;
  joinMeetingId: string;
  passcode: string;
}

interface StoredEvent {
  /** The regular (REST) id, which would change if the item moved between calendars. */
  id: string;
  /** The id Graph gives with Prefer: IdType="ImmutableId". */
  immutableId: string;
  iCalUId: string;
  /** The organiser's e-mail (lower case). */
  organizer: string;
  transactionId: string | null;
  body: Record<string, unknown>;
  start: Date;
  end: Date;
  isCancelled: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  meeting: StoredMeeting | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string as it arrived (still URL-encoded), without the '?'. */
  query: string;
  body: unknown;
  authorization: string | undefined;
  /** The Prefer header, when one was sent. */
  prefer?: string;
  /** Set for a request that came inside a $batch. */
  batchId?: string;
  status?: number;
}

export interface Fault {
  method?: string;
  /** A regular expression matched against the path after /v1.0. */
  path: string;
  status: number;
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
  /** How many matching requests fail; then the fault is spent. */
  times: number;
}

export interface SimulatorSettings {
  /**
   * The Content-Type that comes with cancel's empty 202 answer: Graph has been seen to declare
   * application/json with no body; null sends none.
   */
  cancelContentType: string | null;
}

export interface InstalledApp {
  chatId: string;
  /** The catalog id the install named. */
  appId: string;
  externalId: string;
  consented: { permissionValue: string; permissionType: string }[];
}

export interface GraphSimulator {
  url: string;
  close(): Promise<void>;
  addUsers(users: SimulatedUser[]): void;
  /** Uploads apps to the organisation's catalog; returns them with their catalog ids. */
  addCatalogApps(apps: CatalogApp[]): CatalogEntry[];
  readonly requests: RecordedRequest[];
  readonly settings: SimulatorSettings;
}

const MAILBOX_CONCURRENCY = 4;
const BATCH_LIMIT = 20;
/** The simulated tenant, as it appears in join links. */
const TENANT_ID = '5f0e7a52-0000-4000-8000-00000000a11e';

interface GraphReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface SimRequest {
  method: string;
  path: string;
  body: unknown;
  query: URLSearchParams;
  prefer: string | undefined;
}

function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString(),
          'request-id': randomUUID(),
          'client-request-id': randomUUID(),
        },
      },
    },
  };
}

function ok(body: unknown, status = 200, headers: Record<string, string> = {}): GraphReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

const notFoundInStore = () =>
  graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

const dateTimeTimeZone = z.object({ dateTime: z.string().min(1), timeZone: z.string().min(1) });
const emailAddress = z.object({ address: z.string().email(), name: z.string().optional() });
const getScheduleBody = z.object({
  schedules: z.array(z.string().min(1)).min(1).max(100),
  startTime: dateTimeTimeZone,
  endTime: dateTimeTimeZone,
  availabilityViewInterval: z.number().int().min(5).max(1440).optional(),
});
const eventBody = z
  .object({
    subject: z.string().max(255).optional(),
    body: z
      .object({ contentType: z.enum(['text', 'html', 'Text', 'HTML']), content: z.string() })
      .optional(),
    start: dateTimeTimeZone,
    end: dateTimeTimeZone,
    location: z
      .object({ displayName: z.string().max(255) })
      .partial()
      .optional(),
    attendees: z
      .array(
        z.object({ emailAddress, type: z.enum(['required', 'optional', 'resource']).optional() }),
      )
      .max(500)
      .optional(),
    isOnlineMeeting: z.boolean().optional(),
    onlineMeetingProvider: z
      .enum(['teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer', 'unknown'])
      .optional(),
    transactionId: z.string().max(255).optional(),
    allowNewTimeProposals: z.boolean().optional(),
    /** v1.0 and beta: true shows each attendee only themselves in the request and Tracking list. */
    hideAttendees: z.boolean().optional(),
    responseRequested: z.boolean().optional(),
    showAs: z.string().optional(),
    importance: z.string().optional(),
    sensitivity: z.string().optional(),
  })
  .strict();
const eventPatch = eventBody.partial().omit({ transactionId: true });
const EXCHANGE_ID_FORMATS = [
  'entryId',
  'ewsId',
  'immutableEntryId',
  'restId',
  'restImmutableEntryId',
] as const;
const translateIdsBody = z
  .object({
    inputIds: z.array(z.string()).min(1).max(1000),
    sourceIdType: z.enum(EXCHANGE_ID_FORMATS),
    targetIdType: z.enum(EXCHANGE_ID_FORMATS),
  })
  .strict();
/** The event's properties (v1.0), which $select may name. */
const EVENT_PROPERTIES = new Set([
  'id',
  'allowNewTimeProposals',
  'attendees',
  'body',
  'bodyPreview',
  'categories',
  'changeKey',
  'createdDateTime',
  'end',
  'hasAttachments',
  'hideAttendees',
  'iCalUId',
  'importance',
  'isAllDay',
  'isCancelled',
  'isDraft',
  'isOnlineMeeting',
  'isOrganizer',
  'isReminderOn',
  'lastModifiedDateTime',
  'location',
  'locations',
  'onlineMeeting',
  'onlineMeetingProvider',
  'onlineMeetingUrl',
  'organizer',
  'originalEndTimeZone',
  'originalStart',
  'originalStartTimeZone',
  'recurrence',
  'reminderMinutesBeforeStart',
  'responseRequested',
  'responseStatus',
  'sensitivity',
  'seriesMasterId',
  'showAs',
  'start',
  'subject',
  'transactionId',
  'type',
  'webLink',
]);
const cancelBody = z.object({ comment: z.string().max(2000).optional() }).strict();
const permissionSet = z
  .object({
    resourceSpecificPermissions: z.array(
      z
        .object({
          permissionValue: z.string().min(1),
          permissionType: z.enum(['Application', 'Delegated']),
        })
        .strict(),
    ),
  })
  .strict();
const installBody = z
  .object({ 'teamsApp@odata.bind': z.string(), consentedPermissionSet: permissionSet.optional() })
  .strict();
const batchBody = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1),
        method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
        url: z.string().min(1),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});
const userInput = z.object({
  email: z.string(),
  displayName: z.string(),
  id: z.string().min(1).optional(),
  teamsEnabled: z.boolean().optional(),
  shortJoinLinks: z.boolean().optional(),
  busy: z
    .array(
      z.object({ start: z.coerce.date(), end: z.coerce.date(), subject: z.string().optional() }),
    )
    .optional(),
});
const catalogInput = z.object({
  id: z.string().min(1).optional(),
  externalId: z.string().min(1),
  displayName: z.string().optional(),
  resourceSpecific: z
    .array(z.object({ name: z.string().min(1), type: z.enum(['Application', 'Delegated']) }))
    .optional(),
});

/** Graph's dateTime strings carry no offset; the timeZone says how to read them (UTC here). */
function toInstant(value: { dateTime: string; timeZone: string }): Date | undefined {
  if (value.timeZone !== 'UTC' && value.timeZone !== 'Etc/UTC') return undefined;
  const text = value.dateTime.endsWith('Z')
    ? value.dateTime
    : `${value.dateTime.replace(/(\.\d{3})\d*$/, '$1')}Z`;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Graph's answer to an event body that does not validate, naming the first bad field. */
function invalidEvent(error: z.ZodError): GraphReply {
  const issue = error.issues[0];
  return graphError(
    400,
    'ErrorInvalidRequest',
    `Invalid event: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
  );
}

/** Reads a start and end as Graph sends them; a GraphReply when they are not usable. */
function timeRange(
  start: { dateTime: string; timeZone: string } | Date,
  end: { dateTime: string; timeZone: string } | Date,
  endCode = 'ErrorInvalidRequest',
): { from: Date; to: Date } | GraphReply {
  const from = start instanceof Date ? start : toInstant(start);
  const to = end instanceof Date ? end : toInstant(end);
  if (!from || !to) {
    return graphError(
      400,
      'ErrorInvalidTimeZone',
      'The simulator reads times in UTC only; send timeZone "UTC".',
    );
  }
  if (to <= from) return graphError(400, endCode, 'The end time must be after the start time.');
  return { from, to };
}

function isReply(value: object): value is GraphReply {
  return 'status' in value;
}

function graphDateTime(date: Date): { dateTime: string; timeZone: string } {
  return { dateTime: date.toISOString().replace('Z', '0000'), timeZone: 'UTC' };
}

/** Reads a one-comparison OData $filter (`Name eq 'literal'`), undoing the doubled quotes. */
function filterEquals(filter: string | null): { name: string; value: string } | undefined {
  const match = /^\s*([A-Za-z/]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter ?? '');
  return match
    ? { name: match[1] as string, value: (match[2] as string).replaceAll("''", "'") }
    : undefined;
}

/** Prefer: IdType="ImmutableId" asks for immutable ids in the answer. */
function wantsImmutableIds(prefer: string | undefined): boolean {
  return /IdType\s*=\s*"?ImmutableId"?/i.test(prefer ?? '');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export async function startGraphSimulator(
  options: { port?: number; users?: SimulatedUser[]; catalog?: CatalogApp[] } = {},
): Promise<GraphSimulator> {
  const users = new Map<string, SimulatedUser>();
  const events = new Map<string, StoredEvent>();
  const catalog = new Map<string, CatalogEntry>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const inFlight = new Map<string, number>();
  const settings: SimulatorSettings = { cancelContentType: 'application/json' };
  const attendance = new Map<
    string,
    { email?: string; displayName: string; role?: string; seconds: number }[]
  >();
  const installs: InstalledApp[] = [];
  const userInstalls: { userId: string; appId: string; externalId: string }[] = [];
  const addUsers = (list: SimulatedUser[]) => {
    for (const u of list) {
      users.set(u.email.toLowerCase(), {
        ...u,
        ...(u.id ? { id: u.id.toLowerCase() } : {}),
        busy: [...(u.busy ?? [])],
      });
    }
  };
  const addCatalogApps = (list: CatalogApp[]): CatalogEntry[] =>
    list.map((a) => {
      const stored: CatalogEntry = {
        id: a.id ?? randomUUID(),
        externalId: a.externalId,
        displayName: a.displayName ?? 'App',
        resourceSpecific: [...(a.resourceSpecific ?? [])],
      };
      for (const [id, existing] of catalog)
        if (existing.externalId === a.externalId) catalog.delete(id);
      catalog.set(stored.id, stored);
      return stored;
    });
  addUsers(options.users ?? []);
  addCatalogApps(options.catalog ?? []);

  const base = () => simulator.url;

  /** A user by e-mail (userPrincipalName) or object id, as /users/{id} accepts both. */
  function userBySegment(
    segment: string,
  ): { key: string; user: SimulatedUser; byId: boolean } | undefined {
    const wanted = segment.toLowerCase();
    const byEmail = users.get(wanted);
    if (byEmail) return { key: wanted, user: byEmail, byId: false };
    for (const [key, user] of users) if (user.id === wanted) return { key, user, byId: true };
    return undefined;
  }

  function takeFault(method: string, path: string): GraphReply | undefined {
    const fault = faults.find(
      (f) => f.times > 0 && (!f.method || f.method === method) && new RegExp(f.path).test(path),
    );
    if (!fault) return undefined;
    fault.times -= 1;
    const headers: Record<string, string> =
      fault.retryAfterSeconds !== undefined
        ? { 'retry-after': String(fault.retryAfterSeconds) }
        : {};
    const code =
      fault.code ??
      (fault.status === 429
        ? 'TooManyRequests'
        : fault.status === 503
          ? 'ServiceUnavailable'
          : fault.status === 403
            ? 'ErrorAccessDenied'
            : 'InternalServerError');
    const message =
      fault.message ??
      (fault.status === 429
        ? 'Application is over its MailboxConcurrency limit.'
        : fault.status === 403
          ? 'Access is denied. Check credentials and try again.'
          : 'The service is temporarily unavailable.');
    return graphError(fault.status, code, message, headers);
  }

  /** Every Graph call, direct or inside a batch, comes through here. */
  async function handle(request: SimRequest): Promise<GraphReply> {
    const { method, path } = request;
    const fault = takeFault(method, path);
    if (fault) return fault;
    if (path === '/appCatalogs/teamsApps') return listCatalog(method, request.query);
    const chatMatch = /^\/chats\/([^/]+)\/installedApps$/.exec(path);
    if (chatMatch) return installApp(method, decodeURIComponent(chatMatch[1] as string), request);
    const userMatch = /^\/users\/([^/]+)(\/.*)?$/.exec(path);
    if (!userMatch)
      return graphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`,
      );
    const segment = decodeURIComponent(userMatch[1] as string);
    const rest = userMatch[2] ?? '';
    const found = userBySegment(segment);
    if (!found)
      return graphError(404, 'ErrorInvalidUser', `The requested user '${segment}' is invalid.`);
    const { key } = found;
    if (rest.startsWith('/onlineMeetings') && !found.byId) {
      // With an app token, {userId} must be the organiser's Entra object id; a UPN is not found.
      return graphError(
        404,
        'NotFound',
        `The user '${segment}' was not found: an onlineMeetings path takes the user's object id.`,
      );
    }
    const running = inFlight.get(key) ?? 0;
    if (running >= MAILBOX_CONCURRENCY) {
      return graphError(
        429,
        'ApplicationThrottled',
        'Application is over its MailboxConcurrency limit.',
        { 'retry-after': '1' },
      );
    }
    inFlight.set(key, running + 1);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return route(key, rest, request);
    } finally {
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    }
  }

  function findEvent(id: string): StoredEvent | undefined {
    return events.get(id) ?? [...events.values()].find((e) => e.immutableId === id);
  }

  function route(userKey: string, rest: string, request: SimRequest): GraphReply {
    const { method, body } = request;
    const immutable = wantsImmutableIds(request.prefer);
    if (method === 'POST' && rest === '/calendar/getSchedule') return getSchedule(body);
    if (rest.startsWith('/onlineMeetings')) return onlineMeetings(method, userKey, rest, request);
    if (rest === '/teamwork/installedApps') return installForUser(method, userKey, request);
    if (rest === '/translateExchangeIds') return translateIds(method, userKey, body);
    if (method === 'POST' && rest === '/events') return createEvent(userKey, body, immutable);
    const eventMatch = /^\/events\/([^/]+)(\/cancel)?$/.exec(rest);
    if (eventMatch) {
      const event = findEvent(decodeURIComponent(eventMatch[1] as string));
      if (!event || event.isCancelled) return notFoundInStore();
      const isOrganizer = event.organizer === userKey;
      const isAttendee = attendeesOf(event).includes(userKey);
      if (!isOrganizer && !isAttendee) return notFoundInStore();
      if (eventMatch[2]) {
        if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
        if (!isOrganizer)
          return graphError(
            400,
            'ErrorInvalidRequest',
            'Your request cannot be completed. You must be the organizer of the meeting to cancel it.',
          );
        const parsed = cancelBody.safeParse(body ?? {});
        if (!parsed.success)
          return graphError(
            400,
            'ErrorInvalidRequest',
            'The request body is not valid for cancel.',
          );
        event.isCancelled = true;
        event.lastModifiedDateTime = new Date().toISOString();
        event.body = { ...event.body, cancellationComment: parsed.data.comment ?? '' };
        // 202 Accepted with no body, whatever the Content-Type says.
        return {
          status: 202,
          headers: settings.cancelContentType ? { 'content-type': settings.cancelContentType } : {},
          body: undefined,
        };
      }
      if (method === 'GET') return selected(present(event, immutable, userKey), request.query);
      if (method === 'PATCH') {
        if (!isOrganizer)
          return graphError(
            403,
            'ErrorAccessDenied',
            'Only the organizer can update this meeting.',
          );
        return updateEvent(event, body, immutable);
      }
      if (method === 'DELETE') {
        events.delete(event.id);
        return { status: 204, headers: {}, body: undefined };
      }
    }
    return graphError(
      400,
      'BadRequest',
      `Resource not found for the segment '${rest.split('/')[1] ?? ''}'.`,
    );
  }

  /** Whether the mailbox holds the event: its organiser's or an attendee's copy. */
  function inMailbox(event: StoredEvent, userKey: string): boolean {
    return event.organizer === userKey || attendeesOf(event).includes(userKey);
  }

  /**
   * POST /users/{id}/translateExchangeIds: every id is translated on its own, and one the mailbox
   * cannot translate comes back with errorDetails instead of a targetId (the answer stays 200).
   * The ids must be for items in this mailbox. The simulator translates between its regular and
   * immutable REST ids only; which error code Exchange gives an id of another mailbox is not
   * documented (ErrorItemNotFound here).
   */
  function translateIds(method: string, userKey: string, body: unknown): GraphReply {
    if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    const parsed = translateIdsBody.safeParse(body);
    if (!parsed.success)
      return graphError(
        400,
        'BadRequest',
        `Invalid request: ${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message}`,
      );
    const rest = ['restId', 'restImmutableEntryId'];
    const { sourceIdType, targetIdType } = parsed.data;
    if (!rest.includes(sourceIdType) || !rest.includes(targetIdType))
      return graphError(
        400,
        'BadRequest',
        'The simulator translates between restId and restImmutableEntryId only.',
      );
    const value = parsed.data.inputIds.map((sourceId) => {
      const event = [...events.values()].find((e) =>
        sourceIdType === 'restId' ? e.id === sourceId : e.immutableId === sourceId,
      );
      if (!event || event.isCancelled || !inMailbox(event, userKey)) {
        const otherFormat = [...events.values()].some((e) =>
          sourceIdType === 'restId' ? e.immutableId === sourceId : e.id === sourceId,
        );
        return {
          sourceId,
          errorDetails: otherFormat
            ? { code: 'ErrorInvalidIdMalformed', message: 'Id is malformed.' }
            : {
                code: 'ErrorItemNotFound',
                message: 'The specified object was not found in the store.',
              },
        };
      }
      return {
        sourceId,
        targetId: targetIdType === 'restId' ? event.id : event.immutableId,
      };
    });
    return ok({
      '@odata.context': `${base()}/v1.0/$metadata#Collection(microsoft.graph.convertIdResult)`,
      value,
    });
  }

  /** An event with only the properties $select names (and its id and etag); 400 for unknown ones. */
  function selected(event: Record<string, unknown>, query: URLSearchParams): GraphReply {
    const select = query.get('$select');
    if (!select) return ok(event);
    const names = select.split(',').map((n) => n.trim());
    const unknown = names.find((n) => !EVENT_PROPERTIES.has(n));
    if (unknown !== undefined)
      return graphError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${unknown}' on type 'microsoft.graph.event'.`,
      );
    return ok(
      Object.fromEntries(
        Object.entries(event).filter(
          ([k]) => k === '@odata.etag' || k === 'id' || names.includes(k),
        ),
      ),
    );
  }

  function attendeesOf(event: StoredEvent): string[] {
    const list =
      (event.body['attendees'] as { emailAddress: { address: string } }[] | undefined) ?? [];
    return list.map((a) => a.emailAddress.address.toLowerCase());
  }

  function busyOf(email: string, from: Date, to: Date) {
    const own = (users.get(email)?.busy ?? []).map((b) => ({ ...b, status: 'busy' }));
    const meetings = [...events.values()]
      .filter((e) => !e.isCancelled && (e.organizer === email || attendeesOf(e).includes(email)))
      .map((e) => ({
        start: e.start,
        end: e.end,
        subject: String(e.body['subject'] ?? ''),
        status: 'busy',
      }));
    return [...own, ...meetings]
      .filter((b) => b.start < to && b.end > from)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  const meetings = () =>
    [...events.values()].filter(
      (e): e is StoredEvent & { meeting: StoredMeeting } => e.meeting !== null,
    );

  /**
   * GET /users/{objectId}/onlineMeetings?$filter=JoinWebUrl eq '{url-encoded join link}' and the
   * attendance reports. The query string is decoded once (as by any HTTP server), which turns the
   * encoded literal back into the join link; Graph compares that exactly with the link, long or
   * short. A link sent without that extra encoding arrives decoded one step too far (its %3a
   * becomes ':') and matches nothing.
   */
  function onlineMeetings(
    method: string,
    userKey: string,
    rest: string,
    request: SimRequest,
  ): GraphReply {
    if (method !== 'GET') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    if (rest === '/onlineMeetings') {
      const filter = filterEquals(request.query.get('$filter'));
      if (!filter || filter.name.toLowerCase() !== 'joinweburl')
        return graphError(
          400,
          'BadRequest',
          "Filter on JoinWebUrl is required: $filter=JoinWebUrl eq '{joinUrl}'.",
        );
      const wanted = filter.value;
      const found = meetings().find(
        (e) => e.meeting.joinUrl === wanted || e.meeting.shortUrl === wanted,
      );
      if (!found) return ok({ value: [] });
      if (found.organizer !== userKey)
        return graphError(403, 'Forbidden', 'Only the organizer of the meeting can read it.');
      return ok({ value: [onlineMeetingOf(found)] });
    }
    const reports = /^\/onlineMeetings\/([^/]+)\/attendanceReports(?:\/([^/]+))?$/.exec(rest);
    const found = reports
      ? meetings().find((e) => e.meeting.id === decodeURIComponent(reports[1] as string))
      : undefined;
    if (!reports || !found) return graphError(404, 'NotFound', 'The online meeting was not found.');
    if (found.organizer !== userKey)
      return graphError(403, 'Forbidden', 'Only the organizer of the meeting can read it.');
    const records =
      attendance.get(decodeURIComponent(found.meeting.joinUrl)) ??
      (found.meeting.shortUrl ? attendance.get(decodeURIComponent(found.meeting.shortUrl)) : []) ??
      [];
    const report = {
      id: `report-${found.immutableId.slice(4, 16)}`,
      totalParticipantCount: records.length,
      meetingStartDateTime: found.start.toISOString(),
      meetingEndDateTime: found.end.toISOString(),
    };
    if (reports[2] === undefined) {
      // The list never carries the records: they come with $expand on a single report.
      return ok({ value: records.length > 0 ? [{ ...report, attendanceRecords: [] }] : [] });
    }
    if (reports[2] !== report.id || records.length === 0)
      return graphError(404, 'NotFound', 'The attendance report was not found.');
    const expand = (request.query.get('$expand') ?? '').toLowerCase() === 'attendancerecords';
    return ok({
      ...report,
      attendanceRecords: expand
        ? records.map((r, i) => ({
            id: `record-${i}`,
            emailAddress: r.email ?? null,
            role: r.role ?? 'Attendee',
            identity: { id: `user-${i}`, displayName: r.displayName },
            totalAttendanceInSeconds: r.seconds,
            attendanceIntervals: [],
          }))
        : [],
    });
  }

  /** GET /appCatalogs/teamsApps, optionally with $filter=externalId|id|distributionMethod eq '...'. */
  function listCatalog(method: string, query: URLSearchParams): GraphReply {
    if (method !== 'GET') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    const text = query.get('$filter');
    const filter = filterEquals(text);
    if (text && (!filter || !['externalId', 'id', 'distributionMethod'].includes(filter.name)))
      return graphError(400, 'BadRequest', `The filter '${text}' is not supported here.`);
    const apps = [...catalog.values()]
      .map((a) => ({
        id: a.id,
        externalId: a.externalId,
        displayName: a.displayName,
        distributionMethod: 'organization',
      }))
      .filter((a) => !filter || a[filter.name as keyof typeof a] === filter.value);
    return ok({ '@odata.context': `${base()}/v1.0/$metadata#appCatalogs/teamsApps`, value: apps });
  }

  /** An install's body, and the catalog id its teamsApp@odata.bind names. */
  function installRequest(request: SimRequest) {
    const parsed = installBody.safeParse(request.body);
    const appId = parsed.success
      ? /\/appCatalogs\/teamsApps\/([^/'"()]+)$/.exec(parsed.data['teamsApp@odata.bind'])?.[1]
      : undefined;
    return { parsed, appId };
  }

  function appNotInCatalog(appId: string): GraphReply {
    return graphError(
      404,
      'NotFound',
      `The teamsApp '${appId}' was not found in the app catalog; name the app by its catalog id, not its manifest id.`,
    );
  }

  /**
   * POST /users/{id | userPrincipalName}/teamwork/installedApps: adds an app (by catalog id) to a
   * person's personal scope; 201 with no body, 409 when it is there already. No consent set is
   * taken for the personal scope.
   */
  function installForUser(method: string, userKey: string, request: SimRequest): GraphReply {
    if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    const { parsed, appId } = installRequest(request);
    if (!parsed.success || !appId || parsed.data.consentedPermissionSet)
      return graphError(
        400,
        'BadRequest',
        'Send only teamsApp@odata.bind, naming an app in the app catalog: .../appCatalogs/teamsApps/{id}.',
      );
    const app = catalog.get(appId);
    if (!app) return appNotInCatalog(appId);
    const userId = users.get(userKey)?.id ?? userKey;
    if (userInstalls.some((i) => i.userId === userId && i.appId === app.id))
      return graphError(409, 'Conflict', 'The app is already installed for this user.');
    userInstalls.push({ userId, appId: app.id, externalId: app.externalId });
    return { status: 201, headers: {}, body: undefined };
  }

  /**
   * POST /chats/{chatId}/installedApps: names the app by its catalog id; an app whose manifest
   * asks for application resource-specific permissions needs consentedPermissionSet, matching them.
   */
  function installApp(method: string, chatId: string, request: SimRequest): GraphReply {
    if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    const { parsed, appId } = installRequest(request);
    if (!parsed.success || !appId)
      return graphError(
        400,
        'BadRequest',
        'teamsApp@odata.bind must name an app in the app catalog: .../appCatalogs/teamsApps/{id}.',
      );
    const known = meetings().some((e) => e.meeting.threadId === chatId);
    if (!known) return graphError(404, 'NotFound', `Chat ${chatId} was not found.`);
    const app = catalog.get(appId);
    if (!app) return appNotInCatalog(appId);
    const wanted = app.resourceSpecific.map((p) => `${p.type}:${p.name}`).sort();
    const consented = (parsed.data.consentedPermissionSet?.resourceSpecificPermissions ?? [])
      .map((p) => `${p.permissionType}:${p.permissionValue}`)
      .sort();
    const needsConsent = app.resourceSpecific.some((p) => p.type === 'Application');
    if (needsConsent && !parsed.data.consentedPermissionSet)
      return graphError(
        403,
        'Forbidden',
        'The app requires consent to resource-specific permissions: send consentedPermissionSet.',
      );
    if (parsed.data.consentedPermissionSet && wanted.join() !== consented.join())
      return graphError(
        403,
        'Forbidden',
        "The consented permissions must match the app definition's resource-specific permissions.",
      );
    if (installs.some((i) => i.chatId === chatId && i.appId === app.id))
      return graphError(409, 'Conflict', 'The app is already installed in this chat.');
    installs.push({
      chatId,
      appId: app.id,
      externalId: app.externalId,
      consented: parsed.data.consentedPermissionSet?.resourceSpecificPermissions ?? [],
    });
    return { status: 201, headers: {}, body: undefined };
  }

  function getSchedule(body: unknown): GraphReply {
    const parsed = getScheduleBody.safeParse(body);
    if (!parsed.success) {
      return graphError(
        400,
        'ErrorInvalidRequest',
        `The request is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    }
    const range = timeRange(parsed.data.startTime, parsed.data.endTime, 'ErrorInvalidParameter');
    if (isReply(range)) return range;
    const { from, to } = range;
    if (to.getTime() - from.getTime() > 62 * 86_400_000) {
      return graphError(
        400,
        'ErrorInvalidParameter',
        'The requested time span exceeds the maximum of 62 days.',
      );
    }
    const interval = parsed.data.availabilityViewInterval ?? 30;
    const value = parsed.data.schedules.map((scheduleId) => {
      const email = scheduleId.toLowerCase();
      if (!users.has(email)) {
        return {
          scheduleId,
          error: {
            message: `The user or group '${scheduleId}' was not found.`,
            responseCode: 'UserNotFound',
          },
        };
      }
      const busy = busyOf(email, from, to);
      let view = '';
      for (let t = from.getTime(); t < to.getTime(); t += interval * 60_000) {
        const slotEnd = t + interval * 60_000;
        view += busy.some((b) => b.start.getTime() < slotEnd && b.end.getTime() > t) ? '2' : '0';
      }
      return {
        scheduleId,
        availabilityView: view,
        scheduleItems: busy.map((b) => ({
          isPrivate: false,
          status: b.status,
          subject: b.subject ?? '',
          location: '',
          start: graphDateTime(b.start),
          end: graphDateTime(b.end),
        })),
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '09:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: { name: 'GMT Standard Time' },
        },
      };
    });
    return ok({
      '@odata.context': `${base()}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`,
      value,
    });
  }

  /** The Teams meeting Exchange creates with the event: long and (for some users) short links. */
  function meetingFor(organizer: string, immutableId: string): StoredMeeting {
    const hash = digest(`meeting:${immutableId}`);
    const threadId = hash.toString('hex').slice(0, 32);
    const joinMeetingId = String(hash.readBigUInt64BE(16) % 10n ** 14n).padStart(14, '2');
    const passcode = hash
      .subarray(24)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 6);
    const user = users.get(organizer);
    const oid = user?.id ?? '00000000-0000-0000-0000-000000000000';
    return {
      id: `MSo${Buffer.from(`${oid}*0**19:meeting_${threadId}@thread.v2`).toString('base64url')}`,
      threadId: `19:meeting_${threadId}@thread.v2`,
      joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${threadId}%40thread.v2/0?context=%7b%22Tid%22%3a%22${TENANT_ID}%22%2c%22Oid%22%3a%22${oid}%22%7d`,
      shortUrl: user?.shortJoinLinks
        ? `https://teams.microsoft.com/meet/${joinMeetingId}?p=${passcode}`
        : null,
      joinMeetingId,
      passcode,
    };
  }

  function createEvent(organizer: string, body: unknown, immutable: boolean): GraphReply {
    const parsed = eventBody.safeParse(body);
    if (!parsed.success) return invalidEvent(parsed.error);
    const range = timeRange(parsed.data.start, parsed.data.end);
    if (isReply(range)) return range;
    const { from: start, to: end } = range;
    if (parsed.data.transactionId) {
      const existing = [...events.values()].find(
        (e) => e.organizer === organizer && e.transactionId === parsed.data.transactionId,
      );
      if (existing) return ok(present(existing, immutable), 201);
    }
    const seed = digest(randomUUID());
    const id = `AAMkA${seed.subarray(0, 30).toString('base64url')}`;
    const immutableId = `AAkALg${seed.subarray(2, 32).toString('base64url')}`;
    const now = new Date().toISOString();
    const online =
      parsed.data.isOnlineMeeting === true && users.get(organizer)?.teamsEnabled !== false;
    const event: StoredEvent = {
      id,
      immutableId,
      iCalUId: `040000008200E00074C5B7101A82E008${createHash('md5').update(id).digest('hex').toUpperCase()}`,
      organizer,
      transactionId: parsed.data.transactionId ?? null,
      body: parsed.data as Record<string, unknown>,
      start,
      end,
      isCancelled: false,
      createdDateTime: now,
      lastModifiedDateTime: now,
      meeting: online ? meetingFor(organizer, immutableId) : null,
    };
    events.set(id, event);
    return ok(present(event, immutable), 201, {
      location: `${base()}/v1.0/users/${organizer}/events/${immutable ? immutableId : id}`,
    });
  }

  function updateEvent(event: StoredEvent, body: unknown, immutable: boolean): GraphReply {
    const parsed = eventPatch.safeParse(body);
    if (!parsed.success) return invalidEvent(parsed.error);
    if (parsed.data.isOnlineMeeting === false && event.meeting) {
      return graphError(400, 'ErrorInvalidRequest', 'An online meeting cannot be made offline.');
    }
    const range = timeRange(parsed.data.start ?? event.start, parsed.data.end ?? event.end);
    if (isReply(range)) return range;
    const { from: start, to: end } = range;
    event.body = { ...event.body, ...parsed.data };
    event.start = start;
    event.end = end;
    event.lastModifiedDateTime = new Date().toISOString();
    return ok(present(event, immutable));
  }

  /** The online meeting behind an event, as /onlineMeetings shows it. */
  function onlineMeetingOf(event: StoredEvent & { meeting: StoredMeeting }) {
    const organizer = users.get(event.organizer);
    return {
      id: event.meeting.id,
      joinWebUrl: event.meeting.joinUrl,
      subject: String(event.body['subject'] ?? ''),
      startDateTime: event.start.toISOString(),
      endDateTime: event.end.toISOString(),
      chatInfo: { threadId: event.meeting.threadId, messageId: '0' },
      joinMeetingIdSettings: {
        isPasscodeRequired: true,
        joinMeetingId: event.meeting.joinMeetingId,
        passcode: event.meeting.passcode,
      },
      participants: {
        organizer: {
          upn: event.organizer,
          role: 'presenter',
          identity: {
            user: {
              id: organizer?.id ?? null,
              displayName: null,
              tenantId: TENANT_ID,
              identityProvider: 'AAD',
            },
          },
        },
        attendees: [],
      },
    };
  }

  /** An event as Graph shows it in `viewer`'s calendar (the organiser's, unless said). */
  function present(
    event: StoredEvent,
    immutable: boolean,
    viewer: string = event.organizer,
  ): Record<string, unknown> {
    const b = event.body as z.infer<typeof eventBody>;
    const organizer = users.get(event.organizer);
    const id = immutable ? event.immutableId : event.id;
    return {
      '@odata.etag': `W/"${createHash('md5').update(event.lastModifiedDateTime).digest('base64')}"`,
      id,
      createdDateTime: event.createdDateTime,
      lastModifiedDateTime: event.lastModifiedDateTime,
      iCalUId: event.iCalUId,
      transactionId: event.transactionId,
      subject: b.subject ?? '',
      body: b.body ?? { contentType: 'html', content: '' },
      start: graphDateTime(event.start),
      end: graphDateTime(event.end),
      location: { displayName: b.location?.displayName ?? '', locationType: 'default' },
      hideAttendees: b.hideAttendees ?? false,
      // With hideAttendees, an attendee's copy lists that attendee alone; the organiser sees all.
      attendees: (b.attendees ?? [])
        .filter(
          (a) =>
            !b.hideAttendees ||
            viewer === event.organizer ||
            a.emailAddress.address.toLowerCase() === viewer,
        )
        .map((a) => ({
          type: a.type ?? 'required',
          status: { response: 'none', time: '0001-01-01T00:00:00Z' },
          emailAddress: {
            name: a.emailAddress.name ?? a.emailAddress.address,
            address: a.emailAddress.address,
          },
        })),
      organizer: {
        emailAddress: { name: organizer?.displayName ?? event.organizer, address: event.organizer },
      },
      isCancelled: event.isCancelled,
      isOrganizer: viewer === event.organizer,
      type: 'singleInstance',
      isOnlineMeeting: event.meeting !== null,
      onlineMeetingProvider: event.meeting
        ? (b.onlineMeetingProvider ?? 'teamsForBusiness')
        : 'unknown',
      onlineMeeting: event.meeting
        ? { joinUrl: event.meeting.shortUrl ?? event.meeting.joinUrl }
        : null,
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    };
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '4mb' }));

  app.get('/_simulator/requests', (_req, res) => {
    res.json(requests);
  });
  app.delete('/_simulator/requests', (_req, res) => {
    requests.length = 0;
    res.status(204).end();
  });
  app.post('/_simulator/faults', (req, res) => {
    const fault = z
      .object({
        method: z.string().optional(),
        path: z.string(),
        status: z.number().int(),
        retryAfterSeconds: z.number().optional(),
        code: z.string().optional(),
        message: z.string().optional(),
        times: z.number().int().min(1).default(1),
      })
      .safeParse(req.body);
    if (!fault.success) {
      res
        .status(400)
        .json({ error: 'a fault is {path, status, times?, retryAfterSeconds?, method?}' });
      return;
    }
    faults.push(fault.data);
    res.status(201).json(fault.data);
  });
  app.delete('/_simulator/faults', (_req, res) => {
    faults.length = 0;
    res.status(204).end();
  });
  app.get('/_simulator/settings', (_req, res) => {
    res.json(settings);
  });
  app.post('/_simulator/settings', (req, res) => {
    const parsed = z
      .object({ cancelContentType: z.string().min(1).nullable().optional() })
      .strict()
      .safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'send {cancelContentType?: string | null}' });
      return;
    }
    if (parsed.data.cancelContentType !== undefined)
      settings.cancelContentType = parsed.data.cancelContentType;
    res.json(settings);
  });
  app.post('/_simulator/users', (req, res) => {
    const list = z.array(userInput).safeParse(req.body);
    if (!list.success) {
      res.status(400).json({
        error:
          'send [{email, displayName, id?, teamsEnabled?, shortJoinLinks?, busy?: [{start, end}]}]',
      });
      return;
    }
    addUsers(list.data);
    res.status(204).end();
  });
  app.get('/_simulator/catalog', (_req, res) => {
    res.json([...catalog.values()]);
  });
  app.post('/_simulator/catalog', (req, res) => {
    const list = z.array(catalogInput).safeParse(req.body);
    if (!list.success) {
      res.status(400).json({ error: 'send [{externalId, id?, displayName?, resourceSpecific?}]' });
      return;
    }
    res.status(201).json(addCatalogApps(list.data));
  });
  app.post('/_simulator/attendance', (req, res) => {
    const parsed = z
      .object({
        joinUrl: z.string(),
        records: z.array(
          z.object({
            email: z.string().optional(),
            displayName: z.string(),
            role: z.string().optional(),
            seconds: z.number(),
          }),
        ),
      })
      .safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'send {joinUrl, records: [{email?, displayName, seconds}]}' });
      return;
    }
    attendance.set(decodeURIComponent(parsed.data.joinUrl), parsed.data.records);
    res.status(204).end();
  });
  app.get('/_simulator/installs', (_req, res) => {
    res.json(installs);
  });
  app.get('/_simulator/user-installs', (_req, res) => {
    res.json(userInstalls);
  });
  app.get('/_simulator/events', (_req, res) => {
    res.json(
      [...events.values()].map((e) => ({
        ...present(e, true),
        regularId: e.id,
        organizerEmail: e.organizer,
        meetingChatId: e.meeting?.threadId ?? null,
        longJoinUrl: e.meeting?.joinUrl ?? null,
      })),
    );
  });

  app.post('/v1.0/\\$batch', async (req: Request, res: Response) => {
    const parsed = batchBody.safeParse(req.body);
    if (!parsed.success) {
      reply(res, graphError(400, 'BadRequest', 'Invalid batch payload format.'));
      return;
    }
    if (parsed.data.requests.length > BATCH_LIMIT) {
      reply(
        res,
        graphError(
          400,
          'BadRequest',
          `Number of requests in a batch exceeds the limit of ${BATCH_LIMIT}.`,
        ),
      );
      return;
    }
    // Ids are compared without regard to case (JSON batching).
    const ids = parsed.data.requests.map((r) => r.id.toLowerCase());
    if (new Set(ids).size !== ids.length) {
      reply(res, graphError(400, 'BadRequest', 'Batch request ids must be unique.'));
      return;
    }
    // A write must carry a body and name its Content-Type; Graph refuses the whole batch (none
    // of its requests runs) with this message. GET and DELETE need no header.
    const badWrite = parsed.data.requests.find(
      (r) =>
        ['POST', 'PATCH', 'PUT'].includes(r.method) &&
        (r.body === undefined ||
          !Object.keys(r.headers ?? {}).some((k) => k.toLowerCase() === 'content-type')),
    );
    if (badWrite) {
      reply(
        res,
        graphError(
          400,
          'BadRequest',
          `Write request id : ${badWrite.id} does not contain Content-Type header or body.`,
        ),
      );
      return;
    }
    requests.push({
      method: 'POST',
      path: '/$batch',
      query: '',
      body: req.body,
      authorization: req.headers.authorization,
      status: 200,
    });
    const responses = await Promise.all(
      parsed.data.requests.map(async (r) => {
        const url = new URL(r.url.startsWith('/') ? r.url : `/${r.url}`, 'http://batch');
        const path = url.pathname;
        const prefer = Object.entries(r.headers ?? {}).find(
          ([k]) => k.toLowerCase() === 'prefer',
        )?.[1];
        const result = await handle({
          method: r.method,
          path,
          body: r.body,
          query: url.searchParams,
          prefer,
        });
        requests.push({
          method: r.method,
          path,
          query: url.search.replace(/^\?/, ''),
          body: r.body,
          authorization: req.headers.authorization,
          ...(prefer ? { prefer } : {}),
          batchId: r.id,
          status: result.status,
        });
        return {
          id: r.id,
          status: result.status,
          headers: result.headers,
          ...(result.body === undefined ? {} : { body: result.body }),
        };
      }),
    );
    res.status(200).json({ responses });
  });

  app.all('/v1.0/*rest', async (req: Request, res: Response) => {
    const path = req.path.replace(/^\/v1\.0/, '');
    const url = new URL(req.originalUrl, 'http://x');
    const prefer = req.get('prefer');
    const result = await handle({
      method: req.method,
      path,
      body: req.body,
      query: url.searchParams,
      prefer,
    });
    requests.push({
      method: req.method,
      path,
      query: url.search.replace(/^\?/, ''),
      body: req.body,
      authorization: req.headers.authorization,
      ...(prefer ? { prefer } : {}),
      status: result.status,
    });
    reply(res, result);
  });

  function reply(res: Response, result: GraphReply) {
    res.status(result.status).set(result.headers);
    if (result.body === undefined) res.end();
    else res.json(result.body);
  }

  let server: Server | undefined;
  await new Promise<void>((resolve) => {
    server = app.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const simulator: GraphSimulator = {
    url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`,
    requests,
    settings,
    addUsers,
    addCatalogApps,
    close: () =>
      new Promise<void>((resolve) => {
        server?.close(() => resolve());
        server?.closeAllConnections();
      }),
  };
  return simulator;
}
