import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import type {
  AllocationRecord,
  ChildRecord,
  EpisodeRecord,
  Extract,
  HeldReviewRecord,
} from '../app/import/extract.js';
import type { HeldReviewState } from '../domain/review-state.js';
import type {
  ExtractWriter,
  ImportCounts,
  ImportProgress,
  ImportSummary,
  KeptChild,
  KeptEpisode,
  ReviewConflict,
} from '../app/ports.js';
import { MIDWAY_JOBS, midwayJobKey } from '../app/midway/midway-check.js';
import type { Database } from './database.js';
import { appendAudit, type AuditEntry } from './audit.js';
import { createPgCaseReader } from './case-repository.js';
import {
  bulkInsertTables,
  bulkRows,
  type BulkColumn,
  type BulkRows,
  type QuietTrigger,
} from './bulk-insert.js';
import {
  deriveChildRows,
  derivedRowsToInsert,
  groupBy,
  refreshReviewState,
  type DerivedRows,
} from './review-state-repository.js';

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

export interface ExtractWriterOptions {
  /**
   * The store has one session (PGlite): new children's rows are copied with the indexes of empty
   * tables built again after and the foreign keys checked once; on a server they are copied with
   * PostgreSQL's checks row by row (`bulkInsertTables`).
   */
  singleSession: boolean;
}

export function createPgExtractWriter(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  options: ExtractWriterOptions,
): ExtractWriter {
  return {
    async childIds() {
      return (await db.selectFrom('children').select('childId').execute()).map((c) => c.childId);
    },

    async saveExtract(extract, context, onProgress) {
      const saved = await db.transaction().execute(async (trx) => {
        const ids = extract.children.map((c) => c.childId);
        const held = await trx
          .selectFrom('children')
          .select('childId')
          .where(sql<boolean>`child_id = any(${ids}::text[])`)
          .execute();
        const known = new Set(held.map((c) => c.childId));
        const fresh = new Set(ids.filter((id) => !known.has(id)));
        // Rows of children the store already holds are compared and upserted one by one; rows of
        // new children are inserted in bulk with their due dates computed first.
        const existing = rowsOfChildren(extract, (id) => !fresh.has(id));
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
        const staff = await saveStaff(
          trx,
          extract,
          onProgress,
          note('staff', { file: 'Staff.csv' }),
        );
        const added = await insertNewChildren(
          trx,
          calendar,
          rowsOfChildren(extract, (id) => fresh.has(id)),
          context.today,
          onProgress,
          options.singleSession,
        );
        audit.push(...added.audit);
        // Before the episodes: which children a later import wrote is read from those stored.
        const children = await saveChildren(
          trx,
          existing,
          onProgress,
          note('child', { file: 'Header.csv' }),
          audit,
        );
        const episodes = await saveEpisodes(
          trx,
          existing,
          onProgress,
          note('episode', { file: 'Episodes.csv' }),
          audit,
        );
        const reviews = await saveReviews(
          trx,
          existing,
          onProgress,
          note('review', { file: 'Reviews.csv' }),
          audit,
        );
        const summary: ImportSummary = {
          staff,
          children: plus(children.counts, added.counts.children),
          episodes: plus(episodes.counts, added.counts.episodes),
          reviews: plus(reviews.counts, added.counts.reviews),
          allocations: plus(
            await saveAllocations(trx, existing, context.today, audit),
            added.counts.allocations,
          ),
        };
        // Stored children the files changed, with any named only in Episodes or Reviews.
        // Allocations too: each status row keeps its child's open IRO and social worker.
        const changed = [
          ...existing.children,
          ...existing.episodes,
          ...existing.reviews,
          ...existing.allocations,
        ].map((r) => r.childId);
        onProgress?.({ step: 'due dates', done: 0, total: ids.length });
        await refreshReviewState(trx, calendar, changed);
        onProgress?.({ step: 'due dates', done: ids.length, total: ids.length });
        audit.push({
          action: 'import.completed',
          entity: 'extract',
          entityId: context.today,
          detail: {
            ...summary,
            ...(episodes.kept.length > 0
              ? { keptEpisodes: episodes.kept.length, lastDate: extract.lastDate }
              : {}),
            ...(children.kept.length > 0 ? { keptChildren: children.kept.length } : {}),
            ...(reviews.conflicts.length > 0
              ? { keptRecordedReviews: reviews.conflicts.length }
              : {}),
          },
        });
        await appendAudit(trx, context, audit);
        // The lists' own query, inside this transaction: current children with no known due date.
        const status = await createPgCaseReader(trx).listReviewStatus({
          today: context.today,
          dueUnknown: true,
          childIds: ids,
        });
        const dueUnknown = status.map((c) => c.childId);
        return {
          summary,
          dueUnknown,
          keptEpisodes: episodes.kept,
          keptChildren: children.kept,
          reviewConflicts: reviews.conflicts,
        };
      });
      // Fresh planner statistics after a bulk change: PGlite has no autovacuum to gather them,
      // and without them the lists' queries scan whole tables (PostgreSQL skips tables the
      // app's role does not own, with a warning).
      await sql`analyze`.execute(db);
      return saved;
    },
  };
}

function plus(a: ImportCounts, inserted: number): ImportCounts {
  return { ...a, inserted: a.inserted + inserted };
}

/** The extract's rows about the children `keep` selects (staff and the import's dates as they are). */
function rowsOfChildren(extract: Extract, keep: (childId: string) => boolean): Extract {
  return {
    ...extract,
    children: extract.children.filter((c) => keep(c.childId)),
    episodes: extract.episodes.filter((e) => keep(e.childId)),
    reviews: extract.reviews.filter((r) => keep(r.childId)),
    allocations: extract.allocations.filter((a) => keep(a.childId)),
    previousReviews: extract.previousReviews.filter((p) => keep(p.childId)),
  };
}

type NewChild = ChildRecord & {
  firstName: string | null;
  lastName: string | null;
  reviewsKnownFrom: LocalDate | null;
  previousReviewOn: LocalDate | null;
  previousReviewNumber: number | null;
};

const CHILD_COLUMNS: readonly BulkColumn<NewChild>[] = [
  { name: 'child_id', type: 'text', value: (c) => c.childId },
  { name: 'sex', type: 'text', value: (c) => c.sex },
  { name: 'dob', type: 'date', value: (c) => c.dob },
  { name: 'ethnic', type: 'text', value: (c) => c.ethnic },
  { name: 'upn', type: 'text', value: (c) => c.upn },
  { name: 'mother', type: 'text', value: (c) => c.mother },
  { name: 'mc_dob', type: 'date', value: (c) => c.mcDob },
  { name: 'first_name', type: 'text', value: (c) => c.firstName },
  { name: 'last_name', type: 'text', value: (c) => c.lastName },
  { name: 'reviews_known_from', type: 'date', value: (c) => c.reviewsKnownFrom },
  { name: 'previous_review_on', type: 'date', value: (c) => c.previousReviewOn },
  { name: 'previous_review_number', type: 'smallint', value: (c) => c.previousReviewNumber },
];

const EPISODE_COLUMNS: readonly BulkColumn<EpisodeRecord>[] = [
  { name: 'child_id', type: 'text', value: (e) => e.childId },
  { name: 'decom', type: 'date', value: (e) => e.decom },
  { name: 'rne', type: 'text', value: (e) => e.rne },
  { name: 'ls', type: 'text', value: (e) => e.ls },
  { name: 'cin', type: 'text', value: (e) => e.cin },
  { name: 'place', type: 'text', value: (e) => e.place },
  { name: 'place_provider', type: 'text', value: (e) => e.placeProvider },
  { name: 'dec', type: 'date', value: (e) => e.dec },
  { name: 'rec', type: 'text', value: (e) => e.rec },
  { name: 'reason_place_change', type: 'text', value: (e) => e.reasonPlaceChange },
  { name: 'home_post', type: 'text', value: (e) => e.homePost },
  { name: 'pl_post', type: 'text', value: (e) => e.plPost },
  { name: 'urn', type: 'text', value: (e) => e.urn },
];

type NewReview = HeldReviewRecord & { state: HeldReviewState | undefined };

const REVIEW_COLUMNS: readonly BulkColumn<NewReview>[] = [
  { name: 'child_id', type: 'text', value: (r) => r.childId },
  { name: 'held_on', type: 'date', value: (r) => r.heldOn },
  { name: 'review_code', type: 'text', value: (r) => r.reviewCode },
  { name: 'status', type: 'text', value: () => 'held' },
  { name: 'source', type: 'text', value: () => 'import' },
  { name: 'due_on', type: 'date', value: (r) => r.state?.dueOn ?? null },
  { name: 'kind', type: 'text', value: (r) => r.state?.kind ?? null },
  { name: 'days_late', type: 'integer', value: (r) => r.state?.daysLate ?? null },
];

/** Insert triggers that do nothing for the rows a first import writes (`bulkInsertTables`). */
export const QUIET_ON_NEW_CHILDREN: readonly QuietTrigger[] = [
  {
    table: 'reviews',
    trigger: 'review_booked_insert',
    definition:
      "CREATE TRIGGER review_booked_insert AFTER INSERT ON public.reviews FOR EACH ROW WHEN ((new.status = 'scheduled'::text)) EXECUTE FUNCTION review_booked_changed()",
    because: "it fires for scheduled reviews only, and REVIEW_COLUMNS writes status 'held'",
  },
];

/** The two allocations an Allocations.csv row gives: its IRO and its social worker. */
function allocatedRoles(a: AllocationRecord) {
  return [
    ['iro', a.iroEmail],
    ['social_worker', a.swEmail],
  ] as const;
}

interface NewAllocation {
  childId: string;
  role: 'iro' | 'social_worker';
  staffEmail: string;
  startDate: LocalDate;
}

const ALLOCATION_COLUMNS: readonly BulkColumn<NewAllocation>[] = [
  { name: 'child_id', type: 'text', value: (a) => a.childId },
  { name: 'role', type: 'text', value: (a) => a.role },
  { name: 'staff_email', type: 'text', value: (a) => a.staffEmail },
  { name: 'start_date', type: 'date', value: (a) => a.startDate },
];

/** The tables that new children's rows fill, with those rows, in the order they are written. */
export function newChildTables(rows: {
  children: readonly NewChild[];
  episodes: readonly EpisodeRecord[];
  reviews: readonly NewReview[];
  allocations: readonly NewAllocation[];
  derived: readonly DerivedRows[];
}): BulkRows<unknown>[] {
  return [
    bulkRows('children', CHILD_COLUMNS, rows.children),
    bulkRows('episodes', EPISODE_COLUMNS, rows.episodes),
    bulkRows('reviews', REVIEW_COLUMNS, rows.reviews),
    bulkRows('allocations', ALLOCATION_COLUMNS, rows.allocations),
    ...derivedRowsToInsert(rows.derived),
  ];
}

/**
 * Children the store has never held (every child of a first import): their rows cannot conflict
 * with stored ones, so they are inserted in bulk, and their due dates, periods and current status
 * are computed from the extract before anything is written, so each review is written once. The
 * audit trail gets one record per file (how many rows, and which children were added) rather than
 * one per row: the rows themselves carry what was added, and every later change to them is
 * audited row by row.
 */
async function insertNewChildren(
  trx: Trx,
  calendar: WorkingCalendar,
  extract: Extract,
  today: LocalDate,
  onProgress: Progress,
  singleSession: boolean,
): Promise<{
  counts: { children: number; episodes: number; reviews: number; allocations: number };
  audit: AuditEntry[];
}> {
  const allocationOf = new Map(extract.allocations.map((a) => [a.childId, a]));
  const previousOf = new Map(extract.previousReviews.map((p) => [p.childId, p]));
  const episodesOf = groupBy(extract.episodes, (e) => e.childId);
  const reviewsOf = groupBy(extract.reviews, (r) => r.childId);
  const children: NewChild[] = [];
  const reviews: NewReview[] = [];
  const derived: DerivedRows[] = [];
  for (const c of extract.children) {
    const child: NewChild = {
      ...c,
      firstName: allocationOf.get(c.childId)?.firstName ?? null,
      lastName: allocationOf.get(c.childId)?.lastName ?? null,
      reviewsKnownFrom: extract.reviewsKnownFrom,
      previousReviewOn: previousOf.get(c.childId)?.heldOn ?? null,
      previousReviewNumber: previousOf.get(c.childId)?.number ?? null,
    };
    children.push(child);
    const held = reviewsOf.get(c.childId) ?? [];
    const allocation = allocationOf.get(c.childId);
    const rows = deriveChildRows(calendar, {
      ...child,
      episodes: episodesOf.get(c.childId) ?? [],
      held: held.map((r) => r.heldOn),
      reviewCodes: held.map((r) => r.reviewCode),
      iroEmail: allocation?.iroEmail || null,
      swEmail: allocation?.swEmail || null,
    });
    derived.push(rows);
    for (const r of held) reviews.push({ ...r, state: rows.held.get(r.heldOn) });
  }
  const allocations: NewAllocation[] = [];
  for (const a of extract.allocations) {
    for (const [role, email] of allocatedRoles(a)) {
      if (email)
        allocations.push({ childId: a.childId, role, staffEmail: email, startDate: today });
    }
  }
  const files: Record<string, string> = {
    children: 'Header.csv',
    episodes: 'Episodes.csv',
    reviews: 'Reviews.csv',
    allocations: 'Allocations.csv',
  };
  const tables = newChildTables({
    children,
    episodes: extract.episodes,
    reviews,
    allocations,
    derived,
  });
  await bulkInsertTables(trx, tables, {
    singleSession,
    quietTriggers: QUIET_ON_NEW_CHILDREN,
    onTable: (table, done) => {
      const step = files[table];
      const total = tables.find((t) => t.table === table)?.rows.length ?? 0;
      if (step) onProgress?.({ step, done: done ? total : 0, total });
    },
  });
  const counts = {
    children: children.length,
    episodes: extract.episodes.length,
    reviews: reviews.length,
    allocations: allocations.length,
  };
  const file = (name: string, rows: number, more: Record<string, unknown> = {}): AuditEntry => ({
    action: 'import.insert',
    entity: 'file',
    entityId: name,
    detail: { rows, ...more },
  });
  const audit =
    children.length === 0
      ? []
      : [
          file('Header.csv', counts.children, { childIds: children.map((c) => c.childId) }),
          file('Episodes.csv', counts.episodes),
          file('Reviews.csv', counts.reviews),
          file('Allocations.csv', counts.allocations),
        ];
  return { counts, audit };
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
            level: eb.ref('excluded.level'),
            updatedAt: sql`now()`,
          }))
            .where(sql<boolean>`(staff.name, staff.role, staff.aad_object_id, staff.team, staff.manager_email, staff.fte, staff.sw_id, staff.level)
            is distinct from (excluded.name, excluded.role, excluded.aad_object_id, excluded.team, excluded.manager_email, excluded.fte, excluded.sw_id, excluded.level)`),
        )
        .returning(['email as key', sql<boolean>`xmax = 0`.as('inserted')])
        .execute();
      return rows;
    },
    onWritten,
  );
}

/** Header.csv's columns, as the children table names them. */
const HEADER_COLUMNS = {
  sex: 'SEX',
  dob: 'DOB',
  ethnic: 'ETHNIC',
  upn: 'UPN',
  mother: 'MOTHER',
  mcDob: 'MC_DOB',
} as const satisfies Partial<Record<keyof ChildRecord, string>>;

/**
 * Upserts the children. A child for whom a later import recorded an episode beginning or ending
 * after the extract's last date keeps the Header.csv details that import gave (a UPN given later,
 * MOTHER and MC_DOB of a girl who became a mother since): each such row is audited as kept. The
 * rest of the row (the name from Allocations.csv, from when reviews are known) is written.
 */
async function saveChildren(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
  audit: AuditEntry[],
): Promise<{ counts: ImportCounts; kept: KeptChild[] }> {
  const names = new Map(extract.allocations.map((a) => [a.childId, a]));
  const previous = new Map(extract.previousReviews.map((p) => [p.childId, p]));
  const later = await childrenWrittenLater(trx, extract);
  const kept: KeptChild[] = [];
  const header = (c: ChildRecord): ChildRecord => {
    const stored = later.get(c.childId);
    if (!stored) return c;
    const keys = Object.keys(HEADER_COLUMNS) as (keyof typeof HEADER_COLUMNS)[];
    const differ = keys.filter((k) => (c[k] ?? null) !== (stored[k] ?? null));
    if (differ.length === 0) return c;
    const columns = differ.map((k) => HEADER_COLUMNS[k]);
    kept.push({ childId: c.childId, columns });
    audit.push({
      action: 'import.keep',
      entity: 'child',
      entityId: c.childId,
      detail: {
        file: 'Header.csv',
        because: 'given by a later import',
        columns,
        fileLastDate: extract.lastDate,
      },
    });
    return stored;
  };
  const rows = extract.children.map((c) => ({
    ...header(c),
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
  const written = await upsertInChunks(
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
  return { counts: written, kept };
}

/**
 * The stored Header details of the extract's children for whom an import recorded an episode
 * beginning or ending after the extract's last date: that import was of a later extract.
 */
async function childrenWrittenLater(trx: Trx, extract: Extract): Promise<Map<string, ChildRecord>> {
  if (extract.lastDate === null || extract.children.length === 0) return new Map();
  const found = await trx
    .selectFrom('children as c')
    .select(['c.childId', 'c.sex', 'c.dob', 'c.ethnic', 'c.upn', 'c.mother', 'c.mcDob'])
    .where(sql<boolean>`c.child_id = any(${extract.children.map((c) => c.childId)}::text[])`)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('episodes as e')
          .select('e.childId')
          .whereRef('e.childId', '=', 'c.childId')
          .where(
            sql<boolean>`(e.decom > ${extract.lastDate}::date or e.dec > ${extract.lastDate}::date)`,
          ),
      ),
    )
    .execute();
  return new Map(
    found.map((c) => [
      c.childId,
      {
        ...c,
        sex: c.sex as ChildRecord['sex'],
        dob: c.dob as LocalDate,
        mcDob: c.mcDob as LocalDate | null,
      },
    ]),
  );
}

/**
 * Upserts the extract's episodes, but never one whose stored end (DEC) is after the extract's
 * last date: a later import recorded that end, which this extract cannot know (a one-year return
 * has the episode still open on 31 March). Such a row is kept whole, as the later extract wrote
 * it, and audited as kept.
 */
async function saveEpisodes(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
  audit: AuditEntry[],
): Promise<{ counts: ImportCounts; kept: KeptEpisode[] }> {
  const kept = await episodesEndedLater(trx, extract);
  const keep = new Map(kept.map((k) => [`${k.childId} ${k.decom}`, k]));
  for (const e of extract.episodes) {
    const stored = keep.get(`${e.childId} ${e.decom}`);
    if (!stored) continue;
    audit.push({
      action: 'import.keep',
      entity: 'episode',
      entityId: `${e.childId} ${e.decom}`,
      detail: {
        file: 'Episodes.csv',
        because: 'ended by a later import',
        dec: stored.dec,
        fileDec: e.dec,
        fileRec: e.rec,
        fileLastDate: extract.lastDate,
      },
    });
  }
  const rows = extract.episodes.filter((e) => !keep.has(`${e.childId} ${e.decom}`));
  const written = await upsertInChunks(
    rows,
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
  // Kept rows are rows of the file left as they were.
  return { counts: { ...written, unchanged: written.unchanged + kept.length }, kept };
}

/** Stored episodes of the extract whose end (DEC) is after the extract's last date. */
async function episodesEndedLater(trx: Trx, extract: Extract): Promise<KeptEpisode[]> {
  if (extract.lastDate === null || extract.episodes.length === 0) return [];
  const found = await sql<KeptEpisode>`
    select e.child_id as "childId", e.decom, e.dec
    from episodes e
    join (select unnest(${extract.episodes.map((r) => r.childId)}::text[]) as child_id,
                 unnest(${extract.episodes.map((r) => r.decom)}::date[]) as decom) f
      on f.child_id = e.child_id and f.decom = e.decom
    where e.dec > ${extract.lastDate}::date
    order by e.child_id, e.decom`.execute(trx);
  return found.rows;
}

/**
 * Upserts the extract's reviews, but never over a review the chair recorded in the app
 * (`recorded_at` set: at meeting end, or "record review for ..."): where the file gives that child
 * and day another REVIEW_CODE, the chair's record is kept (with its attendance, which the code
 * must agree with), audited, and returned to be reported.
 */
async function saveReviews(
  trx: Trx,
  extract: Extract,
  onProgress: Progress,
  onWritten: (w: { key: string; inserted: boolean }[]) => void,
  audit: AuditEntry[],
): Promise<{ counts: ImportCounts; conflicts: ReviewConflict[] }> {
  const recorded = await recordedReviewsDiffering(trx, extract);
  const keep = new Map(recorded.map((r) => [`${r.childId} ${r.heldOn}`, r]));
  for (const r of recorded) {
    audit.push({
      action: 'import.keep',
      entity: 'review',
      entityId: String(r.id),
      detail: {
        file: 'Reviews.csv',
        because: 'recorded in the app',
        child: r.childId,
        heldOn: r.heldOn,
        reviewCode: r.recorded,
        fileReviewCode: r.imported,
      },
    });
  }
  const rows = extract.reviews
    .filter((r) => !keep.has(`${r.childId} ${r.heldOn}`))
    .map((r) => ({
      childId: r.childId,
      heldOn: r.heldOn,
      reviewCode: r.reviewCode,
      status: 'held' as const,
      source: 'import' as const,
    }));
  const written = await upsertInChunks(
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
            // A literal, not a parameter: PostgreSQL must see that it matches the partial unique
            // index reviews_held_once, also when it plans the prepared statement generically.
            .where('status', '=', sql.lit('held'))
            .doUpdateSet((eb) => ({
              reviewCode: eb.ref('excluded.reviewCode'),
              updatedAt: sql`now()`,
            }))
            .where(
              sql<boolean>`reviews.review_code is distinct from excluded.review_code and reviews.recorded_at is null`,
            ),
        )
        .returning([sql<string>`id::text`.as('key'), sql<boolean>`xmax = 0`.as('inserted')])
        .execute(),
    onWritten,
  );
  const conflicts = recorded.map(({ childId, heldOn, recorded, imported }) => ({
    childId,
    heldOn,
    recorded,
    imported,
  }));
  // Kept reviews are rows of the file left as they were.
  return {
    counts: { ...written, unchanged: written.unchanged + recorded.length },
    conflicts,
  };
}

/** Reviews the chair recorded in the app to which the extract gives another REVIEW_CODE. */
async function recordedReviewsDiffering(
  trx: Trx,
  extract: Extract,
): Promise<(ReviewConflict & { id: number })[]> {
  if (extract.reviews.length === 0) return [];
  const found = await sql<ReviewConflict & { id: number }>`
    select r.id, r.child_id as "childId", r.held_on as "heldOn", r.review_code as recorded,
           f.review_code as imported
    from reviews r
    join (select unnest(${extract.reviews.map((x) => x.childId)}::text[]) as child_id,
                 unnest(${extract.reviews.map((x) => x.heldOn)}::date[]) as held_on,
                 unnest(${extract.reviews.map((x) => x.reviewCode)}::text[]) as review_code) f
      on f.child_id = r.child_id and f.held_on = r.held_on
    where r.status = 'held' and r.recorded_at is not null
      and r.review_code is distinct from f.review_code
    order by r.child_id, r.held_on`.execute(trx);
  return found.rows;
}

/** Allocation history: a changed IRO or SW closes the open allocation and opens a new one. */
async function saveAllocations(
  trx: Trx,
  extract: Extract,
  today: LocalDate,
  audit: AuditEntry[],
): Promise<ImportCounts> {
  const result = counts();
  if (extract.allocations.length === 0) return result;
  const open = await trx
    .selectFrom('allocations')
    .select(['id', 'childId', 'role', 'staffEmail'])
    .where('endDate', 'is', null)
    .where(sql<boolean>`child_id = any(${extract.allocations.map((a) => a.childId)}::text[])`)
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
    for (const [role, email] of allocatedRoles(a)) {
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
  await handOverOpenAlerts(
    trx,
    toOpen.filter((a) => a.role === 'iro'),
    audit,
  );
  await handOverMidwayChecks(trx, toOpen, audit);
  return result;
}

/**
 * A midway check not yet answered goes with the child to their new social worker (who is asked,
 * and reminded) and their new IRO (who is told and gets the answers), in the same transaction as
 * the allocation. A prompt waiting for the former social worker to open the app waits for the
 * new one instead. Answered checks keep who was asked. Each hand-over is audited.
 */
async function handOverMidwayChecks(
  trx: Trx,
  allocated: readonly { childId: string; role: 'iro' | 'social_worker'; staffEmail: string }[],
  audit: AuditEntry[],
): Promise<void> {
  for (const role of ['social_worker', 'iro'] as const) {
    const moving = allocated.filter((a) => a.role === role);
    if (moving.length === 0) continue;
    const column = sql.ref(role === 'iro' ? 'iro_email' : 'sw_email');
    const moved = await sql<{ id: number; childId: string; from: string; to: string }>`
      update midway_checks m set ${column} = v.email
      from (select unnest(${moving.map((a) => a.childId)}::text[]) as child_id,
                   unnest(${moving.map((a) => a.staffEmail)}::text[]) as email) v,
           (select id, ${column} as email from midway_checks where answered_at is null) before
      where m.child_id = v.child_id and m.answered_at is null and before.id = m.id
        and before.email is distinct from v.email
      returning m.id, m.child_id as "childId", before.email as "from", v.email as "to"`.execute(
      trx,
    );
    if (moved.rows.length === 0) continue;
    if (role === 'social_worker') {
      await sql`
        update jobs j set waiting_for = (select s.aad_object_id from staff s where s.email = v.email)
        from (select unnest(${moved.rows.map((r) => midwayJobKey(MIDWAY_JOBS.prompt, r.id))}::text[]) as key,
                     unnest(${moved.rows.map((r) => r.to)}::text[]) as email) v
        where j.key = v.key and j.state = 'pending' and j.waiting_for is not null`.execute(trx);
    }
    for (const row of moved.rows) {
      audit.push({
        action: 'midway.handedOver',
        entity: 'child',
        entityId: row.childId,
        detail: { check: row.id, role, from: row.from, to: row.to },
      });
    }
  }
}

/**
 * An open practice alert goes with the child to their new IRO, in the same transaction as the
 * allocation: the IRO who raised it no longer reads the concern or moves it on, and the new one
 * is reminded and answered. Each hand-over is audited.
 */
async function handOverOpenAlerts(
  trx: Trx,
  newIros: readonly { childId: string; staffEmail: string }[],
  audit: AuditEntry[],
): Promise<void> {
  if (newIros.length === 0) return;
  const moved = await sql<{ id: number; childId: string; from: string | null; to: string }>`
    update escalations e set iro_email = v.email
    from (select unnest(${newIros.map((a) => a.childId)}::text[]) as child_id,
                 unnest(${newIros.map((a) => a.staffEmail)}::text[]) as email) v,
         (select id, iro_email from escalations where resolved_on is null) before
    where e.child_id = v.child_id and e.resolved_on is null and before.id = e.id
      and e.iro_email is distinct from v.email
    returning e.id, e.child_id as "childId", before.iro_email as "from", e.iro_email as "to"`.execute(
    trx,
  );
  for (const row of moved.rows) {
    audit.push({
      action: 'alert.handedOver',
      entity: 'child',
      entityId: row.childId,
      detail: { alert: row.id, from: row.from, to: row.to },
    });
  }
}
