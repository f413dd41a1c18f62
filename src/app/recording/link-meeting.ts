import type { Logger } from '../../shared/logger.js';
import { AppError } from '../errors.js';
import type { MeetingGateway } from './meeting-gateway.js';
import type { ReviewRecordRepository } from './review-record.js';

export type LinkOutcome =
  | 'installed'
  | 'linked'
  /** The booking has no Teams link (the mailbox made no Teams meeting). */
  | 'noTeamsMeeting'
  /** The chair has no Entra object id in the staff list, so Graph cannot be asked. */
  | 'noObjectId'
  | 'notFound'
  /** The meeting is linked, but the app is not in the organisation's Teams app catalog. */
  | 'notInCatalog'
  | 'failed';

export interface LinkResult {
  outcome: LinkOutcome;
  /** The app's id in the organisation's catalog, when it was found. */
  catalogAppId?: string;
  /** Why it failed, in words for the IRO (from the Graph gateway). */
  reason?: string;
}

/**
 * After a booking: finds the Teams meeting behind the join link (through the organiser's Entra
 * object id, as Graph requires), remembers its chat, and adds the app to that chat by its catalog
 * id. Teams may still send meeting events only to an app added from the meeting itself, so the
 * IRO is told how to add it either way; nothing here can fail the booking.
 */
export async function linkMeetingChat(
  deps: { meetingGateway: MeetingGateway; reviewRecords: ReviewRecordRepository; logger: Logger },
  review: { id: number; joinUrl: string | null },
  organiserObjectId: string | null,
  teamsAppId: string | undefined,
): Promise<LinkResult> {
  if (!review.joinUrl) return { outcome: 'noTeamsMeeting' };
  if (!organiserObjectId) {
    deps.logger.warn(
      { review: review.id },
      'the chair has no Entra object id in the staff list; meeting not looked up',
    );
    return { outcome: 'noObjectId' };
  }
  try {
    const meeting = await deps.meetingGateway.findOnlineMeeting(organiserObjectId, review.joinUrl);
    if (!meeting) return { outcome: 'notFound' };
    await deps.reviewRecords.linkMeeting(review.id, meeting.meetingId, meeting.chatId);
    if (!teamsAppId) return { outcome: 'linked' };
    const catalogAppId = await deps.meetingGateway.catalogAppId(teamsAppId);
    if (!catalogAppId) {
      deps.logger.warn({ review: review.id }, 'the app is not in the Teams app catalog');
      return { outcome: 'notInCatalog' };
    }
    await deps.meetingGateway.installApp(meeting.chatId, catalogAppId);
    return { outcome: 'installed', catalogAppId };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    deps.logger.warn({ review: review.id, error: error.name }, 'could not link the meeting chat');
    return { outcome: 'failed', reason: error.message };
  }
}

/** What the booking card says about the meeting chat; empty when there is nothing to say. */
export function linkNote(result: LinkResult): string {
  const how = 'open the meeting in Teams, choose Apps (+) and add IRO Assistant';
  const fallback = `So that I can ask you for the record when the meeting ends, ${how}. If you don't, I'll send the form here after the meeting.`;
  switch (result.outcome) {
    case 'installed':
      return `IRO Assistant has been added to the meeting chat. If no card appears there when the meeting ends, ${how}.`;
    case 'noTeamsMeeting':
      return '';
    case 'noObjectId':
      return `I can't link the meeting: your Entra object id is not in the staff list; ask the data team. ${fallback}`;
    case 'notInCatalog':
      return `IRO Assistant is not in your organisation's Teams app catalog, so I couldn't add it to the meeting chat; ask IT to upload it. ${fallback}`;
    case 'failed':
      return result.reason ? `${result.reason} ${fallback}` : fallback;
    default:
      return fallback;
  }
}
