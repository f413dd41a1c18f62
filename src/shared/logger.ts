import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. They carry ids and correlation ids, never names, dates of birth or free
 * text from a child's record.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'iro-assistant' },
    redact: { paths: ['req.headers.authorization', '*.token', '*.password'], remove: true },
  });
}
