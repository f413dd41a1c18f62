import { describe, expect, it } from 'vitest';
import type { RecordingContext } from '../../../src/app/recording/record-review.js';
import type { ReviewRecord } from '../../../src/app/recording/review-record.js';
import {
  recordAsForm,
  renderRecordForm,
  renderRecorded,
} from '../../../src/cards/render-recording.js';
import { validateCard } from '../../../src/cards/validate-card.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { after, elements, input, inputs, red, type Card } from '../../support/card-elements.js';

const context = {
  childLabel: 'J.S. (A10001)',
  child: { childId: 'A10001' },
  due: { kind: 'subsequent', dueDate: '2026-12-01', number: 3, previousReviewDate: null },
} as unknown as RecordingContext;
// The allocated social worker was invited first (index 0) and is asked about by role.
const invitees = [
  { index: 1, email: 'mum@example.org' },
  { index: 2, email: 'carer@fostering.example' },
];

const form = (values: Record<string, string> = {}, errors?: Record<string, string>): Card => {
  const card = renderRecordForm({
    context,
    formData: { reviewId: 7 },
    submitData: { reviewId: 7, recordKey: 'k' },
    chairIds: ['29:chair'],
    invitees,
    values,
    ...(errors ? { errors } : {}),
    today: '2026-12-03' as LocalDate,
  });
  expect(validateCard(card)).toEqual([]);
  return card as Card;
};

describe('the recording form: people invited by e-mail', () => {
  it('asks who each invitee is, from the roles the form asks about, beside how they took part', () => {
    const card = form({ att_invitee_2: 'online' });
    const who = input(card, 'who_invitee_2');
    expect(who?.['label']).toBe('Who is carer@fostering.example?');
    expect(who?.['placeholder']).toBe('Who is this?');
    expect((who?.['choices'] as { title: string; value: string }[]).map((c) => c.title)).toEqual([
      'Mother',
      'Father',
      'Other family',
      'Carer',
      'Advocate',
      'Health',
      'Education',
      'Other',
    ]);
    expect(input(card, 'att_invitee_2')?.['value']).toBe('online');
    expect(input(card, 'att_invitee_2')?.['label']).toBe('How they took part');
    // No row for the social worker invited by e-mail: the social worker's own row asks.
    expect(input(card, 'who_invitee_0')).toBeUndefined();
  });

  it('lists the child, then the invitees, then the other roles for anyone else', () => {
    const ids = inputs(form())
      .map((e) => String(e['id']))
      .filter((id) => id.startsWith('att_') || id.startsWith('who_'));
    expect(ids).toEqual([
      'att_child',
      'who_invitee_1',
      'att_invitee_1',
      'who_invitee_2',
      'att_invitee_2',
      'att_mother',
      'att_father',
      'att_other_family',
      'att_carer',
      'att_social_worker',
      'att_advocate',
      'att_health',
      'att_education',
      'att_other',
    ]);
    const texts = elements(form())
      .filter((e) => e['type'] === 'TextBlock')
      .map((e) => e['text']);
    expect(texts).toContain(
      'Invited by e-mail: say who each person is. They count as that role, so leave the role below for anyone else.',
    );
    expect(texts).toContain('Anyone else, by role');
  });

  it('has no invitee section when nobody was invited by e-mail', () => {
    const card = renderRecordForm({
      context,
      formData: { reviewId: 7 },
      submitData: { reviewId: 7 },
      chairIds: [],
      invitees: [],
      values: {},
      today: '2026-12-03' as LocalDate,
    }) as Card;
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('Invited by e-mail');
    expect(JSON.stringify(card)).not.toContain('Anyone else, by role');
  });

  it('shows a refusal beside that invitee, with every value kept', () => {
    const card = form(
      { att_invitee_1: 'online', who_invitee_2: 'carer', att_invitee_2: 'in_person' },
      { invitee_1: 'Say who this is: attendance is counted by role (mother, father, carer ...).' },
    );
    expect(red(card)).toContain(
      'Please put right what is marked below; nothing has been recorded yet.',
    );
    // In reading order: the invitee's two choices, then the message.
    expect(after(card, 'att_invitee_1')?.['text']).toBe(
      'Say who this is: attendance is counted by role (mother, father, carer ...).',
    );
    expect(input(card, 'att_invitee_1')?.['value']).toBe('online');
    expect(input(card, 'who_invitee_2')?.['value']).toBe('carer');
    expect(input(card, 'att_invitee_2')?.['value']).toBe('in_person');
  });
});

describe('a recorded review, shown back and opened again', () => {
  const record: ReviewRecord = {
    heldOn: '2026-12-03' as LocalDate,
    reviewCode: 'PN1',
    attendance: [
      { participant: 'child', inviteeIndex: null, attendance: 'in_person' },
      { participant: 'mother', inviteeIndex: 1, attendance: 'online' },
      { participant: 'carer', inviteeIndex: 2, attendance: 'online' },
      { participant: 'carer', inviteeIndex: null, attendance: 'in_person' },
    ],
    childChaired: false,
    advocacyOffered: false,
    consultationReturned: false,
    lateReason: null,
    decisions: [],
  };

  it('names who took part by role, never by address', () => {
    const card = renderRecorded({
      context,
      record,
      next: { known: false, reason: 'lastReviewBeforeExtract' },
      onTime: true,
      formData: { reviewId: 7 },
      editData: { reviewId: 7 },
      chairIds: ['29:chair'],
      title: 'Review recorded',
    });
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('"value":"Child, Mother, Carer"');
    expect(JSON.stringify(card)).not.toContain('@');
  });

  it('puts each invitee back on their own row with the role given, for changing the record', () => {
    expect(recordAsForm(record, invitees)).toEqual({
      heldOn: '2026-12-03',
      code: 'PN1',
      childChaired: 'false',
      advocacyOffered: 'false',
      consultationReturned: 'false',
      att_child: 'in_person',
      att_invitee_1: 'online',
      who_invitee_1: 'mother',
      att_invitee_2: 'online',
      who_invitee_2: 'carer',
      att_carer: 'in_person',
    });
  });

  it('leaves the role to choose on an invitee recorded before the form asked it', () => {
    const older: ReviewRecord = {
      ...record,
      attendance: [{ participant: 'invitee', inviteeIndex: 2, attendance: 'online' }],
    };
    const values = recordAsForm(older, invitees);
    expect(values['att_invitee_2']).toBe('online');
    expect(values['who_invitee_2']).toBeUndefined();
  });
});
