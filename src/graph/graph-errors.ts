import { ExternalServiceError } from '../app/errors.js';

/** Which kind of Graph call failed: each needs its own permission, so a 403 means something else. */
export type GraphArea =
  'calendar' | 'itemIds' | 'meetings' | 'catalog' | 'install' | 'personalInstall';

export interface GraphCall {
  area: GraphArea;
  /** What the IRO would call the thing: "your calendar", "the Teams meeting". */
  subject: string;
  /** For meetings: whose meetings (the organiser, by Entra object id). */
  organiser?: string;
}

/** Why Graph says 403, per area: the permission or policy an administrator has to grant. */
function forbidden(call: GraphCall): string {
  switch (call.area) {
    case 'calendar':
      return `I couldn't reach ${call.subject}: the app lacks the application permission Calendars.ReadWrite; ask IT.`;
    case 'itemIds':
      return `I couldn't find Outlook's meeting in ${call.subject}: translating Outlook's item id needs the application permission User.Read.All; ask IT.`;
    case 'meetings':
      return `I couldn't read ${call.subject}: the Teams application access policy does not cover ${call.organiser ?? 'the organiser'} (or the app lacks OnlineMeetings.Read.All / OnlineMeetingArtifact.Read.All); ask IT.`;
    case 'catalog':
      return "I couldn't look up IRO Assistant in the Teams app catalog: the app lacks the application permission AppCatalog.Read.All; ask IT.";
    case 'install':
      return "I couldn't add IRO Assistant to the meeting chat: it needs consent for the chat (the application permission TeamsAppInstallation.ReadWriteAndConsentForChat.All); ask IT.";
    case 'personalInstall':
      return `I couldn't add IRO Assistant to ${call.subject}: the app lacks the application permission TeamsAppInstallation.ReadWriteForUser.All (or ReadWriteSelfForUser.All when Graph signs in as the bot's own app), or a Teams app permission policy blocks the app for them; ask IT.`;
  }
}

function notFound(call: GraphCall, code: string | undefined): string {
  switch (call.area) {
    case 'calendar':
    case 'itemIds':
      return code === 'ErrorItemNotFound'
        ? `The meeting is no longer in ${call.subject}; it may have been deleted in Outlook.`
        : `I couldn't find ${call.subject}; check the e-mail address in the staff list.`;
    case 'meetings':
      return `I couldn't find ${call.subject} in Microsoft 365; check the organiser's Entra object id (AAD_OBJECT_ID) in the staff list.`;
    case 'personalInstall':
      return `I couldn't add IRO Assistant to ${call.subject}: Microsoft 365 does not know the person or the app; check their Entra object id in the staff list, and that the app is in the organisation's catalog.`;
    case 'catalog':
    case 'install':
      return "I couldn't add IRO Assistant to the meeting chat: the app or the chat is not in Microsoft 365's catalog; ask IT to upload the app to the organisation's catalog.";
  }
}

/** What went wrong talking to Graph, in words an IRO can act on (the technical part is logged). */
export function graphFailure(
  status: number | undefined,
  code: string | undefined,
  call: GraphCall,
): ExternalServiceError {
  if (status === 401) {
    return new ExternalServiceError(
      "I couldn't sign in to Microsoft 365: the app's credentials are wrong or have expired; ask IT.",
    );
  }
  if (status === 403) return new ExternalServiceError(forbidden(call));
  if (status === 404) return new ExternalServiceError(notFound(call, code));
  if (status === 429) {
    return new ExternalServiceError(
      'Microsoft 365 is busy right now (throttling); try again in a minute.',
    );
  }
  if (status === undefined || status >= 500 || status === -1) {
    return new ExternalServiceError("Microsoft 365 didn't answer; try again in a few minutes.");
  }
  return new ExternalServiceError(`Microsoft 365 refused the request for ${call.subject}.`);
}
