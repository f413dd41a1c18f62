import { readFileSync } from 'node:fs';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { Config } from '../config.js';

export const GRAPH_DEFAULT_URL = 'https://graph.microsoft.com';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export type GraphAuth = 'client-secret' | 'certificate' | 'managed-identity' | 'none';

/** Which credential the configuration asks for; 'none' sends requests without a token. */
export function graphAuthOf(config: Config): GraphAuth {
  if (config.GRAPH_CLIENT_SECRET) return 'client-secret';
  if (config.GRAPH_CERTIFICATE_PATH) return 'certificate';
  if (config.GRAPH_MANAGED_IDENTITY) return 'managed-identity';
  return 'none';
}

function credentialOf(config: Config): TokenCredential | undefined {
  switch (graphAuthOf(config)) {
    case 'client-secret':
      return new ClientSecretCredential(
        config.GRAPH_TENANT_ID ?? '',
        config.GRAPH_CLIENT_ID ?? '',
        config.GRAPH_CLIENT_SECRET ?? '',
      );
    case 'certificate':
      return new ClientCertificateCredential(
        config.GRAPH_TENANT_ID ?? '',
        config.GRAPH_CLIENT_ID ?? '',
        {
          certificate: readFileSync(config.GRAPH_CERTIFICATE_PATH ?? '', 'utf8'),
        },
      );
    case 'managed-identity':
      return config.GRAPH_CLIENT_ID
        ? new ManagedIdentityCredential(config.GRAPH_CLIENT_ID)
        : new ManagedIdentityCredential();
    default:
      return undefined;
  }
}

/**
 * The Graph SDK client: app-only token from @azure/identity when credentials are configured,
 * none otherwise (the local simulator or another Graph-compatible test server expects none);
 * 429, 503 and 504 retried after Retry-After, at most GRAPH_MAX_RETRIES times.
 */
export function createGraphClient(config: Config, baseUrl: string, retryDelaySeconds = 3): Client {
  const credential = credentialOf(config);
  const chain: Middleware[] = [];
  if (credential) {
    chain.push(
      new AuthenticationHandler(
        new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
      ),
    );
  }
  chain.push(
    new RetryHandler(new RetryHandlerOptions(retryDelaySeconds, config.GRAPH_MAX_RETRIES)),
  );
  chain.push(new RedirectHandler());
  chain.push(new HTTPMessageHandler());
  for (let i = 0; i < chain.length - 1; i += 1) {
    const current = chain[i] as Middleware & { setNext(next: Middleware): void };
    current.setNext(chain[i + 1] as Middleware);
  }
  const host = new URL(baseUrl).host;
  return Client.initWithMiddleware({
    middleware: chain[0] as Middleware,
    baseUrl: `${baseUrl}/`,
    defaultVersion: 'v1.0',
    ...(credential && host !== new URL(GRAPH_DEFAULT_URL).host
      ? { customHosts: new Set([host]) }
      : {}),
  });
}
