import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. They carry ids and correlation ids, never names, dates of birth or free
 * text from a child's record. Errors go through `safeError` whatever key they are logged under.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'iro-assistant' },
    serializers: { err: safeError, error: safeError, cause: safeError },
    formatters: { log: withSafeErrors },
    hooks: {
      // Before pino takes an error's own message as the line's message.
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        const [first, ...rest] = args;
        if (isErrorLike(first)) {
          const safe = safeError(first) as SafeError;
          method.apply(this, [{ err: safe }, ...(rest.length > 0 ? rest : [safe.message])]);
        } else if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
          method.apply(this, [withSafeErrors(first as Record<string, unknown>), ...rest]);
        } else {
          method.apply(this, args);
        }
      },
    },
    redact: {
      paths: ['req.headers.authorization', '*.token', '*.password', 'req.body', 'body'],
      remove: true,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * SQLSTATE codes whose PostgreSQL message names only the table, column or constraint, never a
 * value: unique, foreign key, not null and check violations, exclusion, serialization failures,
 * deadlocks, cancelled statements, connection and resource problems, missing objects.
 */
const SQLSTATES_WITHOUT_VALUES = new Set([
  '23502',
  '23503',
  '23505',
  '23514',
  '23P01',
  '40001',
  '40P01',
  '42P01',
  '42703',
  '42883',
  '53100',
  '53200',
  '53300',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);

/** Fields of an error that hold names of things (never a row's values), kept as they are. */
const SAFE_FIELDS = [
  'code',
  'errno',
  'syscall',
  'status',
  'statusCode',
  'severity',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;

const MAX_DEPTH = 3;

/** What safeError produced already (pino may hand it back to the `err` serializer). */
const alreadySafe = new WeakSet<object>();

export interface SafeError {
  type: string;
  message: string;
  stack?: string;
  [field: string]: unknown;
}

/**
 * An error as it may be logged: its class, its codes, the names of the table, column and
 * constraint involved, and a message that cannot carry a value. Everything else (SQL text, query
 * parameters, PostgreSQL's `detail` and `where` with the row's values, request bodies, Graph
 * responses) is left out; a quoted value inside a message is replaced by "…".
 */
export function safeError(error: unknown, depth = 0): unknown {
  if (typeof error === 'object' && error !== null && alreadySafe.has(error)) return error;
  if (!isErrorLike(error)) return typeof error === 'object' && error !== null ? '[object]' : error;
  const e = error as Error & Record<string, unknown>;
  const type = typeof e.constructor?.name === 'string' ? e.constructor.name : 'Error';
  const message = safeMessage(e);
  const out: SafeError = { type, message };
  alreadySafe.add(out);
  if (typeof e.name === 'string' && e.name !== type) out['name'] = e.name;
  // body-parser names what was wrong with a request body (entity.too.large, entity.parse.failed).
  if (typeof e['type'] === 'string' && /^[a-z.]{1,40}$/.test(e['type'])) out['kind'] = e['type'];
  for (const field of SAFE_FIELDS) {
    const value = e[field];
    if (typeof value === 'number' || (typeof value === 'string' && value.length <= 100)) {
      out[field] = value;
    }
  }
  if (typeof e.stack === 'string') {
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${e.name}: ${message}`, ...frames].join('\n');
  }
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) out['cause'] = safeError(e.cause, depth + 1);
    if (Array.isArray(e['errors'])) {
      out['errors'] = (e['errors'] as unknown[]).slice(0, 10).map((x) => safeError(x, depth + 1));
    }
  }
  return out;
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string' &&
      typeof (value as { stack?: unknown }).stack === 'string')
  );
}

/** A PostgreSQL error carries a five-character SQLSTATE and a severity. */
function sqlState(e: Record<string, unknown>): string | undefined {
  const code = e['code'];
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof e['severity'] === 'string'
    ? code
    : undefined;
}

function safeMessage(e: Error & Record<string, unknown>): string {
  const state = sqlState(e);
  if (state && !SQLSTATES_WITHOUT_VALUES.has(state)) {
    return `PostgreSQL error ${state} (message withheld: it may quote the row's values)`;
  }
  // A remote service's answer (the Bot Connector's RestError, Graph's GraphError) may quote what
  // was sent to it, a card with a child's initials and dates: its status and code are kept.
  if (
    e.name === 'RestError' ||
    e.name === 'GraphError' ||
    (typeof e['statusCode'] === 'number' &&
      (typeof e['response'] === 'object' || typeof e['request'] === 'object'))
  ) {
    const status = typeof e['statusCode'] === 'number' ? ` ${e['statusCode']}` : '';
    return `HTTP${status} from a remote service (message withheld: it may quote what was sent)`;
  }
  return scrubQuoted(String(e.message ?? '')).slice(0, 500);
}

/**
 * Replaces what is quoted in a message ("…", '…', «…») by "…": the snippet of a body JSON.parse
 * quotes whole, other quotes pair by pair. Kept: single characters (JSON.parse's "Expected ','
 * or '}'") and the identifiers that
 * PostgreSQL puts in double quotes after the words relation, table, column, constraint, index,
 * type, function, schema, database and role.
 */
export function scrubQuoted(text: string): string {
  return text
    .replace(/"[\s\S]*" is not valid JSON/, '"…" is not valid JSON')
    .replace(
      /(\b(?:relation|table|column|constraint|index|type|function|schema|database|role|sequence|trigger|view)\s+)?"((?:[^"\\]|\\.)*)"/gi,
      (_match, keyword: string | undefined, inner: string) =>
        (keyword && /^[A-Za-z_][A-Za-z0-9_.$]{0,62}$/.test(inner)) || inner.length <= 1
          ? `${keyword ?? ''}"${inner}"`
          : '"…"',
    )
    .replace(/'(?:[^'\\]|\\.){2,}'/g, "'…'")
    .replace(/«[^»]*»/g, '«…»');
}

/** Any error logged under a key of its own (`sendError`, `failure`, ...) is made safe too. */
function withSafeErrors(object: Record<string, unknown>): Record<string, unknown> {
  let changed: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    if (isErrorLike(value)) {
      changed ??= { ...object };
      changed[key] = safeError(value);
    }
  }
  return changed ?? object;
}

/** One line about an error for a person at a terminal: its class, codes and a safe message. */
export function describeSafely(error: unknown): string {
  const safe = safeError(error);
  if (typeof safe !== 'object' || safe === null) return String(safe);
  const e = safe as SafeError;
  const where = [e['table'], e['constraint']].filter((x) => typeof x === 'string').join(' ');
  return [e['code'] ?? e.type, where, e.message].filter(Boolean).join(': ');
}
