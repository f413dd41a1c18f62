import { describe, expect, it } from 'vitest';
import { parseMidwayForm } from '../../../src/app/midway/answer-midway.js';
import type { MidwayCheck } from '../../../src/app/midway/midway-check.js';
import {
  renderMidwayAnswered,
  renderMidwayNoAnswer,
  renderMidwayPrompt,
  renderMidwaySummary,
  renderMidwayUnreachable,
} from '../../../src/cards/render-midway.js';
import { validateCard } from '../../../src/cards/validate-card.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import {
  elements,
  inputs,
  input,
  texts,
  after,
  topActions,
  type Card,
} from '../../support/card-elements.js';

const today = '2027-01-05' as LocalDate;
const timeZone = 'Europe/London';

/** Builds a check by its child label only; no child's name is anywhere in it. */
function aCheck(extra: Partial<MidwayCheck> = {}): MidwayCheck {
  return {
    checkId: 77,
    childId: 'Q40211',
    childLabel: 'A.B. · Q40211',
    reviewId: 12,
    lastReviewOn: '2026-10-02' as LocalDate,
    midwayOn: '2027-01-04' as LocalDate,
    nextDueOn: '2027-04-01' as LocalDate,
    swEmail: 'sam.worker@council.example',
    swName: 'Sam Worker',
    formerSwEmails: [],
    overtaken: null,
    iroEmail: 'alex.wilber@council.example',
    iroName: 'Alex Wilber',
    decisions: [
      {
        decisionId: 501,
        description: 'Refer for a CAMHS assessment',
        ownerEmail: 'sam.worker@council.example',
        ownerName: 'Sam Worker',
        dueOn: '2026-12-01' as LocalDate,
      },
      {
        decisionId: 502,
        description: 'Arrange contact with grandmother every month',
        ownerEmail: null,
        dueOn: '2027-02-01' as LocalDate,
      },
      {
        decisionId: 503,
        description: 'Update the PEP with the new school',
        ownerEmail: 'designated.teacher@school.example',
        dueOn: null,
      },
      {
        decisionId: 504,
        description: 'Life story work with the foster carer',
        ownerEmail: null,
        dueOn: '2026-11-20' as LocalDate,
      },
    ],
    promptedAt: null,
    unreachableToldAt: null,
    answeredAt: null,
    answeredBy: null,
    iroNote: null,
    answers: [],
    ...extra,
  };
}

const answered = (extra: Partial<MidwayCheck> = {}): MidwayCheck =>
  aCheck({
    promptedAt: new Date('2027-01-04T09:30:00Z'),
    answeredAt: new Date('2027-01-06T14:05:00Z'),
    answeredBy: 'sam.worker@council.example',
    iroNote: 'Placement is stable; school move went well.',
    answers: [
      { decisionId: 501, status: 'delayed', note: 'CAMHS waiting list is 14 weeks' },
      { decisionId: 502, status: 'on_track', note: null },
      { decisionId: 503, status: 'done', note: 'PEP meeting held 3 December' },
      { decisionId: 504, status: 'not_started', note: null },
    ],
    ...extra,
  });

const ALL_CARDS = (): [string, Card][] => [
  ['prompt', renderMidwayPrompt(aCheck(), { reminder: false, today })],
  [
    'prompt, no decisions',
    renderMidwayPrompt(aCheck({ decisions: [] }), { reminder: true, today }),
  ],
  [
    'prompt with errors',
    renderMidwayPrompt(aCheck({ nextDueOn: null }), {
      reminder: false,
      today,
      values: { status_501: 'done' },
      errors: { status_502: 'Say how this is going.', form: 'Something is missing.' },
    }),
  ],
  ['answered', renderMidwayAnswered(answered(), { timeZone })],
  [
    'answered, no decisions',
    renderMidwayAnswered(answered({ decisions: [], answers: [], iroNote: null }), { timeZone }),
  ],
  ['summary', renderMidwaySummary(answered(), { today, timeZone })],
  [
    'summary with alert',
    renderMidwaySummary(answered(), {
      today,
      timeZone,
      alertAction: { title: 'Raise a practice alert', verb: 'alert.start', data: { checkId: 77 } },
    }),
  ],
  [
    'summary, no decisions',
    renderMidwaySummary(answered({ decisions: [], answers: [], iroNote: null }), {
      today,
      timeZone,
    }),
  ],
  [
    'summary, asked',
    renderMidwaySummary(aCheck({ promptedAt: new Date('2027-01-04T09:30:00Z') }), {
      today,
      timeZone,
    }),
  ],
  ['summary, not asked', renderMidwaySummary(aCheck({ decisions: [] }), { today, timeZone })],
  [
    'no answer',
    renderMidwayNoAnswer(aCheck({ promptedAt: new Date('2027-01-04T09:30:00Z') }), {
      timeZone,
      workingDays: 10,
    }),
  ],
  ['unreachable, no chat', renderMidwayUnreachable([{ check: aCheck(), reason: 'noChat' }])],
  ['unreachable, blocked', renderMidwayUnreachable([{ check: aCheck(), reason: 'blocked' }])],
  [
    'unreachable, several',
    renderMidwayUnreachable([
      { check: aCheck(), reason: 'noChat' },
      { check: aCheck({ checkId: 78, childLabel: 'C.D. · R12345' }), reason: 'blocked' },
    ]),
  ],
];

describe('midway cards', () => {
  it.each(ALL_CARDS())('%s is a valid 1.5 card with every placeholder filled', (_name, card) => {
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('${');
    expect(JSON.stringify(card)).not.toMatch(/undefined|NaN|null/);
  });

  it.each(ALL_CARDS())('%s wraps every line of text', (_name, card) => {
    const blocks = elements(card).filter((e) => e['type'] === 'TextBlock');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block).toMatchObject({ wrap: true });
  });

  it.each(ALL_CARDS())(
    '%s shows the child by label only, and nothing of the check that is not on the card',
    (_name, card) => {
      const text = JSON.stringify(card);
      expect(text).toContain('A.B. · Q40211');
      expect(text).not.toContain('reviewId');
      expect(text).not.toContain('"childId"');
    },
  );

  it('carries no field of the check into the cards beyond what they show', () => {
    // A check read from a store that (wrongly) carried more about the child.
    const leaky = { ...answered(), firstName: 'Amelia', lastName: 'Zebedee', dob: '2014-03-09' };
    const cards = [
      renderMidwayPrompt(leaky, { reminder: false, today }),
      renderMidwayAnswered(leaky, { timeZone }),
      renderMidwaySummary(leaky, {
        today,
        timeZone,
        alertAction: {
          title: 'Raise a practice alert',
          verb: 'alert.start',
          data: { checkId: 77 },
        },
      }),
      renderMidwayNoAnswer(leaky, { timeZone, workingDays: 10 }),
      renderMidwayUnreachable([{ check: leaky, reason: 'noChat' }]),
    ];
    for (const card of cards) expect(JSON.stringify(card)).not.toMatch(/Amelia|Zebedee|2014-03-09/);
  });
});

describe('the midway prompt to the social worker', () => {
  const card = renderMidwayPrompt(aCheck(), { reminder: false, today });

  it('names the child, the reviews and the IRO', () => {
    expect(texts(card)[0]).toBe('Midway check: A.B. · Q40211');
    expect(texts(card)).toContain(
      'Alex Wilber (IRO) would like to know how the decisions of the review are going. The last review was on Fri 2 October 2026, and the next is due Thu 1 April 2027.',
    );
  });

  it('says when the next due date is not known', () => {
    const unknown = renderMidwayPrompt(aCheck({ nextDueOn: null }), { reminder: false, today });
    expect(JSON.stringify(unknown)).toContain(
      "The last review was on Fri 2 October 2026, and the next review's due date is not known.",
    );
  });

  it('is titled as a reminder when it is one', () => {
    const reminder = renderMidwayPrompt(aCheck(), { reminder: true, today });
    expect(texts(reminder)[0]).toBe('Reminder: Midway check: A.B. · Q40211');
  });

  it('asks about each decision with a required status and an optional note', () => {
    expect(inputs(card).map((i) => i['id'])).toEqual([
      'status_501',
      'note_501',
      'status_502',
      'note_502',
      'status_503',
      'note_503',
      'status_504',
      'note_504',
      'iroNote',
    ]);
    expect(input(card, 'status_502')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'How is "Arrange contact with grandmother every month" going?',
      isRequired: true,
      errorMessage: expect.stringMatching(/\w/) as unknown,
      choices: [
        { title: 'Done', value: 'done' },
        { title: 'On track', value: 'on_track' },
        { title: 'Delayed', value: 'delayed' },
        { title: 'Not started', value: 'not_started' },
      ],
    });
    expect(['compact', 'expanded']).toContain(input(card, 'status_502')?.['style']);
    expect(input(card, 'note_502')).toMatchObject({
      type: 'Input.Text',
      label: 'Note (optional)',
      maxLength: 500,
    });
    expect(input(card, 'note_502')?.['isRequired']).not.toBe(true);
    // The school's decision: answered only if the social worker knows.
    expect(input(card, 'status_503')).toMatchObject({
      label: 'How is "Update the PEP with the new school" going? Not yours: answer if you know.',
      placeholder: 'Choose one, if you know',
      isRequired: false,
    });
    expect(input(card, 'status_501')?.['isRequired']).toBe(true);
    expect(input(card, 'iroNote')).toMatchObject({
      type: 'Input.Text',
      label: 'Anything the IRO should know?',
      isMultiline: true,
      maxLength: 2000,
    });
  });

  it('says who is responsible and by when, and marks overdue decisions', () => {
    const all = texts(card);
    expect(all).toContain('Refer for a CAMHS assessment');
    expect(all).toContain('Sam Worker, by Tue 1 December 2026 (overdue)');
    expect(all).toContain('By Mon 1 February 2027');
    // An owner outside the staff list is named as the tab names them, never by address.
    expect(all).toContain('Someone not on the staff list');
    expect(JSON.stringify(card)).not.toContain('designated.teacher@school.example');
    expect(all).toContain('By Fri 20 November 2026 (overdue)');
    const overdue = elements(card).find((e) => String(e['text']).endsWith('(overdue)'));
    expect(overdue).toMatchObject({ color: 'Attention' });
    const onTime = elements(card).find((e) => e['text'] === 'By Mon 1 February 2027');
    expect(onTime?.['color']).not.toBe('Attention');
  });

  it('does not call a decision due today overdue', () => {
    const dueToday = renderMidwayPrompt(aCheck(), {
      reminder: false,
      today: '2026-12-01' as LocalDate,
    });
    expect(texts(dueToday)).toContain('Sam Worker, by Tue 1 December 2026');
  });

  it('says so when the review recorded no decisions, and still asks for a note', () => {
    const none = renderMidwayPrompt(aCheck({ decisions: [] }), { reminder: false, today });
    expect(texts(none)).toContain('No decisions were recorded in IRO Assistant for that review.');
    expect(inputs(none).map((i) => i['id'])).toEqual(['iroNote']);
    // Only a note is asked for, so the IRO is not said to be waiting for answers.
    expect(texts(none)[1]).toBe(
      'Half way to the next review: if there is anything Alex Wilber (IRO) should know, you can say it here. The last review was on Fri 2 October 2026, and the next is due Thu 1 April 2027. Nothing needs an answer.',
    );
    expect(texts(none).join(' ')).not.toContain('would like to know how the decisions');
    expect(texts(card)).not.toContain(
      'No decisions were recorded in IRO Assistant for that review.',
    );
  });

  it('sends the answers to the IRO with the check id only', () => {
    expect(topActions(card)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Send to Alex Wilber',
        verb: 'midway.answer',
        data: { checkId: 77 },
        fallback: {
          type: 'Action.Submit',
          title: 'Send to Alex Wilber',
          data: { verb: 'midway.answer', checkId: 77 },
        },
      },
    ]);
  });

  it('fills in what was given and shows each error under its input, in red', () => {
    const again = renderMidwayPrompt(aCheck(), {
      reminder: false,
      today,
      values: { status_501: 'done', note_501: 'Referral sent', iroNote: 'All well' },
      errors: {
        status_502: 'Say how this decision is going.',
        note_503: 'Keep the note to 500 characters.',
        iroNote: 'Keep this to 2000 characters.',
      },
    });
    expect(input(again, 'status_501')?.['value']).toBe('done');
    expect(input(again, 'note_501')?.['value']).toBe('Referral sent');
    expect(input(again, 'iroNote')?.['value']).toBe('All well');
    expect(input(again, 'status_502')?.['value'] ?? '').toBe('');
    expect(after(again, 'status_502')).toMatchObject({
      type: 'TextBlock',
      text: 'Say how this decision is going.',
      color: 'Attention',
    });
    expect(after(again, 'note_503')).toMatchObject({
      text: 'Keep the note to 500 characters.',
      color: 'Attention',
    });
    expect(after(again, 'iroNote')).toMatchObject({
      text: 'Keep this to 2000 characters.',
      color: 'Attention',
    });
    // The status of 501 has no error: the element after it is its note.
    expect(after(again, 'status_501')).toMatchObject({ id: 'note_501' });
    // A general message heads the form when something is wrong.
    const general = elements(again).find(
      (e) => e['color'] === 'Attention' && String(e['text']).includes('nothing has been sent'),
    );
    expect(general).toBeDefined();
    // Without errors, only overdue marks are red.
    const red = elements(card).filter((e) => e['color'] === 'Attention');
    expect(red.map((e) => String(e['text']).endsWith('(overdue)'))).toEqual([true, true]);
  });

  it('shows the general error it is given, above the questions', () => {
    const again = renderMidwayPrompt(aCheck(), {
      reminder: false,
      today,
      errors: { form: 'This check was already answered.' },
    });
    const all = elements(again);
    const at = all.findIndex((e) => e['text'] === 'This check was already answered.');
    expect(at).toBeGreaterThan(0);
    expect(all[at]).toMatchObject({ color: 'Attention' });
    expect(at).toBeLessThan(all.findIndex((e) => e['id'] === 'status_501'));
  });

  it('heads a form sent with a decision unanswered with one line, not two', () => {
    const parsed = parseMidwayForm(aCheck(), {
      status_501: 'done',
      status_502: 'on_track',
      status_503: 'done',
    });
    if (parsed.ok) throw new Error('a decision was left unanswered');
    const again = renderMidwayPrompt(aCheck(), { reminder: false, today, ...parsed });
    const banner = elements(again).filter(
      (e) => e['color'] === 'Attention' && e['weight'] === 'Bolder',
    );
    expect(banner.map((e) => e['text'])).toEqual([
      'Nothing was sent yet. Please fix what is marked and send again.',
    ]);
  });

  it('does not lose an error for an input the card does not have', () => {
    const again = renderMidwayPrompt(aCheck(), {
      reminder: false,
      today,
      errors: { status_999: 'That decision is no longer on the review.' },
    });
    expect(texts(again)).toContain('That decision is no longer on the review.');
  });
});

describe('the answered card the social worker keeps', () => {
  const card = renderMidwayAnswered(answered(), { timeZone });

  it('thanks them and says to whom and when it went', () => {
    expect(texts(card)).toContain('Thank you. Sent to Alex Wilber on Wed 6 January 2027 at 14:05.');
  });

  it('shows each decision with its answer and note, read only', () => {
    const all = texts(card);
    const at = all.indexOf('Refer for a CAMHS assessment');
    expect(at).toBeGreaterThan(0);
    expect(all.slice(at + 1, at + 3)).toEqual(['Delayed', 'CAMHS waiting list is 14 weeks']);
    expect(all).toContain('Arrange contact with grandmother every month');
    expect(all).toContain('On track');
    expect(all).toContain('Placement is stable; school move went well.');
    expect(inputs(card)).toEqual([]);
    expect(topActions(card)).toEqual([]);
  });

  it('says when there was no note to the IRO', () => {
    const none = renderMidwayAnswered(answered({ iroNote: null }), { timeZone });
    expect(texts(none)).toContain('No note.');
    expect(texts(card)).not.toContain('No note.');
  });

  it('says plainly, in red, that changes sent again were not saved, and how to correct', () => {
    const again = renderMidwayAnswered(answered(), { timeZone, changesNotSaved: { byYou: true } });
    expect(validateCard(again)).toEqual([]);
    const line =
      'You sent this to Alex Wilber on Wed 6 January 2027 at 14:05; these changes were not saved.' +
      ' Below is what was sent. To correct it, tell Alex Wilber in a Teams chat.';
    expect(elements(again).find((e) => e['text'] === line)).toMatchObject({ color: 'Attention' });
    expect(texts(again).join(' ')).not.toContain('Thank you');
    // What was stored is shown, not what was sent again.
    expect(texts(again)).toContain('Delayed');
    const other = renderMidwayAnswered(answered({ answeredBy: 'duty.sw@council.example' }), {
      timeZone,
      changesNotSaved: { byYou: false },
    });
    expect(texts(other).join(' ')).toContain('duty.sw@council.example sent this to Alex Wilber');
  });

  it('uses the council time zone for the time sent', () => {
    const summer = renderMidwayAnswered(
      answered({ answeredAt: new Date('2027-06-01T08:15:00Z') }),
      {
        timeZone,
      },
    );
    expect(JSON.stringify(summer)).toContain('on Tue 1 June 2027 at 09:15.');
  });
});

describe('the midway summary for the IRO', () => {
  const card = renderMidwaySummary(answered(), { today, timeZone });

  it('says whose answers they are and when they came', () => {
    expect(texts(card)[0]).toBe('Midway answers: A.B. · Q40211');
    expect(texts(card)).toContain('Answered by Sam Worker on Wed 6 January 2027 at 14:05.');
  });

  it('names someone else who answered for the social worker', () => {
    const cover = renderMidwaySummary(answered({ answeredBy: 'cover.worker@council.example' }), {
      today,
      timeZone,
    });
    expect(texts(cover)).toContain(
      'Answered by cover.worker@council.example on Wed 6 January 2027 at 14:05.',
    );
  });

  it('puts what needs the IRO first: delayed, not started, on track, done', () => {
    const all = texts(card);
    const headings = ['Delayed (1)', 'Not started (1)', 'On track (1)', 'Done (1)'].map((h) =>
      all.indexOf(h),
    );
    expect(headings.every((i) => i > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    const heading = (text: string) => elements(card).find((e) => e['text'] === text);
    expect(heading('Delayed (1)')).toMatchObject({ color: 'Attention' });
    expect(heading('Not started (1)')).toMatchObject({ color: 'Attention' });
    expect(heading('Done (1)')?.['color']).not.toBe('Attention');
    expect(heading('On track (1)')?.['color']).not.toBe('Attention');
    // Each decision sits under its heading.
    expect(all.indexOf('Refer for a CAMHS assessment')).toBeGreaterThan(headings[0] as number);
    expect(all.indexOf('Refer for a CAMHS assessment')).toBeLessThan(headings[1] as number);
    expect(all.indexOf('Update the PEP with the new school')).toBeGreaterThan(
      headings[3] as number,
    );
  });

  it('groups several decisions under one heading, in the order of the review', () => {
    const twoDelayed = renderMidwaySummary(
      answered({
        answers: [
          { decisionId: 504, status: 'delayed', note: null },
          { decisionId: 501, status: 'delayed', note: null },
          { decisionId: 502, status: 'done', note: null },
          { decisionId: 503, status: 'done', note: null },
        ],
      }),
      { today, timeZone },
    );
    const all = texts(twoDelayed);
    expect(all).toContain('Delayed (2)');
    expect(all).toContain('Done (2)');
    expect(all).not.toContain('Not started (0)');
    expect(all.indexOf('Refer for a CAMHS assessment')).toBeLessThan(
      all.indexOf('Life story work with the foster carer'),
    );
  });

  it('names an owner outside the staff list as the tab does, never by address', () => {
    expect(texts(card)).toContain('Someone not on the staff list');
    expect(JSON.stringify(card)).not.toContain('@school.example');
  });

  it('marks open decisions past their date overdue, but not done ones', () => {
    const all = texts(card);
    expect(all).toContain('Sam Worker, by Tue 1 December 2026 (overdue)');
    expect(all).toContain('By Fri 20 November 2026 (overdue)');
    const done = renderMidwaySummary(
      answered({
        answers: [
          { decisionId: 501, status: 'done', note: null },
          { decisionId: 502, status: 'on_track', note: null },
          { decisionId: 503, status: 'on_track', note: null },
          { decisionId: 504, status: 'done', note: null },
        ],
      }),
      { today, timeZone },
    );
    expect(texts(done)).toContain('Sam Worker, by Tue 1 December 2026');
    expect(JSON.stringify(done)).not.toContain('(overdue)');
  });

  it('shows each note and the note to the IRO', () => {
    const all = texts(card);
    expect(all).toContain('Note: CAMHS waiting list is 14 weeks');
    expect(all).toContain('Note: PEP meeting held 3 December');
    expect(all).toContain('Placement is stable; school move went well.');
    const none = renderMidwaySummary(answered({ iroNote: null }), { today, timeZone });
    expect(texts(none)).toContain('No note.');
  });

  it('lists a decision the social worker did not answer', () => {
    const partial = renderMidwaySummary(
      answered({ answers: [{ decisionId: 501, status: 'done', note: null }] }),
      { today, timeZone },
    );
    const all = texts(partial);
    expect(all).toContain('No answer (3)');
    expect(all.indexOf('No answer (3)')).toBeLessThan(all.indexOf('Done (1)'));
  });

  it('says when the review recorded no decisions', () => {
    const none = renderMidwaySummary(answered({ decisions: [], answers: [] }), { today, timeZone });
    expect(texts(none)).toContain('No decisions were recorded in IRO Assistant for that review.');
    expect(texts(card)).not.toContain(
      'No decisions were recorded in IRO Assistant for that review.',
    );
  });

  it('says when the social worker was asked and has not answered, and lists the decisions', () => {
    const asked = renderMidwaySummary(aCheck({ promptedAt: new Date('2027-01-04T09:30:00Z') }), {
      today,
      timeZone,
    });
    const all = texts(asked);
    expect(all).toContain('Asked Sam Worker on Mon 4 January 2027; no answer yet.');
    expect(all).toContain('Refer for a CAMHS assessment');
    expect(all).toContain('Sam Worker, by Tue 1 December 2026 (overdue)');
    expect(JSON.stringify(asked)).not.toMatch(/Delayed \(|Done \(|No note\./);
  });

  it('says when the social worker has not been asked yet', () => {
    const notAsked = renderMidwaySummary(aCheck({ midwayOn: '2027-01-11' as LocalDate }), {
      today,
      timeZone,
    });
    expect(texts(notAsked)).toContain('Not asked yet: the midway date is Mon 11 January 2027.');
    expect(JSON.stringify(notAsked)).not.toContain('Asked Sam Worker');
  });

  it('offers the alert action only when it is given', () => {
    expect(topActions(card)).toEqual([]);
    const withAlert = renderMidwaySummary(answered(), {
      today,
      timeZone,
      alertAction: {
        title: 'Raise a practice alert',
        verb: 'alert.start',
        data: { child: 'Q40211', checkId: 77 },
      },
    });
    expect(topActions(withAlert)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Raise a practice alert',
        verb: 'alert.start',
        data: { child: 'Q40211', checkId: 77 },
        fallback: {
          type: 'Action.Submit',
          title: 'Raise a practice alert',
          data: { verb: 'alert.start', child: 'Q40211', checkId: 77 },
        },
      },
    ]);
  });
});

describe('telling the IRO a midway check got nowhere', () => {
  it('says who has not answered, since when, and what to do', () => {
    const card = renderMidwayNoAnswer(aCheck({ promptedAt: new Date('2027-01-04T09:30:00Z') }), {
      timeZone,
      workingDays: 10,
    });
    const text = texts(card).join('\n');
    expect(text).toContain(
      'Sam Worker has not answered the midway check for A.B. · Q40211 sent on Mon 4 January 2027 (10 working days ago).',
    );
    expect(text).toContain('midway answers for Q40211');
    expect(text).toMatch(/call/i);
    expect(topActions(card)).toEqual([]);
  });

  it('says "1 working day", not "1 working days"', () => {
    const card = renderMidwayNoAnswer(aCheck({ promptedAt: new Date('2027-01-04T09:30:00Z') }), {
      timeZone,
      workingDays: 1,
    });
    expect(JSON.stringify(card)).toContain('(1 working day ago)');
  });

  it.each([
    ['noChat', 'they have not got IRO Assistant in Teams'],
    ['blocked', 'they have blocked IRO Assistant in Teams'],
  ] as const)('says why a check could not be sent (%s) and what to do', (reason, why) => {
    const card = renderMidwayUnreachable([{ check: aCheck(), reason }]);
    const text = texts(card).join('\n');
    expect(text).toContain(
      `I could not send Sam Worker the midway check for A.B. · Q40211: ${why}.`,
    );
    expect(text).toContain('open IRO Assistant from Apps in Teams and say hello');
    // How long the promise holds: until the next review is due.
    expect(text).toContain(
      'I send the check when they do, until the next review is due on Thu 1 April 2027.',
    );
  });

  it("tells the IRO of a day's unsent checks in one card, by social worker", () => {
    const card = renderMidwayUnreachable([
      { check: aCheck(), reason: 'noChat' },
      { check: aCheck({ checkId: 78, childLabel: 'C.D. · R12345' }), reason: 'noChat' },
      {
        check: aCheck({
          checkId: 79,
          childLabel: 'E.F. · T55555',
          swEmail: 'lee.other@council.example',
          swName: 'Lee Other',
        }),
        reason: 'blocked',
      },
    ]);
    const text = texts(card).join('\n');
    expect(texts(card)[0]).toBe('3 midway checks not sent');
    expect(text).toContain('they have not got IRO Assistant in Teams, or have blocked it (marked)');
    const facts = elements(card)
      .filter((e) => e['type'] === 'FactSet')
      .flatMap((e) => e['facts'] as { title: string; value: string }[]);
    expect(facts).toEqual([
      { title: 'Sam Worker', value: 'A.B. · Q40211, C.D. · R12345' },
      { title: 'Lee Other (blocked)', value: 'E.F. · T55555' },
    ]);
    expect(text).toContain("until that child's next review is due");
  });
});
