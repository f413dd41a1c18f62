import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CalendarGateway } from '../app/scheduling/calendar-gateway.js';
import { APP_PACKAGE_DIR } from '../app-package/app-package.js';
import type { Config } from '../config.js';
import { demoCalendars } from '../dev/graph-simulator/demo-calendars.js';
import { startGraphSimulator, type CatalogApp } from '../dev/graph-simulator/graph-simulator.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import { createGraphCalendarGateway } from './graph-calendar-gateway.js';
import { createGraphMeetingGateway } from './graph-meeting-gateway.js';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import { createGraphClient, GRAPH_DEFAULT_URL, graphAuthOf } from './graph-client.js';

export interface GraphConnection {
  calendarGateway: CalendarGateway;
  meetingGateway: MeetingGateway;
  baseUrl: string;
  simulated: boolean;
  close(): Promise<void>;
}

const manifestPermissions = z.object({
  name: z.object({ short: z.string() }).optional(),
  authorization: z
    .object({
      permissions: z
        .object({
          resourceSpecific: z
            .array(z.object({ name: z.string(), type: z.enum(['Application', 'Delegated']) }))
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

/**
 * The app as the organisation's catalog would hold it after an admin uploaded the package: a
 * catalog id of its own, the manifest id as externalId, and the manifest's resource-specific
 * permissions (read from appPackage/manifest.json, so the simulator asks what Teams would).
 */
async function catalogEntryFor(manifestId: string): Promise<CatalogApp> {
  const manifest = manifestPermissions.parse(
    JSON.parse(await readFile(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8')),
  );
  return {
    externalId: manifestId,
    displayName: manifest.name?.short ?? 'IRO Assistant',
    resourceSpecific: manifest.authorization?.permissions?.resourceSpecific ?? [],
  };
}

/**
 * Where calendars come from: GRAPH_BASE_URL when set (the real Graph or any Graph-compatible
 * server), the real Graph when credentials are set, otherwise the built-in Graph simulator with
 * busy diaries for the staff (found by e-mail or Entra object id, as Graph finds them) and, when
 * TEAMS_APP_ID is set, the app in its catalog, so scheduling and recording work on a laptop with
 * no tenant.
 */
export async function connectGraph(
  config: Config,
  services: Services,
  logger: Logger,
): Promise<GraphConnection> {
  const auth = graphAuthOf(config);
  let baseUrl = config.GRAPH_BASE_URL ?? (auth === 'none' ? undefined : GRAPH_DEFAULT_URL);
  let close = async () => {};
  const simulated = baseUrl === undefined;
  if (baseUrl === undefined) {
    const staff = await services.cases.listStaff();
    const simulator = await startGraphSimulator({
      users: demoCalendars(
        staff.map((s) => ({ email: s.email, name: s.name, objectId: s.aadObjectId })),
        { today: services.clock.today(), calendar: services.calendar, timeZone: config.TIME_ZONE },
      ),
      catalog: config.TEAMS_APP_ID ? [await catalogEntryFor(config.TEAMS_APP_ID)] : [],
    });
    baseUrl = simulator.url;
    close = () => simulator.close();
    logger.warn(
      { graph: baseUrl },
      'Microsoft Graph: no credentials configured, so calendars come from the built-in Graph simulator',
    );
  } else {
    logger.info({ graph: baseUrl, auth }, 'Microsoft Graph');
  }
  const client = createGraphClient(config, baseUrl);
  return {
    calendarGateway: createGraphCalendarGateway(client, {
      logger,
      maxRetries: config.GRAPH_MAX_RETRIES,
    }),
    meetingGateway: createGraphMeetingGateway(client, logger),
    baseUrl,
    simulated,
    close,
  };
}
