import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../src/http/rate-limit.js';

/** What the server takes as the client's address, behind `hops` proxies, for these headers. */
async function addressSeen(hops: number, headers: Record<string, string> = {}): Promise<string> {
  const app = express();
  app.set('trust proxy', hops);
  app.get('/', (req, res) => {
    res.send(clientAddress(req));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/`, { headers })).text();
  } finally {
    server.close();
  }
}

describe("the client's address for per-address limits", () => {
  it('is the connection’s own with no proxy configured, whatever X-Forwarded-For says', async () => {
    expect(await addressSeen(0)).toBe('127.0.0.1');
    expect(await addressSeen(0, { 'x-forwarded-for': '203.0.113.7' })).toBe('127.0.0.1');
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    // App Service's front end writes the client's port too.
    ['203.0.113.7:53211', '203.0.113.7'],
    ['[2001:db8::1]:53211', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    // A client's own X-Forwarded-For comes first; the proxy adds the address it saw at the end.
    ['198.51.100.1, 203.0.113.7:53211', '203.0.113.7'],
  ])('behind one proxy, X-Forwarded-For "%s" is %s', async (header, expected) => {
    expect(await addressSeen(1, { 'x-forwarded-for': header })).toBe(expected);
  });
});
