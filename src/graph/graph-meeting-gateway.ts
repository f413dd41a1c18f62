import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import type { Logger } from '../shared/logger.js';
import { graphFailure } from './graph-errors.js';

const onlineMeetings = z.object({
  value: z.array(
    z.object({ id: z.string(), chatInfo: z.object({ threadId: z.string() }).nullish() }),
  ),
});
const reports = z.object({ value: z.array(z.object({ id: z.string() })) });
const report = z.object({
  attendanceRecords: z
    .array(
      z.object({
        emailAddress: z.string().nullish(),
        identity: z.object({ displayName: z.string().nullish() }).nullish(),
        totalAttendanceInSeconds: z.number().nullish(),
      }),
    )
    .nullish(),
});

/**
 * Meetings through Graph: the online meeting of a join link, its attendance reports, and the
 * app installed into its chat. Needs OnlineMeetings.Read.All / OnlineMeetingArtifact.Read.All
 * and an application access policy for the organiser, and TeamsAppInstallation.ReadWriteForChat.All.
 */
export function createGraphMeetingGateway(client: Client, logger: Logger): MeetingGateway {
  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const e = error as { statusCode?: number; code?: string };
      logger.warn(
        { graph: what, status: e.statusCode, code: e.code },
        'Microsoft Graph call failed',
      );
      throw graphFailure(e.statusCode, e.code, 'the meeting');
    }
  }
  return {
    async findOnlineMeeting(organiser, joinUrl) {
      const raw = await call('find online meeting', () =>
        client
          .api(`/users/${encodeURIComponent(organiser)}/onlineMeetings`)
          .filter(`JoinWebUrl eq '${joinUrl}'`)
          .get(),
      );
      const meeting = onlineMeetings.parse(raw).value[0];
      return meeting?.chatInfo
        ? { meetingId: meeting.id, chatId: meeting.chatInfo.threadId }
        : undefined;
    },
    async attendance(organiser, meetingId) {
      const base = `/users/${encodeURIComponent(organiser)}/onlineMeetings/${encodeURIComponent(meetingId)}/attendanceReports`;
      const list = reports.parse(await call('attendance reports', () => client.api(base).get()));
      const records = [];
      for (const r of list.value) {
        const full = report.parse(
          await call('attendance records', () =>
            client
              .api(`${base}/${encodeURIComponent(r.id)}`)
              .expand('attendanceRecords')
              .get(),
          ),
        );
        for (const a of full.attendanceRecords ?? []) {
          records.push({
            email: a.emailAddress?.toLowerCase() ?? null,
            displayName: a.identity?.displayName ?? '',
            seconds: a.totalAttendanceInSeconds ?? 0,
          });
        }
      }
      return records;
    },
    async installApp(chatId, teamsAppId) {
      await call('install app in chat', () =>
        client.api(`/chats/${encodeURIComponent(chatId)}/installedApps`).post({
          'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${teamsAppId}`,
        }),
      );
    },
  };
}
