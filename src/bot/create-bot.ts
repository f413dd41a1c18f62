import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  CardFactory,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config.js';
import { fillTemplate } from '../cards/card-templates.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import { createPgConversationRepository } from '../store/conversation-repository.js';
import type { CalendarGateway } from '../app/scheduling/calendar-gateway.js';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import { IroBot } from './iro-bot.js';
import { RecordingFlow } from './recording-flow.js';
import { SchedulingFlow } from './scheduling-flow.js';
import { describeTurnError } from './turn-errors.js';

export interface Bot {
  adapter: CloudAdapter;
  bot: IroBot;
  botAppId: string;
}

/**
 * The Bot Framework adapter and the bot. With BOT_ID and its secret set, every activity must carry
 * a valid Bot Framework token; with none, the adapter accepts unauthenticated activities and
 * replies without a token, as Microsoft's local tools (Agents Playground) expect.
 */
export function createBot(
  config: Config,
  services: Services,
  gateways: { calendarGateway: CalendarGateway; meetingGateway: MeetingGateway },
  logger: Logger,
): Bot {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.BOT_TYPE,
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  });
  const adapter = new CloudAdapter(auth);
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
  const bot = new IroBot({
    services,
    conversations: createPgConversationRepository(services.store.db),
    logger,
    timeZone: config.TIME_ZONE,
    botAppId,
    adapter: () => adapter,
    scheduling: new SchedulingFlow(
      { ...services, calendarGateway: gateways.calendarGateway },
      logger,
      {
        meetingGateway: gateways.meetingGateway,
        reviewRecords: services.reviewRecords,
        teamsAppId: config.TEAMS_APP_ID,
      },
    ),
    recording: new RecordingFlow(
      { ...services, meetingGateway: gateways.meetingGateway },
      logger,
      config.TIME_ZONE,
    ),
  });
  if (!config.BOT_ID)
    logger.warn(
      'BOT_ID is not set: /api/messages accepts unauthenticated activities (local use only)',
    );
  return { adapter, bot, botAppId };
}
