import { describe, expect, it } from 'vitest';
import { readRecordForm, type RecordingContext } from '../../../src/app/recording/record-review.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

const d = (s: string) => s as LocalDate;
const today = d('2026-11-23');

function contextFor(dob: string, otherHeld: string[] = ['2026-05-20']): RecordingContext {
  return {
    chair: {
      email: 'iro@example.com',
      name: 'An IRO',
      role: 'iro',
      aadObjectId: null,
      team: null,
      managerEmail: null,
      fte: 1,
      swId: null,
      level: null,
    },
    child: {
      childId: 'A12345',
      dob: d(dob),
      sex: null,
      ethnic: null,
      firstName: 'Sam',
      lastName: 'Jones',
      periods: [],
      reviews: [],
      allocations: [],
      reviewsKnownFrom: null,
      previousReview: null,
    },
    childLabel: 'S.J. (A12345)',
    period: { start: d('2025-01-06'), startKnown: true, end: null, shortBreak: false },
    review: undefined,
    otherHeld: otherHeld.map(d),
    due: {
      kind: 'subsequent',
      number: 3,
      dueDate: d('2026-11-25'),
      previousReviewDate: d('2026-05-20'),
    },
  };
}

const form = (extra: Record<string, string>) => ({
  heldOn: '2026-11-23',
  att_child: 'in_person',
  code: 'PN1',
  ...extra,
});

describe('recording a review: the checks before anything is stored', () => {
  it.each([
    // [child's DOB, form changes, field with a problem, message]
    [
      '2016-01-01',
      { code: 'PN0' },
      'code',
      /^440: PN0 is only for a child under 4; the child was 10/,
    ],
    ['2022-11-23', { code: 'PN0' }, 'code', /^440/], // 4th birthday on the day held: the child is 4
    [
      '2023-01-10',
      { code: 'PN1' },
      'code',
      /^441: the child was under 4 on 23 November 2026; use PN0/,
    ],
    [
      '2016-01-01',
      { code: 'PN2', att_child: 'did_not_attend' },
      'code',
      /PN2 means the child attended/,
    ],
    [
      '2016-01-01',
      { code: 'PN5', att_child: 'online' },
      'code',
      /PN5 means the child did not attend/,
    ],
    ['2016-01-01', { heldOn: '2026-11-24' }, 'heldOn', /cannot be in the future/],
    ['2016-01-01', { heldOn: '2026-05-20' }, 'heldOn', /previous review was held on 20 May 2026/],
    ['2016-01-01', { heldOn: '2024-12-01' }, 'heldOn', /came into care on 6 January 2025/],
    ['2016-01-01', { heldOn: '' }, 'heldOn', /Give the date/],
    ['2016-01-01', { att_child: '' }, 'att_child', /Say whether the child attended/],
    ['2016-01-01', { att_mother: 'maybe' }, 'att_mother', /Choose how the mother took part/],
    ['2016-01-01', { code: 'PN9' }, 'code', /Choose the participation code/],
    [
      '2016-01-01',
      { code: 'PN7', att_child: 'apologies', childChaired: 'true' },
      'childChaired',
      /A child who did not attend cannot have chaired the review/,
    ],
    [
      '2016-01-01',
      { code: 'PN6', att_child: 'report', childChaired: 'true' },
      'childChaired',
      /A child who did not attend cannot have chaired the review/,
    ],
    ['2016-01-01', { decision_0_who: 'sw@example.com' }, 'decision_0', /Say what was decided/],
    [
      '2016-01-01',
      { decision_1_what: 'x', decision_1_who: 'not an email' },
      'decision_1',
      /is not an e-mail address/,
    ],
    [
      '2016-01-01',
      { decision_2_what: 'x', decision_2_by: '2026-11-01' },
      'decision_2',
      /cannot be before the review/,
    ],
  ])('DOB %s with %j: %s', (dob, changes, field, message) => {
    const result = readRecordForm(contextFor(dob), form(changes), today, []);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[field]).toMatch(message);
  });

  it.each([
    ['2023-01-10', { code: 'PN0', att_child: 'did_not_attend' }],
    ['2022-11-23', { code: 'PN1' }],
    ['2016-01-01', { code: 'PN6', att_child: 'report' }],
    ['2016-01-01', { code: 'PN7', att_child: 'apologies' }],
    ['2016-01-01', { code: 'PN2', att_child: 'online', childChaired: 'true' }],
  ])('accepts DOB %s with %j', (dob, changes) => {
    expect(readRecordForm(contextFor(dob), form(changes), today, []).ok).toBe(true);
  });

  it('keeps attendance, flags and decisions as recorded', () => {
    const result = readRecordForm(
      contextFor('2016-01-01'),
      form({
        att_carer: 'in_person',
        att_father: 'apologies',
        att_invitee_0: 'online',
        who_invitee_0: 'advocate',
        childChaired: 'true',
        advocacyOffered: 'false',
        consultationReturned: 'true',
        decision_0_what: 'Life story work to start',
        decision_0_who: 'SW@Example.com',
        decision_0_by: '2027-01-31',
      }),
      today,
      [{ index: 0 }],
    );
    expect(result).toEqual({
      ok: true,
      record: {
        heldOn: '2026-11-23',
        reviewCode: 'PN1',
        attendance: [
          { participant: 'child', inviteeIndex: null, attendance: 'in_person' },
          { participant: 'father', inviteeIndex: null, attendance: 'apologies' },
          { participant: 'carer', inviteeIndex: null, attendance: 'in_person' },
          { participant: 'advocate', inviteeIndex: 0, attendance: 'online' },
        ],
        childChaired: true,
        advocacyOffered: false,
        consultationReturned: true,
        lateReason: null,
        decisions: [
          {
            description: 'Life story work to start',
            ownerEmail: 'sw@example.com',
            dueOn: '2027-01-31',
          },
        ],
      },
    });
  });

  describe('people invited by e-mail', () => {
    const invitees = [{ index: 1 }, { index: 2 }];
    const read = (changes: Record<string, string>) =>
      readRecordForm(contextFor('2016-01-01'), form(changes), today, invitees);
    const attendanceOf = (changes: Record<string, string>) => {
      const result = read(changes);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.record.attendance;
    };

    it('count as the role the chair says they are, in the order of the roles', () => {
      expect(
        attendanceOf({
          att_invitee_1: 'online',
          who_invitee_1: 'carer',
          att_invitee_2: 'in_person',
          who_invitee_2: 'mother',
          att_father: 'apologies',
        }),
      ).toEqual([
        { participant: 'child', inviteeIndex: null, attendance: 'in_person' },
        { participant: 'mother', inviteeIndex: 2, attendance: 'in_person' },
        { participant: 'father', inviteeIndex: null, attendance: 'apologies' },
        { participant: 'carer', inviteeIndex: 1, attendance: 'online' },
      ]);
    });

    it('are not counted twice when the role row says the same again, but a second person is kept', () => {
      const same = { att_invitee_1: 'online', who_invitee_1: 'mother', att_mother: 'online' };
      expect(attendanceOf(same).filter((a) => a.participant === 'mother')).toEqual([
        { participant: 'mother', inviteeIndex: 1, attendance: 'online' },
      ]);
      // A foster carer online from work and the other at home with the child: two people.
      const two = { att_invitee_1: 'online', who_invitee_1: 'carer', att_carer: 'in_person' };
      expect(attendanceOf(two).filter((a) => a.participant === 'carer')).toEqual([
        { participant: 'carer', inviteeIndex: 1, attendance: 'online' },
        { participant: 'carer', inviteeIndex: null, attendance: 'in_person' },
      ]);
    });

    it.each([
      [{ att_invitee_1: 'online' }, /^Say who this is: attendance is counted by role/],
      [{ att_invitee_2: 'in_person', who_invitee_2: '' }, /^Say who this is/],
      [{ att_invitee_1: 'apologies' }, /^Say who this is, or clear how they took part/],
      [{ att_invitee_1: 'online', who_invitee_1: 'child' }, /^Choose who this is from the list/],
      [{ att_invitee_1: 'online', who_invitee_1: 'social_worker' }, /^Choose who this is/],
      [{ att_invitee_1: 'maybe', who_invitee_1: 'mother' }, /^Choose how this person took part/],
    ])('refuses %j, beside that invitee', (changes, message) => {
      const result = read(changes);
      expect(result.ok).toBe(false);
      const errors = result.ok ? {} : result.errors;
      const index = Object.keys(changes)[0]?.split('_').at(-1);
      expect(errors).toEqual({ [`invitee_${index}`]: expect.stringMatching(message) });
    });

    it('needs no role for an invitee not marked, and keeps no row for them', () => {
      expect(attendanceOf({ who_invitee_1: 'father' })).toEqual([
        { participant: 'child', inviteeIndex: null, attendance: 'in_person' },
      ]);
    });

    it('are read only from the rows the form showed', () => {
      expect(attendanceOf({ att_invitee_0: 'online', who_invitee_0: 'mother' })).toEqual([
        { participant: 'child', inviteeIndex: null, attendance: 'in_person' },
      ]);
    });
  });

  describe('a review held after its due date', () => {
    const late = (): RecordingContext => {
      const c = contextFor('2016-01-01');
      return {
        ...c,
        due: { ...(c.due as NonNullable<RecordingContext['due']>), dueDate: d('2026-11-20') },
      };
    };

    it('asks why it was late, naming the due date', () => {
      const result = readRecordForm(late(), form({}), today, []);
      expect(!result.ok && result.errors['lateReason']).toBe(
        'The review was held after its due date (20 November 2026): say why it was late.',
      );
      const junk = readRecordForm(late(), form({ lateReason: 'because' }), today, []);
      expect(!junk.ok && junk.errors['lateReason']).toMatch(/say why it was late/);
    });

    it('keeps the reason given', () => {
      const result = readRecordForm(late(), form({ lateReason: 'iro_unavailable' }), today, []);
      expect(result.ok && result.record.lateReason).toBe('iro_unavailable');
    });

    it('drops a reason given for a review held on time, or whose due date is unknown', () => {
      const onTime = readRecordForm(
        contextFor('2016-01-01'),
        form({ lateReason: 'other' }),
        today,
        [],
      );
      expect(onTime.ok && onTime.record.lateReason).toBeNull();
      const unknown = readRecordForm(
        { ...late(), due: null },
        form({ lateReason: 'other' }),
        today,
        [],
      );
      expect(unknown.ok && unknown.record.lateReason).toBeNull();
    });
  });
});
