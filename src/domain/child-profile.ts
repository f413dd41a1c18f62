import { ageOn, type LocalDate } from './local-date.js';

/**
 * The profile of children looked after as the DfE publishes it ("Children looked after in
 * England"): age bands, 903 SEX, and the 903 ETHNIC codes grouped into the census's broad groups.
 */

/** The DfE's age bands, on the day counted: under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over. */
export const AGE_BANDS = ['under1', '1to4', '5to9', '10to15', '16plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const AGE_BAND_TEXT: Record<AgeBand, string> = {
  under1: 'Under 1',
  '1to4': '1 to 4',
  '5to9': '5 to 9',
  '10to15': '10 to 15',
  '16plus': '16 and over',
};

/** The child's age band on `on`; a birthday counts on the day itself. */
export function ageBandOn(dob: LocalDate, on: LocalDate): AgeBand {
  const age = ageOn(dob, on);
  if (age < 1) return 'under1';
  if (age < 5) return '1to4';
  if (age < 10) return '5to9';
  if (age < 16) return '10to15';
  return '16plus';
}

/** 903 SEX since 2024/25, with `U` also standing for a header that gave none. */
export const SEXES = ['M', 'F', 'U'] as const;
export type Sex = (typeof SEXES)[number];

export const SEX_TEXT: Record<Sex, string> = {
  M: 'Male',
  F: 'Female',
  U: 'Not known',
};

/** The broad ethnic groups the DfE reports 903 ETHNIC codes in. */
export const ETHNIC_GROUPS = ['white', 'mixed', 'asian', 'black', 'other', 'notKnown'] as const;
export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];

export const ETHNIC_GROUP_TEXT: Record<EthnicGroup, string> = {
  white: 'White',
  mixed: 'Mixed or multiple ethnic groups',
  asian: 'Asian or Asian British',
  black: 'Black, African, Caribbean or Black British',
  other: 'Other ethnic group',
  notKnown: 'Refused or not yet obtained',
};

/**
 * Each 903 ETHNIC code's group, as the 903 guidance lists them (Chinese, CHNE, is under "Chinese
 * or other ethnic group"). REFU (refused) and NOBT (information not yet obtained) are not known.
 */
const GROUP_OF_CODE: Readonly<Record<string, EthnicGroup>> = {
  WBRI: 'white',
  WIRI: 'white',
  WOTH: 'white',
  WIRT: 'white',
  WROM: 'white',
  MWBC: 'mixed',
  MWBA: 'mixed',
  MWAS: 'mixed',
  MOTH: 'mixed',
  AIND: 'asian',
  APKN: 'asian',
  ABAN: 'asian',
  AOTH: 'asian',
  BCRB: 'black',
  BAFR: 'black',
  BOTH: 'black',
  CHNE: 'other',
  OOTH: 'other',
  REFU: 'notKnown',
  NOBT: 'notKnown',
};

/** The group of a 903 ETHNIC code; a blank or unrecognised code is not known. */
export function ethnicGroupOf(code: string | null): EthnicGroup {
  return (code && GROUP_OF_CODE[code.trim().toUpperCase()]) || 'notKnown';
}
