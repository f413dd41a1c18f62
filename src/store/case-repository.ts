import { sql, type Kysely } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import type { ReviewKind } from '../domain/review-schedule.js';
import type {
  CaseFilter,
  CaseReader,
  ChildCase,
  ReviewStatusRow,
  StaffMember,
} from '../app/ports.js';
import type { Database } from './database.js';

const CHUNK = 5000;

export function createPgCaseReader(db: Kysely<Database>): CaseReader {
  return {
    async listCases(filter: CaseFilter): Promise<ChildCase[]> {
      let query = db
        .selectFrom('children')
        .select([
          'childId',
          'dob',
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
      let query = db
        .selectFrom('reviewStatus as s')
        .innerJoin('children as c', 'c.childId', 's.childId')
        .leftJoin('allocations as iro', (join) =>
          join
            .onRef('iro.childId', '=', 's.childId')
            .on('iro.role', '=', 'iro')
            .on('iro.endDate', 'is', null),
        )
        .leftJoin('allocations as sw', (join) =>
          join
            .onRef('sw.childId', '=', 's.childId')
            .on('sw.role', '=', 'social_worker')
            .on('sw.endDate', 'is', null),
        )
        .select([
          's.childId',
          'c.firstName',
          'c.lastName',
          's.shortBreak',
          's.periodStart',
          's.periodStartKnown',
          's.lastReviewOn',
          's.nextDueOn',
          's.nextKind',
          's.midwayOn',
          'iro.staffEmail as iro',
          'sw.staffEmail as socialWorker',
        ])
        .where((eb) =>
          eb.or([eb('s.periodEnd', 'is', null), eb('s.periodEnd', '>=', filter.today)]),
        )
        .where((eb) =>
          eb.or([eb('s.periodStartKnown', '=', false), eb('s.periodStart', '<=', filter.today)]),
        );
      if (filter.due) {
        const { from, to } = filter.due;
        query = query.where((eb) =>
          eb.or([
            eb('s.nextDueOn', 'is', null),
            eb.and([eb('s.nextDueOn', '>=', from), eb('s.nextDueOn', '<=', to)]),
          ]),
        );
      }
      if (filter.iroEmail)
        query = query.where('iro.staffEmail', '=', filter.iroEmail.toLowerCase());
      if (filter.childIds) {
        if (filter.childIds.length === 0) return [];
        query = query.where(sql<boolean>`s.child_id = any(${[...filter.childIds]}::text[])`);
      }
      const rows = await query
        .orderBy(sql`s.next_due_on asc nulls last`)
        .orderBy(sql`s.child_id collate "C"`)
        .execute();
      return rows.map((r) => ({
        ...r,
        periodStart: r.periodStart as LocalDate,
        lastReviewOn: r.lastReviewOn as LocalDate | null,
        nextDueOn: r.nextDueOn as LocalDate | null,
        nextKind: r.nextKind as ReviewKind | null,
        midwayOn: r.midwayOn as LocalDate | null,
        iro: r.iro ?? null,
        socialWorker: r.socialWorker ?? null,
      }));
    },

    async findChildId(text) {
      const row = await db
        .selectFrom('children')
        .select('childId')
        .where(sql<boolean>`upper(child_id) = upper(${text.trim()})`)
        .executeTakeFirst();
      return row?.childId;
    },

    async listOpenAllocations() {
      return db
        .selectFrom('allocations')
        .select(['childId', 'role', 'staffEmail'])
        .where('endDate', 'is', null)
        .execute();
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

    async listStaff(): Promise<StaffMember[]> {
      return db
        .selectFrom('staff')
        .select(['email', 'name', 'role', 'aadObjectId', 'team', 'managerEmail', 'fte', 'swId'])
        .orderBy('email')
        .execute();
    },
  };
}
