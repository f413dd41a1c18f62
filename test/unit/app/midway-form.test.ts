import { describe, expect, it } from 'vitest';
import { parseMidwayForm, sameAsSent } from '../../../src/app/midway/answer-midway.js';
import { checkIdOfJob, midwayJobKey } from '../../../src/app/midway/midway-check.js';
import { parseQuestion } from '../../../src/app/questions/parse-question.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

const decisions = [
  { decisionId: 7, description: 'Contact', ownerEmail: null, dueOn: null },
  { decisionId: 9, description: 'CAMHS', ownerEmail: null, dueOn: null },
];
const swEmail = 'sam.worker@council.example';

describe("the social worker's midway answers", () => {
  it('takes a status for every decision, with optional notes', () => {
    expect(
      parseMidwayForm(
        { decisions, swEmail, formerSwEmails: [] },
        { status_7: 'done', note_7: '  weekly now ', status_9: 'delayed', iroNote: '' },
      ),
    ).toEqual({
      ok: true,
      answers: [
        { decisionId: 7, status: 'done', note: 'weekly now' },
        { decisionId: 9, status: 'delayed', note: null },
      ],
      iroNote: null,
    });
  });

  it('says which decision lacks an answer, keeps what was typed, and refuses made-up statuses', () => {
    const result = parseMidwayForm(
      { decisions, swEmail, formerSwEmails: [] },
      { status_7: 'finished', note_7: 'x', iroNote: 'Carer unwell' },
    );
    expect(result).toMatchObject({
      ok: false,
      errors: {
        status_7: 'Choose how this decision is going.',
        status_9: 'Choose how this decision is going.',
      },
      values: { note_7: 'x', iroNote: 'Carer unwell' },
    });
  });

  it("asks the social worker about someone else's decision only if they know", () => {
    const mixed = [
      {
        decisionId: 7,
        description: 'Contact',
        ownerEmail: 'Sam.Worker@council.example',
        dueOn: null,
      },
      {
        decisionId: 8,
        description: 'IRO to visit',
        ownerEmail: 'alex@council.example',
        dueOn: null,
      },
      { decisionId: 9, description: 'Carer training', ownerEmail: 'carer@else.org', dueOn: null },
    ];
    // Their own decision is still required; the IRO's and the carer's may be left blank.
    expect(
      parseMidwayForm({ decisions: mixed, swEmail, formerSwEmails: [] }, { status_8: 'done' }),
    ).toMatchObject({
      ok: false,
      errors: { status_7: 'Choose how this decision is going.' },
    });
    const blank = parseMidwayForm(
      { decisions: mixed, swEmail, formerSwEmails: [] },
      { status_7: 'on_track' },
    );
    expect(blank).toEqual({
      ok: true,
      answers: [{ decisionId: 7, status: 'on_track', note: null }],
      iroNote: null,
    });
    // Answered when known; a note without a status is asked for its status.
    expect(
      parseMidwayForm(
        { decisions: mixed, swEmail, formerSwEmails: [] },
        { status_7: 'done', status_9: 'delayed' },
      ),
    ).toMatchObject({
      ok: true,
      answers: [{ decisionId: 7 }, { decisionId: 9, status: 'delayed' }],
    });
    expect(
      parseMidwayForm(
        { decisions: mixed, swEmail, formerSwEmails: [] },
        { status_7: 'done', note_8: 'booked' },
      ),
    ).toMatchObject({ ok: false, errors: { status_8: 'Choose how this decision is going.' } });
  });

  it("asks the social worker now about a decision the review gave the child's earlier social worker", () => {
    const given = [
      {
        decisionId: 7,
        description: 'Contact',
        ownerEmail: 'lee.former@council.example',
        dueOn: null,
      },
    ];
    // Before the reallocation is known, Lee's decision is somebody else's: it may be left blank.
    expect(parseMidwayForm({ decisions: given, swEmail, formerSwEmails: [] }, {}).ok).toBe(true);
    // Lee was the child's social worker: the decision passed to Sam with the child.
    expect(
      parseMidwayForm(
        { decisions: given, swEmail, formerSwEmails: ['Lee.Former@council.example'] },
        {},
      ),
    ).toMatchObject({ ok: false, errors: { status_7: 'Choose how this decision is going.' } });
  });

  it('refuses notes too long to read', () => {
    const result = parseMidwayForm(
      { decisions: [], swEmail, formerSwEmails: [] },
      { iroNote: 'x'.repeat(2001) },
    );
    expect(result.ok).toBe(false);
    expect(
      parseMidwayForm({ decisions: [], swEmail, formerSwEmails: [] }, { iroNote: 'x'.repeat(2000) })
        .ok,
    ).toBe(true);
  });

  it('names jobs by check and reads them back', () => {
    expect(midwayJobKey('midway.prompt', 42)).toBe('midway.prompt:42');
    expect(checkIdOfJob('midway.noAnswer:42')).toBe(42);
    expect(checkIdOfJob('midway.prompt:')).toBeUndefined();
    expect(checkIdOfJob('other:42')).toBeUndefined();
  });

  it('reads "midway answers for" a child', () => {
    const today = '2027-01-06' as LocalDate;
    expect(parseQuestion('Midway answers for q40211', today)).toEqual({
      kind: 'midwayAnswers',
      child: 'Q40211',
    });
    expect(parseQuestion('midway check for Q40211', today)).toEqual({
      kind: 'midwayAnswers',
      child: 'Q40211',
    });
    expect(parseQuestion('midway reviews due', today).kind).toBe('midway');
  });
});

describe('a midway form sent again after it was answered', () => {
  const sent = {
    decisions,
    answers: [
      { decisionId: 7, status: 'done' as const, note: 'weekly now' },
      { decisionId: 9, status: 'delayed' as const, note: null },
    ],
    iroNote: 'Settled',
  };
  const form = { status_7: 'done', note_7: ' weekly now', status_9: 'delayed', iroNote: 'Settled' };

  it('is the same when it says what was stored (a second press)', () => {
    expect(sameAsSent(sent, form)).toBe(true);
    expect(sameAsSent(sent, { ...form, note_9: '' })).toBe(true);
  });

  it('is a change when a status, a note or the note to the IRO differs', () => {
    expect(sameAsSent(sent, { ...form, status_9: 'done' })).toBe(false);
    expect(sameAsSent(sent, { ...form, note_9: 'Waiting list' })).toBe(false);
    expect(sameAsSent(sent, { ...form, iroNote: '' })).toBe(false);
  });
});
