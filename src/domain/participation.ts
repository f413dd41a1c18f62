import { addYears, formatUkDate, type LocalDate } from './local-date.js';

export const PARTICIPATION_CODES = [
  'PN0',
  'PN1',
  'PN2',
  'PN3',
  'PN4',
  'PN5',
  'PN6',
  'PN7',
] as const;
export type ParticipationCode = (typeof PARTICIPATION_CODES)[number];

export interface ParticipationCodeInfo {
  code: ParticipationCode;
  /** The DfE's wording (SSDA903 guidance), for cards and pick lists. */
  wording: string;
  /** Whether the child attended: `either` for PN0. */
  childAttended: 'yes' | 'no' | 'either';
  /**
   * Counts as the child having communicated their views (PN1 to PN6): DOMAIN.md's participation
   * measure, "% of children aged 4+ who communicated their views (PN1..PN6)".
   */
  viewsCommunicated: boolean;
  /**
   * The stricter count: the child's view reached the review (PN1 to PN3, PN5, PN6), not PN4, a
   * child who attended without speaking, conveying a view or asking an advocate to speak.
   */
  viewsConveyed: boolean;
}

export const PARTICIPATION: Readonly<Record<ParticipationCode, ParticipationCodeInfo>> = {
  PN0: {
    code: 'PN0',
    wording: 'Child aged under 4 at the time of the review',
    childAttended: 'either',
    viewsCommunicated: false,
    viewsConveyed: false,
  },
  PN1: {
    code: 'PN1',
    wording: 'Child physically attends and speaks for him or herself',
    childAttended: 'yes',
    viewsCommunicated: true,
    viewsConveyed: true,
  },
  PN2: {
    code: 'PN2',
    wording: 'Child physically attends and an advocate speaks on his or her behalf',
    childAttended: 'yes',
    viewsCommunicated: true,
    viewsConveyed: true,
  },
  PN3: {
    code: 'PN3',
    wording: 'Child attends and conveys his or her view symbolically (non-verbally)',
    childAttended: 'yes',
    viewsCommunicated: true,
    viewsConveyed: true,
  },
  PN4: {
    code: 'PN4',
    wording:
      'Child physically attends but does not speak for him or herself, does not convey his or her view symbolically (non-verbally) and does not ask an advocate to speak for him or her',
    childAttended: 'yes',
    viewsCommunicated: true,
    viewsConveyed: false,
  },
  PN5: {
    code: 'PN5',
    wording:
      'Child does not attend physically but briefs an advocate to speak for him or her (through text, audio, video or a written form)',
    childAttended: 'no',
    viewsCommunicated: true,
    viewsConveyed: true,
  },
  PN6: {
    code: 'PN6',
    wording:
      'Child does not attend but conveys his or her feelings to the review by a facilitative medium (for example a text message to the chair, a written form, a phone call, audio or video, or an app)',
    childAttended: 'no',
    viewsCommunicated: true,
    viewsConveyed: true,
  },
  PN7: {
    code: 'PN7',
    wording: 'Child does not attend nor are his or her views conveyed to the review',
    childAttended: 'no',
    viewsCommunicated: false,
    viewsConveyed: false,
  },
};

export function isParticipationCode(value: string): value is ParticipationCode {
  return (PARTICIPATION_CODES as readonly string[]).includes(value);
}

/** A broken SSDA903 rule: the DfE's rule code and what is wrong (printed after the code). */
export interface RuleBreach {
  rule: '166' | '167' | '440' | '441';
  message: string;
}

/**
 * The DfE's validation of one row of the Reviews file (rules 166, 167, 440, 441). Age 4 is
 * measured on the review date: a child whose 4th birthday is the review date is 4.
 * Returns the breaches; an empty list means the row is valid.
 */
export function validateReviewRow(row: {
  dob: LocalDate;
  reviewDate: string;
  reviewCode: string;
  parseDate: (text: string) => LocalDate | undefined;
}): RuleBreach[] {
  const dateText = row.reviewDate.trim();
  const codeText = row.reviewCode.trim().toUpperCase();
  if (dateText === '' && codeText === '') {
    return [{ rule: '167', message: 'REVIEW and REVIEW_CODE are both blank' }];
  }
  if (dateText === '') {
    return [{ rule: '166', message: 'is blank but REVIEW_CODE is filled' }];
  }
  const date = row.parseDate(dateText);
  if (!date) {
    return [{ rule: '166', message: `"${dateText}" is not a valid date (dd/mm/yyyy)` }];
  }
  if (codeText === '') {
    return [{ rule: '167', message: 'is blank but REVIEW is filled' }];
  }
  if (!isParticipationCode(codeText)) {
    return [{ rule: '167', message: `"${codeText}" is not one of PN0 to PN7` }];
  }
  const breach = checkCodeForAge(row.dob, date, codeText);
  return breach ? [breach] : [];
}

/**
 * Rules 440 and 441 exactly as the DfE applies them: 440 when PN0 is used and the review is
 * after the 4th birthday (REVIEW > DOB + 4 years), 441 when PN1 to PN7 is used and the review is
 * before it (REVIEW < DOB + 4 years). On the 4th birthday itself the child is 4 and PN1 to PN7
 * is right; the DfE's check also lets PN0 through on that one day.
 */
export function checkCodeForAge(
  dob: LocalDate,
  reviewDate: LocalDate,
  code: ParticipationCode,
): RuleBreach | undefined {
  const fourthBirthday = addYears(dob, 4);
  if (code === 'PN0' && reviewDate > fourthBirthday) {
    return {
      rule: '440',
      message: `PN0 but the child was 4 or older on ${formatUkDate(reviewDate)}`,
    };
  }
  if (code !== 'PN0' && reviewDate < fourthBirthday) {
    return {
      rule: '441',
      message: `${code} but the child was under 4 on ${formatUkDate(reviewDate)}`,
    };
  }
  return undefined;
}

/**
 * Whether a code agrees with the child's recorded attendance (PN1 to PN4 need the child to have
 * attended, PN5 to PN7 that they did not). Returns a sentence describing the mismatch.
 */
export function checkCodeForAttendance(
  code: ParticipationCode,
  childAttended: boolean,
): string | undefined {
  const expected = PARTICIPATION[code].childAttended;
  if (expected === 'yes' && !childAttended) {
    return `${code} means the child attended: mark the child as attending or choose PN5 to PN7`;
  }
  if (expected === 'no' && childAttended) {
    return `${code} means the child did not attend: mark the child as not attending or choose PN1 to PN4`;
  }
  return undefined;
}
