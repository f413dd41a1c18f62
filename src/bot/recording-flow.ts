import { randomUUID } from 'node:crypto';
import { TeamsInfo, type TurnContext, CardFactory } from 'botbuilder';
import { z } from 'zod';
import {
  heldOnTime,
  nextAfterRecord,
  readRecordForm,
  recordingContext,
  saveRecord,
  type RecordingContext,
  type RecordingDeps,
  type RecordForm,
} from '../app/recording/record-review.js';
import { allocatedNow } from '../app/case-view.js';
import { staffByObjectId } from '../app/access/viewer-scope.js';
import { AppError } from '../app/errors.js';
import type { Invitee, MeetingReview } from '../app/recording/review-record.js';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import type { CalendarGateway } from '../app/scheduling/calendar-gateway.js';
import { answerBookedMeeting } from '../app/recording/booked-meeting.js';
import { fillTemplate, type AdaptiveCardJson } from '../cards/card-templates.js';
import {
  recordAsForm,
  renderMeetingEnded,
  renderRecordForm,
  renderRecorded,
  type FormData,
} from '../cards/render-recording.js';
import type { Logger } from '../shared/logger.js';
import { childIdData, storeIdData } from './turn-helpers.js';

export const recordData = z
  .object({
    reviewId: storeIdData.optional(),
    child: childIdData.optional(),
    recordKey: z.string().max(80).optional(),
  })
  .catchall(z.union([z.string().max(2000), z.number(), z.boolean()]))
  .refine(
    (d) => d.reviewId !== undefined || d.child !== undefined,
    'a review or a child is needed',
  );
type RecordData = z.infer<typeof recordData>;

/** Who pressed or asked, and where: decided from the activity, never from the card. */
export interface Asker {
  aadObjectId: string | undefined;
  teamsId: string | undefined;
  personal: boolean;
  /** The conversation the press or question came from, when there is one. */
  conversationId?: string | undefined;
}

export function askerOf(context: TurnContext): Asker {
  return {
    aadObjectId: context.activity.from?.aadObjectId,
    teamsId: context.activity.from?.id,
    personal: context.activity.conversation?.conversationType === 'personal',
    conversationId: context.activity.conversation?.id,
  };
}

/**
 * Recording a review once it has been held: the neutral card in the meeting chat when the
 * meeting ends, the chair's own form (a user-specific view through refresh.userIds), the checks
 * the DfE applies, and the stored record. Anyone but the chair sees only the neutral card.
 */
export class RecordingFlow {
  constructor(
    private readonly deps: RecordingDeps & {
      meetingGateway: MeetingGateway;
      calendarGateway: CalendarGateway;
    },
    private readonly logger: Logger,
    private readonly timeZone: string,
  ) {}

  /** The chair's answer to "cancel the meeting this record made unnecessary?", in a card. */
  async bookedMeeting(
    asker: Asker,
    reviewId: number,
    action: 'cancel' | 'keep',
  ): Promise<AdaptiveCardJson> {
    const outcome = await answerBookedMeeting(this.deps, asker.aadObjectId, reviewId, action);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'notChair':
          return message("I can't change that meeting", 'Only the chair of the review can.');
        case 'noMeeting':
          return message('No meeting is booked', 'This review has no calendar meeting.');
        case 'alreadyCancelled':
          return message('Already cancelled', 'Everyone invited was told when it was cancelled.');
        case 'started':
          return message('That meeting has already started', 'There is nothing to cancel now.');
      }
    }
    if (outcome.action === 'kept') {
      return message(
        'The meeting stays in calendars',
        `It is no longer linked to a review. If it goes ahead as another review, record it with "record review for ${outcome.childId}".`,
      );
    }
    this.logger.info(
      { review: reviewId },
      'booked meeting cancelled after the review was recorded',
    );
    return message(
      'Meeting cancelled',
      'Everyone invited has been told it is cancelled, with a neutral note. The review stays recorded as held.',
    );
  }

  async meetingStarted(joinUrl: string, context: TurnContext): Promise<void> {
    const review = await this.meetingReview(joinUrl, context);
    if (!review) return;
    await this.deps.reviewRecords.meetingStarted(
      review.reviewId,
      this.deps.clock.now(),
      context.activity.conversation?.id ?? null,
    );
    this.logger.info({ review: review.reviewId }, 'review meeting started');
  }

  async meetingEnded(joinUrl: string, endTime: Date, context: TurnContext): Promise<void> {
    const review = await this.meetingReview(joinUrl, context);
    if (!review) {
      this.logger.info(
        { conversationId: context.activity.conversation?.id },
        'a meeting ended that is not a booked review',
      );
      return;
    }
    const chairIds = await this.chairIdsIn(context, review);
    const card = renderMeetingEnded({
      formData: { reviewId: review.reviewId },
      chairIds,
      recordedAt: review.recordedAt,
      timeZone: this.timeZone,
    });
    const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    await this.deps.reviewRecords.meetingEnded(
      review.reviewId,
      endTime,
      context.activity.conversation.id,
      sent?.id ?? null,
    );
    this.logger.info(
      { review: review.reviewId, chairFound: chairIds.length > 0 },
      'review meeting ended; card posted',
    );
  }

  /** "record review for Q40211" in a 1:1 chat: the form for a review held without a Teams meeting. */
  async openManual(asker: Asker, child: string): Promise<AdaptiveCardJson> {
    return this.form(asker, { child, recordKey: randomUUID() });
  }

  /** A refresh or a press of "Record the review": the form for the chair, the neutral card for anyone else. */
  async form(
    asker: Asker,
    data: RecordData,
    values?: RecordForm,
    errors?: Record<string, string>,
  ): Promise<AdaptiveCardJson> {
    const review = await this.reviewOf(data);
    const resolved = await this.resolve(asker, data, review);
    if (!resolved.ok) return resolved.card;
    const { recording, chairIds, formData } = resolved;
    const recordKey = data.recordKey ?? `review-${review?.reviewId ?? randomUUID()}`;
    // A held review shows its record, unless "Change the record" asked for the form again.
    if (!values && review?.status === 'held' && !data['edit']) {
      const record = await this.deps.reviewRecords.recordOf(review.reviewId);
      if (record) {
        return renderRecorded({
          context: recording,
          record,
          next: nextAfterRecord(this.deps, recording, record.heldOn),
          onTime: heldOnTime(recording, record.heldOn),
          formData,
          editData: { ...formData, recordKey, edit: true } as FormData,
          chairIds,
          title: 'Review recorded',
        });
      }
    }
    let initial = values;
    if (!initial && data['edit'] && review) {
      const record = await this.deps.reviewRecords.recordOf(review.reviewId);
      if (record) initial = recordAsForm(record, this.inviteesOf(review, recording));
    }
    let prefilled = false;
    if (!initial && review && review.status === 'scheduled') {
      initial = await this.attendancePrefill(review, recording);
      prefilled = Object.keys(initial).length > 0;
    }
    return renderRecordForm({
      prefilled,
      context: recording,
      formData,
      submitData: { ...formData, recordKey },
      chairIds,
      invitees: this.inviteesOf(review, recording),
      values: initial ?? {},
      ...(errors ? { errors } : {}),
      today: this.deps.clock.today(),
    });
  }

  async submit(context: TurnContext, data: RecordData): Promise<AdaptiveCardJson> {
    const review = await this.reviewOf(data);
    const asker = askerOf(context);
    const resolved = await this.resolve(
      asker,
      data,
      review,
      'Only the chair can record this review.',
    );
    if (!resolved.ok) return resolved.card;
    const { recording, chairIds, formData } = resolved;
    const values: RecordForm = Object.fromEntries(
      Object.entries(data)
        .filter(([k]) => !['reviewId', 'child', 'recordKey'].includes(k))
        .map(([k, v]) => [k, String(v)]),
    );
    const read = readRecordForm(
      recording,
      values,
      this.deps.clock.today(),
      this.inviteesOf(review, recording),
    );
    if (!read.ok) return this.form(asker, data, values, read.errors);
    const recordKey = data.recordKey ?? `review-${review?.reviewId ?? randomUUID()}`;
    const saved = await saveRecord(this.deps, recording, read.record, recordKey);
    if (!saved.ok) {
      return this.form(asker, data, values, {
        heldOn: 'A review held on that date is already recorded for this child.',
      });
    }
    this.logger.info(
      { review: saved.review.reviewId, created: saved.review.created },
      'review recorded',
    );
    const stored = await this.deps.reviewRecords.findById(saved.review.reviewId);
    await this.updateSharedCard(context, stored, chairIds);
    const booking = saved.review.completedBooking;
    const future = booking && booking.start.getTime() > this.deps.clock.now().getTime();
    return renderRecorded({
      context: recording,
      record: read.record,
      next: saved.next,
      onTime: saved.onTime,
      formData: { ...formData, reviewId: saved.review.reviewId },
      editData: { reviewId: saved.review.reviewId, recordKey, edit: true } as FormData,
      chairIds,
      title: saved.review.created ? 'Review recorded' : 'Review record updated',
      ...(future
        ? {
            futureMeeting: {
              reviewId: saved.review.reviewId,
              start: booking.start,
              timeZone: this.timeZone,
            },
          }
        : {}),
    });
  }

  /** Everyone in the meeting chat sees "Recorded by the chair at 14:32", and still nothing else. */
  private async updateSharedCard(
    context: TurnContext,
    review: MeetingReview | undefined,
    chairIds: string[],
  ): Promise<void> {
    if (
      !review?.meetingCardActivityId ||
      review.meetingChatId !== context.activity.conversation?.id
    )
      return;
    const card = renderMeetingEnded({
      formData: { reviewId: review.reviewId },
      chairIds,
      recordedAt: review.recordedAt,
      timeZone: this.timeZone,
    });
    await context.updateActivity({
      id: review.meetingCardActivityId,
      type: 'message',
      conversation: context.activity.conversation,
      attachments: [CardFactory.adaptiveCard(card)],
    });
  }

  private async resolve(
    asker: Asker,
    data: RecordData,
    review: MeetingReview | undefined,
    notice?: string,
  ) {
    const inMeetingChat = !asker.personal;
    // The shared card speaks of a review only in that review's own meeting chat: pressed anywhere
    // else, a review's id is answered as one nobody has.
    const shown =
      review && asker.conversationId && review.meetingChatId === asker.conversationId
        ? review
        : undefined;
    const neutral = (text?: string) =>
      renderMeetingEnded({
        formData: { ...(shown ? { reviewId: shown.reviewId } : {}) },
        chairIds: [],
        recordedAt: shown?.recordedAt ?? null,
        timeZone: this.timeZone,
        ...(text ? { notice: text } : {}),
      });
    const noSuchReview = () =>
      inMeetingChat
        ? neutral(notice)
        : message("I can't find that review", 'It may have been cancelled.');
    const notRegistered = () =>
      message("I can't record that", "You're not registered with IRO Assistant.");
    const childId = review?.childId ?? data.child;
    if (!childId || (data.reviewId && !review)) {
      // Told as for a review that exists: whether one does is not for them to learn.
      const registered = staffByObjectId(await this.deps.cases.listStaff(), asker.aadObjectId);
      return {
        ok: false as const,
        card: inMeetingChat || registered ? noSuchReview() : notRegistered(),
      };
    }
    const found = await recordingContext(this.deps, asker.aadObjectId, childId, review);
    if (!found.ok) {
      if (inMeetingChat) return { ok: false as const, card: neutral(notice) };
      // A review of a child the asker may not see is answered as a review nobody has.
      if (found.reason === 'unknownChild' && data.reviewId)
        return { ok: false as const, card: noSuchReview() };
      if (found.reason === 'notRegistered') return { ok: false as const, card: notRegistered() };
      const card =
        found.reason === 'unknownChild'
          ? message(
              `I can't find ${found.child} among the children you can see`,
              `Check the case ID (for example "record review for A12345"), or ask the child's IRO.`,
            )
          : message(
              "I can't record that",
              found.reason === 'notChair'
                ? 'Only the chair can record this review.'
                : `${found.child} is not looked after now, so there is no review to record.`,
            );
      return { ok: false as const, card };
    }
    // In the meeting chat only the chair's own view shows the form; a 1:1 chat needs no such view.
    const chairIds = asker.teamsId && !asker.personal ? [asker.teamsId] : [];
    const formData: FormData = review
      ? { reviewId: review.reviewId }
      : { child: childId, ...(data.recordKey ? { recordKey: data.recordKey } : {}) };
    return { ok: true as const, recording: found.context, chairIds, formData };
  }

  /** The review a meeting event is about: by join link, else by the meeting chat it came from. */
  private async meetingReview(
    joinUrl: string,
    context: TurnContext,
  ): Promise<MeetingReview | undefined> {
    return (
      (await this.deps.reviewRecords.findByJoinUrl(joinUrl)) ??
      (context.activity.conversation?.id
        ? await this.deps.reviewRecords.findByMeetingChat(context.activity.conversation.id)
        : undefined)
    );
  }

  /** The review a card is about: by id from a meeting card, by record key from a 1:1 form. */
  private async reviewOf(data: RecordData): Promise<MeetingReview | undefined> {
    if (data.reviewId) return this.deps.reviewRecords.findById(data.reviewId);
    if (data.child && data.recordKey) {
      return this.deps.reviewRecords.findByRecordKey(data.child.toUpperCase(), data.recordKey);
    }
    return undefined;
  }

  /**
   * Who joined online, from the meeting's Graph attendance report: the social worker and the
   * invitees it names are marked "attended online". Graph is asked through the chair's Entra
   * object id (the organiser); without one, or without a report, the form starts empty.
   */
  private async attendancePrefill(
    review: MeetingReview,
    recording: RecordingContext,
  ): Promise<RecordForm> {
    const organiser = recording.chair.aadObjectId;
    if (!organiser) {
      this.logger.warn(
        { review: review.reviewId },
        'the chair has no Entra object id in the staff list; attendance not read',
      );
      return {};
    }
    try {
      let meetingId = await this.deps.reviewRecords.onlineMeetingOf(review.reviewId);
      if (!meetingId && review.joinUrl) {
        const meeting = await this.deps.meetingGateway.findOnlineMeeting(organiser, review.joinUrl);
        if (meeting) {
          await this.deps.reviewRecords.linkMeeting(
            review.reviewId,
            meeting.meetingId,
            meeting.chatId,
          );
          meetingId = meeting.meetingId;
        }
      }
      if (!meetingId) return {};
      const joined = new Set(
        (await this.deps.meetingGateway.attendance(organiser, meetingId))
          .filter((r) => r.email && r.seconds > 0)
          .map((r) => r.email as string),
      );
      const form: RecordForm = {};
      const sw = allocatedNow(recording.child, 'social_worker');
      if (sw && joined.has(sw)) form['att_social_worker'] = 'online';
      for (const { index, email } of this.inviteesOf(review, recording)) {
        if (joined.has(email)) form[`att_invitee_${index}`] = 'online';
      }
      return form;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.logger.warn(
        { review: review.reviewId, error: error.name },
        'attendance report unavailable',
      );
      return {};
    }
  }

  /**
   * People invited by e-mail, less the allocated social worker (asked about by role), each with
   * their place in the review's invitee list: the form's fields and the store name them by it.
   */
  private inviteesOf(review: MeetingReview | undefined, recording: RecordingContext): Invitee[] {
    const sw = allocatedNow(recording.child, 'social_worker');
    return (review?.invitees ?? [])
      .map((email, index) => ({ index, email }))
      .filter(({ email }) => email !== sw);
  }

  /** The chair's Teams user id in this chat (for refresh.userIds), from the chat's members. */
  private async chairIdsIn(context: TurnContext, review: MeetingReview): Promise<string[]> {
    const staff = await this.deps.cases.listStaff();
    const chair = staff.find((s) => s.email === review.chairEmail);
    if (!chair?.aadObjectId) return [];
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const members = await TeamsInfo.getPagedMembers(context, 500, token);
      const found = members.members?.find(
        (m) => m.aadObjectId?.toLowerCase() === chair.aadObjectId,
      );
      if (found) return [found.id];
      token = members.continuationToken;
      if (!token) break;
    }
    return [];
  }
}

function message(title: string, text: string): AdaptiveCardJson {
  return fillTemplate('message', { title, text, hasAction: false, showHelp: true });
}
