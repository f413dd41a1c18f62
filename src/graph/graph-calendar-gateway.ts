import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type {
  BookedEvent,
  CalendarEvent,
  CalendarGateway,
  EventReading,
  ReviewEventRequest,
} from '../app/scheduling/calendar-gateway.js';
import type { Interval } from '../domain/meeting-slots.js';
import type { Logger } from '../shared/logger.js';
import { graphFailure, type GraphCall } from './graph-errors.js';

const BATCH_LIMIT = 20;
/**
 * Asked on every event call: event ids change when an item moves between calendars, immutable
 * ids do not, and the header applies only to the request that carries it.
 */
export const IMMUTABLE_IDS = { Prefer: 'IdType="ImmutableId"' } as const;
const CALENDARS: GraphCall = { area: 'calendar', subject: 'the calendars' };
const YOUR_CALENDAR: GraphCall = { area: 'calendar', subject: 'your calendar' };
const OUTLOOK_IDS: GraphCall = { area: 'itemIds', subject: 'your calendar' };
const RETRYABLE = new Set([429, 503, 504]);

/** The fields of Graph's answers that we read, checked before use. */
const graphDateTime = z.object({ dateTime: z.string(), timeZone: z.string() });
const scheduleInformation = z.object({
  scheduleId: z.string(),
  scheduleItems: z
    .array(z.object({ status: z.string(), start: graphDateTime, end: graphDateTime }))
    .optional(),
  error: z
    .object({ message: z.string().optional(), responseCode: z.string().optional() })
    .nullish(),
});
const getScheduleResponse = z.object({ value: z.array(scheduleInformation) });
const eventResponse = z.object({
  id: z.string(),
  iCalUId: z.string(),
  webLink: z.string().nullish(),
  start: graphDateTime,
  end: graphDateTime,
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
});
/** What reading an event for linking asks for (and nothing about its body or attendees' replies). */
const LINKED_EVENT_FIELDS = [
  'subject',
  'start',
  'end',
  'iCalUId',
  'onlineMeeting',
  'isOrganizer',
  'isCancelled',
  'webLink',
  'location',
  'attendees',
  'type',
];
const linkedEventResponse = eventResponse.extend({
  subject: z.string().nullish(),
  isOrganizer: z.boolean(),
  isCancelled: z.boolean().nullish(),
  type: z.string().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  attendees: z
    .array(
      z.object({
        type: z.string().nullish(),
        emailAddress: z.object({ address: z.string().nullish() }).nullish(),
      }),
    )
    .nullish(),
});
/** translateExchangeIds answers a convertIdResult per id: targetId, or errorDetails. */
const convertIdResponse = z.object({
  value: z.array(
    z.object({
      sourceId: z.string().nullish(),
      targetId: z.string().nullish(),
      errorDetails: z.object({ code: z.string().nullish() }).nullish(),
    }),
  ),
});
const graphErrorBody = z.object({ error: z.object({ code: z.string().optional() }) });
const batchResponse = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).nullish(),
      body: z.unknown().optional(),
    }),
  ),
});

/** One request of a JSON batch, before its id is given. */
interface BatchPart {
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Statuses that mean someone is not free. */
const BUSY = new Set(['busy', 'tentative', 'oof']);

function instantOf(value: { dateTime: string; timeZone: string }): Date {
  const iso = /[zZ]|[+-]\d\d:\d\d$/.test(value.dateTime)
    ? value.dateTime
    : `${value.dateTime.replace(/(\.\d{3})\d*$/, '$1')}Z`;
  return new Date(iso);
}

function utc(date: Date): { dateTime: string; timeZone: string } {
  return { dateTime: date.toISOString().replace('Z', ''), timeZone: 'UTC' };
}

function errorParts(error: unknown): { status: number | undefined; code: string | undefined } {
  const e = error as { statusCode?: number; code?: string };
  return { status: typeof e.statusCode === 'number' ? e.statusCode : undefined, code: e.code };
}

/**
 * Calendars through Microsoft Graph: free/busy for several people in one JSON batch (one
 * getSchedule per person, so one unknown mailbox does not sink the rest; throttled parts are
 * retried after their Retry-After, which the SDK does not do inside a batch), and the review
 * event created, moved and cancelled in the IRO's calendar.
 */
export function createGraphCalendarGateway(
  client: Client,
  options: { logger: Logger; maxRetries: number; sleep?: (ms: number) => Promise<void> },
): CalendarGateway {
  const sleep =
    options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  async function call<T>(target: GraphCall, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const { status, code } = errorParts(error);
      options.logger.warn({ graph: what, status, code }, 'Microsoft Graph call failed');
      throw graphFailure(status, code, target);
    }
  }

  async function batch(requests: (BatchPart & { id: string })[]) {
    const results = new Map<string, { status: number; body: unknown }>();
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const raw = await call(CALENDARS, '$batch', () =>
        client.api('/$batch').post({
          requests: pending.map((r) => ({
            ...r,
            // A part with a body must name its Content-Type (JSON batching).
            headers: {
              ...r.headers,
              ...(r.body === undefined ? {} : { 'Content-Type': 'application/json' }),
            },
          })),
        }),
      );
      const parsed = batchResponse.parse(raw);
      const retry: typeof pending = [];
      let waitSeconds = 0;
      for (const part of parsed.responses) {
        const request = pending.find((r) => r.id === part.id);
        if (!request) continue;
        if (RETRYABLE.has(part.status) && attempt < options.maxRetries) {
          retry.push(request);
          const header = Object.entries(part.headers ?? {}).find(
            ([k]) => k.toLowerCase() === 'retry-after',
          )?.[1];
          waitSeconds = Math.max(waitSeconds, Number(header) || 2 ** attempt);
          continue;
        }
        results.set(part.id, { status: part.status, body: part.body });
      }
      if (retry.length > 0) {
        options.logger.info(
          { parts: retry.length, waitSeconds },
          'Graph batch parts throttled; retrying them',
        );
        await sleep(waitSeconds * 1000);
      }
      pending = retry;
    }
    return results;
  }

  /**
   * One request per item, 20 to a batch; `each` gets every item of a batch with its part's reply
   * (undefined when none came back) before the next batch is sent, so a throw stops the rest.
   */
  async function batchEach<T>(
    items: readonly T[],
    request: (item: T) => BatchPart,
    each: (item: T, reply: { status: number; body: unknown } | undefined) => void,
  ): Promise<void> {
    for (let i = 0; i < items.length; i += BATCH_LIMIT) {
      const chunk = items.slice(i, i + BATCH_LIMIT);
      const results = await batch(
        chunk.map((item, n) => ({ id: String(n + 1), ...request(item) })),
      );
      chunk.forEach((item, n) => each(item, results.get(String(n + 1))));
    }
  }

  return {
    async busyTimes(emails, from, to) {
      const people = [...new Set(emails.map((e) => e.toLowerCase()))];
      const busy = new Map<string, Interval[]>();
      const unavailable: string[] = [];
      await batchEach(
        people,
        (email) => ({
          method: 'POST',
          url: `/users/${encodeURIComponent(email)}/calendar/getSchedule`,
          body: {
            schedules: [email],
            startTime: utc(from),
            endTime: utc(to),
            availabilityViewInterval: 30,
          },
        }),
        (email, result) => {
          const parsed =
            result?.status === 200 ? getScheduleResponse.safeParse(result.body) : undefined;
          const info = parsed?.success ? parsed.data.value[0] : undefined;
          if (!info || info.error) {
            if (result && result.status !== 200 && result.status !== 404) {
              const code = (result.body as { error?: { code?: string } } | undefined)?.error?.code;
              options.logger.warn(
                { graph: 'getSchedule', status: result.status, code },
                'free/busy unavailable',
              );
              if (
                result.status === 403 ||
                result.status === 401 ||
                RETRYABLE.has(result.status) ||
                result.status >= 500
              ) {
                throw graphFailure(result.status, code, CALENDARS);
              }
            }
            unavailable.push(email);
            return;
          }
          busy.set(
            email,
            (info.scheduleItems ?? [])
              .filter((item) => BUSY.has(item.status.toLowerCase()))
              .map((item) => ({ start: instantOf(item.start), end: instantOf(item.end) })),
          );
        },
      );
      return { busy, unavailable };
    },

    async createEvent(organiser, request: ReviewEventRequest): Promise<BookedEvent> {
      const raw = await call(YOUR_CALENDAR, 'create event', () =>
        client
          .api(`/users/${encodeURIComponent(organiser)}/events`)
          .headers(IMMUTABLE_IDS)
          .post({
            subject: request.subject,
            body: { contentType: 'html', content: request.bodyHtml },
            start: utc(request.start),
            end: utc(request.end),
            location: { displayName: request.venue },
            attendees: request.attendees.map((a) => ({
              type: 'required',
              emailAddress: { address: a.email, ...(a.name ? { name: a.name } : {}) },
            })),
            hideAttendees: request.hideAttendees,
            isOnlineMeeting: true,
            onlineMeetingProvider: 'teamsForBusiness',
            allowNewTimeProposals: true,
            transactionId: request.transactionId,
          }),
      );
      return booked(raw);
    },

    async moveEvent(organiser, eventId, change) {
      const raw = await call(YOUR_CALENDAR, 'update event', () =>
        client
          .api(`/users/${encodeURIComponent(organiser)}/events/${encodeURIComponent(eventId)}`)
          .headers(IMMUTABLE_IDS)
          .patch({
            start: utc(change.start),
            end: utc(change.end),
            ...(change.venue ? { location: { displayName: change.venue } } : {}),
            ...(change.hideAttendees ? { hideAttendees: true } : {}),
          }),
      );
      return booked(raw);
    },

    /**
     * Graph answers 202 with no body, sometimes declaring JSON (graph-client 3.0.7 then throws
     * while parsing nothing), so the reply is read raw and only its status counts. A 404 for the
     * event means an earlier cancel went through: the meeting is cancelled either way.
     */
    async cancelEvent(organiser, eventId, comment) {
      const response = await call(YOUR_CALENDAR, 'cancel event', () =>
        client
          .api(
            `/users/${encodeURIComponent(organiser)}/events/${encodeURIComponent(eventId)}/cancel`,
          )
          .headers(IMMUTABLE_IDS)
          .responseType(ResponseType.RAW)
          .post({ comment }),
      );
      const { status, text } = await rawReply(response);
      if (status >= 200 && status < 300) return;
      const parsed = text ? graphErrorBody.safeParse(safeJson(text)) : undefined;
      const code = parsed?.success ? parsed.data.error.code : undefined;
      if (status === 404 && code === 'ErrorItemNotFound') {
        options.logger.info({ graph: 'cancel event', status, code }, 'event was already cancelled');
        return;
      }
      options.logger.warn({ graph: 'cancel event', status, code }, 'Microsoft Graph call failed');
      throw graphFailure(status, code, YOUR_CALENDAR);
    },

    /**
     * POST /users/{id}/translateExchangeIds, restId to restImmutableEntryId (application
     * permission User.Read.All). An id the mailbox cannot translate comes back with errorDetails
     * in its convertIdResult, not as an HTTP error.
     */
    async immutableEventId(mailbox, restId) {
      const raw = await call(OUTLOOK_IDS, 'translate ids', () =>
        client.api(`/users/${encodeURIComponent(mailbox)}/translateExchangeIds`).post({
          inputIds: [restId],
          sourceIdType: 'restId',
          targetIdType: 'restImmutableEntryId',
        }),
      );
      const result = convertIdResponse.parse(raw).value[0];
      if (result?.targetId) return result.targetId;
      options.logger.info(
        { graph: 'translate ids', code: result?.errorDetails?.code ?? null },
        'Outlook item id not translated',
      );
      return null;
    },

    async readEvent(mailbox, eventId) {
      let raw: unknown;
      try {
        raw = await client
          .api(`/users/${encodeURIComponent(mailbox)}/events/${encodeURIComponent(eventId)}`)
          .headers(IMMUTABLE_IDS)
          .select(LINKED_EVENT_FIELDS)
          .get();
      } catch (error) {
        const { status, code } = errorParts(error);
        if (
          (status === 404 && code === 'ErrorItemNotFound') ||
          (status === 400 && code === 'ErrorInvalidIdMalformed')
        ) {
          return null;
        }
        options.logger.warn({ graph: 'read event', status, code }, 'Microsoft Graph call failed');
        throw graphFailure(status, code, YOUR_CALENDAR);
      }
      return calendarEvent(raw);
    },

    /**
     * Reads booked events, up to 20 in a JSON batch (GET /users/{id}/events/{id}, immutable
     * ids). An event that is not there (404 ErrorItemNotFound: deleted, or cancelled by its
     * organiser, which moves it to Deleted Items) is `gone`; a part that fails otherwise (a
     * malformed id among them) is `unreadable`, for another time.
     */
    async readEvents(items) {
      const readings: EventReading[] = [];
      const select = `$select=${LINKED_EVENT_FIELDS.join(',')}`;
      await batchEach(
        items,
        (item) => ({
          method: 'GET',
          url: `/users/${encodeURIComponent(item.mailbox)}/events/${encodeURIComponent(item.eventId)}?${select}`,
          headers: { ...IMMUTABLE_IDS },
        }),
        (_, result) => {
          const code = (result?.body as { error?: { code?: string } } | undefined)?.error?.code;
          if (result?.status === 200) {
            try {
              readings.push({ state: 'found', event: calendarEvent(result.body) });
              return;
            } catch (error) {
              if (!(error instanceof z.ZodError)) throw error;
            }
          } else if (result?.status === 404 && code === 'ErrorItemNotFound') {
            // Not "malformed id" too: a fault of ours in ids would otherwise cancel every booking.
            readings.push({ state: 'gone' });
            return;
          }
          options.logger.warn(
            { graph: 'read event', status: result?.status ?? null, code: code ?? null },
            'a booked event could not be read',
          );
          readings.push({ state: 'unreadable' });
        },
      );
      return readings;
    },

    async renameEvent(organiser, eventId, subject) {
      await call(YOUR_CALENDAR, 'rename event', () =>
        client
          .api(`/users/${encodeURIComponent(organiser)}/events/${encodeURIComponent(eventId)}`)
          .headers(IMMUTABLE_IDS)
          .patch({ subject }),
      );
    },
  };
}

function calendarEvent(raw: unknown): CalendarEvent {
  const event = linkedEventResponse.parse(raw);
  return {
    ...booked(event),
    subject: event.subject ?? '',
    isOrganizer: event.isOrganizer,
    isCancelled: event.isCancelled ?? false,
    isSeries: event.type === 'seriesMaster',
    venue: event.location?.displayName?.trim() || null,
    attendees: (event.attendees ?? [])
      .filter((a) => a.type !== 'resource')
      .map((a) => a.emailAddress?.address?.trim().toLowerCase() ?? '')
      .filter((address) => address !== ''),
  };
}

/** A raw reply from graph-client (ResponseType.RAW is the fetch Response): status and text. */
async function rawReply(response: unknown): Promise<{ status: number; text: string }> {
  if (!(response instanceof Response)) throw new TypeError('expected a fetch Response');
  return { status: response.status, text: await response.text() };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function booked(raw: unknown): BookedEvent {
  const event = eventResponse.parse(raw);
  return {
    eventId: event.id,
    iCalUId: event.iCalUId,
    joinUrl: event.onlineMeeting?.joinUrl ?? null,
    webLink: event.webLink ?? null,
    start: instantOf(event.start),
    end: instantOf(event.end),
  };
}
