import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../../src/app/questions/parse-question.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

const today = '2026-11-23' as LocalDate; // a Monday

describe('questions typed in chat', () => {
  it.each([
    ['my reviews due this month', 'due', '2026-11-01', '2026-11-30', true],
    ['My Review due this month?', 'due', '2026-11-01', '2026-11-30', true],
    ['reviews coming up next month', 'due', '2026-12-01', '2026-12-31', false],
    ['upcoming reviews this week', 'due', '2026-11-23', '2026-11-29', false],
    ['reviews due next week', 'due', '2026-11-30', '2026-12-06', false],
    ['my reviews due in the next 4 weeks', 'due', '2026-11-23', '2026-12-21', true],
    ['reviews due in the next two months', 'due', '2026-11-23', '2027-01-23', false],
    ['reviews due before 15 January', 'due', '2026-11-23', '2027-01-14', false],
    ['reviews due by 15th Jan 2027', 'due', '2026-11-23', '2027-01-15', false],
    ['reviews due before 15/01/2027', 'due', '2026-11-23', '2027-01-14', false],
    ['reviews due before January 15', 'due', '2026-11-23', '2027-01-14', false],
    ['reviews due today', 'due', '2026-11-23', '2026-11-23', false],
    ['reviews', 'due', '2026-11-01', '2026-11-30', false],
    ['midway reviews due', 'midway', '2026-11-01', '2026-11-30', false],
    ['mid-way reviews next month', 'midway', '2026-12-01', '2026-12-31', false],
    ['timeliness this year', 'timeliness', '2026-04-01', '2026-11-23', false],
    ['timeliness last year', 'timeliness', '2025-04-01', '2026-03-31', false],
    ['participation last quarter', 'participation', '2026-07-01', '2026-09-30', false],
    ['PN codes this quarter', 'participation', '2026-10-01', '2026-12-31', false],
  ])('%j is a %s question from %s to %s', (text, kind, from, to, personal) => {
    const q = parseQuestion(text, today);
    expect(q.kind).toBe(kind);
    expect('period' in q && q.period).toMatchObject({ from, to });
    if ('personal' in q) expect(q.personal).toBe(personal);
  });

  it.each([
    ['decisions not yet recorded', 'decisionsNotRecorded'],
    ['My decisions not recorded?', 'decisionsNotRecorded'],
    ['decisions yet to be recorded', 'decisionsNotRecorded'],
    ['unrecorded decisions', 'decisionsNotRecorded'],
    ['reviews to record', 'decisionsNotRecorded'],
    ['review records to distribute', 'recordsToDistribute'],
    ['records not yet distributed', 'recordsToDistribute'],
    ['my records to be distributed', 'recordsToDistribute'],
    ['undistributed review records', 'recordsToDistribute'],
    // Still what they were.
    ['record review for Q40211', 'recordReview'],
    ['decisions overdue', 'decisionsOverdue'],
    ['reviews due this month', 'due'],
  ])('%j is a %s question', (text, kind) => {
    expect(parseQuestion(text, today).kind).toBe(kind);
  });

  it('names the period in words', () => {
    const q = parseQuestion('my reviews due this month', today);
    expect('period' in q && q.period.label).toBe('this month (1 to 30 November 2026)');
  });

  it.each([
    ['overdue reviews', { kind: 'overdue', personal: false }],
    ['my reviews with no known due date', { kind: 'dueUnknown', personal: true }],
    ['due date unknown', { kind: 'dueUnknown', personal: false }],
    ['Reviews whose due dates are unknown?', { kind: 'dueUnknown', personal: false }],
    ['my unknown due dates', { kind: 'dueUnknown', personal: true }],
    ['my overdue reviews', { kind: 'overdue', personal: true }],
    ['my caseload', { kind: 'caseload', personal: true }],
    ['Caseload summary', { kind: 'caseloadSummary' }],
    ['team summary', { kind: 'caseloadSummary' }],
    ['caseload for Julia Hussain?', { kind: 'caseloadFor', who: 'Julia Hussain' }],
    ['caseload for alexw@example.com', { kind: 'caseloadFor', who: 'alexw@example.com' }],
    ['annual report', { kind: 'annualReport' }],
    ['Show me the IRO annual report', { kind: 'annualReport' }],
    ['help', { kind: 'help' }],
    ['Hello!', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['what is the weather like', { kind: 'unknown', text: 'what is the weather like' }],
  ])('%j', (text, expected) => {
    expect(parseQuestion(text, today)).toEqual(expected);
  });

  it('rolls "before 15 January" into next year once January is more than a month gone', () => {
    const q = parseQuestion('reviews due before 15 January', '2027-03-01' as LocalDate);
    expect('period' in q && q.period.to).toBe('2028-01-14');
  });

  it.each([
    [
      'reviews due in January',
      '2027-01-01',
      '2027-01-31',
      'in January 2027 (1 to 31 January 2027)',
    ],
    [
      'reviews due in december',
      '2026-12-01',
      '2026-12-31',
      'in December 2026 (1 to 31 December 2026)',
    ],
    [
      'reviews due in november',
      '2026-11-01',
      '2026-11-30',
      'in November 2026 (1 to 30 November 2026)',
    ],
    ['reviews due in March 2026', '2026-03-01', '2026-03-31', 'in March 2026 (1 to 31 March 2026)'],
    ['reviews due May 2027', '2027-05-01', '2027-05-31', 'in May 2027 (1 to 31 May 2027)'],
    ['reviews due 31/12/2026', '2026-12-31', '2026-12-31', 'on 31 December 2026'],
    ['reviews due on 2027-01-04', '2027-01-04', '2027-01-04', 'on 4 January 2027'],
    [
      'reviews due before 2027-01-04',
      '2026-11-23',
      '2027-01-03',
      'before 4 January 2027 (23 November 2026 to 3 January 2027)',
    ],
    [
      'timeliness 2025/26',
      '2025-04-01',
      '2026-03-31',
      'the reporting year 2025/26 (1 April 2025 to 31 March 2026)',
    ],
    [
      'reviews due before 29 February',
      '2026-11-23',
      '2028-02-28',
      'before 29 February 2028 (23 November 2026 to 28 February 2028)',
    ],
  ])('%j names its dates: %s to %s', (text, from, to, label) => {
    const q = parseQuestion(text, today);
    expect('period' in q && q.period).toEqual({ from, to, label });
  });

  it.each([
    ['reviews due before 30 February', '"30 february" is not a date in the calendar.'],
    ['reviews due 31/13/2026', '"31/13/2026" is not a date in the calendar.'],
    ['reviews due before 1 January 2020', '1 January 2020 has passed'],
    ['reviews due before 20 November', '20 November 2026 has passed'],
    ['reviews due in the next 0 weeks', '"next 0 weeks" is no time at all'],
    ['reviews due before christmas', 'I could not read a date after "before"'],
    ['timeliness before 30 february', '"30 february" is not a date'],
    ['midway reviews due 30/02', '"30/02" is not a date'],
  ])('%j is not answered as this month: %s', (text, problem) => {
    const q = parseQuestion(text, today);
    expect(q.kind).toBe('periodUnclear');
    expect(q.kind === 'periodUnclear' && q.problem).toContain(problem);
    expect(q.kind === 'periodUnclear' && q.text).toBe(text);
  });
});
