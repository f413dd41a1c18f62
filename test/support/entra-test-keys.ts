import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { serveJson, type JsonServer } from './json-server.js';

export const TEST_TENANT = '7a1b2c3d-0000-4000-8000-00000000c0de';
export const TEST_CLIENT_ID = '5a2b3c4d-1111-2222-3333-444455556666';

/**
 * A stand-in for the tenant's Entra signing keys: a JWKS endpoint on localhost (as
 * login.microsoftonline.com/<tenant>/discovery/v2.0/keys answers) and a signer for v2 access
 * tokens shaped as Teams SSO tokens are (aud = client id, v2 issuer, tid, oid, scp).
 */
export class EntraTestKeys {
  private server: JsonServer | undefined;
  private privateKey!: CryptoKey;
  /** A second key the JWKS does not publish: tokens it signs must be refused. */
  private strangerKey!: CryptoKey;
  readonly kid = 'test-key-1';
  url = '';

  async start(): Promise<void> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = pair.privateKey;
    this.strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' };
    this.server = await serveJson({ '/discovery/v2.0/keys': () => ({ keys: [jwk] }) });
    this.url = `${this.server.base}/discovery/v2.0/keys`;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** The server settings that make it trust these keys. */
  env(): Record<string, string> {
    return {
      SSO_CLIENT_ID: TEST_CLIENT_ID,
      SSO_TENANT_ID: TEST_TENANT,
      SSO_JWKS_URL: this.url,
      SSO_APP_ID_URI: `api://iro.example.org/botid-${TEST_CLIENT_ID}`,
    };
  }

  /**
   * A token for the user with this object id; `claims` override the usual ones (null removes
   * one), `signedBy: 'stranger'` signs with a key the tenant does not publish.
   */
  async token(
    oid: string,
    options: {
      claims?: Record<string, unknown>;
      signedBy?: 'tenant' | 'stranger';
      expiresInSeconds?: number;
      alg?: string;
    } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      aud: TEST_CLIENT_ID,
      iss: `https://login.microsoftonline.com/${TEST_TENANT}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + (options.expiresInSeconds ?? 3600),
      tid: TEST_TENANT,
      oid,
      scp: 'access_as_user',
      azp: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      ver: '2.0',
    };
    for (const [key, value] of Object.entries(options.claims ?? {})) {
      if (value === null) delete claims[key];
      else claims[key] = value;
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: this.kid, typ: 'JWT' })
      .sign(options.signedBy === 'stranger' ? this.strangerKey : this.privateKey);
  }
}
