import { describe, expect, it } from 'vitest';
import type { Answer, Figures, ListedReview } from '../../../src/app/questions/answer-question.js';
import { CARD_TEMPLATES, fillTemplate, templateJson } from '../../../src/cards/card-templates.js';
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
  shortBreak: false,
  iro: 'iro@example.com',
  iroName: 'An IRO',
  socialWorker: 'sw@example.com',
  scheduledStart: null,
  needsScheduling: false,
  holdBy: null,
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
  reviewsAssessed: 10,
  reviewsOnTime: 9,
  timelinessPercent: 90,
  reviewsDueUnknown: 0,
  childTimeliness: { childrenCounted: 8, childrenOnTime: 7, percent: 87.5, childrenDueUnknown: 0 },
  shortBreaks: { reviewsHeld: 0, reviewsOnTime: 0, reviewsAssessed: 0 },
  participation: { PN0: 1, PN1: 4, PN2: 0, PN3: 1, PN4: 0, PN5: 1, PN6: 2, PN7: 1 },
  participationPercent: { PN0: 10, PN1: 40, PN2: 0, PN3: 10, PN4: 0, PN5: 10, PN6: 20, PN7: 10 },
  viewsCommunicated: { children: 6, of: 7, percent: 85.7 },
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
    showIro: false,
    hiddenByAudience: 0,
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
      shortBreaks: 2,
    },
    showIro: false,
    hiddenByAudience: 0,
  },
  {
    kind: 'reviewList',
    title: 'Reviews due',
    periodLabel: 'this month',
    emptyText: 'None.',
    items: [
      item(4, '2026-11-28', { kind: 'short_breaks', shortBreak: true }),
      item(5, '', { dueDate: null, kind: null, daysLeft: null }),
    ],
    showIro: true,
    hiddenByAudience: 3,
  },
  {
    kind: 'caseloadSummary',
    scopeLabel: 'IRO Service and the teams below it',
    asOf: today,
    rows: [
      {
        iro: 'a@example.com',
        name: 'A',
        children: 73,
        fte: 1,
        perFte: 73,
        band: 'above',
        shortBreaks: 0,
      },
      {
        iro: 'b@example.com',
        name: 'B',
        children: 20,
        fte: 0.3,
        perFte: 66.7,
        band: 'within',
        shortBreaks: 2,
      },
      {
        iro: 'c@example.com',
        name: 'C',
        children: 0,
        fte: 0,
        perFte: null,
        band: null,
        shortBreaks: 0,
      },
    ],
    children: 93,
    shortBreaks: 2,
    dueThisMonth: 12,
    overdue: 3,
    dueUnknown: 4,
    yearToDate: { ...figures, reviewsHeld: 15, reviewsDueUnknown: 5 },
    followUp: {
      decisions: { made: 10, doneOnTime: 6, doneLate: 2, open: 2 },
      records: {
        recorded: 8,
        distributedInTime: 5,
        distributedLate: 1,
        notDistributed: 2,
        workingDays: 15,
      },
      midway: { due: 12, asked: 8, answered: 6, notReached: 2, givenUp: 1 },
      alerts: {
        raised: 3,
        open: { informal: 1, formal: 1, head_of_service: 0 },
        outcomes: { resolved: 1, cafcass: 0, withdrawn: 0 },
      },
    },
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
    showIro: false,
    hiddenByAudience: 0,
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
    expect(card).toContain('Scheduled Tue 24 November 2026, 10:00');
    expect(card).toContain('above the guidance of 50 to 70');
  });

  it('shows a child by initials and CHILD id only', () => {
    const card = JSON.stringify(renderAnswer(ANSWERS[7] as Answer, options));
    expect(card).toContain('J.S. · A10001');
    expect(card).not.toMatch(/@example\.com/);
  });
});

describe('what lists and figures say about short breaks, unknown due dates and who is in the chat', () => {
  const card = (answer: Answer) => JSON.stringify(renderAnswer(answer, options));

  it('shows a child whose due date cannot be known as such, never with a date', () => {
    const text = card(ANSWERS[8] as Answer);
    expect(text).toContain('Due date unknown');
    expect(text).toContain('last review before the extract');
    expect(text).not.toContain('NaN');
  });

  it('names a short-breaks review as such', () => {
    expect(card(ANSWERS[8] as Answer)).toContain('Short breaks review (3 months, then every 6)');
  });

  it("shows each child's IRO to managers, and nobody's e-mail", () => {
    const text = card(ANSWERS[8] as Answer);
    expect(text).toContain('IRO: An IRO');
    expect(text).not.toMatch(/@example\.com/);
    expect(card(ANSWERS[7] as Answer)).not.toContain('IRO: ');
  });

  it('says when a group list is shorter because of who is in the chat, but not by how much', () => {
    const text = card(ANSWERS[8] as Answer);
    expect(text).toContain(
      'Some children are not shown, because not everyone in this chat may see them.',
    );
    expect(text).not.toMatch(/\b3 (more|children)/);
  });

  it('shows the midway check first in a list of midway reviews', () => {
    const midway: Answer = {
      ...(ANSWERS[7] as Extract<Answer, { kind: 'reviewList' }>),
      dates: 'midway',
      items: [item(6, '2027-03-02', { midwayDate: '2026-12-01' as LocalDate, canSchedule: true })],
    };
    const text = card(midway);
    expect(text).toContain('Midway check Tue 1 December 2026');
    expect(text).toContain('Subsequent review (every 6 months): due Tue 2 March 2027');
    expect(text).toContain('in 8 days');
    // The button there would book the review, not the midway check.
    expect(text).not.toContain('"verb":"review.plan"');
  });

  it('says where each midway check stands, and calls overdue only one nobody was asked', () => {
    const midway: Answer = {
      ...(ANSWERS[7] as Extract<Answer, { kind: 'reviewList' }>),
      dates: 'midway',
      items: [
        item(1, '2027-03-02', {
          midwayDate: '2026-11-02' as LocalDate,
          midwayCheck: {
            promptedAt: new Date('2026-11-02T09:00:00Z'),
            answeredAt: new Date('2026-11-04T15:30:00Z'),
            unreachableToldAt: null,
          },
        }),
        item(2, '2027-03-09', {
          midwayDate: '2026-11-09' as LocalDate,
          midwayCheck: {
            promptedAt: new Date('2026-11-09T09:00:00Z'),
            answeredAt: null,
            unreachableToldAt: null,
          },
        }),
        item(3, '2027-03-16', { midwayDate: '2026-11-16' as LocalDate, midwayCheck: null }),
        item(5, '2027-04-06', {
          midwayDate: '2026-11-20' as LocalDate,
          midwayCheck: {
            promptedAt: null,
            answeredAt: null,
            unreachableToldAt: new Date('2026-11-20T09:05:00Z'),
          },
        }),
        item(4, '2027-04-01', { midwayDate: '2026-11-24' as LocalDate, midwayCheck: null }),
      ],
    };
    const json = renderAnswer(midway, options);
    expect(validateCard(json)).toEqual([]);
    const text = JSON.stringify(json);
    expect(text).toContain('Answered Wed 4 November 2026');
    expect(text).toContain('Asked Mon 9 November 2026, no answer yet');
    expect(text).toContain('Not asked yet, 7 days overdue');
    expect(text).toContain('Not asked yet, due tomorrow');
    expect(text).toContain('Not sent yet: I cannot reach the social worker in Teams');
    // Red for the check nobody was asked, and for none of the others.
    const red = [...text.matchAll(/"text":"([^"]*)"[^{}]*"color":"Attention"/g)].map((m) => m[1]);
    expect(red.filter((line) => /asked|answered/i.test(line ?? ''))).toEqual([
      'Not asked yet, 7 days overdue',
    ]);
  });

  it('says by when to hold a review whose due date falls on a weekend or bank holiday', () => {
    const weekend: Answer = {
      ...(ANSWERS[7] as Extract<Answer, { kind: 'reviewList' }>),
      items: [item(10, '2026-12-13', { holdBy: '2026-12-11' as LocalDate })],
    };
    expect(card(weekend)).toContain('Due Sun 13 December 2026 (hold by Fri 11 December 2026)');
  });

  it('says "hold by today" on the hold-by day, and drops the hold-by day once overdue', () => {
    const list = (today: string, dueDate: string, holdBy: string) =>
      JSON.stringify(
        renderAnswer(
          {
            ...(ANSWERS[7] as Extract<Answer, { kind: 'reviewList' }>),
            items: [item(10, dueDate, { holdBy: holdBy as LocalDate })],
          },
          { ...options, today: today as LocalDate },
        ),
      );
    // Friday 11 December: due on Sunday, so it must be held today.
    const friday = list('2026-12-11', '2026-12-13', '2026-12-11');
    expect(friday).toContain('Due Sun 13 December 2026 (hold by today)');
    expect(friday).toContain('in 2 days');
    // On the Saturday, the day to hold it by has gone.
    expect(list('2026-12-12', '2026-12-13', '2026-12-11')).toContain(
      'Due Sun 13 December 2026 (hold-by day Fri 11 December 2026 has passed)',
    );
    expect(list('2026-12-12', '2026-12-13', '2026-12-11')).toContain('due tomorrow');
    // Overdue: no hold-by day at all.
    const overdue = list('2026-12-15', '2026-12-13', '2026-12-11');
    expect(overdue).toContain('Due Sun 13 December 2026');
    expect(overdue).not.toContain('hold');
    expect(overdue).toContain('2 days overdue');
  });

  it('says how far off a review is in days, then weeks, then months', () => {
    const far: Answer = {
      ...(ANSWERS[7] as Extract<Answer, { kind: 'reviewList' }>),
      items: [item(7, '2026-12-05'), item(8, '2027-01-04'), item(9, '2027-05-01')],
    };
    const text = card(far);
    expect(text).toContain('in 12 days');
    expect(text).toContain('in 6 weeks');
    expect(text).toContain('in 5 months');
  });

  it('marks an unscheduled review due soon in the colour of attention', () => {
    expect(card(ANSWERS[7] as Answer)).toMatch(
      /"text":"⚠ Not scheduled yet"[^}]*"color":"Attention"/,
    );
  });

  it("gives an IRO's caseload with the children on short breaks beside it", () => {
    expect(card(ANSWERS[7] as Answer)).toContain(
      '73 children looked after and 2 on short breaks (not in the ratio): 73 per full-time equivalent',
    );
  });

  it('says what timeliness leaves out, and counts short breaks and unknown due dates apart', () => {
    const text = card(ANSWERS[9] as Answer);
    expect(text).toContain('Children on short breaks (reviewed apart)');
    expect(text).toContain('Due date unknown (last review before the extract)');
    expect(text).toContain('9 of 10 (90.0%)');
    expect(text).toContain(
      '5 reviews whose due date cannot be known (the review before them was held before the extract) are left out of timeliness',
    );
    expect(text).toContain('20 (+2 short breaks)');
    expect(
      card({
        ...(ANSWERS[9] as Extract<Answer, { kind: 'caseloadSummary' }>),
        rows: [],
      }),
    ).toContain('No IRO is in the teams you manage');
  });

  it('counts what followed the reviews: decisions, records, midway checks, alerts by stage and outcome', () => {
    const text = card(ANSWERS[9] as Answer);
    expect(text).toContain('After the reviews, this reporting year');
    expect(text).toContain('Review decisions: 10 made; 6 done on time, 2 done late, 2 still open');
    expect(text).toContain('5 of 8 distributed within 15 working days, 1 later, 2 not yet');
    expect(text).toContain(
      'Midway checks: 12 due; 8 sent to the social worker, 6 answered; 2 waiting for the social worker to open IRO Assistant in Teams; 1 not sent before the next review; 1 to be sent',
    );
    expect(text).toContain(
      'Practice alerts: 3 raised; open at informal: 1, formal: 1, head of service: 0; resolved: 1, referred to Cafcass: 0, withdrawn: 0',
    );
    expect(
      card({ ...(ANSWERS[9] as Extract<Answer, { kind: 'caseloadSummary' }>), followUp: null }),
    ).not.toContain('After the reviews');
  });

  it('gives the participation measure (children, PN1 to PN6) first, then the stricter count by review without PN4', () => {
    const text = card(ANSWERS[11] as Answer);
    const measure =
      'Children aged 4 or over who communicated their views at every review (PN1 to PN6): 6 of 7 (85.7%).';
    const stricter =
      "Reviews of children aged 4 or over where the child's view was conveyed (PN1 to PN3, PN5, PN6; not PN4, attended without conveying a view): 8 of 9 (88.9%).";
    expect(text).toContain(measure);
    expect(text).toContain(stricter);
    expect(text.indexOf(measure)).toBeLessThan(text.indexOf(stricter));
  });
});

describe('colours', () => {
  it.each(CARD_TEMPLATES)(
    '%s uses no colour that is hard to read on a light or a dark Teams theme',
    (name) => {
      const text = JSON.stringify(templateJson(name));
      expect(text).not.toMatch(/"color":"(Warning|Good|Accent|Light|Dark)"/);
    },
  );
});

describe('templates prepared once', () => {
  it('fills the same template again with other data, each card its own', () => {
    const first = fillTemplate('message', {
      title: 'First',
      text: 'one',
      hasAction: false,
      showHelp: false,
    });
    const firstText = JSON.stringify(first);
    // Changing a card already sent must not reach the template or the next card.
    (first['body'] as unknown[]).length = 0;
    first['version'] = 'changed';
    const second = fillTemplate('message', {
      title: 'Second',
      text: 'two',
      hasAction: true,
      showHelp: true,
    });
    const again = fillTemplate('message', {
      title: 'First',
      text: 'one',
      hasAction: false,
      showHelp: false,
    });
    expect(JSON.stringify(again)).toBe(firstText);
    expect(JSON.stringify(second)).toContain('Second');
    expect(JSON.stringify(second)).not.toContain('First');
    expect(second['version']).toBe(again['version']);
    expect(JSON.stringify(templateJson('message'))).toContain('${title}');
  });
});
