import { sql, type Kysely } from 'kysely';
import { childLabelOf as label } from '../app/case-view.js';
import {
  REMINDER_JOBS,
  type DecisionContext,
  type FollowedDecision,
  type ReminderStore,
} from '../app/reminders/reminders.js';
import type { LocalDate } from '../domain/local-date.js';
import { MIDWAY_JOBS } from '../app/midway/midway-check.js';
import { appendAudit } from './audit.js';
import type { Database } from './database.js';
import { enqueueJobs } from './job-repository.js';

/** The staff member holding a role for the child now (the latest allocation still open). */
const allocated = (role: 'iro' | 'social_worker', child = sql.ref('c.child_id')) => sql<string>`(
  select a.staff_email from allocations a
  where a.child_id = ${child} and a.role = ${role} and a.end_date is null
  order by a.start_date desc, a.id desc limit 1)`;

interface DecisionRow {
  decisionId: number;
  childId: string;
  firstName: string | null;
  lastName: string | null;
  description: string;
  ownerEmail: string | null;
  ownerName: string | null;
  dueOn: LocalDate | null;
  iroName: string | null;
  iroEmail: string | null;
  chairEmail: string | null;
  chairName: string | null;
  swEmail: string | null;
  lastStatus: string | null;
  lastNote: string | null;
  doneAt: Date | null;
}

function toDecision(r: DecisionRow, timeZoneDate: (d: Date) => LocalDate): DecisionContext {
  const status: FollowedDecision['status'] =
    r.doneAt !== null ? 'done' : r.lastStatus === null ? 'open' : 'notDone';
  return {
    decisionId: r.decisionId,
    childId: r.childId,
    childLabel: label(r),
    description: r.description,
    ownerEmail: r.ownerEmail,
    ownerName: r.ownerName,
    dueOn: r.dueOn,
    iroName: r.iroName ?? r.iroEmail ?? '',
    status,
    doneOn: r.doneAt ? timeZoneDate(r.doneAt) : null,
    reason: status === 'notDone' ? r.lastNote : null,
    swEmail: r.swEmail,
    iroEmail: r.iroEmail,
    chairEmail: r.chairEmail,
    chairName: r.chairName,
  };
}

export function createPgReminderStore(
  db: Kysely<Database>,
  timeZoneDate: (instant: Date) => LocalDate,
): ReminderStore {
  const decisionRows = (where: ReturnType<typeof sql>) => sql<DecisionRow>`
    select d.id as "decisionId", c.child_id as "childId", c.first_name as "firstName",
      c.last_name as "lastName", d.description, d.owner_email as "ownerEmail", owner.name as "ownerName", d.due_on as "dueOn",
      iro.name as "iroName", iro.email as "iroEmail", r.chair_email as "chairEmail",
      chair.name as "chairName", ${allocated('social_worker')} as "swEmail",
      last.status as "lastStatus", last.note as "lastNote",
      (select min(p.reported_at) from decision_progress p
        where p.decision_id = d.id and p.status = 'done') as "doneAt"
    from review_decisions d
    join reviews r on r.id = d.review_id
    join children c on c.child_id = r.child_id
    left join staff iro on iro.email = ${allocated('iro')}
    left join staff owner on owner.email = d.owner_email
    left join staff chair on chair.email = r.chair_email
    left join lateral (
      select p.status, p.note from decision_progress p where p.decision_id = d.id
      order by p.reported_at desc, p.id desc limit 1) last on true
    where ${where}
    order by d.due_on nulls last, c.child_id, d.id`;

  return {
    async followUpRows(from, to, within) {
      const list = within && ('staffEmails' in within ? within.staffEmails : within.childIds);
      if (list && list.length === 0) return { decisions: [], records: [], midway: [], alerts: [] };
      // One array parameter, not a parameter per child: a service's 3,000 children made each of
      // these four queries bind and plan a 3,000-item list. A manager's own view names their
      // staff instead, and each row in the range is checked against its child's allocations.
      const scope = (column: string) =>
        !within
          ? sql`true`
          : 'staffEmails' in within
            ? sql`exists (select 1 from allocations a where a.child_id = ${sql.ref(column)}
                and a.end_date is null and a.staff_email = any(${[...within.staffEmails]}::text[]))`
            : sql`${sql.ref(column)} = any(${[...within.childIds]}::text[])`;
      // One statement, each list as JSON: one round trip and one plan instead of four.
      const rows = await sql<{
        decisions: { dueOn: LocalDate | null; doneAt: string | null }[];
        records: { heldOn: LocalDate; distributedOn: LocalDate | null }[];
        midway: { asked: boolean; answered: boolean; notReached: boolean; givenUp: boolean }[];
        alerts: { stage: string; outcome: string | null }[];
      }>`
        select
          (select coalesce(json_agg(json_build_object('dueOn', d.due_on, 'doneAt',
              (select min(p.reported_at) from decision_progress p
                where p.decision_id = d.id and p.status = 'done')) order by d.id), '[]')
            from review_decisions d join reviews r on r.id = d.review_id
            where r.status = 'held' and r.held_on between ${from} and ${to}
              and ${scope('r.child_id')}) as decisions,
          (select coalesce(json_agg(json_build_object('heldOn', r.held_on,
              'distributedOn', r.record_distributed_on) order by r.id), '[]')
            from reviews r
            where r.status = 'held' and r.recorded_at is not null
              and r.held_on between ${from} and ${to} and ${scope('r.child_id')}) as records,
          (select coalesce(json_agg(json_build_object('asked', m.prompted_at is not null,
              'answered', m.answered_at is not null,
              'notReached', coalesce(j.state = 'pending' and j.attempts > 0, false),
              'givenUp', coalesce(j.state = 'dropped', false)) order by m.id), '[]')
            from midway_checks m
            left join jobs j on j.key = ${MIDWAY_JOBS.prompt}::text || ':' || m.id
              and m.prompted_at is null and m.answered_at is null
            where m.midway_on between ${from} and ${to} and ${scope('m.child_id')}) as midway,
          (select coalesce(json_agg(json_build_object('stage', e.stage, 'outcome', e.outcome) order by e.id), '[]')
            from escalations e
            where e.raised_on between ${from} and ${to} and ${scope('e.child_id')}) as alerts
      `.execute(db);
      const { decisions, records, midway, alerts } = rows.rows[0] as (typeof rows.rows)[number];
      return {
        decisions: decisions.map((d) => ({
          dueOn: d.dueOn,
          doneOn: d.doneAt ? timeZoneDate(new Date(d.doneAt)) : null,
        })),
        records,
        midway,
        alerts,
      };
    },
    async queueDecisionReminders(from, to, runAfterOf) {
      const rows = await sql<{ id: number; dueOn: LocalDate }>`
        select d.id, d.due_on as "dueOn" from review_decisions d
        join staff s on s.email = d.owner_email
        where d.due_on between ${from} and ${to}
          and not exists (select 1 from decision_progress p
            where p.decision_id = d.id and p.status = 'done')`.execute(db);
      await enqueueJobs(
        db,
        rows.rows.map((r) => ({
          kind: REMINDER_JOBS.decisionDue,
          key: `${REMINDER_JOBS.decisionDue}:${r.id}:${r.dueOn}`,
          runAfter: runAfterOf(r.dueOn),
        })),
      );
      return rows.rows.length;
    },
    async findDecision(decisionId) {
      const rows = await decisionRows(sql`d.id = ${decisionId}`).execute(db);
      const row = rows.rows[0];
      return row ? toDecision(row, timeZoneDate) : undefined;
    },
    async updateDecision(input) {
      await db.transaction().execute(async (trx) => {
        const review = await trx
          .selectFrom('reviewDecisions as d')
          .innerJoin('reviews as r', 'r.id', 'd.reviewId')
          .select('r.childId')
          .where('d.id', '=', input.decisionId)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('decisionProgress')
          .values({
            decisionId: input.decisionId,
            status: input.status === 'done' ? 'done' : 'delayed',
            note: input.reason,
            reportedBy: input.by,
            reportedAt: input.at,
          })
          .execute();
        await appendAudit(
          trx,
          { actor: input.by, today: input.today, correlationId: input.correlationId },
          [
            {
              action: 'decision.updated',
              entity: 'child',
              entityId: review.childId,
              detail: { decision: input.decisionId, status: input.status },
            },
          ],
        );
      });
    },
    async overdueDecisions(of, today) {
      if ('childIds' in of && of.childIds.length === 0) return [];
      const whose =
        'childIds' in of
          ? sql`c.child_id = any(${[...of.childIds]}::text[])`
          : sql`iro.email = ${of.iroEmail}`;
      const rows = await decisionRows(
        sql`${whose} and d.due_on < ${today}
          and not exists (select 1 from decision_progress p
            where p.decision_id = d.id and p.status = 'done')`,
      ).execute(db);
      return rows.rows.map((r) => toDecision(r, timeZoneDate));
    },
    async queueDigests(today, runAfter) {
      const iros = await db
        .selectFrom('staff')
        .select('email')
        .where('role', '=', 'iro')
        .where('aadObjectId', 'is not', null)
        .execute();
      await enqueueJobs(
        db,
        iros.map((i) => ({
          kind: REMINDER_JOBS.digest,
          key: `${REMINDER_JOBS.digest}:${today}:${i.email}`,
          runAfter,
        })),
      );
      return iros.length;
    },
    async digestLists(iroEmail, input) {
      const mine = sql`${allocated('iro')} = ${iroEmail}`;
      const [notRecorded, undistributed, booked] = await Promise.all([
        // Reviews booked through the app whose meeting ended a while ago: no record, or no decisions.
        sql<{
          reviewId: number;
          childId: string;
          firstName: string | null;
          lastName: string | null;
          heldOn: LocalDate | null;
          start: Date;
          status: string;
        }>`
          select r.id as "reviewId", c.child_id as "childId", c.first_name as "firstName",
            c.last_name as "lastName", r.held_on as "heldOn", r.scheduled_start as "start",
            r.status
          from reviews r join children c on c.child_id = r.child_id
          where ${mine} and r.scheduled_end is not null and r.scheduled_end < ${input.meetingsEndedBefore}
            and r.scheduled_start >= ${input.heldSince}
            and (r.status = 'scheduled'
              or (r.status = 'held' and not exists (select 1 from review_decisions d where d.review_id = r.id)))
          order by r.scheduled_start`.execute(db),
        sql<{
          reviewId: number;
          childId: string;
          firstName: string | null;
          lastName: string | null;
          heldOn: LocalDate;
        }>`
          select r.id as "reviewId", c.child_id as "childId", c.first_name as "firstName",
            c.last_name as "lastName", r.held_on as "heldOn"
          from reviews r join children c on c.child_id = r.child_id
          where ${mine} and r.status = 'held' and r.recorded_at is not null
            and r.record_distributed_on is null and r.held_on >= ${input.heldSince}
          order by r.held_on`.execute(db),
        sql<{ childId: string }>`
          select distinct r.child_id as "childId" from reviews r join children c on c.child_id = r.child_id
          where ${mine} and r.status = 'scheduled'`.execute(db),
      ]);
      return {
        decisionsNotRecorded: notRecorded.rows.map((r) => ({
          reviewId: r.reviewId,
          childId: r.childId,
          childLabel: label(r),
          heldOn: r.heldOn ?? timeZoneDate(r.start),
          recorded: r.status === 'held',
        })),
        undistributed: undistributed.rows.map((r) => ({
          reviewId: r.reviewId,
          childId: r.childId,
          childLabel: label(r),
          heldOn: r.heldOn,
        })),
        booked: new Set(booked.rows.map((r) => r.childId)),
      };
    },
    async reviewForRecord(reviewId) {
      const row = await db
        .selectFrom('reviews')
        .select(['childId', 'chairEmail', 'heldOn', 'status'])
        .where('id', '=', reviewId)
        .executeTakeFirst();
      if (!row || row.status !== 'held') return undefined;
      return {
        childId: row.childId,
        chairEmail: row.chairEmail,
        heldOn: row.heldOn as LocalDate | null,
      };
    },
    async markDistributed(input) {
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable('reviews')
          .set({ recordDistributedOn: input.today })
          .where('id', '=', input.reviewId)
          .where('status', '=', 'held')
          .where('recordDistributedOn', 'is', null)
          .execute();
        const row = await trx
          .selectFrom('reviews as r')
          .innerJoin('children as c', 'c.childId', 'r.childId')
          .select([
            'r.childId',
            'c.firstName',
            'c.lastName',
            'r.heldOn',
            'r.recordDistributedOn',
            'r.chairEmail',
          ])
          .where('r.id', '=', input.reviewId)
          .where('r.status', '=', 'held')
          .executeTakeFirst();
        if (!row || !row.heldOn || !row.recordDistributedOn) return undefined;
        await appendAudit(
          trx,
          { actor: input.by, today: input.today, correlationId: input.correlationId },
          [
            {
              action: 'review.recordDistributed',
              entity: 'child',
              entityId: row.childId,
              detail: { review: input.reviewId, on: row.recordDistributedOn },
            },
          ],
        );
        return {
          childId: row.childId,
          childLabel: label(row),
          heldOn: row.heldOn as LocalDate,
          distributedOn: row.recordDistributedOn as LocalDate,
          chairEmail: row.chairEmail,
        };
      });
    },
    async queueReportReminders(from, to, runAfterOf) {
      const rows = await db
        .selectFrom('reviews')
        .select(['id', 'scheduledStart'])
        .where('status', '=', 'scheduled')
        .where('scheduledStart', '>=', from)
        .where('scheduledStart', '<=', to)
        .execute();
      const jobs = rows
        .filter((r): r is { id: number; scheduledStart: Date } => r.scheduledStart !== null)
        .map((r) => ({
          kind: REMINDER_JOBS.reportDue,
          key: `${REMINDER_JOBS.reportDue}:${r.id}:${r.scheduledStart.toISOString()}`,
          runAfter: runAfterOf(r.scheduledStart),
        }));
      await enqueueJobs(db, jobs);
      return jobs.length;
    },
    async bookedReview(reviewId) {
      const rows = await sql<{
        childId: string;
        firstName: string | null;
        lastName: string | null;
        start: Date;
        swEmail: string | null;
        iroName: string | null;
      }>`
        select c.child_id as "childId", c.first_name as "firstName", c.last_name as "lastName",
          r.scheduled_start as "start", ${allocated('social_worker')} as "swEmail",
          coalesce(iro.name, r.chair_email) as "iroName"
        from reviews r join children c on c.child_id = r.child_id
        left join staff iro on iro.email = r.chair_email
        where r.id = ${reviewId} and r.status = 'scheduled' and r.scheduled_start is not null`.execute(
        db,
      );
      const row = rows.rows[0];
      return row
        ? {
            childId: row.childId,
            childLabel: label(row),
            start: row.start,
            swEmail: row.swEmail,
            iroName: row.iroName ?? '',
          }
        : undefined;
    },
  };
}
