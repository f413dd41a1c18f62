import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { freshPostgresUrl } from '../support/store-dialects.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/create-app-role.sql', import.meta.url));

/** scripts/create-app-role.sql, run with psql as README says. */
async function createAppRole(ownerUrl: string, role: string): Promise<void> {
  await promisify(execFile)('psql', [
    ownerUrl,
    '-q',
    '-v',
    `app_role=${role}`,
    '-v',
    'app_password=app-secret',
    '-f',
    SCRIPT,
  ]);
}

function urlAs(ownerUrl: string, role: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = 'app-secret';
  return url.toString();
}

/**
 * A deployment with two PostgreSQL roles: the schema owner runs the migrations
 * (DATABASE_MIGRATION_URL) and the app connects as a role of its own (DATABASE_URL) that can add
 * to the audit log and read it, and nothing more: it cannot change, delete, empty or unprotect it.
 */
describe.runIf(process.env['DATABASE_URL'])('the app on PostgreSQL under its own role', () => {
  const role = `iro_app_${randomBytes(4).toString('hex')}`;
  let ownerUrl: string;
  let appUrl: string;
  let drop: () => Promise<void>;
  let server: RunningServer;
  let work: string;
  let app: pg.Client;

  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    ({ url: ownerUrl, drop } = await freshPostgresUrl());
    await createAppRole(ownerUrl, role);
    appUrl = urlAs(ownerUrl, role);
    work = await mkdtemp(path.join(tmpdir(), 'iro-role-'));
    // The first start migrates as the owner, grants the app role its rights and seeds the demo
    // council through the ordinary import, as the app role.
    server = await startServer(
      loadConfig({
        DATABASE_URL: appUrl,
        DATABASE_MIGRATION_URL: ownerUrl,
        DATA_DIR: work,
        PORT: '0',
        DEMO_DATA: 'true',
      }),
      createLogger('silent'),
    );
    app = new pg.Client({ connectionString: appUrl });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end();
    await server?.close();
    await drop?.();
    await admin(`drop role if exists ${role}`);
    await admin(`drop role if exists ${role}_2`);
    await rm(work, { recursive: true, force: true });
  });

  it('works as the app role: the import ran, a review is recorded and audited', async () => {
    const { rows: who } = await app.query<{ me: string }>('select current_user as me');
    expect(who[0]?.me).toBe(role);
    const children = await server.services.store.db
      .selectFrom('children')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(children.n).toBeGreaterThan(100);
    const child = await server.services.store.db
      .selectFrom('children')
      .select('childId')
      .orderBy('childId')
      .executeTakeFirstOrThrow();
    const today = server.services.clock.today();
    const result = await server.services.reviewRecords.record(
      {
        childId: child.childId,
        chairEmail: 'alexw@example.com',
        reviewId: null,
        recordKey: 'role-test',
        dueOn: null,
        kind: null,
      },
      {
        heldOn: today,
        reviewCode: 'PN1',
        childChaired: false,
        advocacyOffered: true,
        consultationReturned: true,
        lateReason: null,
        attendance: [],
        decisions: [],
      },
      { actor: 'role-test', today },
    );
    expect(result.ok).toBe(true);
    const { rows } = await app.query(`select action from audit_log where actor = 'role-test'`);
    expect(rows).toEqual([{ action: 'review.record' }]);
  });

  it.each([
    ['update', `update audit_log set actor = 'someone else'`],
    ['delete', 'delete from audit_log'],
    ['truncate', 'truncate audit_log'],
    ['disable its trigger', 'alter table audit_log disable trigger audit_log_append_only'],
    ['drop its trigger', 'drop trigger audit_log_append_only on audit_log'],
    ['drop it', 'drop table audit_log'],
    ['record a migration', `insert into kysely_migration (name, timestamp) values ('x', 'y')`],
  ])('refuses the app role to %s the audit log', async (_what, statement) => {
    await expect(app.query(statement)).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('lets the app role add to the audit log and read it', async () => {
    await app.query(
      `insert into audit_log (actor, action, entity, entity_id) values ('t', 'test', 'x', '1')`,
    );
    const { rows } = await app.query(`select count(*)::int as n from audit_log where actor = 't'`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('is set up by the script alone on a database whose migrations already ran', async () => {
    await createAppRole(ownerUrl, `${role}_2`);
    const second = new pg.Client({ connectionString: urlAs(ownerUrl, `${role}_2`) });
    await second.connect();
    try {
      const { rows } = await second.query('select count(*)::int as n from children');
      expect(rows[0]?.n).toBeGreaterThan(100);
      await second.query(
        `insert into audit_log (actor, action, entity, entity_id) values ('t2', 'test', 'x', '1')`,
      );
      await expect(second.query('delete from audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(
        second.query('alter table audit_log disable trigger audit_log_no_truncate'),
      ).rejects.toMatchObject({ code: '42501' });
    } finally {
      await second.end();
    }
  });

  it('opens the store as the app role alone, without DDL, when no migration is pending', async () => {
    const store = await openStore({ kind: 'postgres', databaseUrl: appUrl, maxConnections: 1 });
    try {
      const row = await store.db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(row.n).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
