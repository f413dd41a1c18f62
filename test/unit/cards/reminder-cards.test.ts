import { describe, expect, it } from 'vitest';
import type {
  FollowedDecision,
  IroDigest,
  ReportDue,
} from '../../../src/app/reminders/reminders.js';
import {
  renderDecisionDue,
  renderDecisionsOverdue,
  renderDecisionUpdated,
  renderIroDigest,
  renderRecordDistributed,
  renderReportDue,
  renderReviewsToWriteUp,
  type RemindedDecision,
} from '../../../src/cards/render-reminders.js';
import { parseQuestion } from '../../../src/app/questions/parse-question.js';
import { validateCard } from '../../../src/cards/validate-card.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import {
  elements,
  inputs,
  input,
  texts,
  after,
  topActions,
  executes,
  red,
  type Card,
  type Element,
} from '../../support/card-elements.js';

const today = '2027-01-12' as LocalDate;
const timeZone = 'Europe/London';

/** A decision of a child known by label only; no child's name is anywhere in it. */
function aDecision(extra: Partial<RemindedDecision> = {}): RemindedDecision {
  return {
    decisionId: 501,
    childId: 'Q40211',
    childLabel: 'A.B. · Q40211',
    description: 'Refer for a CAMHS assessment',
    ownerEmail: 'sam.worker@council.example',
    ownerName: 'Sam Worker',
    dueOn: '2027-01-13' as LocalDate,
    iroName: 'Alex Wilber',
    iroEmail: 'alex.wilber@council.example',
    status: 'open',
    doneOn: null,
    reason: null,
    ...extra,
  };
}

const overdueDecisions = (): FollowedDecision[] => [
  aDecision({ dueOn: '2026-12-01' as LocalDate }),
  aDecision({
    decisionId: 601,
    childId: 'Q50001',
    childLabel: 'C.D. · Q50001',
    description: 'Book a dental check',
    ownerEmail: null,
    ownerName: null,
    dueOn: '2027-01-11' as LocalDate,
    status: 'notDone',
    reason: 'Dentist has no slots until February',
  }),
  aDecision({
    decisionId: 502,
    description: 'Arrange contact with grandmother every month',
    // A carer: named for the record, not on the staff list.
    ownerEmail: 'carer@elsewhere.example',
    ownerName: null,
    dueOn: '2026-11-20' as LocalDate,
  }),
];

function aDigest(extra: Partial<IroDigest> = {}): IroDigest {
  return {
    iroName: 'Alex Wilber',
    today,
    dueUnscheduled: [
      {
        childId: 'Q40212',
        childLabel: 'E.F. · Q40212',
        dueOn: '2027-01-08' as LocalDate,
        holdBy: null,
      },
      {
        childId: 'Q40213',
        childLabel: 'M.N. · Q40213',
        dueOn: '2027-01-16' as LocalDate,
        holdBy: '2027-01-15' as LocalDate,
      },
      {
        childId: 'Q40211',
        childLabel: 'A.B. · Q40211',
        dueOn: '2027-02-01' as LocalDate,
        holdBy: null,
      },
    ],
    dueUntil: '2027-02-09' as LocalDate,
    dueUnknown: [],
    decisionsNotRecorded: [
      {
        reviewId: 12,
        childId: 'Q50001',
        childLabel: 'C.D. · Q50001',
        heldOn: '2027-01-04' as LocalDate,
        recorded: false,
      },
      {
        reviewId: 13,
        childId: 'Q50003',
        childLabel: 'K.L. · Q50003',
        heldOn: '2027-01-05' as LocalDate,
        recorded: true,
      },
    ],
    recordsNotDistributed: [
      {
        reviewId: 9,
        childId: 'Q50002',
        childLabel: 'G.H. · Q50002',
        heldOn: '2026-12-10' as LocalDate,
        dueBy: '2027-01-07' as LocalDate,
      },
    ],
    decisionsOverdue: overdueDecisions(),
    ...extra,
  };
}

/** Children whose next due date cannot be known, `n` of them. */
const unknownDue = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    childId: `H${String(i + 1).padStart(2, '0')}`,
    childLabel: `P.Q. · H${String(i + 1).padStart(2, '0')}`,
  }));

const emptyDigest = () =>
  aDigest({
    dueUnscheduled: [],
    dueUnknown: [],
    decisionsNotRecorded: [],
    recordsNotDistributed: [],
    decisionsOverdue: [],
  });

const writeUp = { followUpDays: 90, recordWorkingDays: 15 };

/** `n` reviews held whose decisions are not recorded, and `n` records past their date. */
const toWriteUp = (
  n: number,
): Pick<IroDigest, 'decisionsNotRecorded' | 'recordsNotDistributed'> => ({
  decisionsNotRecorded: Array.from({ length: n }, (_, i) => ({
    reviewId: 100 + i,
    childId: `Q${80000 + i}`,
    childLabel: `R.S. · Q${80000 + i}`,
    heldOn: '2027-01-04' as LocalDate,
    recorded: false,
  })),
  recordsNotDistributed: Array.from({ length: n }, (_, i) => ({
    reviewId: 200 + i,
    childId: `Q${90000 + i}`,
    childLabel: `T.U. · Q${90000 + i}`,
    heldOn: '2026-12-10' as LocalDate,
    dueBy: '2027-01-07' as LocalDate,
  })),
});

const aReportDue = (): ReportDue => ({
  reviewId: 12,
  childId: 'Q40211',
  childLabel: 'A.B. · Q40211',
  meetingStart: new Date('2027-01-20T10:00:00Z'),
  reportDueOn: '2027-01-15' as LocalDate,
  iroName: 'Alex Wilber',
});

/** The text of each digest section's heading, with the labels of its rows. */
function digestSections(card: Card): { heading: string; rows: string[] }[] {
  const body = card['body'] as Element[];
  return body
    .filter((e) => e['type'] === 'Container')
    .map((section) => {
      const items = section['items'] as Element[];
      return {
        heading: items[0]?.['text'] as string,
        rows: items
          .filter((e) => e['type'] === 'ColumnSet')
          .map((r) => texts({ body: [r] })[0] as string),
      };
    });
}

const ALL_CARDS = (): [string, Card][] => [
  ['decision due', renderDecisionDue(aDecision(), { today })],
  [
    'decision overdue, with errors',
    renderDecisionDue(aDecision({ dueOn: '2027-01-04' as LocalDate }), {
      today,
      values: { status: 'notDone' },
      errors: { reason: 'Say why it is not done.' },
    }),
  ],
  ['decision with no date', renderDecisionDue(aDecision({ dueOn: null }), { today })],
  [
    'decision updated, done',
    renderDecisionUpdated(aDecision({ status: 'done', doneOn: '2027-01-12' as LocalDate })),
  ],
  [
    'decision updated, not done',
    renderDecisionUpdated(aDecision({ status: 'notDone', reason: 'Waiting list' })),
  ],
  ['decisions overdue', renderDecisionsOverdue(overdueDecisions(), { today })],
  ['decisions overdue, none', renderDecisionsOverdue([], { today })],
  ['digest', renderIroDigest(aDigest(), { timeZone })],
  ['digest, empty', renderIroDigest(emptyDigest(), { timeZone })],
  [
    'digest, with due dates unknown',
    renderIroDigest(aDigest({ dueUnknown: unknownDue(5) }), { timeZone }),
  ],
  [
    'digest, more than ten reviews to book',
    renderIroDigest(
      aDigest({
        dueUnscheduled: Array.from({ length: 13 }, (_, i) => ({
          childId: `Q${70000 + i}`,
          childLabel: `K.L. · Q${70000 + i}`,
          dueOn: (i < 11 ? '2027-01-04' : '2027-02-01') as LocalDate,
          holdBy: null,
        })),
      }),
      { timeZone },
    ),
  ],
  ['decisions not yet recorded', renderReviewsToWriteUp(aDigest(), 'decisions', writeUp)],
  ['review records to distribute', renderReviewsToWriteUp(aDigest(), 'records', writeUp)],
  ['decisions not yet recorded, none', renderReviewsToWriteUp(emptyDigest(), 'decisions', writeUp)],
  ['review records to distribute, none', renderReviewsToWriteUp(emptyDigest(), 'records', writeUp)],
  ['report due', renderReportDue(aReportDue(), { timeZone })],
  [
    'record distributed on time',
    renderRecordDistributed({
      childLabel: 'A.B. · Q40211',
      heldOn: '2027-01-04' as LocalDate,
      distributedOn: '2027-01-20' as LocalDate,
      withinDays: true,
      workingDays: 15,
    }),
  ],
  [
    'record distributed late',
    renderRecordDistributed({
      childLabel: 'A.B. · Q40211',
      heldOn: '2026-12-01' as LocalDate,
      distributedOn: '2027-01-20' as LocalDate,
      withinDays: false,
      workingDays: 15,
    }),
  ],
];

describe('reminder cards', () => {
  it.each(ALL_CARDS())('%s is a valid 1.5 card with every placeholder filled', (_name, card) => {
    expect(validateCard(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).not.toContain('${');
    expect(text).not.toMatch(/undefined|NaN|null/);
  });

  it.each(ALL_CARDS())('%s wraps every line of text', (_name, card) => {
    const blocks = elements(card).filter((e) => e['type'] === 'TextBlock');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block).toMatchObject({ wrap: true });
  });

  it.each(ALL_CARDS())(
    '%s gives every Action.Execute an Action.Submit fallback carrying its verb',
    (_name, card) => {
      for (const action of executes(card)) {
        const data = action['data'] as Record<string, unknown>;
        expect(action['fallback']).toEqual({
          type: 'Action.Submit',
          title: action['title'],
          data: { verb: action['verb'], ...data },
        });
      }
    },
  );

  it('carries nothing about the child beyond the label, even when the data has more', () => {
    const secret = { firstName: 'Amelia', lastName: 'Zebedee', dob: '2014-03-09' };
    const leaky = { ...aDecision(), ...secret };
    const cards = [
      renderDecisionDue(leaky, { today }),
      renderDecisionUpdated(leaky),
      renderDecisionsOverdue([leaky], { today }),
      renderIroDigest(
        {
          ...aDigest(),
          ...secret,
          decisionsOverdue: [leaky],
          dueUnscheduled: [
            {
              childId: 'Q40211',
              childLabel: 'A.B. · Q40211',
              dueOn: '2027-02-01' as LocalDate,
              holdBy: null,
              ...secret,
            },
          ],
        },
        { timeZone },
      ),
      renderReportDue({ ...aReportDue(), ...secret }, { timeZone }),
    ];
    for (const card of cards) {
      const text = JSON.stringify(card);
      expect(text).toContain('A.B. · Q40211');
      expect(text).not.toMatch(/Amelia|Zebedee|2014-03-09/);
    }
  });
});

describe('the card to the person responsible for a decision', () => {
  const card = renderDecisionDue(aDecision(), { today });

  it('says what is due, when, and who set it', () => {
    const all = texts(card);
    expect(all[0]).toBe('Review decision due Wed 13 January 2027: A.B. · Q40211');
    expect(all).toContain(
      'Alex Wilber (IRO) set this decision at the review, with you responsible for it. Please say whether it is done.',
    );
    expect(all).toContain('Refer for a CAMHS assessment');
    expect(all).toContain('Due Wed 13 January 2027');
    expect(red(card)).toEqual([]);
  });

  it('speaks to the IRO as "you" about a decision they set for themselves', () => {
    const own = aDecision({
      description: 'IRO to visit the child at school',
      ownerEmail: 'Alex.Wilber@council.example',
      ownerName: 'Alex Wilber',
    });
    const due = texts(renderDecisionDue(own, { today }));
    expect(due).toContain(
      'You set this decision at the review and are responsible for it. Please say whether it is done.',
    );
    expect(due.join('\n')).not.toContain('Alex Wilber');
    const updated = texts(renderDecisionUpdated({ ...own, status: 'done', doneOn: today }));
    expect(updated).toContain("Thank you. It is kept with the review's decisions.");
    expect(updated.join('\n')).not.toContain('Alex Wilber');
    // Someone else's decision still names the IRO who set it.
    expect(texts(renderDecisionUpdated(aDecision({ status: 'done', doneOn: today })))).toContain(
      'Thank you. Alex Wilber (IRO) can see this.',
    );
  });

  it("names the IRO who chaired the review, not the child's IRO now, as the one who set it", () => {
    // The child moved to another IRO after the review that Nestor chaired.
    const chaired = aDecision({
      chairEmail: 'nestor.wilke@council.example',
      chairName: 'Nestor Wilke',
    });
    expect(texts(renderDecisionDue(chaired, { today }))).toContain(
      'Nestor Wilke (IRO) set this decision at the review, with you responsible for it. Please say whether it is done.',
    );
    // Alex, the IRO now, did not set a decision Nestor gave them at his review.
    const givenToAlex = texts(
      renderDecisionDue({ ...chaired, ownerEmail: 'alex.wilber@council.example' }, { today }),
    );
    expect(givenToAlex.join('\n')).toContain('Nestor Wilke (IRO) set this decision');
    expect(givenToAlex.join('\n')).not.toContain('You set');
    // A chair no longer in the staff list is not named as someone else.
    expect(
      texts(renderDecisionDue({ ...chaired, chairName: null }, { today })).join('\n'),
    ).toContain('The IRO who chaired the review set this decision');
  });

  it('says "overdue" once the date has passed, but not on the day', () => {
    const onTheDay = renderDecisionDue(aDecision({ dueOn: today }), { today });
    expect(texts(onTheDay)[0]).toBe('Review decision due Tue 12 January 2027: A.B. · Q40211');
    const late = renderDecisionDue(aDecision({ dueOn: '2027-01-11' as LocalDate }), { today });
    expect(texts(late)[0]).toBe('Review decision overdue: A.B. · Q40211');
    expect(red(late)).toEqual(['Was due Mon 11 January 2027 (overdue)']);
  });

  it('copes with a decision with no date', () => {
    const undated = renderDecisionDue(aDecision({ dueOn: null }), { today });
    expect(texts(undated)[0]).toBe('Review decision: A.B. · Q40211');
    expect(texts(undated)).toContain('No date was set.');
  });

  it('asks done or not done, and why not, and sends decision.update', () => {
    expect(inputs(card).map((i) => i['id'])).toEqual(['status', 'reason']);
    expect(input(card, 'status')).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'expanded',
      isRequired: true,
      choices: [
        { title: 'Done', value: 'done' },
        { title: 'Not done yet', value: 'notDone' },
      ],
    });
    expect(input(card, 'reason')).toMatchObject({
      type: 'Input.Text',
      label: 'If not done: why, and when it will be',
      isMultiline: true,
      maxLength: 1000,
    });
    expect(topActions(card)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Send',
        verb: 'decision.update',
        data: { decisionId: 501 },
        fallback: {
          type: 'Action.Submit',
          title: 'Send',
          data: { verb: 'decision.update', decisionId: 501 },
        },
      },
    ]);
  });

  it('comes back with the values kept and each error under its input', () => {
    const again = renderDecisionDue(aDecision(), {
      today,
      values: { status: 'notDone', reason: 'Soon' },
      errors: { reason: 'Say why it is not done, and when it will be.', status: 'Choose one.' },
    });
    expect(input(again, 'status')?.['value']).toBe('notDone');
    expect(input(again, 'reason')?.['value']).toBe('Soon');
    expect(after(again, 'status')).toMatchObject({ text: 'Choose one.', color: 'Attention' });
    expect(after(again, 'reason')).toMatchObject({
      text: 'Say why it is not done, and when it will be.',
      color: 'Attention',
    });
    expect(after(card, 'status')).toMatchObject({ id: 'reason' });
    const general = renderDecisionDue(aDecision(), {
      today,
      errors: { form: 'This decision was already marked done.' },
    });
    expect(red(general)).toEqual(['This decision was already marked done.']);
  });
});

describe('the confirmation after updating a decision', () => {
  it('says done and when, and that the IRO can see it', () => {
    const card = renderDecisionUpdated(
      aDecision({ status: 'done', doneOn: '2027-01-12' as LocalDate }),
    );
    expect(texts(card)).toEqual([
      'Review decision updated: A.B. · Q40211',
      'Refer for a CAMHS assessment',
      'Done on Tue 12 January 2027.',
      'Thank you. Alex Wilber (IRO) can see this.',
    ]);
    expect(inputs(card)).toEqual([]);
    expect(topActions(card)).toEqual([]);
  });

  it('says not done, with the reason', () => {
    const card = renderDecisionUpdated(
      aDecision({ status: 'notDone', reason: 'Waiting list: March' }),
    );
    expect(texts(card)).toContain('Not done yet: Waiting list: March');
  });
});

describe('the decisions overdue for an IRO', () => {
  const card = renderDecisionsOverdue(overdueDecisions(), { today });

  it('groups them by child, oldest first, with who, date, days and the last reason', () => {
    expect(texts(card)).toEqual([
      'Decisions overdue',
      '3 decisions overdue, for 2 children.',
      'A.B. · Q40211',
      'Arrange contact with grandmother every month',
      'Who: Someone not on the staff list',
      'Due Fri 20 November 2026: 53 days overdue',
      'No reason given yet.',
      'Refer for a CAMHS assessment',
      'Who: Sam Worker',
      'Due Tue 1 December 2026: 42 days overdue',
      'No reason given yet.',
      'C.D. · Q50001',
      'Book a dental check',
      'Who: nobody named',
      'Due Mon 11 January 2027: 1 day overdue',
      'Last said: Dentist has no slots until February',
    ]);
  });

  it('never shows the address of an owner outside the staff list', () => {
    expect(JSON.stringify(card)).not.toContain('elsewhere.example');
    expect(JSON.stringify(card)).not.toContain('sam.worker@');
  });

  it('says so when none is overdue', () => {
    const none = renderDecisionsOverdue([], { today });
    expect(texts(none)).toEqual([
      'Decisions overdue',
      'No review decision is overdue for your children.',
    ]);
  });

  it('caps a long list and says how many more', () => {
    const many = Array.from({ length: 34 }, (_, i) =>
      aDecision({ decisionId: i, description: `Decision ${i}`, dueOn: '2027-01-04' as LocalDate }),
    );
    const long = renderDecisionsOverdue(many, { today });
    expect(texts(long)).toContain('34 decisions overdue, for 1 child.');
    expect(texts(long)).toContain('Decision 29');
    expect(texts(long)).not.toContain('Decision 30');
    expect(texts(long).at(-1)).toBe('And 4 more.');
  });
});

describe("the IRO's daily digest", () => {
  const card = renderIroDigest(aDigest(), { timeZone });

  it('has a section for each list with something in it, in order', () => {
    expect(texts(card)[0]).toBe('Your IRO digest: Tue 12 January 2027');
    expect(digestSections(card)).toEqual([
      {
        heading: 'Overdue or due in the next 20 working days, not booked',
        rows: ['E.F. · Q40212', 'M.N. · Q40213', 'A.B. · Q40211'],
      },
      { heading: 'Decisions not yet recorded', rows: ['C.D. · Q50001', 'K.L. · Q50003'] },
      { heading: 'Review records to distribute', rows: ['G.H. · Q50002'] },
      {
        heading: 'Decisions overdue (3)',
        rows: ['A.B. · Q40211', 'C.D. · Q50001', 'A.B. · Q40211'],
      },
    ]);
  });

  it('leaves out empty sections', () => {
    const some = renderIroDigest(aDigest({ dueUnscheduled: [], decisionsOverdue: [] }), {
      timeZone,
    });
    expect(digestSections(some).map((s) => s.heading)).toEqual([
      'Decisions not yet recorded',
      'Review records to distribute',
    ]);
    const none = renderIroDigest(emptyDigest(), { timeZone });
    expect(texts(none)).toEqual([
      'Your IRO digest: Tue 12 January 2027',
      'Nothing needs you today.',
    ]);
    expect(texts(card)).not.toContain('Nothing needs you today.');
  });

  it('gives each row the button that deals with it', () => {
    const buttons = executes(card).map((a) => ({
      title: a['title'],
      verb: a['verb'],
      data: a['data'],
    }));
    expect(buttons).toEqual([
      { title: 'Schedule', verb: 'review.plan', data: { child: 'Q40212', mode: 'schedule' } },
      { title: 'Schedule', verb: 'review.plan', data: { child: 'Q40213', mode: 'schedule' } },
      { title: 'Schedule', verb: 'review.plan', data: { child: 'Q40211', mode: 'schedule' } },
      // The form of the review held, never "record review for", which would start another.
      { title: 'Record', verb: 'participation.form', data: { reviewId: 12 } },
      {
        title: 'Add the decisions',
        verb: 'participation.form',
        data: { reviewId: 13, edit: true },
      },
      { title: 'Mark distributed', verb: 'record.distributed', data: { reviewId: 9 } },
      { title: 'See all', verb: 'question.ask', data: { question: 'decisions overdue' } },
    ]);
  });

  it('shows the dates, with what is past, or to book within a fortnight, in red', () => {
    const all = texts(card);
    expect(all).toContain('Due Mon 1 February 2027');
    expect(all).toContain('Held on Mon 4 January 2027');
    expect(red(card)).toEqual([
      'Was due Fri 8 January 2027 (overdue)',
      'Due Sat 16 January 2027 (hold by Fri 15 January 2027)',
      'Held on Thu 10 December 2026; due by Thu 7 January 2027',
      'Refer for a CAMHS assessment: due Tue 1 December 2026',
      'Book a dental check: due Mon 11 January 2027',
      'Arrange contact with grandmother every month: due Fri 20 November 2026',
    ]);
  });

  it('says an unbooked review is urgent as the list cards do: red within a fortnight, with "hold by"', () => {
    const due = (dueOn: string, holdBy: string | null = null) =>
      renderIroDigest(
        aDigest({
          ...emptyDigest(),
          dueUnscheduled: [
            {
              childId: 'Q40211',
              childLabel: 'A.B. · Q40211',
              dueOn: dueOn as LocalDate,
              holdBy: holdBy as LocalDate | null,
            },
          ],
        }),
        { timeZone },
      );
    // Due tomorrow: red, not grey.
    const tomorrow = due('2027-01-13');
    expect(red(tomorrow)).toEqual(['Due Wed 13 January 2027']);
    const weekend = due('2027-01-16', '2027-01-15');
    expect(red(weekend)).toEqual(['Due Sat 16 January 2027 (hold by Fri 15 January 2027)']);
    expect(red(due('2027-01-26'))).toEqual(['Due Tue 26 January 2027']);
    // Beyond the fortnight: listed, not red, as the lists flag it with the warning sign alone.
    expect(red(due('2027-01-27'))).toEqual([]);
    expect(texts(due('2027-01-27'))).toContain('Due Wed 27 January 2027');
    expect(red(due('2027-01-11'))).toEqual(['Was due Mon 11 January 2027 (overdue)']);
  });

  it('shows at most 10 rows a section, and 3 overdue decisions, then how many more', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({
      childId: `Q${70000 + i}`,
      childLabel: `K.L. · Q${70000 + i}`,
      dueOn: '2027-02-01' as LocalDate,
      holdBy: null,
    }));
    const long = renderIroDigest(
      aDigest({ dueUnscheduled: many, decisionsOverdue: [...overdueDecisions(), aDecision()] }),
      { timeZone },
    );
    const sections = digestSections(long);
    expect(sections[0]?.rows).toHaveLength(10);
    expect(sections[0]?.rows.at(-1)).toBe('K.L. · Q70009');
    expect(sections.at(-1)?.heading).toBe('Decisions overdue (4)');
    expect(sections.at(-1)?.rows).toHaveLength(3);
    const all = texts(long);
    expect(all).toContain('And 3 more.');
    expect(all).toContain('And 1 more.');
    expect(texts(card)).not.toContain('And 1 more.');
  });

  it('names the children whose due date cannot be known, after the reviews to book, and says why', () => {
    const withUnknown = renderIroDigest(aDigest({ dueUnknown: unknownDue(5) }), { timeZone });
    const sections = digestSections(withUnknown);
    expect(sections.map((s) => s.heading)).toEqual([
      'Overdue or due in the next 20 working days, not booked',
      'Due date unknown, not booked (5)',
      'Decisions not yet recorded',
      'Review records to distribute',
      'Decisions overdue (3)',
    ]);
    // The first three, then how many more, as the overdue decisions are shown.
    expect(sections[1]?.rows).toEqual(['P.Q. · H01', 'P.Q. · H02', 'P.Q. · H03']);
    const all = texts(withUnknown);
    const at = all.indexOf('Due date unknown, not booked (5)');
    expect(all.slice(at, at + 6)).toEqual([
      'Due date unknown, not booked (5)',
      'Their last review was held before the council\'s extract began, so I can\'t tell when the next one is due. Record it with "record review for" and the case ID, or ask the data team to add its date.',
      'P.Q. · H01',
      'P.Q. · H02',
      'P.Q. · H03',
      'And 2 more.',
    ]);
    // Not known to be late: nothing new in red, and no Schedule button (scheduling needs the date);
    // the two left out are in the list the bot answers with.
    expect(red(withUnknown)).toEqual(red(card));
    const added = executes(withUnknown).filter(
      (a) => !executes(card).some((b) => JSON.stringify(a) === JSON.stringify(b)),
    );
    expect(added.map((a) => [a['title'], a['verb'], a['data']])).toEqual([
      ['See all', 'question.ask', { question: 'my reviews with no known due date' }],
    ]);
    expect(parseQuestion('my reviews with no known due date', today)).toEqual({
      kind: 'dueUnknown',
      personal: true,
    });
    // On its own, it is something to say: the digest is not empty.
    const only = renderIroDigest(aDigest({ ...emptyDigest(), dueUnknown: unknownDue(1) }), {
      timeZone,
    });
    expect(texts(only)).toEqual([
      'Your IRO digest: Tue 12 January 2027',
      'Due date unknown, not booked (1)',
      all[at + 1],
      'P.Q. · H01',
    ]);
    // Three or fewer: nothing left out, no button.
    expect(executes(only)).toEqual([]);
  });

  /** The section buttons (not the rows' own) of a digest. */
  const sectionButtons = (digest: Card) =>
    executes(digest)
      .filter((a) => a['verb'] === 'question.ask')
      .map((a) => ({ title: a['title'], question: (a['data'] as { question: string }).question }));

  it('offers the reviews left out of the first section in the lists the bot answers with', () => {
    const child = (i: number, dueOn: string) => ({
      childId: `Q${70000 + i}`,
      childLabel: `K.L. · Q${70000 + i}`,
      dueOn: dueOn as LocalDate,
      holdBy: null,
    });
    const dueOnly = Array.from({ length: 16 }, (_, i) => child(i, '2027-02-01'));
    const long = renderIroDigest(aDigest({ dueUnscheduled: dueOnly, decisionsOverdue: [] }), {
      timeZone,
    });
    expect(texts(long)).toContain('And 6 more.');
    const buttons = sectionButtons(long);
    expect(buttons).toEqual([
      {
        title: 'See all due by Tue 9 February 2027',
        question: 'my reviews due by 9 February 2027',
      },
    ]);
    // The question asks for the digest's own window, from today.
    const asked = parseQuestion(buttons[0]?.question ?? '', today);
    expect(asked).toMatchObject({
      kind: 'due',
      personal: true,
      period: { from: today, to: '2027-02-09' },
    });
    // Overdue rows left out too: the overdue list as well; only overdue ones: that list alone.
    const overdueToo = [
      ...Array.from({ length: 11 }, (_, i) => child(i, '2027-01-04')),
      ...Array.from({ length: 2 }, (_, i) => child(20 + i, '2027-02-01')),
    ];
    const both = renderIroDigest(aDigest({ dueUnscheduled: overdueToo, decisionsOverdue: [] }), {
      timeZone,
    });
    expect(sectionButtons(both)).toEqual([
      { title: 'See all overdue', question: 'my overdue reviews' },
      {
        title: 'See all due by Tue 9 February 2027',
        question: 'my reviews due by 9 February 2027',
      },
    ]);
    expect(parseQuestion('my overdue reviews', today)).toEqual({ kind: 'overdue', personal: true });
    const overdueOnly = renderIroDigest(
      aDigest({
        dueUnscheduled: Array.from({ length: 12 }, (_, i) => child(i, '2027-01-04')),
        decisionsOverdue: [],
      }),
      { timeZone },
    );
    expect(sectionButtons(overdueOnly)).toEqual([
      { title: 'See all overdue', question: 'my overdue reviews' },
    ]);
    // Ten rows or fewer: nothing left out, no button.
    expect(
      sectionButtons(renderIroDigest(aDigest({ decisionsOverdue: [] }), { timeZone })),
    ).toEqual([]);
  });
});

describe('the decisions not yet recorded and the records to distribute', () => {
  /** The section buttons (not the rows' own) of a card. */
  const asks = (card: Card) =>
    executes(card)
      .filter((a) => a['verb'] === 'question.ask')
      .map((a) => ({ title: a['title'], question: (a['data'] as { question: string }).question }));

  it('are offered from the digest when it leaves some out, asking a question the bot answers', () => {
    const long = renderIroDigest(aDigest({ ...toWriteUp(12), decisionsOverdue: [] }), {
      timeZone,
    });
    const sections = digestSections(long);
    expect(sections[1]).toMatchObject({ heading: 'Decisions not yet recorded' });
    expect(sections[1]?.rows).toHaveLength(10);
    expect(sections[2]).toMatchObject({ heading: 'Review records to distribute' });
    expect(sections[2]?.rows).toHaveLength(10);
    expect(texts(long).filter((t) => t === 'And 2 more.')).toHaveLength(2);
    expect(asks(long)).toEqual([
      { title: 'See all', question: 'decisions not yet recorded' },
      { title: 'See all', question: 'review records to distribute' },
    ]);
    // Each button sits under its own section, after "And 2 more.".
    const all = elements(long);
    const more = all.flatMap((e, i) => (e['text'] === 'And 2 more.' ? [i] : []));
    const buttons = all.flatMap((e, i) =>
      e['type'] === 'Action.Execute' && e['verb'] === 'question.ask' ? [i] : [],
    );
    expect(buttons[0]).toBeGreaterThan(more[0] as number);
    expect(buttons[0]).toBeLessThan(more[1] as number);
    expect(buttons[1]).toBeGreaterThan(more[1] as number);
    expect(parseQuestion('decisions not yet recorded', today)).toEqual({
      kind: 'decisionsNotRecorded',
    });
    expect(parseQuestion('review records to distribute', today)).toEqual({
      kind: 'recordsToDistribute',
    });
    // Nothing left out: no button (the digest above has two and one).
    expect(asks(renderIroDigest(aDigest({ decisionsOverdue: [] }), { timeZone }))).toEqual([]);
  });

  it("list every one with the digest's rows and buttons, saying what they cover", () => {
    const decisions = renderReviewsToWriteUp(aDigest(), 'decisions', writeUp);
    expect(texts(decisions)).toEqual([
      'Decisions not yet recorded',
      'Reviews booked in the app for your children, held in the last 90 days, whose decisions were not recorded 5 working days after the meeting.',
      '2 reviews',
      'C.D. · Q50001',
      'Held on Mon 4 January 2027',
      'K.L. · Q50003',
      'Held on Tue 5 January 2027',
    ]);
    expect(executes(decisions).map((a) => [a['title'], a['verb'], a['data']])).toEqual([
      ['Record', 'participation.form', { reviewId: 12 }],
      ['Add the decisions', 'participation.form', { reviewId: 13, edit: true }],
    ]);
    const records = renderReviewsToWriteUp(aDigest(), 'records', {
      followUpDays: 90,
      recordWorkingDays: 20,
    });
    expect(texts(records)).toEqual([
      'Review records to distribute',
      "Reviews of your children held in the last 90 days whose record was not marked distributed within the council's 20 working days.",
      '1 record',
      'G.H. · Q50002',
      'Held on Thu 10 December 2026; due by Thu 7 January 2027',
    ]);
    expect(red(records)).toEqual(['Held on Thu 10 December 2026; due by Thu 7 January 2027']);
    expect(executes(records).map((a) => [a['title'], a['verb'], a['data']])).toEqual([
      ['Mark distributed', 'record.distributed', { reviewId: 9 }],
    ]);
  });

  it('show the ten the digest left out, and say so when there is none', () => {
    const all = renderReviewsToWriteUp(aDigest(toWriteUp(12)), 'decisions', writeUp);
    expect(digestSections(all)[0]?.rows).toHaveLength(12);
    expect(texts(all)).toContain('12 reviews');
    expect(asks(all)).toEqual([]);
    const many = renderReviewsToWriteUp(aDigest(toWriteUp(33)), 'records', writeUp);
    expect(digestSections(many)[0]?.rows).toHaveLength(30);
    expect(texts(many).at(-1)).toBe('And 3 more.');
    expect(texts(renderReviewsToWriteUp(emptyDigest(), 'decisions', writeUp)).slice(-1)).toEqual([
      'None: no decisions are waiting to be recorded.',
    ]);
    expect(texts(renderReviewsToWriteUp(emptyDigest(), 'records', writeUp)).slice(-1)).toEqual([
      'None: no record is waiting to be distributed.',
    ]);
  });
});

describe("the social worker's report reminder", () => {
  it('says when the report is due, for which meeting, and who the IRO is', () => {
    const card = renderReportDue(aReportDue(), { timeZone });
    expect(texts(card)).toEqual([
      'Report due Fri 15 January 2027: A.B. · Q40211',
      'Please share your report for the review with Alex Wilber (IRO): it is due 3 working days before the meeting.',
    ]);
    expect(JSON.stringify(card)).toContain(
      '"title":"Review meeting","value":"Wed 20 January 2027, 10:00"',
    );
    expect(JSON.stringify(card)).toContain('"title":"IRO","value":"Alex Wilber"');
    expect(inputs(card)).toEqual([]);
    expect(topActions(card)).toEqual([]);
  });

  it('gives the meeting time in the council time zone and the configured working days', () => {
    const summer = renderReportDue(
      { ...aReportDue(), meetingStart: new Date('2027-06-09T13:30:00Z') },
      { timeZone, workingDays: 5 },
    );
    expect(JSON.stringify(summer)).toContain('it is due 5 working days before the meeting.');
    expect(JSON.stringify(summer)).toContain('"value":"Wed 9 June 2027, 14:30"');
  });
});

describe('the confirmation after marking a record distributed', () => {
  it('says on time, within the working days', () => {
    const card = renderRecordDistributed({
      childLabel: 'A.B. · Q40211',
      heldOn: '2027-01-04' as LocalDate,
      distributedOn: '2027-01-20' as LocalDate,
      withinDays: true,
      workingDays: 15,
    });
    expect(texts(card)).toEqual([
      'Review record distributed: A.B. · Q40211',
      "On time: within the council's 15 working days of the review.",
      'The annual report counts it as distributed on time.',
    ]);
    expect(JSON.stringify(card)).toContain('"value":"Mon 4 January 2027"');
    expect(JSON.stringify(card)).toContain('"value":"Wed 20 January 2027"');
    expect(red(card)).toEqual([]);
  });

  it('says late, in red', () => {
    const card = renderRecordDistributed({
      childLabel: 'A.B. · Q40211',
      heldOn: '2026-12-01' as LocalDate,
      distributedOn: '2027-01-20' as LocalDate,
      withinDays: false,
      workingDays: 20,
    });
    expect(red(card)).toEqual(["Late: more than the council's 20 working days after the review."]);
    expect(texts(card)).toContain('The annual report counts it as distributed late.');
  });
});
