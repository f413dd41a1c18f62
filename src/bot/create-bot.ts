import {
  CloudAdapter,
  CardFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config.js';
import { fillTemplate } from '../cards/card-templates.js';
import { BotConnectorAuthentication } from './bot-authentication.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import { createPgConversationRepository } from '../store/conversation-repository.js';
import type { CalendarGateway } from '../app/scheduling/calendar-gateway.js';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import { FollowUpFlow } from './follow-up-flow.js';
import { IroBot } from './iro-bot.js';
import { RecordingFlow } from './recording-flow.js';
import { SchedulingFlow } from './scheduling-flow.js';
import { describeTurnError } from './turn-errors.js';
import { rateLimitMiddleware } from './rate-limit-middleware.js';

/**
 * botbuilder's CloudAdapter, entered without its `process(req, res)`: that one prints any error
 * with console.error and answers with the library's message. The HTTP route checks the body and
 * answers itself; errors come back to it as exceptions.
 */
export class IroCloudAdapter extends CloudAdapter {
  /** Authenticates and runs one activity; the invoke response, if the activity asked for one. */
  handle(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

export interface Bot {
  adapter: IroCloudAdapter;
  bot: IroBot;
  botAppId: string;
  /** Scheduling, for the tab's dialog: the same cards and use cases as in the chat. */
  scheduling: SchedulingFlow;
}

/**
 * The Bot Framework adapter and the bot. With BOT_ID and its secret set, every activity must carry
 * a valid Bot Connector token (see BotConnectorAuthentication; BOT_OPENID_METADATA_URL says where
 * its signing keys are described); with none, the adapter accepts unauthenticated activities and
 * replies without a token, as Microsoft's local tools (Agents Playground) expect.
 */
export function createBot(
  config: Config,
  services: Services,
  gateways: { calendarGateway: CalendarGateway; meetingGateway: MeetingGateway },
  logger: Logger,
): Bot {
  const auth = new BotConnectorAuthentication(config);
  const adapter = new IroCloudAdapter(auth);
  adapter.use(rateLimitMiddleware(services.rateLimits, logger));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const failure = describeTurnError(error, logger, {
      conversationId: context.activity.conversation?.id,
      activityId: context.activity.id,
    });
    const card = fillTemplate('message', {
      title: failure.title,
      text: failure.text,
      hasAction: false,
      showHelp: false,
    });
    try {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    } catch (sendError) {
      logger.error(
        { correlationId: failure.correlationId, err: sendError },
        'could not tell the user about a failed turn',
      );
    }
  };
  const botAppId = config.BOT_ID ?? '';
  const scheduling = new SchedulingFlow(
    { ...services, calendarGateway: gateways.calendarGateway },
    logger,
    {
      meetingGateway: gateways.meetingGateway,
      reviewRecords: services.reviewRecords,
      teamsAppId: config.TEAMS_APP_ID,
    },
  );
  const bot = new IroBot({
    services,
    conversations: createPgConversationRepository(services.store.db, services.store.changes),
    logger,
    timeZone: config.TIME_ZONE,
    botAppId,
    adapter: () => adapter,
    scheduling,
    followUp: new FollowUpFlow({
      services,
      logger,
      timeZone: config.TIME_ZONE,
      midway: services.midway,
      alerts: services.alerts,
      workingTime: services.workingTime,
    }),
    recording: new RecordingFlow(
      {
        ...services,
        meetingGateway: gateways.meetingGateway,
        calendarGateway: gateways.calendarGateway,
      },
      logger,
      config.TIME_ZONE,
    ),
  });
  if (!config.BOT_ID)
    logger.warn(
      'BOT_ID is not set: /api/messages accepts unauthenticated activities, so the server listens on 127.0.0.1 only (this machine)',
    );
  return { adapter, bot, botAppId, scheduling };
}
