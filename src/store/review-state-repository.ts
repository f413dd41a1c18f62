import { sql, type Insertable, type Kysely } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import { deriveReviewState } from '../domain/review-state.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import type { Database, ReviewStatusTable } from './database.js';

const CHUNK = 1000;

/**
 * Recomputes the derived review facts of these children (periods of care, each held review's due
 * date and lateness, the current period's last review and next due date) from their episodes and
 * reviews. Call it inside the transaction that changed them, so the two never disagree.
 */
export async function refreshReviewState(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  childIds: readonly string[],
): Promise<void> {
  const unique = [...new Set(childIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    await refreshChunk(db, calendar, unique.slice(i, i + CHUNK));
  }
}

async function refreshChunk(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  ids: string[],
): Promise<void> {
  const anyId = sql<boolean>`child_id = any(${ids}::text[])`;
  const [children, episodes, reviews] = await Promise.all([
    db
      .selectFrom('children')
      .select(['childId', 'reviewsKnownFrom', 'previousReviewOn', 'previousReviewNumber'])
      .where(anyId)
      .execute(),
    db
      .selectFrom('episodes')
      .select(['childId', 'decom', 'dec', 'rne', 'ls', 'rec'])
      .where(anyId)
      .execute(),
    db
      .selectFrom('reviews')
      .select(['id', 'childId', 'heldOn', 'dueOn', 'kind', 'daysLate'])
      .where('status', '=', 'held')
      .where(anyId)
      .execute(),
  ]);
  const episodesOf = groupBy(episodes, (e) => e.childId);
  const reviewsOf = groupBy(reviews, (r) => r.childId);

  const periodRows: {
    childId: string;
    startDate: string;
    startKnown: boolean;
    endDate: string | null;
    shortBreak: boolean;
  }[] = [];
  const reviewChanges: {
    id: number;
    dueOn: string | null;
    kind: string | null;
    daysLate: number | null;
  }[] = [];
  const statusRows: Insertable<ReviewStatusTable>[] = [];
  const withoutStatus: string[] = [];
  for (const child of children) {
    const held = reviewsOf.get(child.childId) ?? [];
    const state = deriveReviewState(calendar, {
      episodes: (episodesOf.get(child.childId) ?? []).map((e) => ({
        ...e,
        decom: e.decom as LocalDate,
        dec: e.dec as LocalDate | null,
      })),
      held: held.map((r) => r.heldOn as LocalDate),
      knownFrom: child.reviewsKnownFrom as LocalDate | null,
      previous: child.previousReviewOn
        ? { heldOn: child.previousReviewOn as LocalDate, number: child.previousReviewNumber }
        : null,
    });
    for (const p of state.periods) {
      periodRows.push({
        childId: child.childId,
        startDate: p.start,
        startKnown: p.startKnown,
        endDate: p.end,
        shortBreak: p.shortBreak,
      });
    }
    const derived = new Map(state.reviews.map((r) => [r.heldOn as string, r]));
    for (const r of held) {
      const d = derived.get(r.heldOn as string);
      const next = {
        dueOn: d?.dueOn ?? null,
        kind: d?.kind ?? null,
        daysLate: d?.daysLate ?? null,
      };
      if (next.dueOn !== r.dueOn || next.kind !== r.kind || next.daysLate !== r.daysLate) {
        reviewChanges.push({ id: r.id, ...next });
      }
    }
    const latest = state.latest;
    if (!latest) {
      withoutStatus.push(child.childId);
      continue;
    }
    statusRows.push({
      childId: child.childId,
      periodStart: latest.period.start,
      periodStartKnown: latest.period.startKnown,
      periodEnd: latest.period.end,
      shortBreak: latest.period.shortBreak,
      lastReviewOn: latest.lastReviewOn,
      nextDueOn: latest.nextDueOn,
      nextKind: latest.nextKind,
      midwayOn: latest.midwayOn,
      updatedAt: new Date(),
    });
  }

  await db.deleteFrom('periodsOfCare').where(anyId).execute();
  if (periodRows.length > 0) await db.insertInto('periodsOfCare').values(periodRows).execute();
  if (reviewChanges.length > 0) {
    // Four arrays, not a VALUES list: the planner then looks each review up by its key instead
    // of hashing the list and scanning every review in the store for each chunk.
    await sql`
      update reviews as r
      set due_on = v.due_on, kind = v.kind, days_late = v.days_late
      from unnest(
        ${reviewChanges.map((c) => c.id)}::integer[],
        ${reviewChanges.map((c) => c.dueOn)}::date[],
        ${reviewChanges.map((c) => c.kind)}::text[],
        ${reviewChanges.map((c) => c.daysLate)}::integer[]
      ) as v(id, due_on, kind, days_late)
      where r.id = v.id
    `.execute(db);
  }
  if (withoutStatus.length > 0) {
    await db
      .deleteFrom('reviewStatus')
      .where(sql<boolean>`child_id = any(${withoutStatus}::text[])`)
      .execute();
  }
  if (statusRows.length > 0) {
    await db
      .insertInto('reviewStatus')
      .values(statusRows)
      .onConflict((oc) =>
        oc.column('childId').doUpdateSet((eb) => ({
          periodStart: eb.ref('excluded.periodStart'),
          periodStartKnown: eb.ref('excluded.periodStartKnown'),
          periodEnd: eb.ref('excluded.periodEnd'),
          shortBreak: eb.ref('excluded.shortBreak'),
          lastReviewOn: eb.ref('excluded.lastReviewOn'),
          nextDueOn: eb.ref('excluded.nextDueOn'),
          nextKind: eb.ref('excluded.nextKind'),
          midwayOn: eb.ref('excluded.midwayOn'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute();
  }
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

const RULES_KEY = 'review-rules';

/**
 * Makes sure the derived review facts were computed by these rules and this working calendar
 * (a new release, or a change to EXTRA_BANK_HOLIDAYS, can move due dates): when the key the store
 * remembers differs, recomputes every child, in chunks, and remembers the new key.
 */
export async function ensureReviewStateCurrent(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  rulesKey: string,
): Promise<{ rebuilt: boolean; children: number }> {
  const stored = await db
    .selectFrom('storeMeta')
    .select('value')
    .where('key', '=', RULES_KEY)
    .executeTakeFirst();
  if (stored?.value === rulesKey) return { rebuilt: false, children: 0 };
  const ids = (await db.selectFrom('children').select('childId').orderBy('childId').execute()).map(
    (c) => c.childId,
  );
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db.transaction().execute((trx) => refreshChunk(trx, calendar, ids.slice(i, i + CHUNK)));
  }
  await rememberRulesKey(db, rulesKey);
  return { rebuilt: true, children: ids.length };
}

/** Records that the derived facts in the store follow these rules (after an import computed them). */
export async function rememberRulesKey(db: Kysely<Database>, rulesKey: string): Promise<void> {
  await db
    .insertInto('storeMeta')
    .values({ key: RULES_KEY, value: rulesKey })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: rulesKey, updatedAt: sql`now()` }))
    .execute();
}
