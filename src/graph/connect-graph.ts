import type { CalendarGateway } from '../app/scheduling/calendar-gateway.js';
import type { Config } from '../config.js';
import { demoCalendars } from '../dev/graph-simulator/demo-calendars.js';
import { startGraphSimulator } from '../dev/graph-simulator/graph-simulator.js';
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

/**
 * Where calendars come from: GRAPH_BASE_URL when set (the real Graph or any Graph-compatible
 * server), the real Graph when credentials are set, otherwise the built-in Graph simulator with
 * busy diaries for the staff, so scheduling works on a laptop with no tenant.
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
        staff.map((s) => ({ email: s.email, name: s.name })),
        { today: services.clock.today(), calendar: services.calendar, timeZone: config.TIME_ZONE },
      ),
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
