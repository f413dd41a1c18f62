import { describe, expect, it } from 'vitest';
import type { BookedReview } from '../../../src/app/scheduling/scheduled-reviews.js';
import { NO_TEAMS_LINK, renderBooked } from '../../../src/cards/render-scheduling.js';
import { validateCard } from '../../../src/cards/validate-card.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import type { DueReview } from '../../../src/domain/review-schedule.js';

const review = (joinUrl: string | null): BookedReview => ({
  id: 1,
  childId: 'A12345',
  chairEmail: 'iro@council.example',
  dueOn: '2026-12-04' as LocalDate,
  kind: 'second',
  start: new Date('2026-12-01T10:00:00Z'),
  end: new Date('2026-12-01T11:30:00Z'),
  venue: 'The foster home',
  eventId: 'AAkALg-immutable',
  iCalUId: '0400',
  joinUrl,
  transactionId: null,
  invitees: [],
});
const context = {
  child: 'A12345',
  childLabel: 'A.B. (A12345)',
  due: { kind: 'second', dueDate: '2026-12-04', number: 2, previousReviewDate: null } as DueReview,
  staffEmails: new Set(['iro@council.example', 'sw@council.example']),
};
const render = (joinUrl: string | null) => {
  const card = renderBooked({
    review: review(joinUrl),
    context,
    timeZone: 'Europe/London',
    title: 'Review booked',
  });
  expect(validateCard(card)).toEqual([]);
  return JSON.stringify(card);
};

describe('the booking confirmation', () => {
  it('says plainly when the meeting has no Teams link, and offers none', () => {
    const card = render(null);
    expect(card).toContain(`"text":"${NO_TEAMS_LINK}"`);
    expect(NO_TEAMS_LINK).toContain('the invitation went out for the in-person part only');
    expect(card).not.toContain('Join the Teams meeting');
  });

  it('offers the join link, long or short, and no warning when there is one', () => {
    for (const url of [
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
      'https://teams.microsoft.com/meet/22345678901234?p=AbC123',
    ]) {
      const card = render(url);
      expect(card).toContain(`"title":"Join the Teams meeting","url":"${url}"`);
      expect(card).not.toContain('no Teams link');
    }
  });
});

describe('what the confirmation says the invitation contains', () => {
  const sentence = (booked: Partial<BookedReview>) => {
    const card = renderBooked({
      review: { ...review('https://teams.microsoft.com/meet/1?p=x'), ...booked },
      context,
      timeZone: 'Europe/London',
      title: 'Review booked',
    });
    expect(validateCard(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain('initials and case ID only');
    return json;
  };

  it('says the place goes to everyone, and that people from outside see only themselves', () => {
    const card = sentence({
      venue: '14 Elm Road, Leeds',
      invitees: ['sw@council.example', 'mum@example.org', 'carer@fostering.example'],
      transactionId: 'a-key',
    });
    expect(card).toContain(
      "The invitation names the child by initials and case ID, and gives the place as typed ('In person' above) and the Teams link; nothing about the case. Everyone invited sees the place. Each person from outside the council sees only themselves among those invited; staff see everyone.",
    );
    expect(card).toContain('"title":"In person","value":"14 Elm Road, Leeds"');
  });

  it('says staff see each other when only staff are invited', () => {
    const card = sentence({ invitees: ['SW@council.example'], transactionId: 'a-key' });
    expect(card).toContain(
      'Everyone invited sees the place and who else is invited (all are on the staff list).',
    );
  });

  it('claims nothing about a meeting made in Outlook beyond the subject the add-in gave it', () => {
    const card = sentence({ invitees: ['mum@example.org'], transactionId: null });
    expect(card).toContain(
      'This meeting was made in Outlook: its subject names the child by initials and case ID; the rest of the invitation, and who sees whom, is as it was written there.',
    );
    expect(card).not.toContain('sees only themselves');
  });
});

describe('text that came from someone else', () => {
  it('shows a Markdown link in the venue or an invitee as text, never as a link', () => {
    const phishing = '[Your session expired: sign in again](https://evil.example/login)';
    const booked = { ...review(null), venue: phishing, invitees: [`Sam ${phishing}`] };
    const card = renderBooked({
      review: booked,
      context,
      timeZone: 'Europe/London',
      title: 'Review booked',
    });
    expect(validateCard(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/\]\(/);
    expect(json).toContain('[Your session expired: sign in again] (https://evil.example/login)');
    // The booking itself keeps what was typed: only the card's copy changes.
    expect(booked.invitees).toEqual([`Sam ${phishing}`]);
  });
});
