import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/app/errors.js';
import { errorMiddleware, notFound } from '../../../src/http/error-middleware.js';
import { createLogger } from '../../../src/shared/logger.js';

/** The log lines an app with the project's error handling writes for one request to `url`. */
async function logOf(url: string): Promise<{ status: number; lines: Record<string, unknown>[] }> {
  const written: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void written.push(line) });
  const app = express();
  const children = express.Router();
  children.get('/api/tab/children/:childId', () => {
    throw new ValidationError('No such child here.');
  });
  app.use(children);
  app.get('/boom/:what', () => {
    throw new Error('a library error');
  });
  app.use(notFound());
  app.use(errorMiddleware(logger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${url}`);
    await response.arrayBuffer();
    return { status: response.status, lines: written.map((l) => JSON.parse(l) as never) };
  } finally {
    server.close();
  }
}

describe('what the error handler logs of the address', () => {
  it('logs the route a refused request matched, not what was typed into the address', async () => {
    const { status, lines } = await logOf('/api/tab/children/Jane%20Smith%202014-03-09');
    expect(status).toBe(400);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ route: '/api/tab/children/:childId', msg: 'request refused' });
    expect(JSON.stringify(lines)).not.toMatch(/Jane|Smith|2014/);
  });

  it('logs a failed request by its route too', async () => {
    const { status, lines } = await logOf('/boom/Amelia');
    expect(status).toBe(500);
    expect(lines[0]).toMatchObject({ route: '/boom/:what', msg: 'request failed' });
    expect(JSON.stringify(lines)).not.toContain('Amelia');
  });
});
