import { describe, expect, it } from 'vitest';
import type { Answer, Figures, ListedReview } from '../../../src/app/questions/answer-question.js';
import { CARD_TEMPLATES, templateJson } from '../../../src/cards/card-templates.js';
import { PAGE_SIZE, renderAnswer } from '../../../src/cards/render-answer.js';
import { validateCard } from '../../../src/cards/validate-card.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

const today = '2026-11-23' as LocalDate;
const options = {
  question: 'my reviews due this month',
  page: 0,
  timeZone: 'Europe/London',
  today,
};

const item = (n: number, due: string, extra: Partial<ListedReview> = {}): ListedReview => ({
  child: `A${String(10000 + n)}`,
  initials: 'J.S.',
  dueDate: due as LocalDate,
  kind: 'subsequent',
  daysLeft: 0,
  midwayDate: null,
  iro: 'iro@example.com',
  socialWorker: 'sw@example.com',
  scheduledStart: null,
  needsScheduling: false,
  canSchedule: false,
  ...extra,
});

const figures: Figures = {
  period: {
    from: '2026-04-01' as LocalDate,
    to: today,
    label: 'this reporting year to date (1 April to 23 November 2026)',
  },
  reviewsHeld: 10,
  reviewsOnTime: 9,
  timelinessPercent: 90,
  childTimeliness: { childrenCounted: 8, childrenOnTime: 7, percent: 87.5 },
  participation: { PN0: 1, PN1: 4, PN2: 0, PN3: 1, PN4: 0, PN5: 1, PN6: 2, PN7: 1 },
  participationPercent: { PN0: 10, PN1: 40, PN2: 0, PN3: 10, PN4: 0, PN5: 10, PN6: 20, PN7: 10 },
  viewsConveyed: { reviews: 8, of: 9, percent: 88.9 },
};

const ANSWERS: Answer[] = [
  { kind: 'notRegistered' },
  { kind: 'help', role: 'iro', name: 'Alex Wilber' },
  { kind: 'help', role: 'team_manager', name: 'Adele Vance', notUnderstood: 'weather?' },
  { kind: 'help', role: 'admin', name: 'Data Team' },
  { kind: 'askInPersonalChat', question: 'my caseload' },
  { kind: 'message', title: 'A title', text: 'Some text' },
  {
    kind: 'reviewList',
    title: 'Reviews due',
    periodLabel: 'this month',
    emptyText: 'None.',
    items: [],
  },
  {
    kind: 'reviewList',
    title: 'Your caseload',
    periodLabel: 'children looked after',
    emptyText: 'None.',
    items: [
      item(1, '2026-11-20', { needsScheduling: true }),
      item(2, '2026-11-25', { scheduledStart: new Date('2026-11-24T10:00:00Z') }),
      item(3, '2027-01-10'),
    ],
    caseload: {
      iro: 'iro@example.com',
      name: 'An IRO',
      children: 73,
      fte: 1,
      perFte: 73,
      band: 'above',
    },
  },
  {
    kind: 'caseloadSummary',
    scopeLabel: 'IRO Service and the teams below it',
    asOf: today,
    rows: [
      { iro: 'a@example.com', name: 'A', children: 73, fte: 1, perFte: 73, band: 'above' },
      { iro: 'b@example.com', name: 'B', children: 20, fte: 0.3, perFte: 66.7, band: 'within' },
      { iro: 'c@example.com', name: 'C', children: 0, fte: 0, perFte: null, band: null },
    ],
    children: 93,
    dueThisMonth: 12,
    overdue: 3,
    yearToDate: figures,
  },
  { kind: 'figures', topic: 'timeliness', scopeLabel: 'your caseload', figures },
  { kind: 'figures', topic: 'participation', scopeLabel: 'your caseload', figures },
];

describe('card templates', () => {
  it.each(CARD_TEMPLATES)('%s parses with the adaptivecards library without a warning', (name) => {
    expect(validateCard(templateJson(name))).toEqual([]);
  });

  it.each(ANSWERS.map((a, i) => [`${a.kind} #${i}`, a] as const))(
    '%s renders a valid 1.5 card',
    (_label, answer) => {
      const card = renderAnswer(answer, options);
      expect(validateCard(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toContain('${');
    },
  );

  it('is caught by the validator when a card is wrong', () => {
    expect(
      validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] }),
    ).not.toEqual([]);
    expect(validateCard({ type: 'AdaptiveCard', version: '1.6', body: [] })).toContain(
      'version is 1.6; Teams renders schema 1.5',
    );
  });
});

describe('review list cards', () => {
  const many = Array.from({ length: 19 }, (_, i) => item(i, '2026-12-01'));
  const list: Answer = {
    kind: 'reviewList',
    title: 'Reviews due',
    periodLabel: 'next month',
    emptyText: 'None.',
    items: many,
  };

  it('pages long lists with "Show more" carrying the question and the next page', () => {
    const first = renderAnswer(list, options);
    const text = JSON.stringify(first);
    expect(text.match(/· A1\d{4}/g)).toHaveLength(PAGE_SIZE);
    expect(text).toContain(`1 to ${PAGE_SIZE} of 19 children`);
    const more = (first['actions'] as { title: string; verb: string; data: unknown }[]).find(
      (a) => a.title === 'Show more',
    );
    expect(more).toMatchObject({
      verb: 'reviews.page',
      data: { question: options.question, page: 1 },
    });
    const last = renderAnswer(list, { ...options, page: 2 });
    expect(JSON.stringify(last).match(/· A1\d{4}/g)).toHaveLength(3);
    const titles = (last['actions'] as { title: string }[]).map((a) => a.title);
    expect(titles).toContain('Previous');
    expect(titles).not.toContain('Show more');
  });

  it('highlights overdue reviews and flags unscheduled ones due soon', () => {
    const card = JSON.stringify(renderAnswer(ANSWERS[7] as Answer, options));
    expect(card).toMatch(/"text":"3 days overdue"[^}]*"color":"Attention"/);
    expect(card).toContain('⚠ Not scheduled yet');
    expect(card).toContain('Scheduled Tue 24 Nov, 10:00');
    expect(card).toContain('above the guidance of 50 to 70');
  });

  it('shows a child by initials and CHILD id only', () => {
    const card = JSON.stringify(renderAnswer(ANSWERS[7] as Answer, options));
    expect(card).toContain('J.S. · A10001');
    expect(card).not.toMatch(/@example\.com/);
  });
});
