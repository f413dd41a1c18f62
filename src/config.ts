import { z } from 'zod';
import { parseIsoDate, type LocalDate } from './domain/local-date.js';

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const isoDateList = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const dates: LocalDate[] = [];
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const date = parseIsoDate(part);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a date as YYYY-MM-DD` });
        continue;
      }
      dates.push(date);
    }
    return dates;
  });

/**
 * Every setting the app reads from the environment, with its default. The README's configuration
 * table is checked against this list by a test.
 */
export const CONFIG_DOCS = {
  PORT: 'HTTP port for the bot endpoint, the tab and /healthz',
  DATA_DIR: 'Folder for the embedded PostgreSQL store (PGlite) when DATABASE_URL is not set',
  DATABASE_URL: 'postgres://... of a PostgreSQL server; when set, the embedded store is not used',
  DATABASE_MIGRATION_URL:
    "postgres://... of the role that owns the schema: migrations run as it, and DATABASE_URL's role is granted only what the app needs (audit_log: SELECT and INSERT)",
  DEMO_DATA: 'Seed a synthetic council into an empty store on start (true/false)',
  DEMO_RECORDED_DAYS:
    "How many days up to today of the demo council's reviews are recorded through the app (attendance, decisions, late reasons, records distributed) rather than imported, so the tab and the annual report show those figures; 0 imports them all",
  TIME_ZONE: "The council's time zone, for what 'today' means",
  EXTRA_BANK_HOLIDAYS:
    "Newly proclaimed bank holidays not yet in the shipped list, comma-separated YYYY-MM-DD; not a council's own closure days, which are working days in the regulations",
  LOG_LEVEL: 'pino log level: fatal, error, warn, info, debug, trace or silent',
  BOT_ID:
    "The bot's Microsoft app (client) id; without it the bot accepts unauthenticated local traffic",
  BOT_PASSWORD: "The app's client secret (a secret: never in a committed file)",
  BOT_TENANT_ID: 'Entra tenant id, for a SingleTenant bot',
  BOT_TYPE: 'MultiTenant, SingleTenant or UserAssignedMSI',
  BOT_OPENID_METADATA_URL:
    "Where the Bot Connector's token signing keys are described; unset, Microsoft's (https://login.botframework.com/v1/.well-known/openidconfiguration). Tests point it at a local key set",
  GRAPH_BASE_URL:
    'Where Microsoft Graph is; unset with no Graph credentials = the built-in Graph simulator',
  GRAPH_TENANT_ID: 'Entra tenant id for the Graph app registration',
  GRAPH_CLIENT_ID: 'Client id of the app registration with Calendars.ReadWrite (application)',
  GRAPH_CLIENT_SECRET: 'Its client secret (a secret), or use GRAPH_CERTIFICATE_PATH',
  GRAPH_CERTIFICATE_PATH: 'PEM file with the certificate and private key, instead of a secret',
  GRAPH_MANAGED_IDENTITY:
    'true to use the Azure managed identity (GRAPH_CLIENT_ID for a user-assigned one)',
  GRAPH_MAX_RETRIES: 'How often a throttled (429) or unavailable (503/504) Graph call is retried',
  WORKING_HOURS: 'When reviews may be booked, HH:MM-HH:MM in TIME_ZONE',
  REVIEW_LENGTH_MINUTES: 'Default length of a review meeting',
  SCHEDULING_NOTICE_WORKING_DAYS:
    'Working days of notice before the earliest proposed slot (SW report)',
  REVIEW_SUBJECT_TEMPLATE: 'Invitation subject; {initials} and {child} are filled in, nothing else',
  TEAMS_APP_ID:
    'The Teams app\'s manifest id (appPackage/manifest.json "id"); its catalog id is looked up through Graph to add the app to review meeting chats',
  RECORDING_REMINDER_MINUTES:
    'Minutes after a review meeting ends before the chair is sent the form in their 1:1 chat',
  RECORD_DISTRIBUTION_WORKING_DAYS:
    'Working days after a review by which its record should be distributed (15; some councils use 20)',
  MIDWAY_CHECKS:
    'Ask social workers at the midway date how the last review decisions are going (true/false)',
  CALENDAR_SYNC_MINUTES:
    "How often booked review meetings are read back from the chairs' calendars, so a meeting moved or cancelled in Outlook is followed (0: never)",
  JOBS_INTERVAL_SECONDS:
    'How often each instance looks for work it must do on its own (midway checks, reminders)',
  JOB_LEASE_SECONDS:
    'How long an instance holds a job it took; a job of an instance that stopped is taken up after this',
  SSO_CLIENT_ID:
    "Client id of the Entra app registration the tab's SSO tokens are issued for (manifest webApplicationInfo.id); defaults to BOT_ID. With neither set, the tab offers the demo sign-in",
  SSO_TENANT_ID:
    "The council's Entra tenant id: tab tokens must be issued by it; defaults to BOT_TENANT_ID, then GRAPH_TENANT_ID",
  SSO_JWKS_URL:
    "Where the tenant's token signing keys are; defaults to Entra's (https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys). Tests point it at a local key set",
  SSO_APP_ID_URI:
    "The App ID URI the tab's API is exposed on (the manifest's webApplicationInfo.resource, e.g. api://iro.example.org/botid-<BOT_ID>); the Outlook task pane asks for <this>/access_as_user through nested app authentication",
  RATE_LIMIT_PER_MINUTE:
    "Requests each signed-in person may make in a minute, counted apart for the tab's API (with the Outlook add-in's) and for the bot, by Entra object id and shared by all instances; more get 429 (tab) or a card asking them to wait (bot). 0 turns the limit off",
  RATE_LIMIT_SIGN_IN_PER_MINUTE:
    'Demo sign-in requests (/api/tab/demo/*) each client address may make in a minute; 0 turns the limit off',
  TRUST_PROXY_HOPS:
    "How many reverse proxies stand in front of the server (1 on Azure App Service): the client's address is then read from X-Forwarded-For, which is ignored at 0",
  CLOCK_START:
    "Demos and tests only: the server's clock starts at this instant (ISO 8601) and runs on; refused with BOT_ID",
} as const;

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATABASE_MIGRATION_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DEMO_DATA: booleanText.default(true),
    DEMO_RECORDED_DAYS: z.coerce.number().int().min(0).max(366).default(0),
    TIME_ZONE: z
      .string()
      .default('Europe/London')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'is not an IANA time zone such as Europe/London'),
    EXTRA_BANK_HOLIDAYS: isoDateList,
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    BOT_ID: z
      .string()
      .regex(/^[0-9a-fA-F-]{36}$/, 'must be the app (client) id, a GUID')
      .optional(),
    BOT_PASSWORD: z.string().min(1).optional(),
    BOT_TENANT_ID: z.string().min(1).optional(),
    BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    BOT_OPENID_METADATA_URL: z.url({ protocol: /^https?$/ }).optional(),
    GRAPH_BASE_URL: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must be a URL such as https://graph.microsoft.com')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    GRAPH_TENANT_ID: z.string().min(1).optional(),
    GRAPH_CLIENT_ID: z.string().min(1).optional(),
    GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
    GRAPH_CERTIFICATE_PATH: z.string().min(1).optional(),
    GRAPH_MANAGED_IDENTITY: booleanText.default(false),
    GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    WORKING_HOURS: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must look like 09:00-17:00')
      .refine((v) => v.slice(0, 5) < v.slice(6), 'must end after it starts')
      .default('09:00-17:00'),
    REVIEW_LENGTH_MINUTES: z.coerce.number().int().min(15).max(480).default(90),
    SCHEDULING_NOTICE_WORKING_DAYS: z.coerce.number().int().min(0).max(20).default(3),
    REVIEW_SUBJECT_TEMPLATE: z
      .string()
      .max(200)
      .refine(
        (t) => !/\{(?!initials\}|child\})[^}]*\}/.test(t),
        'may use only {initials} and {child}',
      )
      .default('Review: {initials} ({child})'),
    TEAMS_APP_ID: z
      .string()
      .regex(
        /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
        'must be the manifest id, a GUID',
      )
      .optional(),
    RECORDING_REMINDER_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    RECORD_DISTRIBUTION_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(15),
    MIDWAY_CHECKS: booleanText.default(true),
    CALENDAR_SYNC_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(1440)
      .refine((n) => n === 0 || n >= 5, 'must be 0 (never) or at least 5')
      .default(60),
    JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    JOB_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
    SSO_CLIENT_ID: z
      .string()
      .regex(/^[0-9a-fA-F-]{36}$/, 'must be the app (client) id, a GUID')
      .optional(),
    SSO_TENANT_ID: z.string().min(1).optional(),
    SSO_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    SSO_APP_ID_URI: z
      .string()
      .regex(
        /^(api|https):\/\/[^\s]+[^/\s]$/,
        'must be an App ID URI such as api://iro.example.org/botid-<BOT_ID>',
      )
      .optional(),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(600),
    RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(120),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.DATABASE_MIGRATION_URL && !c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_MIGRATION_URL'],
        message: "needs DATABASE_URL (the app's own role on the same database)",
      });
    }
    if (c.CLOCK_START && c.BOT_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['CLOCK_START'],
        message: 'is for demos and tests: unset it when BOT_ID is set (a real deployment)',
      });
    }
    if (c.BOT_ID && !c.BOT_PASSWORD && c.BOT_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_PASSWORD'],
        message: 'is required when BOT_ID is set (or set BOT_TYPE=UserAssignedMSI)',
      });
    }
    const graphCredential = Boolean(c.GRAPH_CLIENT_SECRET || c.GRAPH_CERTIFICATE_PATH);
    if (graphCredential && (!c.GRAPH_TENANT_ID || !c.GRAPH_CLIENT_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GRAPH_CLIENT_ID'],
        message:
          'GRAPH_TENANT_ID and GRAPH_CLIENT_ID are required with a Graph secret or certificate',
      });
    }
    if (c.GRAPH_CLIENT_SECRET && c.GRAPH_CERTIFICATE_PATH) {
      ctx.addIssue({
        code: 'custom',
        path: ['GRAPH_CERTIFICATE_PATH'],
        message: 'give a Graph client secret or a certificate, not both',
      });
    }
    if (c.SSO_CLIENT_ID && !(c.SSO_TENANT_ID ?? c.BOT_TENANT_ID ?? c.GRAPH_TENANT_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SSO_TENANT_ID'],
        message: "is required with SSO_CLIENT_ID: the council's tenant must issue the tab's tokens",
      });
    }
    if (c.BOT_TYPE === 'SingleTenant' && !c.BOT_TENANT_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_TENANT_ID'],
        message: 'is required when BOT_TYPE is SingleTenant',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration; the only place that looks at process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(CONFIG_DOCS)
      .map((k) => [k, env[k]] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
