import {
  addDays,
  addYears,
  daysBetween,
  parts,
  reportingYear,
  type LocalDate,
} from './local-date.js';

/**
 * The DfE's SSDA903 validation rules on one child's Header row and Episodes rows, as the public
 * validator that councils use implements them (data-to-insight/csc-validator-be-903, rule sets up
 * to 2026/27), written again here as pure checks. Each rule keeps the DfE's number and wording
 * (shortened). Where the validator's code and the rule's stated intent differ in a way that
 * matters, the comment on the rule says which one is followed.
 *
 * Code lists are the current year's: where a later year's rule changed a list (PLACE in 2025/26,
 * SEX in 2024/25), the later list is the one here.
 */

/** SEX since the 2024/25 collection: male, female, unknown. */
export const SEX_CODES = ['M', 'F', 'U'] as const;
/** SEX before the 2024/25 collection: 1 male, 2 female. */
export const SEX_CODES_BEFORE_2024_25 = ['1', '2'] as const;

export const ETHNIC_CODES = [
  'WBRI',
  'WIRI',
  'WOTH',
  'WIRT',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
] as const;

/** MOTHER: 1 the child is a mother, 0 she is not. */
export const MOTHER_CODES = ['0', '1'] as const;

/** UPN when the pupil number is not known (rule 168). */
export const UPN_UNKNOWN_CODES = ['UN1', 'UN2', 'UN3', 'UN4', 'UN5'] as const;

/** RNE, reason for new episode: S started to be looked after; the others continue a period. */
export const RNE_CODES = ['S', 'P', 'L', 'T', 'U', 'B'] as const;

/** LS, legal status. */
export const LS_CODES = [
  'C1',
  'C2',
  'D1',
  'E1',
  'V2',
  'V3',
  'V4',
  'J1',
  'J2',
  'J3',
  'L1',
  'L2',
  'L3',
] as const;

/** CIN, category of need. */
export const CIN_CODES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const;

/**
 * PLACE, placement type, from the 2025/26 collection on: H5, P2 and Z1 are no longer codes;
 * K3 (supported accommodation) and Z11 to Z14 are.
 */
export const PLACE_CODES = [
  'A3',
  'A4',
  'A5',
  'A6',
  'K1',
  'K2',
  'K3',
  'P1',
  'P3',
  'R1',
  'R2',
  'R3',
  'R5',
  'S1',
  'T0',
  'T1',
  'T2',
  'T3',
  'T4',
  'U1',
  'U2',
  'U3',
  'U4',
  'U5',
  'U6',
  'Z11',
  'Z12',
  'Z13',
  'Z14',
] as const;

/** PLACE_PROVIDER: PR0 parents, PR1 own LA, PR2 other LA, PR3 other public, PR4 private, PR5 voluntary. */
export const PLACE_PROVIDER_CODES = ['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5'] as const;

/** REC, reason episode ceased; X1 means the episode ended but the child stays looked after. */
export const REC_CODES = [
  'E11',
  'E12',
  'E2',
  'E3',
  'E4A',
  'E4B',
  'E13',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
  'E5',
  'E6',
  'E7',
  'E8',
  'E9',
  'E14',
  'E15',
  'E16',
  'E17',
  'X1',
] as const;

export const REASON_PLACE_CHANGE_CODES = [
  'CARPL',
  'CLOSE',
  'ALLEG',
  'STAND',
  'APPRR',
  'CREQB',
  'CREQO',
  'CHILD',
  'LAREQ',
  'PLACE',
  'CUSTOD',
  'OTHER',
] as const;

/** Temporary placements. */
const TEMPORARY_PLACES = ['T0', 'T1', 'T2', 'T3', 'T4'];
/** Placements that have no provider (rule 178; rules 213 and 526 add T4). */
const NO_PROVIDER_PLACES_178 = ['T0', 'T1', 'T2', 'T3', 'Z11', 'Z12', 'Z13', 'Z14'];
const NO_PROVIDER_PLACES = [...TEMPORARY_PLACES, 'Z11', 'Z12', 'Z13', 'Z14'];
/** Placements that have no Ofsted URN (rules 218 and 222). */
const NO_URN_PLACES = ['P1', 'P3', 'R1', 'R2', 'R5', ...NO_PROVIDER_PLACES];
const FOSTER_PLACES = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'];
const SHORT_BREAK_LS = ['V3', 'V4'];
/** REC codes that end a period of care (every code but X1). */
const LEFT_CARE_REC = REC_CODES.filter((c) => c !== 'X1');

/** One row of the Header file, typed (the import's ChildRecord fits). */
export interface Ssda903Header {
  sex: string | null;
  dob: LocalDate;
  ethnic: string | null;
  upn: string | null;
  mother: string | null;
  mcDob: LocalDate | null;
}

/** One row of the Episodes file, typed (the import's EpisodeRecord fits). */
export interface Ssda903Episode {
  decom: LocalDate;
  rne: string | null;
  ls: string | null;
  cin: string | null;
  place: string | null;
  placeProvider: string | null;
  dec: LocalDate | null;
  rec: string | null;
  reasonPlaceChange: string | null;
  homePost: string | null;
  plPost: string | null;
  urn: string | null;
}

/** A child's rows in the files. Reviews are needed only by rule 399. */
export interface Ssda903Child {
  header: Ssda903Header;
  episodes: readonly Ssda903Episode[];
  reviews?: readonly unknown[];
}

/**
 * The collection the extract belongs to. `end` is the last day the extract covers: 31 March of
 * the collection year, or the day an in-year extract was made. Open episodes count up to it.
 */
export interface CollectionContext {
  start: LocalDate;
  end: LocalDate;
}

/** The collection year (1 April to 31 March) that holds `date`, up to `date` for an in-year extract. */
export function collectionYearOf(date: LocalDate, { inYear = false } = {}): CollectionContext {
  const { first, last } = reportingYear(date);
  return { start: first, end: inYear ? date : last };
}

export type Ssda903File = 'Header' | 'Episodes';

export interface Ssda903Breach {
  /** The DfE's rule number, e.g. '146'. */
  rule: string;
  message: string;
  file: Ssda903File;
  /** Index into the child's `episodes` as given; null for a Header breach. */
  episode: number | null;
  fields: readonly string[];
}

export interface Ssda903Rule {
  rule: string;
  message: string;
  file: Ssda903File;
  fields: readonly string[];
}

/** What the checks read: the child, its episodes in date order, and the collection. */
interface View {
  header: Ssda903Header;
  episodes: readonly Ssda903Episode[];
  reviews: readonly unknown[];
  /** Episode indexes sorted by DECOM, then DEC (open last). */
  order: number[];
  context: CollectionContext;
}

type Check = (v: View) => number[] | boolean;

interface RuleDefinition extends Ssda903Rule {
  check: Check;
}

const is = (value: string | null, codes: readonly string[]): boolean =>
  value !== null && codes.includes(value);
const male = (sex: string | null) => sex === 'M' || sex === '1';
const female = (sex: string | null) => sex === 'F' || sex === '2';
const filled = (value: string | null): value is string => value !== null && value !== '';

/** Indexes of the episodes for which `test` holds. */
const where =
  (test: (e: Ssda903Episode, v: View) => boolean): Check =>
  (v) =>
    v.episodes.flatMap((e, i) => (test(e, v) ? [i] : []));

/** Indexes of the episodes (in date order) for which `test` holds, with the one before and after. */
const inOrder =
  (
    test: (
      e: Ssda903Episode,
      previous: Ssda903Episode | undefined,
      next: Ssda903Episode | undefined,
      v: View,
    ) => boolean,
  ): Check =>
  (v) =>
    v.order.flatMap((index, k) => {
      const e = v.episodes[index] as Ssda903Episode;
      const previousIndex = v.order[k - 1];
      const nextIndex = v.order[k + 1];
      const previous = previousIndex === undefined ? undefined : v.episodes[previousIndex];
      const next = nextIndex === undefined ? undefined : v.episodes[nextIndex];
      return test(e, previous, next, v) ? [index] : [];
    });

const codeCheck = (field: keyof Ssda903Episode, codes: readonly string[]): Check =>
  where((e) => filled(e[field] as string | null) && !codes.includes(e[field] as string));

/** The child was younger than `years` on `date`: `date` < DOB + years. */
const under = (v: View, years: number, date: LocalDate) => date < addYears(v.header.dob, years);

/** Placement at `place` begun before the child was `years` old (rules 371 to 374). */
const placedUnder = (place: string, years: number): Check =>
  // The validator skips open episodes (it drops rows without DEC); the rule as worded does not.
  where((e, v) => e.place === place && under(v, years, e.decom));

/** Episodes whose legal status `ls` lasted, over consecutive episodes, more than `days`. */
const legalStatusLongerThan =
  (ls: string, days: number): Check =>
  (v) => {
    const runs: { indexes: number[]; days: number }[] = [];
    let lastEnd: LocalDate | null = null;
    for (const index of v.order) {
      const e = v.episodes[index] as Ssda903Episode;
      if (e.ls !== ls) continue;
      const end = e.dec ?? v.context.end;
      const run = runs.at(-1);
      if (run && lastEnd !== null && e.decom <= lastEnd) {
        run.indexes.push(index);
        run.days += daysBetween(e.decom, end);
      } else {
        runs.push({ indexes: [index], days: daysBetween(e.decom, end) });
      }
      lastEnd = end;
    }
    return runs.filter((r) => r.days > days).flatMap((r) => r.indexes);
  };

/** Whether two episodes show the same placement (rules 434 to 436); blanks compare equal. */
const samePlacement = (a: Ssda903Episode, b: Ssda903Episode) =>
  (a.place ?? '') === (b.place ?? '') &&
  (a.plPost ?? '') === (b.plPost ?? '') &&
  (a.urn ?? '') === (b.urn ?? '') &&
  (a.placeProvider ?? '') === (b.placeProvider ?? '');

const providerWith = (provider: string, places: readonly string[]): Check =>
  where((e) => e.placeProvider === provider && is(e.place, places));

const RULES: readonly RuleDefinition[] = [
  // Header ---------------------------------------------------------------------------------
  {
    rule: '101',
    message: 'The child or young person’s reported sex is not valid (M, F or U).',
    file: 'Header',
    fields: ['SEX'],
    check: (v) => !is(v.header.sex, SEX_CODES),
  },
  {
    rule: '103',
    message: 'The ethnicity code is either not valid or has not been entered.',
    file: 'Header',
    fields: ['ETHNIC'],
    check: (v) => !is(v.header.ethnic, ETHNIC_CODES),
  },
  {
    rule: '168',
    message: 'Unique Pupil Number (UPN) is not valid; if unknown, use UN1 to UN5.',
    file: 'Header',
    fields: ['UPN'],
    check: ({ header: { upn } }) =>
      filled(upn) && !/^(?:[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])|UN[1-5])$/.test(upn),
  },
  {
    rule: '174',
    message: "Mother's child date of birth is recorded but sex shows that the child is a male.",
    file: 'Header',
    fields: ['SEX', 'MC_DOB'],
    check: ({ header }) => male(header.sex) && header.mcDob !== null,
  },
  {
    rule: '209',
    message: 'Child looked after is of school age and should not have an unknown UPN code of UN1.',
    file: 'Header',
    fields: ['UPN', 'DOB'],
    check: (v) => {
      const schoolAgeOn = `${parts(v.context.start).year - 1}-08-31` as LocalDate;
      return v.header.upn === 'UN1' && addYears(v.header.dob, 4) <= schoolAgeOn;
    },
  },
  {
    rule: '302',
    message: 'First episode starts before child was born.',
    file: 'Episodes',
    fields: ['DECOM', 'DOB'],
    check: (v) => {
      const first = v.order[0];
      return first !== undefined && (v.episodes[first] as Ssda903Episode).decom < v.header.dob
        ? [first]
        : [];
    },
  },
  {
    rule: '393',
    message: 'Child is looked after but mother field is not completed.',
    file: 'Header',
    fields: ['MOTHER'],
    check: (v) =>
      female(v.header.sex) &&
      !filled(v.header.mother) &&
      v.episodes.some((e) => !is(e.ls, SHORT_BREAK_LS)),
  },
  {
    rule: '399',
    message:
      'Mother field, review field or participation field are completed but child is looked after under legal status V3 or V4.',
    file: 'Header',
    fields: ['MOTHER', 'LS', 'REVIEW', 'REVIEW_CODE'],
    check: (v) =>
      v.episodes.length > 0 &&
      v.episodes.every((e) => is(e.ls, SHORT_BREAK_LS)) &&
      (filled(v.header.mother) || v.reviews.length > 0),
  },
  {
    rule: '442',
    message: 'Unique Pupil Number (UPN) field is not completed.',
    file: 'Header',
    fields: ['UPN'],
    check: (v) => !filled(v.header.upn) && v.episodes.some((e) => !is(e.ls, SHORT_BREAK_LS)),
  },
  {
    rule: '611',
    message: 'Date of birth field is blank, but child is a mother.',
    file: 'Header',
    fields: ['MOTHER', 'MC_DOB'],
    check: ({ header }) => header.mother === '1' && header.mcDob === null,
  },
  {
    rule: '612',
    message:
      'Date of birth field has been completed but mother field indicates child is not a mother.',
    file: 'Header',
    fields: ['SEX', 'MOTHER', 'MC_DOB'],
    check: ({ header }) =>
      female(header.sex) &&
      (header.mother === '0' || !filled(header.mother)) &&
      header.mcDob !== null,
  },
  {
    rule: '620',
    message:
      'Child has been recorded as a mother, but date of birth shows that the mother is under 11 years of age.',
    file: 'Header',
    fields: ['DOB', 'MOTHER'],
    check: (v) => v.header.mother === '1' && under(v, 11, v.context.start),
  },
  {
    rule: '621',
    message:
      'Mother’s field has been completed but date of birth shows that the mother is younger than her child.',
    file: 'Header',
    fields: ['DOB', 'MC_DOB'],
    check: ({ header }) => header.mcDob !== null && header.mcDob <= header.dob,
  },

  // Episodes: codes ------------------------------------------------------------------------
  {
    rule: '143',
    message: 'The reason for new episode code is not a valid code.',
    file: 'Episodes',
    fields: ['RNE'],
    check: codeCheck('rne', RNE_CODES),
  },
  {
    rule: '144',
    message: 'The legal status code is not a valid code.',
    file: 'Episodes',
    fields: ['LS'],
    check: codeCheck('ls', LS_CODES),
  },
  {
    rule: '145',
    message: 'Category of need code is not a valid code.',
    file: 'Episodes',
    fields: ['CIN'],
    check: codeCheck('cin', CIN_CODES),
  },
  {
    rule: '146',
    message: 'Placement type code is not a valid code.',
    file: 'Episodes',
    fields: ['PLACE'],
    check: codeCheck('place', PLACE_CODES),
  },
  {
    rule: '149',
    message: 'Reason episode ceased code is not valid.',
    file: 'Episodes',
    fields: ['REC'],
    check: codeCheck('rec', REC_CODES),
  },
  {
    rule: '178',
    message: 'Placement provider code is not a valid code.',
    file: 'Episodes',
    fields: ['PLACE_PROVIDER'],
    check: where(
      (e) =>
        filled(e.placeProvider) &&
        (!is(e.placeProvider, PLACE_PROVIDER_CODES) || is(e.place, NO_PROVIDER_PLACES_178)),
    ),
  },
  {
    rule: '1009',
    message: 'Reason for placement change is not a valid code.',
    file: 'Episodes',
    fields: ['REASON_PLACE_CHANGE'],
    check: codeCheck('reasonPlaceChange', REASON_PLACE_CHANGE_CODES),
  },

  // Episodes: one after another --------------------------------------------------------------
  {
    rule: '142',
    message: 'A new episode has started, but the previous episode has not ended.',
    file: 'Episodes',
    fields: ['DEC', 'REC'],
    check: inOrder((e, _p, next) => next !== undefined && (e.dec === null || !filled(e.rec))),
  },
  {
    rule: '148',
    message:
      'Date episode ceased and reason episode ceased must both be coded, or both left blank.',
    file: 'Episodes',
    fields: ['DEC', 'REC'],
    check: where((e) => (e.dec === null) !== !filled(e.rec)),
  },
  {
    rule: '355',
    message: 'Episode appears to have lasted for less than 24 hours.',
    file: 'Episodes',
    fields: ['DECOM', 'DEC'],
    check: where((e) => e.dec === e.decom),
  },
  {
    rule: '356',
    message: 'The date the episode ceased is before the date the same episode started.',
    file: 'Episodes',
    fields: ['DECOM', 'DEC'],
    check: where((e) => e.dec !== null && e.dec < e.decom),
  },
  {
    rule: '357',
    message: 'If this is the first episode ever for this child, reason for new episode must be S.',
    file: 'Episodes',
    fields: ['RNE'],
    check: inOrder(
      (e, previous, _n, v) => !previous && e.decom >= v.context.start && e.rne !== 'S',
    ),
  },
  {
    rule: '388',
    message:
      'Reason episode ceased is coded new episode begins, but there is no continuation episode.',
    file: 'Episodes',
    fields: ['REC'],
    check: inOrder((e, _p, next) => {
      if (e.dec === null || !filled(e.rec)) return false;
      if (!next) return e.rec === 'X1';
      return e.rec === 'X1' ? e.dec !== next.decom : e.dec === next.decom;
    }),
  },
  {
    rule: '431',
    message:
      'The reason for new episode is started to be looked after, but the previous episode ended on the same day.',
    file: 'Episodes',
    fields: ['RNE', 'DECOM'],
    check: inOrder(
      (e, previous) =>
        e.rne === 'S' && previous !== undefined && previous.dec !== null && e.decom <= previous.dec,
    ),
  },
  {
    rule: '432',
    message:
      'The child ceased to be looked after at the end of the previous episode but the reason for the new episode is not started to be looked after.',
    file: 'Episodes',
    fields: ['RNE'],
    check: inOrder((e, previous) => is(previous?.rec ?? null, LEFT_CARE_REC) && e.rne !== 'S'),
  },
  {
    rule: '433',
    message:
      'The reason for new episode suggests that this is a continuation episode, but the episode does not start on the same day as the last episode finished.',
    file: 'Episodes',
    fields: ['RNE', 'DECOM'],
    check: inOrder(
      (e, previous) =>
        is(e.rne, ['P', 'L', 'T', 'U', 'B']) && previous !== undefined && previous.dec !== e.decom,
    ),
  },
  {
    rule: '434',
    message:
      "Reason for new episode is that child's legal status has changed but not the placement, but this is not reflected in the episode data.",
    file: 'Episodes',
    fields: ['RNE', 'LS', 'PLACE', 'PL_POST', 'URN', 'PLACE_PROVIDER'],
    check: inOrder(
      (e, previous) =>
        e.rne === 'L' &&
        previous !== undefined &&
        (e.ls === previous.ls || !samePlacement(e, previous)),
    ),
  },
  {
    rule: '435',
    message:
      'Reason for new episode is that child’s placement has changed but not the legal status, but this is not reflected in the episode data recorded.',
    file: 'Episodes',
    fields: ['LS', 'PLACE', 'PL_POST', 'URN', 'PLACE_PROVIDER'],
    // The validator compares blank postcodes as different, so misses a move that changes
    // nothing when PL_POST is blank; the rule as worded does not.
    check: inOrder(
      (e, previous) =>
        is(e.rne, ['P', 'T']) &&
        previous !== undefined &&
        (e.ls !== previous.ls || samePlacement(e, previous)),
    ),
  },
  {
    rule: '436',
    message:
      'Reason for new episode is that both child’s placement and legal status have changed, but this is not reflected in the episode data.',
    file: 'Episodes',
    fields: ['RNE', 'LS', 'PLACE', 'PL_POST', 'URN', 'PLACE_PROVIDER'],
    check: inOrder(
      (e, previous) =>
        is(e.rne, ['U', 'B']) &&
        previous !== undefined &&
        (e.ls === previous.ls || samePlacement(e, previous)),
    ),
  },
  {
    rule: '437',
    message:
      'Reason episode ceased is child has died or is aged 18 or over but there are further episodes.',
    file: 'Episodes',
    fields: ['REC'],
    check: inOrder((e, _p, next) => is(e.rec, ['E2', 'E15']) && next !== undefined),
  },
  {
    rule: '501',
    message: 'A new episode has started before the end date of the previous episode.',
    file: 'Episodes',
    fields: ['DECOM', 'DEC'],
    check: inOrder((e, previous) => previous?.dec != null && e.decom < previous.dec),
  },
  {
    rule: '504',
    message:
      'The category of need code differs from that reported at start of current period of being looked after.',
    file: 'Episodes',
    fields: ['CIN'],
    // Each episode that continues the one before (REC X1, DEC = this DECOM) keeps its CIN.
    check: inOrder(
      (e, previous) =>
        previous !== undefined &&
        previous.rec === 'X1' &&
        previous.dec === e.decom &&
        (e.cin ?? '') !== (previous.cin ?? ''),
    ),
  },

  // Episodes: age -----------------------------------------------------------------------------
  {
    rule: '352',
    message: 'Child who started to be looked after was aged 18 or over.',
    file: 'Episodes',
    fields: ['DECOM', 'RNE'],
    check: where((e, v) => e.rne === 'S' && !under(v, 18, e.decom)),
  },
  {
    rule: '358',
    message: 'Child with this legal status should not be under 10.',
    file: 'Episodes',
    fields: ['DECOM', 'DOB', 'LS'],
    // J1, J2, J3 only when DECOM is after the 10th birthday (DOB + 10 years < DECOM).
    check: where((e, v) => is(e.ls, ['J1', 'J2', 'J3']) && e.decom <= addYears(v.header.dob, 10)),
  },
  {
    rule: '359',
    message:
      'Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children Act 1989 in a community home.',
    file: 'Episodes',
    fields: ['DEC', 'LS', 'PLACE'],
    check: where(
      (e, v) =>
        e.dec === null &&
        addYears(v.header.dob, 18) < v.context.end &&
        !(e.ls === 'V2' && e.place === 'K2'),
    ),
  },
  {
    rule: '386',
    message: 'Reason episode ceased is adopted but child has reached age 18.',
    file: 'Episodes',
    fields: ['REC'],
    check: where((e, v) => is(e.rec, ['E11', 'E12']) && e.dec !== null && !under(v, 18, e.dec)),
  },
  {
    rule: '387',
    message:
      'Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.',
    file: 'Episodes',
    fields: ['REC'],
    check: where((e, v) => is(e.rec, ['E5', 'E6']) && e.dec !== null && under(v, 14, e.dec)),
  },
  {
    rule: '389',
    message:
      'Reason episode ceased is that child transferred to care of adult social care services, but child is aged under 16.',
    file: 'Episodes',
    fields: ['REC'],
    check: where((e, v) => e.rec === 'E7' && e.dec !== null && under(v, 16, e.dec)),
  },
  {
    rule: '407',
    message: 'Reason episode ceased is Special Guardianship Order, but child has reached age 18.',
    file: 'Episodes',
    fields: ['DEC', 'DOB', 'REC'],
    check: where(
      (e, v) =>
        is(e.rec, ['E45', 'E46', 'E47', 'E48']) &&
        e.dec !== null &&
        addYears(v.header.dob, 18) < e.dec,
    ),
  },
  {
    rule: '460',
    message:
      'Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged under 18.',
    file: 'Episodes',
    fields: ['DEC', 'REC'],
    check: where((e, v) => e.rec === 'E17' && e.dec !== null && under(v, 18, e.dec)),
  },
  {
    rule: '234',
    message: 'A child aged under 10 can not change placement due to being admitted to custody.',
    file: 'Episodes',
    fields: ['REASON_PLACE_CHANGE', 'DOB'],
    check: where((e, v) => e.reasonPlaceChange === 'CUSTOD' && under(v, 10, e.decom)),
  },
  {
    rule: '371',
    message:
      'Child in supported accommodation not subject to children’s homes regulations should be at least 16.',
    file: 'Episodes',
    fields: ['DECOM', 'PLACE'],
    check: placedUnder('K3', 16),
  },
  {
    rule: '372',
    message: 'Child in youth custody or prison should be at least 10.',
    file: 'Episodes',
    fields: ['DECOM', 'PLACE'],
    check: placedUnder('R5', 10),
  },
  {
    rule: '373',
    message: 'Child placed in a school should be at least 4 years old.',
    file: 'Episodes',
    fields: ['DECOM', 'PLACE'],
    check: placedUnder('S1', 4),
  },
  {
    rule: '374',
    message: 'Child in residential employment should be at least 14 years old.',
    file: 'Episodes',
    fields: ['DECOM', 'PLACE'],
    check: placedUnder('P3', 14),
  },

  // Episodes: how long a legal status lasts --------------------------------------------------
  {
    rule: '361',
    message:
      'Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.',
    file: 'Episodes',
    fields: ['DECOM', 'LS', 'DEC'],
    check: legalStatusLongerThan('L1', 3),
  },
  {
    rule: '362',
    message: 'Emergency protection order (EPO) lasted longer than 21 days.',
    file: 'Episodes',
    fields: ['DECOM', 'LS', 'DEC'],
    check: legalStatusLongerThan('L2', 21),
  },
  {
    rule: '363',
    message:
      'Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.',
    file: 'Episodes',
    fields: ['LS', 'DECOM', 'DEC'],
    check: legalStatusLongerThan('L3', 7),
  },
  {
    rule: '364',
    message:
      'Sections 41-46 of PACE 1984 severely limit the time a child can be detained in custody in LA accommodation (J2 at most 21 days).',
    file: 'Episodes',
    fields: ['LS', 'DECOM', 'DEC'],
    check: legalStatusLongerThan('J2', 21),
  },
  {
    rule: '365',
    message: 'Any individual short-term respite placement must not exceed 17 days.',
    file: 'Episodes',
    fields: ['LS', 'DECOM', 'DEC'],
    check: where((e, v) => e.ls === 'V3' && (e.dec ?? v.context.end) > addDays(e.decom, 17)),
  },
  {
    rule: '366',
    message:
      'A child cannot change placement during the course of an individual short-term respite break.',
    file: 'Episodes',
    fields: ['RNE'],
    check: where((e) => e.ls === 'V3' && e.rne !== 'S'),
  },

  // Episodes: placement, provider, URN -------------------------------------------------------
  {
    rule: '213',
    message: 'Placement provider information not required.',
    file: 'Episodes',
    fields: ['PLACE_PROVIDER'],
    check: where((e) => is(e.place, NO_PROVIDER_PLACES) && filled(e.placeProvider)),
  },
  {
    rule: '217',
    message:
      'Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.',
    file: 'Episodes',
    fields: ['PLACE', 'DECOM', 'RNE'],
    check: where(
      (e) => is(e.place, ['A3', 'A5']) && e.decom >= '2015-04-01' && !is(e.rne, ['S', 'T', 'U']),
    ),
  },
  {
    rule: '218',
    message: 'Ofsted Unique reference number (URN) is required.',
    file: 'Episodes',
    fields: ['URN'],
    // The validator also exempts placements outside England (PL_LA), a column not read here.
    check: where(
      (e, v) =>
        !is(e.place, NO_URN_PLACES) &&
        (e.dec === null || e.dec >= v.context.start) &&
        !filled(e.urn),
    ),
  },
  {
    rule: '222',
    message: 'Ofsted Unique reference number (URN) should not be recorded for this placement type.',
    file: 'Episodes',
    fields: ['URN'],
    check: where((e) => is(e.place, NO_URN_PLACES) && filled(e.urn) && e.urn !== 'XXXXXXX'),
  },
  {
    rule: '225',
    message: 'Reason for placement change must be recorded.',
    file: 'Episodes',
    fields: ['REASON_PLACE_CHANGE'],
    check: inOrder(
      (e, _p, next) =>
        next !== undefined &&
        e.rec === 'X1' &&
        !filled(e.reasonPlaceChange) &&
        !is(e.place, TEMPORARY_PLACES) &&
        is(next.rne, ['P', 'B', 'T', 'U']) &&
        !is(next.place, TEMPORARY_PLACES),
    ),
  },
  {
    rule: '226',
    message: 'Reason for placement change is not required for temporary placements.',
    file: 'Episodes',
    fields: ['REASON_PLACE_CHANGE', 'PLACE'],
    check: inOrder(
      (e, previous) =>
        is(e.place, TEMPORARY_PLACES) &&
        (filled(e.reasonPlaceChange) || filled(previous?.reasonPlaceChange ?? null)),
    ),
  },
  {
    rule: '233',
    message: 'Reason for placement change is not required when the episode has not ceased.',
    file: 'Episodes',
    fields: ['REASON_PLACE_CHANGE'],
    check: where((e) => e.dec === null && filled(e.reasonPlaceChange)),
  },
  {
    rule: '378',
    message:
      'A child who is placed with parent(s) cannot be looked after under a single period of accommodation under Section 20 of the Children Act 1989.',
    file: 'Episodes',
    fields: ['PLACE', 'LS'],
    check: where((e) => e.place === 'P1' && e.ls === 'V2'),
  },
  {
    rule: '380',
    message: 'A period of care cannot start with a temporary placement.',
    file: 'Episodes',
    fields: ['PLACE', 'RNE'],
    check: where((e) => is(e.place, TEMPORARY_PLACES) && !is(e.rne, ['P', 'B'])),
  },
  {
    rule: '381',
    message: 'A period of care cannot end with a temporary placement.',
    file: 'Episodes',
    fields: ['PLACE', 'REC'],
    check: where((e) => is(e.place, TEMPORARY_PLACES) && filled(e.rec) && e.rec !== 'X1'),
  },
  {
    rule: '382',
    message: 'A child receiving respite care cannot be in a temporary placement.',
    file: 'Episodes',
    fields: ['LS', 'PLACE'],
    check: where((e) => is(e.ls, SHORT_BREAK_LS) && is(e.place, TEMPORARY_PLACES)),
  },
  {
    rule: '384',
    message: 'A child receiving respite care cannot be in a long-term foster placement.',
    file: 'Episodes',
    fields: ['PLACE', 'LS'],
    check: where((e) => is(e.ls, SHORT_BREAK_LS) && is(e.place, ['U1', 'U4'])),
  },
  {
    rule: '516',
    message:
      'If the reason episode ceased is E45 or E46 (special guardianship for former foster carers) the child must have a placement code of U1 to U6.',
    file: 'Episodes',
    fields: ['REC', 'PLACE'],
    check: where((e) => is(e.rec, ['E45', 'E46']) && !is(e.place, FOSTER_PLACES)),
  },
  {
    rule: '526',
    message: 'Child is missing a placement provider code for at least one episode.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: where((e) => !is(e.place, NO_PROVIDER_PLACES) && !filled(e.placeProvider)),
  },
  {
    rule: '527',
    message: 'A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: providerWith('PR1', ['P1', 'R2', 'R5']),
  },
  {
    rule: '528',
    message: 'A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: providerWith('PR2', ['P1', 'R2', 'R5']),
  },
  {
    rule: '529',
    message:
      'Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: providerWith('PR3', ['A3', 'A4', 'A5', 'A6', 'K1', 'K2', 'P1', ...FOSTER_PLACES]),
  },
  {
    rule: '530',
    message: 'A placement provider code of PR4 cannot be associated with placement P1.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: providerWith('PR4', ['P1']),
  },
  {
    rule: '531',
    message: 'A placement provider code of PR5 cannot be associated with placement P1.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: providerWith('PR5', ['P1']),
  },
  {
    rule: '550',
    message: 'A placement provider code of PR0 can only be associated with placement P1.',
    file: 'Episodes',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: where((e) => e.placeProvider === 'PR0' && e.place !== 'P1'),
  },
];

/** Every rule this module applies, with its number, wording, file and fields, in number order. */
export const SSDA903_RULES: readonly Ssda903Rule[] = [...RULES]
  .sort((a, b) => Number.parseInt(a.rule, 10) - Number.parseInt(b.rule, 10))
  .map(({ rule, message, file, fields }) => ({ rule, message, file, fields }));

/** The whole-file rule this module applies beside the per-child ones. */
export const DUPLICATE_UPN_RULE: Ssda903Rule = {
  rule: '444',
  message: 'Duplicate UPN has been reported.',
  file: 'Header',
  fields: ['UPN'],
};

function orderOf(episodes: readonly Ssda903Episode[]): number[] {
  return episodes
    .map((_, i) => i)
    .sort((a, b) => {
      const x = episodes[a] as Ssda903Episode;
      const y = episodes[b] as Ssda903Episode;
      if (x.decom !== y.decom) return x.decom < y.decom ? -1 : 1;
      if (x.dec !== y.dec) {
        if (x.dec === null) return 1;
        if (y.dec === null) return -1;
        return x.dec < y.dec ? -1 : 1;
      }
      return a - b;
    });
}

/**
 * Checks one child's Header row and Episodes rows against every rule in SSDA903_RULES. Codes
 * are compared as given (the import upper-cases them). Returns the breaches, Header ones first,
 * then by rule; an empty list means the child passes.
 */
export function checkChild(child: Ssda903Child, context: CollectionContext): Ssda903Breach[] {
  const view: View = {
    header: child.header,
    episodes: child.episodes,
    reviews: child.reviews ?? [],
    order: orderOf(child.episodes),
    context,
  };
  const breaches: Ssda903Breach[] = [];
  for (const definition of RULES) {
    const { rule, message, file, fields } = definition;
    const found = definition.check(view);
    if (found === true) breaches.push({ rule, message, file, episode: null, fields });
    else if (Array.isArray(found)) {
      for (const episode of [...found].sort((a, b) => a - b)) {
        breaches.push({ rule, message, file, episode, fields });
      }
    }
  }
  return breaches.sort(
    (a, b) =>
      (a.file === b.file ? 0 : a.file === 'Header' ? -1 : 1) ||
      Number.parseInt(a.rule, 10) - Number.parseInt(b.rule, 10) ||
      (a.episode ?? -1) - (b.episode ?? -1),
  );
}

/**
 * Rule 444 over a whole Header file: a UPN (other than UN1 to UN5) given to more than one child.
 * Returns the indexes of the rows that share one.
 */
export function duplicateUpns(headers: readonly Pick<Ssda903Header, 'upn'>[]): number[] {
  const count = new Map<string, number>();
  for (const { upn } of headers) {
    if (filled(upn) && !is(upn, UPN_UNKNOWN_CODES)) count.set(upn, (count.get(upn) ?? 0) + 1);
  }
  return headers.flatMap(({ upn }, i) => (filled(upn) && (count.get(upn) ?? 0) > 1 ? [i] : []));
}
