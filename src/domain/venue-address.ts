/**
 * Whether a venue as typed looks like a street address: a UK postcode ("LS6 2AB", "ls62ab"), or
 * a house number followed by words ("14 Elm Road", "3a The Green", "Flat 2, 14 Elm Road"). It
 * errs towards asking: "2 Station Approach" and "3 Acacia Avenue" ask, and so does "room 3 at
 * the school"; "the child's placement", "Room 3", "2nd floor" and "Leeds" do not.
 */
const POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b/i;
const HOUSE_NUMBER = /(?:^|[\s,(])\d{1,4}[a-z]?,?\s+\p{L}[\p{L}'’.-]+/iu;

export function looksLikeAddress(venue: string): boolean {
  return POSTCODE.test(venue) || HOUSE_NUMBER.test(venue);
}
