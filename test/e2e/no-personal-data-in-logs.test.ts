import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { addYears, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { openStore } from '../../src/store/open-store.js';
import { textOf } from '../support/bot-harness.js';
import { writeExtract } from '../support/extract-builder.js';
import { RecordingConnector } from '../support/recording-connector.js';
import { oracleChildren, oracleDue } from '../support/review-oracle.js';
import { runIroAssistant, type CliRun } from '../support/run-cli.js';
import { spawnServer, stopSpawned, type SpawnedServer } from '../support/spawn-server.js';
import {
  cardActionInvoke,
  messageActivity,
  type ConversationKind,
  type TeamsUser,
} from '../support/teams-activities.js';

/**
 * A child's name, a decision's text and a date of birth that must never reach a log or the
 * terminal, however a write fails. The store is given a trigger and a check constraint that
 * make PostgreSQL put these values in the error's message, detail and parameters.
 */
const NAME = 'Zebedee-Marker-7731';
const DECISION = 'Decision-Marker-7731: move to Aunt Zelda';
const MARKERS = [/Marker-7731/i, /Zelda/i];

const today = todayIn('Europe/London', new Date());
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const files = demoCouncilExtract({ today, calendar });
const IRO = PLAYGROUND_USERS.iro;
const alex: TeamsUser = { id: '29:alex', name: IRO.name, aadObjectId: IRO.aadObjectId };
const chat: ConversationKind = { type: 'personal', id: 'a:alex-1to1' };
const shift = (days: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const children = oracleChildren(files);
// Aged four or over, so that PN1 is a code the child may have (DfE rule 441) whatever the day.
const fourOrOver = (id: string) =>
  addYears(children.find((c) => c.child === id)?.dob as LocalDate, 4) <= today;
const child = oracleDue(children, today, shift(20), shift(120), IRO.email).find((e) =>
  fourOrOver(e.child),
)?.child as string;

/** The demo extract with one child renamed to the marker. */
function markedFiles() {
  const lines = files['Allocations.csv'].trimEnd().split('\r\n');
  const cells = (lines[1] as string).split(',');
  cells[3] = NAME;
  lines[1] = cells.join(',');
  return { ...files, 'Allocations.csv': `${lines.join('\r\n')}\r\n` };
}

function expectNoMarker(where: string, text: string): void {
  for (const marker of MARKERS) {
    const at = text.search(marker);
    expect(at, `${where} shows ${marker}: …${text.slice(Math.max(0, at - 300), at + 200)}…`).toBe(
      -1,
    );
  }
}

// Whatever the store: run once, in the PGlite pass (npm test), not again in test:postgres.
describe.skipIf(process.env['DATABASE_URL'])(
  'no personal data in logs or on the terminal when a write fails',
  () => {
    let work: string;
    let dataDir: string;
    let extractDir: string;
    const connector = new RecordingConnector();
    let server: SpawnedServer | undefined;
    const runs: CliRun[] = [];

    beforeAll(async () => {
      work = await mkdtemp(path.join(tmpdir(), 'iro-nolog-'));
      dataDir = path.join(work, 'data');
      extractDir = await writeExtract(markedFiles(), await mkdtemp(path.join(work, 'extract-')));
      await connector.start();
      // A store whose writes fail with the row's values in the error, as a real one can (a DBA's
      // trigger, a constraint added later, a value PostgreSQL refuses).
      const store = await openStore({ kind: 'pglite', dataDir });
      await sql
        .raw(
          `create function refuse_marker() returns trigger language plpgsql as $$
         begin
           if new.first_name like '%Marker%' then
             raise exception 'refused child %, born %', new.first_name, new.dob
               using detail = format('row %s', new);
           end if;
           return new;
         end $$`,
        )
        .execute(store.db);
      await sql`create trigger refuse_marker before insert or update on children for each row execute function refuse_marker()`.execute(
        store.db,
      );
      await sql`alter table review_decisions add constraint no_marker check (description not like '%Marker%')`.execute(
        store.db,
      );
      await store.close();
    });

    afterAll(async () => {
      if (server) await stopSpawned(server);
      await connector.stop();
      await rm(work, { recursive: true, force: true });
    });

    it('keeps a failing import by the command line (store opened by the command) quiet', async () => {
      const run = await runIroAssistant(['import', extractDir], {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'trace',
      });
      runs.push(run);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^iro-assistant: import failed/m);
      expectNoMarker('command line', run.stdout + run.stderr);
    });

    it('keeps a failing import through the server, a failing record and bad bodies quiet', async () => {
      server = await spawnServer({ DATA_DIR: dataDir, DEMO_DATA: 'true', LOG_LEVEL: 'trace' });

      const run = await runIroAssistant(['import', extractDir], { DATA_DIR: dataDir });
      runs.push(run);
      expect(run.stderr).toMatch(/running through the IRO Assistant server/);
      expect(run.code).toBe(3);
      expectNoMarker('command line through the server', run.stdout + run.stderr);

      const post = (body: string, type = 'application/json') =>
        fetch(`${server?.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
      // A question naming a child, a form whose decision the store refuses, a broken body.
      const question = await post(
        JSON.stringify(messageActivity(connector.url, alex, chat, `when is ${NAME}'s review due`)),
      );
      expect(question.status).toBe(200);
      const form = await post(
        JSON.stringify(messageActivity(connector.url, alex, chat, `record review for ${child}`)),
      );
      expect(form.status).toBe(200);
      const pressed = await post(
        JSON.stringify(
          cardActionInvoke(connector.url, alex, chat, 'participation.record', {
            child,
            heldOn: today,
            code: 'PN1',
            att_child: 'in_person',
            decision_0_what: DECISION,
            decision_0_who: IRO.email,
            decision_0_by: shift(30),
          }),
        ),
      );
      expect(pressed.status).toBe(200);
      const answer = (await pressed.json()) as { value: unknown };
      expect(textOf(answer.value)).toMatch(/Something went wrong on my side/);
      const broken = await post(`{"text": "${NAME}", "from": {"name": "${DECISION}"`);
      expect(broken.status).toBe(400);
      expectNoMarker('answer to a broken body', await broken.text());

      const stopped = await stopSpawned(server);
      const log = server.output();
      server = undefined;
      expect(stopped.exit).toBe(0);
      expectNoMarker('server log', log);
      // The log still says what failed, by code, table and constraint.
      const failure = log.split('\n').find((l) => l.includes('"table":"review_decisions"'));
      expect(failure, log).toBeDefined();
      expect(JSON.parse(failure as string)).toMatchObject({
        msg: 'bot turn failed',
        err: {
          code: '23514',
          table: 'review_decisions',
          constraint: 'no_marker',
          message: 'new row for relation "review_decisions" violates check constraint "no_marker"',
        },
      });
      expect(log).toMatch(/"command":"import","err":\{[^\n]*"code":"P0001"/);
    });

    it('wrote none of it anywhere', () => {
      const all = runs.map((r) => r.stdout + r.stderr).join('\n');
      expect(all.length).toBeGreaterThan(0);
      expectNoMarker('output', all);
    });
  },
);
