import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import type { Logger } from '../shared/logger.js';
import { graphFailure, type GraphCall } from './graph-errors.js';

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
const teamsApps = z.object({
  value: z.array(z.object({ id: z.string(), externalId: z.string().nullish() })),
});

/**
 * The resource-specific consent the app's manifest asks for (appPackage/manifest.json,
 * authorization.permissions.resourceSpecific): an install into a meeting chat must consent to
 * exactly these, or Graph refuses it.
 */
export const MEETING_CHAT_CONSENT = {
  resourceSpecificPermissions: [
    { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'Application' },
    // The Outlook add-in's; Graph wants every one the app definition lists, delegated ones too.
    { permissionValue: 'MailboxItem.ReadWrite.User', permissionType: 'Delegated' },
  ],
} as const;

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The $filter that finds an online meeting by its join link. Graph decodes the literal once more
 * after the query string, so the whole link is URL-encoded once (its own %3a goes out as %253a);
 * graph-client puts .filter() text into the URL as it is, so the encoding is ours to do.
 */
export function joinWebUrlFilter(joinUrl: string): string {
  return `JoinWebUrl eq ${odataString(encodeURIComponent(joinUrl))}`;
}

/**
 * Meetings through Graph: the online meeting of a join link, its attendance reports, and the app
 * installed into its chat. Needs OnlineMeetings.Read.All and OnlineMeetingArtifact.Read.All with
 * a Teams application access policy covering the organiser, AppCatalog.Read.All, and
 * TeamsAppInstallation.ReadWriteAndConsentForChat.All (the app asks for resource-specific consent).
 */
export function createGraphMeetingGateway(client: Client, logger: Logger): MeetingGateway {
  const catalogIds = new Map<string, string>();

  async function call<T>(target: GraphCall, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const e = error as { statusCode?: number; code?: string };
      logger.warn(
        { graph: what, status: e.statusCode, code: e.code },
        'Microsoft Graph call failed',
      );
      throw graphFailure(e.statusCode, e.code, target);
    }
  }
  const meetings = (organiserObjectId: string): GraphCall => ({
    area: 'meetings',
    subject: 'the Teams meeting',
    organiser: `the organiser (Entra object id ${organiserObjectId})`,
  });

  /** Adds the app somewhere; already there (409) counts as done. */
  async function install(
    path: string,
    body: Record<string, unknown>,
    what: string,
    target: GraphCall,
  ): Promise<void> {
    await call(target, what, async () => {
      try {
        await client.api(path).post(body);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      }
    });
  }

  return {
    async findOnlineMeeting(organiserObjectId, joinUrl) {
      const raw = await call(meetings(organiserObjectId), 'find online meeting', () =>
        client
          .api(`/users/${encodeURIComponent(organiserObjectId)}/onlineMeetings`)
          .filter(joinWebUrlFilter(joinUrl))
          .get(),
      );
      const meeting = onlineMeetings.parse(raw).value[0];
      return meeting?.chatInfo
        ? { meetingId: meeting.id, chatId: meeting.chatInfo.threadId }
        : undefined;
    },

    async attendance(organiserObjectId, meetingId) {
      const target = meetings(organiserObjectId);
      const base = `/users/${encodeURIComponent(organiserObjectId)}/onlineMeetings/${encodeURIComponent(meetingId)}/attendanceReports`;
      const list = reports.parse(
        await call(target, 'attendance reports', () => client.api(base).get()),
      );
      const records = [];
      for (const r of list.value) {
        // The list carries no records; each report gives them only with $expand.
        const full = report.parse(
          await call(target, 'attendance records', () =>
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

    async catalogAppId(manifestId) {
      const known = catalogIds.get(manifestId);
      if (known) return known;
      const raw = await call(
        { area: 'catalog', subject: 'the Teams app catalog' },
        'find app in catalog',
        () =>
          client
            .api('/appCatalogs/teamsApps')
            .filter(`externalId eq ${odataString(manifestId)}`)
            .get(),
      );
      const app = teamsApps.parse(raw).value.find((a) => a.externalId === manifestId);
      if (app) catalogIds.set(manifestId, app.id);
      return app?.id;
    },

    installApp(chatId, catalogAppId) {
      return install(
        `/chats/${encodeURIComponent(chatId)}/installedApps`,
        { ...appBinding(catalogAppId), consentedPermissionSet: MEETING_CHAT_CONSENT },
        'install app in chat',
        { area: 'install', subject: 'the meeting chat' },
      );
    },

    installForUser(userObjectId, catalogAppId) {
      return install(
        `/users/${encodeURIComponent(userObjectId)}/teamwork/installedApps`,
        appBinding(catalogAppId),
        'install app for user',
        { area: 'personalInstall', subject: "a colleague's Teams" },
      );
    },
  };
}

/** The app named by its catalog id, as Graph's install calls take it. */
function appBinding(catalogAppId: string): Record<string, string> {
  return {
    'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}`,
  };
}
