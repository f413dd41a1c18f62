import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import type {
  AttendanceEntry,
  MeetingReview,
  ReviewRecord,
  ReviewRecordRepository,
} from '../app/recording/review-record.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import type { Database } from './database.js';
import { appendAudit } from './audit.js';
import { refreshReviewState } from './review-state-repository.js';

/** How often the recording form is tried before the job gives up on a review. */
const REMINDER_ATTEMPTS = 12;

const MEETING_COLUMNS = [
  'id',
  'childId',
  'chairEmail',
  'status',
  'scheduledStart',
  'scheduledEnd',
  'joinUrl',
  'meetingChatId',
  'meetingCardActivityId',
  'recordedAt',
  'transactionId',
  'invitees',
] as const;

function toMeeting(
  row: Omit<MeetingReview, 'reviewId' | 'chairEmail'> & { id: number; chairEmail: string | null },
): MeetingReview {
  const { id, ...rest } = row;
  return { ...rest, reviewId: id, chairEmail: row.chairEmail ?? '' };
}

/**
 * Join links arrive encoded differently (Teams events, Graph, copies that were encoded twice);
 * compare them fully decoded, without the query string, ignoring case.
 */
export function normaliseJoinUrl(url: string): string {
  let current = url;
  for (let i = 0; i < 3; i += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      break;
    }
    if (decoded === current) break;
    current = decoded;
  }
  return (current.split('?')[0] ?? '').toLowerCase();
}

export function createPgReviewRecordRepository(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
): ReviewRecordRepository {
  return {
    async record(target, record, context) {
      return db.transaction().execute(async (trx) => {
        const clash = await trx
          .selectFrom('reviews')
          .select(['id', 'transactionId'])
          .where('childId', '=', target.childId)
          .where('status', '=', 'held')
          .where('heldOn', '=', record.heldOn)
          .executeTakeFirst();
        const columns = ['id', 'status', 'scheduledStart', 'graphEventId'] as const;
        let existing = target.reviewId
          ? await trx
              .selectFrom('reviews')
              .select(columns)
              .where('id', '=', target.reviewId)
              .where('childId', '=', target.childId)
              .executeTakeFirst()
          : undefined;
        existing ??= await trx
          .selectFrom('reviews')
          .select(columns)
          .where('childId', '=', target.childId)
          .where('transactionId', '=', target.recordKey)
          .executeTakeFirst();
        // A review recorded without its meeting (held on another day, or without Teams) still
        // completes the child's booked review: the booking never carries over to the next one.
        let adopted = false;
        if (!existing) {
          existing = await trx
            .selectFrom('reviews')
            .select(columns)
            .where('childId', '=', target.childId)
            .where('status', '=', 'scheduled')
            .executeTakeFirst();
          adopted = existing !== undefined;
        }
        if (clash && clash.id !== existing?.id)
          return { ok: false as const, reason: 'sameDate' as const };
        const completedBooking =
          existing?.status === 'scheduled' && existing.scheduledStart && existing.graphEventId
            ? { start: existing.scheduledStart, eventId: existing.graphEventId }
            : null;
        const values = {
          ...(adopted ? { transactionId: target.recordKey } : {}),
          status: 'held' as const,
          heldOn: record.heldOn,
          reviewCode: record.reviewCode,
          childChaired: record.childChaired,
          advocacyOffered: record.advocacyOffered,
          consultationReturned: record.consultationReturned,
          lateReason: record.lateReason,
          chairEmail: target.chairEmail,
          recordedBy: context.actor,
          recordedAt: sql<Date>`now()`,
          updatedAt: sql<Date>`now()`,
        };
        const created = !existing || existing.status !== 'held';
        const row = existing
          ? await trx
              .updateTable('reviews')
              .set(values)
              .where('id', '=', existing.id)
              .returning(['id', 'recordedAt'])
              .executeTakeFirstOrThrow()
          : await trx
              .insertInto('reviews')
              .values({
                ...values,
                childId: target.childId,
                dueOn: target.dueOn,
                kind: target.kind,
                source: 'bot',
                transactionId: target.recordKey,
              })
              .returning(['id', 'recordedAt'])
              .executeTakeFirstOrThrow();
        await trx.deleteFrom('reviewAttendance').where('reviewId', '=', row.id).execute();
        if (record.attendance.length > 0) {
          await trx
            .insertInto('reviewAttendance')
            .values(
              record.attendance.map((a) => ({
                reviewId: row.id,
                participant: a.participant,
                inviteeIndex: a.inviteeIndex,
                attendance: a.attendance,
              })),
            )
            .execute();
        }
        await saveDecisions(trx, row.id, record.decisions);
        await refreshReviewState(trx, calendar, [target.childId]);
        await appendAudit(trx, context, [
          {
            action: created ? 'review.record' : 'review.update',
            entity: 'review',
            entityId: String(row.id),
            detail: {
              child: target.childId,
              heldOn: record.heldOn,
              reviewCode: record.reviewCode,
              attendance: record.attendance.length,
              decisions: record.decisions.length,
              ...(completedBooking
                ? { completedBooking: completedBooking.start.toISOString() }
                : {}),
            },
          },
        ]);
        return {
          ok: true as const,
          review: {
            reviewId: row.id,
            created,
            recordedAt: row.recordedAt as Date,
            completedBooking,
          },
        };
      });
    },

    async findByJoinUrl(joinUrl) {
      const wanted = normaliseJoinUrl(joinUrl);
      const rows = await db
        .selectFrom('reviews')
        .select(MEETING_COLUMNS)
        .where('joinUrl', 'is not', null)
        .where('status', 'in', ['scheduled', 'held'])
        .execute();
      const row = rows.find((r) => normaliseJoinUrl(r.joinUrl as string) === wanted);
      return row ? toMeeting(row) : undefined;
    },

    async findById(reviewId) {
      const row = await db
        .selectFrom('reviews')
        .select(MEETING_COLUMNS)
        .where('id', '=', reviewId)
        .executeTakeFirst();
      return row ? toMeeting(row) : undefined;
    },

    async findByMeetingChat(chatId) {
      const row = await db
        .selectFrom('reviews')
        .select(MEETING_COLUMNS)
        .where('meetingChatId', '=', chatId)
        .where('status', 'in', ['scheduled', 'held'])
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toMeeting(row) : undefined;
    },

    async findByRecordKey(childId, recordKey) {
      const row = await db
        .selectFrom('reviews')
        .select(MEETING_COLUMNS)
        .where('childId', '=', childId)
        .where('transactionId', '=', recordKey)
        .executeTakeFirst();
      return row ? toMeeting(row) : undefined;
    },

    async meetingStarted(reviewId, at, chatId) {
      await db
        .updateTable('reviews')
        .set({
          meetingStartedAt: sql`coalesce(meeting_started_at, ${at})`,
          ...(chatId ? { meetingChatId: chatId } : {}),
        })
        .where('id', '=', reviewId)
        .execute();
    },

    async meetingEnded(reviewId, at, chatId, cardActivityId) {
      await db
        .updateTable('reviews')
        .set({
          meetingEndedAt: at,
          meetingChatId: chatId,
          ...(cardActivityId ? { meetingCardActivityId: cardActivityId } : {}),
        })
        .where('id', '=', reviewId)
        .execute();
    },

    async linkMeeting(reviewId, onlineMeetingId, chatId) {
      await db
        .updateTable('reviews')
        .set({ onlineMeetingId, meetingChatId: chatId })
        .where('id', '=', reviewId)
        .execute();
    },

    async onlineMeetingOf(reviewId) {
      const row = await db
        .selectFrom('reviews')
        .select('onlineMeetingId')
        .where('id', '=', reviewId)
        .executeTakeFirst();
      return row?.onlineMeetingId ?? null;
    },

    /**
     * Claims until the next retry time: 15 minutes after the first try, doubling each time up to
     * a day, at most REMINDER_ATTEMPTS tries (about a week). The job records a delivery
     * (reminder_sent_at) or a chair who blocked the bot (reminder_blocked_at); either ends it.
     */
    async claimUnrecorded(endedBefore, now) {
      const rows = await db
        .updateTable('reviews')
        .set((eb) => ({
          reminderAttempts: eb('reminderAttempts', '+', 1),
          reminderRetryAt: sql<Date>`${now}::timestamptz + least(interval '15 minutes' * power(2, reminder_attempts), interval '24 hours')`,
        }))
        .where('status', '=', 'scheduled')
        .where('reminderSentAt', 'is', null)
        .where('reminderBlockedAt', 'is', null)
        .where('recordedAt', 'is', null)
        .where('scheduledEnd', '<', endedBefore)
        .where('reminderAttempts', '<', REMINDER_ATTEMPTS)
        .where((eb) => eb.or([eb('reminderRetryAt', 'is', null), eb('reminderRetryAt', '<=', now)]))
        .returning(MEETING_COLUMNS)
        .execute();
      return rows.map(toMeeting);
    },

    async bookedMeetingOf(reviewId) {
      const row = await db
        .selectFrom('reviews')
        .select(['graphEventId', 'scheduledStart', 'meetingCancelledAt'])
        .where('id', '=', reviewId)
        .executeTakeFirst();
      if (!row?.graphEventId || !row.scheduledStart) return undefined;
      return {
        eventId: row.graphEventId,
        start: row.scheduledStart,
        cancelledAt: row.meetingCancelledAt,
      };
    },

    async meetingCancelled(reviewId, context) {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('reviews')
          .set({ meetingCancelledAt: sql<Date>`now()`, updatedAt: sql<Date>`now()` })
          .where('id', '=', reviewId)
          .returning(['childId', 'scheduledStart'])
          .executeTakeFirstOrThrow();
        await appendAudit(trx, context, [
          {
            action: 'review.meeting_cancel',
            entity: 'review',
            entityId: String(reviewId),
            detail: { child: row.childId, start: row.scheduledStart?.toISOString() },
          },
        ]);
      });
    },

    async recordOf(reviewId) {
      const review = await db
        .selectFrom('reviews')
        .select([
          'heldOn',
          'reviewCode',
          'childChaired',
          'advocacyOffered',
          'consultationReturned',
          'lateReason',
          'status',
        ])
        .where('id', '=', reviewId)
        .executeTakeFirst();
      if (!review || review.status !== 'held') return undefined;
      const [attendance, decisions] = await Promise.all([
        db
          .selectFrom('reviewAttendance')
          .select(['participant', 'inviteeIndex', 'attendance'])
          .where('reviewId', '=', reviewId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('reviewDecisions')
          .select(['description', 'ownerEmail', 'dueOn'])
          .where('reviewId', '=', reviewId)
          .orderBy('id')
          .execute(),
      ]);
      return {
        heldOn: review.heldOn as LocalDate,
        reviewCode: review.reviewCode as ParticipationCode,
        childChaired: Boolean(review.childChaired),
        advocacyOffered: Boolean(review.advocacyOffered),
        consultationReturned: Boolean(review.consultationReturned),
        lateReason: review.lateReason,
        attendance: attendance as AttendanceEntry[],
        decisions: decisions.map((d) => ({ ...d, dueOn: d.dueOn as LocalDate | null })),
      } satisfies ReviewRecord;
    },
  };
}

/**
 * A corrected record keeps the decisions it still has, with their ids, so that what was said
 * about them since (midway answers, done, not done) stays with them. A decision is the same one
 * when its text is unchanged (its owner and date may change); any other is new, and a decision
 * the correction no longer has is deleted with its reports. (A reworded decision therefore loses
 * its reports: the form does not say which row was which.)
 */
async function saveDecisions(
  trx: Transaction<Database>,
  reviewId: number,
  decisions: ReviewRecord['decisions'],
): Promise<void> {
  const free = await trx
    .selectFrom('reviewDecisions')
    .select(['id', 'description'])
    .where('reviewId', '=', reviewId)
    .orderBy('id')
    .execute();
  for (const d of decisions) {
    const values = { description: d.description, ownerEmail: d.ownerEmail, dueOn: d.dueOn };
    const same = free.findIndex((e) => e.description === d.description);
    if (same >= 0) {
      const [kept] = free.splice(same, 1);
      await trx
        .updateTable('reviewDecisions')
        .set(values)
        .where('id', '=', (kept as { id: number }).id)
        .execute();
    } else {
      await trx
        .insertInto('reviewDecisions')
        .values({ reviewId, ...values })
        .execute();
    }
  }
  if (free.length > 0) {
    await trx
      .deleteFrom('reviewDecisions')
      .where(
        'id',
        'in',
        free.map((f) => f.id),
      )
      .execute();
  }
}
