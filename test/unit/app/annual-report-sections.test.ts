import { describe, expect, it } from 'vitest';
import {
  annualReport,
  annualReportCsv,
  annualReportSections,
  previousYear,
  type ReportFigures,
  type ReportSection,
} from '../../../src/app/annual-report-sections.js';
import type { CaseReader, ChildCase, StaffMember } from '../../../src/app/ports.js';
import type { FollowUpRows, ReminderStore } from '../../../src/app/reminders/reminders.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';

const d = (s: string) => s as LocalDate;
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);

describe('the same period a year earlier', () => {
  it.each([
    // [from, to, previous from, previous to]
    ['2025-04-01', '2026-03-31', '2024-04-01', '2025-03-31'],
    ['2024-02-29', '2024-03-15', '2023-02-28', '2023-03-15'], // 29 Feb to 28 Feb
    ['2024-01-01', '2024-02-29', '2023-01-01', '2023-02-28'],
    ['2025-02-01', '2025-02-28', '2024-02-01', '2024-02-29'], // the whole of February
    ['2025-02-01', '2025-02-27', '2024-02-01', '2024-02-27'],
    ['2025-03-01', '2026-02-28', '2024-03-01', '2025-02-28'],
    ['2026-01-01', '2026-01-01', '2025-01-01', '2025-01-01'],
  ])('of %s to %s is %s to %s', (from, to, previousFrom, previousTo) => {
    expect(previousYear({ from: d(from), to: d(to) })).toEqual({
      from: previousFrom,
      to: previousTo,
    });
  });
});

function reminders(rowsFor: (from: LocalDate) => FollowUpRows): ReminderStore {
  return { followUpRows: async (from: LocalDate) => rowsFor(from) } as unknown as ReminderStore;
}

const staff = (email: string, name: string, fte: number): StaffMember => ({
  email,
  name,
  role: 'iro',
  aadObjectId: null,
  team: null,
  managerEmail: null,
  fte,
  swId: null,
  level: null,
});

describe('the annual report as sections', () => {
  // One child looked after since 2024, with an IRO who left the service after March 2025.
  const child: ChildCase = {
    childId: 'A1',
    dob: d('2014-05-05'),
    sex: 'F',
    ethnic: 'BCRB',
    firstName: null,
    lastName: null,
    periods: [{ start: d('2024-01-08'), startKnown: true, end: null, shortBreak: false }],
    reviews: [
      { heldOn: d('2024-02-01'), reviewCode: 'PN1' },
      { heldOn: d('2024-05-01'), reviewCode: 'PN6' },
      { heldOn: d('2024-10-30'), reviewCode: 'PN1' },
      { heldOn: d('2025-04-25'), reviewCode: 'PN7' },
      { heldOn: d('2025-10-20'), reviewCode: 'PN1' },
    ],
    allocations: [
      {
        role: 'iro',
        staffEmail: 'old@x.test',
        startDate: d('2024-01-08'),
        endDate: d('2025-04-01'),
      },
      { role: 'iro', staffEmail: 'new@x.test', startDate: d('2025-04-01'), endDate: null },
    ],
    reviewsKnownFrom: null,
    previousReview: null,
  };
  const cases = {
    listCases: async () => [child],
    // The old IRO became a team manager: an IRO of the earlier period only.
    listStaff: async () => [
      staff('new@x.test', 'New IRO', 1),
      { ...staff('old@x.test', 'Old IRO', 0.5), role: 'team_manager' },
    ],
    listRecordedReviewFacts: async (from: LocalDate) =>
      from === '2025-04-01'
        ? [
            {
              childId: 'A1',
              heldOn: d('2025-10-20'),
              attendanceRecorded: true,
              attended: ['child', 'mother'],
              childChaired: true,
              advocacyOffered: false,
              consultationReturned: true,
            },
          ]
        : [],
  } as unknown as CaseReader;
  const deps = {
    cases,
    calendar,
    recordWorkingDays: 15,
    reminders: reminders((from) => ({
      decisions:
        from === '2025-04-01'
          ? [
              { dueOn: d('2025-11-01'), doneOn: d('2025-10-30') },
              { dueOn: d('2025-11-01'), doneOn: d('2025-11-03') },
            ]
          : [],
      records: [],
      midway: [],
      alerts: from === '2025-04-01' ? [{ stage: 'formal', outcome: null }] : [],
    })),
  };

  const rowOf = (sections: ReportSection[], title: string, label: string) => {
    const row = sections.find((s) => s.title === title)?.rows.find((r) => r.label === label);
    if (!row) throw new Error(`no row "${label}" in "${title}"`);
    return row;
  };

  it('puts each period beside the same period a year earlier', async () => {
    const report = await annualReport(deps, { from: d('2025-04-01'), to: d('2026-03-31') });
    expect(report).toMatchObject({
      from: '2025-04-01',
      to: '2026-03-31',
      previousFrom: '2024-04-01',
      previousTo: '2025-03-31',
    });
    const { sections } = report;
    expect(rowOf(sections, 'Timeliness', 'Reviews held')).toEqual({
      label: 'Reviews held',
      current: 2,
      previous: 2,
      unit: 'count',
    });
    expect(rowOf(sections, 'Reviews held by month', 'April 2025')).toMatchObject({
      current: 1,
      previous: 0,
    });
    expect(rowOf(sections, 'Reviews held by month', 'October 2025')).toMatchObject({
      current: 1,
      previous: 1,
    });
    expect(
      rowOf(sections, 'Ethnicity', 'Black, African, Caribbean or Black British'),
    ).toMatchObject({ current: 1, previous: 1 });
    expect(rowOf(sections, 'Age on the last day', '10 to 15')).toMatchObject({
      current: 1,
      previous: 1,
    });
    expect(rowOf(sections, 'Attendance', 'Mothers attended')).toMatchObject({
      current: 1,
      previous: 0,
      unit: 'count',
    });
    expect(rowOf(sections, "The child's review", 'Chaired by the child')).toMatchObject({
      current: 1,
      previous: 0,
    });
    expect(
      sections
        .find((s) => s.title === "The child's review")
        ?.rows.filter((r) => r.label === 'Chaired by the child')
        .map((r) => [r.current, r.previous, r.unit]),
    ).toEqual([
      [1, 0, 'count'],
      [100, null, 'percent'],
    ]);
    expect(
      rowOf(sections, 'Practice alerts', 'Open at the formal stage (service manager)'),
    ).toMatchObject({ current: 1, previous: 0 });
    expect(
      sections
        .find((s) => s.title === 'Review decisions')
        ?.rows.map((r) => [r.label, r.current, r.previous]),
    ).toEqual([
      ['Made', 2, 0],
      ['Done on time', 1, 0],
      ['Done late', 1, 0],
      ['Still open', 0, 0],
      ['Done on time, of those done', 50, null],
    ]);
    // Both last days come after the first allocation: no row for IROs not known.
    expect(sections.find((s) => s.title === 'Caseloads')?.rows.map((r) => r.label)).not.toContain(
      'IRO not known on the last day',
    );
    // An IRO of one period only: a blank for the other.
    expect(rowOf(sections, 'Caseloads', 'New IRO: children')).toMatchObject({
      current: 1,
      previous: 0,
    });
    expect(rowOf(sections, 'Caseloads', 'Old IRO: children')).toMatchObject({
      current: null,
      previous: 1,
    });
    expect(rowOf(sections, 'Caseloads', 'Old IRO: children per FTE')).toMatchObject({
      current: null,
      previous: 2,
      unit: 'perFte',
    });
  });

  it('heads participation with the children who communicated their views (PN1 to PN6), the stricter count by review beside', async () => {
    const report = await annualReport(deps, { from: d('2025-04-01'), to: d('2026-03-31') });
    const rows = report.sections.find((s) => s.title === 'Participation')?.rows ?? [];
    expect(rows.slice(-6).map((r) => [r.label, r.unit, r.current, r.previous])).toEqual([
      ['Children aged 4 or over with a review', 'count', 1, 1],
      // PN7 at one of this year's two reviews: not at every review.
      ['Of them, communicated their views at every review (PN1 to PN6)', 'count', 0, 1],
      ['Of them, communicated their views at every review (PN1 to PN6)', 'percent', 0, 100],
      ['Reviews of children aged 4 or over', 'count', 2, 2],
      [
        "Of them, the child's view was conveyed (PN1 to PN3, PN5, PN6; not PN4, attended without conveying a view)",
        'count',
        1,
        2,
      ],
      [
        "Of them, the child's view was conveyed (PN1 to PN3, PN5, PN6; not PN4, attended without conveying a view)",
        'percent',
        50,
        100,
      ],
    ]);
  });

  it('reads every number from the figures, never working one out again', async () => {
    const report = await annualReport(deps, { from: d('2025-04-01'), to: d('2026-03-31') });
    // Figures no computation would give: the sections must show them as they are.
    const current: ReportFigures = {
      ...report.current,
      timelinessPercent: 12.3,
      lookedAfter: { atStart: 901, atEnd: 902, started: 903, ended: 904 },
      caseloadTotal: { children: 5, fte: 2.5, perFte: 77.7, band: 'above' },
    };
    const sections = annualReportSections(current, report.previous);
    expect(
      sections
        .find((s) => s.title === 'Timeliness')
        ?.rows.find((r) => r.label === 'Held on time' && r.unit === 'percent')?.current,
    ).toBe(12.3);
    expect(sections[0]?.rows.slice(0, 4).map((r) => r.current)).toEqual([901, 902, 903, 904]);
    expect(rowOf(sections, 'Caseloads', 'All IROs: children per FTE')).toMatchObject({
      current: 77.7,
      unit: 'perFte',
    });
  });
});

describe('the annual report: caseloads before allocations were held', () => {
  // Looked after since 2020; Allocations.csv first imported on 12 October 2026 (go-live).
  const child: ChildCase = {
    childId: 'G1',
    dob: d('2012-02-02'),
    sex: 'M',
    ethnic: 'WBRI',
    firstName: null,
    lastName: null,
    periods: [{ start: d('2020-01-06'), startKnown: true, end: null, shortBreak: false }],
    reviews: [],
    allocations: [
      { role: 'iro', staffEmail: 'now@x.test', startDate: d('2026-10-12'), endDate: null },
    ],
    reviewsKnownFrom: null,
    previousReview: null,
  };
  const deps = {
    cases: {
      listCases: async () => [child],
      listStaff: async () => [staff('now@x.test', 'Today IRO', 0.8)],
      listRecordedReviewFacts: async () => [],
    } as unknown as CaseReader,
    calendar,
    recordWorkingDays: 15,
    reminders: reminders(() => ({ decisions: [], records: [], midway: [], alerts: [] })),
  };
  const caseloads = async (from: string, to: string) =>
    (await annualReport(deps, { from: d(from), to: d(to) })).sections.find(
      (s) => s.title === 'Caseloads',
    );

  it("says the IRO is not known for a year before go-live, and that FTE is today's", async () => {
    const section = await caseloads('2025-04-01', '2026-03-31');
    expect(section?.rows.map((r) => [r.label, r.current, r.previous])).toEqual([
      ['Today IRO: children', null, null],
      ['Today IRO: children per FTE', null, null],
      ['IRO not known on the last day', 1, 1],
      ['All IROs: children', 1, 1],
      ['All IROs: FTE', 0.8, 0.8],
      ['All IROs: children per FTE', 1.3, 1.3],
    ]);
    expect(section?.note).toContain('Allocations are held from 12 October 2026');
    expect(section?.note).toContain("FTE is as in today's Staff.csv");
  });

  it('credits the IRO once allocations are held', async () => {
    const section = await caseloads('2026-04-01', '2026-12-04');
    expect(section?.rows.map((r) => [r.label, r.current, r.previous])).toEqual([
      ['Today IRO: children', 1, null],
      ['Today IRO: children per FTE', 1.3, null],
      ['IRO not known on the last day', 0, 1],
      ['All IROs: children', 1, 1],
      ['All IROs: FTE', 0.8, 0.8],
      ['All IROs: children per FTE', 1.3, 1.3],
    ]);
  });
});

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

describe('the annual report as CSV', () => {
  const meta = {
    from: d('2025-04-01'),
    to: d('2026-03-31'),
    previousFrom: d('2024-04-01'),
    previousTo: d('2025-03-31'),
    scopeLabel: '=HYPERLINK("http://x.test","Team, North")',
  };
  const sections: ReportSection[] = [
    {
      title: 'Caseloads',
      rows: [
        { label: '=cmd|calc', current: 3, previous: null, unit: 'count' },
        { label: '+1 team', current: 55.5, previous: 60, unit: 'perFte' },
        { label: '-minus', current: -3, previous: 0, unit: 'count' },
        { label: '@sum', current: 95, previous: 33.333, unit: 'percent' },
        { label: '\tTabbed', current: 1, previous: 1, unit: 'count' },
        { label: '\rReturn', current: 1, previous: 1, unit: 'count' },
        { label: 'Says "hello",\nthen leaves', current: 0, previous: 0, unit: 'count' },
        { label: 'Plain - with a dash', current: 7, previous: 8, unit: 'count' },
      ],
    },
  ];

  it('writes header rows, then one row per figure, four fields each, lines ending CRLF', () => {
    const csv = annualReportCsv(sections, meta);
    const rows = parseCsv(csv);
    expect(rows.slice(0, 5)).toEqual([
      ['IRO annual report', '', '', ''],
      ['Period', '2025-04-01 to 2026-03-31', '', ''],
      ['Previous period', '2024-04-01 to 2025-03-31', '', ''],
      ['Scope', `'=HYPERLINK("http://x.test","Team, North")`, '', ''],
      ['Section', 'Figure', '2025-04-01 to 2026-03-31', '2024-04-01 to 2025-03-31'],
    ]);
    expect(rows.every((r) => r.length === 4)).toBe(true);
    expect(rows.slice(5)).toEqual([
      ['Caseloads', "'=cmd|calc", '3', ''],
      ['Caseloads', "'+1 team", '55.5', '60.0'],
      ['Caseloads', "'-minus", '-3', '0'],
      ['Caseloads', "'@sum (%)", '95.0', '33.3'],
      ['Caseloads', "'\tTabbed", '1', '1'],
      ['Caseloads', "'\rReturn", '1', '1'],
      ['Caseloads', 'Says "hello",\nthen leaves', '0', '0'],
      ['Caseloads', 'Plain - with a dash', '7', '8'],
    ]);
  });

  it('quotes only the cells that need it and leaves numbers bare', () => {
    const lines = annualReportCsv(sections, meta).split('\r\n');
    expect(lines[3]).toBe(`Scope,"'=HYPERLINK(""http://x.test"",""Team, North"")",,`);
    expect(lines[7]).toBe("Caseloads,'-minus,-3,0");
    expect(lines[10]).toBe(`Caseloads,"'\rReturn",1,1`);
    expect(lines[11]).toBe('Caseloads,"Says ""hello"",\nthen leaves",0,0');
    expect(lines.at(-1)).toBe('');
  });
});
