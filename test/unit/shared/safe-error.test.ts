import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  describeSafely,
  safeError,
  scrubQuoted,
} from '../../../src/shared/logger.js';

/** A PostgreSQL error as pg and PGlite raise it: the row's values in detail, where, params. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), {
    name: 'error',
    severity: 'ERROR',
    code,
    detail: 'Failing row contains (A12345, Zebedee, 2015-03-02).',
    where: "unnamed portal parameter $2 = 'Zebedee'",
    internalQuery: "select 'Zebedee'",
    hint: 'Zebedee',
    table: 'children',
    constraint: 'children_first_name_check',
    query: 'insert into children values ($1, $2, $3)',
    params: ['A12345', 'Zebedee', '2015-03-02'],
    parameters: ['A12345', 'Zebedee', '2015-03-02'],
  });
}

function captured(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger('trace', sink), text: () => text };
}

describe('errors in logs', () => {
  it('keep the codes and names of things, never the values', () => {
    const safe = safeError(
      pgError(
        '23514',
        'new row for relation "children" violates check constraint "children_first_name_check"',
      ),
    );
    expect(safe).toEqual({
      type: 'Error',
      name: 'error',
      code: '23514',
      severity: 'ERROR',
      table: 'children',
      constraint: 'children_first_name_check',
      message:
        'new row for relation "children" violates check constraint "children_first_name_check"',
      stack: expect.stringMatching(/^error: new row for relation "children" violates/),
    });
    expect(JSON.stringify(safe)).not.toMatch(/Zebedee|2015|A12345/);
  });

  it('withhold a PostgreSQL message that can quote a value', () => {
    const safe = safeError(pgError('22007', 'invalid input syntax for type date: "Zebedee"'));
    expect(safe).toMatchObject({
      code: '22007',
      message: "PostgreSQL error 22007 (message withheld: it may quote the row's values)",
    });
    expect(JSON.stringify(safe)).not.toMatch(/Zebedee/);
  });

  it("withhold a remote service's message, which may quote the card that was sent", () => {
    const connector = Object.assign(
      new Error('Activity rejected: M.A. · X77828 Due Sat 5 December 2026 (hold by Friday)'),
      { name: 'RestError', statusCode: 400, code: 'BadArgument', request: {}, response: {} },
    );
    const safe = safeError(connector) as Record<string, unknown>;
    expect(safe['message']).toBe(
      'HTTP 400 from a remote service (message withheld: it may quote what was sent)',
    );
    expect(safe).toMatchObject({ statusCode: 400, code: 'BadArgument' });
    expect(JSON.stringify(safe)).not.toMatch(/X77828|December/);
  });

  it('follow causes and scrub quoted values from other messages', () => {
    const outer = new Error('Database migration 005 failed', {
      cause: pgError('P0001', 'refused child Zebedee'),
    });
    expect(JSON.stringify(safeError(outer))).not.toMatch(/Zebedee/);
    expect(scrubQuoted(`Unexpected token 'Z', "{"name": "Zebedee"}" is not valid JSON`)).toBe(
      `Unexpected token 'Z', "…" is not valid JSON`,
    );
    expect(scrubQuoted(`relation "children" does not exist; value 'Zebedee'`)).toBe(
      `relation "children" does not exist; value '…'`,
    );
  });

  it('are made safe under any key, and as the first argument', () => {
    const { logger, text } = captured();
    const error = pgError('P0001', 'refused child Zebedee, born 2015-03-02');
    logger.error(error);
    logger.error({ err: error }, 'import failed');
    logger.warn({ sendError: error, cause: error, error: 'NotFoundError' }, 'could not send');
    logger.info({ body: { name: 'Zebedee' }, req: { body: 'Zebedee' } }, 'request');
    expect(text()).not.toMatch(/Zebedee|2015-03-02/);
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ err: { code: 'P0001' } });
    expect(lines[1]).toMatchObject({ msg: 'import failed', err: { table: 'children' } });
    expect(lines[2]).toMatchObject({ error: 'NotFoundError', sendError: { code: 'P0001' } });
  });

  it('are described in one safe line for the terminal', () => {
    expect(
      describeSafely(pgError('23505', 'duplicate key value violates unique constraint "x"')),
    ).toBe(
      '23505: children children_first_name_check: duplicate key value violates unique constraint "x"',
    );
  });
});
