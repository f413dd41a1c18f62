import {
  addDays,
  addYears,
  ageOn,
  daysBetween,
  formatUkDate,
  maxDate,
  type LocalDate,
} from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import { dueAfter } from '../domain/review-schedule.js';
import { collectionYearOf } from '../domain/ssda903-rules.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { EXTRACT_COLUMNS, type ExtractFiles, type StaffLevel } from '../app/import/extract.js';

/**
 * A believable synthetic council (about 300 children looked after, 14 IROs, 40 social workers,
 * an IRO team manager and a service manager, years of reviews with realistic lateness and
 * participation), written as the council's own CSV files so the demo goes through the same import
 * as real data. Its Header and Episodes pass every DfE rule in domain/ssda903-rules.ts (current
 * codes: SEX M/F, PLACE of 2025/26), and, as in a real service, a few children's latest review is
 * overdue by days or weeks. Every name is made up. The default users of Microsoft 365 Agents
 * Playground get a role each: ...0020 IRO, ...0021 social worker, ...0022 team manager (IRO
 * service), ...0023 service manager, and ...0024 head of service and ...0025 a social work team
 * manager, so that everyone in the playground's group chat is known.
 */
export interface DemoOptions {
  today: LocalDate;
  calendar: WorkingCalendar;
  seed?: number;
  childrenLookedAfter?: number;
  childrenLeftCare?: number;
  /**
   * IROs, the playground's IRO among them (default 14). Over `irosPerTeam`, the IROs form teams of
   * that size, the first one the playground team manager's "IRO Service", each further one with
   * its own made-up team manager ("IRO Service 2", ...): how the benchmark builds a national-scale
   * partnership of 2,000-child services.
   */
  iros?: number;
  irosPerTeam?: number;
  /** How far back children who left care left it, in years (default 3). */
  leftCareYears?: number;
}

/** Playground default users (their aadObjectIds) and the roles the demo gives them. */
export const PLAYGROUND_USERS = {
  iro: {
    aadObjectId: '00000000-0000-0000-0000-0000000000020',
    email: 'alexw@example.com',
    name: 'Alex Wilber',
  },
  socialWorker: {
    aadObjectId: '00000000-0000-0000-0000-0000000000021',
    email: 'meganb@example.com',
    name: 'Megan Bowen',
  },
  teamManager: {
    aadObjectId: '00000000-0000-0000-0000-0000000000022',
    email: 'adelev@example.com',
    name: 'Adele Vance',
  },
  serviceManager: {
    aadObjectId: '00000000-0000-0000-0000-0000000000023',
    email: 'isaiahl@example.com',
    name: 'Isaiah Langer',
  },
  headOfService: {
    aadObjectId: '00000000-0000-0000-0000-0000000000024',
    email: 'pattif@example.com',
    name: 'Patti Fernandez',
  },
  socialWorkTeamManager: {
    aadObjectId: '00000000-0000-0000-0000-0000000000025',
    email: 'lynner@example.com',
    name: 'Lynne Robbins',
  },
} as const;

/** The team managers of Children in Care Teams 2 to 4 (Team 1's is a playground user). */
const SOCIAL_WORK_TEAM_MANAGERS = [
  { name: 'Rosalind Brennan', email: 'rosalind.brennan@example.com' },
  { name: 'Victor Farrow', email: 'victor.farrow@example.com' },
  { name: 'Yvonne Whitlock', email: 'yvonne.whitlock@example.com' },
];

const STAFF_FIRST = [
  'Priya',
  'Tom',
  'Grace',
  'Daniel',
  'Aisha',
  'Mark',
  'Chloe',
  'Samuel',
  'Fatima',
  'Owen',
  'Hannah',
  'Ravi',
  'Ellen',
  'Kwame',
  'Joanna',
  'Luke',
  'Nadia',
  'Peter',
  'Sian',
  'Imran',
  'Beth',
  'Colin',
  'Deborah',
  'Femi',
  'Gemma',
  'Harpreet',
  'Ian',
  'Julia',
  'Karen',
  'Lewis',
];
const STAFF_LAST = [
  'Shah',
  'Okafor',
  'Hughes',
  'Evans',
  'Khan',
  'Reid',
  'Walsh',
  'Mensah',
  'Ali',
  'Price',
  'Barker',
  'Patel',
  'Doyle',
  'Asante',
  'Lloyd',
  'Morris',
  'Hussain',
  'Grant',
  'Pryce',
  'Iqbal',
];
const CHILD_FIRST = [
  'Amelia',
  'Leo',
  'Maya',
  'Jayden',
  'Ruby',
  'Kai',
  'Isla',
  'Tyler',
  'Zara',
  'Mason',
  'Evie',
  'Noah',
  'Lily',
  'Riley',
  'Ava',
  'Callum',
  'Mia',
  'Ethan',
  'Poppy',
  'Jamal',
  'Sophie',
  'Finley',
  'Aaliyah',
  'Harvey',
  'Rosie',
  'Dylan',
  'Skye',
  'Reece',
  'Layla',
  'Alfie',
  'Nia',
  'Corey',
  'Freya',
  'Tariq',
];
const CHILD_LAST = [
  'Carter',
  'Bennett',
  'Osei',
  'Fletcher',
  'Nowak',
  'Bailey',
  'Campbell',
  'Dunn',
  'Ahmed',
  'Foster',
  'Griffin',
  'Holt',
  'Ince',
  'Jarvis',
  'Kerr',
  'Lowe',
  'Marsh',
  'Nash',
  'Oakley',
  'Pearce',
  'Quinn',
  'Rowe',
  'Sutton',
  'Turner',
  'Vaughan',
  'Ward',
  'Yates',
  'Begum',
  'Kowalski',
  'Adeyemi',
];

type Rng = () => number;

/** A seeded random number generator (mulberry32): the same seed gives the same council. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** One of the options, in proportion to its weight; an option of weight 0 is never chosen. */
export function weighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  const possible = options.filter(([, w]) => w > 0);
  const total = possible.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [value, w] of possible) {
    r -= w;
    if (r < 0) return value;
  }
  return (possible.at(-1) as readonly [T, number])[0];
}

export function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

interface StaffRow {
  email: string;
  name: string;
  role: string;
  aadObjectId: string;
  team: string;
  managerEmail: string;
  fte: number;
  /** Staff.csv LEVEL: managers only. */
  level?: StaffLevel;
}

/**
 * How a period of care ends: not yet (`open`), by a return home after which the child comes back
 * into care (`returned`), before 18 (`left`), on the 18th birthday (`agedOut`), by adoption
 * (`adopted`), or at the end of a stay in council accommodation under PACE (`pace`).
 */
type Ending = 'open' | 'returned' | 'left' | 'agedOut' | 'adopted' | 'pace';

interface Period {
  start: LocalDate;
  end: LocalDate | null;
  kind: 'care' | 'shortBreaks' | 'pace';
  ending: Ending;
}

interface Placement {
  place: string;
  provider: string;
  urn: string;
}

type Weights<T> = readonly (readonly [T, number])[];

const PN_MIX: Weights<ParticipationCode> = [
  ['PN1', 44],
  ['PN2', 3],
  ['PN3', 4],
  ['PN4', 4],
  ['PN5', 5],
  ['PN6', 30],
  ['PN7', 10],
];
/** Legal status at the start of a period of care (E1, a placement order, only for young children). */
const LEGAL_STATUS: Weights<string> = [
  ['C2', 55],
  ['V2', 22],
  ['C1', 17],
  ['E1', 6],
];
/** Category of need: one per period of care (DfE rule 504). */
const CATEGORY_OF_NEED: Weights<string> = [
  ['N1', 60],
  ['N2', 7],
  ['N3', 4],
  ['N4', 8],
  ['N5', 13],
  ['N6', 2],
  ['N7', 1],
  ['N8', 5],
];
const REASON_PLACE_CHANGE: Weights<string> = [
  ['CARPL', 40],
  ['CREQB', 10],
  ['CREQO', 5],
  ['CHILD', 10],
  ['LAREQ', 10],
  ['STAND', 6],
  ['ALLEG', 3],
  ['CLOSE', 6],
  ['OTHER', 10],
];
const ETHNIC_MIX = ['WBRI', 'WBRI', 'WBRI', 'MWBC', 'BAFR', 'BCRB', 'AOTH', 'WOTH'];
/** Share of children whose review fell due in the last 40 days and is not held yet. */
const OVERDUE_SHARE = 0.09;
const OVERDUE_AT_MOST_DAYS = 40;
/** How long ago the review left overdue for the playground's IRO may have fallen due. */
const PLAYGROUND_OVERDUE_AT_MOST_DAYS = 60;
/** UPN check letters (DfE): the remainder of the weighted digit sum divided by 23. */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
/** Placements for short breaks: never long-term fostering (rule 384). */
const SHORT_BREAK_PLACES: Weights<string> = [
  ['U6', 60],
  ['K2', 40],
];
/** Providers by service; no other public body (PR3) runs these placements (rule 529). */
const PROVIDERS_FOSTERING: Weights<string> = [
  ['PR1', 60],
  ['PR4', 35],
  ['PR5', 5],
];
const PROVIDERS_HOME: Weights<string> = [
  ['PR1', 25],
  ['PR4', 70],
  ['PR5', 5],
];
const PROVIDERS_SUPPORTED: Weights<string> = [
  ['PR1', 10],
  ['PR4', 70],
  ['PR5', 20],
];
const PROVIDERS_ADOPTION: Weights<string> = [
  ['PR1', 70],
  ['PR5', 30],
];

export function demoCouncilExtract(options: DemoOptions): ExtractFiles {
  const rng = mulberry32(options.seed ?? 20261123);
  const { today, calendar } = options;
  const objectId = (n: number) => `d3a0c0de-0000-4000-8000-${String(n).padStart(12, '0')}`;

  // Staff ----------------------------------------------------------------------------------
  const staff: StaffRow[] = [];
  const usedNames = new Set<string>();
  // Past half the first and last name pairs, names take a number (only at benchmark scale).
  const plainNames = (STAFF_FIRST.length * STAFF_LAST.length) / 2;
  const person = (): { name: string; email: string } => {
    for (;;) {
      const first = pick(rng, STAFF_FIRST);
      const last = pick(rng, STAFF_LAST);
      const n = usedNames.size >= plainNames ? String(usedNames.size) : '';
      const name = n ? `${first} ${last} ${n}` : `${first} ${last}`;
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      return { name, email: `${first}.${last}${n}@example.com`.toLowerCase() };
    }
  };
  const { headOfService, serviceManager, teamManager, socialWorkTeamManager, iro, socialWorker } =
    PLAYGROUND_USERS;
  staff.push({
    ...headOfService,
    role: 'service_manager',
    team: "Children's Services",
    managerEmail: '',
    fte: 1,
    level: 'head_of_service',
  });
  staff.push({
    ...serviceManager,
    role: 'service_manager',
    team: "Children's Social Care",
    managerEmail: headOfService.email,
    fte: 1,
    level: 'service_manager',
  });
  staff.push({
    ...socialWorkTeamManager,
    role: 'team_manager',
    team: 'Children in Care Team 1',
    managerEmail: serviceManager.email,
    fte: 1,
    level: 'team_manager',
  });
  staff.push({
    ...teamManager,
    role: 'team_manager',
    team: 'IRO Service',
    managerEmail: serviceManager.email,
    fte: 1,
    level: 'team_manager',
  });
  staff.push({ ...iro, role: 'iro', team: 'IRO Service', managerEmail: teamManager.email, fte: 1 });
  const iroCount = options.iros ?? 14;
  const perTeam = options.irosPerTeam ?? iroCount;
  let iroTeam: { team: string; managerEmail: string } = {
    team: 'IRO Service',
    managerEmail: teamManager.email,
  };
  for (let i = 1; i < iroCount; i += 1) {
    if (i % perTeam === 0) {
      const number = i / perTeam + 1;
      const manager = {
        ...person(),
        aadObjectId: objectId(100000 + number),
        role: 'team_manager',
        team: `IRO Service ${number}`,
        managerEmail: serviceManager.email,
        fte: 1,
        level: 'team_manager' as const,
      };
      staff.push(manager);
      iroTeam = { team: manager.team, managerEmail: manager.email };
    }
    staff.push({
      ...person(),
      aadObjectId: objectId(i < 100 ? 100 + i : 10000 + i),
      role: 'iro',
      ...iroTeam,
      // Like the seed councils: a few in-house IROs and part-time agency IROs (Brent: 14 IROs).
      fte:
        i < 2
          ? 1
          : weighted(rng, [
              [0.2, 3],
              [0.3, 4],
              [0.4, 3],
              [0.5, 2],
            ]),
    });
  }
  staff.push({
    ...socialWorker,
    role: 'social_worker',
    team: 'Children in Care Team 1',
    managerEmail: socialWorkTeamManager.email,
    fte: 1,
  });
  // Teams 2 to 4 have their own team managers, as a council's do: a practice alert goes first to
  // the social worker's team manager, then to the service manager, then to the head of service.
  // Fixed names, drawn from no list, so the random draws of everything else stay as they were.
  const teamManagers = SOCIAL_WORK_TEAM_MANAGERS.map((m, i) => ({
    ...m,
    aadObjectId: objectId(302 + i),
    role: 'team_manager' as const,
    team: `Children in Care Team ${2 + i}`,
    managerEmail: serviceManager.email,
    fte: 1,
    level: 'team_manager' as const,
  }));
  staff.push(...teamManagers);
  for (let i = 1; i < 40; i += 1) {
    const team = 1 + (i % 4);
    staff.push({
      ...person(),
      aadObjectId: objectId(200 + i),
      role: 'social_worker',
      team: `Children in Care Team ${team}`,
      managerEmail:
        team === 1 ? socialWorkTeamManager.email : (teamManagers[team - 2]?.email as string),
      fte: weighted(rng, [
        [1, 9],
        [0.8, 1],
      ]),
    });
  }
  staff.push({
    name: 'Data Team',
    email: 'cla.data@example.com',
    role: 'admin',
    aadObjectId: objectId(900),
    team: 'Performance',
    managerEmail: '',
    fte: 1,
  });
  const iros = staff.filter((s) => s.role === 'iro');
  const sws = staff.filter((s) => s.role === 'social_worker');

  // Where children are placed ------------------------------------------------------------------
  // Ofsted URNs of the services the council places with: its own (PR1) and others (PR4, PR5).
  const urns = (n: number) =>
    Array.from({ length: n }, () => String(between(rng, 2000000, 2999999)));
  const services = {
    fostering: { own: urns(1), other: urns(8), providers: PROVIDERS_FOSTERING },
    home: { own: urns(2), other: urns(10), providers: PROVIDERS_HOME },
    supported: { own: urns(1), other: urns(5), providers: PROVIDERS_SUPPORTED },
    adoption: { own: urns(1), other: urns(3), providers: PROVIDERS_ADOPTION },
  };
  const serviceFor = (place: string) =>
    place === 'K2'
      ? services.home
      : place === 'K3'
        ? services.supported
        : place === 'A6'
          ? services.adoption
          : services.fostering;
  const placementAt = (place: string): Placement => {
    // Placed with parents: the provider is the parents, and there is no Ofsted URN (rules 222, 550).
    if (place === 'P1') return { place, provider: 'PR0', urn: '' };
    const service = serviceFor(place);
    const provider = weighted(rng, service.providers);
    return { place, provider, urn: pick(rng, provider === 'PR1' ? service.own : service.other) };
  };
  const placeFor = (age: number, ls: string, shortBreaks: boolean): string =>
    shortBreaks
      ? weighted(rng, SHORT_BREAK_PLACES)
      : weighted(rng, [
          ['U6', 34],
          ['U4', 22],
          ['U3', 8],
          ['U1', 8],
          ['K2', age >= 11 ? 12 : 0],
          ['K3', age >= 16 ? 14 : 0], // supported accommodation from 16 (rule 371)
          ['P1', ls === 'V2' || ls === 'E1' ? 0 : 5], // never under section 20 (rule 378)
        ]);
  /** A placement that differs from the current one, as a placement move must (rule 435). */
  const newPlacement = (age: number, ls: string, shortBreaks: boolean, current?: Placement) => {
    for (;;) {
      const next = placementAt(placeFor(age, ls, shortBreaks));
      if (
        !current ||
        next.place !== current.place ||
        next.provider !== current.provider ||
        next.urn !== current.urn
      )
        return next;
    }
  };
  const recFor = (ending: Ending, last: Placement, ageAtEnd: number): string => {
    switch (ending) {
      case 'returned':
        return weighted(rng, [
          ['E4A', 50],
          ['E13', 30],
          ['E41', 10],
          ['E8', 10],
        ]);
      case 'agedOut': // on the 18th birthday: staying put (E17) only from 18 (rule 460)
        return weighted(rng, [
          ['E17', 45],
          ['E5', 25],
          ['E6', 5],
          ['E7', 5],
          ['E8', 10],
          ['E13', 10],
        ]);
      case 'adopted':
        return weighted(rng, [
          ['E11', 70],
          ['E12', 30],
        ]);
      case 'pace':
        return weighted(rng, [
          ['E8', 80],
          ['E13', 20],
        ]);
      default: {
        const fostered = ['U1', 'U3', 'U4', 'U6'].includes(last.place);
        return weighted(rng, [
          ['E4A', 34],
          ['E13', 14],
          ['E41', 10],
          // Special guardianship to former foster carers only from foster care (rule 516).
          [['U1', 'U3'].includes(last.place) ? 'E45' : 'E46', fostered ? 10 : 0],
          ['E47', 4],
          ['E48', 2],
          ['E8', 6],
          ['E3', 4],
          ['E16', 1],
          ['E5', ageAtEnd >= 16 ? 6 : 0], // independent living (rule 387)
        ]);
      }
    }
  };

  // Children, episodes and reviews -----------------------------------------------------------
  const header: string[][] = [];
  const episodes: string[][] = [];
  const reviews: string[][] = [];
  const allocations: string[][] = [];
  const usedIds = new Set<string>();
  const childId = (): string => {
    for (;;) {
      const id = `${String.fromCharCode(65 + Math.floor(rng() * 26))}${between(rng, 10000, 99999)}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  // A child of school age has a UPN; UN1 ("not yet allocated") only before that (rule 209).
  const schoolAgeFrom = `${Number(collectionYearOf(today).start.slice(0, 4)) - 1}-08-31`;
  const usedUpns = new Set<string>();
  const upnFor = (dob: LocalDate): string => {
    if (addYears(dob, 4) > schoolAgeFrom) return 'UN1';
    for (;;) {
      const entered = String((Number(dob.slice(0, 4)) + 5) % 100).padStart(2, '0');
      const digits = `999${between(rng, 2000, 4999)}${entered}${String(between(rng, 0, 999)).padStart(3, '0')}`;
      if (usedUpns.has(digits)) continue;
      usedUpns.add(digits);
      const sum = [...digits].reduce((s, c, i) => s + Number(c) * (i + 2), 0);
      return `${UPN_LETTERS[sum % 23] as string}${digits}`;
    }
  };

  let playgroundOverdue = false;
  const addChild = (periods: Period[], dob: LocalDate): void => {
    const id = childId();
    const sex = weighted(rng, [
      ['M', 52],
      ['F', 48],
    ]);
    // MOTHER is filled for girls in care, and never for short breaks only (rules 393 and 399).
    const shortBreaksOnly = periods.every((p) => p.kind === 'shortBreaks');
    header.push([
      id,
      sex,
      formatUkDate(dob),
      pick(rng, ETHNIC_MIX),
      upnFor(dob),
      sex === 'F' && !shortBreaksOnly ? '0' : '',
      '',
    ]);
    const first = pick(rng, CHILD_FIRST);
    const last = pick(rng, CHILD_LAST);
    const sw = pickSw();
    // The playground's IRO and social worker share some children, so a group chat has something to show.
    const iroEmail = sw.email === socialWorker.email && rng() < 0.5 ? iro.email : pickIro().email;
    for (const period of periods) {
      addEpisodes(id, dob, period);
      // Short breaks have no reviews in the 903 (rule 399); a PACE stay ends long before one is due.
      // The playground's IRO always has a review overdue to show, whatever the day.
      if (period.kind !== 'care') continue;
      const playground = iroEmail === iro.email;
      const leftOverdue = addReviews(id, dob, period, playground && !playgroundOverdue);
      if (playground && leftOverdue) playgroundOverdue = true;
    }
    allocations.push([id, iroEmail, sw.email, first, last]);
  };

  const iroWeights = iros.map((s) => [s, s.fte] as const);
  const pickIro = () => weighted(rng, iroWeights);
  const pickSw = () => pick(rng, sws);

  /**
   * The period's episodes: placement moves (RNE P, a new placement, the reason on the episode
   * that ends), an interim care order becoming a care order (RNE L, same placement), and for an
   * adoption a placement order and then the adoptive placement. CIN stays the same (rule 504).
   */
  const addEpisodes = (id: string, dob: LocalDate, period: Period): void => {
    const lastDay = period.end ?? today;
    const span = daysBetween(period.start, lastDay);
    const age = ageOn(dob, period.start);
    let cuts: LocalDate[];
    if (period.ending === 'adopted') {
      cuts = [
        addDays(period.start, Math.floor(span * (0.4 + rng() * 0.2))),
        addDays(period.start, Math.floor(span * (0.8 + rng() * 0.15))),
      ];
    } else {
      const changes =
        period.kind === 'care'
          ? weighted(rng, [
              [0, 5],
              [1, 3],
              [2, 2],
            ])
          : 0;
      cuts = [
        ...new Set(Array.from({ length: changes }, () => between(rng, 1, Math.max(1, span - 1)))),
      ]
        .filter((d) => d < span)
        .sort((a, b) => a - b)
        .map((d) => addDays(period.start, d));
    }
    let ls =
      period.kind === 'pace'
        ? 'J2' // PACE: only from 10 (rule 358), at most 21 days (rule 364)
        : period.kind === 'shortBreaks'
          ? 'V4'
          : period.ending === 'adopted'
            ? 'C1'
            : weighted(rng, LEGAL_STATUS);
    if (ls === 'E1' && age >= 8) ls = 'C2';
    const cin =
      period.kind === 'shortBreaks'
        ? 'N2'
        : period.kind === 'pace'
          ? 'N6'
          : weighted(rng, CATEGORY_OF_NEED);
    let placement =
      period.kind === 'pace'
        ? placementAt(pick(rng, ['U6', 'K2']))
        : newPlacement(age, ls, period.kind === 'shortBreaks');
    const rows = [{ decom: period.start, rne: 'S', ls, placement }];
    cuts.forEach((cut, k) => {
      const adoptiveHome = period.ending === 'adopted' && k === cuts.length - 1;
      if (!adoptiveHome && ls === 'C1') {
        ls = period.ending === 'adopted' ? 'E1' : 'C2';
        rows.push({ decom: cut, rne: 'L', ls, placement });
      } else {
        placement = adoptiveHome
          ? placementAt('A6')
          : newPlacement(ageOn(dob, cut), ls, false, placement);
        rows.push({ decom: cut, rne: 'P', ls, placement });
      }
    });
    rows.forEach((row, i) => {
      const next = rows[i + 1];
      const dec = next ? next.decom : period.end;
      const rec = next
        ? 'X1'
        : period.end
          ? recFor(period.ending, row.placement, ageOn(dob, period.end))
          : '';
      episodes.push([
        id,
        formatUkDate(row.decom),
        row.rne,
        row.ls,
        cin,
        row.placement.place,
        row.placement.provider,
        dec ? formatUkDate(dec) : '',
        rec,
        next?.rne === 'P' ? weighted(rng, REASON_PLACE_CHANGE) : '',
        '',
        '',
        row.placement.urn,
      ]);
    });
  };

  /**
   * The reviews held in the period; true when its latest one is left overdue. `overdue`: leave
   * overdue the review that fell due in the last 60 days, if one did.
   */
  const addReviews = (id: string, dob: LocalDate, period: Period, overdue: boolean): boolean => {
    const lastDay = period.end ?? today;
    let previous: LocalDate | null = null;
    for (let held = 0; ; held += 1) {
      const due = dueAfter(calendar, period.start, previous, held).dueDate;
      if (due > lastDay) return false;
      // Like a real service, a few reviews that fell due in the last weeks are not held yet.
      if (
        period.end === null &&
        due < today &&
        (overdue
          ? daysBetween(due, today) <= PLAYGROUND_OVERDUE_AT_MOST_DAYS
          : daysBetween(due, today) <= OVERDUE_AT_MOST_DAYS && rng() < OVERDUE_SHARE)
      )
        return true;
      const lateness = rng();
      let date: LocalDate;
      if (lateness < 0.05) date = addDays(due, between(rng, 1, 35));
      else if (lateness < 0.07)
        date = addDays(due, -between(rng, 30, 60)); // brought forward
      else date = addDays(due, -between(rng, 0, 14));
      if (previous && date <= previous) date = addDays(previous, between(rng, 7, 21));
      if (date <= period.start) date = addDays(period.start, between(rng, 5, 15));
      if (date > lastDay) return period.end === null && due < today; // held late, after today: overdue by at most 35 days
      const code: ParticipationCode = ageOn(dob, date) < 4 ? 'PN0' : weighted(rng, PN_MIX);
      reviews.push([id, formatUkDate(dob), formatUkDate(date), code]);
      previous = date;
    }
  };

  const dobFor = (start: LocalDate, mustBeUnder18On: LocalDate): LocalDate => {
    for (;;) {
      const ageDays = weighted(rng, [
        [between(rng, 0, 4 * 365), 25],
        [between(rng, 4 * 365, 11 * 365), 35],
        [between(rng, 11 * 365, 17 * 365), 40],
      ]);
      const dob = addDays(start, -ageDays);
      if (addYears(dob, 18) > mustBeUnder18On) return dob;
    }
  };
  const timeInCare = (): number =>
    weighted(rng, [
      [between(rng, 30, 180), 35],
      [between(rng, 180, 730), 40],
      [between(rng, 730, 5 * 365), 25],
    ]);

  const lookedAfter = options.childrenLookedAfter ?? 300;
  for (let i = 0; i < lookedAfter; i += 1) {
    const daysInCare = weighted(rng, [
      [between(rng, 1, 60), 12],
      [between(rng, 60, 365), 28],
      [between(rng, 365, 3 * 365), 32],
      [between(rng, 3 * 365, 8 * 365), 28],
    ]);
    const start = addDays(today, -daysInCare);
    const dob = dobFor(start, addDays(today, 1));
    const periods: Period[] = [];
    if (rng() < 0.05) {
      const earlierEnd = addDays(start, -between(rng, 60, 400));
      const earlierStart = addDays(earlierEnd, -between(rng, 90, 500));
      if (earlierStart > dob)
        periods.push({ start: earlierStart, end: earlierEnd, kind: 'care', ending: 'returned' });
    }
    periods.push({ start, end: null, kind: 'care', ending: 'open' });
    addChild(periods, dob);
  }
  // Short-break arrangements (V4) began in the last 12 weeks: their reviews cannot be in the 903
  // Reviews file (rule 399), so an older arrangement would show its first review (due 3 months
  // after the first break, Regulation 48) as overdue for months.
  for (let i = 0; i < Math.round(lookedAfter * 0.03); i += 1) {
    const start = addDays(today, -between(rng, 14, 84));
    addChild(
      [{ start, end: null, kind: 'shortBreaks', ending: 'open' }],
      dobFor(start, addDays(today, 1)),
    );
  }
  const leftCare = options.childrenLeftCare ?? 420;
  const leftCareDays = (options.leftCareYears ?? 3) * 365;
  for (let i = 0; i < leftCare; i += 1) {
    const end = addDays(today, -between(rng, 1, leftCareDays));
    const ending = weighted<Ending>(rng, [
      ['left', 60],
      ['agedOut', 28],
      ['adopted', 10],
      ['pace', 2],
    ]);
    if (ending === 'agedOut') {
      const dob = addYears(end, -18);
      const start = maxDate(addDays(end, -timeInCare()), addYears(dob, 12));
      addChild([{ start, end, kind: 'care', ending }], dob);
    } else if (ending === 'adopted') {
      const start = addDays(end, -between(rng, 300, 3 * 365));
      addChild([{ start, end, kind: 'care', ending }], addDays(start, -between(rng, 0, 4 * 365)));
    } else if (ending === 'pace') {
      const start = addDays(end, -between(rng, 1, 3));
      const dob = addDays(start, -between(rng, 11 * 365 + 5, 17 * 365));
      addChild([{ start, end, kind: 'pace', ending }], dob);
    } else {
      const start = addDays(end, -timeInCare());
      addChild([{ start, end, kind: 'care', ending }], dobFor(start, end));
    }
  }

  const csv = (columns: readonly string[], rows: string[][]) =>
    `${[columns, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
  return {
    'Header.csv': csv(EXTRACT_COLUMNS['Header.csv'], header),
    'Episodes.csv': csv(EXTRACT_COLUMNS['Episodes.csv'], episodes),
    'Reviews.csv': csv(EXTRACT_COLUMNS['Reviews.csv'], reviews),
    // By column name: the demo leaves blank the optional columns it does not fill (SW_ID), and
    // LEVEL for everyone but managers.
    'Staff.csv': csv(
      EXTRACT_COLUMNS['Staff.csv'],
      staff.map((s) => {
        const row: Record<string, string> = {
          EMAIL: s.email,
          NAME: s.name,
          ROLE: s.role,
          AAD_OBJECT_ID: s.aadObjectId,
          TEAM: s.team,
          MANAGER_EMAIL: s.managerEmail,
          FTE: String(s.fte),
          LEVEL: s.level ?? '',
        };
        return EXTRACT_COLUMNS['Staff.csv'].map((c) => row[c] ?? '');
      }),
    ),
    'Allocations.csv': csv(EXTRACT_COLUMNS['Allocations.csv'], allocations),
  };
}
