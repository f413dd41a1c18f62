/**
 * Why a review was held after its statutory due date: asked when a late review is recorded, and
 * counted in the IRO annual report (councils report the reasons for late reviews). The list is
 * short on purpose, so that the chair can answer in one choice and the figures add up.
 */
export const LATE_REASONS = [
  'child_unavailable',
  'family_unavailable',
  'social_worker_unavailable',
  'iro_unavailable',
  'placement_change',
  'not_booked_in_time',
  'rearranged_on_request',
  'other',
] as const;
export type LateReason = (typeof LATE_REASONS)[number];

export const LATE_REASON_TEXT: Record<LateReason, string> = {
  child_unavailable: 'The child was unwell or unavailable',
  family_unavailable: 'Parents or carers were unavailable',
  social_worker_unavailable: 'The social worker was unavailable, or the report was not ready',
  iro_unavailable: 'The IRO was unavailable (sickness, leave, capacity)',
  placement_change: 'The child moved placement',
  not_booked_in_time: 'The review was not booked in time',
  rearranged_on_request: 'Rearranged at the request of the child or family',
  other: 'Another reason',
};

export function isLateReason(value: string): value is LateReason {
  return (LATE_REASONS as readonly string[]).includes(value);
}
