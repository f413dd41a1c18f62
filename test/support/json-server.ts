import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonServer {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  base: string;
  /** How many GETs each path has had. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A local stand-in for a well-known metadata or key-set endpoint: answers GET on each path with
 * that route's JSON (read afresh on every request), 404 on any other path.
 */
export async function serveJson(
  routes: Record<string, (base: string) => unknown>,
): Promise<JsonServer> {
  const hits = new Map<string, number>();
  let base = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const route = req.method === 'GET' ? routes[path] : undefined;
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(route(base)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
