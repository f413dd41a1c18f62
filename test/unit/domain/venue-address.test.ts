import { describe, expect, it } from 'vitest';
import { looksLikeAddress } from '../../../src/domain/venue-address.js';

describe('a venue that looks like an address', () => {
  it.each([
    "14 Elm Road, Leeds (foster carers' home)",
    '14 elm road',
    '3a The Green',
    'Flat 2, 14 Elm Road',
    "Foster carers' home (12 Rose Lane)",
    'Leeds LS6 2AB',
    'ls62ab',
    'EC1A 1BB',
    'M1 1AE',
    'Near B33 8TH',
    '1 Ty Gwyn',
  ])('asks about "%s"', (venue) => {
    expect(looksLikeAddress(venue)).toBe(true);
  });

  it.each([
    "the child's placement",
    'The foster home',
    'Grandparents',
    'School',
    'Room 3',
    '2nd floor, Civic Centre',
    'Leeds',
    'Civic Centre, meeting room B',
    'Teams only',
    '',
  ])('lets "%s" through', (venue) => {
    expect(looksLikeAddress(venue)).toBe(false);
  });
});
