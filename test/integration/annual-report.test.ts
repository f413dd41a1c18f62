import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annualReport,
  annualReportCsv,
  type AnnualReport,
  type ReportSection,
} from '../../src/app/annual-report-sections.js';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { AttendanceEntry } from '../../src/app/recording/review-record.js';
import { runCli } from '../../src/cli/run-cli.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { ParticipationCode } from '../../src/domain/participation.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract } from '../../src/demo/demo-council.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';

const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const today = '2026-11-23' as LocalDate;
const from = '2025-11-24' as LocalDate;
const to = today;

/** A full-time (not short-break) period of the child covers the day `on` (a column or a date). */
const inCareOn = (child: ReturnType<typeof sql.ref>, on: unknown) => sql`exists (
  select 1 from periods_of_care p where p.child_id = ${child} and not p.short_break
    and (not p.start_known or p.start_date <= ${on}) and (p.end_date is null or p.end_date >= ${on}))`;

describe.each(DIALECTS)('the annual report on the demo council ($name)', (dialect) => {
  let store: Store;
  let services: Services;
  let report: AnnualReport;

  const count = async (query: ReturnType<typeof sql>) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from (${query}) q`.execute(store.db)).rows[0]
        ?.n,
    );

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, today);
    const demo = demoCouncilExtract({ today, calendar, seed: 11 });
    // The demo's short-break children have had no review yet: add one who has.
    const allocation = demo['Allocations.csv'].split('\r\n')[1]?.split(',') ?? [];
    const add = (
      file: 'Header.csv' | 'Episodes.csv' | 'Reviews.csv' | 'Allocations.csv',
      line: string,
    ) => `${demo[file].trimEnd()}\r\n${line}\r\n`;
    const files = {
      ...demo,
      'Header.csv': add('Header.csv', 'S00001,M,01/03/2015,WBRI,UN1,,'),
      'Episodes.csv': add('Episodes.csv', 'S00001,06/01/2026,S,V3,N1,U1,PR1,,,,,,'),
      'Reviews.csv': add('Reviews.csv', 'S00001,01/03/2015,20/03/2026,PN1'),
      'Allocations.csv': add(
        'Allocations.csv',
        `S00001,${allocation[1] ?? ''},${allocation[2] ?? ''},,`,
      ),
    };
    const result = await importExtract(services, files, { actor: 'test', today }, undefined, {
      reviewsFrom: null,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));

    // The chairs record some of the imported reviews in the app, and one short-break review.
    const picked = await sql<{ id: number; childId: string; heldOn: LocalDate; code: string }>`
      select r.id, r.child_id as "childId", r.held_on as "heldOn", r.review_code as code
      from reviews r
      where r.status = 'held' and r.held_on between ${from} and ${to}
        and ${inCareOn(sql.ref('r.child_id'), sql.ref('r.held_on'))}
      order by r.id limit 9`.execute(store.db);
    const shortBreak = await sql<{ id: number; childId: string; heldOn: LocalDate; code: string }>`
      select r.id, r.child_id as "childId", r.held_on as "heldOn", r.review_code as code
      from reviews r
      where r.status = 'held' and r.held_on between ${from} and ${to}
        and not ${inCareOn(sql.ref('r.child_id'), sql.ref('r.held_on'))}
      order by r.id limit 1`.execute(store.db);
    expect(picked.rows).toHaveLength(9);
    expect(shortBreak.rows).toHaveLength(1);
    const rows = [...picked.rows, ...shortBreak.rows];
    for (const [i, r] of rows.entries()) {
      const attendance: AttendanceEntry[] =
        i === 4
          ? []
          : [
              {
                participant: 'child',
                inviteeIndex: null,
                attendance: i % 2 ? 'online' : 'in_person',
              },
              {
                participant: 'mother',
                inviteeIndex: null,
                attendance: i % 3 === 0 ? 'apologies' : 'in_person',
              },
              ...(i % 4 === 1
                ? [
                    {
                      participant: 'father' as const,
                      inviteeIndex: null,
                      attendance: 'online' as const,
                    },
                  ]
                : []),
              { participant: 'carer', inviteeIndex: null, attendance: 'did_not_attend' },
            ];
      const record = {
        heldOn: r.heldOn,
        reviewCode: r.code as ParticipationCode,
        attendance,
        childChaired: i % 4 === 0,
        advocacyOffered: i % 3 === 0,
        consultationReturned: i % 2 === 0,
        decisions: [],
        lateReason: null,
      };
      const saved = await services.reviewRecords.record(
        {
          childId: r.childId,
          chairEmail: 'iro@x.test',
          reviewId: r.id,
          recordKey: `test-${r.id}`,
          dueOn: null,
          kind: null,
        },
        record,
        { actor: 'test', today },
      );
      expect(saved.ok).toBe(true);
    }
    report = await annualReport(services, { from, to });
  });
  afterAll(async () => {
    await store.close();
  });

  const row = (sections: ReportSection[], title: string, label: string) => {
    const found = sections.find((s) => s.title === title)?.rows.find((r) => r.label === label);
    if (!found) throw new Error(`no row "${label}" in "${title}"`);
    return found;
  };

  it('counts children looked after, starters and leavers as the store holds them', async () => {
    const lookedAfterOn = (day: LocalDate) =>
      count(sql`select c.child_id from children c where ${inCareOn(sql.ref('c.child_id'), day)}`);
    const periods = (column: 'start_date' | 'end_date', a: LocalDate, b: LocalDate) =>
      count(sql`select id from periods_of_care where not short_break
        ${column === 'start_date' ? sql`and start_known` : sql``}
        and ${sql.ref(column)} between ${a} and ${b}`);
    const expected = {
      atStart: await lookedAfterOn(from),
      atEnd: await lookedAfterOn(to),
      started: await periods('start_date', from, to),
      ended: await periods('end_date', from, to),
    };
    expect(expected.atEnd).toBeGreaterThan(100);
    expect(expected.started).toBeGreaterThan(0);
    expect(expected.ended).toBeGreaterThan(0);
    expect(report.current.lookedAfter).toEqual(expected);
    expect(report.previous.lookedAfter).toEqual({
      atStart: await lookedAfterOn(report.previousFrom),
      atEnd: await lookedAfterOn(report.previousTo),
      started: await periods('start_date', report.previousFrom, report.previousTo),
      ended: await periods('end_date', report.previousFrom, report.previousTo),
    });
    expect(report.previousFrom).toBe('2024-11-24');
    expect(report.previousTo).toBe('2025-11-23');
  });

  it('profiles the children looked after on the last day by SEX and ETHNIC group', async () => {
    const lookedAfter = (where: ReturnType<typeof sql>) =>
      count(
        sql`select c.child_id from children c where ${inCareOn(sql.ref('c.child_id'), to)} and ${where}`,
      );
    const { profile } = report.current;
    expect(profile.sex).toEqual({
      M: await lookedAfter(sql`c.sex = 'M'`),
      F: await lookedAfter(sql`c.sex = 'F'`),
      U: await lookedAfter(sql`(c.sex is null or c.sex not in ('M', 'F'))`),
    });
    expect(profile.ethnicity.white).toBe(
      await lookedAfter(sql`c.ethnic in ('WBRI', 'WIRI', 'WOTH', 'WIRT', 'WROM')`),
    );
    expect(profile.ethnicity.black).toBe(
      await lookedAfter(sql`c.ethnic in ('BCRB', 'BAFR', 'BOTH')`),
    );
    expect(profile.ethnicity.white).toBeGreaterThan(0);
    const bands = Object.values(profile.ageBands).reduce((a, b) => a + b, 0);
    expect(bands).toBe(report.current.childrenLookedAfter);
    expect(profile.ageBands.under1).toBe(
      await lookedAfter(sql`c.dob > ${'2025-11-23'}`), // under 1 on 23 Nov 2026
    );
  });

  it('counts what the chairs recorded in the app, short breaks and imported reviews apart', async () => {
    const recorded = (where: ReturnType<typeof sql>) =>
      count(sql`select r.id from reviews r
        where r.status = 'held' and r.recorded_at is not null and r.held_on between ${from} and ${to}
          and ${inCareOn(sql.ref('r.child_id'), sql.ref('r.held_on'))} and ${where}`);
    const attended = (participant: string) =>
      recorded(sql`exists (select 1 from review_attendance a where a.review_id = r.id
        and a.participant = ${participant} and a.attendance in ('in_person', 'online'))`);
    const r = report.current.recordedReviews;
    expect(r.recorded).toBe(9);
    // Ten were recorded: the short-break review is the tenth.
    expect(
      await count(sql`select id from reviews where recorded_at is not null
        and held_on between ${from} and ${to}`),
    ).toBe(10);
    expect(r).toMatchObject({
      recorded: await recorded(sql`true`),
      attendanceRecorded: await recorded(
        sql`exists (select 1 from review_attendance a where a.review_id = r.id)`,
      ),
      attended: {
        child: await attended('child'),
        mother: await attended('mother'),
        father: await attended('father'),
        otherFamily: await attended('other_family'),
        carer: await attended('carer'),
      },
      childChaired: await recorded(sql`r.child_chaired`),
      advocacyOffered: await recorded(sql`r.advocacy_offered`),
      consultationReturned: await recorded(sql`r.consultation_returned`),
    });
    // By construction: review 4 has no attendance; mothers attend unless i % 3 === 0; the
    // short-break review (the child attended) is not counted.
    expect(r.attendanceRecorded).toBe(8);
    expect(r.attended.child).toBe(8);
    expect(r.attended.mother).toBe(5);
    expect(r.attended.carer).toBe(0);
    expect(report.previous.recordedReviews.recorded).toBe(0);
    expect(row(report.sections, 'Attendance', 'Mothers attended')).toMatchObject({
      current: 5,
      previous: 0,
    });
  });

  it('prints the same numbers from the command line as the sections (JSON, CSV, --compare)', async () => {
    const run = async (...extra: string[]) => {
      let out = '';
      const code = await runCli(
        ['stats', '--from', from, '--to', to, ...extra],
        { stdout: (t) => (out += t), stderr: () => undefined, progress: () => undefined, cwd: '/' },
        services,
      );
      expect(code).toBe(0);
      return out;
    };
    const json = JSON.parse(await run('--json'));
    expect(json.sections).toEqual(report.sections);
    expect(json.previousFrom).toBe(report.previousFrom);
    for (const [label, of] of [
      ['Looked after on the first day', (f: typeof json) => f.lookedAfter.atStart],
      ['Looked after on the last day', (f: typeof json) => f.childrenLookedAfter],
      ['Periods of care that began (starters)', (f: typeof json) => f.lookedAfter.started],
      ['Periods of care that ended (leavers)', (f: typeof json) => f.lookedAfter.ended],
    ] as const) {
      expect(row(json.sections, 'Children looked after', label)).toMatchObject({
        current: of(json),
        previous: of(json.previous),
      });
    }
    expect(row(json.sections, 'Timeliness', 'Reviews held')).toMatchObject({
      current: json.reviewsHeld,
      previous: json.previous.reviewsHeld,
    });
    expect(json.reviewsHeld).toBeGreaterThan(100);
    expect(json.previous.reviewsHeld).toBeGreaterThan(100);

    expect(await run('--csv')).toBe(
      annualReportCsv(report.sections, { ...report, scopeLabel: 'All children' }),
    );
    const text = await run('--compare');
    const starters = row(
      report.sections,
      'Children looked after',
      'Periods of care that began (starters)',
    );
    expect(text).toMatch(
      new RegExp(
        `Periods of care that began \\(starters\\)\\s+${starters.current}\\s+${starters.previous}\\n`,
      ),
    );
    const plain = await run();
    expect(plain).toContain(
      `Children looked after on ${from}: ${json.lookedAfter.atStart}; periods of care that began: ${json.lookedAfter.started}, that ended: ${json.lookedAfter.ended}`,
    );
  });
});
