import { sql, type Kysely } from 'kysely';
import type { LocalDate } from '../domain/local-date.js';
import type { ParticipationCode } from '../domain/participation.js';
import type {
  AttendanceEntry,
  MeetingReview,
  ReviewRecord,
  ReviewRecordRepository,
} from '../app/recording/review-record.js';
import type { Database } from './database.js';
import { appendAudit } from './audit.js';

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

export function createPgReviewRecordRepository(db: Kysely<Database>): ReviewRecordRepository {
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
        let existing = target.reviewId
          ? await trx
              .selectFrom('reviews')
              .select(['id', 'status'])
              .where('id', '=', target.reviewId)
              .where('childId', '=', target.childId)
              .executeTakeFirst()
          : undefined;
        existing ??= await trx
          .selectFrom('reviews')
          .select(['id', 'status'])
          .where('childId', '=', target.childId)
          .where('transactionId', '=', target.recordKey)
          .executeTakeFirst();
        if (clash && clash.id !== existing?.id)
          return { ok: false as const, reason: 'sameDate' as const };
        const values = {
          status: 'held' as const,
          heldOn: record.heldOn,
          reviewCode: record.reviewCode,
          childChaired: record.childChaired,
          advocacyOffered: record.advocacyOffered,
          consultationReturned: record.consultationReturned,
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
                email: a.email,
                attendance: a.attendance,
              })),
            )
            .execute();
        }
        await trx.deleteFrom('reviewDecisions').where('reviewId', '=', row.id).execute();
        if (record.decisions.length > 0) {
          await trx
            .insertInto('reviewDecisions')
            .values(
              record.decisions.map((d) => ({
                reviewId: row.id,
                description: d.description,
                ownerEmail: d.ownerEmail,
                dueOn: d.dueOn,
              })),
            )
            .execute();
        }
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
            },
          },
        ]);
        return {
          ok: true as const,
          review: { reviewId: row.id, created, recordedAt: row.recordedAt as Date },
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

    async claimUnrecorded(endedBefore, now) {
      const rows = await db
        .updateTable('reviews')
        .set({ reminderSentAt: now })
        .where('status', '=', 'scheduled')
        .where('reminderSentAt', 'is', null)
        .where('recordedAt', 'is', null)
        .where('scheduledEnd', '<', endedBefore)
        .returning(MEETING_COLUMNS)
        .execute();
      return rows.map(toMeeting);
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
          'status',
        ])
        .where('id', '=', reviewId)
        .executeTakeFirst();
      if (!review || review.status !== 'held') return undefined;
      const [attendance, decisions] = await Promise.all([
        db
          .selectFrom('reviewAttendance')
          .select(['participant', 'email', 'attendance'])
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
        attendance: attendance as AttendanceEntry[],
        decisions: decisions.map((d) => ({ ...d, dueOn: d.dueOn as LocalDate | null })),
      } satisfies ReviewRecord;
    },
  };
}
