import { ConflictError } from '../app/errors.js';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { ChangeContext } from '../app/ports.js';
import type {
  BookedReview,
  NewBooking,
  ScheduleChange,
  ScheduledReviewRepository,
} from '../app/scheduling/scheduled-reviews.js';
import type { Selectable } from 'kysely';
import type { Database, ReviewsTable } from './database.js';
import { appendAudit } from './audit.js';

const COLUMNS = [
  'id',
  'childId',
  'chairEmail',
  'dueOn',
  'kind',
  'scheduledStart',
  'scheduledEnd',
  'venue',
  'graphEventId',
  'icalUid',
  'joinUrl',
  'transactionId',
  'invitees',
] as const;

type Row = Pick<Selectable<ReviewsTable>, (typeof COLUMNS)[number]>;

function toBooked(row: Row): BookedReview {
  return {
    id: row.id,
    childId: row.childId,
    chairEmail: row.chairEmail ?? '',
    dueOn: row.dueOn as BookedReview['dueOn'],
    kind: row.kind as BookedReview['kind'],
    start: row.scheduledStart as Date,
    end: row.scheduledEnd as Date,
    venue: row.venue ?? '',
    eventId: row.graphEventId ?? '',
    iCalUId: row.icalUid ?? '',
    joinUrl: row.joinUrl,
    transactionId: row.transactionId,
    invitees: row.invitees,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

export function createPgScheduledReviewRepository(db: Kysely<Database>): ScheduledReviewRepository {
  const find = (childId: string) =>
    db
      .selectFrom('reviews')
      .select(COLUMNS)
      .where('childId', '=', childId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();

  return {
    async findScheduled(childId) {
      const row = await find(childId);
      return row ? toBooked(row as Row) : undefined;
    },

    async findByEventId(eventId) {
      const row = await db
        .selectFrom('reviews')
        .select(COLUMNS)
        .where('graphEventId', '=', eventId)
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      return row ? toBooked(row as Row) : undefined;
    },

    async recordBooking(booking: NewBooking, context: ChangeContext) {
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('reviews')
            .values({
              childId: booking.childId,
              status: 'scheduled',
              dueOn: booking.dueOn,
              kind: booking.kind,
              chairEmail: booking.chairEmail,
              scheduledStart: booking.start,
              scheduledEnd: booking.end,
              venue: booking.venue,
              graphEventId: booking.eventId,
              icalUid: booking.iCalUId,
              joinUrl: booking.joinUrl,
              transactionId: booking.transactionId,
              invitees: JSON.stringify(booking.invitees),
              source: 'bot',
              recordedBy: context.actor,
            })
            .returning(COLUMNS)
            .executeTakeFirstOrThrow();
          await appendAudit(trx, context, [
            {
              action: 'review.schedule',
              entity: 'review',
              entityId: String(row.id),
              detail: {
                child: booking.childId,
                start: booking.start.toISOString(),
                end: booking.end.toISOString(),
                eventId: booking.eventId,
                invitees: booking.invitees.length,
              },
            },
          ]);
          return { created: true, review: toBooked(row as Row) };
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await find(booking.childId);
        // The other unique rule: one booked review per calendar event (two children, one meeting).
        if (!existing) throw new ConflictError('That meeting is already booked as another review.');
        return { created: false, review: toBooked(existing as Row) };
      }
    },

    async recordMove(id, change: ScheduleChange, context) {
      return db.transaction().execute(async (trx) => {
        const review = await move(trx, id, change, context);
        if (!review) throw new ConflictError('That review is no longer booked.');
        return review;
      });
    },

    async recordCancellation(id, reason, context) {
      await db.transaction().execute(async (trx) => {
        if (await cancel(trx, id, reason, context)) return;
        // Cancelled already (the calendar read-back may find the cancellation in the moment
        // between the chair's cancel reaching Graph and this write): done, not an error.
        const row = await trx
          .selectFrom('reviews')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst();
        if (row?.status !== 'cancelled')
          throw new ConflictError('That review is no longer booked.');
      });
    },

    async listBookedEndingAfter(endsAfter) {
      const rows = await db
        .selectFrom('reviews')
        .select(COLUMNS)
        .where('status', '=', 'scheduled')
        .where('recordedAt', 'is', null)
        .where('graphEventId', 'is not', null)
        .where('scheduledEnd', '>', endsAfter)
        .orderBy('id')
        .execute();
      return rows.map((row) => toBooked(row as Row));
    },

    async recordCalendarChange(id, seen, change, context) {
      return db
        .transaction()
        .execute(async (trx) =>
          change.kind === 'moved'
            ? (await move(trx, id, change, context, seen)) !== undefined
            : cancel(trx, id, change.reason, context, seen),
        );
    },

    async listChanges(from, to) {
      const rows = await db
        .selectFrom('auditLog')
        .select(['action', 'at', 'actor', 'detail'])
        .where('action', 'in', ['review.reschedule', 'review.cancel'])
        // By the council's day the change was made on (`on`, from the app's clock); records written
        // before `on` was kept fall back to the day in UTC.
        .where(
          sql<boolean>`coalesce((detail->>'on')::date, (at at time zone 'UTC')::date)
            between ${from}::date and ${to}::date`,
        )
        .orderBy('at')
        .execute();
      return rows.map((r) => ({
        change: r.action === 'review.cancel' ? ('cancelled' as const) : ('rescheduled' as const),
        at: r.at,
        by: r.actor,
        child: String(r.detail['child'] ?? ''),
        reason: String(r.detail['reason'] ?? ''),
      }));
    },
  };
}

/** The meeting as it was read, for a change that must not undo one made meanwhile. */
type Seen = { start: Date; end: Date };

const stillAt = (seen: Seen | undefined) => (eb: ExpressionBuilder<Database, 'reviews'>) =>
  seen
    ? eb.and([eb('scheduledStart', '=', seen.start), eb('scheduledEnd', '=', seen.end)])
    : eb.lit(true);

/** Moves a booked review, with its audit record; undefined when it is not booked (or not `seen`). */
async function move(
  trx: Kysely<Database>,
  id: number,
  change: ScheduleChange,
  context: ChangeContext,
  seen?: Seen,
): Promise<BookedReview | undefined> {
  const before = await trx
    .selectFrom('reviews')
    .select(['scheduledStart', 'childId'])
    .where('id', '=', id)
    .executeTakeFirst();
  const row = await trx
    .updateTable('reviews')
    .set({
      scheduledStart: change.start,
      scheduledEnd: change.end,
      ...(change.venue ? { venue: change.venue } : {}),
      changeReason: change.reason,
      updatedAt: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .where(stillAt(seen))
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!row || !before) return undefined;
  await appendAudit(trx, context, [
    {
      action: 'review.reschedule',
      entity: 'review',
      entityId: String(id),
      detail: {
        child: before.childId,
        from: (seen?.start ?? before.scheduledStart)?.toISOString(),
        to: change.start.toISOString(),
        reason: change.reason,
        on: context.today,
      },
    },
  ]);
  return toBooked(row as Row);
}

/** Cancels a booked review, with its audit record; false when it is not booked (or not `seen`). */
async function cancel(
  trx: Kysely<Database>,
  id: number,
  reason: string,
  context: ChangeContext,
  seen?: Seen,
): Promise<boolean> {
  const row = await trx
    .updateTable('reviews')
    .set({ status: 'cancelled', changeReason: reason, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .where(stillAt(seen))
    .returning(['childId', 'scheduledStart'])
    .executeTakeFirst();
  if (!row) return false;
  await appendAudit(trx, context, [
    {
      action: 'review.cancel',
      entity: 'review',
      entityId: String(id),
      detail: {
        child: row.childId,
        start: row.scheduledStart?.toISOString(),
        reason,
        on: context.today,
      },
    },
  ]);
  return true;
}
