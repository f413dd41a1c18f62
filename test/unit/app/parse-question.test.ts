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

  it('names the period in words', () => {
    const q = parseQuestion('my reviews due this month', today);
    expect('period' in q && q.period.label).toBe('this month (1 to 30 November 2026)');
  });

  it.each([
    ['overdue reviews', { kind: 'overdue', personal: false }],
    ['my overdue reviews', { kind: 'overdue', personal: true }],
    ['my caseload', { kind: 'caseload', personal: true }],
    ['Caseload summary', { kind: 'caseloadSummary' }],
    ['team summary', { kind: 'caseloadSummary' }],
    ['caseload for Julia Hussain', { kind: 'caseloadFor', who: 'julia hussain' }],
    ['caseload for alexw@example.com', { kind: 'caseloadFor', who: 'alexw@example.com' }],
    ['help', { kind: 'help' }],
    ['Hello!', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['what is the weather like', { kind: 'unknown', text: 'what is the weather like' }],
  ])('%j', (text, expected) => {
    expect(parseQuestion(text, today)).toEqual(expected);
  });

  it('rolls "before 15 January" into next year once January has passed', () => {
    const q = parseQuestion('reviews due before 15 January', '2027-02-01' as LocalDate);
    expect('period' in q && q.period.to).toBe('2028-01-14');
  });
});
