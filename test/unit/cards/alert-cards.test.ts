import { describe, expect, it } from 'vitest';
import type { AlertStep, PracticeAlert } from '../../../src/app/alerts/practice-alert.js';
import {
  ALERT_LIST_MAX,
  ALERT_NO_DECISION,
  renderAlertForm,
  renderAlertForResponder,
  renderAlertList,
  renderAlertMovedOnNotice,
  renderAlertRaised,
  renderAlertResponseSent,
  renderAlertStatus,
} from '../../../src/cards/render-alerts.js';
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
} from '../../support/card-elements.js';

const today = '2027-01-12' as LocalDate;
const timeZone = 'Europe/London';

const raisedStep: AlertStep = {
  id: 901,
  at: new Date('2027-01-05T10:04:00Z'),
  actorEmail: 'alex.wilber@council.example',
  actorName: 'Alex Wilber',
  action: 'raised',
  stage: 'informal',
  note: null,
};

/** An alert on a child known by label only; no child's name is anywhere in it. */
function anAlert(extra: Partial<PracticeAlert> = {}): PracticeAlert {
  return {
    alertId: 31,
    childId: 'Q40211',
    childLabel: 'A.B. · Q40211',
    iroEmail: 'alex.wilber@council.example',
    iroName: 'Alex Wilber',
    issue: 'The CAMHS referral set at the October review has not been made.',
    actionWanted: 'Make the referral by Friday 15 January.',
    decision: { decisionId: 501, description: 'Refer for a CAMHS assessment' },
    stage: 'informal',
    stageStartedOn: '2027-01-05' as LocalDate,
    stageDueOn: '2027-01-12' as LocalDate,
    responderEmail: 'adele.vance@council.example',
    responderName: 'Adele Vance',
    raisedOn: '2027-01-05' as LocalDate,
    status: 'open',
    outcome: null,
    resolvedOn: null,
    steps: [raisedStep],
    ...extra,
  };
}

const responded: AlertStep = {
  id: 902,
  at: new Date('2027-01-07T15:30:00Z'),
  actorEmail: 'adele.vance@council.example',
  actorName: 'Adele Vance',
  action: 'responded',
  stage: 'informal',
  note: 'Referral goes in this week; Sam will confirm.',
};
const movedOn: AlertStep = {
  id: 903,
  at: new Date('2027-01-13T09:00:00Z'),
  actorEmail: 'alex.wilber@council.example',
  actorName: 'Alex Wilber',
  action: 'movedOn',
  stage: 'formal',
  note: 'Still no referral.',
};

const atFormal = (extra: Partial<PracticeAlert> = {}) =>
  anAlert({
    stage: 'formal',
    stageStartedOn: '2027-01-13' as LocalDate,
    stageDueOn: '2027-01-27' as LocalDate,
    responderEmail: 'megan.bowen@council.example',
    responderName: 'Megan Bowen',
    steps: [raisedStep, responded, movedOn],
    ...extra,
  });

const atLastStage = () =>
  anAlert({
    stage: 'head_of_service',
    stageDueOn: '2027-02-03' as LocalDate,
    responderName: 'Lee Gu',
    responderEmail: 'lee.gu@council.example',
  });

const resolved = () =>
  atFormal({
    status: 'resolved',
    outcome: 'cafcass',
    resolvedOn: '2027-01-29' as LocalDate,
    steps: [
      raisedStep,
      responded,
      movedOn,
      {
        id: 904,
        at: new Date('2027-01-29T11:00:00Z'),
        actorEmail: 'alex.wilber@council.example',
        actorName: 'Alex Wilber',
        action: 'resolved',
        stage: 'formal',
        note: null,
      },
    ],
  });

const decisions = [
  { decisionId: 501, description: 'Refer for a CAMHS assessment' },
  { decisionId: 502, description: 'Arrange contact with grandmother every month' },
];

const ALL_CARDS = (): [string, Card][] => [
  ['form', renderAlertForm({ childId: 'Q40211', childLabel: 'A.B. · Q40211', decisions })],
  [
    'form, no decisions, from a midway check',
    renderAlertForm({ childId: 'Q40211', childLabel: 'A.B. · Q40211', decisions: [], checkId: 77 }),
  ],
  [
    'form with errors',
    renderAlertForm({
      childId: 'Q40211',
      childLabel: 'A.B. · Q40211',
      decisions,
      values: { actionWanted: 'Soon' },
      errors: { issue: 'Say what the concern is.', form: 'Something went wrong.' },
    }),
  ],
  ['raised', renderAlertRaised(anAlert(), { timeZone })],
  [
    'raised, nobody to answer',
    renderAlertRaised(anAlert({ responderEmail: null, responderName: null }), { timeZone }),
  ],
  ['for responder', renderAlertForResponder(anAlert(), { today: '2027-01-06' as LocalDate })],
  [
    'for responder, formal, overdue, with errors',
    renderAlertForResponder(atFormal({ decision: null, actionWanted: null }), {
      today: '2027-02-01' as LocalDate,
      values: { response: 'x' },
      errors: { response: 'Say a little more.' },
    }),
  ],
  [
    'for responder, reminded',
    renderAlertForResponder(anAlert(), {
      today: '2027-01-13' as LocalDate,
      headline: 'Your response was due by Tue 12 January 2027.',
    }),
  ],
  [
    'moved on, to a manager who had it',
    renderAlertMovedOnNotice(atFormal(), movedOn, { timeZone, nextResponderName: 'Megan Bowen' }),
  ],
  [
    'moved on, nobody above',
    renderAlertMovedOnNotice(atFormal(), movedOn, { timeZone, nextResponderName: null }),
  ],
  [
    'closed, to a manager who had it',
    renderAlertMovedOnNotice(resolved(), resolved().steps[3] as AlertStep, {
      timeZone,
      nextResponderName: null,
    }),
  ],
  ['response sent', renderAlertResponseSent(atFormal(), { timeZone })],
  ['response sent, none recorded', renderAlertResponseSent(anAlert(), { timeZone })],
  [
    'response sent again',
    renderAlertResponseSent(anAlert({ steps: [raisedStep, responded] }), {
      timeZone,
      alreadySent: true,
    }),
  ],
  ['status, IRO, open', renderAlertStatus(atFormal(), { today, timeZone, iroActions: true })],
  [
    'status, IRO, headline, errors',
    renderAlertStatus(anAlert(), {
      today: '2027-01-13' as LocalDate,
      timeZone,
      headline: 'No response by Tue 12 January 2027',
      iroActions: true,
      values: { note: 'Ringing her today' },
      errors: { outcome: 'Choose an outcome to resolve the alert.' },
    }),
  ],
  ['status, last stage', renderAlertStatus(atLastStage(), { today, timeZone, iroActions: true })],
  [
    'status, responded, waiting for the IRO',
    renderAlertStatus(anAlert({ steps: [raisedStep, responded] }), {
      today: '2027-01-13' as LocalDate,
      timeZone,
      iroActions: true,
    }),
  ],
  [
    'status, no actions, nobody to answer',
    renderAlertStatus(anAlert({ responderEmail: null, responderName: null }), {
      today,
      timeZone,
      iroActions: false,
    }),
  ],
  ['status, resolved', renderAlertStatus(resolved(), { today, timeZone, iroActions: true })],
  [
    'list',
    renderAlertList([anAlert(), atFormal(), resolved()], {
      today: '2027-01-13' as LocalDate,
      title: 'Practice alerts',
      emptyText: 'None.',
    }),
  ],
  [
    'list, one responded',
    renderAlertList([anAlert({ steps: [raisedStep, responded] }), atFormal()], {
      today: '2027-01-13' as LocalDate,
      title: 'Practice alerts',
      emptyText: 'None.',
      timeZone,
      viewerEmail: 'alex.wilber@council.example',
    }),
  ],
  [
    'list, empty',
    renderAlertList([], {
      today,
      title: 'Practice alerts',
      emptyText: 'You have no open practice alerts.',
    }),
  ],
];

describe('practice alert cards', () => {
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

  it('carries nothing about the child beyond the label, even when the alert has more', () => {
    const leaky = {
      ...atFormal(),
      firstName: 'Amelia',
      lastName: 'Zebedee',
      dob: '2014-03-09',
    };
    const cards = [
      renderAlertRaised(leaky, { timeZone }),
      renderAlertForResponder(leaky, { today }),
      renderAlertResponseSent(leaky, { timeZone }),
      renderAlertMovedOnNotice(leaky, movedOn, { timeZone, nextResponderName: 'Megan Bowen' }),
      renderAlertStatus(leaky, { today, timeZone, iroActions: true }),
      renderAlertList([leaky], { today, title: 'Alerts', emptyText: 'None.' }),
    ];
    for (const card of cards) {
      const text = JSON.stringify(card);
      expect(text).toContain('A.B. · Q40211');
      expect(text).not.toMatch(/Amelia|Zebedee|2014-03-09|iroEmail|actorEmail/);
    }
  });
});

describe('free text written by one person and shown to another', () => {
  it('reaches the manager as text, never as a link that seems to come from the bot', () => {
    const phishing = '[Your session expired: sign in again](https://evil.example/login)';
    const card = renderAlertForResponder(
      anAlert({
        issue: phishing,
        actionWanted: `![x](https://evil.example/pixel.png) ${phishing}`,
        steps: [{ ...raisedStep, note: phishing }],
      }),
      { today: '2027-01-06' as LocalDate },
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/\]\(/);
    expect(texts(card).join('\n')).toContain(
      '[Your session expired: sign in again] (https://evil.example/login)',
    );
  });
});

describe('the form to raise a practice alert', () => {
  const card = renderAlertForm({ childId: 'Q40211', childLabel: 'A.B. · Q40211', decisions });

  it("names the first responder as what they are: a team manager, or the social worker's manager", () => {
    const form = (role: 'team_manager' | 'service_manager') =>
      texts(
        renderAlertForm({
          childId: 'Q40211',
          childLabel: 'A.B. · Q40211',
          decisions,
          responderName: 'Isaiah Langer',
          responderRole: role,
          swName: 'Gemma Reid',
        }),
      )[1];
    expect(form('team_manager')).toMatch(
      /^It goes first to Isaiah Langer, Gemma Reid's team manager /,
    );
    expect(form('service_manager')).toMatch(
      /^It goes first to Isaiah Langer, Gemma Reid's manager /,
    );
  });

  it("names each stage's manager from the staff list, and says where the chain stops", () => {
    const form = (laterResponders: { formal: string | null; headOfService: string | null }) =>
      texts(
        renderAlertForm({
          childId: 'Q40211',
          childLabel: 'A.B. · Q40211',
          decisions,
          responderName: 'Isaiah Langer',
          responderRole: 'service_manager',
          swName: 'Gemma Reid',
          laterResponders,
        }),
      )[1];
    expect(form({ formal: 'Patti Fernandez', headOfService: 'Nestor Wilke' })).toBe(
      "It goes first to Isaiah Langer, Gemma Reid's manager (informal stage: 5 working days), then to Patti Fernandez (formal stage: 10 more working days), then to Nestor Wilke. The manager sees what you write here. You escalate it or close it.",
    );
    // A short chain: the head of service is not in the staff list, and the IRO hears it now.
    expect(form({ formal: 'Patti Fernandez', headOfService: null })).toContain(
      'then to the head of service. Nobody above Patti Fernandez is in the staff list: from there you would contact the next manager yourself.',
    );
    expect(form({ formal: null, headOfService: null })).toContain(
      'Nobody above Isaiah Langer is in the staff list',
    );
  });

  it('says so when one manager has both later stages (a team manager under a head of service)', () => {
    const [, intro] = texts(
      renderAlertForm({
        childId: 'Q40211',
        childLabel: 'A.B. · Q40211',
        decisions,
        responderName: 'Adele Vance',
        responderRole: 'team_manager',
        swName: 'Gemma Reid',
        laterResponders: {
          formal: 'Patti Fernandez',
          headOfService: 'Patti Fernandez',
          sameManager: true,
        },
      }),
    );
    expect(intro).toBe(
      "It goes first to Adele Vance, Gemma Reid's team manager (informal stage: 5 working days), then to Patti Fernandez (formal stage: 10 more working days), then to Patti Fernandez again, at the head of service stage. The manager sees what you write here. You escalate it or close it.",
    );
  });

  it('names the child and says where the alert goes, with the working days', () => {
    expect(texts(card)[0]).toBe('Raise a practice alert: A.B. · Q40211');
    expect(texts(card)[1]).toBe(
      "It goes first to the social worker's team manager (informal stage: 5 working days), then to a senior manager (formal stage: 10 more working days), then to the head of service. The manager sees what you write here. You escalate it or close it.",
    );
  });

  it('asks for the concern, the decision concerned and the action wanted', () => {
    expect(inputs(card).map((i) => i['id'])).toEqual(['issue', 'decisionId', 'actionWanted']);
    expect(input(card, 'issue')).toMatchObject({
      type: 'Input.Text',
      label: 'What is the concern?',
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
      errorMessage: expect.stringMatching(/\w/) as unknown,
    });
    expect(input(card, 'decisionId')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Review decision concerned',
      style: 'compact',
      choices: [
        { title: 'None in particular', value: 'none' },
        { title: 'Refer for a CAMHS assessment', value: '501' },
        { title: 'Arrange contact with grandmother every month', value: '502' },
      ],
    });
    expect(input(card, 'decisionId')?.['isRequired']).toBeUndefined();
    // It starts on "None in particular", so an untouched form says no decision.
    expect(input(card, 'decisionId')?.['value']).toBe(ALERT_NO_DECISION);
    expect(input(card, 'actionWanted')).toMatchObject({
      type: 'Input.Text',
      label: 'What should happen, and by when?',
      isMultiline: true,
      maxLength: 1000,
    });
    expect(input(card, 'actionWanted')?.['isRequired']).toBeUndefined();
  });

  it('leaves out the decision choice when the review has no decisions', () => {
    const none = renderAlertForm({
      childId: 'Q40211',
      childLabel: 'A.B. · Q40211',
      decisions: [],
    });
    expect(inputs(none).map((i) => i['id'])).toEqual(['issue', 'actionWanted']);
  });

  it('sends alert.raise with the child, and the midway check only when given', () => {
    expect(topActions(card)).toStrictEqual([
      {
        type: 'Action.Execute',
        title: 'Raise the alert',
        verb: 'alert.raise',
        data: { child: 'Q40211' },
        fallback: {
          type: 'Action.Submit',
          title: 'Raise the alert',
          data: { verb: 'alert.raise', child: 'Q40211' },
        },
      },
    ]);
    const fromCheck = renderAlertForm({
      childId: 'Q40211',
      childLabel: 'A.B. · Q40211',
      decisions,
      checkId: 77,
    });
    expect(topActions(fromCheck)[0]).toMatchObject({
      data: { child: 'Q40211', checkId: 77 },
      fallback: { data: { verb: 'alert.raise', child: 'Q40211', checkId: 77 } },
    });
  });

  it('comes back with the values kept and each error under its input', () => {
    const again = renderAlertForm({
      childId: 'Q40211',
      childLabel: 'A.B. · Q40211',
      decisions,
      values: { issue: 'No referral', decisionId: '501', actionWanted: 'Refer now' },
      errors: {
        issue: 'Keep the concern to 2000 characters.',
        decisionId: 'That decision is no longer on the review.',
        actionWanted: 'Keep this to 1000 characters.',
      },
    });
    expect(input(again, 'issue')?.['value']).toBe('No referral');
    expect(input(again, 'decisionId')?.['value']).toBe('501');
    expect(input(again, 'actionWanted')?.['value']).toBe('Refer now');
    for (const [id, text] of [
      ['issue', 'Keep the concern to 2000 characters.'],
      ['decisionId', 'That decision is no longer on the review.'],
      ['actionWanted', 'Keep this to 1000 characters.'],
    ] as const)
      expect(after(again, id)).toMatchObject({ type: 'TextBlock', text, color: 'Attention' });
    expect(red(again)[0]).toBe('Please put right what is marked below; nothing has been sent yet.');
    // Without errors nothing is red, and the input after the concern is the decision.
    expect(red(card)).toEqual([]);
    expect(after(card, 'issue')).toMatchObject({ id: 'decisionId' });
  });

  it('shows the general error, and one for an input the card does not have, above the inputs', () => {
    const again = renderAlertForm({
      childId: 'Q40211',
      childLabel: 'A.B. · Q40211',
      decisions: [],
      errors: { form: 'You are not the IRO for this child.', decisionId: 'No such decision.' },
    });
    const all = elements(again);
    const issueAt = all.findIndex((e) => e['id'] === 'issue');
    const at = (text: string) => all.findIndex((e) => e['text'] === text);
    expect(at('You are not the IRO for this child.')).toBeGreaterThan(0);
    expect(at('You are not the IRO for this child.')).toBeLessThan(issueAt);
    expect(at('No such decision.')).toBeGreaterThan(0);
    expect(at('No such decision.')).toBeLessThan(issueAt);
    expect(texts(again).filter((t) => t === 'No such decision.')).toHaveLength(1);
  });
});

describe("the IRO's confirmation that an alert is raised", () => {
  it('says to whom it went and by when they should respond', () => {
    const card = renderAlertRaised(anAlert(), { timeZone });
    expect(texts(card)[0]).toBe('Practice alert raised: A.B. · Q40211');
    expect(texts(card)).toContain(
      'Sent to Adele Vance, who should respond by Tue 12 January 2027.',
    );
    expect(JSON.stringify(card)).toContain('"value":"Informal: team manager"');
    expect(JSON.stringify(card)).toContain('alert for Q40211');
    expect(red(card)).toEqual([]);
  });

  it('falls back to the e-mail when the staff list has no name', () => {
    const card = renderAlertRaised(anAlert({ responderName: null }), { timeZone });
    expect(texts(card)).toContain(
      'Sent to adele.vance@council.example, who should respond by Tue 12 January 2027.',
    );
  });

  it('tells the IRO to contact the manager when nobody is in the staff list', () => {
    const card = renderAlertRaised(anAlert({ responderEmail: null, responderName: null }), {
      timeZone,
    });
    expect(red(card)).toEqual([
      "Nobody above the social worker is in the staff list, so I could not send it to the social worker's team manager. Please contact them directly. If they should hear from IRO Assistant, ask the data team to add them to Staff.csv as the social worker's MANAGER_EMAIL.",
    ]);
    expect(JSON.stringify(card)).not.toContain('Sent to');
  });

  it('dates the raising in the council time zone', () => {
    const lateEvening = anAlert({
      steps: [{ ...raisedStep, at: new Date('2027-06-01T23:30:00Z') }],
    });
    expect(JSON.stringify(renderAlertRaised(lateEvening, { timeZone }))).toContain(
      '"value":"Wed 2 June 2027"',
    );
  });
});

describe("the manager's card", () => {
  const card = renderAlertForResponder(anAlert(), { today: '2027-01-06' as LocalDate });

  it('says who raised it, about whom, and by when to respond', () => {
    expect(texts(card)[0]).toBe('Practice alert from Alex Wilber: A.B. · Q40211');
    expect(texts(card)).toContain('Respond by Tue 12 January 2027');
    expect(red(card)).toEqual([]);
  });

  it('shows the concern, the decision and the action wanted', () => {
    const all = texts(card);
    const after = (heading: string) => all[all.indexOf(heading) + 1];
    expect(after('The concern')).toBe(
      'The CAMHS referral set at the October review has not been made.',
    );
    expect(after('Review decision concerned')).toBe('Refer for a CAMHS assessment');
    expect(after('What should happen, and by when')).toBe(
      'Make the referral by Friday 15 January.',
    );
    const bare = renderAlertForResponder(anAlert({ decision: null, actionWanted: null }), {
      today,
    });
    expect(texts(bare)).not.toContain('Review decision concerned');
    expect(texts(bare)).not.toContain('What should happen, and by when');
  });

  it('asks for a required response and sends alert.respond with the alert and its stage', () => {
    expect(inputs(card).map((i) => i['id'])).toEqual(['response']);
    expect(input(card, 'response')).toMatchObject({
      type: 'Input.Text',
      label: 'Your response: what will be done, by whom and when',
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
    });
    expect(topActions(card)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Send response',
        verb: 'alert.respond',
        data: { alertId: 31, stage: 'informal' },
        fallback: {
          type: 'Action.Submit',
          title: 'Send response',
          data: { verb: 'alert.respond', alertId: 31, stage: 'informal' },
        },
      },
    ]);
  });

  it('marks the date red when it has passed, but not on the day itself', () => {
    expect(texts(renderAlertForResponder(anAlert(), { today }))).toContain(
      'Respond by Tue 12 January 2027',
    );
    const late = renderAlertForResponder(anAlert(), { today: '2027-01-13' as LocalDate });
    expect(red(late)).toEqual(['Respond by Tue 12 January 2027 (overdue)']);
  });

  it('shows the earlier steps at a later stage, and none when it was only raised', () => {
    expect(texts(card)).not.toContain('Steps so far');
    const formal = renderAlertForResponder(atFormal(), { today });
    const all = texts(formal);
    const at = all.indexOf('Steps so far');
    expect(at).toBeGreaterThan(0);
    expect(all.slice(at + 1)).toEqual([
      'Tue 5 January 2027: Alex Wilber raised it',
      'Thu 7 January 2027: Adele Vance responded',
      'Referral goes in this week; Sam will confirm.',
      'Wed 13 January 2027: Alex Wilber moved it to Formal: senior manager',
      'Still no referral.',
    ]);
    expect(topActions(formal)[0]).toMatchObject({ data: { alertId: 31, stage: 'formal' } });
  });

  it('puts what it is sent again for above it', () => {
    const reminded = renderAlertForResponder(anAlert(), {
      today: '2027-01-13' as LocalDate,
      headline: 'Your response was due by Tue 12 January 2027.',
    });
    expect(texts(reminded).slice(0, 2)).toEqual([
      'Your response was due by Tue 12 January 2027.',
      'Practice alert from Alex Wilber: A.B. · Q40211',
    ]);
    expect(texts(card)[0]).toBe('Practice alert from Alex Wilber: A.B. · Q40211');
  });

  it('comes back with the response kept and the error under it', () => {
    const again = renderAlertForResponder(anAlert(), {
      today,
      values: { response: 'We will' },
      errors: { response: 'Say who will do it and when.' },
    });
    expect(input(again, 'response')?.['value']).toBe('We will');
    expect(after(again, 'response')).toMatchObject({
      text: 'Say who will do it and when.',
      color: 'Attention',
    });
  });
});

describe('the notice to a manager who had the alert', () => {
  it('says the IRO escalated it, to which stage, when, and who has it now', () => {
    const card = renderAlertMovedOnNotice(atFormal(), movedOn, {
      timeZone,
      nextResponderName: 'Megan Bowen',
    });
    expect(texts(card)).toEqual([
      'Practice alert moved on: A.B. · Q40211',
      'Alex Wilber (IRO) escalated it to Formal: senior manager on Wed 13 January 2027; Megan Bowen has been asked to respond.',
      'Nothing more is asked of you on it.',
      'To see it, ask me "alert for Q40211".',
    ]);
    expect(JSON.stringify(card)).toContain('"value":"Formal: senior manager"');
    // Short: not the concern, nor the IRO's note.
    expect(JSON.stringify(card)).not.toMatch(/CAMHS|Still no referral/);
    expect(inputs(card)).toEqual([]);
    expect(red(card)).toEqual([]);
  });

  it('says so when nobody above is in the staff list', () => {
    const card = renderAlertMovedOnNotice(atFormal(), movedOn, {
      timeZone,
      nextResponderName: null,
    });
    expect(texts(card)[1]).toBe(
      'Alex Wilber (IRO) escalated it to Formal: senior manager on Wed 13 January 2027; nobody above is in the staff list to respond.',
    );
  });

  it('says the IRO closed it, when, and how it ended', () => {
    const closed = resolved();
    const card = renderAlertMovedOnNotice(closed, closed.steps[3] as AlertStep, {
      timeZone,
      nextResponderName: null,
    });
    // All of it: a closed alert is for the managers over the child, not every manager it passed.
    expect(texts(card)).toEqual([
      'Practice alert closed: A.B. · Q40211',
      'Alex Wilber (IRO) closed it on Fri 29 January 2027: Referred to Cafcass.',
      'Nothing more is asked of you on it.',
    ]);
    expect(JSON.stringify(card)).toContain('"value":"Referred to Cafcass"');
  });
});

describe("the manager's card once sent", () => {
  const atInformal = (steps: AlertStep[]) => anAlert({ steps: [raisedStep, ...steps] });

  it("says it went to the IRO and shows the response at the alert's stage", () => {
    const second = {
      ...responded,
      id: 905,
      at: new Date('2027-01-20T10:00:00Z'),
      stage: 'formal' as const,
      note: 'Referral made on 19 January.',
    };
    const card = renderAlertResponseSent(atFormal({ steps: [raisedStep, responded, second] }), {
      timeZone,
    });
    expect(texts(card)[0]).toBe('Sent to Alex Wilber');
    expect(texts(card)).toContain('Referral made on 19 January.');
    expect(texts(card)).not.toContain('Referral goes in this week; Sam will confirm.');
  });

  it('offers "Change my response": the response to edit, sent with alert.respond', () => {
    const card = renderAlertResponseSent(atInformal([responded]), { timeZone });
    const change = topActions(card)[0];
    expect(change).toMatchObject({ type: 'Action.ShowCard', title: 'Change my response' });
    expect(inputs(card)).toEqual([
      expect.objectContaining({
        id: 'response',
        type: 'Input.Text',
        value: 'Referral goes in this week; Sam will confirm.',
        isRequired: true,
        maxLength: 2000,
      }),
    ]);
    expect(texts(card)).toContain(
      "Alex Wilber is told of the change. Your first response stays in the alert's record.",
    );
    expect(executes(card)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Send the change',
        verb: 'alert.respond',
        data: { alertId: 31, stage: 'informal' },
        fallback: {
          type: 'Action.Submit',
          title: 'Send the change',
          data: { verb: 'alert.respond', alertId: 31, stage: 'informal' },
        },
      },
    ]);
  });

  it('shows a changed response as the one that stands, with the day it was changed', () => {
    const changed: AlertStep = {
      ...responded,
      id: 906,
      action: 'responseChanged',
      at: new Date('2027-01-08T09:15:00Z'),
      note: 'Referral went in today.',
    };
    const card = renderAlertResponseSent(atInformal([responded, changed]), { timeZone });
    expect(texts(card).slice(0, 3)).toEqual([
      'Change sent to Alex Wilber',
      'Your response, changed on Fri 8 January 2027',
      'Referral went in today.',
    ]);
    expect(input(card, 'response')?.['value']).toBe('Referral went in today.');
  });

  it('says so when the same response was sent again, and that nothing was sent', () => {
    const card = renderAlertResponseSent(atInformal([responded]), {
      timeZone,
      alreadySent: true,
    });
    expect(texts(card)[0]).toBe('Already sent to Alex Wilber');
    expect(texts(card)).toContain(
      'You had already sent this on Thu 7 January 2027; it was not sent again.',
    );
  });

  it('has nothing to change once the alert is closed, or with no response at its stage', () => {
    for (const card of [
      renderAlertResponseSent(resolved(), { timeZone }),
      renderAlertResponseSent(atFormal(), { timeZone }),
    ]) {
      expect(inputs(card)).toEqual([]);
      expect(topActions(card)).toEqual([]);
    }
  });
});

describe("the alert's timeline", () => {
  it('shows a changed response after the first, each with its text', () => {
    const changed: AlertStep = {
      ...responded,
      id: 906,
      action: 'responseChanged',
      at: new Date('2027-01-08T09:15:00Z'),
      note: 'Referral went in today.',
    };
    const card = renderAlertStatus(anAlert({ steps: [raisedStep, responded, changed] }), {
      today,
      timeZone,
      iroActions: true,
    });
    const all = texts(card);
    const at = all.indexOf('Thu 7 January 2027: Adele Vance responded');
    expect(all.slice(at, at + 4)).toEqual([
      'Thu 7 January 2027: Adele Vance responded',
      'Referral goes in this week; Sam will confirm.',
      'Fri 8 January 2027: Adele Vance changed their response',
      'Referral went in today.',
    ]);
  });
});

describe('the alert as the IRO sees it', () => {
  const card = renderAlertStatus(atFormal(), { today, timeZone, iroActions: true });

  it('says where it stands: stage, who has it, and by when', () => {
    const all = texts(card);
    expect(all[0]).toBe('Practice alert: A.B. · Q40211');
    expect(all).toContain('Open at stage Formal: senior manager, since Wed 13 January 2027.');
    expect(all).toContain('With Megan Bowen.');
    expect(all).toContain('Respond by Wed 27 January 2027');
    expect(all).toContain('Raised on Tue 5 January 2027 by Alex Wilber.');
    expect(all).toContain('Wed 13 January 2027: Alex Wilber moved it to Formal: senior manager');
    expect(red(card)).toEqual([]);
  });

  it('puts the headline first when there is one', () => {
    const withHeadline = renderAlertStatus(atFormal(), {
      today,
      timeZone,
      iroActions: true,
      headline: 'Megan Bowen responded',
    });
    expect(texts(withHeadline).slice(0, 2)).toEqual([
      'Megan Bowen responded',
      'Practice alert: A.B. · Q40211',
    ]);
  });

  it('marks an overdue stage red', () => {
    const late = renderAlertStatus(anAlert(), {
      today: '2027-01-13' as LocalDate,
      timeZone,
      iroActions: true,
    });
    expect(red(late)).toEqual(['Respond by Tue 12 January 2027 (overdue)']);
  });

  describe("once the manager at the alert's stage has responded", () => {
    const answered = anAlert({ steps: [raisedStep, responded] });
    // The stage's date has passed: the manager answered in time or not, it is the IRO's turn.
    const late = '2027-01-13' as LocalDate;

    it('says who responded and when, and that it waits for the IRO, in nothing red', () => {
      const card = renderAlertStatus(answered, { today: late, timeZone, iroActions: true });
      const all = texts(card);
      expect(all.slice(1, 5)).toEqual([
        'Open at stage Informal: team manager, since Tue 5 January 2027.',
        'Adele Vance responded on Thu 7 January 2027; waiting for you to close or escalate it.',
        'The stage is due to be resolved by Tue 12 January 2027.',
        'Raised on Tue 5 January 2027 by Alex Wilber.',
      ]);
      expect(JSON.stringify(card)).not.toMatch(/With Adele Vance|Respond by|overdue/);
      expect(red(card)).toEqual([]);
    });

    it('names the IRO to a manager reading it', () => {
      const card = renderAlertStatus(answered, { today: late, timeZone, iroActions: false });
      expect(texts(card)).toContain(
        'Adele Vance responded on Thu 7 January 2027; waiting for Alex Wilber (IRO) to close or escalate it.',
      );
    });

    it('dates a changed response by its change', () => {
      const changed: AlertStep = {
        ...responded,
        id: 906,
        action: 'responseChanged',
        at: new Date('2027-01-11T16:00:00Z'),
        note: 'Referral went in today.',
      };
      const card = renderAlertStatus(anAlert({ steps: [raisedStep, responded, changed] }), {
        today: late,
        timeZone,
        iroActions: true,
      });
      expect(texts(card)).toContain(
        'Adele Vance changed their response on Mon 11 January 2027; waiting for you to close or escalate it.',
      );
    });

    it('goes back to the next manager once the IRO escalates', () => {
      // The informal response stays in the timeline; the formal stage waits for its manager.
      const card = renderAlertStatus(atFormal(), { today, timeZone, iroActions: true });
      expect(texts(card)).toContain('With Megan Bowen.');
      expect(JSON.stringify(card)).not.toContain('waiting for');
    });

    it('shows the same in the lists: responded, waiting for the IRO, not red', () => {
      const rows = (viewerEmail?: string) =>
        renderAlertList([answered, atFormal()], {
          today: late,
          title: 'Practice alerts',
          emptyText: 'None.',
          timeZone,
          ...(viewerEmail ? { viewerEmail } : {}),
        });
      const forManager = rows('adele.vance@council.example');
      expect(texts(forManager).slice(2, 6)).toEqual([
        'A.B. · Q40211',
        'Informal: team manager',
        'Adele Vance responded on Thu 7 January 2027',
        'Waiting for Alex Wilber (IRO)',
      ]);
      expect(red(forManager)).toEqual([]);
      const forIro = rows('alex.wilber@council.example');
      expect(texts(forIro)[5]).toBe('Waiting for you to close or escalate it');
      expect(texts(forIro)).toContain('With Megan Bowen');
    });
  });

  it('offers the outcome and note, not required, with "Escalate to" and "Close the alert"', () => {
    expect(inputs(card).map((i) => i['id'])).toEqual(['outcome', 'note']);
    expect(input(card, 'outcome')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'To close the alert: how did it end?',
      choices: [
        { title: 'Resolved: the plan is back on track', value: 'resolved' },
        { title: 'Referred to Cafcass', value: 'cafcass' },
        { title: 'Withdrawn by the IRO', value: 'withdrawn' },
      ],
    });
    expect(input(card, 'outcome')?.['isRequired']).toBeUndefined();
    expect(input(card, 'note')).toMatchObject({
      type: 'Input.Text',
      label: 'Note (optional)',
      isMultiline: true,
      maxLength: 1000,
    });
    expect(input(card, 'note')?.['isRequired']).toBeUndefined();
    expect(topActions(card)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Escalate to the head of service',
        verb: 'alert.escalate',
        data: { alertId: 31, stage: 'formal' },
        fallback: {
          type: 'Action.Submit',
          title: 'Escalate to the head of service',
          data: { verb: 'alert.escalate', alertId: 31, stage: 'formal' },
        },
      },
      {
        type: 'Action.Execute',
        title: 'Close the alert',
        verb: 'alert.resolve',
        data: { alertId: 31, stage: 'formal' },
        fallback: {
          type: 'Action.Submit',
          title: 'Close the alert',
          data: { verb: 'alert.resolve', alertId: 31, stage: 'formal' },
        },
      },
    ]);
  });

  it('moves an informal alert to the formal stage', () => {
    const informal = renderAlertStatus(anAlert(), { today, timeZone, iroActions: true });
    expect(topActions(informal).map((a) => a['title'])).toEqual([
      'Escalate to a senior manager (formal stage)',
      'Close the alert',
    ]);
  });

  it('has no "Escalate to" at the last stage', () => {
    const last = renderAlertStatus(atLastStage(), { today, timeZone, iroActions: true });
    expect(topActions(last)).toEqual([
      expect.objectContaining({
        verb: 'alert.resolve',
        data: { alertId: 31, stage: 'head_of_service' },
      }),
    ]);
    expect(JSON.stringify(last)).not.toContain('Escalate to');
  });

  it('has no inputs or buttons without iroActions', () => {
    const readOnly = renderAlertStatus(atFormal(), { today, timeZone, iroActions: false });
    expect(inputs(readOnly)).toEqual([]);
    expect(topActions(readOnly)).toEqual([]);
  });

  it('tells the IRO to contact the manager when nobody is in the staff list', () => {
    const nobody = renderAlertStatus(atFormal({ responderEmail: null, responderName: null }), {
      today,
      timeZone,
      iroActions: true,
    });
    expect(red(nobody)).toEqual([
      // The manager who answered the informal stage is named: the chain stops at them.
      "Nobody above Adele Vance is in the staff list, so I could not send it to a senior manager. Please contact them directly. If they should hear from IRO Assistant, ask the data team to add them to Staff.csv as Adele Vance's MANAGER_EMAIL.",
    ]);
  });

  it('shows a resolved alert with its outcome and date, and no inputs or buttons', () => {
    const closed = renderAlertStatus(resolved(), { today, timeZone, iroActions: true });
    const all = texts(closed);
    expect(all).toContain('Closed on Fri 29 January 2027: Referred to Cafcass');
    expect(all).toContain('Last stage: Formal: senior manager.');
    expect(all).toContain('Fri 29 January 2027: Alex Wilber resolved it');
    expect(JSON.stringify(closed)).not.toContain('Respond by');
    expect(inputs(closed)).toEqual([]);
    expect(topActions(closed)).toEqual([]);
    expect(red(closed)).toEqual([]);
  });

  it('comes back with values kept and errors under their inputs', () => {
    const again = renderAlertStatus(atFormal(), {
      today,
      timeZone,
      iroActions: true,
      values: { outcome: 'cafcass', note: 'Referred today' },
      errors: {
        outcome: 'Choose an outcome to resolve the alert.',
        note: 'Keep the note to 1000 characters.',
        form: 'Someone else moved this alert on.',
      },
    });
    expect(input(again, 'outcome')?.['value']).toBe('cafcass');
    expect(input(again, 'note')?.['value']).toBe('Referred today');
    expect(after(again, 'outcome')).toMatchObject({
      text: 'Choose an outcome to resolve the alert.',
      color: 'Attention',
    });
    expect(after(again, 'note')).toMatchObject({
      text: 'Keep the note to 1000 characters.',
      color: 'Attention',
    });
    // The general error given stands alone: no second general line under it.
    expect(red(again).slice(0, 2)).toEqual([
      'Someone else moved this alert on.',
      'Choose an outcome to resolve the alert.',
    ]);
    expect(after(card, 'outcome')).toMatchObject({ id: 'note' });
  });
});

describe('the list of alerts', () => {
  const card = renderAlertList([anAlert(), atFormal(), resolved()], {
    today: '2027-01-13' as LocalDate,
    title: 'Your practice alerts',
    emptyText: 'None.',
  });

  it('shows each alert with its stage, who has it and by when, overdue in red', () => {
    const all = texts(card);
    expect(all.slice(0, 2)).toEqual(['Your practice alerts', '3 practice alerts']);
    expect(all.slice(2, 6)).toEqual([
      'A.B. · Q40211',
      'Informal: team manager',
      'With Adele Vance',
      'Respond by Tue 12 January 2027 (overdue)',
    ]);
    expect(all).toContain('With Megan Bowen');
    expect(all).toContain('Respond by Wed 27 January 2027');
    expect(all).toContain('Referred to Cafcass');
    expect(all).toContain('Closed Fri 29 January 2027');
    expect(red(card)).toEqual(['Respond by Tue 12 January 2027 (overdue)']);
  });

  it('gives each row an Open button that asks for the alert', () => {
    const opens = executes(card);
    expect(opens).toHaveLength(3);
    expect(opens[0]).toEqual({
      type: 'Action.Execute',
      title: 'Open',
      verb: 'question.ask',
      data: { question: 'alert for Q40211' },
      fallback: {
        type: 'Action.Submit',
        title: 'Open',
        data: { verb: 'question.ask', question: 'alert for Q40211' },
      },
    });
  });

  it('says so when there are none', () => {
    const empty = renderAlertList([], {
      today,
      title: 'Your practice alerts',
      emptyText: 'You have no open practice alerts.',
    });
    expect(texts(empty)).toEqual(['Your practice alerts', 'You have no open practice alerts.']);
    expect(executes(empty)).toEqual([]);
  });

  it(`shows at most ${ALERT_LIST_MAX} and says how many more`, () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      anAlert({ alertId: i, childId: `Q${50000 + i}`, childLabel: `C.D. · Q${50000 + i}` }),
    );
    const long = renderAlertList(many, { today, title: 'Alerts', emptyText: 'None.' });
    expect(executes(long)).toHaveLength(20);
    expect(texts(long)).toContain('23 practice alerts: the first 20 are shown.');
    expect(texts(long).at(-1)).toBe(
      'And 3 more. To open one, ask me "alert for" and the child\'s case ID.',
    );
    expect(JSON.stringify(long)).toContain('alert for Q50019');
    expect(JSON.stringify(long)).not.toContain('Q50020');
    const exactly = renderAlertList(many.slice(0, 20), { today, title: 'A', emptyText: 'N' });
    expect(texts(exactly)).toContain('20 practice alerts');
    expect(JSON.stringify(exactly)).not.toContain('more');
  });

  it('says "1 practice alert"', () => {
    const one = renderAlertList([anAlert()], { today, title: 'A', emptyText: 'N' });
    expect(texts(one)).toContain('1 practice alert');
  });
});
