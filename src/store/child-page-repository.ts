import type { Kysely } from 'kysely';
import type {
  ChildPageAlertRow,
  ChildPageDecisionRow,
  ChildPageReader,
} from '../app/child-page.js';
import type { DecisionStatus } from '../app/midway/midway-check.js';
import type { LocalDate } from '../domain/local-date.js';
import type { Database } from './database.js';

/**
 * What the tab's child page reads beyond the case: attendance, the last review's decisions and
 * its midway check, and the practice alerts. The caller has checked that the reader may see the child; nothing here
 * logs, and the alerts' text is not read.
 */
export function createPgChildPageReader(db: Kysely<Database>): ChildPageReader {
  /** The child's last review held (latest date; of two that day, the last stored). */
  const lastHeldReview = (childId: string) =>
    db
      .selectFrom('reviews')
      .select('id')
      .where('childId', '=', childId)
      .where('status', '=', 'held')
      .orderBy('heldOn', 'desc')
      .orderBy('id', 'desc')
      .limit(1);

  return {
    async attendance(childId) {
      const rows = await db
        .selectFrom('reviewAttendance as a')
        .innerJoin('reviews as r', 'r.id', 'a.reviewId')
        .select(['r.heldOn', 'a.participant', 'a.attendance'])
        .where('r.childId', '=', childId)
        .where('r.status', '=', 'held')
        .orderBy('r.heldOn', 'desc')
        .orderBy('a.id')
        .execute();
      return rows.map((r) => ({ ...r, heldOn: r.heldOn as LocalDate }));
    },

    async lastReviewDecisions(childId) {
      const decisions = await db
        .selectFrom('reviewDecisions as d')
        .leftJoin('staff as s', 's.email', 'd.ownerEmail')
        .select(['d.id', 'd.description', 's.name as ownerName', 'd.ownerEmail', 'd.dueOn'])
        .where('d.reviewId', '=', lastHeldReview(childId))
        .orderBy('d.id')
        .execute();
      if (decisions.length === 0) return [];
      const reports = await db
        .selectFrom('decisionProgress as p')
        .leftJoin('midwayChecks as m', 'm.id', 'p.midwayCheckId')
        .select(['p.decisionId', 'p.status', 'p.note', 'p.reportedAt', 'm.answeredAt'])
        .where(
          'p.decisionId',
          'in',
          decisions.map((d) => d.id),
        )
        .orderBy('p.reportedAt')
        .orderBy('p.id')
        .execute();
      return decisions.map((d): ChildPageDecisionRow => {
        const own = reports.filter((p) => p.decisionId === d.id);
        const done = own.find((p) => p.status === 'done');
        // One midway check per review, answered once: its answer is the report made in it.
        const midway = own.findLast((p) => p.answeredAt !== null && p.answeredAt !== undefined);
        return {
          id: d.id,
          description: d.description,
          ownerName: d.ownerName ?? null,
          // Someone outside the staff list (an advocate, a health colleague): their address stays
          // in the store, the page says only that it was someone else.
          ownerOutsideStaff: d.ownerEmail !== null && !d.ownerName,
          dueOn: d.dueOn as LocalDate | null,
          doneAt: done ? done.reportedAt : null,
          midway: midway ? { status: midway.status as DecisionStatus, note: midway.note } : null,
        };
      });
    },

    async lastReviewMidwayCheck(childId) {
      // One check per review held (review_id is unique), whose decisions the page lists.
      const row = await db
        .selectFrom('midwayChecks')
        .select(['midwayOn', 'promptedAt', 'answeredAt'])
        .where('reviewId', '=', lastHeldReview(childId))
        .executeTakeFirst();
      return row ? { ...row, midwayOn: row.midwayOn as LocalDate } : undefined;
    },

    async alerts(childId) {
      const rows = await db
        .selectFrom('escalations as e')
        .select(['id', 'stage', 'raisedOn', 'stageDueOn', 'outcome', 'resolvedOn'])
        .select((eb) =>
          eb
            .selectFrom('escalationSteps as s')
            .whereRef('s.escalationId', '=', 'e.id')
            .whereRef('s.stage', '=', 'e.stage')
            .where('s.action', 'in', ['responded', 'responseChanged'])
            .select((step) => step.fn.min('s.at').as('at'))
            .as('respondedAt'),
        )
        .where('childId', '=', childId)
        .orderBy('raisedOn', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((r): ChildPageAlertRow => ({
        id: r.id,
        stage: r.stage,
        raisedOn: r.raisedOn as LocalDate,
        stageDueOn: r.stageDueOn as LocalDate | null,
        outcome: r.outcome,
        closedOn: r.resolvedOn as LocalDate | null,
        respondedAt: r.respondedAt ?? null,
      }));
    },
  };
}
