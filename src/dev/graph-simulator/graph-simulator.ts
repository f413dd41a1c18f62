import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';

/**
 * A local stand-in for the Microsoft Graph endpoints IRO Assistant uses: free/busy
 * (calendar/getSchedule), calendar events (create with transactionId, read, update, cancel) and
 * JSON batching, with Graph's request validation, response shapes and error bodies. Calendars live
 * in memory. It can be told to throttle (429 with Retry-After) or fail, and it limits each mailbox
 * to 4 requests at once as Exchange does. Control endpoints live under /_simulator.
 */
export interface SimulatedUser {
  email: string;
  displayName: string;
  busy?: { start: Date; end: Date; subject?: string }[];
}

interface StoredEvent {
  id: string;
  iCalUId: string;
  organizer: string;
  transactionId: string | null;
  body: Record<string, unknown>;
  start: Date;
  end: Date;
  isCancelled: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
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

export interface GraphSimulator {
  url: string;
  close(): Promise<void>;
  addUsers(users: SimulatedUser[]): void;
  readonly requests: RecordedRequest[];
}

const MAILBOX_CONCURRENCY = 4;
const BATCH_LIMIT = 20;

interface GraphReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
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
    responseRequested: z.boolean().optional(),
    showAs: z.string().optional(),
    importance: z.string().optional(),
    sensitivity: z.string().optional(),
  })
  .strict();
const eventPatch = eventBody.partial().omit({ transactionId: true });
const cancelBody = z.object({ comment: z.string().max(2000).optional() }).strict();
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

export async function startGraphSimulator(
  options: { port?: number; users?: SimulatedUser[] } = {},
): Promise<GraphSimulator> {
  const users = new Map<string, SimulatedUser>();
  const events = new Map<string, StoredEvent>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const inFlight = new Map<string, number>();
  const attendance = new Map<
    string,
    { email?: string; displayName: string; role?: string; seconds: number }[]
  >();
  const installs: { chatId: string; appId: string }[] = [];
  const addUsers = (list: SimulatedUser[]) => {
    for (const u of list) users.set(u.email.toLowerCase(), { ...u, busy: [...(u.busy ?? [])] });
  };
  addUsers(options.users ?? []);

  const base = () => simulator.url;

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
  async function handle(
    method: string,
    path: string,
    body: unknown,
    query = new URLSearchParams(),
  ): Promise<GraphReply> {
    const fault = takeFault(method, path);
    if (fault) return fault;
    const chatMatch = /^\/chats\/([^/]+)\/installedApps$/.exec(path);
    if (chatMatch) return installApp(method, decodeURIComponent(chatMatch[1] as string), body);
    const userMatch = /^\/users\/([^/]+)(\/.*)?$/.exec(path);
    if (!userMatch)
      return graphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`,
      );
    const userId = decodeURIComponent(userMatch[1] as string).toLowerCase();
    const rest = userMatch[2] ?? '';
    const user = users.get(userId);
    if (!user)
      return graphError(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
    const running = inFlight.get(userId) ?? 0;
    if (running >= MAILBOX_CONCURRENCY) {
      return graphError(
        429,
        'ApplicationThrottled',
        'Application is over its MailboxConcurrency limit.',
        { 'retry-after': '1' },
      );
    }
    inFlight.set(userId, running + 1);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return route(method, userId, rest, body, query);
    } finally {
      inFlight.set(userId, (inFlight.get(userId) ?? 1) - 1);
    }
  }

  function route(
    method: string,
    userId: string,
    rest: string,
    body: unknown,
    query: URLSearchParams,
  ): GraphReply {
    if (method === 'POST' && rest === '/calendar/getSchedule') return getSchedule(body);
    if (rest.startsWith('/onlineMeetings')) return onlineMeetings(method, userId, rest, query);
    if (method === 'POST' && rest === '/events') return createEvent(userId, body);
    const eventMatch = /^\/events\/([^/]+)(\/cancel)?$/.exec(rest);
    if (eventMatch) {
      const event = events.get(decodeURIComponent(eventMatch[1] as string));
      if (!event || event.isCancelled) {
        return graphError(
          404,
          'ErrorItemNotFound',
          'The specified object was not found in the store.',
        );
      }
      const isOrganizer = event.organizer === userId;
      const isAttendee = attendeesOf(event).includes(userId);
      if (!isOrganizer && !isAttendee)
        return graphError(
          404,
          'ErrorItemNotFound',
          'The specified object was not found in the store.',
        );
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
        return { status: 202, headers: {}, body: undefined };
      }
      if (method === 'GET')
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: present(event),
        };
      if (method === 'PATCH') {
        if (!isOrganizer)
          return graphError(
            403,
            'ErrorAccessDenied',
            'Only the organizer can update this meeting.',
          );
        return updateEvent(event, body);
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

  function meetingsOf(
    organizer: string,
  ): { event: StoredEvent; meeting: Record<string, unknown> }[] {
    return [...events.values()]
      .filter((e) => e.organizer === organizer && e.body['isOnlineMeeting'] === true)
      .map((event) => ({ event, meeting: onlineMeetingOf(event) }));
  }

  /** GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '...' and the attendance reports. */
  function onlineMeetings(
    method: string,
    userId: string,
    rest: string,
    query: URLSearchParams,
  ): GraphReply {
    if (method !== 'GET') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    if (rest === '/onlineMeetings') {
      const filter = /^JoinWebUrl eq '(.+)'$/i.exec(query.get('$filter') ?? '');
      if (!filter)
        return graphError(
          400,
          'BadRequest',
          "Filter on JoinWebUrl is required: $filter=JoinWebUrl eq '{joinUrl}'.",
        );
      const wanted = decodeURIComponent(filter[1] as string);
      const mine = meetingsOf(userId).find(
        (m) => decodeURIComponent(String(m.meeting['joinWebUrl'])) === wanted,
      );
      if (!mine) {
        const anyone = [...events.values()].some(
          (e) => decodeURIComponent(joinUrlOf(e)) === wanted,
        );
        if (anyone)
          return graphError(403, 'Forbidden', 'Only the organizer of the meeting can read it.');
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { value: [] },
        };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { value: [mine.meeting] },
      };
    }
    const reports = /^\/onlineMeetings\/([^/]+)\/attendanceReports(?:\/([^/]+))?$/.exec(rest);
    const found = reports
      ? meetingsOf(userId).find((m) => m.meeting['id'] === decodeURIComponent(reports[1] as string))
      : undefined;
    if (!reports || !found) return graphError(404, 'NotFound', 'The online meeting was not found.');
    const records = attendance.get(decodeURIComponent(joinUrlOf(found.event))) ?? [];
    const report = {
      id: `report-${found.event.id.slice(4, 16)}`,
      totalParticipantCount: records.length,
      meetingStartDateTime: found.event.start.toISOString(),
      meetingEndDateTime: found.event.end.toISOString(),
    };
    if (reports[2] === undefined) {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { value: records.length > 0 ? [{ ...report, attendanceRecords: [] }] : [] },
      };
    }
    if (reports[2] !== report.id || records.length === 0)
      return graphError(404, 'NotFound', 'The attendance report was not found.');
    const expand = (query.get('$expand') ?? '').toLowerCase() === 'attendancerecords';
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
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
      },
    };
  }

  function installApp(method: string, chatId: string, body: unknown): GraphReply {
    if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Unsupported method.');
    const bind = (body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
    const appId =
      typeof bind === 'string' ? /appCatalogs\/teamsApps\/([^/'"]+)/.exec(bind)?.[1] : undefined;
    if (!appId)
      return graphError(
        400,
        'BadRequest',
        'teamsApp@odata.bind must name an app in the app catalog.',
      );
    const known = [...events.values()].some(
      (e) => `19:meeting_${threadOf(e)}@thread.v2` === chatId,
    );
    if (!known) return graphError(404, 'NotFound', `Chat ${chatId} was not found.`);
    installs.push({ chatId, appId });
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
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        '@odata.context': `${base()}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`,
        value,
      },
    };
  }

  function createEvent(organizer: string, body: unknown): GraphReply {
    const parsed = eventBody.safeParse(body);
    if (!parsed.success) return invalidEvent(parsed.error);
    const range = timeRange(parsed.data.start, parsed.data.end);
    if (isReply(range)) return range;
    const { from: start, to: end } = range;
    if (parsed.data.transactionId) {
      const existing = [...events.values()].find(
        (e) => e.organizer === organizer && e.transactionId === parsed.data.transactionId,
      );
      if (existing)
        return {
          status: 201,
          headers: { 'content-type': 'application/json' },
          body: present(existing),
        };
    }
    const id = `AAMk${createHash('sha256').update(randomUUID()).digest('base64url').slice(0, 40)}`;
    const now = new Date().toISOString();
    const event: StoredEvent = {
      id,
      iCalUId: `040000008200E00074C5B7101A82E008${createHash('md5').update(id).digest('hex').toUpperCase()}`,
      organizer,
      transactionId: parsed.data.transactionId ?? null,
      body: parsed.data as Record<string, unknown>,
      start,
      end,
      isCancelled: false,
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    events.set(id, event);
    return {
      status: 201,
      headers: {
        'content-type': 'application/json',
        location: `${base()}/v1.0/users/${organizer}/events/${id}`,
      },
      body: present(event),
    };
  }

  function updateEvent(event: StoredEvent, body: unknown): GraphReply {
    const parsed = eventPatch.safeParse(body);
    if (!parsed.success) return invalidEvent(parsed.error);
    if (parsed.data.isOnlineMeeting === false && event.body['isOnlineMeeting'] === true) {
      return graphError(400, 'ErrorInvalidRequest', 'An online meeting cannot be made offline.');
    }
    const range = timeRange(parsed.data.start ?? event.start, parsed.data.end ?? event.end);
    if (isReply(range)) return range;
    const { from: start, to: end } = range;
    event.body = { ...event.body, ...parsed.data };
    event.start = start;
    event.end = end;
    event.lastModifiedDateTime = new Date().toISOString();
    return { status: 200, headers: { 'content-type': 'application/json' }, body: present(event) };
  }

  function threadOf(event: StoredEvent): string {
    return createHash('sha1').update(event.id).digest('hex').slice(0, 32);
  }

  function joinUrlOf(event: StoredEvent): string {
    return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${threadOf(event)}%40thread.v2/0?context=%7b%22Tid%22%3a%22simulated%22%7d`;
  }

  /** The online meeting behind an event, as /onlineMeetings shows it. */
  function onlineMeetingOf(event: StoredEvent): Record<string, unknown> {
    return {
      id: `MSo${Buffer.from(`meeting:${event.id}`).toString('base64url')}`,
      joinWebUrl: joinUrlOf(event),
      subject: String(event.body['subject'] ?? ''),
      startDateTime: event.start.toISOString(),
      endDateTime: event.end.toISOString(),
      chatInfo: { threadId: `19:meeting_${threadOf(event)}@thread.v2`, messageId: '0' },
      participants: { organizer: { upn: event.organizer, role: 'presenter' } },
    };
  }

  function present(event: StoredEvent): Record<string, unknown> {
    const b = event.body as z.infer<typeof eventBody>;
    const organizer = users.get(event.organizer);
    return {
      '@odata.etag': `W/"${createHash('md5').update(event.lastModifiedDateTime).digest('base64')}"`,
      id: event.id,
      createdDateTime: event.createdDateTime,
      lastModifiedDateTime: event.lastModifiedDateTime,
      iCalUId: event.iCalUId,
      transactionId: event.transactionId,
      subject: b.subject ?? '',
      body: b.body ?? { contentType: 'html', content: '' },
      start: graphDateTime(event.start),
      end: graphDateTime(event.end),
      location: { displayName: b.location?.displayName ?? '', locationType: 'default' },
      attendees: (b.attendees ?? []).map((a) => ({
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
      isOrganizer: true,
      isOnlineMeeting: b.isOnlineMeeting ?? false,
      onlineMeetingProvider: b.isOnlineMeeting
        ? (b.onlineMeetingProvider ?? 'teamsForBusiness')
        : 'unknown',
      onlineMeeting: b.isOnlineMeeting ? { joinUrl: joinUrlOf(event) } : null,
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
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
  app.post('/_simulator/users', (req, res) => {
    const list = z
      .array(
        z.object({
          email: z.string(),
          displayName: z.string(),
          busy: z
            .array(
              z.object({
                start: z.coerce.date(),
                end: z.coerce.date(),
                subject: z.string().optional(),
              }),
            )
            .optional(),
        }),
      )
      .safeParse(req.body);
    if (!list.success) {
      res.status(400).json({ error: 'send [{email, displayName, busy?: [{start, end}]}]' });
      return;
    }
    addUsers(list.data);
    res.status(204).end();
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
  app.get('/_simulator/events', (_req, res) => {
    res.json([...events.values()].map((e) => ({ ...present(e), organizerEmail: e.organizer })));
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
    const ids = parsed.data.requests.map((r) => r.id);
    if (new Set(ids).size !== ids.length) {
      reply(res, graphError(400, 'BadRequest', 'Batch request ids must be unique.'));
      return;
    }
    requests.push({
      method: 'POST',
      path: '/$batch',
      body: req.body,
      authorization: req.headers.authorization,
      status: 200,
    });
    const responses = await Promise.all(
      parsed.data.requests.map(async (r) => {
        const url = new URL(r.url.startsWith('/') ? r.url : `/${r.url}`, 'http://batch');
        const path = url.pathname;
        const result = await handle(r.method, path, r.body, url.searchParams);
        requests.push({
          method: r.method,
          path,
          body: r.body,
          authorization: req.headers.authorization,
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
    const result = await handle(
      req.method,
      path,
      req.body,
      new URL(req.originalUrl, 'http://x').searchParams,
    );
    requests.push({
      method: req.method,
      path,
      body: req.body,
      authorization: req.headers.authorization,
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
    addUsers,
    close: () =>
      new Promise<void>((resolve) => {
        server?.close(() => resolve());
        server?.closeAllConnections();
      }),
  };
  return simulator;
}
