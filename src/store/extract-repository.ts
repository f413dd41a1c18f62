import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import type { Extract } from '../app/import/extract.js';
import type { ExtractWriter, ImportCounts, ImportProgress, ImportSummary } from '../app/ports.js';
import type { Database } from './database.js';
import { appendAudit, type AuditEntry } from './audit.js';
import { createPgCaseReader } from './case-repository.js';
import { refreshReviewState } from './review-state-repository.js';

const CHUNK = 500;

type Progress = ((progress: ImportProgress) => void) | undefined;
type Trx = Transaction<Database>;

function counts(): ImportCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Upserts rows in chunks. `returning` tells for each written row whether it was new
 * (`xmax = 0`); rows whose values did not change are not written at all (the `where` on the
 * conflict update), so re-importing the same extract changes nothing and audits nothing.
 */
async function upsertInChunks<Row>(
  rows: readonly Row[],
  step: string,
  onProgress: Progress,
  write: (chunk: Row[]) => Promise<{ key: string; inserted: boolean }[]>,
  onWritten: (written: { key: string; inserted: boolean }[]) => void,
): Promise<ImportCounts> {
  const result = counts();
  let done = 0;
  for (const chunk of chunks(rows)) {
    const written = await write(chunk);
    for (const w of written) {
      if (w.inserted) result.inserted += 1;
      else result.updated += 1;
    }
    result.unchanged += chunk.length - written.length;
    onWritten(written);
    done += chunk.length;
    onProgress?.({ step, done, total: rows.length });
  }
  return result;
}

export function createPgExtractWriter(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
): ExtractWriter {
  return {
    async childIds() {
      return (await db.selectFrom('children').select('childId').execute()).map((c) => c.childId);
    },

    async saveExtract(extract, context, onProgress) {
      const saved = await db.transaction().execute(async (trx) => {
        const audit: AuditEntry[] = [];
        const note =
          (entity: string, detail: Record<string, unknown>) =>
          (w: { key: string; inserted: boolean }[]) => {
            for (const row of w) {
              audit.push({
                action: row.inserted ? 'import.insert' : 'import.update',
                entity,
                entityId: row.key,
                detail,
              });
            }
          };
        const summary: ImportSummary = {
          staff: await saveStaff(trx, extract, onProgress, note('staff', { file: 'Staff.csv' })),
          children: await saveChildren(
            trx,
            extract,
            onProgress,
            note('child', { file: 'Header.csv' }),
          ),
          episodes: await saveEpisodes(
            trx,
            extract,
            onProgress,
            note('episode', { file: 'Episodes.csv' }),
          ),
          reviews: await saveReviews(
            trx,
            extract,
            onProgress,
            note('review', { file: 'Reviews.csv' }),
          ),
          allocations: await saveAllocations(trx, extract, context.today, audit),
        };
        const childIds = extract.children.map((c) => c.childId);
        onProgress?.({ step: 'due dates', done: 0, total: childIds.length });
        await refreshReviewState(trx, calendar, childIds);
        onProgress?.({ step: 'due dates', done: childIds.length, total: childIds.length });
        audit.push({
          action: 'import.completed',
          entity: 'extract',
          entityId: context.today,
          detail: { ...summary },
        });
        await appendAudit(trx, context, audit);
        // The lists' own query, inside this transaction: current children with no known due date.
        const status = await createPgCaseReader(trx).listReviewStatus({
          today: context.today,
          childIds,
        });
        const dueUnknown = status.filter((c) => c.nextDueOn === null).map((c) => c.childId);
        return { summary, dueUnknown };
      });
      // Fresh planner statistics after a bulk change: PGlite has no autovacuum to gather them,
      // and without them the lists' queries scan whole tables (PostgreSQL skips tables the
      // app's role does not own, with a warning).
      await sql`analyze`.execute(db);
      return saved;
    },
  };
}

function saveStaff(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
) {
  return upsertInChunks(
    extract.staff,
    'Staff.csv',
    onProgress,
    async (chunk) => {
      const rows = await trx
        .insertInto('staff')
        .values(chunk.map((s) => ({ ...s })))
        .onConflict((oc) =>
          oc.column('email').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            role: eb.ref('excluded.role'),
            aadObjectId: eb.ref('excluded.aadObjectId'),
            team: eb.ref('excluded.team'),
            managerEmail: eb.ref('excluded.managerEmail'),
            fte: eb.ref('excluded.fte'),
            swId: eb.ref('excluded.swId'),
            updatedAt: sql`now()`,
          }))
            .where(sql<boolean>`(staff.name, staff.role, staff.aad_object_id, staff.team, staff.manager_email, staff.fte, staff.sw_id)
            is distinct from (excluded.name, excluded.role, excluded.aad_object_id, excluded.team, excluded.manager_email, excluded.fte, excluded.sw_id)`),
        )
        .returning(['email as key', sql<boolean>`xmax = 0`.as('inserted')])
        .execute();
      return rows;
    },
    onWritten,
  );
}

function saveChildren(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
) {
  const names = new Map(extract.allocations.map((a) => [a.childId, a]));
  const previous = new Map(extract.previousReviews.map((p) => [p.childId, p]));
  const rows = extract.children.map((c) => ({
    ...c,
    firstName: names.get(c.childId)?.firstName ?? null,
    lastName: names.get(c.childId)?.lastName ?? null,
    reviewsKnownFrom: extract.reviewsKnownFrom,
    previousReviewOn: previous.get(c.childId)?.heldOn ?? null,
    previousReviewNumber: previous.get(c.childId)?.number ?? null,
  }));
  // Reviews are known from the earlier of what the store knew and what this extract holds; the
  // council's last review before the extract is kept until a later file gives another.
  const knownFrom = sql<
    string | null
  >`case when children.reviews_known_from is null or excluded.reviews_known_from is null
    then null else least(children.reviews_known_from, excluded.reviews_known_from) end`;
  return upsertInChunks(
    rows,
    'Header.csv',
    onProgress,
    (chunk) =>
      trx
        .insertInto('children')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('childId').doUpdateSet((eb) => ({
            sex: eb.ref('excluded.sex'),
            dob: eb.ref('excluded.dob'),
            ethnic: eb.ref('excluded.ethnic'),
            upn: eb.ref('excluded.upn'),
            mother: eb.ref('excluded.mother'),
            mcDob: eb.ref('excluded.mcDob'),
            firstName: sql`coalesce(excluded.first_name, children.first_name)`,
            lastName: sql`coalesce(excluded.last_name, children.last_name)`,
            reviewsKnownFrom: knownFrom,
            previousReviewOn: sql`coalesce(excluded.previous_review_on, children.previous_review_on)`,
            previousReviewNumber: sql`case when excluded.previous_review_on is null
              then children.previous_review_number else excluded.previous_review_number end`,
            updatedAt: sql`now()`,
          }))
            .where(sql<boolean>`(children.sex, children.dob, children.ethnic, children.upn, children.mother, children.mc_dob)
            is distinct from (excluded.sex, excluded.dob, excluded.ethnic, excluded.upn, excluded.mother, excluded.mc_dob)
            or (excluded.first_name is not null and excluded.first_name is distinct from children.first_name)
            or (excluded.last_name is not null and excluded.last_name is distinct from children.last_name)
            or children.reviews_known_from is distinct from ${knownFrom}
            or (excluded.previous_review_on is not null and (excluded.previous_review_on, excluded.previous_review_number)
              is distinct from (children.previous_review_on, children.previous_review_number))`),
        )
        .returning(['childId as key', sql<boolean>`xmax = 0`.as('inserted')])
        .execute(),
    onWritten,
  );
}

function saveEpisodes(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
) {
  return upsertInChunks(
    extract.episodes,
    'Episodes.csv',
    onProgress,
    (chunk) =>
      trx
        .insertInto('episodes')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['childId', 'decom']).doUpdateSet((eb) => ({
            rne: eb.ref('excluded.rne'),
            ls: eb.ref('excluded.ls'),
            cin: eb.ref('excluded.cin'),
            place: eb.ref('excluded.place'),
            placeProvider: eb.ref('excluded.placeProvider'),
            dec: eb.ref('excluded.dec'),
            rec: eb.ref('excluded.rec'),
            reasonPlaceChange: eb.ref('excluded.reasonPlaceChange'),
            homePost: eb.ref('excluded.homePost'),
            plPost: eb.ref('excluded.plPost'),
            urn: eb.ref('excluded.urn'),
          }))
            .where(sql<boolean>`(episodes.rne, episodes.ls, episodes.cin, episodes.place, episodes.place_provider, episodes.dec,
              episodes.rec, episodes.reason_place_change, episodes.home_post, episodes.pl_post, episodes.urn)
            is distinct from (excluded.rne, excluded.ls, excluded.cin, excluded.place, excluded.place_provider, excluded.dec,
              excluded.rec, excluded.reason_place_change, excluded.home_post, excluded.pl_post, excluded.urn)`),
        )
        .returning([
          sql<string>`child_id || ' ' || decom`.as('key'),
          sql<boolean>`xmax = 0`.as('inserted'),
        ])
        .execute(),
    onWritten,
  );
}

function saveReviews(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
) {
  const rows = extract.reviews.map((r) => ({
    childId: r.childId,
    heldOn: r.heldOn,
    reviewCode: r.reviewCode,
    status: 'held' as const,
    source: 'import' as const,
  }));
  return upsertInChunks(
    rows,
    'Reviews.csv',
    onProgress,
    (chunk) =>
      trx
        .insertInto('reviews')
        .values(chunk)
        .onConflict((oc) =>
          oc
            .columns(['childId', 'heldOn'])
            .where('status', '=', 'held')
            .doUpdateSet((eb) => ({
              reviewCode: eb.ref('excluded.reviewCode'),
              updatedAt: sql`now()`,
            }))
            .where(sql<boolean>`reviews.review_code is distinct from excluded.review_code`),
        )
        .returning([sql<string>`id::text`.as('key'), sql<boolean>`xmax = 0`.as('inserted')])
        .execute(),
    onWritten,
  );
}

/** Allocation history: a changed IRO or SW closes the open allocation and opens a new one. */
async function saveAllocations(
  trx: Trx,
  extract: Extract,
  today: LocalDate,
  audit: AuditEntry[],
): Promise<ImportCounts> {
  const result = counts();
  const open = await trx
    .selectFrom('allocations')
    .select(['id', 'childId', 'role', 'staffEmail'])
    .where('endDate', 'is', null)
    .execute();
  const current = new Map(open.map((a) => [`${a.childId}|${a.role}`, a]));
  const toClose: number[] = [];
  const toOpen: {
    childId: string;
    role: 'iro' | 'social_worker';
    staffEmail: string;
    startDate: LocalDate;
  }[] = [];
  for (const a of extract.allocations) {
    for (const [role, email] of [
      ['iro', a.iroEmail],
      ['social_worker', a.swEmail],
    ] as const) {
      if (email === undefined) continue;
      const existing = current.get(`${a.childId}|${role}`);
      if ((existing?.staffEmail ?? null) === email) {
        result.unchanged += 1;
        continue;
      }
      if (existing) toClose.push(existing.id);
      if (email) toOpen.push({ childId: a.childId, role, staffEmail: email, startDate: today });
      if (existing) result.updated += 1;
      else result.inserted += 1;
      audit.push({
        action: 'import.allocate',
        entity: 'child',
        entityId: a.childId,
        detail: { role, from: existing?.staffEmail ?? null, to: email },
      });
    }
  }
  for (const ids of chunks(toClose)) {
    await trx.updateTable('allocations').set({ endDate: today }).where('id', 'in', ids).execute();
  }
  for (const rows of chunks(toOpen)) {
    await trx.insertInto('allocations').values(rows).execute();
  }
  return result;
}
