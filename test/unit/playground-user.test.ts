import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  choosePlaygroundUser,
  PLAYGROUND_PEOPLE,
  playgroundConfigFor,
  type PlaygroundPerson,
} from '../../scripts/playground-user.js';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';

const committed = readFileSync(new URL('../../.m365agentsplayground.yml', import.meta.url), 'utf8');

function chosen(value: string | undefined): PlaygroundPerson {
  const choice = choosePlaygroundUser(value);
  if (!choice.ok) throw new Error(choice.message);
  return choice.person;
}

/** The `currentUser:` block's fields and each `users:` entry, read with plain regexes. */
function usersIn(configText: string) {
  const block = /^currentUser:\n((?: {2}\w+: .*\n)+)/m.exec(configText)?.[1] ?? '';
  const field = (text: string, key: string) =>
    new RegExp(`^\\s*(?:- )?${key}: (.*)$`, 'm').exec(text)?.[1];
  const list = /^users:\n((?: {2}- \w+: .*\n(?: {4}\w+: .*\n)*)+)/m.exec(configText)?.[1] ?? '';
  const entries = list.split(/^(?= {2}- )/m).filter(Boolean);
  return {
    current: {
      name: field(block, 'name'),
      id: field(block, 'id'),
      aad: field(block, 'aadObjectId'),
    },
    others: entries.map((e) => ({
      name: field(e, 'name'),
      id: field(e, 'id'),
      aad: field(e, 'aadObjectId'),
    })),
  };
}

describe('choosing the playground user from PLAYGROUND_USER', () => {
  it.each([
    [undefined, PLAYGROUND_USERS.iro],
    ['', PLAYGROUND_USERS.iro],
    ['  ', PLAYGROUND_USERS.iro],
    ['alex', PLAYGROUND_USERS.iro],
    ['megan', PLAYGROUND_USERS.socialWorker],
    ['Megan', PLAYGROUND_USERS.socialWorker],
    [' MEGAN ', PLAYGROUND_USERS.socialWorker],
    ['adele', PLAYGROUND_USERS.teamManager],
    ['isaiah', PLAYGROUND_USERS.serviceManager],
    ['Patti', PLAYGROUND_USERS.headOfService],
    ['lynne', PLAYGROUND_USERS.socialWorkTeamManager],
    ['Megan Bowen', PLAYGROUND_USERS.socialWorker],
    ['MeganB@example.com', PLAYGROUND_USERS.socialWorker],
    ['iro', PLAYGROUND_USERS.iro],
    ['IRO', PLAYGROUND_USERS.iro],
    ['sw', PLAYGROUND_USERS.socialWorker],
    ['social-worker', PLAYGROUND_USERS.socialWorker],
    ['social_worker', PLAYGROUND_USERS.socialWorker],
    ['social worker', PLAYGROUND_USERS.socialWorker],
    ['team-manager', PLAYGROUND_USERS.teamManager],
    ['service-manager', PLAYGROUND_USERS.serviceManager],
    ['head-of-service', PLAYGROUND_USERS.headOfService],
    ['sw-team-manager', PLAYGROUND_USERS.socialWorkTeamManager],
  ])('%j is %s', (value, expected) => {
    expect(chosen(value)).toMatchObject({
      name: expected.name,
      aadObjectId: expected.aadObjectId,
    });
  });

  it.each(['bob', 'megan2', 'manager', 'alex wilber smith'])(
    'refuses %j in one line that lists every choice',
    (value) => {
      const choice = choosePlaygroundUser(value);
      expect(choice.ok).toBe(false);
      if (choice.ok) return;
      expect(choice.message).not.toContain('\n');
      expect(choice.message).toContain(`"${value}"`);
      expect(choice.message).toContain(
        'alex (iro), megan (social-worker, sw), adele (team-manager, iro-team-manager), ' +
          'isaiah (service-manager), patti (head-of-service), ' +
          'lynne (sw-team-manager, social-work-team-manager)',
      );
    },
  );

  it('offers the six people the demo council gives a role, each once', () => {
    expect(PLAYGROUND_PEOPLE.map((p) => p.aadObjectId).sort()).toEqual(
      Object.values(PLAYGROUND_USERS)
        .map((u) => u.aadObjectId)
        .sort(),
    );
    const names = PLAYGROUND_PEOPLE.flatMap((p) => [p.key, ...p.roles]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the playground config for the chosen user', () => {
  it('is the committed file itself for Alex, who is its currentUser', () => {
    expect(usersIn(committed).current.name).toBe(PLAYGROUND_USERS.iro.name);
    expect(playgroundConfigFor(committed, chosen('alex'))).toBe(committed);
  });

  it.each(PLAYGROUND_PEOPLE.map((p) => [p.key, p] as const))(
    'makes %s the current user and keeps all six users with their own ids',
    (_key, person) => {
      const before = usersIn(committed);
      const after = usersIn(playgroundConfigFor(committed, person));
      expect(after.current).toMatchObject({ name: person.name, aad: person.aadObjectId });
      const everyone = (u: typeof before) => [u.current, ...u.others];
      expect(everyone(after)).toHaveLength(6);
      const byAad = (u: typeof before) =>
        Object.fromEntries(everyone(u).map((x) => [x.aad, `${x.id} ${x.name}`]));
      expect(byAad(after)).toEqual(byAad(before));
    },
  );

  it('changes only the two swapped users', () => {
    const before = committed.split('\n');
    const after = playgroundConfigFor(committed, chosen('lynne')).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [line.trim()]));
    expect(changed).toEqual([
      'id: user-id-5',
      'name: Lynne Robbins',
      'userPrincipleName: lynner@example.com',
      'aadObjectId: 00000000-0000-0000-0000-0000000000025',
      'givenName: Lynne',
      'surname: Robbins',
      'email: lynner@example.com',
      '- id: user-id-0',
      'name: Alex Wilber',
      'userPrincipleName: alexw@example.com',
      'aadObjectId: 00000000-0000-0000-0000-0000000000020',
      'givenName: Alex',
      'surname: Wilber',
      'email: alexw@example.com',
    ]);
  });

  it('says so when the file no longer lists the chosen user', () => {
    const withoutMegan = committed.replace(/^ {2}- id: user-id-1\n(?: {4}\w+: .*\n)+/m, '');
    expect(withoutMegan).not.toContain('name: Megan Bowen');
    expect(() => playgroundConfigFor(withoutMegan, chosen('megan'))).toThrow(
      /no user with aadObjectId 00000000-0000-0000-0000-0000000000021 \(Megan Bowen\)/,
    );
    expect(() => playgroundConfigFor('version: "0.1.1"\n', chosen('megan'))).toThrow(
      /no "currentUser:" block/,
    );
  });
});
