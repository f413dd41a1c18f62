import { sql, type Insertable, type Kysely } from 'kysely';
import { addYears, reportingYear, type LocalDate } from '../domain/local-date.js';
import {
  PARTICIPATION,
  PARTICIPATION_CODES,
  type ParticipationCode,
} from '../domain/participation.js';
import type { EpisodeFacts, PeriodOfCare } from '../domain/periods-of-care.js';
import {
  deriveReviewState,
  type HeldReviewState,
  type ReviewState,
} from '../domain/review-state.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { bulkInsert, bulkRows, bulkUpsert, type BulkColumn, type BulkRows } from './bulk-insert.js';
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

/** What the review rules read about one child, as the store or an extract holds it. */
export interface ChildReviewFacts {
  childId: string;
  reviewsKnownFrom: LocalDate | null;
  previousReviewOn: LocalDate | null;
  previousReviewNumber: number | null;
  episodes: readonly EpisodeFacts[];
  held: readonly LocalDate[];
  /** What the caseload summary counts besides the due dates (migration 012). */
  dob: LocalDate;
  /** Each held review's participation code, in the order of `held`. */
  reviewCodes: readonly ParticipationCode[];
  /** The child's open allocations. */
  iroEmail: string | null;
  swEmail: string | null;
  /** For the lists' initials (migration 016). */
  firstName: string | null;
  lastName: string | null;
}

export interface PeriodRow {
  childId: string;
  startDate: string;
  startKnown: boolean;
  endDate: string | null;
  shortBreak: boolean;
}

export type StatusRow = Omit<Insertable<ReviewStatusTable>, 'updatedAt'>;

/** One child's derived rows: periods of care, each held review's due facts, the current status. */
export interface DerivedRows {
  periods: PeriodRow[];
  held: Map<string, HeldReviewState>;
  status: StatusRow | null;
}

export function deriveChildRows(calendar: WorkingCalendar, child: ChildReviewFacts): DerivedRows {
  const state = deriveReviewState(calendar, {
    episodes: child.episodes,
    held: child.held,
    knownFrom: child.reviewsKnownFrom,
    previous: child.previousReviewOn
      ? { heldOn: child.previousReviewOn, number: child.previousReviewNumber }
      : null,
  });
  const latest = state.latest;
  return {
    periods: state.periods.map((p) => ({
      childId: child.childId,
      startDate: p.start,
      startKnown: p.startKnown,
      endDate: p.end,
      shortBreak: p.shortBreak,
    })),
    held: new Map(state.reviews.map((r) => [r.heldOn as string, r])),
    status: latest
      ? {
          childId: child.childId,
          periodStart: latest.period.start,
          periodStartKnown: latest.period.startKnown,
          periodEnd: latest.period.end,
          shortBreak: latest.period.shortBreak,
          lastReviewOn: latest.lastReviewOn,
          nextDueOn: latest.nextDueOn,
          nextKind: latest.nextKind,
          midwayOn: latest.midwayOn,
          iroEmail: child.iroEmail,
          swEmail: child.swEmail,
          firstName: child.firstName,
          lastName: child.lastName,
          ...caseloadFacts(child, state),
        }
      : null,
  };
}

/** Whether a review held on this day belongs to the period (as the store's queries test it). */
function heldIn(period: PeriodOfCare, heldOn: LocalDate): boolean {
  return (
    (!period.startKnown || period.start <= heldOn) && (period.end === null || heldOn <= period.end)
  );
}

/**
 * What a caseload summary reads from one child's status row: the current period's latest late
 * review and latest review whose due date cannot be known, and the counts of the reporting year
 * of the child's latest held review (each review counted in every period that holds it, short
 * breaks apart, as `summariseHeldReviews` counts them).
 */
function caseloadFacts(child: ChildReviewFacts, state: ReviewState) {
  const current = state.latest?.period;
  let lastHeldOn: LocalDate | null = null;
  let lateHeldOn: LocalDate | null = null;
  let unknownHeldOn: LocalDate | null = null;
  for (const r of state.reviews) {
    if (lastHeldOn === null || r.heldOn > lastHeldOn) lastHeldOn = r.heldOn;
    if (current && heldIn(current, r.heldOn)) {
      if ((r.daysLate ?? 0) > 0 && (lateHeldOn === null || r.heldOn > lateHeldOn))
        lateHeldOn = r.heldOn;
      if (r.dueOn === null && (unknownHeldOn === null || r.heldOn > unknownHeldOn))
        unknownHeldOn = r.heldOn;
    }
  }
  const yearStart = lastHeldOn ? reportingYear(lastHeldOn).first : null;
  const pn = [0, 0, 0, 0, 0, 0, 0, 0];
  let held = 0;
  let assessed = 0;
  let onTime = 0;
  let agedFour = 0;
  let viewsConveyed = 0;
  let viewsCommunicated = 0;
  let sbHeld = 0;
  let sbAssessed = 0;
  let sbOnTime = 0;
  if (yearStart !== null) {
    const fourOn = addYears(child.dob, 4);
    for (const r of state.reviews) {
      if (r.heldOn < yearStart) continue;
      const known = r.dueOn !== null;
      const inTime = known && r.daysLate === 0;
      const code = child.reviewCodes[child.held.indexOf(r.heldOn)];
      for (const period of state.periods) {
        if (!heldIn(period, r.heldOn)) continue;
        if (period.shortBreak) {
          sbHeld += 1;
          if (known) sbAssessed += 1;
          if (inTime) sbOnTime += 1;
          continue;
        }
        held += 1;
        if (known) assessed += 1;
        if (inTime) onTime += 1;
        if (code) pn[PN_INDEX[code]] = (pn[PN_INDEX[code]] as number) + 1;
        if (r.heldOn >= fourOn) {
          agedFour += 1;
          if (code && PARTICIPATION[code].viewsConveyed) viewsConveyed += 1;
          if (code && PARTICIPATION[code].viewsCommunicated) viewsCommunicated += 1;
        }
      }
    }
  }
  return {
    lateHeldOn,
    unknownHeldOn,
    lastHeldOn,
    yearStart,
    yearHeld: held,
    yearAssessed: assessed,
    yearOnTime: onTime,
    yearPn0: pn[0] as number,
    yearPn1: pn[1] as number,
    yearPn2: pn[2] as number,
    yearPn3: pn[3] as number,
    yearPn4: pn[4] as number,
    yearPn5: pn[5] as number,
    yearPn6: pn[6] as number,
    yearPn7: pn[7] as number,
    yearAgedFour: agedFour,
    yearViewsConveyed: viewsConveyed,
    yearViewsCommunicated: viewsCommunicated,
    yearSbHeld: sbHeld,
    yearSbAssessed: sbAssessed,
    yearSbOnTime: sbOnTime,
  };
}

/** Each participation code's place in PN0 to PN7. */
const PN_INDEX = Object.fromEntries(PARTICIPATION_CODES.map((c, i) => [c, i])) as Record<
  ParticipationCode,
  number
>;

const PERIOD_COLUMNS: readonly BulkColumn<PeriodRow>[] = [
  { name: 'child_id', type: 'text', value: (r) => r.childId },
  { name: 'start_date', type: 'date', value: (r) => r.startDate },
  { name: 'start_known', type: 'boolean', value: (r) => r.startKnown },
  { name: 'end_date', type: 'date', value: (r) => r.endDate },
  { name: 'short_break', type: 'boolean', value: (r) => r.shortBreak },
];

const STATUS_COLUMNS: readonly BulkColumn<StatusRow>[] = [
  { name: 'child_id', type: 'text', value: (r) => r.childId },
  { name: 'period_start', type: 'date', value: (r) => r.periodStart },
  { name: 'period_start_known', type: 'boolean', value: (r) => r.periodStartKnown },
  { name: 'period_end', type: 'date', value: (r) => r.periodEnd ?? null },
  { name: 'short_break', type: 'boolean', value: (r) => r.shortBreak },
  { name: 'last_review_on', type: 'date', value: (r) => r.lastReviewOn ?? null },
  { name: 'next_due_on', type: 'date', value: (r) => r.nextDueOn ?? null },
  { name: 'next_kind', type: 'text', value: (r) => r.nextKind ?? null },
  { name: 'midway_on', type: 'date', value: (r) => r.midwayOn ?? null },
  { name: 'iro_email', type: 'text', value: (r) => r.iroEmail ?? null },
  { name: 'sw_email', type: 'text', value: (r) => r.swEmail ?? null },
  { name: 'late_held_on', type: 'date', value: (r) => r.lateHeldOn ?? null },
  { name: 'unknown_held_on', type: 'date', value: (r) => r.unknownHeldOn ?? null },
  { name: 'last_held_on', type: 'date', value: (r) => r.lastHeldOn ?? null },
  { name: 'year_start', type: 'date', value: (r) => r.yearStart ?? null },
  { name: 'year_held', type: 'integer', value: (r) => r.yearHeld ?? 0 },
  { name: 'year_assessed', type: 'integer', value: (r) => r.yearAssessed ?? 0 },
  { name: 'year_on_time', type: 'integer', value: (r) => r.yearOnTime ?? 0 },
  ...([0, 1, 2, 3, 4, 5, 6, 7] as const).map((i): BulkColumn<StatusRow> => ({
    name: `year_pn${i}`,
    type: 'integer',
    value: (r) => r[`yearPn${i}`] ?? 0,
  })),
  { name: 'year_aged_four', type: 'integer', value: (r) => r.yearAgedFour ?? 0 },
  { name: 'year_views_conveyed', type: 'integer', value: (r) => r.yearViewsConveyed ?? 0 },
  {
    name: 'year_views_communicated',
    type: 'integer',
    value: (r) => r.yearViewsCommunicated ?? 0,
  },
  { name: 'year_sb_held', type: 'integer', value: (r) => r.yearSbHeld ?? 0 },
  { name: 'year_sb_assessed', type: 'integer', value: (r) => r.yearSbAssessed ?? 0 },
  { name: 'year_sb_on_time', type: 'integer', value: (r) => r.yearSbOnTime ?? 0 },
  { name: 'first_name', type: 'text', value: (r) => r.firstName ?? null },
  { name: 'last_name', type: 'text', value: (r) => r.lastName ?? null },
];

/**
 * The derived rows of children the store did not hold before this transaction (a first import),
 * to insert: they have no periods or status yet, so nothing is read, deleted or upserted. Their
 * held reviews are written with their due facts already.
 */
export function derivedRowsToInsert(derived: Iterable<DerivedRows>): BulkRows<unknown>[] {
  const periods: PeriodRow[] = [];
  const statuses: StatusRow[] = [];
  for (const d of derived) {
    periods.push(...d.periods);
    if (d.status) statuses.push(d.status);
  }
  return [
    bulkRows('periods_of_care', PERIOD_COLUMNS, periods),
    bulkRows('review_status', STATUS_COLUMNS, statuses),
  ];
}

async function refreshChunk(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  ids: string[],
): Promise<void> {
  const anyId = sql<boolean>`child_id = any(${ids}::text[])`;
  const [children, episodes, reviews, allocations] = await Promise.all([
    db
      .selectFrom('children')
      .select([
        'childId',
        'dob',
        'reviewsKnownFrom',
        'previousReviewOn',
        'previousReviewNumber',
        'firstName',
        'lastName',
      ])
      .where(anyId)
      .execute(),
    db
      .selectFrom('episodes')
      .select(['childId', 'decom', 'dec', 'rne', 'ls', 'rec'])
      .where(anyId)
      .execute(),
    db
      .selectFrom('reviews')
      .select(['id', 'childId', 'heldOn', 'dueOn', 'kind', 'daysLate', 'reviewCode'])
      .where('status', '=', 'held')
      .where(anyId)
      .execute(),
    db
      .selectFrom('allocations')
      .select(['childId', 'role', 'staffEmail'])
      .where('endDate', 'is', null)
      .where(anyId)
      .execute(),
  ]);
  const episodesOf = groupBy(episodes, (e) => e.childId);
  const reviewsOf = groupBy(reviews, (r) => r.childId);
  const allocated = new Map(allocations.map((a) => [`${a.childId}|${a.role}`, a.staffEmail]));

  const periodRows: PeriodRow[] = [];
  const reviewChanges: {
    id: number;
    dueOn: string | null;
    kind: string | null;
    daysLate: number | null;
  }[] = [];
  const statusRows: StatusRow[] = [];
  const withoutStatus: string[] = [];
  for (const child of children) {
    const held = reviewsOf.get(child.childId) ?? [];
    const rows = deriveChildRows(calendar, {
      childId: child.childId,
      reviewsKnownFrom: child.reviewsKnownFrom as LocalDate | null,
      previousReviewOn: child.previousReviewOn as LocalDate | null,
      previousReviewNumber: child.previousReviewNumber,
      episodes: (episodesOf.get(child.childId) ?? []).map((e) => ({
        ...e,
        decom: e.decom as LocalDate,
        dec: e.dec as LocalDate | null,
      })),
      held: held.map((r) => r.heldOn as LocalDate),
      dob: child.dob as LocalDate,
      reviewCodes: held.map((r) => r.reviewCode as ParticipationCode),
      iroEmail: allocated.get(`${child.childId}|iro`) ?? null,
      swEmail: allocated.get(`${child.childId}|social_worker`) ?? null,
      firstName: child.firstName,
      lastName: child.lastName,
    });
    periodRows.push(...rows.periods);
    for (const r of held) {
      const d = rows.held.get(r.heldOn as string);
      const next = {
        dueOn: d?.dueOn ?? null,
        kind: d?.kind ?? null,
        daysLate: d?.daysLate ?? null,
      };
      if (next.dueOn !== r.dueOn || next.kind !== r.kind || next.daysLate !== r.daysLate) {
        reviewChanges.push({ id: r.id, ...next });
      }
    }
    if (rows.status) statusRows.push(rows.status);
    else withoutStatus.push(child.childId);
  }

  await db.deleteFrom('periodsOfCare').where(anyId).execute();
  await bulkInsert(db, 'periods_of_care', PERIOD_COLUMNS, periodRows);
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
  await bulkUpsert(db, 'review_status', 'child_id', STATUS_COLUMNS, statusRows);
  // The upsert keeps each row's booked meeting, which triggers on reviews maintain (migration
  // 013); a child given a status row again gets its booked meeting back here.
  await syncBookedStarts(db, ids);
  await syncStatusNames(db, ids);
}

/**
 * Sets each status row's names (migration 016) from `children` where the two differ: for these
 * children, or for every child. The upsert above wrote the names this transaction read; on
 * PostgreSQL another transaction can rename a child between that read and the upsert: the
 * upsert waits for it to commit, then writes the older name over the new one. This statement
 * starts after that commit and sees it. At every start it also puts right the rows that an
 * instance still running the code before migration 016 wrote without names.
 */
export async function syncStatusNames(
  db: Kysely<Database>,
  childIds: readonly string[] | null,
): Promise<void> {
  const these = childIds ? sql`s.child_id = any(${[...childIds]}::text[]) and` : sql``;
  await sql`update review_status s set first_name = c.first_name, last_name = c.last_name
    from children c
    where ${these} c.child_id = s.child_id
      and (s.first_name, s.last_name) is distinct from (c.first_name, c.last_name)`.execute(db);
}

/**
 * Sets each status row's booked meeting (migration 013) from the reviews where the two differ:
 * for these children, or for every child. The triggers on reviews keep it from then on; this
 * covers a status row written afresh, and a booking that raced such a write (neither
 * transaction sees the other's row before both commit).
 */
export async function syncBookedStarts(
  db: Kysely<Database>,
  childIds: readonly string[] | null,
): Promise<void> {
  const booked = sql`(select r.scheduled_start from reviews r
    where r.child_id = s.child_id and r.status = 'scheduled' and r.scheduled_start is not null)`;
  const these = childIds ? sql`s.child_id = any(${[...childIds]}::text[]) and` : sql``;
  await sql`update review_status s set booked_start = ${booked}
    where ${these} s.booked_start is distinct from ${booked}`.execute(db);
}

export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
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
  if (stored?.value === rulesKey) {
    // At every start: a booking or a rename that raced a status row written afresh is put right
    // here (a rebuild puts every child's right as it rewrites them).
    await syncBookedStarts(db, null);
    await syncStatusNames(db, null);
    return { rebuilt: false, children: 0 };
  }
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
