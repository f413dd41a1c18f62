import { describe, expect, it } from 'vitest';
import { stageResponders } from '../../../src/app/alerts/alert-journey.js';
import type { StaffLevel } from '../../../src/app/import/extract.js';
import type { StaffMember } from '../../../src/app/ports.js';

/**
 * A staff list from a chain written bottom up: the social worker first, each next one their
 * manager; `tm:team_manager` gives a level, `tm` none.
 */
function chainOf(...people: string[]): StaffMember[] {
  return people.map((text, i) => {
    const [key = '', level] = text.split(':');
    const above = people[i + 1]?.split(':')[0];
    return {
      email: `${key}@example.com`,
      name: key,
      role: i === 0 ? 'social_worker' : 'team_manager',
      aadObjectId: null,
      team: null,
      managerEmail: above ? `${above}@example.com` : null,
      fte: 1,
      swId: null,
      level: (level ?? null) as StaffLevel | null,
    };
  });
}

/** Who has each stage, by key (undefined: nobody). */
function stages(staff: StaffMember[]) {
  const r = stageResponders('sw@example.com', staff);
  const key = (e: string | null) => e?.split('@')[0];
  return [key(r.informal), key(r.formal), key(r.head_of_service)];
}

describe('who answers each stage of a practice alert', () => {
  it.each([
    [
      'no levels: one step up each stage, as before',
      ['sw', 'tm', 'sm', 'x', 'y'],
      ['tm', 'sm', 'x'],
    ],
    ['no levels, a short chain', ['sw', 'tm', 'sm'], ['tm', 'sm', undefined]],
    [
      'an even chain',
      ['sw', 'tm:team_manager', 'sm:service_manager', 'hos:head_of_service', 'd:director'],
      ['tm', 'sm', 'hos'],
    ],
    [
      // Three steps up is the second service manager: the head of service stage passes them.
      'an extra layer: the head of service stage skips a second service manager',
      [
        'sw',
        'tm:team_manager',
        'sm:service_manager',
        'gm:service_manager',
        'hos:head_of_service',
        'd:director',
      ],
      ['tm', 'sm', 'hos'],
    ],
    [
      'an extra layer with no level: the head of service stage skips them for a marked head',
      ['sw', 'tm:team_manager', 'sm:service_manager', 'x', 'hos:head_of_service'],
      ['tm', 'sm', 'hos'],
    ],
    [
      // Decided: nobody at service manager level is between them, so the head of service has
      // the formal stage; the head of service stage is theirs too (never given to the director
      // above, nor down the chain).
      'a team manager reporting straight to the head of service: both later stages go to them',
      ['sw', 'tm:team_manager', 'hos:head_of_service', 'd:director'],
      ['tm', 'hos', 'hos'],
    ],
    [
      'a second team manager is passed over for the formal stage',
      ['sw', 'tm:team_manager', 'tm2:team_manager', 'sm:service_manager', 'hos:head_of_service'],
      ['tm', 'sm', 'hos'],
    ],
    [
      'no head of service in the chain: the assistant director above has it',
      ['sw', 'tm:team_manager', 'sm:service_manager', 'ad:assistant_director', 'd:director'],
      ['tm', 'sm', 'ad'],
    ],
    [
      'a team manager reporting straight to a director: both later stages go to the director',
      ['sw', 'tm:team_manager', 'd:director'],
      ['tm', 'd', 'd'],
    ],
    [
      'only the heads of service marked: the formal stage stays at the 2nd step',
      ['sw', 'tm', 'sm', 'gm', 'hos:head_of_service'],
      ['tm', 'sm', 'hos'],
    ],
    [
      'nobody marked head of service or above: the 3rd step, if not marked lower',
      ['sw', 'tm:team_manager', 'sm:service_manager', 'x'],
      ['tm', 'sm', 'x'],
    ],
    [
      'nobody above the service managers but service managers: nobody, never someone below',
      ['sw', 'tm:team_manager', 'sm:service_manager', 'gm:service_manager'],
      ['tm', 'sm', undefined],
    ],
  ])('%s', (_, people, expected) => {
    expect(stages(chainOf(...people))).toEqual(expected);
  });

  it('stops where MANAGER_EMAIL loops back', () => {
    const staff = chainOf('sw', 'tm', 'sm');
    const sm = staff[2];
    if (sm) sm.managerEmail = 'tm@example.com';
    expect(stages(staff)).toEqual(['tm', 'sm', undefined]);
  });
});
