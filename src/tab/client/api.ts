import type { ApiError, DemoSignIn, DemoUsers, TabConfig } from '../api-types.js';

/** A refusal or failure from the tab's API, carrying the sentence the server wrote for the user. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's correlation id (for support), or what went wrong in the browser. */
    readonly reference: string | null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

function isApiError(body: unknown): body is ApiError {
  return (
    !!body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
  );
}

async function bodyOf(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch (error) {
    // Not JSON (a proxy's error page, say): the status line is all there is to go on.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const body = await bodyOf(response);
  if (isApiError(body)) {
    const reference = typeof body.correlationId === 'string' ? body.correlationId : null;
    return new ApiFailure(response.status, body.error, reference);
  }
  return new ApiFailure(
    response.status,
    `The server answered ${response.status} ${response.statusText}. Please try again.`,
    null,
  );
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (error) {
    // fetch rejects with a TypeError when the network fails; anything else is a bug.
    if (!(error instanceof TypeError)) throw error;
    throw new ApiFailure(
      0,
      'The IRO Assistant server could not be reached. Check your connection and try again.',
      null,
    );
  }
}

async function getJson<T>(path: string, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await send(path, { headers });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as T;
}

export function fetchConfig(): Promise<TabConfig> {
  return getJson<TabConfig>('/api/tab/config');
}

export function fetchDemoUsers(): Promise<DemoUsers> {
  return getJson<DemoUsers>('/api/tab/demo/users');
}

export async function demoSignIn(email: string): Promise<DemoSignIn> {
  const response = await send('/api/tab/demo/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as DemoSignIn;
}

/** Gets a fresh token for each call (the host caches SSO tokens; demo tokens are stored). */
export type TokenSource = () => Promise<string>;

export interface Api {
  get<T>(path: string, params?: Record<string, string>): Promise<T>;
  /** The response body as a blob (for downloads). */
  blob(path: string, params?: Record<string, string>): Promise<Blob>;
  post<T>(path: string, body: unknown): Promise<T>;
}

function withQuery(path: string, params?: Record<string, string>): string {
  if (!params) return path;
  const query = new URLSearchParams(params).toString();
  return query ? `${path}?${query}` : path;
}

export function createApi(token: TokenSource, onUnauthorised: () => void): Api {
  const authorised = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const response = await send(path, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        authorization: `Bearer ${await token()}`,
      },
    });
    if (response.status === 401) onUnauthorised();
    if (!response.ok) throw await failureOf(response);
    return response;
  };
  return {
    async get<T>(path: string, params?: Record<string, string>): Promise<T> {
      const response = await authorised(withQuery(path, params));
      return (await response.json()) as T;
    },
    async blob(path: string, params?: Record<string, string>): Promise<Blob> {
      const response = await authorised(withQuery(path, params));
      return response.blob();
    },
    async post<T>(path: string, body: unknown): Promise<T> {
      const response = await authorised(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as T;
    },
  };
}
