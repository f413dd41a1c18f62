import { createHmac } from 'node:crypto';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { serveJson, type JsonServer } from './json-server.js';

export const TEST_BOT_ID = '3b0f1e2d-4c5a-4b6c-8d7e-0123456789ab';
export const TEST_BOT_PASSWORD = 'test-bot-secret-not-a-real-one';
export const BOT_CONNECTOR_ISSUER = 'https://api.botframework.com';
/** An issuer botbuilder takes for the Bot Framework Emulator (botframework.com's Entra tenant). */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

/** Which key signs: one the metadata publishes for Teams, one only for Web Chat, or none of them. */
export type Signer = 'teams' | 'webchat' | 'stranger';

/**
 * A stand-in for the Bot Connector's signing keys: the OpenID metadata document (as
 * https://login.botframework.com/v1/.well-known/openidconfiguration answers) and its key set
 * (each key with its `endorsements`, the channels it may sign for), on localhost, and a signer
 * for the tokens the Bot Connector puts on each activity it sends a bot (iss
 * https://api.botframework.com, aud = the bot's app id, serviceurl = where replies go).
 */
export class BotFrameworkTestKeys {
  private server: JsonServer | undefined;
  private readonly keys = new Map<Signer, CryptoKey>();
  private publicPem = '';
  readonly kids: Record<Signer, string> = {
    teams: 'bf-test-msteams',
    webchat: 'bf-test-webchat',
    stranger: 'bf-test-stranger',
  };
  metadataUrl = '';

  async start(): Promise<void> {
    const published: unknown[] = [];
    for (const signer of ['teams', 'webchat', 'stranger'] as const) {
      const pair = await generateKeyPair('RS256', { extractable: true });
      this.keys.set(signer, pair.privateKey);
      if (signer === 'teams') this.publicPem = await exportSPKI(pair.publicKey);
      if (signer === 'stranger') continue;
      published.push({
        ...(await exportJWK(pair.publicKey)),
        kid: this.kids[signer],
        use: 'sig',
        endorsements: signer === 'teams' ? ['msteams'] : ['webchat'],
      });
    }
    this.server = await serveJson({
      '/v1/.well-known/openidconfiguration': (base) => ({
        issuer: BOT_CONNECTOR_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      }),
      '/v1/.well-known/keys': () => ({ keys: published }),
    });
    this.metadataUrl = `${this.server.base}/v1/.well-known/openidconfiguration`;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** How often the bot fetched the key set. */
  keySetRequests(): number {
    return this.server?.hits.get('/v1/.well-known/keys') ?? 0;
  }

  /** The server settings of a bot registered as TEST_BOT_ID that trusts these keys. */
  env(): Record<string, string> {
    return {
      BOT_ID: TEST_BOT_ID,
      BOT_PASSWORD: TEST_BOT_PASSWORD,
      BOT_OPENID_METADATA_URL: this.metadataUrl,
    };
  }

  /** The claims of a Bot Connector token for an activity whose replies go to `serviceUrl`. */
  claims(serviceUrl: string): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      serviceurl: serviceUrl,
      nbf: now - 60,
      exp: now + 3600,
      iss: BOT_CONNECTOR_ISSUER,
      aud: TEST_BOT_ID,
    };
  }

  /**
   * A token as the Bot Connector signs it; `claims` override the usual ones (null removes one),
   * `signedBy` picks the key, `kid` and `alg` override the header's.
   */
  async token(
    serviceUrl: string,
    options: {
      claims?: Record<string, unknown>;
      signedBy?: Signer;
      kid?: string;
      alg?: 'RS256' | 'RS384' | 'RS512';
    } = {},
  ): Promise<string> {
    const signedBy = options.signedBy ?? 'teams';
    return new SignJWT(this.withOverrides(serviceUrl, options.claims))
      .setProtectedHeader({
        alg: options.alg ?? 'RS256',
        typ: 'JWT',
        kid: options.kid ?? this.kids[signedBy === 'stranger' ? 'teams' : signedBy],
      })
      .sign(this.keys.get(signedBy) as CryptoKey);
  }

  /** A token with `alg: none` and no signature, naming the Teams key. */
  unsigned(serviceUrl: string): string {
    const header = { alg: 'none', typ: 'JWT', kid: this.kids.teams };
    return `${b64(header)}.${b64(this.withOverrides(serviceUrl))}.`;
  }

  /**
   * A token "signed" with HS256 using the Teams key's public PEM as the HMAC secret: the old
   * algorithm-confusion attack on verifiers that let the token choose the algorithm.
   */
  hmacWithPublicKey(serviceUrl: string): string {
    const header = { alg: 'HS256', typ: 'JWT', kid: this.kids.teams };
    const input = `${b64(header)}.${b64(this.withOverrides(serviceUrl))}`;
    const signature = createHmac('sha256', this.publicPem).update(input).digest('base64url');
    return `${input}.${signature}`;
  }

  private withOverrides(serviceUrl: string, overrides: Record<string, unknown> = {}): JWTPayload {
    const claims = this.claims(serviceUrl);
    for (const [key, value] of Object.entries(overrides)) {
      if (value === null) delete claims[key];
      else claims[key] = value;
    }
    return claims;
  }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
