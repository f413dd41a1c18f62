import { sql, type Kysely } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import type { CaseFilter, CaseReader, ChildCase, StaffMember } from '../app/ports.js';
import type { Database } from './database.js';

const CHUNK = 5000;

export function createPgCaseReader(db: Kysely<Database>): CaseReader {
  return {
    async listCases(filter: CaseFilter): Promise<ChildCase[]> {
      let query = db.selectFrom('children').select(['childId', 'dob', 'firstName', 'lastName']);
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
        .select(['email', 'name', 'role', 'aadObjectId', 'team', 'managerEmail', 'fte'])
        .orderBy('email')
        .execute();
    },
  };
}
