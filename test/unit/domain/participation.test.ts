import { describe, expect, it } from 'vitest';
import {
  PARTICIPATION,
  PARTICIPATION_CODES,
  checkCodeForAttendance,
  validateReviewRow,
} from '../../../src/domain/participation.js';
import { parseUkDate, type LocalDate } from '../../../src/domain/local-date.js';

const row = (dob: string, reviewDate: string, reviewCode: string) =>
  validateReviewRow({ dob: dob as LocalDate, reviewDate, reviewCode, parseDate: parseUkDate });

describe('participation codes', () => {
  it('has the eight DfE codes with their wording', () => {
    expect(PARTICIPATION_CODES).toEqual(['PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7']);
    expect(PARTICIPATION.PN2.wording).toMatch(/advocate speaks on his or her behalf/);
    expect(PARTICIPATION.PN6.wording).toMatch(/facilitative medium/);
  });

  it('counts PN1 to PN6 as the child communicating their views, as DOMAIN.md measures it', () => {
    const communicated = PARTICIPATION_CODES.filter((c) => PARTICIPATION[c].viewsCommunicated);
    expect(communicated).toEqual(['PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6']);
  });

  it('counts PN1 to PN3, PN5 and PN6 as a view conveyed (the stricter count, without PN4)', () => {
    const conveyed = PARTICIPATION_CODES.filter((c) => PARTICIPATION[c].viewsConveyed);
    expect(conveyed).toEqual(['PN1', 'PN2', 'PN3', 'PN5', 'PN6']);
  });
});

describe('903 rules on the Reviews file', () => {
  it.each([
    // [DOB, REVIEW, REVIEW_CODE, rule broken or null]
    ['2022-02-03', '03/02/2026', 'PN1', null], // 4th birthday on the review date: 4
    ['2022-02-03', '03/02/2026', 'PN0', null], // the DfE's check lets PN0 through on the birthday
    ['2022-02-03', '04/02/2026', 'PN0', '440'],
    ['2022-02-03', '02/02/2026', 'PN0', null],
    ['2022-02-03', '02/02/2026', 'PN3', '441'],
    ['2020-02-29', '28/02/2024', 'PN1', '441'], // leap-day child: 4th birthday is 29 Feb 2024
    ['2020-02-29', '29/02/2024', 'PN1', null],
    ['2019-02-28', '01/03/2024', 'PN0', '440'],
    ['2015-06-01', '31/02/2026', 'PN1', '166'],
    ['2015-06-01', '', 'PN1', '166'],
    ['2015-06-01', '01/02/2026', 'PN8', '167'],
    ['2015-06-01', '01/02/2026', '', '167'],
    ['2015-06-01', '', '', '167'],
    ['2015-06-01', '01/02/2026', 'pn5', null],
  ])('DOB %s, REVIEW %j, REVIEW_CODE %j breaks %s', (dob, date, code, rule) => {
    const breaches = row(dob, date, code);
    expect(breaches.map((b) => b.rule)).toEqual(rule ? [rule] : []);
  });

  it('says what is wrong in the form the import prints', () => {
    const [breach] = row('2020-01-01', '03/02/2026', 'PN0');
    expect(`${breach?.rule} ${breach?.message}`).toBe(
      '440 PN0 but the child was 4 or older on 03/02/2026',
    );
  });
});

describe('participation and attendance agree', () => {
  it.each([
    ['PN1', true, false],
    ['PN1', false, true],
    ['PN4', false, true],
    ['PN5', true, true],
    ['PN7', false, false],
    ['PN0', true, false],
    ['PN0', false, false],
  ] as const)('%s with child attended=%s: mismatch=%s', (code, attended, mismatch) => {
    expect(checkCodeForAttendance(code, attended) !== undefined).toBe(mismatch);
  });
});
