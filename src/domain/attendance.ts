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

/**
 * Who someone invited to the review by e-mail can be: the usual roles less the child and the
 * social worker (the allocated social worker is asked about by role, never as an invitee).
 * Chosen on the recording form, an invitee counts as that role's attendance.
 */
export const INVITEE_ROLES = USUAL_ROLES.filter(
  ([role]) => role !== 'child' && role !== 'social_worker',
);
export type InviteeRole = Exclude<UsualRole, 'child' | 'social_worker'>;

export function isInviteeRole(value: string): value is InviteeRole {
  return INVITEE_ROLES.some(([role]) => role === value);
}
