import { describe, expect, it } from 'vitest';
import type { ChildPage } from '../../../src/tab/api-types.js';
import { midwayStanding, noMidwayAnswerText } from '../../../src/tab/client/labels.js';

const TODAY = '2026-12-04';
const check = (askedOn: string | null, answeredOn: string | null): ChildPage['midwayCheck'] => ({
  midwayOn: '2026-10-20',
  askedOn,
  answeredOn,
});

describe("the child page's midway check", () => {
  it.each([
    // Answered: a decision left without an answer was not in the check (recorded since).
    [
      check('2026-10-23', '2026-10-26'),
      '2026-10-20',
      'Answered Mon 26 October 2026',
      'Not in the midway check',
    ],
    // Asked and waiting.
    [
      check('2026-10-23', null),
      '2026-10-20',
      'Asked Fri 23 October 2026, no answer yet',
      'Asked Fri 23 October 2026, no answer yet',
    ],
    // Opened, but the card has not reached the social worker yet.
    [check(null, null), '2026-10-20', 'Not asked yet', 'Not asked yet'],
    // No check, its date still ahead (or today).
    [null, '2026-12-20', 'Not asked yet', 'Not asked yet'],
    [null, TODAY, 'Not asked yet', 'Not asked yet'],
    // No check and the date gone (ux2 #19: this read "No answer", as if the social worker failed).
    [null, '2026-10-20', 'No midway check was sent', 'No midway check'],
    [null, null, 'No midway check was sent', 'No midway check'],
  ])('%j, midway date %s: "%s", a decision without an answer "%s"', (c, midwayDate, text, cell) => {
    const standing = midwayStanding(c, midwayDate, TODAY);
    expect(standing.text).toBe(text);
    expect(noMidwayAnswerText(standing)).toBe(cell);
  });
});
