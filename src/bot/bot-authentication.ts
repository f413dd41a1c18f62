import { decodeJwt } from 'jose';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import type { Config } from '../config.js';

/** The Bot Connector's token issuer in Microsoft's public cloud. */
const BOT_CONNECTOR_ISSUER = 'https://api.botframework.com';

/**
 * Public Azure's Bot Framework endpoints, as botbuilder uses them when it is given none. Setting
 * any one of them (here the OpenID metadata) makes botbuilder take all of them from us.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: BOT_CONNECTOR_ISSUER,
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl:
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
} as const;

/** What botbuilder's token check throws (through jsonwebtoken) for a token that is simply bad. */
const BAD_TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** A request whose token the bot refuses; the HTTP route answers 401 for its statusCode. */
export class BotTokenRefused extends Error {
  readonly statusCode = 401;
  constructor(reason: string) {
    super(`Bot Framework token refused: ${reason}`);
    this.name = 'BotTokenRefused';
  }
}

/**
 * botbuilder's authentication, narrowed to what a Teams bot receives. botbuilder takes tokens from
 * the Bot Connector (issuer https://api.botframework.com) and also tokens Entra issued in any
 * tenant (its path for the Bot Framework Emulator, skills and App Service Environment channels,
 * which does not check their audience), fetching Entra's keys for those; and it lets through a
 * token without `exp`, or any key when the activity names no channel. So before botbuilder looks
 * at a request: its token must come from the Bot Connector or, for a SingleTenant or
 * UserAssignedMSI bot, from Entra in the bot's own tenant (such bots are reported to receive
 * those: unverified here); it must carry an expiry; and its activity must name a channel (whose
 * endorsement botbuilder then checks). Then botbuilder checks the signature against the OpenID
 * metadata's keys, the audience (appid for Entra tokens), the validity period and the serviceurl
 * claim. A token jsonwebtoken refuses (bad signature, `alg: none`, another algorithm, not yet
 * valid) is a 401 too, not a crash. Without BOT_ID nothing is checked (Microsoft's local tools
 * send no token).
 */
export class BotConnectorAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly checking: boolean;
  private readonly issuers: Set<string>;

  constructor(config: Config) {
    super({
      MicrosoftAppId: config.BOT_ID ?? '',
      MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
      MicrosoftAppType: config.BOT_TYPE,
      MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
      ...PUBLIC_CLOUD,
      ToBotFromChannelOpenIdMetadataUrl:
        config.BOT_OPENID_METADATA_URL ?? PUBLIC_CLOUD.ToBotFromChannelOpenIdMetadataUrl,
    });
    this.checking = Boolean(config.BOT_ID);
    const tenant = config.BOT_TYPE === 'MultiTenant' ? undefined : config.BOT_TENANT_ID;
    this.issuers = new Set([
      BOT_CONNECTOR_ISSUER,
      ...(tenant
        ? [`https://sts.windows.net/${tenant}/`, `https://login.microsoftonline.com/${tenant}/v2.0`]
        : []),
    ]);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    if (this.checking) checkBeforeBotbuilder(activity, authHeader, this.issuers);
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && BAD_TOKEN_ERRORS.has(name)) {
        throw new BotTokenRefused(name);
      }
      throw error;
    }
  }
}

function checkBeforeBotbuilder(activity: Activity, authHeader: string, issuers: Set<string>): void {
  const [scheme, token, ...rest] = authHeader.split(' ');
  if (scheme !== 'Bearer' || !token || rest.length > 0) {
    throw new BotTokenRefused('no Bearer token');
  }
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new BotTokenRefused('not a JWT');
  }
  if (typeof claims.iss !== 'string' || !issuers.has(claims.iss)) {
    throw new BotTokenRefused('an issuer this bot does not trust');
  }
  if (typeof claims.exp !== 'number') throw new BotTokenRefused('no expiry');
  if (typeof activity.channelId !== 'string' || activity.channelId.trim() === '') {
    throw new BotTokenRefused('the activity names no channel');
  }
}
