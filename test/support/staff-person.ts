import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../src/store/database.js';
import type { TeamsUser } from './teams-activities.js';

/** A member of staff from the store, as a test plays them in Teams. */
export interface StaffPerson {
  email: string;
  name: string;
  aadObjectId: string;
}

/** The stored member of staff with this e-mail address, who must have an Entra object id. */
export async function staffPerson(db: Kysely<Database>, email: string): Promise<StaffPerson> {
  const row = await db
    .selectFrom('staff')
    .select(['email', 'name', 'aadObjectId'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  expect(row.aadObjectId, email).toBeTruthy();
  return { ...row, aadObjectId: row.aadObjectId as string };
}

/** The Teams user a test sends as, for this member of staff. */
export function teamsUserOf(id: string, person: StaffPerson): TeamsUser {
  return { id, name: person.name, aadObjectId: person.aadObjectId };
}
