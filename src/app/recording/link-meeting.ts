import type { Logger } from '../../shared/logger.js';
import { AppError } from '../errors.js';
import type { MeetingGateway } from './meeting-gateway.js';
import type { ReviewRecordRepository } from './review-record.js';

export type LinkOutcome = 'installed' | 'linked' | 'notFound' | 'failed';

/**
 * After a booking: finds the Teams meeting behind the join link, remembers its chat, and adds the
 * app to that chat when the catalog id is known. Teams may still send meeting events only to an
 * app added from the meeting itself, so the IRO is told how to add it either way; nothing here
 * can fail the booking.
 */
export async function linkMeetingChat(
  deps: { meetingGateway: MeetingGateway; reviewRecords: ReviewRecordRepository; logger: Logger },
  review: { id: number; chairEmail: string; joinUrl: string | null },
  teamsAppId: string | undefined,
): Promise<LinkOutcome> {
  if (!review.joinUrl) return 'notFound';
  try {
    const meeting = await deps.meetingGateway.findOnlineMeeting(review.chairEmail, review.joinUrl);
    if (!meeting) return 'notFound';
    await deps.reviewRecords.linkMeeting(review.id, meeting.meetingId, meeting.chatId);
    if (!teamsAppId) return 'linked';
    await deps.meetingGateway.installApp(meeting.chatId, teamsAppId);
    return 'installed';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    deps.logger.warn({ review: review.id, error: error.name }, 'could not link the meeting chat');
    return 'failed';
  }
}

export function linkNote(outcome: LinkOutcome): string {
  const how = 'open the meeting in Teams, choose Apps (+) and add IRO Assistant';
  return outcome === 'installed'
    ? `IRO Assistant has been added to the meeting chat. If no card appears there when the meeting ends, ${how}.`
    : `So that I can ask you for the record when the meeting ends, ${how}. If you don't, I'll send the form here after the meeting.`;
}
