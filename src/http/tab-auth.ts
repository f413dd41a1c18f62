import { randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError, ExternalServiceError } from '../app/errors.js';

/**
 * Who is calling the tab's API: the Entra object id the bot also knows people by, taken from a
 * token the API has checked. `demo` says it came from the demo sign-in.
 */
export interface TabIdentity {
  objectId: string;
  demo: boolean;
}

export interface TabAuthenticator {
  /** `entra`: tokens from Teams, Outlook or the Microsoft 365 app; `demo`: the demo sign-in. */
  readonly mode: 'entra' | 'demo';
  /** Entra only: the app and tenant tokens must be issued for and by. */
  readonly entra?: EntraSettings;
  verify(token: string): Promise<TabIdentity>;
  /** Demo mode only: a token for a demo user (by Entra object id). */
  issueDemoToken(objectId: string): Promise<{ token: string; expiresAt: Date }>;
}

export class NotSignedInError extends AppError {
  readonly status = 401;
}

/** The delegated scope the tab asks for (Expose an API: access_as_user). */
export const SSO_SCOPE = 'access_as_user';

export interface EntraSettings {
  /** The app registration the tab's SSO tokens are issued for: the token's audience (v2). */
  clientId: string;
  /** The council's tenant: the issuer and `tid` must name it. */
  tenantId: string;
  /** Where the tenant's signing keys are (Entra's, or a local test key set). */
  jwksUrl: string;
}

export const ENTRA_LOGIN = 'https://login.microsoftonline.com';

export function entraIssuer(tenantId: string): string {
  return `${ENTRA_LOGIN}/${tenantId}/v2.0`;
}

export function entraJwksUrl(tenantId: string): string {
  return `${ENTRA_LOGIN}/${tenantId}/discovery/v2.0/keys`;
}

const DEMO_ISSUER = 'iro-assistant-demo';
const DEMO_AUDIENCE = 'iro-assistant-tab';
const DEMO_LIFETIME_SECONDS = 8 * 3600;
/** Allowed difference between our clock and the token issuer's. */
const CLOCK_TOLERANCE_SECONDS = 60;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

const SIGN_IN_AGAIN = 'Your sign-in could not be checked. Close the tab and open it again.';

function objectIdOf(payload: JWTPayload): string {
  const oid = payload['oid'];
  if (typeof oid !== 'string' || !OBJECT_ID.test(oid)) {
    throw new NotSignedInError(SIGN_IN_AGAIN);
  }
  return oid.toLowerCase();
}

const ENTRA_DOWN =
  'Your sign-in could not be checked: Microsoft Entra did not answer. Try again in a minute.';

/**
 * jose's errors say what was wrong with a token; the caller only learns that it was refused. The
 * tenant's keys not being reachable is not the user's sign-in failing: that is a 502.
 */
function refused(error: unknown): never {
  if (error instanceof NotSignedInError) throw error;
  if (error instanceof joseErrors.JWTExpired) {
    throw new NotSignedInError('Your sign-in has expired. Close the tab and open it again.');
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    throw new ExternalServiceError(ENTRA_DOWN, { cause: error });
  }
  if (error instanceof joseErrors.JOSEError) throw new NotSignedInError(SIGN_IN_AGAIN);
  // Anything else comes from fetching the keys (the network, a proxy's error page).
  throw new ExternalServiceError(ENTRA_DOWN, { cause: error });
}

/**
 * The clients that may ask Entra for a token for the tab's API (`azp`): the Teams, Microsoft 365
 * and Outlook hosts Microsoft documents for tab SSO, and the app itself (the Outlook pane's nested
 * app authentication). Another app a user consented to cannot call the API with its token.
 */
export const HOST_CLIENT_IDS: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Outlook desktop (and Microsoft 365 mobile)
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
];

/**
 * Checks Entra access tokens as Microsoft documents for v2 tokens: signed by one of the tenant's
 * keys (by `kid`, RS256 only), `iss` exactly the tenant's v2 issuer, `aud` the app's client id,
 * `tid` the council's tenant, not expired or not yet valid, with the `access_as_user` scope.
 */
export function entraAuthenticator(
  settings: EntraSettings,
  now: () => Date,
  keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl), {
    cooldownDuration: 30_000,
    cacheMaxAge: 24 * 3600 * 1000,
  }),
): TabAuthenticator {
  return {
    mode: 'entra',
    entra: settings,
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: entraIssuer(settings.tenantId),
          audience: settings.clientId,
          algorithms: ['RS256'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now(),
          requiredClaims: ['exp', 'iat', 'oid', 'tid'],
        });
        if (payload['tid'] !== settings.tenantId) throw new NotSignedInError(SIGN_IN_AGAIN);
        const scopes = typeof payload['scp'] === 'string' ? payload['scp'].split(' ') : [];
        if (!scopes.includes(SSO_SCOPE)) throw new NotSignedInError(SIGN_IN_AGAIN);
        const azp = typeof payload['azp'] === 'string' ? payload['azp'].toLowerCase() : '';
        if (azp !== settings.clientId && !HOST_CLIENT_IDS.includes(azp)) {
          throw new NotSignedInError(SIGN_IN_AGAIN);
        }
        return { objectId: objectIdOf(payload), demo: false };
      } catch (error) {
        refused(error);
      }
    },
    issueDemoToken() {
      return Promise.reject(
        new NotSignedInError('The demo sign-in is off: this server uses Microsoft Entra sign-in.'),
      );
    },
  };
}

/**
 * The demo sign-in of a local run with no Entra settings: tokens signed with a key that lives
 * only in this process (restarting the server signs everyone out).
 */
export function demoAuthenticator(now: () => Date): TabAuthenticator {
  const secret = new Uint8Array(randomBytes(32));
  return {
    mode: 'demo',
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: DEMO_ISSUER,
          audience: DEMO_AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now(),
          requiredClaims: ['exp', 'oid'],
        });
        return { objectId: objectIdOf(payload), demo: true };
      } catch (error) {
        refused(error);
      }
    },
    async issueDemoToken(objectId) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expires = issuedAt + DEMO_LIFETIME_SECONDS;
      const token = await new SignJWT({ oid: objectId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(DEMO_ISSUER)
        .setAudience(DEMO_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expires)
        .sign(secret);
      return { token, expiresAt: new Date(expires * 1000) };
    },
  };
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The tab's sign-in from the configuration: Entra when the app has a client id (SSO_CLIENT_ID, or
 * BOT_ID whose registration the manifest's webApplicationInfo names) and a tenant; the demo
 * sign-in only when no Entra or Graph setting is there at all; otherwise undefined (the tab says
 * its sign-in is not set up).
 */
export function tabAuthenticatorOf(
  config: {
    SSO_CLIENT_ID?: string | undefined;
    SSO_TENANT_ID?: string | undefined;
    SSO_JWKS_URL?: string | undefined;
    BOT_ID?: string | undefined;
    BOT_TENANT_ID?: string | undefined;
    GRAPH_TENANT_ID?: string | undefined;
    SSO_APP_ID_URI?: string | undefined;
    GRAPH_CLIENT_ID?: string | undefined;
    GRAPH_MANAGED_IDENTITY?: boolean | undefined;
  },
  now: () => Date,
): TabAuthenticator | undefined {
  const clientId = (config.SSO_CLIENT_ID ?? config.BOT_ID)?.toLowerCase();
  const tenantId = (
    config.SSO_TENANT_ID ??
    config.BOT_TENANT_ID ??
    config.GRAPH_TENANT_ID
  )?.toLowerCase();
  if (!clientId) {
    // The demo sign-in only where nothing of Entra is configured at all (a local run).
    const anyEntra =
      tenantId ||
      config.SSO_APP_ID_URI ||
      config.SSO_JWKS_URL ||
      config.GRAPH_CLIENT_ID ||
      config.GRAPH_MANAGED_IDENTITY;
    return anyEntra ? undefined : demoAuthenticator(now);
  }
  if (!tenantId) return undefined;
  return entraAuthenticator(
    { clientId, tenantId, jwksUrl: config.SSO_JWKS_URL ?? entraJwksUrl(tenantId) },
    now,
  );
}
