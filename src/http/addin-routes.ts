import express, { type Router } from 'express';
import { z } from 'zod';
import { CHILD_ID } from '../app/import/parse-extract.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../app/errors.js';
import type { AppError } from '../app/errors.js';
import {
  checkOutlookMeeting,
  linkOutlookMeeting,
  type LinkOutlookDeps,
  type LinkRefusal,
} from '../app/scheduling/link-outlook-meeting.js';
import type { DashboardDeps } from '../app/dashboard/dashboard.js';
import type { OutlookLinkResponse, OutlookSubjectResponse } from '../addin/addin-api-types.js';
import { RECURRING_SERIES_TEXT } from '../addin/addin-messages.js';
import { slotText } from '../cards/card-dates.js';
import type { StaffMember } from '../app/ports.js';
import type { Logger } from '../shared/logger.js';
import { jsonObjectBody } from './json-body.js';
import { builtFileServer, type BuiltFiles } from './built-files.js';
import type { TabAuthenticator } from './tab-auth.js';
import type { RateLimits } from '../app/rate-limits.js';
import { NO_SUCH_CHILD, signedInWith, TAB_FRAME_ANCESTORS } from './tab-routes.js';

/** The task pane's files (taskpane.html, its bundle and the ribbon icons), built when first asked for. */
export type AddinFiles = BuiltFiles;

export interface AddinRouteDeps {
  /** The tab's sign-in: the pane sends the same bearer tokens. */
  auth: TabAuthenticator | undefined;
  /** To find who is signed in, as the tab's API does. */
  dashboard: DashboardDeps;
  /** Booking's rules and ports, Graph's calendars among them. */
  link: LinkOutlookDeps;
  timeZone: string;
  files: AddinFiles;
  logger: Logger;
  /** Each signed-in caller's requests per minute, counted with the tab's. */
  rateLimits?: RateLimits | undefined;
}

/** office.js comes from Microsoft's CDN (the documented way); it loads its host scripts from there. */
export const OFFICE_JS_ORIGIN = 'https://appsforoffice.microsoft.com';

const ADDIN_CSP = [
  "default-src 'self'",
  `script-src 'self' ${OFFICE_JS_ORIGIN}`,
  // office.js writes inline styles into the page.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // MSAL asks Entra directly when the host cannot broker the token (nested app authentication).
  `connect-src 'self' ${OFFICE_JS_ORIGIN} https://login.microsoftonline.com`,
  `frame-src ${OFFICE_JS_ORIGIN}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  // Outlook on the web frames the pane from the same hosts that frame the tab; desktop Outlook
  // shows it in a WebView2 of its own.
  `frame-ancestors ${TAB_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const FILE_NAME = /^(?:taskpane\.(?:html|js)|icon-(?:16|32|64|80|128)\.png)$/;
/** Outlook's REST ids: URL-safe base64 (EWS ids have + and / where REST ids have _ and -). */
const REST_ID = /^[A-Za-z0-9_=+/-]{8,1024}$/;

/** The meeting as it stands in Outlook's form, checked before the pane changes anything. */
const checkQuery = z.object({
  childId: z.string().trim().regex(CHILD_ID),
  start: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)),
  end: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)),
  eventId: z.string().regex(REST_ID).optional(),
});

const linkBody = z.object({
  childId: z.string().trim().regex(CHILD_ID),
  eventId: z.string().regex(REST_ID),
});

/**
 * The sentence for each refusal, and its status. An IRO asking about a child who is not theirs
 * hears exactly what they would hear about a child who does not exist.
 */
function refusalError(refusal: LinkRefusal, role: StaffMember['role'], timeZone: string): AppError {
  switch (refusal.reason) {
    case 'notRegistered':
      return new ForbiddenError(
        "You are not in IRO Assistant's staff list. Ask your data team to add you (Staff.csv, with your Entra object id).",
      );
    case 'unknownChild':
    case 'notChair':
      return role === 'iro'
        ? new NotFoundError(`${NO_SUCH_CHILD} Pick one of the children listed.`)
        : new ForbiddenError(
            "Only a child's IRO can link a meeting to their review. The review's dates are in the Reviews tab.",
          );
    case 'notLookedAfter':
      return new ConflictError(
        `${refusal.child} is not looked after now, nor on short breaks, so there is no review to book.`,
      );
    case 'dueUnknown':
      return new ConflictError(
        `${refusal.childLabel}: I can't tell when the next review is due (the last one was held before the council's extract began). Record that review in Teams ("record review for ${refusal.child}"), then link this meeting.`,
      );
    case 'alreadyScheduled':
      return new ConflictError(
        `${refusal.childLabel}'s review is already booked: ${slotText({ start: refusal.review.start, end: refusal.review.end }, timeZone)}. To use this meeting instead, cancel that booking in Teams ("cancel review for ${refusal.review.childId}"), then link this one.`,
      );
    case 'notScheduled':
      return new ConflictError(`${refusal.childLabel} has no review booked.`);
    case 'invalid':
      return new ValidationError(refusal.message);
    case 'meetingNotFound':
      return new NotFoundError(
        "I can't find this meeting in your Outlook calendar. Save it, wait a minute for Outlook to sync, and try again.",
      );
    case 'notOrganiser':
      return new ForbiddenError(
        "Only the meeting's organiser can link it to a review, and someone else organised this meeting.",
      );
    case 'meetingCancelled':
      return new ConflictError('This meeting has been cancelled, so it cannot be a review.');
    case 'meetingEnded':
      return new ConflictError(
        'This meeting has already ended. If the review was held, record it in Teams ("record review for" and the case ID).',
      );
    case 'recurringSeries':
      return new ValidationError(RECURRING_SERIES_TEXT);
    case 'meetingTaken':
      return new ConflictError(
        "This meeting is already another child's review. Book a separate meeting for each child's review.",
      );
  }
}

/**
 * The Outlook add-in: its task pane's files under /addin; GET /api/tab/outlook/subject, the check
 * the pane makes before it changes the meeting in Outlook; and POST /api/tab/outlook/link, which
 * links the meeting the IRO is organising in Outlook to one of their children's reviews with the
 * booking rules of the chat. Mount it before the tab's routes: they answer 404 for any other
 * /api/tab path.
 */
export function addinRoutes(deps: AddinRouteDeps): Router {
  const router = express.Router();
  const signedIn = signedInWith(deps);

  const addinFile = builtFileServer(deps.files, ADDIN_CSP);
  router.get('/addin/:file', (req, res, next) => {
    const name = req.params.file;
    if (!FILE_NAME.test(name)) {
      next(new NotFoundError('There is nothing here.'));
      return;
    }
    void addinFile(name, res, next);
  });

  router.get(
    '/api/tab/outlook/subject',
    signedIn(async (req, res, viewer) => {
      const parsed = checkQuery.safeParse(req.query);
      if (!parsed.success) {
        throw new ValidationError(
          "Give the child and the meeting's times as ?childId=<the CHILD id>&start=<ISO>&end=<ISO> (and &eventId= once the meeting is saved).",
        );
      }
      const { childId, start, end, eventId } = parsed.data;
      const result = await checkOutlookMeeting(
        deps.link,
        viewer.person.aadObjectId ?? undefined,
        childId,
        { start, end, restEventId: eventId ?? null },
      );
      if (!result.ok) throw refusalError(result, viewer.person.role, deps.timeZone);
      const body: OutlookSubjectResponse = {
        childLabel: result.childLabel,
        subject: result.subject,
      };
      res.json(body);
    }),
  );

  router.post(
    '/api/tab/outlook/link',
    ...jsonObjectBody('4kb'),
    signedIn(async (req, res, viewer) => {
      const parsed = linkBody.safeParse(req.body);
      if (!parsed.success) {
        throw new ValidationError(
          'Send { "childId": "<the CHILD id>", "eventId": "<the meeting\'s Outlook REST id>" }.',
        );
      }
      const result = await linkOutlookMeeting(
        deps.link,
        viewer.person.aadObjectId ?? undefined,
        parsed.data.childId,
        parsed.data.eventId,
      );
      if (!result.ok) throw refusalError(result, viewer.person.role, deps.timeZone);
      deps.logger.info(
        { review: result.review.id, outcome: result.outcome },
        'Outlook meeting linked to a review',
      );
      const body: OutlookLinkResponse = {
        outcome: result.outcome,
        childLabel: result.childLabel,
        start: result.review.start.toISOString(),
        end: result.review.end.toISOString(),
        subject: result.subject,
        teamsMeeting: result.review.joinUrl !== null,
        dueDate: result.dueDate,
        late: result.late,
      };
      res.json(body);
    }),
  );

  return router;
}
