/**
 * Who is asked about at a review and how they took part: the recording card, the store and the
 * tab all use these lists. No imports, so the tab's browser bundle can share them.
 */
export const ATTENDANCE = ['in_person', 'online', 'report', 'apologies', 'did_not_attend'] as const;
export type AttendanceValue = (typeof ATTENDANCE)[number];

export const ATTENDANCE_TEXT: Record<AttendanceValue, string> = {
  in_person: 'Attended in person',
  online: 'Attended online',
  report: 'Sent a report',
  apologies: 'Sent apologies',
  did_not_attend: 'Did not attend',
};

/** The usual roles at a review, asked about every time. */
export const USUAL_ROLES = [
  ['child', 'Child'],
  ['mother', 'Mother'],
  ['father', 'Father'],
  ['other_family', 'Other family'],
  ['carer', 'Carer'],
  ['social_worker', 'Social worker'],
  ['advocate', 'Advocate'],
  ['health', 'Health'],
  ['education', 'Education'],
  ['other', 'Other'],
] as const;
export type UsualRole = (typeof USUAL_ROLES)[number][0];
