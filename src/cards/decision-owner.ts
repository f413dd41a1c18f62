/** A decision's owner who is not on the staff list, as cards and the tab's child page name them. */
export const OUTSIDE_STAFF_TEXT = 'Someone not on the staff list';

/**
 * Who is responsible for a review decision, as a card names them: their name from the staff list,
 * "Someone not on the staff list" for anyone else (a carer, a school), or null when nobody was
 * named. Never the address: it was typed for the record, not to be passed round in chats.
 */
export function decisionOwnerText(decision: {
  ownerEmail: string | null;
  ownerName?: string | null;
}): string | null {
  return decision.ownerName ?? (decision.ownerEmail ? OUTSIDE_STAFF_TEXT : null);
}
