import { randomUUID } from 'node:crypto';
import type { Interval } from '../domain/meeting-slots.js';
import {
  outsiders,
  type ChairContext,
  type Refusal,
  type SchedulingPlan,
} from '../app/scheduling/schedule-review.js';
import type { BookedReview } from '../app/scheduling/scheduled-reviews.js';
import { fillTemplate, type AdaptiveCardJson } from './card-templates.js';
import { longDay, REVIEW_KIND_LABEL, slotText } from './card-dates.js';

export type PlanMode = 'schedule' | 'reschedule' | 'cancel';

/** What the IRO typed into the form, kept when the card comes back with a problem. */
export interface FormValues {
  slot?: string;
  date?: string;
  time?: string;
  duration?: string | number;
  venue?: string;
  invitees?: string;
  inviteSocialWorker?: string;
  reason?: string;
  /** "true" when the IRO ticked that everyone invited may know the venue's address. */
  venueConfirmed?: string;
  /** "true" when the IRO ticked "Send anyway" for an unusual typed time. */
  sendAnyway?: string;
}

/** The ticks the form asks for before it sends (each shown once asked, or once ticked). */
export interface FormConfirmations {
  venue?: boolean;
  /** A typed time after the due date, on a day off or outside working hours. */
  time?: boolean;
}

export type FormErrors = Partial<
  Record<'slot' | 'duration' | 'venue' | 'invitees' | 'reason', string>
>;

const VERB: Record<PlanMode, string> = {
  schedule: 'review.schedule',
  reschedule: 'review.reschedule',
  cancel: 'review.cancel',
};
const TITLE: Record<PlanMode, string> = {
  schedule: 'Schedule the review',
  reschedule: 'Move the review',
  cancel: 'Cancel the review',
};
const SUBMIT: Record<PlanMode, string> = {
  schedule: 'Send the invitation',
  reschedule: 'Move the meeting',
  cancel: 'Cancel the meeting',
};

const NONE_FREE =
  'I found no time when you and the social worker are both free in the next three weeks. Give another day and time below.';

/** "3 November", with the year when it is not this year's. */
/** Why the times offered are not the usual ones, in plain words; empty when they are. */
export function planWarning(plan: SchedulingPlan): string {
  const due = longDay(plan.context.due.dueDate);
  const firstTimes =
    plan.slots.length > 0 ? 'These are the first times everyone is free.' : NONE_FREE;
  const days = `${plan.noticeWorkingDays} working day${plan.noticeWorkingDays === 1 ? '' : 's'}`;
  switch (plan.situation) {
    case 'onTime':
      return '';
    case 'overdue':
      return `This review is overdue: it was due on ${due}. ${firstTimes}`;
    case 'noTimeLeft':
      return `The due date (${due}) comes before the next working day (${longDay(plan.firstBookableDay)}), the first day I can invite people for, so the review will be late. ${firstTimes}`;
    case 'shortNotice':
      return plan.noticeFrom > plan.context.due.dueDate
        ? `The due date is too close to give the social worker ${days} for their report; these times give less notice.`
        : `Nobody is free together early enough to give the social worker ${days} for their report; these times give less notice.`;
    case 'late':
      return 'Nobody is free together before the due date. The first free time is after it: the review would be late.';
    case 'noneFree':
      return NONE_FREE;
  }
}

export function renderPlan(input: {
  mode: PlanMode;
  context: ChairContext;
  plan?: SchedulingPlan;
  timeZone: string;
  defaults: { lengthMinutes: number; venue: string };
  values?: FormValues;
  errors?: FormErrors;
  formError?: string;
  confirm?: FormConfirmations;
  transactionKey?: string;
}): AdaptiveCardJson {
  const { mode, context, plan, timeZone } = input;
  const values = input.values ?? {};
  const slots: Interval[] = plan?.slots ?? [];
  const choices = slots.map((s) => ({
    title: slotText(s, timeZone),
    value: s.start.toISOString(),
  }));
  const transactionKey = input.transactionKey ?? randomUUID();
  const submitData = { child: context.child, ...(mode === 'schedule' ? { transactionKey } : {}) };
  const unreadable = plan?.unreadable ?? [];
  return fillTemplate('schedule-review', {
    mode,
    title: TITLE[mode],
    childLabel: context.childLabel,
    dueText: `${REVIEW_KIND_LABEL[context.due.kind]} due by ${longDay(context.due.dueDate)}`,
    bookedText: context.booked
      ? `Booked for ${slotText({ start: context.booked.start, end: context.booked.end }, timeZone)}.`
      : '',
    warning: plan ? planWarning(plan) : '',
    note:
      unreadable.length > 0
        ? `I couldn't read the calendar of ${unreadable.join(', ')}, so their busy times are not taken into account.`
        : '',
    formError: input.formError ?? '',
    hasSlots: choices.length > 0,
    slots: choices,
    slotValue: values.slot ?? choices[0]?.value ?? '',
    otherTimeText:
      choices.length > 0
        ? 'Or give another day and start time (they win over the choice above):'
        : 'Give a day and a start time:',
    date: values.date ?? '',
    time: values.time ?? '',
    duration:
      Number(values.duration ?? input.defaults.lengthMinutes) || input.defaults.lengthMinutes,
    venue: values.venue ?? context.booked?.venue ?? input.defaults.venue,
    venueNote:
      'Everyone invited sees this in the invitation, parents and carers too: give an address only if they may all know it.',
    askVenue: input.confirm?.venue === true || values.venueConfirmed === 'true',
    venueConfirmed: values.venueConfirmed ?? 'false',
    askTime: input.confirm?.time === true || values.sendAnyway === 'true',
    sendAnyway: values.sendAnyway ?? 'false',
    invitees: values.invitees ?? '',
    inviteSocialWorker: values.inviteSocialWorker ?? 'true',
    socialWorkerText: context.socialWorker
      ? `Invite the social worker, ${context.socialWorker.name}`
      : 'Invite the social worker (none is allocated)',
    reason: values.reason ?? '',
    errors: { slot: '', duration: '', venue: '', invitees: '', reason: '', ...input.errors },
    submitTitle: SUBMIT[mode],
    submitVerb: VERB[mode],
    submitData,
    submitFallback: { verb: VERB[mode], ...submitData },
  });
}

/** A booking whose event came back without a Teams meeting (onlineMeeting: null). */
export const NO_TEAMS_LINK =
  'This meeting has no Teams link: the invitation went out for the in-person part only. Add a Teams link to it from Outlook, or ask IT to enable Teams meetings for your mailbox.';

export function renderBooked(input: {
  review: BookedReview;
  context: Pick<ChairContext, 'child' | 'childLabel' | 'due' | 'staffEmails'>;
  timeZone: string;
  title: string;
  meetingNote?: string;
  /** Teams' link to the app, where "Add to a meeting" is (when the catalog id is known). */
  addAppUrl?: string;
}): AdaptiveCardJson {
  const { review, context } = input;
  const late = review.start.toISOString().slice(0, 10) > context.due.dueDate;
  return fillTemplate('review-booked', {
    title: input.title,
    child: context.child,
    childLabel: context.childLabel,
    whenText: slotText({ start: review.start, end: review.end }, input.timeZone),
    venue: review.venue || '(not given)',
    invitedText: review.invitees.length === 0 ? 'nobody else' : review.invitees.join(', '),
    dueText: longDay(context.due.dueDate),
    lateText: late ? 'This is after the due date: the review will count as late.' : '',
    noLinkText: review.joinUrl ? '' : NO_TEAMS_LINK,
    joinUrl: review.joinUrl ?? '',
    meetingNote: input.meetingNote ?? '',
    addAppUrl: input.addAppUrl ?? '',
    privacyText: invitationText(review, context),
  });
}

/** What the invitation says and who sees what, as the booking was made. */
export function invitationText(
  review: Pick<BookedReview, 'transactionId' | 'invitees'>,
  context: Pick<ChairContext, 'staffEmails'>,
): string {
  // A meeting linked from Outlook: the add-in wrote its subject, the IRO the rest.
  if (review.transactionId === null)
    return 'This meeting was made in Outlook: its subject names the child by initials and case ID; the rest of the invitation, and who sees whom, is as it was written there.';
  const says =
    "The invitation names the child by initials and case ID, and gives the place as typed ('In person' above) and the Teams link; nothing about the case.";
  return outsiders(context, review.invitees).length > 0
    ? `${says} Everyone invited sees the place. Each person from outside the council sees only themselves among those invited; staff see everyone.`
    : `${says} Everyone invited sees the place and who else is invited (all are on the staff list).`;
}

/** Graph sent the invitation; the store failed to keep the booking. */
export const NOT_SAVED =
  'The invitation went out to everyone, but I could not save the booking. Press Book again in a minute: it saves this booking and sends no second invitation.';

export function renderRefusal(refusal: Refusal, timeZone: string): AdaptiveCardJson {
  const message = (title: string, text: string) =>
    fillTemplate('message', { title, text, hasAction: false, showHelp: true });
  switch (refusal.reason) {
    case 'notRegistered':
      return message(
        "You're not registered with IRO Assistant",
        "I can't schedule anything for you. Ask your council's data team to add you to the staff list.",
      );
    case 'unknownChild':
      return message(
        `I can't find ${refusal.child} among the children you can see`,
        'Check the case ID (for example "schedule review for A12345"), or ask the child\'s IRO.',
      );
    case 'notChair':
      return message(
        'Only the IRO can schedule this review',
        `Reviews for ${refusal.child} are scheduled by the child's allocated IRO.`,
      );
    case 'notLookedAfter':
      return message(
        'No review is due',
        `${refusal.child} is not looked after now, nor on short breaks, so there is no statutory review to book.`,
      );
    case 'dueUnknown':
      return message(
        "I don't know when this review is due",
        `${refusal.childLabel}: the last review was held before the council's extract began, so I can't tell when the next one is due. Record it with "record review for ${refusal.child}" (the date it was held), or ask the data team to add it to LastReviews.csv; then ask me again.`,
      );
    case 'alreadyScheduled':
      return message(
        'This review is already booked',
        `${refusal.childLabel}: ${slotText({ start: refusal.review.start, end: refusal.review.end }, timeZone)}. Ask "reschedule review for ${refusal.review.childId}" to move it.`,
      );
    case 'notScheduled':
      return message(
        'Nothing is booked yet',
        `${refusal.childLabel} has no review meeting booked. Ask "schedule review for" and the case ID.`,
      );
    case 'invalid':
      return message('Please check the form', refusal.message);
  }
}
