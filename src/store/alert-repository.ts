import { sql, type Kysely } from 'kysely';
import { childLabelOf } from '../app/case-view.js';
import type { AlertStage, AlertStore, PracticeAlert } from '../app/alerts/practice-alert.js';
import type { LocalDate } from '../domain/local-date.js';
import { appendAudit } from './audit.js';
import type { Database } from './database.js';
import { enqueueJobs } from './job-repository.js';

const STEP_AUDIT = {
  responded: 'alert.responded',
  responseChanged: 'alert.responseChanged',
  movedOn: 'alert.movedOn',
  resolved: 'alert.resolved',
} as const;
const STEP_ACTION = { respond: 'responded', moveOn: 'movedOn', resolve: 'resolved' } as const;

export function createPgAlertStore(db: Kysely<Database>): AlertStore {
  const base = () =>
    db
      .selectFrom('escalations as e')
      .innerJoin('children as c', 'c.childId', 'e.childId')
      .leftJoin('staff as iro', 'iro.email', 'e.iroEmail')
      .leftJoin('staff as r', 'r.email', 'e.responderEmail')
      .leftJoin('reviewDecisions as d', 'd.id', 'e.decisionId')
      .where('e.issue', 'is not', null)
      .select([
        'e.id',
        'e.childId',
        'e.iroEmail',
        'e.issue',
        'e.actionWanted',
        'e.decisionId',
        'd.description as decisionText',
        'e.stage',
        'e.stageStartedOn',
        'e.stageDueOn',
        'e.responderEmail',
        'r.name as responderName',
        'e.raisedOn',
        'e.resolvedOn',
        'e.outcome',
        'c.firstName',
        'c.lastName',
        'iro.name as iroName',
        sql<string | null>`(select s.name from allocations a join staff s on s.email = a.staff_email
          where a.child_id = e.child_id and a.role = 'social_worker' and a.end_date is null
          order by a.start_date desc, a.id desc limit 1)`.as('swName'),
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

  const withSteps = async (rows: Row[]): Promise<PracticeAlert[]> => {
    if (rows.length === 0) return [];
    const steps = await db
      .selectFrom('escalationSteps as s')
      .leftJoin('staff', 'staff.email', 's.actorEmail')
      .select([
        's.id',
        's.escalationId',
        's.at',
        's.actorEmail',
        'staff.name',
        's.action',
        's.stage',
        's.note',
        's.responderEmail',
      ])
      .where(
        's.escalationId',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('s.id')
      .execute();
    return rows.map((row) => {
      return {
        alertId: row.id,
        childId: row.childId,
        childLabel: childLabelOf(row),
        iroEmail: row.iroEmail ?? '',
        iroName: row.iroName ?? row.iroEmail ?? '',
        issue: row.issue ?? '',
        actionWanted: row.actionWanted,
        decision:
          row.decisionId !== null && row.decisionText !== null
            ? { decisionId: row.decisionId, description: row.decisionText }
            : null,
        stage: row.stage as AlertStage,
        stageStartedOn: (row.stageStartedOn ?? row.raisedOn) as LocalDate,
        stageDueOn: (row.stageDueOn ?? row.raisedOn) as LocalDate,
        swName: row.swName,
        responderEmail: row.responderEmail,
        responderName: row.responderName ?? row.responderEmail,
        raisedOn: row.raisedOn as LocalDate,
        status: row.resolvedOn ? 'resolved' : 'open',
        outcome: row.outcome,
        resolvedOn: row.resolvedOn as LocalDate | null,
        steps: steps
          .filter((s) => s.escalationId === row.id)
          .map((s) => ({
            id: s.id,
            at: s.at,
            actorEmail: s.actorEmail,
            actorName: s.name ?? s.actorEmail,
            action: s.action,
            stage: s.stage as AlertStage,
            note: s.note,
            responderEmail: s.responderEmail,
          })),
      };
    });
  };

  return {
    async lastReviewDecisions(childId) {
      const rows = await db
        .selectFrom('reviewDecisions as d')
        .innerJoin('reviews as r', 'r.id', 'd.reviewId')
        .innerJoin('reviewStatus as s', (join) =>
          join.onRef('s.childId', '=', 'r.childId').onRef('s.lastReviewOn', '=', 'r.heldOn'),
        )
        .select(['d.id', 'd.description'])
        .where('r.childId', '=', childId)
        .where('r.status', '=', 'held')
        .orderBy('d.id')
        .execute();
      return rows.map((r) => ({ decisionId: r.id, description: r.description }));
    },
    async find(alertId) {
      const rows = await base().where('e.id', '=', alertId).execute();
      return (await withSteps(rows))[0];
    },
    async latestForChild(childId) {
      const rows = await base()
        .where('e.childId', '=', childId)
        .orderBy((eb) => eb.case().when('e.resolvedOn', 'is', null).then(0).else(1).end())
        .orderBy('e.id', 'desc')
        .limit(1)
        .execute();
      return (await withSteps(rows))[0];
    },
    async listOpen(filter) {
      let query = base().where('e.resolvedOn', 'is', null);
      query = query.where((eb) => {
        const any = [];
        if (filter.iroEmail) any.push(eb('e.iroEmail', '=', filter.iroEmail));
        if (filter.responderEmail) any.push(eb('e.responderEmail', '=', filter.responderEmail));
        if (filter.childIds && filter.childIds.length > 0)
          any.push(sql<boolean>`e.child_id = any(${[...filter.childIds]}::text[])`);
        return any.length > 0 ? eb.or(any) : eb.val(false);
      });
      return withSteps(await query.orderBy('e.stageDueOn').orderBy('e.id').execute());
    },
    async raise(alert, context, jobs) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('escalations')
          .values({
            childId: alert.childId,
            raisedBy: context.actor,
            iroEmail: alert.iroEmail,
            stage: 'informal',
            raisedOn: context.today,
            issue: alert.issue,
            actionWanted: alert.actionWanted,
            decisionId: alert.decisionId,
            midwayCheckId: alert.midwayCheckId,
            stageStartedOn: alert.startedOn,
            stageDueOn: alert.dueOn,
            responderEmail: alert.responderEmail,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const raised = await trx
          .insertInto('escalationSteps')
          .values({
            escalationId: row.id,
            at: context.at,
            actorEmail: context.actor,
            action: 'raised',
            stage: 'informal',
            note: null,
            responderEmail: alert.responderEmail,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(
          trx,
          { actor: context.actor, today: context.today, correlationId: context.correlationId },
          [
            {
              action: 'alert.raised',
              entity: 'child',
              entityId: alert.childId,
              detail: { alert: row.id, stage: 'informal', decision: alert.decisionId },
            },
          ],
        );
        await enqueueJobs(trx, jobs(row.id, raised.id));
        return row.id;
      });
    },
    async addStep(alertId, expectedStage, change, step, context, jobs) {
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('escalations')
          .select(['childId'])
          .where('id', '=', alertId)
          .where('stage', '=', expectedStage)
          .where('resolvedOn', 'is', null)
          .forUpdate()
          .executeTakeFirst();
        if (!current) return 'stale';
        let action: keyof typeof STEP_AUDIT = STEP_ACTION[change.kind];
        if (change.kind === 'respond') {
          // Read under the alert's lock: a second press waits for the first, then finds it.
          const sent = await trx
            .selectFrom('escalationSteps')
            .select('note')
            .where('escalationId', '=', alertId)
            .where('stage', '=', expectedStage)
            .where('actorEmail', '=', step.actorEmail)
            .where('action', 'in', ['responded', 'responseChanged'])
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (sent && sent.note === step.note) return 'unchanged';
          if (sent) action = 'responseChanged';
        }
        if (change.kind === 'moveOn') {
          await trx
            .updateTable('escalations')
            .set({
              stage: change.stage,
              stageStartedOn: change.startedOn,
              stageDueOn: change.dueOn,
              responderEmail: change.responderEmail,
            })
            .where('id', '=', alertId)
            .execute();
        } else if (change.kind === 'resolve') {
          await trx
            .updateTable('escalations')
            .set({ resolvedOn: change.resolvedOn, outcome: change.outcome })
            .where('id', '=', alertId)
            .execute();
        }
        const added = await trx
          .insertInto('escalationSteps')
          .values({
            escalationId: alertId,
            at: context.at,
            actorEmail: step.actorEmail,
            action,
            stage: change.kind === 'moveOn' ? change.stage : expectedStage,
            note: step.note,
            responderEmail: change.kind === 'moveOn' ? change.responderEmail : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(
          trx,
          { actor: step.actorEmail, today: context.today, correlationId: context.correlationId },
          [
            {
              action: STEP_AUDIT[action],
              entity: 'child',
              entityId: current.childId,
              detail: {
                alert: alertId,
                from: expectedStage,
                ...(change.kind === 'moveOn' ? { to: change.stage } : {}),
                ...(change.kind === 'resolve' ? { outcome: change.outcome } : {}),
              },
            },
          ],
        );
        await enqueueJobs(trx, jobs(alertId, added.id));
        return 'done';
      });
    },
  };
}
