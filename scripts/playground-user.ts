/**
 * Who you are in `npm run playground`: PLAYGROUND_USER names one of the six Agents Playground
 * users that the demo council gives a role, and the playground's config is rewritten so that this
 * person is its `currentUser`. Pure: scripts/playground.ts reads the environment and the files.
 */
import { PLAYGROUND_USERS } from '../src/demo/demo-council.js';

export interface PlaygroundPerson {
  /** Lower-case first name, the usual value of PLAYGROUND_USER. */
  readonly key: string;
  readonly name: string;
  readonly email: string;
  readonly aadObjectId: string;
  /** Role names that also choose this person (lower case, words joined by "-"). */
  readonly roles: readonly string[];
  /** What the demo council makes of them, for "you are ...". */
  readonly description: string;
}

const person = (
  user: { name: string; email: string; aadObjectId: string },
  roles: readonly string[],
  description: string,
): PlaygroundPerson => ({
  key: user.name.split(' ')[0]?.toLowerCase() ?? user.name.toLowerCase(),
  name: user.name,
  email: user.email,
  aadObjectId: user.aadObjectId,
  roles,
  description,
});

/** The six people, in the order the choices are listed; the first is the default. */
export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  person(PLAYGROUND_USERS.iro, ['iro'], 'an IRO in the IRO Service'),
  person(
    PLAYGROUND_USERS.socialWorker,
    ['social-worker', 'sw'],
    'a social worker in Children in Care Team 1',
  ),
  person(
    PLAYGROUND_USERS.teamManager,
    ['team-manager', 'iro-team-manager'],
    'team manager of the IRO Service',
  ),
  person(
    PLAYGROUND_USERS.serviceManager,
    ['service-manager'],
    "service manager of Children's Social Care",
  ),
  person(PLAYGROUND_USERS.headOfService, ['head-of-service'], 'head of service'),
  person(
    PLAYGROUND_USERS.socialWorkTeamManager,
    ['sw-team-manager', 'social-work-team-manager'],
    'team manager of Children in Care Team 1',
  ),
];

export type PlaygroundChoice =
  { ok: true; person: PlaygroundPerson } | { ok: false; message: string };

const normalise = (text: string): string =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/** The choices, for messages: "alex (iro), megan (social-worker, sw), ...". */
export function playgroundChoices(): string {
  return PLAYGROUND_PEOPLE.map((p) => `${p.key} (${p.roles.join(', ')})`).join(', ');
}

/**
 * Chooses the playground user from PLAYGROUND_USER: a first name, a full name, an e-mail address
 * or a role, in any case. Unset or blank means Alex Wilber, the IRO.
 */
export function choosePlaygroundUser(value: string | undefined): PlaygroundChoice {
  const wanted = normalise(value ?? '');
  const fallback = PLAYGROUND_PEOPLE[0];
  if (wanted === '' && fallback) return { ok: true, person: fallback };
  const found = PLAYGROUND_PEOPLE.find(
    (p) =>
      p.key === wanted ||
      normalise(p.name) === wanted ||
      p.email === wanted ||
      p.roles.includes(wanted),
  );
  if (found) return { ok: true, person: found };
  return {
    ok: false,
    message: `PLAYGROUND_USER "${value?.trim() ?? ''}" is not a playground user: use one of ${playgroundChoices()}`,
  };
}

interface UserBlock {
  /** Index of the block's first line and one past its last. */
  readonly start: number;
  readonly end: number;
  /** `key: value` pairs in file order, values as written. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

const FIELD = /^(\w+):\s?(.*)$/;

function readBlock(lines: string[], start: number, first: string, rest: string): UserBlock {
  const fields: Array<readonly [string, string]> = [];
  let end = start;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    const indent = end === start ? first : rest;
    if (!line.startsWith(indent)) break;
    const match = FIELD.exec(line.slice(indent.length));
    if (!match) break;
    fields.push([match[1] ?? '', match[2] ?? '']);
  }
  return { start, end, fields };
}

const fieldOf = (block: UserBlock, key: string): string | undefined =>
  block.fields.find(([k]) => k === key)?.[1];

const unquote = (value: string): string => value.trim().replace(/^(["'])(.*)\1$/, '$2');

function writeBlock(fields: UserBlock['fields'], first: string, rest: string): string[] {
  return fields.map(([key, value], i) => `${i === 0 ? first : rest}${key}: ${value}`);
}

/**
 * The playground config (the text of .m365agentsplayground.yml) with `person` as its currentUser:
 * their entry in `users` and the current user's swap places, so all six stay (the playground
 * stops when a user it expects is missing) and each keeps their own Teams user id. Throws when
 * the file no longer has the shape this expects (a `currentUser:` block and a `users:` list).
 */
export function playgroundConfigFor(configText: string, chosen: PlaygroundPerson): string {
  const lines = configText.split('\n');
  const currentAt = lines.indexOf('currentUser:');
  const usersAt = lines.indexOf('users:');
  if (currentAt < 0 || usersAt < 0) {
    throw new Error('the playground config has no "currentUser:" block or no "users:" list');
  }
  const current = readBlock(lines, currentAt + 1, '  ', '  ');
  const users: UserBlock[] = [];
  for (let at = usersAt + 1; (lines[at] ?? '').startsWith('  - ');) {
    const block = readBlock(lines, at, '  - ', '    ');
    users.push(block);
    at = block.end;
  }
  const isChosen = (block: UserBlock) =>
    unquote(fieldOf(block, 'aadObjectId') ?? '') === chosen.aadObjectId;
  if (isChosen(current)) return configText;
  const other = users.find(isChosen);
  if (!other) {
    throw new Error(
      `the playground config lists no user with aadObjectId ${chosen.aadObjectId} (${chosen.name})`,
    );
  }
  const replacements = new Map<number, { end: number; lines: string[] }>([
    [current.start, { end: current.end, lines: writeBlock(other.fields, '  ', '  ') }],
    [other.start, { end: other.end, lines: writeBlock(current.fields, '  - ', '    ') }],
  ]);
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    const replacement = replacements.get(i);
    if (replacement) {
      out.push(...replacement.lines);
      i = replacement.end;
    } else {
      out.push(lines[i] ?? '');
      i += 1;
    }
  }
  return out.join('\n');
}
