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
  DEMO_DATA: 'Seed a synthetic council into an empty store on start (true/false)',
  TIME_ZONE: "The council's time zone, for what 'today' means",
  EXTRA_BANK_HOLIDAYS: 'Extra non-working days, comma-separated YYYY-MM-DD (local closure days)',
  LOG_LEVEL: 'pino log level: fatal, error, warn, info, debug, trace or silent',
  BOT_ID:
    "The bot's Microsoft app (client) id; without it the bot accepts unauthenticated local traffic",
  BOT_PASSWORD: "The app's client secret (a secret: never in a committed file)",
  BOT_TENANT_ID: 'Entra tenant id, for a SingleTenant bot',
  BOT_TYPE: 'MultiTenant, SingleTenant or UserAssignedMSI',
} as const;

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DEMO_DATA: booleanText.default(true),
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
  })
  .superRefine((c, ctx) => {
    if (c.BOT_ID && !c.BOT_PASSWORD && c.BOT_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_PASSWORD'],
        message: 'is required when BOT_ID is set (or set BOT_TYPE=UserAssignedMSI)',
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
