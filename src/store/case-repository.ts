import type { LateReason } from '../domain/late-reasons.js';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import {
  PARTICIPATION,
  PARTICIPATION_CODES,
  type ParticipationCode,
} from '../domain/participation.js';
import type {
  CaseFilter,
  CaseReader,
  ChildCase,
  CoveringPeriodReviews,
  HeldReviewTotal,
  ChildrenViewsTotal,
  RecordedReviewFacts,
  ReportedParticipant,
  ReviewStatusFilter,
  ReviewStatusRow,
  StaffMember,
  CaseloadSums,
} from '../app/ports.js';
import type { Database } from './database.js';
import type { StoreChanges } from './store-changes.js';

const CHUNK = 5000;

/** How long a staff list kept while changes are announced is trusted without a look at its version. */
const STAFF_RECHECK_MS = 60_000;

/**
 * The staff list is kept under the store's staff version, which each call reads; with `changes`
 * live, it is kept without that read until a change to staff is announced, or for a minute (a
 * safety net should announcements stop unnoticed), after which the version is read again.
 */
export function createPgCaseReader(db: Kysely<Database>, changes?: StoreChanges): CaseReader {
  /** The staff list this reader last read, its version, and when that version was last read. */
  let staffRead: { version: string; staff: StaffMember[]; checkedAt: number } | undefined;
  /** Changes to staff announced so far: a list read while one arrived is not kept. */
  let staffChanges = 0;
  /** For statements written with their columns already named as the rows' fields (no plugins). */
  const unplugged = db.withoutPlugins();
  changes?.watch('staff', () => {
    staffChanges += 1;
    staffRead = undefined;
  });
  return {
    async listCases(filter: CaseFilter): Promise<ChildCase[]> {
      let query = db
        .selectFrom('children')
        .select([
          'childId',
          'dob',
          'sex',
          'ethnic',
          'firstName',
          'lastName',
          'reviewsKnownFrom',
          'previousReviewOn',
          'previousReviewNumber',
        ]);
      const { lookedAfterOn, inCareBetween, iroEmail } = filter;
      if (lookedAfterOn) {
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('periodsOfCare as p')
              .select('p.id')
              .whereRef('p.childId', '=', 'children.childId')
              .where('p.startDate', '<=', lookedAfterOn)
              .where((eb) =>
                eb.or([eb('p.endDate', 'is', null), eb('p.endDate', '>=', lookedAfterOn)]),
              ),
          ),
        );
      }
      if (inCareBetween) {
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('periodsOfCare as p')
              .select('p.id')
              .whereRef('p.childId', '=', 'children.childId')
              .where('p.startDate', '<=', inCareBetween.to)
              .where((eb) =>
                eb.or([eb('p.endDate', 'is', null), eb('p.endDate', '>=', inCareBetween.from)]),
              ),
          ),
        );
      }
      if (iroEmail) {
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('allocations as a')
              .select('a.id')
              .whereRef('a.childId', '=', 'children.childId')
              .where('a.role', '=', 'iro')
              .where('a.endDate', 'is', null)
              .where('a.staffEmail', '=', iroEmail.toLowerCase()),
          ),
        );
      }
      if (filter.childIds) {
        if (filter.childIds.length === 0) return [];
        query = query.where(sql<boolean>`children.child_id = any(${[...filter.childIds]}::text[])`);
      }
      const children = await query.orderBy('childId').execute();
      const cases = new Map<string, ChildCase>(
        children.map((c) => [
          c.childId,
          {
            childId: c.childId,
            dob: c.dob as LocalDate,
            sex: sexOf(c.sex),
            ethnic: c.ethnic,
            firstName: c.firstName,
            lastName: c.lastName,
            periods: [],
            reviews: [],
            allocations: [],
            reviewsKnownFrom: c.reviewsKnownFrom as LocalDate | null,
            previousReview: c.previousReviewOn
              ? { heldOn: c.previousReviewOn as LocalDate, number: c.previousReviewNumber }
              : null,
          },
        ]),
      );
      const ids = [...cases.keys()];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const [periods, reviews, allocations] = await Promise.all([
          db
            .selectFrom('periodsOfCare')
            .selectAll()
            .where('childId', 'in', chunk)
            .orderBy('startDate')
            .execute(),
          db
            .selectFrom('reviews')
            .select(['childId', 'heldOn', 'reviewCode'])
            .where('status', '=', 'held')
            .where('childId', 'in', chunk)
            .orderBy('heldOn')
            .execute(),
          db
            .selectFrom('allocations')
            .selectAll()
            .where('childId', 'in', chunk)
            .orderBy('startDate')
            .execute(),
        ]);
        for (const p of periods) {
          cases.get(p.childId)?.periods.push({
            start: p.startDate as LocalDate,
            startKnown: p.startKnown,
            end: p.endDate as LocalDate | null,
            shortBreak: p.shortBreak,
          });
        }
        for (const r of reviews) {
          cases.get(r.childId)?.reviews.push({
            heldOn: r.heldOn as LocalDate,
            reviewCode: r.reviewCode as ParticipationCode,
          });
        }
        for (const a of allocations) {
          cases.get(a.childId)?.allocations.push({
            role: a.role,
            staffEmail: a.staffEmail,
            startDate: a.startDate as LocalDate,
            endDate: a.endDate as LocalDate | null,
          });
        }
      }
      return [...cases.values()];
    },

    async listReviewStatus(filter): Promise<ReviewStatusRow[]> {
      if (filter.childIds?.length === 0) return [];
      const { text, parameters } = statusStatement(filter);
      const read = await unplugged.executeQuery<ReviewStatusRow>(
        CompiledQuery.raw(text, parameters),
      );
      return read.rows;
    },

    async summariseCaseload(scope, at) {
      if (('staffEmails' in scope ? scope.staffEmails : scope.childIds).length === 0) return [];
      const { today, month, yearStart, eligibleBy } = at;
      const inScope =
        'staffEmails' in scope
          ? sql`(s.iro_email = any(${[...scope.staffEmails]}::text[])
              or s.sw_email = any(${[...scope.staffEmails]}::text[]))`
          : sql`s.child_id = any(${[...scope.childIds]}::text[])`;
      // Each row's facts are worked out once, in the inner query, and the sums test them: the
      // same conditions statusStatement puts on the lists of reviews due (a period current today).
      // "offset 0" keeps the inner query apart, so its expressions are not copied into every sum.
      const sum = (column: string) =>
        sql<number>`coalesce(sum(${sql.ref(column)}) filter (where this_year), 0)::int`;
      const rows = await sql<CaseloadSums>`
        select iro,
          count(*) filter (where current and not short_break)::int as children,
          count(*) filter (where current and short_break)::int as "shortBreaks",
          count(*) filter (where current
            and next_due_on between ${month.from} and ${month.to})::int as "dueInMonth",
          count(*) filter (where current and next_due_on < ${today})::int as overdue,
          count(*) filter (where current and next_due_on is null)::int as "dueUnknown",
          ${sum('year_held')} as held,
          ${sum('year_assessed')} as assessed,
          ${sum('year_on_time')} as "onTime",
          array[${sql.join([0, 1, 2, 3, 4, 5, 6, 7].map((i) => sum(`year_pn${i}`)))}]
            as participation,
          ${sum('year_aged_four')} as "agedFourOrOver",
          ${sum('year_views_conveyed')} as "viewsConveyed",
          count(*) filter (where this_year and year_aged_four > 0)::int
            as "childrenAgedFourOrOver",
          count(*) filter (where this_year and year_aged_four > 0
            and year_views_communicated = year_aged_four)::int as "childrenCommunicated",
          ${sum('year_sb_held')} as "shortBreakHeld",
          ${sum('year_sb_assessed')} as "shortBreakAssessed",
          ${sum('year_sb_on_time')} as "shortBreakOnTime",
          count(*) filter (where eligible and not (unknown and not late))::int
            as "childrenCounted",
          count(*) filter (where eligible and not late and not unknown)::int
            as "childrenOnTime",
          count(*) filter (where eligible and unknown and not late)::int
            as "childrenDueUnknown",
          count(*) filter (where unsure)::int as unsure
        from (
          select s.iro_email as iro, s.short_break, s.next_due_on, c.current,
            ${sql.join(SUMMED.map((column) => sql.ref(`s.${column}`)))},
            s.year_start = ${yearStart} as this_year,
            c.current and not s.short_break
              and (not s.period_start_known or s.period_start <= ${eligibleBy}) as eligible,
            (coalesce(s.late_held_on >= ${yearStart}, false)
              or coalesce(s.next_due_on <= ${today}, false)) as late,
            (coalesce(s.unknown_held_on >= ${yearStart}, false)
              or s.next_due_on is null) as unknown,
            (s.last_held_on > ${today}
              or (s.period_start_known and s.period_start > ${today})) as unsure
          from review_status s
          cross join lateral (select
            (s.period_end is null or s.period_end >= ${today})
              and (not s.period_start_known or s.period_start <= ${today}) as current) c
          where ${inScope}
            -- Children who left care before the year count in nothing here.
            and coalesce(s.period_end, 'infinity'::date) >= ${yearStart}
          offset 0
        ) s
        group by iro`.execute(db);
      return rows.rows.map((r) => ({ ...r, iro: r.iro ?? null }));
    },

    async summariseHeldReviews(range, childIds) {
      if (childIds.length === 0)
        return { totals: [], covering: [], children: { agedFourOrOver: 0, communicated: 0 } };
      const { from, to } = range;
      // Driven from the children asked about, each by its indexes (one child's periods, its
      // status, its held reviews), so the cost follows the scope, not the size of the store.
      const asked = sql`(select distinct unnest(${[...childIds]}::text[]) as child_id) as i`;
      const inPeriod = sql`(not p.start_known or p.start_date <= r.held_on)
        and (p.end_date is null or r.held_on <= p.end_date)`;
      const [totals, covering, children] = await Promise.all([
        sql<HeldReviewTotal>`
          select p.short_break as "shortBreak", r.review_code as "reviewCode",
            count(*)::int as held,
            count(*) filter (where r.due_on is not null)::int as assessed,
            count(*) filter (where r.due_on is not null and r.days_late = 0)::int as "onTime",
            count(*) filter (where r.held_on >= c.dob + interval '4 years')::int as "agedFourOrOver"
          from ${asked}
          join children c on c.child_id = i.child_id
          join reviews r on r.child_id = i.child_id and r.status = 'held'
            and r.held_on between ${from} and ${to}
          join periods_of_care p on p.child_id = i.child_id and ${inPeriod}
          group by 1, 2`.execute(db),
        sql<CoveringPeriodReviews>`
          select p.child_id as "childId", p.start_date as start, p.start_known as "startKnown",
            p.short_break as "shortBreak", s.period_start as "statusPeriodStart",
            s.next_due_on as "nextDueOn", x.*
          from ${asked}
          join periods_of_care p on p.child_id = i.child_id
            and (not p.start_known or p.start_date <= ${to})
            and (p.end_date is null or ${to} <= p.end_date)
          left join review_status s on s.child_id = i.child_id
          cross join lateral (
            select
              coalesce(bool_or(r.due_on is null and r.held_on between ${from} and ${to}), false)
                as "dueUnknownInRange",
              count(*) filter (where r.held_on <= ${to} and r.due_on is not null
                and (r.due_on between ${from} and ${to}
                  or (r.days_late > 0 and r.due_on < ${from} and r.held_on >= ${from})))::int
                as "reviewsDue",
              count(*) filter (where r.held_on <= ${to} and r.days_late > 0
                and (r.due_on between ${from} and ${to}
                  or (r.due_on < ${from} and r.held_on >= ${from})))::int as "reviewsLate",
              count(*) filter (where r.held_on > ${to})::int as "heldAfter"
            from reviews r
            where r.child_id = p.child_id and r.status = 'held' and ${inPeriod}
          ) x
          order by p.child_id, p.start_date`.execute(db),
        // Each child's reviews at 4 or over, counted in every full-time period that holds them
        // (as the totals count them): communicated at every one is PN1 to PN6 at all of them.
        sql<ChildrenViewsTotal>`
          select count(*)::int as "agedFourOrOver",
            count(*) filter (where communicated = aged)::int as communicated
          from (
            select r.child_id, count(*) as aged,
              count(*) filter (where r.review_code = any(${VIEWS_COMMUNICATED}::text[]))
                as communicated
            from ${asked}
            join children c on c.child_id = i.child_id
            join reviews r on r.child_id = i.child_id and r.status = 'held'
              and r.held_on between ${from} and ${to}
              and r.held_on >= c.dob + interval '4 years'
            join periods_of_care p on p.child_id = i.child_id and not p.short_break
              and ${inPeriod}
            group by r.child_id
          ) x`.execute(db),
      ]);
      return {
        totals: totals.rows,
        covering: covering.rows,
        children: children.rows[0] ?? { agedFourOrOver: 0, communicated: 0 },
      };
    },

    async findChildId(text) {
      const row = await db
        .selectFrom('children')
        .select('childId')
        .where(sql<boolean>`upper(child_id) = upper(${text.trim()})`)
        .executeTakeFirst();
      return row?.childId;
    },

    async listOpenAllocations(filter) {
      let query = db
        .selectFrom('allocations')
        .select(['childId', 'role', 'staffEmail'])
        .where('endDate', 'is', null);
      const emails = filter?.staffEmails;
      if (emails) {
        if (emails.length === 0) return [];
        query = query.where(sql<boolean>`staff_email = any(${[...emails]}::text[])`);
      }
      return query.execute();
    },

    async listScheduledReviews(childIds) {
      if (childIds.length === 0) return [];
      const rows = await db
        .selectFrom('reviews')
        .select(['childId', 'scheduledStart', 'scheduledEnd', 'joinUrl'])
        .where('status', '=', 'scheduled')
        .where('scheduledStart', 'is not', null)
        .where(sql<boolean>`child_id = any(${[...childIds]}::text[])`)
        .orderBy('scheduledStart')
        .execute();
      return rows.map((r) => ({
        childId: r.childId,
        start: r.scheduledStart as Date,
        end: r.scheduledEnd,
        joinUrl: r.joinUrl,
      }));
    },

    async listRecordedReviewFacts(from, to, childIds): Promise<RecordedReviewFacts[]> {
      if (childIds && childIds.length === 0) return [];
      const attended = (participant: ReportedParticipant) =>
        sql<boolean>`coalesce(bool_or(a.participant = ${participant}
          and a.attendance in ('in_person', 'online')), false)`;
      const rows = await sql<{
        childId: string;
        heldOn: string;
        attendanceRecorded: boolean;
        childChaired: boolean;
        advocacyOffered: boolean;
        consultationReturned: boolean;
        lateReason: LateReason | null;
        child: boolean;
        mother: boolean;
        father: boolean;
        otherFamily: boolean;
        carer: boolean;
      }>`
        select r.child_id as "childId", r.held_on as "heldOn",
          count(a.id) > 0 as "attendanceRecorded",
          coalesce(r.child_chaired, false) as "childChaired",
          coalesce(r.advocacy_offered, false) as "advocacyOffered",
          coalesce(r.consultation_returned, false) as "consultationReturned",
          r.late_reason as "lateReason",
          ${attended('child')} as child, ${attended('mother')} as mother,
          ${attended('father')} as father, ${attended('other_family')} as "otherFamily",
          ${attended('carer')} as carer
        from reviews r left join review_attendance a on a.review_id = r.id
        where r.status = 'held' and r.recorded_at is not null
          and r.held_on between ${from} and ${to}
          and ${childIds ? sql`r.child_id = any(${[...childIds]}::text[])` : sql`true`}
        group by r.id
        order by r.child_id collate "C", r.held_on`.execute(db);
      return rows.rows.map((r) => ({
        childId: r.childId,
        heldOn: r.heldOn as LocalDate,
        attendanceRecorded: Boolean(r.attendanceRecorded),
        attended: (
          [
            ['child', r.child],
            ['mother', r.mother],
            ['father', r.father],
            ['other_family', r.otherFamily],
            ['carer', r.carer],
          ] as const
        ).flatMap(([participant, yes]) => (yes ? [participant] : [])),
        childChaired: Boolean(r.childChaired),
        advocacyOffered: Boolean(r.advocacyOffered),
        consultationReturned: Boolean(r.consultationReturned),
        lateReason: r.lateReason,
      }));
    },

    async listStaff(): Promise<StaffMember[]> {
      if (changes?.live && staffRead && Date.now() - staffRead.checkedAt < STAFF_RECHECK_MS)
        return [...staffRead.staff];
      const seen = staffChanges;
      // The version first: a list read after it is as new as the version or newer, so a list is
      // never kept under a version later than its own.
      const version = await db
        .selectFrom('storeMeta')
        .select('value')
        .where('key', '=', 'staff-version')
        .executeTakeFirst();
      const kept = staffRead;
      if (version && kept?.version === version.value) {
        if (seen === staffChanges) kept.checkedAt = Date.now();
        return [...kept.staff];
      }
      const staff = await db
        .selectFrom('staff')
        .select([
          'email',
          'name',
          'role',
          'aadObjectId',
          'team',
          'managerEmail',
          'fte',
          'swId',
          'level',
        ])
        .orderBy('email')
        .execute();
      if (version && seen === staffChanges)
        staffRead = { version: version.value, staff, checkedAt: Date.now() };
      return [...staff];
    },
  };
}

/** SEX as stored: M, F or U (migration 006 turned the older 1 and 2 into M and F). */
function sexOf(value: string | null): ChildCase['sex'] {
  switch (value) {
    case 'M':
    case '1':
      return 'M';
    case 'F':
    case '2':
      return 'F';
    case 'U':
      return 'U';
    default:
      return null;
  }
}

/** The codes of a child who communicated their views (PN1 to PN6). */
const VIEWS_COMMUNICATED = PARTICIPATION_CODES.filter((c) => PARTICIPATION[c].viewsCommunicated);

/** The status row's counts of its reporting year's held reviews, which a caseload summary sums. */
const SUMMED = [
  'year_held',
  'year_assessed',
  'year_on_time',
  ...([0, 1, 2, 3, 4, 5, 6, 7] as const).map((i) => `year_pn${i}` as const),
  'year_aged_four',
  'year_views_conveyed',
  'year_views_communicated',
  'year_sb_held',
  'year_sb_assessed',
  'year_sb_on_time',
] as const;

/**
 * Children whose current period (care, or a short-break arrangement) is open on `today`, with
 * their names, open IRO and social worker, narrowed by the filter, sorted by due date (unknown
 * last), then CHILD id. The lists of reviews due and their counts read these rows.
 *
 * Written out rather than built with Kysely: a list of reviews due is read on every "my reviews
 * due" turn, and building, camel-casing and compiling the query on each call cost about 0.2 ms
 * of CPU, nearly as much as PostgreSQL's own work on it in PGlite (0.3 ms). The columns are named
 * as ReviewStatusRow names them, so the rows need no renaming, and the statement runs without the
 * Kysely instance's plugins (`withoutPlugins`): a plugin added by a caller does not reach it.
 * The text depends only on which filters are set (as the built query's did), so the PGlite
 * dialect still prepares each shape once. `test/integration/review-status-rows.test.ts` checks
 * the rows' fields and types and each filter.
 */
function statusStatement(filter: ReviewStatusFilter): { text: string; parameters: unknown[] } {
  const parameters: unknown[] = [filter.today];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  // The status row carries the child's open IRO and social worker (kept with `allocations` in
  // the same transaction), so an IRO's or a social worker's list is one range of the
  // review_status_iro or review_status_sw index (migration 014): by person, then periods still
  // open today, then due date. It also carries the booked meeting's start, kept by triggers on
  // reviews (migration 013), and the child's names (migration 016), so no other table is read.
  // Dates are read as ISO strings (`open-store.ts`).
  const where = [
    "coalesce(s.period_end, 'infinity'::date) >= $1",
    '(s.period_start_known = false or s.period_start <= $1)',
  ];
  if (filter.due) {
    const { from, to } = filter.due;
    where.push(
      `(s.next_due_on is null or (s.next_due_on >= ${parameter(from)} and s.next_due_on <= ${parameter(to)}))`,
    );
  }
  if (filter.dueUnknown) where.push('s.next_due_on is null');
  if (filter.iroEmail) where.push(`s.iro_email = ${parameter(filter.iroEmail.toLowerCase())}`);
  if (filter.socialWorkerEmail) {
    where.push(`s.sw_email = ${parameter(filter.socialWorkerEmail.toLowerCase())}`);
  }
  if (filter.childIds) where.push(`s.child_id = any(${parameter([...filter.childIds])}::text[])`);
  const text = `select s.child_id as "childId", s.first_name as "firstName",
    s.last_name as "lastName", s.short_break as "shortBreak", s.period_start as "periodStart",
    s.period_start_known as "periodStartKnown", s.last_review_on as "lastReviewOn",
    s.next_due_on as "nextDueOn", s.next_kind as "nextKind", s.midway_on as "midwayOn",
    s.iro_email as iro, s.sw_email as "socialWorker", s.booked_start as "scheduledStart"
  from review_status s
  where ${where.join('\n    and ')}
  order by s.next_due_on asc nulls last, s.child_id collate "C"`;
  return { text, parameters };
}
