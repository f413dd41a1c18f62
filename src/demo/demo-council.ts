import {
  addDays,
  addYears,
  ageOn,
  daysBetween,
  formatUkDate,
  type LocalDate,
} from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import { dueAfter } from '../domain/review-schedule.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { EXTRACT_COLUMNS, type ExtractFileName } from '../app/import/extract.js';

/**
 * A believable synthetic council (about 300 children looked after, 14 IROs, 40 social workers,
 * an IRO team manager and a service manager, years of reviews with realistic lateness and
 * participation), written as the council's own CSV files so the demo goes through the same import
 * as real data. Every name is made up. The default users of Microsoft 365 Agents Playground get a
 * role each: ...0020 IRO, ...0021 social worker, ...0022 team manager (IRO service), ...0023
 * service manager, and ...0024 head of service and ...0025 a social work team manager, so that
 * everyone in the playground's group chat is known.
 */
export interface DemoOptions {
  today: LocalDate;
  calendar: WorkingCalendar;
  seed?: number;
  childrenLookedAfter?: number;
  childrenLeftCare?: number;
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

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function weighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [value, w] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return (options.at(-1) as readonly [T, number])[0];
}

function between(rng: Rng, min: number, max: number): number {
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
}

interface Period {
  start: LocalDate;
  end: LocalDate | null;
  shortBreak: boolean;
}

const PN_MIX: readonly (readonly [ParticipationCode, number])[] = [
  ['PN1', 44],
  ['PN2', 3],
  ['PN3', 4],
  ['PN4', 4],
  ['PN5', 5],
  ['PN6', 30],
  ['PN7', 10],
];
const LEGAL_STATUS: readonly (readonly [string, number])[] = [
  ['C2', 55],
  ['V2', 20],
  ['C1', 12],
  ['E1', 6],
  ['D1', 4],
  ['J2', 3],
];
const LEFT_CARE_REC = ['E11', 'E13', 'E41', 'E45', 'E8', 'E17', 'E4A'];
const PLACEMENTS = ['U1', 'U3', 'U4', 'U5', 'U6', 'R1', 'K2', 'P1', 'H5'];

export function demoCouncilExtract(options: DemoOptions): Record<ExtractFileName, string> {
  const rng = mulberry32(options.seed ?? 20261123);
  const { today, calendar } = options;
  const objectId = (n: number) => `d3a0c0de-0000-4000-8000-${String(n).padStart(12, '0')}`;

  // Staff ----------------------------------------------------------------------------------
  const staff: StaffRow[] = [];
  const usedNames = new Set<string>();
  const person = (): { name: string; email: string } => {
    for (;;) {
      const first = pick(rng, STAFF_FIRST);
      const last = pick(rng, STAFF_LAST);
      const name = `${first} ${last}`;
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      return { name, email: `${first}.${last}@example.com`.toLowerCase() };
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
  });
  staff.push({
    ...serviceManager,
    role: 'service_manager',
    team: "Children's Social Care",
    managerEmail: headOfService.email,
    fte: 1,
  });
  staff.push({
    ...socialWorkTeamManager,
    role: 'team_manager',
    team: 'Children in Care Team 1',
    managerEmail: serviceManager.email,
    fte: 1,
  });
  staff.push({
    ...teamManager,
    role: 'team_manager',
    team: 'IRO Service',
    managerEmail: serviceManager.email,
    fte: 1,
  });
  staff.push({ ...iro, role: 'iro', team: 'IRO Service', managerEmail: teamManager.email, fte: 1 });
  for (let i = 1; i < 14; i += 1) {
    staff.push({
      ...person(),
      aadObjectId: objectId(100 + i),
      role: 'iro',
      team: 'IRO Service',
      managerEmail: teamManager.email,
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
  for (let i = 1; i < 40; i += 1) {
    const team = 1 + (i % 4);
    staff.push({
      ...person(),
      aadObjectId: objectId(200 + i),
      role: 'social_worker',
      team: `Children in Care Team ${team}`,
      managerEmail: team === 1 ? socialWorkTeamManager.email : serviceManager.email,
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

  const addChild = (periods: Period[], dob: LocalDate): void => {
    const id = childId();
    header.push([
      id,
      String(between(rng, 1, 2)),
      formatUkDate(dob),
      pick(rng, ['WBRI', 'WBRI', 'WBRI', 'MWBC', 'BAFR', 'BCRB', 'AOTH', 'WOTH']),
      '',
      '',
      '',
    ]);
    for (const period of periods) {
      addEpisodes(id, period);
      if (!period.shortBreak) addReviews(id, dob, period);
    }
    const first = pick(rng, CHILD_FIRST);
    const last = pick(rng, CHILD_LAST);
    const sw = pickSw();
    // The playground's IRO and social worker share some children, so a group chat has something to show.
    const iroEmail = sw.email === socialWorker.email && rng() < 0.5 ? iro.email : pickIro().email;
    allocations.push([id, iroEmail, sw.email, first, last]);
  };

  const iroWeights = iros.map((s) => [s, s.fte] as const);
  const pickIro = () => weighted(rng, iroWeights);
  const pickSw = () => pick(rng, sws);

  const addEpisodes = (id: string, period: Period): void => {
    const lastDay = period.end ?? today;
    const changes = period.shortBreak
      ? 0
      : weighted(rng, [
          [0, 5],
          [1, 3],
          [2, 2],
        ]);
    const span = daysBetween(period.start, lastDay);
    const cuts = [
      ...new Set(Array.from({ length: changes }, () => between(rng, 1, Math.max(1, span - 1)))),
    ]
      .filter((d) => d < span)
      .sort((a, b) => a - b)
      .map((d) => addDays(period.start, d));
    const starts = [period.start, ...cuts];
    const ls = period.shortBreak ? pick(rng, ['V3', 'V4']) : weighted(rng, LEGAL_STATUS);
    starts.forEach((decom, i) => {
      const next = starts[i + 1];
      const isLast = next === undefined;
      const dec = isLast ? period.end : next;
      const rec = isLast ? (period.end ? pick(rng, LEFT_CARE_REC) : '') : 'X1';
      episodes.push([
        id,
        formatUkDate(decom),
        i === 0 ? 'S' : pick(rng, ['P', 'P', 'T', 'U']),
        ls,
        `N${between(rng, 1, 8)}`,
        pick(rng, PLACEMENTS),
        `PR${between(rng, 1, 4)}`,
        dec ? formatUkDate(dec) : '',
        rec,
        i === 0 ? '' : pick(rng, ['CARPL', 'CLOSE', 'ALLEG', 'STAND']),
        '',
        '',
        '',
      ]);
    });
  };

  const addReviews = (id: string, dob: LocalDate, period: Period): void => {
    const lastDay = period.end ?? today;
    let previous: LocalDate | null = null;
    for (let held = 0; ; held += 1) {
      const due = dueAfter(calendar, period.start, previous, held).dueDate;
      if (due > lastDay && period.end === null) return;
      if (period.end !== null && due > period.end) return;
      if (due <= today && period.end === null && rng() < 0.025) return; // overdue, not yet held
      const lateness = rng();
      let date: LocalDate;
      if (lateness < 0.05) date = addDays(due, between(rng, 1, 35));
      else if (lateness < 0.07)
        date = addDays(due, -between(rng, 30, 60)); // brought forward
      else date = addDays(due, -between(rng, 0, 14));
      if (previous && date <= previous) date = addDays(previous, between(rng, 7, 21));
      if (date <= period.start) date = addDays(period.start, between(rng, 5, 15));
      if (date > lastDay) return;
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
        periods.push({ start: earlierStart, end: earlierEnd, shortBreak: false });
    }
    periods.push({ start, end: null, shortBreak: false });
    addChild(periods, dob);
  }
  for (let i = 0; i < Math.round(lookedAfter * 0.03); i += 1) {
    const start = addDays(today, -between(rng, 30, 700));
    addChild([{ start, end: null, shortBreak: true }], dobFor(start, addDays(today, 1)));
  }
  const leftCare = options.childrenLeftCare ?? 420;
  for (let i = 0; i < leftCare; i += 1) {
    const end = addDays(today, -between(rng, 1, 3 * 365));
    const start = addDays(
      end,
      -weighted(rng, [
        [between(rng, 30, 180), 35],
        [between(rng, 180, 730), 40],
        [between(rng, 730, 5 * 365), 25],
      ]),
    );
    addChild([{ start, end, shortBreak: false }], dobFor(start, end));
  }

  const csv = (columns: readonly string[], rows: string[][]) =>
    `${[columns, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
  return {
    'Header.csv': csv(EXTRACT_COLUMNS['Header.csv'], header),
    'Episodes.csv': csv(EXTRACT_COLUMNS['Episodes.csv'], episodes),
    'Reviews.csv': csv(EXTRACT_COLUMNS['Reviews.csv'], reviews),
    'Staff.csv': csv(
      EXTRACT_COLUMNS['Staff.csv'],
      staff.map((s) => [
        s.email,
        s.name,
        s.role,
        s.aadObjectId,
        s.team,
        s.managerEmail,
        String(s.fte),
      ]),
    ),
    'Allocations.csv': csv(EXTRACT_COLUMNS['Allocations.csv'], allocations),
  };
}
