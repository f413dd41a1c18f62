import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { CHILD_ID } from '../app/import/parse-extract.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../app/errors.js';
import { iroEmailsInScope, isManager } from '../app/access/viewer-scope.js';
import { childLabel } from '../app/case-view.js';
import { childPage, type ChildPageDeps } from '../app/child-page.js';
import { annualReport, annualReportCsv } from '../app/annual-report-sections.js';
import { bookingIsUrgent, reportScopeLabel, scopeLabel } from '../app/questions/answer-question.js';
import {
  caseloadView,
  rangeProblem,
  reviewsView,
  reviewState,
  viewerOf,
  type DashboardDeps,
  type Viewer,
} from '../app/dashboard/dashboard.js';
import { parseIsoDate, type LocalDate } from '../domain/local-date.js';
import { percent } from '../domain/timeliness.js';
import type { ListedReview } from '../app/questions/answer-question.js';
import type {
  AnnualReportResponse,
  CardResponse,
  CaseloadResponse,
  ChildPage,
  DemoSignIn,
  DemoUsers,
  Me,
  ReviewRow,
  ReviewsResponse,
  TabConfig,
} from '../tab/api-types.js';
import type { Logger } from '../shared/logger.js';
import {
  isSchedulingVerb,
  SCHEDULING_ACTIONS,
  type SchedulingFlow,
} from '../bot/scheduling-flow.js';
import { jsonObjectBody } from './json-body.js';
import { limitCaller, perClientAddress } from './rate-limit.js';
import type { RateLimits } from '../app/rate-limits.js';
import { builtFileServer, type BuiltFiles } from './built-files.js';
import {
  bearerToken,
  ENTRA_LOGIN,
  NotSignedInError,
  SSO_SCOPE,
  type TabAuthenticator,
} from './tab-auth.js';

/** The tab's files (index.html and its bundle), built once per process when first asked for. */
export type TabFiles = BuiltFiles;

export interface TabRouteDeps {
  dashboard: DashboardDeps;
  /** Undefined when the tab's sign-in is not configured (Entra on, but no tenant known). */
  auth: TabAuthenticator | undefined;
  timeZone: string;
  /** The App ID URI of the tab's API, for the Outlook pane's token request (SSO_APP_ID_URI). */
  appIdUri?: string | undefined;
  files: TabFiles;
  logger: Logger;
  childPage: ChildPageDeps;
  /** The chat's scheduling cards and use cases, which the tab's dialog shows as they are. */
  scheduling: Pick<SchedulingFlow, 'open' | 'act'>;
  /** Each signed-in caller's requests per minute (and the demo sign-in's, per client address). */
  rateLimits?: RateLimits | undefined;
}

/**
 * Where Teams, Outlook and the Microsoft 365 app frame a tab (Microsoft's tab requirements, kept
 * with the older hosts while the move to *.cloud.microsoft goes on).
 */
export const TAB_FRAME_ANCESTORS = [
  "'self'",
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
];

const TAB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Fluent UI writes its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // teams-js reads its list of host origins from Microsoft's CDN (it falls back to a bundled list).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${TAB_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const NOT_REGISTERED =
  "You are not in IRO Assistant's staff list. Ask your data team to add you (Staff.csv, with your Entra object id).";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .transform((text, ctx) => {
    const date = parseIsoDate(text);
    if (!date) ctx.addIssue({ code: 'custom', message: 'is not a real date' });
    return date as LocalDate;
  });

const rangeQuery = z.object({ from: isoDate, to: isoDate });

function rangeOf(req: Request): { from: LocalDate; to: LocalDate } {
  const parsed = rangeQuery.safeParse(req.query);
  if (!parsed.success) {
    throw new ValidationError(
      'Give the period as ?from=YYYY-MM-DD&to=YYYY-MM-DD, with real dates (for example from=2026-04-01&to=2027-03-31).',
    );
  }
  const problem = rangeProblem(parsed.data.from, parsed.data.to);
  if (problem) throw new ValidationError(problem);
  return parsed.data;
}

function reviewRow(r: ListedReview, today: LocalDate): ReviewRow {
  return {
    childId: r.child,
    label: childLabel(r.initials, r.child),
    initials: r.initials,
    dueDate: r.dueDate,
    kind: r.kind,
    daysLeft: r.daysLeft,
    midwayDate: r.midwayDate,
    shortBreak: r.shortBreak,
    iroEmail: r.iro,
    iroName: r.iroName,
    scheduledStart: r.scheduledStart?.toISOString() ?? null,
    needsScheduling: r.needsScheduling,
    urgentScheduling: r.needsScheduling && r.dueDate !== null && bookingIsUrgent(today, r.dueDate),
    holdBy: r.holdBy,
    canSchedule: r.canSchedule,
    state: reviewState(r),
  };
}

type Handler = (req: Request, res: Response, viewer: Viewer & { demo: boolean }) => Promise<void>;

/**
 * Wraps a route of the tab's API (or the Outlook add-in's): checks the bearer token and finds
 * the caller in the staff list, then runs the route.
 */
export function signedInWith(deps: Pick<TabRouteDeps, 'auth' | 'dashboard' | 'rateLimits'>) {
  return (handler: Handler) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        if (!deps.auth) {
          throw new NotSignedInError(
            "The tab's sign-in is not set up on this server: its administrator must set SSO_CLIENT_ID and SSO_TENANT_ID.",
          );
        }
        const token = bearerToken(req.headers.authorization);
        if (!token) throw new NotSignedInError('Sign in first: this needs your sign-in token.');
        const identity = await deps.auth.verify(token);
        await limitCaller(deps.rateLimits, 'tab', identity.objectId);
        const viewer = await viewerOf(deps.dashboard, identity.objectId);
        if (!viewer) throw new ForbiddenError(NOT_REGISTERED);
        await handler(req, res, { ...viewer, demo: identity.demo });
      } catch (error) {
        if (error instanceof NotSignedInError) res.set('WWW-Authenticate', 'Bearer');
        next(error);
      }
    };
}

/**
 * The tab: its files under /tab, and its API under /api/tab. Every API route but the sign-in ones
 * checks the bearer token and finds the caller in the staff list afresh; what it answers is
 * limited to the children the caller's role lets them see, exactly as the bot's answers are.
 */
export function tabRoutes(deps: TabRouteDeps): Router {
  const router = express.Router();

  const tabFile = builtFileServer(deps.files, TAB_CSP);
  router.get(['/tab', '/tab/'], (_req, res, next) => void tabFile('index.html', res, next));
  router.get('/tab/:file', (req, res, next) => {
    const name = req.params.file;
    if (!/^[A-Za-z0-9-]+\.(js|css|html|svg|png)$/.test(name)) {
      next(new NotFoundError('There is nothing here.'));
      return;
    }
    void tabFile(name, res, next);
  });

  router.get('/api/tab/config', (_req, res) => {
    const entra = deps.auth?.entra;
    const body: TabConfig = {
      auth: deps.auth?.mode ?? 'entra',
      timeZone: deps.timeZone,
      ...(deps.auth?.mode === 'demo'
        ? {}
        : {
            sso:
              entra && deps.appIdUri
                ? {
                    clientId: entra.clientId,
                    authority: `${ENTRA_LOGIN}/${entra.tenantId}`,
                    scopes: [`${deps.appIdUri}/${SSO_SCOPE}`],
                  }
                : null,
          }),
    };
    res.json(body);
  });

  const demoOnly = (next: NextFunction): TabAuthenticator | undefined => {
    if (deps.auth?.mode === 'demo') return deps.auth;
    next(new NotFoundError('There is nothing here.'));
    return undefined;
  };

  // Only in demo mode, and then counted per client address: these work before anyone signs in.
  const demoLimit: ReturnType<typeof perClientAddress>[] = [
    (_req, _res, next) => {
      if (demoOnly(next)) next();
    },
    perClientAddress(deps.rateLimits, 'demo'),
  ];
  router.get('/api/tab/demo/users', ...demoLimit, async (_req, res, next) => {
    if (!demoOnly(next)) return;
    try {
      const staff = await deps.dashboard.cases.listStaff();
      const body: DemoUsers = {
        users: staff
          .filter((s) => s.aadObjectId && s.role !== 'admin')
          .map((s) => ({ email: s.email, name: s.name, role: s.role, team: s.team }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
      res.json(body);
    } catch (error) {
      next(error);
    }
  });

  const signInBody = z.object({ email: z.string().min(3).max(320) });
  router.post(
    '/api/tab/demo/sign-in',
    ...demoLimit,
    ...jsonObjectBody('2kb'),
    async (req, res, next) => {
      const auth = demoOnly(next);
      if (!auth) return;
      try {
        const parsed = signInBody.safeParse(req.body);
        if (!parsed.success)
          throw new ValidationError('Send { "email": "<a demo user\'s e-mail>" }.');
        const email = parsed.data.email.trim().toLowerCase();
        const person = (await deps.dashboard.cases.listStaff()).find((s) => s.email === email);
        if (!person?.aadObjectId || person.role === 'admin') {
          throw new ValidationError('Pick one of the demo users listed.');
        }
        const issued = await auth.issueDemoToken(person.aadObjectId);
        const body: DemoSignIn = { token: issued.token, expiresAt: issued.expiresAt.toISOString() };
        res.json(body);
      } catch (error) {
        next(error);
      }
    },
  );

  const signedIn = signedInWith(deps);

  router.get(
    '/api/tab/me',
    signedIn(async (_req, res, viewer) => {
      const body: Me = {
        email: viewer.person.email,
        name: viewer.person.name,
        role: viewer.person.role,
        team: viewer.person.team,
        today: viewer.today,
        isManager: isManager(viewer.person),
        demo: viewer.demo,
      };
      res.json(body);
    }),
  );

  router.get(
    '/api/tab/reviews',
    signedIn(async (req, res, viewer) => {
      const range = rangeOf(req);
      const view = await reviewsView(deps.dashboard, viewer, range);
      if (!view) throw new ForbiddenError(NOT_REGISTERED);
      const body: ReviewsResponse = {
        from: view.from,
        to: view.to,
        today: view.today,
        showIro: view.showIro,
        due: view.due.map((r) => reviewRow(r, view.today)),
        overdue: view.overdue.map((r) => reviewRow(r, view.today)),
      };
      res.json(body);
    }),
  );

  router.get(
    '/api/tab/caseload',
    signedIn(async (req, res, viewer) => {
      const range = rangeOf(req);
      const outcome = await caseloadView(deps.dashboard, viewer, range);
      if (outcome.kind === 'notManager') {
        throw new ForbiddenError(
          'The caseload page is for team and service managers. Your own children are under My reviews.',
        );
      }
      const v = outcome.view;
      const f = v.figures;
      const body: CaseloadResponse = {
        scopeLabel: v.scopeLabel,
        asOf: v.asOf,
        from: v.from,
        to: v.to,
        guidance: { min: 50, max: 70 },
        iros: v.iros.map((r) => ({
          email: r.iro,
          name: r.name,
          children: r.children,
          shortBreaks: r.shortBreaks,
          fte: r.fte,
          perFte: r.perFte,
          band: r.band,
          dueThisMonth: r.dueThisMonth,
          overdue: r.overdue,
          timelinessPercent: r.timelinessPercent,
          reviewsHeld: r.reviewsHeld,
        })),
        children: v.children,
        shortBreaks: v.shortBreaks,
        dueThisMonth: v.dueThisMonth,
        overdue: v.overdue,
        dueUnknown: v.dueUnknown,
        reviewsHeld: f.reviewsHeld,
        timelinessPercent: f.timelinessPercent,
        otherReviews: v.otherReviews,
        participation: f.participation,
        attendance: {
          mother: f.recordedReviews.attended.mother,
          father: f.recordedReviews.attended.father,
          otherFamily: f.recordedReviews.attended.otherFamily,
          reviews: f.recordedReviews.attendanceRecorded,
        },
        alertsOpenByStage: v.followUp.alerts.open,
        byMonth: f.byMonth.map((m) => ({
          month: m.month,
          reviewsHeld: m.reviewsHeld,
          reviewsAssessed: m.reviewsAssessed,
          reviewsOnTime: m.reviewsOnTime,
          timelinessPercent: percent(m.reviewsOnTime, m.reviewsAssessed),
        })),
      };
      res.json(body);
    }),
  );

  router.get(
    '/api/tab/children/:childId',
    signedIn(async (req, res, viewer) => {
      const childId = String(req.params['childId'] ?? '');
      if (!CHILD_ID.test(childId)) throw new NotFoundError(NO_SUCH_CHILD);
      // The signed-in viewer was found with their children already: not read again.
      const outcome = await childPage(deps.childPage, viewer, childId);
      if (outcome.kind === 'notRegistered') throw new ForbiddenError(NOT_REGISTERED);
      if (outcome.kind === 'notFound') throw new NotFoundError(NO_SUCH_CHILD);
      const body: ChildPage = outcome.page;
      res.json(body);
    }),
  );

  const reportOf = async (req: Request, viewer: Viewer) => {
    const range = rangeOf(req);
    const report = await annualReport(deps.dashboard, range, {
      childIds: viewer.childIds,
      iroEmails: iroEmailsInScope(viewer.person, viewer.staff),
    });
    return { report, scopeLabel: scopeLabel(viewer.person, { kind: 'personal' }) };
  };
  router.get(
    '/api/tab/annual-report',
    signedIn(async (req, res, viewer) => {
      const { report, scopeLabel } = await reportOf(req, viewer);
      const body: AnnualReportResponse = {
        scopeLabel,
        from: report.from,
        to: report.to,
        previousFrom: report.previousFrom,
        previousTo: report.previousTo,
        sections: report.sections,
      };
      res.json(body);
    }),
  );
  router.get(
    '/api/tab/annual-report.csv',
    signedIn(async (req, res, viewer) => {
      const { report } = await reportOf(req, viewer);
      res.set(
        'Content-Disposition',
        `attachment; filename="iro-annual-report-${report.from}-to-${report.to}.csv"`,
      );
      // The byte order mark makes Excel read the file as UTF-8 (IROs' names may have accents).
      res
        .type('text/csv; charset=utf-8')
        // The CSV is read by others (a board paper): its scope in the third person.
        .send(
          `\uFEFF${annualReportCsv(report.sections, { ...report, scopeLabel: reportScopeLabel(viewer.person) })}`,
        );
    }),
  );

  const modeQuery = z.object({
    mode: z.enum(['schedule', 'reschedule', 'cancel']).default('schedule'),
  });
  router.get(
    '/api/tab/children/:childId/schedule',
    signedIn(async (req, res, viewer) => {
      const childId = String(req.params['childId'] ?? '');
      const mode = modeQuery.safeParse(req.query);
      if (!mode.success) throw new ValidationError('Give ?mode=schedule, reschedule or cancel.');
      const card = await deps.scheduling.open(
        viewer.person.aadObjectId ?? undefined,
        visibleChild(viewer, childId),
        mode.data.mode,
      );
      const body: CardResponse = { card };
      res.json(body);
    }),
  );

  const cardAction = z.object({
    verb: z.string().max(50),
    data: z.record(z.string(), z.unknown()),
  });
  router.post(
    '/api/tab/cards/scheduling',
    ...jsonObjectBody('64kb'),
    signedIn(async (req, res, viewer) => {
      const parsed = cardAction.safeParse(req.body);
      const verb = parsed.data?.verb;
      const data = isSchedulingVerb(verb)
        ? SCHEDULING_ACTIONS[verb].safeParse(parsed.data?.data)
        : undefined;
      if (
        !isSchedulingVerb(verb) ||
        !data?.success ||
        // A booking carries the card's key, so that a repeated press books once.
        (verb === 'review.schedule' && !('transactionKey' in data.data && data.data.transactionKey))
      ) {
        throw new ValidationError(
          "That button doesn't work any more. Close this window and open the child's page again.",
        );
      }
      const child = visibleChild(viewer, data.data.child);
      const card = await deps.scheduling.act(viewer.person.aadObjectId ?? undefined, verb, {
        ...data.data,
        child,
      });
      const body: CardResponse = { card };
      res.json(body);
    }),
  );

  router.use('/api/tab', (_req, _res, next) => {
    next(new NotFoundError('There is nothing here.'));
  });
  return router;
}

export const NO_SUCH_CHILD = 'No child with that ID is in your caseload.';

/**
 * The CHILD id as the store holds it, when the reader may see that child; otherwise the same 404
 * as for an id nobody knows, before any use case runs (the use cases refuse a child the asker
 * may not see as one nobody has too; this keeps the tab's answer a 404 either way).
 */
function visibleChild(viewer: Viewer, text: string): string {
  const wanted = text.trim().toLowerCase();
  const found = CHILD_ID.test(wanted)
    ? viewer.childIds.find((id) => id.toLowerCase() === wanted)
    : undefined;
  if (!found) throw new NotFoundError(NO_SUCH_CHILD);
  return found;
}
