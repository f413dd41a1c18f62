import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/bot/iro-bot.js';
import { createBot } from '../../src/bot/create-bot.js';
import { loadConfig } from '../../src/config.js';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { addDays, todayIn } from '../../src/domain/local-date.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { visibleChildIds } from '../../src/app/access/viewer-scope.js';
import { parseQuestion, type Question } from '../../src/app/questions/parse-question.js';
import type { CalendarGateway } from '../../src/app/scheduling/calendar-gateway.js';
import type { MeetingGateway } from '../../src/app/recording/meeting-gateway.js';
import type { StaffMember } from '../../src/app/ports.js';
import type { CardResponse, ReviewsResponse } from '../../src/tab/api-types.js';
import { createLogger } from '../../src/shared/logger.js';
import { BotHarness } from '../support/bot-harness.js';
import { EntraTestKeys } from '../support/entra-test-keys.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';
import {
  cardActionInvoke,
  messageActivity,
  type ConversationKind,
  type TeamsUser,
} from '../support/teams-activities.js';

/**
 * Walks every HTTP route and every card verb and chat command that names something, as each
 * role, with the ids of things that belong to other people and with ids nobody has. Nothing may
 * be stored or changed, and the answer about someone else's child (or their review, alert,
 * decision or midway check) must be exactly the answer about one that does not exist: nobody
 * learns from a refusal whether a CHILD id exists.
 */

const TZ = 'Europe/London';
const today = todayIn(TZ, new Date());

/** The ids one owner's things carry; the same shape for the other IRO's and for nobody's. */
interface Ids {
  child: string;
  heldReview: number;
  scheduledReview: number;
  alert: number;
  decision: number;
  check: number;
  event: string;
}

type Verb = keyof typeof ACTIONS;
const FUTURE_SLOT = new Date(Date.now() + 10 * 86_400_000).toISOString();
const KEY = '0b0f7e2c-1111-4222-8333-444455556666';

/** Every card verb, with the data a press carries; a verb without a row fails the test. */
const VERB_ROWS: Record<Verb, (ids: Ids) => Record<string, unknown>[]> = {
  'question.ask': (i) => [{ question: `alert for ${i.child}` }],
  'reviews.page': (i) => [{ question: `midway answers for ${i.child}`, page: 0 }],
  'question.askPrivately': (i) => [{ question: `schedule review for ${i.child}` }],
  'review.plan': (i) =>
    (['schedule', 'reschedule', 'cancel'] as const).map((mode) => ({ child: i.child, mode })),
  'review.schedule': (i) => [
    { child: i.child, transactionKey: KEY, slot: FUTURE_SLOT, duration: '60', venue: 'Home' },
  ],
  'review.reschedule': (i) => [
    { child: i.child, slot: FUTURE_SLOT, duration: '60', venue: 'Home', reason: 'Chair is ill' },
  ],
  'review.cancel': (i) => [{ child: i.child, reason: 'No longer needed' }],
  'participation.form': (i) => [
    { reviewId: i.heldReview },
    { reviewId: i.scheduledReview },
    { child: i.child },
    { child: i.child, recordKey: `review-${i.scheduledReview}` },
  ],
  'participation.record': (i) => [
    { reviewId: i.scheduledReview, heldOn: today, code: 'PN1', att_child: 'person' },
    { child: i.child, recordKey: KEY, heldOn: today, code: 'PN1', att_child: 'person' },
  ],
  'meeting.cancel': (i) => [{ reviewId: i.scheduledReview }],
  'meeting.keep': (i) => [{ reviewId: i.scheduledReview }],
  'midway.answer': (i) => [{ checkId: i.check, iroNote: 'All fine' }],
  'alert.form': (i) => [{ child: i.child }, { child: i.child, checkId: i.check }],
  'alert.raise': (i) => [{ child: i.child, issue: 'The plan has drifted' }],
  'alert.respond': (i) => [{ alertId: i.alert, stage: 'informal', response: 'Panel agreed' }],
  'alert.escalate': (i) => [{ alertId: i.alert, stage: 'informal', note: 'No progress' }],
  'alert.resolve': (i) => [{ alertId: i.alert, stage: 'informal', outcome: 'resolved' }],
  'decision.update': (i) => [{ decisionId: i.decision, status: 'done' }],
  'record.distributed': (i) => [{ reviewId: i.heldReview }],
};

/** Every chat command that names a child; a new kind with a child fails to compile without a row. */
type ChildCommand = Extract<Question, { child: string }>['kind'];
const COMMAND_ROWS: Record<ChildCommand, (child: string) => string> = {
  schedule: (c) => `schedule review for ${c}`,
  reschedule: (c) => `reschedule review for ${c}`,
  cancelReview: (c) => `cancel review for ${c}`,
  recordReview: (c) => `record review for ${c}`,
  midwayAnswers: (c) => `midway answers for ${c}`,
  raiseAlert: (c) => `raise alert for ${c}`,
  alertFor: (c) => `alert for ${c}`,
};

/** Commands whose refusal to a stranger to the child is "I can't find ... among the children you can see". */
const BOOKING = new Set<string>(['schedule', 'reschedule', 'cancelReview', 'recordReview']);

interface TabRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/**
 * Every route the server registers, as "METHOD path", with how the walk asks it. `ids: true`
 * routes name something (a child, a meeting) and are asked with the other IRO's ids and with
 * nobody's; `access` says who may use the route at all.
 */
const ROUTE_ROWS: Record<
  string,
  {
    access: 'public' | 'staff' | 'cli' | 'bot' | 'demoOnly';
    requests: (ids: Ids) => TabRequest[];
    ids?: true;
  }
> = {
  'GET /healthz': { access: 'public', requests: () => [{ method: 'GET', path: '/healthz' }] },
  'POST /api/messages': { access: 'bot', requests: () => [] },
  'GET /addin/:file': {
    access: 'public',
    requests: () => [{ method: 'GET', path: '/addin/secrets.txt' }],
  },
  'GET /tab': { access: 'public', requests: () => [] },
  'GET /tab/': { access: 'public', requests: () => [] },
  'GET /tab/:file': {
    access: 'public',
    requests: () => [{ method: 'GET', path: '/tab/secrets.txt' }],
  },
  'GET /api/tab/config': {
    access: 'public',
    requests: () => [{ method: 'GET', path: '/api/tab/config' }],
  },
  'GET /api/tab/demo/users': {
    access: 'demoOnly',
    requests: () => [{ method: 'GET', path: '/api/tab/demo/users' }],
  },
  'POST /api/tab/demo/sign-in': {
    access: 'demoOnly',
    requests: () => [
      {
        method: 'POST',
        path: '/api/tab/demo/sign-in',
        body: { email: PLAYGROUND_USERS.iro.email },
      },
    ],
  },
  'GET /api/tab/me': { access: 'staff', requests: () => [{ method: 'GET', path: '/api/tab/me' }] },
  'GET /api/tab/reviews': {
    access: 'staff',
    requests: () => [
      {
        method: 'GET',
        path: `/api/tab/reviews?from=${addDays(today, -3650)}&to=${addDays(today, 365)}`,
      },
    ],
  },
  'GET /api/tab/caseload': {
    access: 'staff',
    requests: () => [
      { method: 'GET', path: `/api/tab/caseload?from=${addDays(today, -300)}&to=${today}` },
    ],
  },
  'GET /api/tab/annual-report': {
    access: 'staff',
    requests: () => [
      { method: 'GET', path: `/api/tab/annual-report?from=${addDays(today, -300)}&to=${today}` },
    ],
  },
  'GET /api/tab/annual-report.csv': {
    access: 'staff',
    requests: () => [
      {
        method: 'GET',
        path: `/api/tab/annual-report.csv?from=${addDays(today, -300)}&to=${today}`,
      },
    ],
  },
  'GET /api/tab/children/:childId': {
    access: 'staff',
    ids: true,
    requests: (i) => [
      { method: 'GET', path: `/api/tab/children/${i.child}` },
      { method: 'GET', path: `/api/tab/children/${i.child.toLowerCase()}` },
    ],
  },
  'GET /api/tab/children/:childId/schedule': {
    access: 'staff',
    ids: true,
    requests: (i) =>
      ['schedule', 'reschedule', 'cancel'].map((mode) => ({
        method: 'GET' as const,
        path: `/api/tab/children/${i.child}/schedule?mode=${mode}`,
      })),
  },
  'POST /api/tab/cards/scheduling': {
    access: 'staff',
    ids: true,
    requests: (i) =>
      (['review.plan', 'review.schedule', 'review.reschedule', 'review.cancel'] as const).flatMap(
        (verb) =>
          VERB_ROWS[verb](i).map((data) => ({
            method: 'POST' as const,
            path: '/api/tab/cards/scheduling',
            body: { verb, data },
          })),
      ),
  },
  'GET /api/tab/outlook/subject': {
    access: 'staff',
    ids: true,
    requests: (i) => [{ method: 'GET', path: `/api/tab/outlook/subject?childId=${i.child}` }],
  },
  'POST /api/tab/outlook/link': {
    access: 'staff',
    ids: true,
    requests: (i) => [
      {
        method: 'POST',
        path: '/api/tab/outlook/link',
        body: { childId: i.child, eventId: i.event },
      },
    ],
  },
  'POST /internal/cli': {
    access: 'cli',
    requests: () => [
      { method: 'POST', path: '/internal/cli', body: { argv: ['stats'], cwd: '/tmp' } },
    ],
  },
};

/** The routes an express app registers, as "METHOD path", through its nested routers. */
function registeredRoutes(router: unknown): string[] {
  const found: string[] = [];
  const stack = (router as { stack?: unknown[] }).stack ?? [];
  for (const layer of stack as {
    route?: { path: string | string[]; methods: Record<string, boolean> };
    handle?: unknown;
  }[]) {
    if (layer.route) {
      for (const path of [layer.route.path].flat())
        for (const method of Object.keys(layer.route.methods))
          if (method !== '_all') found.push(`${method.toUpperCase()} ${path}`);
    } else if (layer.handle && Array.isArray((layer.handle as { stack?: unknown }).stack)) {
      found.push(...registeredRoutes(layer.handle));
    }
  }
  return found;
}

/** An Outlook REST id of the same length and alphabet as `id`, that is not `id`. */
function otherEventId(id: string): string {
  const at = Math.floor(id.length / 2);
  return `${id.slice(0, at)}${id[at] === 'Q' ? 'R' : 'Q'}${id.slice(at + 1)}`;
}

/** Where a card or an answer carries a numeric id: its key, then the number. */
const NUMERIC_ID_KEYS: Record<string, string> = {
  heldReview: 'reviewId',
  scheduledReview: 'reviewId',
  alert: 'alertId',
  decision: 'decisionId',
  check: 'checkId',
};

/** What an answer says once the things that differ on every call are taken out. */
function normalised(text: string, ids: Ids): string {
  let out = text.replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
    '<uuid>',
  );
  for (const [kind, value] of Object.entries(ids)) {
    const key = NUMERIC_ID_KEYS[kind];
    if (key) {
      const where = `${key}[\\\\"]*:[\\\\"]*|review-`;
      out = out.replace(new RegExp(`(${where})${value}(?![0-9])`, 'g'), `$1<${kind}>`);
      continue;
    }
    const escaped = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'gi'), `<${kind}>`);
  }
  return out;
}

/** Everyone the walk acts as: each test below runs once per name. */
const ROLE_NAMES = [
  'iro',
  'socialWorker',
  'teamManager',
  'iroTeamManager',
  'headOfService',
  'otherTeam',
  'notInStaffList',
  'noToken',
] as const;

interface Role {
  name: (typeof ROLE_NAMES)[number];
  /** The Teams user (no Entra object id for "no token"). */
  user: TeamsUser;
  /** Their tab token, or none. */
  token: () => Promise<string | undefined>;
  /** The staff member, when they are one. */
  staff?: StaffMember;
}

const TABLES = [
  'reviews',
  'review_attendance',
  'review_decisions',
  'decision_progress',
  'escalations',
  'escalation_steps',
  'midway_checks',
  'audit_log',
  'allocations',
  'children',
  'review_status',
  'jobs',
  'staff',
];

describe('every route and card verb, as every role, with other people’s ids', () => {
  const harness = new BotHarness();
  const keys = new EntraTestKeys();
  let graph: SimulatorControl;
  const db = () => harness.server.services.store.db;
  let staff: StaffMember[] = [];
  let otherIro: StaffMember;
  let otherIroUser: TeamsUser;
  let foreign: Ids;
  let nobodys: Ids;
  let roles: Role[] = [];
  /** The CHILD ids each role may see. */
  const visible = new Map<string, Set<string>>();
  /** The foreign child's name and date of birth, which no refusal may carry. */
  let personal: string[] = [];

  const tabCall = async (request: TabRequest, token: string | undefined, method?: string) => {
    const verb = method ?? request.method;
    const body = request.body !== undefined && verb !== 'GET' ? request.body : undefined;
    const response = await fetch(`${harness.server.url}${request.path}`, {
      method: verb,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, text: await response.text() };
  };

  const snapshot = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const row = await sql<{ digest: string | null; n: string }>`
        select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest,
          count(*)::text as n from ${sql.table(table)} t`.execute(db());
      out[table] = `${row.rows[0]?.n}:${row.rows[0]?.digest}`;
    }
    out['events'] = JSON.stringify(
      (await graph.events()).map((e) => [e.id, e.isCancelled, e['start'], e['end']]).sort(),
    );
    return out;
  };

  /** A bot turn: the invoke's answer and whatever the bot sent, as text. */
  const botTurn = async (
    user: TeamsUser,
    conversation: ConversationKind,
    turn: { verb: string; data: Record<string, unknown>; submit?: true } | { text: string },
  ): Promise<string> => {
    const mark = harness.connector.sent.length;
    const url = harness.connector.url;
    const activity =
      'text' in turn
        ? messageActivity(url, user, conversation, turn.text)
        : turn.submit
          ? // Action.Submit, the fallback of older clients: a message whose value has the verb.
            {
              ...messageActivity(url, user, conversation, ''),
              value: { verb: turn.verb, ...turn.data },
            }
          : cardActionInvoke(url, user, conversation, turn.verb, turn.data);
    const response = await harness.post(activity);
    const body = await response.text();
    const sent = harness.connector
      .since(mark)
      .map((s) => [s.conversationId, s.activity.text ?? '', s.activity.attachments ?? []]);
    return JSON.stringify({ status: response.status, body, sent });
  };

  beforeAll(async () => {
    await keys.start();
    // No rate limit: a limited walk would compare "please wait" with "please wait".
    await harness.start({ ...keys.env(), RATE_LIMIT_PER_MINUTE: '0' });
    graph = new SimulatorControl(harness.server.graphUrl);
    const { cases } = harness.server.services;
    staff = await cases.listStaff();
    const allocations = await cases.listOpenAllocations();
    const teamOf = (email: string | undefined) => staff.find((s) => s.email === email)?.team;
    const swTeam = teamOf(PLAYGROUND_USERS.socialWorker.email);
    const otherTeamSw = staff.find(
      (s) => s.role === 'social_worker' && s.aadObjectId && s.team && s.team !== swTeam,
    ) as StaffMember;
    expect(otherTeamSw).toBeDefined();
    // Another IRO's child: its social worker in a third team; due in 3 to 12 weeks.
    const candidates = await sql<{ childId: string; swEmail: string; iroEmail: string }>`
      select s.child_id as "childId", sw.staff_email as "swEmail", iro.staff_email as "iroEmail"
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where iro.staff_email <> ${PLAYGROUND_USERS.iro.email} and s.period_end is null
        and not s.short_break and s.last_review_on is not null
        and s.next_due_on between ${addDays(today, 21)} and ${addDays(today, 84)}
      order by s.child_id`.execute(db());
    const child = candidates.rows.find(
      (c) =>
        ![swTeam, otherTeamSw.team].includes(teamOf(c.swEmail)) &&
        staff.some((s) => s.email === c.iroEmail && s.aadObjectId),
    );
    expect(child).toBeDefined();
    otherIro = staff.find((s) => s.email === child?.iroEmail) as StaffMember;
    otherIroUser = { id: '29:other-iro', name: otherIro.name, aadObjectId: otherIro.aadObjectId! };
    const childId = child?.childId as string;

    // Things of that child, made through the real flows where there is one.
    const otherToken = await keys.token(otherIro.aadObjectId!);
    const opened = await tabCall(
      { method: 'GET', path: `/api/tab/children/${childId}/schedule` },
      otherToken,
    );
    expect(opened.status).toBe(200);
    const cardText = JSON.stringify((JSON.parse(opened.text) as CardResponse).card);
    const action = /"verb":"review\.schedule","data":(\{[^}]*\})/.exec(cardText);
    const slot = /"id":"slot"[^\]]*"choices":\[\{"title":"[^"]*","value":"([^"]+)"/.exec(cardText);
    const booked = await tabCall(
      {
        method: 'POST',
        path: '/api/tab/cards/scheduling',
        body: {
          verb: 'review.schedule',
          data: {
            ...(JSON.parse(action?.[1] as string) as Record<string, unknown>),
            slot: slot?.[1],
            duration: '60',
            venue: 'The foster home',
            inviteSocialWorker: 'true',
          },
        },
      },
      otherToken,
    );
    expect(booked.text).toContain('Review booked');
    const scheduled = await harness.server.services.scheduledReviews.findScheduled(childId);
    expect(scheduled).toBeDefined();
    const raised = await harness.press(
      otherIroUser,
      { type: 'personal', id: 'a:other-iro' },
      'alert.raise',
      { child: childId, issue: 'No placement found in 3 months' },
    );
    expect(JSON.stringify(raised)).toContain('Practice alert raised');
    const alert = await db()
      .selectFrom('escalations')
      .select('id')
      .where('childId', '=', childId)
      .executeTakeFirstOrThrow();
    const held = await db()
      .selectFrom('reviews')
      .select(({ fn }) => fn.max('id').as('id'))
      .where('childId', '=', childId)
      .where('status', '=', 'held')
      .executeTakeFirstOrThrow();
    const heldReview = Number(held.id);
    const decision = await db()
      .insertInto('reviewDecisions')
      .values({
        reviewId: heldReview,
        description: 'Find a therapeutic placement',
        ownerEmail: child?.swEmail as string,
        dueOn: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const check = await db()
      .insertInto('midwayChecks')
      .values({
        reviewId: heldReview,
        childId,
        midwayOn: today,
        swEmail: child?.swEmail as string,
        iroEmail: otherIro.email,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    foreign = {
      child: childId,
      heldReview,
      scheduledReview: scheduled?.id as number,
      alert: alert.id,
      decision: decision.id,
      check: check.id,
      event: scheduled?.eventId as string,
    };

    // Ids of the same shape that nothing has.
    const known = new Set(
      (await db().selectFrom('children').select('childId').execute()).map((c) => c.childId),
    );
    let missing = childId;
    for (let n = 1; known.has(missing); n += 1) {
      missing = childId.replace(/\d+$/, (d) =>
        String((Number(d) + n * 7919) % 10 ** d.length).padStart(d.length, '0'),
      );
    }
    const far = 1_000_000;
    nobodys = {
      child: missing,
      heldReview: heldReview + far,
      scheduledReview: foreign.scheduledReview + far,
      alert: alert.id + far,
      decision: decision.id + far,
      check: check.id + far,
      event: otherEventId(foreign.event),
    };
    expect(nobodys.event).not.toBe(foreign.event);

    const row = await db()
      .selectFrom('children')
      .select(['firstName', 'lastName', 'dob'])
      .where('childId', '=', childId)
      .executeTakeFirstOrThrow();
    const dob = String(row.dob);
    personal = [row.firstName, row.lastName, dob, dob.split('-').reverse().join('/')].filter(
      (p): p is string => Boolean(p && p.length > 1),
    );

    const person = (email: string) => staff.find((s) => s.email === email) as StaffMember;
    const asStaff = (name: Role['name'], s: StaffMember): Role => ({
      name,
      user: { id: `29:${name}`, name: s.name, aadObjectId: s.aadObjectId! },
      token: () => keys.token(s.aadObjectId!),
      staff: s,
    });
    const strangerId = '99999999-0000-4000-8000-000000000099';
    roles = [
      asStaff('iro', person(PLAYGROUND_USERS.iro.email)),
      asStaff('socialWorker', person(PLAYGROUND_USERS.socialWorker.email)),
      asStaff('teamManager', person(PLAYGROUND_USERS.socialWorkTeamManager.email)),
      asStaff('iroTeamManager', person(PLAYGROUND_USERS.teamManager.email)),
      asStaff('headOfService', person(PLAYGROUND_USERS.headOfService.email)),
      asStaff('otherTeam', otherTeamSw),
      {
        name: 'notInStaffList',
        user: { id: '29:stranger', name: 'Stranger', aadObjectId: strangerId },
        token: () => keys.token(strangerId),
      },
      {
        name: 'noToken',
        user: { id: '29:guest', name: 'Guest' },
        token: () => Promise.resolve(undefined),
      },
    ];
    for (const role of roles) {
      visible.set(
        role.name,
        role.staff ? visibleChildIds(role.staff, staff, allocations) : new Set(),
      );
      await harness.ask(role.user, { type: 'personal', id: `a:${role.name}` }, 'hello');
    }
    // The walk needs someone to whom the other IRO's child is a stranger, in each kind of role.
    for (const name of ['iro', 'socialWorker', 'teamManager', 'otherTeam', 'notInStaffList']) {
      expect(visible.get(name)?.has(childId), name).toBe(false);
    }
  }, 120_000);
  afterAll(async () => {
    await harness.stop();
    await keys.stop();
  });

  it('has a row for every route the server registers, every card verb and every child command', () => {
    const unused = new Proxy(
      {},
      {
        get() {
          throw new Error('not called while listing routes');
        },
      },
    );
    const config = loadConfig({ DATA_DIR: harness.dataDir, PORT: '0' });
    const bot = createBot(
      config,
      harness.server.services,
      {
        calendarGateway: unused as CalendarGateway,
        meetingGateway: unused as MeetingGateway,
      },
      createLogger('silent'),
    );
    const app = createHttpApp({
      services: harness.server.services,
      bot,
      logger: createLogger('silent'),
      cliToken: () => undefined,
      tab: { auth: undefined, timeZone: TZ, files: () => Promise.reject(new Error('unused')) },
      addin: {
        calendarGateway: unused as CalendarGateway,
        files: () => Promise.reject(new Error('unused')),
      },
    });
    const routes = [...new Set(registeredRoutes(app.router))].sort();
    expect(routes).toEqual(Object.keys(ROUTE_ROWS).sort());
    expect(Object.keys(VERB_ROWS).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const [kind, command] of Object.entries(COMMAND_ROWS)) {
      expect(parseQuestion(command('Q12345'), today)).toEqual({ kind, child: 'Q12345' });
    }
  });

  /** What the walk found wrong, reported all together. */
  let problems: string[] = [];
  const sameAnswer = (role: string, what: string, mine: string, theirs: string) => {
    const a = normalised(mine, foreign);
    const b = normalised(theirs, nobodys);
    if (a === b) return;
    let at = 0;
    while (a[at] === b[at]) at += 1;
    problems.push(
      `${role}: ${what}: someone else's id answers\n  ${a.slice(Math.max(0, at - 80), at + 160)}\n  but nobody's id answers\n  ${b.slice(Math.max(0, at - 80), at + 160)}`,
    );
  };
  const noPersonalData = (role: string, what: string, answer: string) => {
    for (const p of personal)
      if (answer.includes(p)) problems.push(`${role}: ${what}: the answer names the child`);
  };

  it.each(ROLE_NAMES)(
    'presses every verb and says every child command as %s, and learns nothing',
    async (name) => {
      const role = roles.find((r) => r.name === name) as Role;
      const stranger = !visible.get(name)?.has(foreign.child);
      problems = [];
      const before = await snapshot();
      const conversations: ConversationKind[] = [
        { type: 'personal', id: `a:${name}` },
        { type: 'groupChat', id: `19:walk-${name}@thread.v2` },
      ];
      harness.connector.setMembers(conversations[1]!.id, [
        { id: role.user.id, name: role.user.name, aadObjectId: role.user.aadObjectId ?? '' },
      ]);
      for (const conversation of conversations) {
        for (const verb of Object.keys(VERB_ROWS) as Verb[]) {
          const theirs = VERB_ROWS[verb](foreign);
          const none = VERB_ROWS[verb](nobodys);
          for (const [i, data] of theirs.entries()) {
            const what = `${conversation.type} ${verb} ${JSON.stringify(data)}`;
            const a = await botTurn(role.user, conversation, { verb, data });
            const b = await botTurn(role.user, conversation, { verb, data: none[i]! });
            if (stranger) {
              sameAnswer(name, what, a, b);
              noPersonalData(name, what, a);
            }
            if (conversation.type !== 'personal') continue;
            const submitted = await botTurn(role.user, conversation, { verb, data, submit: true });
            const nobody = await botTurn(role.user, conversation, {
              verb,
              data: none[i]!,
              submit: true,
            });
            if (stranger) sameAnswer(name, `${what} (Action.Submit)`, submitted, nobody);
          }
        }
        for (const [kind, command] of Object.entries(COMMAND_ROWS)) {
          const what = `${conversation.type} "${kind}"`;
          const a = await botTurn(role.user, conversation, { text: command(foreign.child) });
          const b = await botTurn(role.user, conversation, { text: command(nobodys.child) });
          const lower = await botTurn(role.user, conversation, {
            text: command(foreign.child.toLowerCase()),
          });
          if (stranger) {
            sameAnswer(name, what, a, b);
            sameAnswer(name, `${what} in lower case`, lower, b);
            noPersonalData(name, what, a);
          }
          // The refusal says what the person can do.
          if (stranger && role.staff && conversation.type === 'personal' && BOOKING.has(kind)) {
            expect(a, what).toContain(
              `I can't find ${foreign.child} among the children you can see`,
            );
            expect(a, what).toContain("or ask the child's IRO");
          }
        }
      }
      expect(problems).toEqual([]);
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(ROLE_NAMES)(
    'calls every route with every method as %s, and learns nothing',
    async (name) => {
      const role = roles.find((r) => r.name === name) as Role;
      const stranger = !visible.get(name)?.has(foreign.child);
      const token = await role.token();
      problems = [];
      const before = await snapshot();
      const nothingHere = await tabCall({ method: 'GET', path: '/api/tab/no-such-route' }, token);
      expect(nothingHere.status).toBe(404);
      for (const [route, row] of Object.entries(ROUTE_ROWS)) {
        const theirs = row.requests(foreign);
        const none = row.requests(nobodys);
        for (const [i, request] of theirs.entries()) {
          const what = `${route} ${request.path}`;
          const a = await tabCall(request, token);
          const b = await tabCall(none[i] as TabRequest, token);
          if (row.ids && stranger) {
            sameAnswer(name, what, a.text, b.text);
            expect(a.status, what).toBe(b.status);
            expect(a.status, what).toBeGreaterThanOrEqual(400);
          }
          if (a.status >= 400) {
            noPersonalData(name, what, a.text);
            expect(Object.keys(JSON.parse(a.text) as object).sort(), what).toEqual([
              'correlationId',
              'error',
            ]);
          }
          if (row.access === 'staff' && !role.staff) expect(a.status, what).toBe(token ? 403 : 401);
          if (row.access === 'cli') expect(a.status, what).toBe(403);
          if (row.access === 'demoOnly') expect(a.status, what).toBe(404);
          if (route === 'GET /api/tab/reviews' && a.status === 200) {
            const body = JSON.parse(a.text) as ReviewsResponse;
            const shown = [...body.due, ...body.overdue].map((r) => r.childId);
            expect(
              shown.filter((c) => !visible.get(name)?.has(c)),
              what,
            ).toEqual([]);
          }
          if (route === 'GET /api/tab/caseload' && role.staff) {
            expect(a.status, what).toBe(
              ['team_manager', 'service_manager'].includes(role.staff.role) ? 200 : 403,
            );
          }
          // Any other method: the same 404 as a path that does not exist, names nothing.
          for (const method of ['PUT', 'DELETE', 'PATCH', 'GET', 'POST']) {
            if (method === request.method || ROUTE_ROWS[`${method} ${route.split(' ')[1]}`])
              continue;
            const other = await tabCall(request, token, method);
            expect(other.status, `${method} ${request.path}`).toBe(404);
            expect(other.text.replace(/"correlationId":"[^"]+"/, '')).toBe(
              nothingHere.text.replace(/"correlationId":"[^"]+"/, ''),
            );
          }
        }
      }
      expect(problems).toEqual([]);
      expect(await snapshot()).toEqual(before);
    },
  );
});
