import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDialect } from '../../src/store/pglite-dialect.js';
import { affectedRows, readReply } from '../../src/store/pglite-reply.js';

/**
 * The PGlite dialect reads PostgreSQL's replies itself (`pglite-reply.ts`) instead of through
 * PGlite's parser. PGlite's own `query` on the same database is the reference: every row, value
 * and error must come out the same.
 */
describe('replies read by the PGlite dialect', () => {
  let pglite: PGlite;
  let db: Kysely<unknown>;
  const notices: [string, string][] = [];
  beforeAll(async () => {
    pglite = await PGlite.create({ parsers: { 1082: (v: string) => v } });
    db = new Kysely({
      dialect: new PgliteDialect(pglite, (channel, payload) => notices.push([channel, payload])),
    });
    await pglite.exec(`create table probe (id int primary key, label text, at date);
      insert into probe values (1, 'one', '2026-12-02'), (2, null, null)`);
  });
  afterAll(() => db.destroy());

  const STATEMENTS = [
    `select 1 as n, 'Zoë Ó Súilleabháin 😀' as name, null::text as nothing, ''::text as empty`,
    `select true as t, false as f, 12345678901::int8 as big, 1.50::numeric as num, 2.5::float8 as fl`,
    `select '2026-12-02'::date as d, '2026-12-02 10:00:00+00'::timestamptz as at,
       '1 day 02:00'::interval as span, '10:30'::time as clock`,
    `select array['a', 'b,c', null]::text[] as texts, array[1, 2]::int[] as ints,
       '{"name": "Zoë", "n": [1, 2]}'::jsonb as doc, '{"a":1}'::json as raw,
       '\\x00ff'::bytea as bytes, 'e0b2e8a4-0c1d-4a5e-9f10-2b3c4d5e6f70'::uuid as id`,
    `select * from probe order by id`,
    `select * from probe where id > 100`,
    `select 1 as same, 2 as same`,
    `select repeat('x', 100000) as long, generate_series(1, 3) as n`,
  ];

  it.each(STATEMENTS)('reads the same rows as PGlite: %s', async (statement) => {
    const ours = await sql.raw(statement).execute(db);
    const theirs = await pglite.query(statement);
    expect(ours.rows).toEqual(theirs.rows);
  });

  it('reads a reply of many rows, written in more than one piece', async () => {
    const statement = `select n, md5(n::text) as hash, repeat('é', n % 50) as accents
      from generate_series(1, 20000) as n`;
    const ours = await sql.raw(statement).execute(db);
    expect(ours.rows).toHaveLength(20000);
    expect(ours.rows).toEqual((await pglite.query(statement)).rows);
  });

  it('counts the rows a data change touched, and none for a query', async () => {
    const inserted =
      await sql`insert into probe values (3, 'three', null), (4, 'four', null)`.execute(db);
    expect(inserted.numAffectedRows).toBe(2n);
    expect(
      (await sql`update probe set label = 'x' where id >= 3`.execute(db)).numAffectedRows,
    ).toBe(2n);
    expect((await sql`delete from probe where id = 4`.execute(db)).numAffectedRows).toBe(1n);
    expect((await sql`select * from probe`.execute(db)).numAffectedRows).toBeUndefined();
    expect(affectedRows('INSERT 0 7')).toBe(7n);
    expect(affectedRows('MERGE 3')).toBe(3n);
    expect(affectedRows('COMMIT')).toBeUndefined();
  });

  it('throws the error PGlite would, with the same fields', async () => {
    const statement = `insert into probe values (1, 'again', null)`;
    const ours = await sql
      .raw(statement)
      .execute(db)
      .catch((error: unknown) => error);
    const theirs = await pglite.query(statement).catch((error: unknown) => error);
    expect(ours).toBeInstanceOf(Error);
    const fields = (error: unknown) => {
      const { code, message, detail, constraint, table, schema, severity, routine } =
        error as Record<string, unknown>;
      return { code, message, detail, constraint, table, schema, severity, routine };
    };
    expect(fields(ours)).toEqual(fields(theirs));
    expect(fields(ours)).toMatchObject({ code: '23505', constraint: 'probe_pkey' });
    // The connection is usable after it.
    expect((await sql`select count(*)::int as n from probe`.execute(db)).rows).toEqual([{ n: 3 }]);
  });

  it('hands on each notice, in order, before the statement that raised it returns', async () => {
    await sql`listen probe_channel`.execute(db);
    notices.length = 0;
    await db.transaction().execute(async (trx) => {
      await sql`select pg_notify('probe_channel', 'a:1')`.execute(trx);
      await sql`select pg_notify('probe_channel', 'b:2')`.execute(trx);
      expect(notices).toEqual([]);
    });
    expect(notices).toEqual([
      ['probe_channel', 'a:1'],
      ['probe_channel', 'b:2'],
    ]);
    notices.length = 0;
    await sql`notify probe_channel, 'Zoë'`.execute(db);
    expect(notices).toEqual([['probe_channel', 'Zoë']]);
  });

  it('refuses a reply cut short or without ReadyForQuery', () => {
    const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
    const complete = Buffer.from([0x43, 0, 0, 0, 13, ...Buffer.from('SELECT 0'), 0]);
    expect(readReply(Buffer.concat([complete, ready]), {})).toMatchObject({
      command: 'SELECT 0',
      status: 'I',
    });
    expect(() => readReply(complete, {})).toThrow('without ReadyForQuery');
    expect(() => readReply(Buffer.concat([ready, complete.subarray(0, 8)]), {})).toThrow(
      'cut short',
    );
    expect(() => readReply(Buffer.concat([ready, complete.subarray(0, 3)]), {})).toThrow(
      'cut short',
    );
  });

  it('gives CamelCasePlugin the column names as PostgreSQL sent them', async () => {
    const camel = db.withPlugin(new CamelCasePlugin());
    const { rows } = await sql`select 1 as first_name_of_child`.execute(camel);
    expect(rows).toEqual([{ firstNameOfChild: 1 }]);
  });
});
