import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOCS, ConfigError, loadConfig } from '../../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('configuration', () => {
  it('has defaults that run the app locally', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3978,
      DATA_DIR: './.data',
      DEMO_DATA: true,
      DEMO_RECORDED_DAYS: 0,
      TIME_ZONE: 'Europe/London',
      EXTRA_BANK_HOLIDAYS: [],
      LOG_LEVEL: 'info',
      BOT_TYPE: 'MultiTenant',
      GRAPH_MANAGED_IDENTITY: false,
      GRAPH_MAX_RETRIES: 3,
      WORKING_HOURS: '09:00-17:00',
      REVIEW_LENGTH_MINUTES: 90,
      SCHEDULING_NOTICE_WORKING_DAYS: 3,
      REVIEW_SUBJECT_TEMPLATE: 'Review: {initials} ({child})',
      RECORDING_REMINDER_MINUTES: 30,
      RECORD_DISTRIBUTION_WORKING_DAYS: 15,
      MIDWAY_CHECKS: true,
      CALENDAR_SYNC_MINUTES: 60,
      JOBS_INTERVAL_SECONDS: 60,
      JOB_LEASE_SECONDS: 300,
      RATE_LIMIT_PER_MINUTE: 600,
      RATE_LIMIT_SIGN_IN_PER_MINUTE: 120,
      TRUST_PROXY_HOPS: 0,
    });
  });

  it('takes 0 to 366 days of demo reviews recorded through the app, and says what to fix otherwise', () => {
    expect(loadConfig({ DEMO_RECORDED_DAYS: '120' }).DEMO_RECORDED_DAYS).toBe(120);
    for (const bad of ['-1', '367', '12.5', 'many'])
      expect(() => loadConfig({ DEMO_RECORDED_DAYS: bad }), bad).toThrow(/DEMO_RECORDED_DAYS/);
  });

  it('refuses a subject template that could leak anything but initials and CHILD id', () => {
    expect(() => loadConfig({ REVIEW_SUBJECT_TEMPLATE: 'Review for {firstName}' })).toThrow(
      /may use only \{initials\} and \{child\}/,
    );
    expect(() => loadConfig({ WORKING_HOURS: '17:00-09:00' })).toThrow(/must end after it starts/);
  });

  it('reads calendars back every 5 minutes at most often, or never', () => {
    expect(loadConfig({ CALENDAR_SYNC_MINUTES: '0' }).CALENDAR_SYNC_MINUTES).toBe(0);
    expect(loadConfig({ CALENDAR_SYNC_MINUTES: '15' }).CALENDAR_SYNC_MINUTES).toBe(15);
    expect(() => loadConfig({ CALENDAR_SYNC_MINUTES: '1' })).toThrow(
      /CALENDAR_SYNC_MINUTES: must be 0 \(never\) or at least 5/,
    );
  });

  it('refuses a demo clock in a real deployment', () => {
    expect(loadConfig({ CLOCK_START: '2027-01-06T10:00:00Z' }).CLOCK_START).toBe(
      '2027-01-06T10:00:00Z',
    );
    expect(() =>
      loadConfig({
        CLOCK_START: '2027-01-06T10:00:00Z',
        BOT_ID: '11111111-2222-3333-4444-555555555555',
        BOT_PASSWORD: 'x',
      }),
    ).toThrow(/CLOCK_START: is for demos and tests/);
    expect(() => loadConfig({ CLOCK_START: 'next tuesday' })).toThrow(/CLOCK_START/);
  });

  it('asks for the secret when a bot id is given', () => {
    expect(() => loadConfig({ BOT_ID: '11111111-2222-3333-4444-555555555555' })).toThrow(
      /BOT_PASSWORD: is required when BOT_ID is set/,
    );
    expect(() => loadConfig({ BOT_TYPE: 'SingleTenant' })).toThrow(/BOT_TENANT_ID: is required/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/iro',
      DATABASE_URL: 'postgres://u@db/iro',
      DEMO_DATA: 'false',
      TIME_ZONE: 'Europe/London',
      EXTRA_BANK_HOLIDAYS: '2026-11-03, 2026-12-24',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      DEMO_DATA: false,
      EXTRA_BANK_HOLIDAYS: ['2026-11-03', '2026-12-24'],
    });
  });

  it('names every wrong variable and says what to fix', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        TIME_ZONE: 'Mars/Olympus',
        EXTRA_BANK_HOLIDAYS: '2026-02-30',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^DATABASE_URL: must start with postgres:\/\//m);
    expect(problems).toMatch(/^TIME_ZONE: is not an IANA time zone/m);
    expect(problems).toMatch(/^EXTRA_BANK_HOLIDAYS: "2026-02-30" is not a date as YYYY-MM-DD/m);
  });

  it('is documented in the README, every variable with its default', () => {
    const defaults = loadConfig({}) as Record<string, unknown>;
    for (const key of Object.keys(CONFIG_DOCS)) {
      const row = readme
        .split('\n')
        .find((line) => new RegExp(`^\\|\\s*\`${key}\`\\s*\\|`).test(line));
      expect(row, `README has no row for ${key}`).toBeDefined();
      const documented = row?.split('|')[2]?.trim();
      const actual = defaults[key];
      const expected =
        actual === undefined || (Array.isArray(actual) && actual.length === 0)
          ? '(none)'
          : `\`${String(actual)}\``;
      expect(documented, `README default for ${key}`).toBe(expected);
    }
  });
});
