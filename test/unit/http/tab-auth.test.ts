import { describe, expect, it } from 'vitest';
import { errors as joseErrors } from 'jose';
import { ExternalServiceError } from '../../../src/app/errors.js';
import { bearerToken, entraAuthenticator, tabAuthenticatorOf } from '../../../src/http/tab-auth.js';
import { EntraTestKeys, TEST_CLIENT_ID, TEST_TENANT } from '../../support/entra-test-keys.js';

const now = () => new Date('2026-12-01T10:00:00Z');
const CLIENT = 'A1B2C3D4-0000-4000-8000-00000000C11E';
const TENANT = '7A1B2C3D-0000-4000-8000-00000000C0DE';

describe("the tab's sign-in from the configuration", () => {
  it('offers the demo sign-in only when nothing of Entra or Graph is configured', () => {
    expect(tabAuthenticatorOf({}, now)?.mode).toBe('demo');
    for (const setting of [
      { SSO_TENANT_ID: TENANT },
      { SSO_APP_ID_URI: 'api://iro.example.org/botid-x' },
      { SSO_JWKS_URL: 'https://keys.example.org/keys' },
      { BOT_TENANT_ID: TENANT },
      { GRAPH_TENANT_ID: TENANT },
      { GRAPH_CLIENT_ID: CLIENT },
      { GRAPH_MANAGED_IDENTITY: true },
    ]) {
      expect(tabAuthenticatorOf(setting, now), JSON.stringify(setting)).toBeUndefined();
    }
  });

  it('checks Entra tokens once a client id and a tenant are known, whatever their letter case', () => {
    const auth = tabAuthenticatorOf({ BOT_ID: CLIENT, GRAPH_TENANT_ID: TENANT }, now);
    expect(auth?.mode).toBe('entra');
    expect(auth?.entra).toEqual({
      clientId: CLIENT.toLowerCase(),
      tenantId: TENANT.toLowerCase(),
      jwksUrl: `https://login.microsoftonline.com/${TENANT.toLowerCase()}/discovery/v2.0/keys`,
    });
    // A client id with no tenant: no sign-in at all (never the demo one).
    expect(tabAuthenticatorOf({ SSO_CLIENT_ID: CLIENT }, now)).toBeUndefined();
  });

  it('reads a bearer token whatever the case of the scheme, and nothing else', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer abc def')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('Entra token checks when the tenant keys cannot be read', () => {
  it('answers that Entra did not answer (502), not that the sign-in was wrong', async () => {
    const keys = new EntraTestKeys();
    await keys.start();
    try {
      const token = await keys.token('00000000-0000-4000-8000-000000000001');
      const unreachable = entraAuthenticator(
        { clientId: TEST_CLIENT_ID, tenantId: TEST_TENANT, jwksUrl: keys.url },
        () => new Date(),
        () => Promise.reject(new TypeError('fetch failed')),
      );
      const refusal = await unreachable.verify(token).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ExternalServiceError);
      expect((refusal as Error).message).toMatch(/Microsoft Entra did not answer/);
      const timedOut = entraAuthenticator(
        { clientId: TEST_CLIENT_ID, tenantId: TEST_TENANT, jwksUrl: keys.url },
        () => new Date(),
        () => Promise.reject(new joseErrors.JWKSTimeout()),
      );
      await expect(timedOut.verify(token)).rejects.toBeInstanceOf(ExternalServiceError);
    } finally {
      await keys.stop();
    }
  });
});
