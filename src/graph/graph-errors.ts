import { ExternalServiceError } from '../app/errors.js';

/** What went wrong talking to Graph, in words an IRO can act on (the technical part is logged). */
export function graphFailure(
  status: number | undefined,
  code: string | undefined,
  subject: string,
): ExternalServiceError {
  if (status === 401) {
    return new ExternalServiceError(
      "I couldn't sign in to Microsoft 365: the app's credentials are wrong or have expired; ask IT.",
    );
  }
  if (status === 403) {
    return new ExternalServiceError(
      `I couldn't reach ${subject}: the app lacks permission Calendars.ReadWrite; ask IT.`,
    );
  }
  if (status === 404 && code !== 'ErrorItemNotFound') {
    return new ExternalServiceError(
      `I couldn't find ${subject}; check the e-mail address in the staff list.`,
    );
  }
  if (status === 404) {
    return new ExternalServiceError(
      `The meeting is no longer in ${subject}; it may have been deleted in Outlook.`,
    );
  }
  if (status === 429) {
    return new ExternalServiceError(
      'Microsoft 365 is busy right now (throttling); try again in a minute.',
    );
  }
  if (status === undefined || status >= 500 || status === -1) {
    return new ExternalServiceError("Microsoft 365 didn't answer; try again in a few minutes.");
  }
  return new ExternalServiceError(`Microsoft 365 refused the request for ${subject}.`);
}
