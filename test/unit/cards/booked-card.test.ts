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
