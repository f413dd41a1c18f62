import { describe, expect, it } from 'vitest';
import type { ExtractFiles, StaffRecord } from '../../../src/app/import/extract.js';
import { parseExtract } from '../../../src/app/import/parse-extract.js';
import { refusalLines } from '../../../src/app/import/problem-list.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../../src/demo/demo-council.js';
import { anExtract } from '../../support/extract-builder.js';

const TODAY = '2026-11-23' as LocalDate;

/** The builder's three staff, with a head of service above the team manager. */
const withHead = () =>
  anExtract()
    .withChild('C1', '01/02/2015', '02/11/2026')
    .row('Staff.csv', {
      EMAIL: 'head@example.com',
      NAME: 'Head Of Service',
      ROLE: 'service_manager',
      TEAM: "Children's Services",
      FTE: '1',
    })
    .update('Staff.csv', { EMAIL: 'manager@example.com' }, { MANAGER_EMAIL: 'head@example.com' });

function staffOf(files: ExtractFiles): StaffRecord[] {
  const result = parseExtract(files, { today: TODAY });
  if (!result.ok) throw new Error(refusalLines(result).join('\n'));
  return result.extract.staff;
}

const levels = (staff: StaffRecord[]) => Object.fromEntries(staff.map((s) => [s.email, s.level]));

describe("Staff.csv's LEVEL column", () => {
  it('may be left out: a file written before it imports as it did, with no levels', () => {
    const files = withHead().withoutColumn('Staff.csv', 'LEVEL').files();
    expect(files['Staff.csv'].split('\n')[0]).toBe(
      'EMAIL,NAME,ROLE,AAD_OBJECT_ID,TEAM,MANAGER_EMAIL,FTE,SW_ID',
    );
    const staff = staffOf(files);
    expect(levels(staff)).toEqual({
      'head@example.com': null,
      'iro@example.com': null,
      'manager@example.com': null,
      'sw@example.com': null,
    });
    expect(staff.find((s) => s.email === 'manager@example.com')).toMatchObject({
      role: 'team_manager',
      managerEmail: 'head@example.com',
      fte: 1,
    });
  });

  it('gives each manager a level, read as an HR list writes it; blank for anyone else', () => {
    const files = withHead()
      .update('Staff.csv', { EMAIL: 'head@example.com' }, { LEVEL: ' Head of Service ' })
      .update('Staff.csv', { EMAIL: 'manager@example.com' }, { LEVEL: 'team-manager' })
      .row('Staff.csv', {
        EMAIL: 'ad@example.com',
        NAME: 'Assistant Director',
        ROLE: 'admin',
        FTE: '1',
        LEVEL: 'ASSISTANT_DIRECTOR',
      })
      .files();
    expect(levels(staffOf(files))).toEqual({
      'ad@example.com': 'assistant_director',
      'head@example.com': 'head_of_service',
      'iro@example.com': null,
      'manager@example.com': 'team_manager',
      'sw@example.com': null,
    });
  });

  it('refuses a value that is not a level, naming file, line, column and the levels; nothing is read', () => {
    const files = withHead()
      .update('Staff.csv', { EMAIL: 'head@example.com' }, { LEVEL: 'Senior Manager' })
      .update('Staff.csv', { EMAIL: 'manager@example.com' }, { LEVEL: 'team_manager' })
      .files();
    const result = parseExtract(files, { today: TODAY });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(refusalLines(result)).toEqual([
      'Staff.csv:5: LEVEL: "Senior Manager" is not one of team_manager, service_manager, head_of_service, assistant_director, director (or blank for anyone else)',
      'Nothing was imported: 1 problem to fix in the extract.',
    ]);
  });
});

describe("the demo council's Staff.csv", () => {
  it('marks its managers: head of service, service manager, team managers', () => {
    const files = demoCouncilExtract({
      today: TODAY,
      calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
    });
    expect(files['Staff.csv'].split('\r\n')[0]).toMatch(/,LEVEL$/);
    const staff = staffOf(files);
    const levelOf = (who: { email: string }) => staff.find((s) => s.email === who.email)?.level;
    const u = PLAYGROUND_USERS;
    expect(levelOf(u.headOfService)).toBe('head_of_service');
    expect(levelOf(u.serviceManager)).toBe('service_manager');
    expect(levelOf(u.teamManager)).toBe('team_manager');
    expect(levelOf(u.socialWorkTeamManager)).toBe('team_manager');
    expect(levelOf(u.iro)).toBeNull();
    expect(levelOf(u.socialWorker)).toBeNull();
    // Every team manager has a level, and nobody else in the demo but the two above them.
    expect(
      staff.filter((s) => s.role === 'team_manager').every((s) => s.level === 'team_manager'),
    ).toBe(true);
    expect(staff.filter((s) => s.level !== null && s.role !== 'team_manager')).toHaveLength(2);
  });
});
