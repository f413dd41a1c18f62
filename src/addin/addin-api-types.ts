/**
 * What the Outlook add-in's API answers: the contract between the express route and the task
 * pane's browser code. Types only.
 *
 * POST /api/tab/outlook/link `{ childId, eventId }` with `Authorization: Bearer <token>` (the same
 * tokens as the tab's API). `eventId` is Outlook's REST id of the saved meeting (office.js
 * `convertToRestId(id, RestVersion.v2_0)`). Errors are `{ error, correlationId }`: 400 the request
 * or the meeting cannot be used, 401 sign in again, 403 not for you (not the child's IRO, not the
 * meeting's organiser), 404 no such child in your caseload or no such meeting in your calendar,
 * 409 the review or the meeting is booked already, or the meeting is over or cancelled.
 */

/**
 * GET /api/tab/outlook/subject?childId=&start=&end=[&eventId=] : the check the pane makes before it
 * changes anything in Outlook, and the privacy-safe subject the review's meeting will get
 * (initials and CHILD id only) for the pane to put in the form before saving. `start` and `end`
 * are the form's times (ISO instants); `eventId` the meeting's REST id when it was saved before.
 * Refused as linking is, with the same errors: the chair's rules (only the child's IRO, a child
 * looked after, a due date known), a review booked already as another meeting, a meeting over,
 * and, for a meeting saved before, one organised by someone else, cancelled, a series or another
 * child's review.
 */
export interface OutlookSubjectResponse {
  childLabel: string;
  subject: string;
}

export interface OutlookLinkRequest {
  childId: string;
  eventId: string;
}

export interface OutlookLinkResponse {
  /** `alreadyLinked`: the meeting was this child's booked review already; nothing was added. */
  outcome: 'linked' | 'alreadyLinked';
  /** Initials and CHILD id, as in invitations. */
  childLabel: string;
  /** ISO instants of the booked review. */
  start: string;
  end: string;
  /** The privacy-safe subject the meeting now has. */
  subject: string;
  /** The meeting has a Teams link (recording at its end needs one). */
  teamsMeeting: boolean;
  /** The review's due date (YYYY-MM-DD). */
  dueDate: string;
  /** The meeting is after the due date: the review will count as late. */
  late: boolean;
}
