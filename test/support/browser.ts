import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { todayIn } from '../../src/domain/local-date.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Clock } from '../../src/services.js';
import type { DemoSignIn, DemoUsers } from '../../src/tab/api-types.js';
import { testLogger } from './test-log.js';
import { watchStore } from './watch-store.js';

/** Debian's Chromium (CI installs it); the browser tests are skipped without it. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env['CI']) {
  // CI installs Chromium (.ci/run): a missing browser there is a broken run, not a skip.
  throw new Error(`CI=true but no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
}

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** A fixed instant for the demo council, so the figures and screenshots are the same each run. */
export const BROWSER_NOW = new Date('2026-11-16T10:00:00Z');
const TZ = 'Europe/London';

/** The real server with the demo council in a temporary data directory, on a fixed clock. */
export class TabServer {
  server!: RunningServer;
  dataDir = '';

  get url(): string {
    return this.server.url;
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    this.dataDir = await mkdtemp(path.join(tmpdir(), 'iro-tab-'));
    const clock: Clock = { now: () => BROWSER_NOW, today: () => todayIn(TZ, BROWSER_NOW) };
    this.server = await startServer(
      loadConfig({
        DATA_DIR: this.dataDir,
        PORT: '0',
        DEMO_DATA: 'true',
        // As npm start seeds it: the last 120 days recorded through the app.
        DEMO_RECORDED_DAYS: '120',
        TIME_ZONE: TZ,
        JOBS_INTERVAL_SECONDS: '3600',
        ...env,
      }),
      testLogger(),
      { clock },
    );
  }

  async stop(): Promise<void> {
    if (this.server) await watchStore(this.server.services.store.db);
    await this.server?.close();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  async demoUsers(): Promise<DemoUsers['users']> {
    const response = await fetch(`${this.url}/api/tab/demo/users`);
    if (!response.ok) throw new Error(`demo users: ${response.status}`);
    return ((await response.json()) as DemoUsers).users;
  }

  /** A demo token for this user, as the page's sign-in gets it. */
  async tokenFor(email: string): Promise<string> {
    const response = await fetch(`${this.url}/api/tab/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (!response.ok) throw new Error(`demo sign-in: ${response.status} ${await response.text()}`);
    return ((await response.json()) as DemoSignIn).token;
  }

  /** GETs an API path with the user's token (what the page shows must equal this). */
  async api<T>(token: string, pathAndQuery: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless'],
  });
}

/** Opens the tab and signs in through the demo sign-in as this user; waits for My reviews. */
export async function signInThroughPage(
  page: Page,
  baseUrl: string,
  email: string,
  query = '',
): Promise<void> {
  await page.goto(`${baseUrl}/tab/${query}`);
  await page.locator(`button[data-email="${email}"]`).click();
  await page.getByRole('heading', { level: 1, name: 'My reviews' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
