import type { Kysely } from 'kysely';
import { formatUkDate, type LocalDate } from '../../src/domain/local-date.js';
import type { Database } from '../../src/store/database.js';
import { testLogDir, watchFor, type Watched } from './test-log.js';

/** Free text shorter than this is too common to search logs for (a decision "None"). */
const SHORTEST_FREE_TEXT = 10;

/**
 * Before a test server's store closes: its children's names and dates of birth, and the free
 * text people typed (decisions, progress notes, reasons for a change), for the check after the
 * run that no log carries them.
 */
export async function watchStore(db: Kysely<Database>): Promise<void> {
  if (!testLogDir()) return;
  const watched: Watched[] = [];
  const children = await db
    .selectFrom('children')
    .select(['firstName', 'lastName', 'dob'])
    .execute();
  for (const c of children) {
    for (const name of [c.firstName, c.lastName]) {
      if (name) watched.push({ kind: 'name', value: name });
    }
    if (c.dob) {
      watched.push({ kind: 'date of birth', value: c.dob });
      watched.push({ kind: 'date of birth', value: formatUkDate(c.dob as LocalDate) });
    }
  }
  const texts = [
    ...(await db.selectFrom('reviewDecisions').select('description as text').execute()),
    ...(await db.selectFrom('decisionProgress').select('note as text').execute()),
    ...(await db.selectFrom('escalationSteps').select('note as text').execute()),
    ...(await db.selectFrom('reviews').select('changeReason as text').execute()),
  ];
  for (const { text } of texts) {
    if (text && text.trim().length >= SHORTEST_FREE_TEXT) {
      watched.push({ kind: 'free text', value: text.trim() });
    }
  }
  watchFor(dedupe(watched));
}

function dedupe(watched: Watched[]): Watched[] {
  const seen = new Map<string, Watched>();
  for (const w of watched) seen.set(`${w.kind}\u0000${w.value}`, w);
  return [...seen.values()];
}
