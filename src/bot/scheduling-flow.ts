import { z } from 'zod';
import {
  bookReview,
  cancelReview,
  chairContext,
  outsiders,
  planReview,
  rescheduleReview,
  unusualTime,
  type ChairContext,
  type SchedulingDeps,
} from '../app/scheduling/schedule-review.js';
import { parseIsoDate } from '../domain/local-date.js';
import { looksLikeAddress } from '../domain/venue-address.js';
import { instantToZoned, zonedTimeToInstant } from '../domain/zoned-time.js';
import { longDay } from '../cards/card-dates.js';
import { fillTemplate, type AdaptiveCardJson } from '../cards/card-templates.js';
import {
  NOT_SAVED,
  renderBooked,
  renderPlan,
  renderRefusal,
  type FormConfirmations,
  type FormErrors,
  type FormValues,
  type PlanMode,
} from '../cards/render-scheduling.js';
import type { Logger } from '../shared/logger.js';
import { childIdData } from './turn-helpers.js';
import { linkMeetingChat, linkNote } from '../app/recording/link-meeting.js';
import type { MeetingGateway } from '../app/recording/meeting-gateway.js';
import type { ReviewRecordRepository } from '../app/recording/review-record.js';

export const planData = z.object({
  child: childIdData,
  mode: z.enum(['schedule', 'reschedule', 'cancel']),
});
export const formData = z.object({
  child: childIdData,
  transactionKey: z.uuid().optional(),
  slot: z.string().max(40).optional(),
  date: z.string().max(20).optional(),
  time: z.string().max(10).optional(),
  duration: z.union([z.string().max(10), z.number()]).optional(),
  venue: z.string().max(400).optional(),
  invitees: z.string().max(4000).optional(),
  inviteSocialWorker: z.string().max(10).optional(),
  reason: z.string().max(2000).optional(),
  venueConfirmed: z.string().max(10).optional(),
  sendAnyway: z.string().max(10).optional(),
});
type FormData = z.infer<typeof formData>;

/** The card actions of scheduling, with what each carries. */
export const SCHEDULING_ACTIONS = {
  'review.plan': planData,
  'review.schedule': formData,
  'review.reschedule': formData,
  'review.cancel': formData,
} as const;
export type SchedulingVerb = keyof typeof SCHEDULING_ACTIONS;
const SUBMIT_MODES = {
  'review.schedule': 'schedule',
  'review.reschedule': 'reschedule',
  'review.cancel': 'cancel',
} as const;

export function isSchedulingVerb(verb: unknown): verb is SchedulingVerb {
  return typeof verb === 'string' && Object.hasOwn(SCHEDULING_ACTIONS, verb);
}

const email = z.email();

/**
 * Scheduling in the IRO's 1:1 chat: the card of proposed times, then the booking, move or
 * cancellation. Every press is checked against the store (only the child's IRO may act); a form
 * with a problem comes back with the problem beside the field and every value kept.
 */
export class SchedulingFlow {
  constructor(
    private readonly deps: SchedulingDeps,
    private readonly logger: Logger,
    private readonly meetings: {
      meetingGateway: MeetingGateway;
      reviewRecords: ReviewRecordRepository;
      teamsAppId: string | undefined;
    },
  ) {}

  private get timeZone() {
    return this.deps.scheduling.timeZone;
  }

  private defaults() {
    return {
      lengthMinutes: this.deps.scheduling.lengthMinutes,
      venue: this.deps.scheduling.defaultVenue,
    };
  }

  async open(
    aadObjectId: string | undefined,
    child: string,
    mode: PlanMode,
  ): Promise<AdaptiveCardJson> {
    const found = await chairContext(this.deps, aadObjectId, child);
    if (!found.ok) return renderRefusal(found, this.timeZone);
    const { context } = found;
    if (mode === 'schedule' && context.booked) {
      return renderBooked({
        review: context.booked,
        context,
        timeZone: this.timeZone,
        title: 'Already booked',
      });
    }
    if (mode !== 'schedule' && !context.booked)
      return renderRefusal(
        { ok: false, reason: 'notScheduled', childLabel: context.childLabel },
        this.timeZone,
      );
    const plan = mode === 'cancel' ? undefined : await planReview(this.deps, context);
    return renderPlan({
      mode,
      context,
      ...(plan ? { plan } : {}),
      timeZone: this.timeZone,
      defaults: this.defaults(),
    });
  }

  /**
   * A press on a scheduling card, from the chat or the tab's dialog: the same card comes back to
   * either. `data` must have passed the verb's schema (SCHEDULING_ACTIONS).
   */
  act(
    aadObjectId: string | undefined,
    verb: SchedulingVerb,
    data: z.infer<typeof planData> | FormData,
  ): Promise<AdaptiveCardJson> {
    if (verb === 'review.plan') {
      const plan = data as z.infer<typeof planData>;
      return this.open(aadObjectId, plan.child, plan.mode);
    }
    return this.submit(aadObjectId, SUBMIT_MODES[verb], data as FormData);
  }

  async submit(
    aadObjectId: string | undefined,
    mode: PlanMode,
    data: FormData,
  ): Promise<AdaptiveCardJson> {
    const found = await chairContext(this.deps, aadObjectId, data.child);
    if (!found.ok) return renderRefusal(found, this.timeZone);
    const { context } = found;
    const values: FormValues = {
      ...data,
      ...(data.duration !== undefined ? { duration: String(data.duration) } : {}),
    };
    const { errors, start, duration, venue, invitees, reason, typed } = this.read(mode, data);
    const again = async (
      problems: FormErrors,
      formError?: string,
      confirm: FormConfirmations = {},
    ) =>
      renderPlan({
        mode,
        context,
        ...(mode === 'cancel' ? {} : { plan: await planReview(this.deps, context) }),
        timeZone: this.timeZone,
        defaults: this.defaults(),
        values,
        errors: problems,
        ...(formError ? { formError } : {}),
        confirm,
        ...(data.transactionKey ? { transactionKey: data.transactionKey } : {}),
      });
    if (Object.keys(errors).length > 0)
      return again(errors, 'Please put right what is marked below; nothing has been sent.');
    const asked = this.toConfirm(mode, context, data, {
      venue,
      invitees,
      ...(typed && start && duration !== undefined ? { typedTime: { start, duration } } : {}),
    });
    if (asked)
      return again(
        asked.errors,
        'Nothing has been sent yet: please look at what is marked below.',
        {
          ...asked.confirm,
        },
      );
    if (mode === 'schedule') {
      const result = await bookReview(this.deps, context, {
        start: start as Date,
        durationMinutes: duration as number,
        venue: venue as string,
        invitees,
        inviteSocialWorker: data.inviteSocialWorker !== 'false',
        transactionKey: data.transactionKey ?? '',
      });
      if (!result.ok && result.reason === 'notSaved') {
        this.logger.error({ child: context.child, err: result.cause }, 'review booked, not saved');
        // The same form, with the same transaction key, is what saves it.
        return again({}, NOT_SAVED);
      }
      if (!result.ok)
        return result.reason === 'invalid'
          ? again({ [fieldOf(result.field)]: result.message })
          : renderRefusal(result, this.timeZone);
      this.logger.info(
        { child: context.child, review: result.review.id, repeated: result.repeated },
        'review booked',
      );
      const link = result.repeated
        ? undefined
        : await linkMeetingChat(
            { ...this.meetings, logger: this.logger },
            result.review,
            context.iro.aadObjectId,
            this.meetings.teamsAppId,
          );
      const note = link ? linkNote(link) : '';
      // Teams' link to the app opens "Add to a meeting": the catalog id for an app uploaded to
      // the organisation's catalog, the manifest id for one uploaded by a user.
      const appId = link?.catalogAppId ?? this.meetings.teamsAppId;
      return renderBooked({
        review: result.review,
        context,
        timeZone: this.timeZone,
        title: 'Review booked',
        ...(note ? { meetingNote: note } : {}),
        ...(link && appId && result.review.joinUrl
          ? { addAppUrl: `https://teams.microsoft.com/l/app/${appId}` }
          : {}),
      });
    }
    if (mode === 'reschedule') {
      const result = await rescheduleReview(this.deps, context, {
        start: start as Date,
        durationMinutes: duration as number,
        ...(venue ? { venue } : {}),
        reason: reason as string,
      });
      if (!result.ok)
        return result.reason === 'invalid'
          ? again({ [fieldOf(result.field)]: result.message })
          : renderRefusal(result, this.timeZone);
      this.logger.info({ child: context.child, review: result.review.id }, 'review moved');
      return renderBooked({
        review: result.review,
        context,
        timeZone: this.timeZone,
        title: 'Review moved',
      });
    }
    const result = await cancelReview(this.deps, context, reason as string);
    if (!result.ok) return renderRefusal(result, this.timeZone);
    this.logger.info({ child: context.child }, 'review cancelled');
    return cancelledCard(context);
  }

  /**
   * What the IRO must confirm before anything is sent, beside its field; undefined when nothing.
   * A venue that looks like an address goes to everyone invited, so with people from outside the
   * staff list invited (or, on a move, already invited) it is sent only when the IRO ticks that
   * they may all know it; a move that keeps the booked venue asks nothing. A typed time after the
   * due date, on a weekend or bank holiday or outside working hours is sent only with "Send
   * anyway" ticked (a time picked from those offered was chosen with the card's warning above).
   */
  private toConfirm(
    mode: PlanMode,
    context: ChairContext,
    data: FormData,
    read: {
      venue: string | undefined;
      invitees: string[];
      typedTime?: { start: Date; duration: number };
    },
  ): { errors: FormErrors; confirm: FormConfirmations } | undefined {
    if (mode === 'cancel') return undefined;
    const errors: FormErrors = {};
    const confirm: FormConfirmations = {};
    const invited =
      mode === 'schedule'
        ? read.invitees
        : read.venue === context.booked?.venue
          ? []
          : (context.booked?.invitees ?? []);
    if (
      read.venue &&
      data.venueConfirmed !== 'true' &&
      looksLikeAddress(read.venue) &&
      outsiders(context, invited).length > 0
    ) {
      errors.venue =
        'This looks like an address, and everyone invited sees it, people from outside the council too. Give a place they may all know, or tick the box below if they may.';
      confirm.venue = true;
    }
    const time =
      read.typedTime && data.sendAnyway !== 'true'
        ? unusualTime(this.deps, context, read.typedTime.start, read.typedTime.duration)
        : undefined;
    if (time) {
      errors.slot = time;
      confirm.time = true;
    }
    return Object.keys(errors).length > 0 ? { errors, confirm } : undefined;
  }

  /** Reads the form; returns the problems by field and the parsed values. */
  private read(mode: PlanMode, data: FormData) {
    const errors: FormErrors = {};
    let start: Date | undefined;
    let duration: number | undefined;
    let venue: string | undefined;
    let invitees: string[] = [];
    let reason: string | undefined;
    let typed = false;
    if (mode !== 'cancel') {
      const date = data.date?.trim();
      const time = data.time?.trim();
      typed = Boolean(date || time);
      if (typed) {
        const day = date ? parseIsoDate(date) : undefined;
        if (!day || !time || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
          errors.slot =
            'Give both another day and a start time, or clear them and pick one of the times above.';
        } else {
          start = zonedTimeToInstant(day, time, this.timeZone);
          const shown = instantToZoned(start, this.timeZone);
          if (shown.date !== day || shown.time !== time) {
            // The hour the clocks skip in spring: 01:30 on that Sunday never happens.
            errors.slot = `The clocks go forward that night: ${time} does not happen on ${longDay(day)}. Give another start time.`;
            start = undefined;
          }
        }
      } else if (data.slot) {
        const chosen = new Date(data.slot);
        if (Number.isNaN(chosen.getTime())) errors.slot = 'Pick one of the times.';
        else start = chosen;
      } else {
        errors.slot = 'Pick one of the times, or give another day and a start time.';
      }
      duration = Number(data.duration ?? this.deps.scheduling.lengthMinutes);
      if (!Number.isInteger(duration) || duration < 15 || duration > 480) {
        errors.duration = 'The length must be a whole number of minutes between 15 and 480.';
      }
      venue = (data.venue ?? '').trim() || undefined;
      if (mode === 'schedule' && !venue)
        errors.venue = 'Say where the child and carer will be, e.g. "the child\'s placement".';
      if (venue && venue.length > 200) errors.venue = 'Keep the place to 200 characters.';
    }
    if (mode === 'schedule') {
      invitees = (data.invitees ?? '')
        .split(/[\s,;]+/)
        .map((e) => e.trim())
        .filter(Boolean);
      const wrong = invitees.filter((e) => !email.safeParse(e).success);
      if (wrong.length > 0) errors.invitees = `These are not e-mail addresses: ${wrong.join(', ')}`;
      else if (invitees.length > 30) errors.invitees = 'Invite at most 30 people here.';
    } else {
      reason = (data.reason ?? '').trim();
      if (reason.length < 5)
        errors.reason = 'Give a reason (a few words): it is kept in the review record and reports.';
      if (reason.length > 500) errors.reason = 'Keep the reason to 500 characters.';
    }
    return { errors, start, duration, venue, invitees, reason, typed };
  }
}

function fieldOf(field: string): keyof FormErrors {
  return field === 'start' ? 'slot' : field === 'duration' ? 'duration' : 'slot';
}

function cancelledCard(context: ChairContext): AdaptiveCardJson {
  return fillTemplate('message', {
    title: 'Review meeting cancelled',
    text: `${context.childLabel}: everyone invited has been told it is cancelled. The review is still due; ask "schedule review for ${context.child}" to book a new time.`,
    hasAction: false,
    showHelp: true,
  });
}
