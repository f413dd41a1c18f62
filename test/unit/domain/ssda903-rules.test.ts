import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../../../src/domain/local-date.js';
import {
  PLACE_CODES,
  SEX_CODES,
  SEX_CODES_BEFORE_2024_25,
  SSDA903_RULES,
  checkChild,
  collectionYearOf,
  duplicateUpns,
  type CollectionContext,
  type Ssda903Child,
  type Ssda903Episode,
  type Ssda903Header,
} from '../../../src/domain/ssda903-rules.js';

const d = (s: string) => s as LocalDate;
const YEAR: CollectionContext = { start: d('2025-04-01'), end: d('2026-03-31') };

/** A girl of 13 looked after since June 2025 in an in-house foster placement: breaks no rule. */
const header = (over: Partial<Ssda903Header> = {}): Ssda903Header => ({
  sex: 'F',
  dob: d('2012-05-01'),
  ethnic: 'WBRI',
  upn: 'A123456789012',
  mother: '0',
  mcDob: null,
  ...over,
});
const ep = (over: Partial<Record<keyof Ssda903Episode, string | null>> = {}): Ssda903Episode =>
  ({
    decom: '2025-06-01',
    rne: 'S',
    ls: 'C2',
    cin: 'N1',
    place: 'U6',
    placeProvider: 'PR1',
    dec: null,
    rec: null,
    reasonPlaceChange: null,
    homePost: null,
    plPost: null,
    urn: '2123456',
    ...over,
  }) as Ssda903Episode;
/** An episode that ended on `dec` with the child still looked after. */
const moved = (over: Partial<Record<keyof Ssda903Episode, string | null>> = {}) =>
  ep({ rec: 'X1', reasonPlaceChange: 'CARPL', ...over });

type Case = [
  rule: string,
  what: string,
  child: Ssda903Child,
  /** Episode indexes that break the rule; null for the Header row. */
  expected: (number | null)[],
  context?: CollectionContext,
];

const one = (
  h: Partial<Ssda903Header>,
  e: Partial<Record<keyof Ssda903Episode, string | null>>,
) => ({
  header: header(h),
  episodes: [ep(e)],
});
const child = (episodes: Ssda903Episode[], h: Partial<Ssda903Header> = {}, reviews = 0) => ({
  header: header(h),
  episodes,
  reviews: Array.from({ length: reviews }, () => ({})),
});

const HEADER_CASES: Case[] = [
  ['101', 'M (current coding)', one({ sex: 'M', mother: null }, {}), []],
  ['101', 'U', one({ sex: 'U' }, {}), []],
  ['101', '1 (coding before 2024/25)', one({ sex: '1', mother: null }, {}), [null]],
  ['101', '2 (coding before 2024/25)', one({ sex: '2' }, {}), [null]],
  ['101', 'blank', one({ sex: null }, {}), [null]],
  ['103', 'WBRI', one({}, {}), []],
  ['103', 'not a code', one({ ethnic: 'WHIT' }, {}), [null]],
  ['103', 'blank', one({ ethnic: null }, {}), [null]],
  ['168', 'letter and 11 digits and a letter', one({ upn: 'A12345678901B' }, {}), []],
  ['168', 'UN3', one({ upn: 'UN3' }, {}), []],
  ['168', 'first letter I', one({ upn: 'I123456789012' }, {}), [null]],
  ['168', 'too short', one({ upn: 'A1234567' }, {}), [null]],
  ['168', 'UN6', one({ upn: 'UN6' }, {}), [null]],
  ['174', 'a boy with MC_DOB', one({ sex: 'M', mother: null, mcDob: d('2024-01-01') }, {}), [null]],
  ['174', 'a boy (1) with MC_DOB', one({ sex: '1', mcDob: d('2024-01-01') }, {}), [null]],
  ['174', 'a mother', one({ mother: '1', dob: d('2008-01-01'), mcDob: d('2024-01-01') }, {}), []],
  [
    '209',
    'UN1 at 4 on 31 Aug before the year',
    one({ upn: 'UN1', dob: d('2020-08-31') }, {}),
    [null],
  ],
  ['209', 'UN1 at 3 on 31 Aug before the year', one({ upn: 'UN1', dob: d('2020-09-01') }, {}), []],
  ['302', 'looked after the day before birth', one({}, { decom: '2012-04-30' }), [0]],
  ['302', 'looked after from birth', one({}, { decom: '2012-05-01' }), []],
  ['393', 'a girl in care, MOTHER blank', one({ mother: null }, {}), [null]],
  ['393', 'a girl on short breaks only', one({ mother: null }, { ls: 'V4' }), []],
  ['393', 'a boy, MOTHER blank', one({ sex: 'M', mother: null }, {}), []],
  ['399', 'short breaks only, MOTHER 0', one({ mother: '0' }, { ls: 'V4' }), [null]],
  ['399', 'short breaks only, MOTHER blank', one({ mother: null }, { ls: 'V4' }), []],
  ['399', 'short breaks only, a review', child([ep({ ls: 'V4' })], { mother: null }, 1), [null]],
  ['399', 'in care with reviews', child([ep()], {}, 2), []],
  ['442', 'UPN blank, in care', one({ upn: null }, {}), [null]],
  ['442', 'UPN blank, short breaks only', one({ upn: null, mother: null }, { ls: 'V3' }), []],
  ['611', 'mother without MC_DOB', one({ mother: '1', dob: d('2008-01-01') }, {}), [null]],
  ['612', 'MC_DOB but MOTHER 0', one({ mcDob: d('2024-01-01') }, {}), [null]],
  ['612', 'MC_DOB but MOTHER blank', one({ mother: null, mcDob: d('2024-01-01') }, {}), [null]],
  [
    '620',
    'a mother under 11 on 1 April',
    one({ mother: '1', dob: d('2014-04-02'), mcDob: d('2025-01-01') }, {}),
    [null],
  ],
  [
    '620',
    'a mother 11 on 1 April',
    one({ mother: '1', dob: d('2014-04-01'), mcDob: d('2025-01-01') }, {}),
    [],
  ],
  [
    '621',
    "mother's child born before her",
    one({ mother: '1', dob: d('2008-01-01'), mcDob: d('2007-12-31') }, {}),
    [null],
  ],
  [
    '621',
    "mother's child born the same day",
    one({ mother: '1', dob: d('2008-01-01'), mcDob: d('2008-01-01') }, {}),
    [null],
  ],
];

const CODE_CASES: Case[] = [
  ['143', 'RNE X', one({}, { rne: 'X' }), [0]],
  ['144', 'LS C3', one({}, { ls: 'C3' }), [0]],
  ['145', 'CIN N9', one({}, { cin: 'N9' }), [0]],
  ['145', 'CIN blank', one({}, { cin: null }), []],
  ['146', 'H5 (no longer a code)', one({}, { place: 'H5' }), [0]],
  ['146', 'P2 (no longer a code)', one({}, { place: 'P2' }), [0]],
  ['146', 'Z1 (now Z11 to Z14)', one({}, { place: 'Z1' }), [0]],
  ['146', 'lower-case k3', one({}, { place: 'k3' }), [0]],
  ['146', 'K3', one({ dob: d('2008-01-01') }, { place: 'K3' }), []],
  ['146', 'Z12', one({}, { place: 'Z12', placeProvider: null, urn: null }), []],
  ['149', 'REC E4', one({}, { dec: '2025-07-01', rec: 'E4' }), [0]],
  ['178', 'PR6', one({}, { placeProvider: 'PR6' }), [0]],
  ['178', 'a provider for T1', one({}, { place: 'T1', urn: null }), [0]],
  ['178', 'a provider for T4 (left to 213)', one({}, { place: 'T4', urn: null }), []],
  ['1009', 'MOVED', moved1009(), [0]],
];

function moved1009(): Ssda903Child {
  return child([
    moved({ dec: '2025-07-01', reasonPlaceChange: 'MOVED' }),
    ep({ decom: '2025-07-01', rne: 'P', place: 'U4' }),
  ]);
}

const SEQUENCE_CASES: Case[] = [
  [
    '142',
    'an open episode before another',
    child([ep(), ep({ decom: '2025-07-01', rne: 'P', place: 'U4' })]),
    [0],
  ],
  [
    '142',
    'X1 then the next',
    child([moved({ dec: '2025-07-01' }), ep({ decom: '2025-07-01', rne: 'P', place: 'U4' })]),
    [],
  ],
  ['148', 'DEC without REC', one({}, { dec: '2025-07-01' }), [0]],
  ['148', 'REC without DEC', one({}, { rec: 'E8' }), [0]],
  ['355', 'DEC = DECOM', one({}, { dec: '2025-06-01', rec: 'E8' }), [0]],
  ['356', 'DEC before DECOM', one({}, { dec: '2025-05-31', rec: 'E8' }), [0]],
  ['357', 'first episode in the year is not S', one({}, { rne: 'P' }), [0]],
  ['357', 'first episode before the year is not S', one({}, { decom: '2025-03-31', rne: 'P' }), []],
  [
    '388',
    'X1 with a gap to the next',
    child([moved({ dec: '2025-07-01' }), ep({ decom: '2025-07-02', rne: 'P', place: 'U4' })]),
    [0],
  ],
  [
    '388',
    'left care, new episode the same day',
    child([ep({ dec: '2025-07-01', rec: 'E8' }), ep({ decom: '2025-07-01', rne: 'S' })]),
    [0],
  ],
  ['388', 'last episode ends X1', one({}, { dec: '2025-07-01', rec: 'X1' }), [0]],
  [
    '431',
    'S the day the last period ended',
    child([ep({ dec: '2025-07-01', rec: 'E8' }), ep({ decom: '2025-07-01' })]),
    [1],
  ],
  [
    '431',
    'S the day after',
    child([ep({ dec: '2025-07-01', rec: 'E8' }), ep({ decom: '2025-07-02' })]),
    [],
  ],
  [
    '432',
    'left care, then P',
    child([
      ep({ dec: '2025-07-01', rec: 'E13' }),
      ep({ decom: '2025-08-01', rne: 'P', place: 'U4' }),
    ]),
    [1],
  ],
  [
    '433',
    'P with a gap',
    child([moved({ dec: '2025-07-01' }), ep({ decom: '2025-07-03', rne: 'P', place: 'U4' })]),
    [1],
  ],
  [
    '434',
    'L with the same LS',
    child([ep({ dec: '2025-07-01', rec: 'X1' }), ep({ decom: '2025-07-01', rne: 'L' })]),
    [1],
  ],
  [
    '434',
    'L with a new placement',
    child([
      ep({ dec: '2025-07-01', rec: 'X1' }),
      ep({ decom: '2025-07-01', rne: 'L', ls: 'E1', urn: '2999999' }),
    ]),
    [1],
  ],
  [
    '434',
    'L, new LS, same placement',
    child([ep({ ls: 'C1', dec: '2025-07-01', rec: 'X1' }), ep({ decom: '2025-07-01', rne: 'L' })]),
    [],
  ],
  [
    '435',
    'P, nothing changed',
    child([moved({ dec: '2025-07-01' }), ep({ decom: '2025-07-01', rne: 'P' })]),
    [1],
  ],
  [
    '435',
    'P with a new LS',
    child([
      moved({ dec: '2025-07-01' }),
      ep({ decom: '2025-07-01', rne: 'P', ls: 'E1', place: 'U4' }),
    ]),
    [1],
  ],
  [
    '435',
    'P to another provider',
    child([
      moved({ dec: '2025-07-01' }),
      ep({ decom: '2025-07-01', rne: 'P', placeProvider: 'PR4', urn: '2654321' }),
    ]),
    [],
  ],
  [
    '436',
    'U with the same LS',
    child([moved({ dec: '2025-07-01' }), ep({ decom: '2025-07-01', rne: 'U', place: 'U4' })]),
    [1],
  ],
  [
    '436',
    'U, both changed',
    child([
      moved({ ls: 'C1', dec: '2025-07-01' }),
      ep({ decom: '2025-07-01', rne: 'U', place: 'U4' }),
    ]),
    [],
  ],
  [
    '437',
    'died, then another episode',
    child([ep({ dec: '2025-07-01', rec: 'E2' }), ep({ decom: '2025-08-01' })]),
    [0],
  ],
  ['437', 'aged 18 (E15), last episode', one({}, { dec: '2025-07-01', rec: 'E15' }), []],
  [
    '501',
    'starts before the last ended',
    child([moved({ dec: '2025-07-01' }), ep({ decom: '2025-06-20', rne: 'P', place: 'U4' })]),
    [1],
  ],
  [
    '504',
    'CIN changes at a placement move',
    child([
      moved({ dec: '2025-07-01' }),
      ep({ decom: '2025-07-01', rne: 'P', place: 'U4', cin: 'N2' }),
    ]),
    [1],
  ],
  [
    '504',
    'CIN changes at a new period',
    child([ep({ dec: '2025-07-01', rec: 'E13' }), ep({ decom: '2025-08-01', cin: 'N2' })]),
    [],
  ],
  // The validator's own cases (its test for rule 504), one child each.
  [
    '504',
    "the validator's child 111",
    child([
      ep({ decom: '2020-06-01', dec: '2020-06-04', rec: 'X1', cin: 'N1' }),
      ep({ decom: '2020-06-04', dec: '2020-06-06', rec: 'X1', cin: 'N2' }),
      ep({ decom: '2020-06-06', dec: null, rec: 'X1', cin: 'N3' }),
      ep({ decom: '2020-06-08', dec: '2020-06-09', rec: 'X1', cin: 'N2' }),
    ]),
    [1, 2],
  ],
  [
    '504',
    "the validator's child 444 (two episodes on one DECOM)",
    child([
      ep({ decom: '2020-06-08', dec: '2020-06-09', rec: 'X1', cin: 'N2' }),
      ep({ decom: '2020-06-08', dec: '2020-06-10', rec: 'X1', cin: 'N3' }),
      ep({ decom: '2020-06-10', dec: null, rec: 'X1', cin: 'N4' }),
    ]),
    [2],
  ],
];

const AGE_CASES: Case[] = [
  ['352', 'starts on the 18th birthday', one({ dob: d('2007-06-01') }, {}), [0]],
  ['352', 'starts the day before', one({ dob: d('2007-06-02') }, {}), []],
  // The validator's own cases for rule 358.
  ['358', 'J3 at 9', one({ dob: d('2000-01-01') }, { decom: '2009-01-01', ls: 'J3' }), [0]],
  ['358', 'J1 at 8', one({ dob: d('2000-01-03') }, { decom: '2008-04-03', ls: 'J1' }), [0]],
  ['358', 'J2 at 18', one({ dob: d('2000-01-01') }, { decom: '2018-01-03', ls: 'J2' }), []],
  [
    '358',
    'J1 at 10 years and a month',
    one({ dob: d('2002-01-11') }, { decom: '2012-02-11', ls: 'J1' }),
    [],
  ],
  ['358', 'J2 on the 10th birthday', one({ dob: d('2015-06-01') }, { ls: 'J2' }), [0]],
  ['358', 'J2 the day after', one({ dob: d('2015-05-31') }, { ls: 'J2' }), []],
  ['359', 'open at 18 in foster care', one({ dob: d('2008-03-30') }, {}), [0]],
  ['359', 'open at 18, V2 in K2', one({ dob: d('2008-03-30') }, { ls: 'V2', place: 'K2' }), []],
  ['359', '18 on the last day of the year', one({ dob: d('2008-03-31') }, {}), []],
  [
    '386',
    'adopted on the 18th birthday',
    one({ dob: d('2007-07-01') }, { dec: '2025-07-01', rec: 'E11' }),
    [0],
  ],
  [
    '386',
    'adopted the day before',
    one({ dob: d('2007-07-02') }, { dec: '2025-07-01', rec: 'E12' }),
    [],
  ],
  [
    '387',
    'independent living at 13',
    one({ dob: d('2011-07-02') }, { dec: '2025-07-01', rec: 'E5' }),
    [0],
  ],
  [
    '387',
    'independent living on the 14th birthday',
    one({ dob: d('2011-07-01') }, { dec: '2025-07-01', rec: 'E6' }),
    [],
  ],
  [
    '389',
    'adult social care at 15',
    one({ dob: d('2009-07-02') }, { dec: '2025-07-01', rec: 'E7' }),
    [0],
  ],
  [
    '389',
    'adult social care at 16',
    one({ dob: d('2009-07-01') }, { dec: '2025-07-01', rec: 'E7' }),
    [],
  ],
  [
    '407',
    'SGO the day after the 18th birthday',
    one({ dob: d('2007-06-30') }, { dec: '2025-07-01', rec: 'E47' }),
    [0],
  ],
  [
    '407',
    'SGO on the 18th birthday',
    one({ dob: d('2007-07-01') }, { dec: '2025-07-01', rec: 'E48' }),
    [],
  ],
  // The validator's own cases for rule 460.
  [
    '460',
    'E17 at 17',
    one({ dob: d('2002-09-23') }, { decom: '2019-06-01', dec: '2020-06-17', rec: 'E17' }),
    [0],
  ],
  [
    '460',
    'E17 on the 18th birthday',
    one({ dob: d('2005-03-16') }, { decom: '2022-06-01', dec: '2023-03-16', rec: 'E17' }),
    [],
  ],
  [
    '460',
    'E17 at 19',
    one({ dob: d('2000-12-31') }, { decom: '2018-06-01', dec: '2020-08-23', rec: 'E17' }),
    [],
  ],
  [
    '234',
    'CUSTOD for a move before 10',
    one({ dob: d('2015-06-02') }, { dec: '2025-07-01', rec: 'E8', reasonPlaceChange: 'CUSTOD' }),
    [0],
  ],
  ['371', 'supported accommodation at 15', one({ dob: d('2009-06-02') }, { place: 'K3' }), [0]],
  ['371', 'supported accommodation at 16', one({ dob: d('2009-06-01') }, { place: 'K3' }), []],
  [
    '372',
    'youth custody at 9',
    one({ dob: d('2015-06-02') }, { place: 'R5', placeProvider: 'PR3', urn: null }),
    [0],
  ],
  ['373', 'a school at 3', one({ dob: d('2021-06-02') }, { place: 'S1' }), [0]],
  [
    '374',
    'residential employment at 13',
    one({ dob: d('2011-06-02') }, { place: 'P3', urn: null }),
    [0],
  ],
];

const DURATION_CASES: Case[] = [
  ['361', 'police protection 4 days', one({}, { ls: 'L1', dec: '2025-06-05', rec: 'E4A' }), [0]],
  ['361', 'police protection 3 days', one({}, { ls: 'L1', dec: '2025-06-04', rec: 'E4A' }), []],
  ['362', 'EPO 22 days', one({}, { ls: 'L2', dec: '2025-06-23', rec: 'E4A' }), [0]],
  ['362', 'EPO 21 days', one({}, { ls: 'L2', dec: '2025-06-22', rec: 'E4A' }), []],
  ['363', 'CAO 8 days', one({}, { ls: 'L3', dec: '2025-06-09', rec: 'E4A' }), [0]],
  ['363', 'CAO 7 days', one({}, { ls: 'L3', dec: '2025-06-08', rec: 'E4A' }), []],
  [
    '364',
    'PACE 22 days over two episodes',
    child(
      [
        ep({ ls: 'J2', dec: '2025-06-11', rec: 'X1', reasonPlaceChange: 'CARPL' }),
        ep({ decom: '2025-06-11', rne: 'P', ls: 'J2', place: 'U4', dec: '2025-06-23', rec: 'E8' }),
      ],
      { dob: d('2010-01-01') },
    ),
    [0, 1],
  ],
  [
    '364',
    'PACE 2 days',
    one({ dob: d('2010-01-01') }, { ls: 'J2', dec: '2025-06-03', rec: 'E8' }),
    [],
  ],
  [
    '364',
    'PACE still open at the end of the year',
    one({ dob: d('2010-01-01') }, { ls: 'J2', decom: '2026-03-01' }),
    [0],
  ],
  [
    '364',
    'PACE open 20 days into an in-year extract',
    one({ dob: d('2010-01-01') }, { ls: 'J2', decom: '2025-11-01' }),
    [],
    { start: d('2025-04-01'), end: d('2025-11-21') },
  ],
  // The validator's own cases for rule 364 (collection end 1 April 2002), one child each.
  [
    '364',
    "the validator's child 101",
    child(
      [
        ep({ decom: '2000-01-01', dec: '2001-01-01', ls: 'J2' }),
        ep({ decom: '2001-01-01', dec: '2001-12-20', ls: 'X' }),
        ep({ decom: '2001-12-20', dec: '2002-01-12', ls: 'J2' }),
      ],
      { dob: d('1985-01-01') },
    ),
    [0, 2],
    { start: d('2001-04-01'), end: d('2002-04-01') },
  ],
  [
    '364',
    "the validator's child 2002",
    child(
      [
        ep({ decom: '2000-01-01', dec: '2000-01-10', ls: 'J2' }),
        ep({ decom: '2000-01-10', dec: '2001-01-23', ls: 'J2' }),
        ep({ decom: '2002-01-01', dec: '2002-01-10', ls: 'J2' }),
        ep({ decom: '2002-01-10', dec: '2002-01-11', ls: 'X' }),
        ep({ decom: '2002-01-11', dec: '2002-01-25', ls: 'J2' }),
      ],
      { dob: d('1985-01-01') },
    ),
    [0, 1],
    { start: d('2001-04-01'), end: d('2002-04-01') },
  ],
  [
    '364',
    "the validator's child 30003",
    child(
      [
        ep({ decom: '2002-01-25', dec: '2001-03-10', ls: 'J2' }),
        ep({ decom: '2002-01-25', dec: null, ls: 'J2' }),
      ],
      { dob: d('1985-01-01') },
    ),
    [1],
    { start: d('2001-04-01'), end: d('2002-04-01') },
  ],
  [
    '365',
    'a short break of 18 days',
    one({ mother: null }, { ls: 'V3', place: 'U6', dec: '2025-06-19', rec: 'E13' }),
    [0],
  ],
  [
    '365',
    'a short break of 17 days',
    one({ mother: null }, { ls: 'V3', place: 'U6', dec: '2025-06-18', rec: 'E13' }),
    [],
  ],
  [
    '366',
    'V3 continuing an episode',
    child(
      [
        moved({ ls: 'V3', dec: '2025-06-03' }),
        ep({ decom: '2025-06-03', rne: 'P', ls: 'V3', place: 'K2' }),
      ],
      { mother: null },
    ),
    [1],
  ],
];

const PLACEMENT_CASES: Case[] = [
  ['213', 'a provider for T1', one({}, { place: 'T1', urn: null }), [0]],
  ['213', 'a provider for Z11', one({}, { place: 'Z11', urn: null }), [0]],
  ['217', 'A5 on a placement move', one({}, { place: 'A5', rne: 'P' }), [0]],
  ['217', 'A3 from the start', one({}, { place: 'A3' }), []],
  ['218', 'foster placement without URN', one({}, { urn: null }), [0]],
  [
    '218',
    '... that ended before the year',
    one({}, { decom: '2024-06-01', dec: '2025-03-31', rec: 'E13', urn: null }),
    [],
  ],
  [
    '218',
    'placed with parents without URN',
    one({}, { place: 'P1', placeProvider: 'PR0', urn: null }),
    [],
  ],
  ['222', 'a URN for placed with parents', one({}, { place: 'P1', placeProvider: 'PR0' }), [0]],
  ['222', 'XXXXXXX for R1', one({}, { place: 'R1', placeProvider: 'PR4', urn: 'XXXXXXX' }), []],
  [
    '225',
    'X1 then a move, no reason',
    child([
      ep({ dec: '2025-07-01', rec: 'X1' }),
      ep({ decom: '2025-07-01', rne: 'P', place: 'U4' }),
    ]),
    [0],
  ],
  [
    '225',
    'X1 then a legal status change, no reason',
    child([ep({ ls: 'C1', dec: '2025-07-01', rec: 'X1' }), ep({ decom: '2025-07-01', rne: 'L' })]),
    [],
  ],
  [
    '226',
    'a reason on a temporary placement',
    child([ep({ place: 'T1', placeProvider: null, urn: null, reasonPlaceChange: 'OTHER' })]),
    [0],
  ],
  [
    '226',
    'a reason on the episode before a temporary placement',
    child([
      moved({ dec: '2025-07-01' }),
      ep({ decom: '2025-07-01', rne: 'P', place: 'T1', placeProvider: null, urn: null }),
    ]),
    [1],
  ],
  ['233', 'a reason on an open episode', one({}, { reasonPlaceChange: 'CARPL' }), [0]],
  // The validator's own cases for rule 378.
  [
    '378',
    'placed with parents under section 20',
    one({}, { place: 'P1', placeProvider: 'PR0', urn: null, ls: 'V2' }),
    [0],
  ],
  [
    '378',
    'placed with parents on a care order',
    one({}, { place: 'P1', placeProvider: 'PR0', urn: null }),
    [],
  ],
  ['378', 'A6 under section 20', one({}, { place: 'A6', ls: 'V2' }), []],
  [
    '380',
    'a period begins in a temporary placement',
    one({}, { place: 'T2', placeProvider: null, urn: null }),
    [0],
  ],
  [
    '381',
    'a period ends in a temporary placement',
    child([
      moved({ dec: '2025-07-01' }),
      ep({
        decom: '2025-07-01',
        rne: 'P',
        place: 'T2',
        placeProvider: null,
        urn: null,
        dec: '2025-07-05',
        rec: 'E13',
      }),
    ]),
    [1],
  ],
  [
    '382',
    'short breaks in a temporary placement',
    one({ mother: null }, { ls: 'V4', place: 'T3', placeProvider: null, urn: null }),
    [0],
  ],
  [
    '384',
    'short breaks in long-term foster care',
    one({ mother: null }, { ls: 'V4', place: 'U4' }),
    [0],
  ],
  ['384', 'short breaks with a short-term foster carer', one({ mother: null }, { ls: 'V4' }), []],
  [
    '516',
    'SGO to former foster carers from a children’s home',
    one({}, { place: 'K2', dec: '2025-09-01', rec: 'E45' }),
    [0],
  ],
  [
    '516',
    'SGO to former foster carers from U4',
    one({}, { place: 'U4', dec: '2025-09-01', rec: 'E46' }),
    [],
  ],
  ['526', 'foster placement without provider', one({}, { placeProvider: null }), [0]],
  [
    '526',
    'temporary placement without provider',
    child([
      moved({ dec: '2025-07-01' }),
      ep({ decom: '2025-07-01', rne: 'P', place: 'T1', placeProvider: null, urn: null }),
    ]),
    [],
  ],
  // The validator's own cases for rules 527 to 530, one episode each.
  ['527', 'P1 by PR1', one({}, { place: 'P1', placeProvider: 'PR1', urn: null }), [0]],
  ['527', 'R2 by PR1', one({}, { place: 'R2', placeProvider: 'PR1', urn: null }), [0]],
  ['527', 'K1 by PR4', one({}, { place: 'K1', placeProvider: 'PR4' }), []],
  ['528', 'P1 by PR2', one({}, { place: 'P1', placeProvider: 'PR2', urn: null }), [0]],
  ['528', 'R2 by PR2', one({}, { place: 'R2', placeProvider: 'PR2', urn: null }), [0]],
  ['528', 'K1 by PR2', one({}, { place: 'K1', placeProvider: 'PR2' }), []],
  ['529', 'U3 by PR3', one({}, { place: 'U3', placeProvider: 'PR3' }), [0]],
  ['529', 'A3 by PR3', one({}, { place: 'A3', placeProvider: 'PR3' }), [0]],
  ['529', 'K2 by PR3', one({}, { place: 'K2', placeProvider: 'PR3' }), [0]],
  ['529', 'U2 by PR1', one({}, { place: 'U2', placeProvider: 'PR1' }), []],
  ['529', 'R1 by PR3', one({}, { place: 'R1', placeProvider: 'PR3', urn: null }), []],
  ['530', 'P1 by PR4', one({}, { place: 'P1', placeProvider: 'PR4', urn: null }), [0]],
  ['530', 'K1 by PR4', one({}, { place: 'K1', placeProvider: 'PR4' }), []],
  ['531', 'P1 by PR5', one({}, { place: 'P1', placeProvider: 'PR5', urn: null }), [0]],
  ['550', 'U6 by PR0', one({}, { placeProvider: 'PR0' }), [0]],
  ['550', 'P1 by PR0', one({}, { place: 'P1', placeProvider: 'PR0', urn: null }), []],
];

const ALL_CASES = [
  ...HEADER_CASES,
  ...CODE_CASES,
  ...SEQUENCE_CASES,
  ...AGE_CASES,
  ...DURATION_CASES,
  ...PLACEMENT_CASES,
];

const broken = (rule: string, c: Ssda903Child, context = YEAR) =>
  checkChild(c, context)
    .filter((b) => b.rule === rule)
    .map((b) => b.episode);

describe('SSDA903 rules on one child', () => {
  it('passes a child whose rows are right', () => {
    expect(checkChild(one({}, {}), YEAR)).toEqual([]);
    expect(
      checkChild(one({ sex: 'M', mother: null, upn: 'UN1', dob: d('2024-01-01') }, {}), YEAR),
    ).toEqual([]);
  });

  describe.each([
    ['Header', HEADER_CASES],
    ['Episodes codes', CODE_CASES],
    ['episodes one after another', SEQUENCE_CASES],
    ['age', AGE_CASES],
    ['how long a legal status lasts', DURATION_CASES],
    ['placements and providers', PLACEMENT_CASES],
  ])('%s', (_group, cases) => {
    it.each(cases)('%s: %s', (rule, _what, c, expected, context) => {
      expect(broken(rule, c, context)).toEqual(expected);
    });
  });

  it('has a breaking case in this table for every rule it applies', () => {
    const tested = new Set(ALL_CASES.filter((c) => c[3].length > 0).map((c) => c[0]));
    expect(SSDA903_RULES.map((r) => r.rule).filter((r) => !tested.has(r))).toEqual([]);
  });

  it('applies the rules the demo council broke', () => {
    expect(SSDA903_RULES.map((r) => r.rule)).toEqual(
      expect.arrayContaining([
        '146',
        '504',
        '529',
        '358',
        '364',
        '460',
        '378',
        '527',
        '528',
        '530',
      ]),
    );
  });

  it('names the rule, its wording, the file, the episode as given and the fields', () => {
    const episodes = [
      ep({ decom: '2025-09-01', rne: 'P', place: 'H5' }),
      moved({ dec: '2025-09-01', place: 'U4' }),
    ];
    expect(checkChild(child(episodes), YEAR)).toEqual([
      {
        rule: '146',
        message: 'Placement type code is not a valid code.',
        file: 'Episodes',
        episode: 0,
        fields: ['PLACE'],
      },
    ]);
  });

  it('lists Header breaches first, then by rule number', () => {
    const breaches = checkChild(
      one({ sex: '2', ethnic: null }, { place: 'H5', placeProvider: 'PR3' }),
      YEAR,
    );
    expect(breaches.map((b) => [b.file, b.rule])).toEqual([
      ['Header', '101'],
      ['Header', '103'],
      ['Episodes', '146'],
    ]);
  });
});

describe('code lists', () => {
  it('holds the current PLACE codes', () => {
    expect(PLACE_CODES).not.toContain('H5');
    expect(PLACE_CODES).not.toContain('P2');
    expect(PLACE_CODES).not.toContain('Z1');
    expect(PLACE_CODES).toEqual(expect.arrayContaining(['K3', 'Z11', 'Z12', 'Z13', 'Z14', 'U6']));
    expect(PLACE_CODES).toHaveLength(29);
  });

  it('holds both SEX codings', () => {
    expect(SEX_CODES).toEqual(['M', 'F', 'U']);
    expect(SEX_CODES_BEFORE_2024_25).toEqual(['1', '2']);
  });
});

describe('collection year', () => {
  it.each([
    ['2026-03-31', false, '2025-04-01', '2026-03-31'],
    ['2026-04-01', false, '2026-04-01', '2027-03-31'],
    ['2026-11-23', true, '2026-04-01', '2026-11-23'],
    ['2027-01-04', true, '2026-04-01', '2027-01-04'],
  ])('%s (in year: %s) is %s to %s', (date, inYear, start, end) => {
    expect(collectionYearOf(d(date), { inYear })).toEqual({ start, end });
  });
});

describe('rule 444 over a Header file', () => {
  it('finds the rows that share a UPN, leaving UN1 to UN5 alone', () => {
    expect(
      duplicateUpns([
        { upn: 'A123456789012' },
        { upn: 'UN1' },
        { upn: 'A123456789012' },
        { upn: 'UN1' },
        { upn: null },
        { upn: 'B123456789012' },
      ]),
    ).toEqual([0, 2]);
  });
});
