import { LATE_REASONS, LATE_REASON_TEXT } from '../domain/late-reasons.js';
import type { LocalDate } from '../domain/local-date.js';
import { PARTICIPATION } from '../domain/participation.js';
import type { DueReview, NextReview } from '../domain/review-schedule.js';
import {
  codeChoices,
  MAX_DECISIONS,
  type RecordErrors,
  type RecordForm,
  type RecordingContext,
} from '../app/recording/record-review.js';
import {
  INVITEE_ROLES,
  USUAL_ROLES,
  type Invitee,
  type ReviewRecord,
} from '../app/recording/review-record.js';
import { fillTemplate, type AdaptiveCardJson } from './card-templates.js';
import { longDay, meetingTime, REVIEW_KIND_LABEL, timeOfDay } from './card-dates.js';

/** What the meeting chat's cards carry back: an opaque review id, never a child identifier. */
export interface FormData {
  reviewId?: number;
  child?: string;
  recordKey?: string;
}

/** The card everyone in the meeting chat sees: nothing about the child or the case. */
export function renderMeetingEnded(input: {
  formData: FormData;
  chairIds: string[];
  recordedAt: Date | null;
  timeZone: string;
  notice?: string;
}) {
  return fillTemplate('meeting-ended', {
    formData: input.formData,
    chairIds: input.chairIds,
    recorded: input.recordedAt !== null,
    headline: input.recordedAt
      ? `Recorded by the chair at ${timeOfDay(input.recordedAt, input.timeZone)}`
      : 'This review has ended.',
    text:
      input.notice ??
      (input.recordedAt
        ? 'Thank you for taking part.'
        : 'The chair will record attendance and participation.'),
  });
}

export function renderRecordForm(input: {
  context: RecordingContext;
  formData: FormData;
  submitData: FormData;
  chairIds: string[];
  /** People invited by e-mail; their addresses are shown to the chair only, in this form. */
  invitees: readonly Invitee[];
  values: RecordForm;
  errors?: RecordErrors;
  today: LocalDate;
  prefilled?: boolean;
}): AdaptiveCardJson {
  const { context, values } = input;
  const errors = input.errors ?? {};
  // The child first, then each invitee (who they are and how they took part: they count as
  // that role), then the other roles, for anyone not invited by e-mail.
  const roleRow = ([role, label]: (typeof USUAL_ROLES)[number], intro = '') => ({
    isInvitee: false,
    intro,
    id: `att_${role}`,
    attId: '',
    label,
    value: values[`att_${role}`] ?? '',
    error: errors[`att_${role}`] ?? '',
    whoId: '',
    whoLabel: '',
    who: '',
  });
  const [childRole, ...otherRoles] = USUAL_ROLES;
  const attendance = [
    roleRow(childRole),
    ...input.invitees.map(({ index, email }, i) => ({
      isInvitee: true,
      intro:
        i === 0
          ? 'Invited by e-mail: say who each person is. They count as that role, so leave the role below for anyone else.'
          : '',
      id: '',
      attId: `att_invitee_${index}`,
      label: 'How they took part',
      value: values[`att_invitee_${index}`] ?? '',
      error: errors[`invitee_${index}`] ?? '',
      whoId: `who_invitee_${index}`,
      whoLabel: `Who is ${email}?`,
      who: values[`who_invitee_${index}`] ?? '',
    })),
    ...otherRoles.map((role, i) =>
      roleRow(role, i === 0 && input.invitees.length > 0 ? 'Anyone else, by role' : ''),
    ),
  ];
  const decisions = Array.from({ length: MAX_DECISIONS }, (_, i) => ({
    label: i === 0 ? 'Decision' : `Decision ${i + 1}`,
    idWhat: `decision_${i}_what`,
    idWho: `decision_${i}_who`,
    idBy: `decision_${i}_by`,
    what: values[`decision_${i}_what`] ?? '',
    who: values[`decision_${i}_who`] ?? '',
    by: values[`decision_${i}_by`] ?? '',
    error: errors[`decision_${i}`] ?? '',
  }));
  return fillTemplate('participation-form', {
    formData: input.formData,
    chairIds: input.chairIds,
    childLabel: context.childLabel,
    dueText: dueText(context.due),
    prefillNote: input.prefilled
      ? 'Marked from the Teams attendance report for those who joined online: check and complete.'
      : '',
    formError:
      Object.keys(errors).length > 0
        ? 'Please put right what is marked below; nothing has been recorded yet.'
        : '',
    heldOn: values['heldOn'] ?? input.today,
    attendance,
    codes: codeChoices(),
    inviteeRoles: INVITEE_ROLES.map(([value, title]) => ({ title, value })),
    code: values['code'] ?? '',
    childChaired: values['childChaired'] ?? 'false',
    advocacyOffered: values['advocacyOffered'] ?? 'false',
    consultationReturned: values['consultationReturned'] ?? 'false',
    decisions,
    submitData: input.submitData,
    lateLabel: context.due
      ? `If it was held after its due date (${longDay(context.due.dueDate)}): why was it late?`
      : '',
    lateReasons: LATE_REASONS.map((r) => ({ title: LATE_REASON_TEXT[r], value: r })),
    lateReason: values['lateReason'] ?? '',
    errors: {
      heldOn: errors['heldOn'] ?? '',
      code: errors['code'] ?? '',
      childChaired: errors['childChaired'] ?? '',
      lateReason: errors['lateReason'] ?? '',
    },
  });
}

/** "Review due by Tue 1 December 2026", or why the due date cannot be known. */
function dueText(due: DueReview | null): string {
  return due
    ? `${REVIEW_KIND_LABEL[due.kind]} due by ${longDay(due.dueDate)}`
    : "Due date unknown: the review before this one was held before the council's extract began";
}

function nextText(next: NextReview): string {
  return next.known
    ? dueText(next.due)
    : "Due date unknown: the last review was held before the council's extract began";
}

export function renderRecorded(input: {
  context: RecordingContext;
  record: ReviewRecord;
  next: NextReview;
  /** Null when the due date cannot be known. */
  onTime: boolean | null;
  formData: FormData;
  editData: FormData;
  chairIds: string[];
  title: string;
  /** A booked meeting this record made unnecessary, still ahead in everyone's calendar. */
  futureMeeting?: { reviewId: number; start: Date; timeZone: string };
}): AdaptiveCardJson {
  const { record, next } = input;
  // By role, never by address: two carers who took part read "Carer" once.
  const tookPart = [
    ...new Set(
      record.attendance
        .filter((a) => a.attendance === 'in_person' || a.attendance === 'online')
        .map((a) =>
          a.participant === 'invitee'
            ? 'Someone invited'
            : (USUAL_ROLES.find(([r]) => r === a.participant)?.[1] ?? a.participant),
        ),
    ),
  ].join(', ');
  return fillTemplate('review-recorded', {
    formData: input.formData,
    editData: input.editData,
    chairIds: input.chairIds,
    title: input.title,
    child: input.context.child.childId,
    childLabel: input.context.childLabel,
    heldText: longDay(record.heldOn),
    codeText: `${record.reviewCode}: ${PARTICIPATION[record.reviewCode].wording}`,
    attendanceText: tookPart || 'nobody recorded as attending',
    decisionsText:
      record.decisions.length === 0 ? 'none recorded' : `${record.decisions.length} recorded`,
    nextText: nextText(next),
    lateText:
      input.onTime === false && input.context.due
        ? `Held after its due date (${longDay(input.context.due.dueDate)}): it counts as late${record.lateReason ? ` (${LATE_REASON_TEXT[record.lateReason].toLowerCase()})` : ''}.`
        : '',
    hasFutureMeeting: input.futureMeeting !== undefined,
    futureMeetingText: input.futureMeeting
      ? `The review meeting booked for ${meetingTime(input.futureMeeting.start, input.futureMeeting.timeZone)} is still in everyone's calendar, and this review no longer needs it. Cancel it for everyone? (They get a neutral note; nothing about the child.)`
      : '',
    meetingData: { reviewId: input.futureMeeting?.reviewId ?? 0 },
  });
}

/** A record read back from the store, as form values (for changing it). */
export function recordAsForm(record: ReviewRecord, invitees: readonly Invitee[]): RecordForm {
  const form: RecordForm = {
    heldOn: record.heldOn,
    code: record.reviewCode,
    childChaired: String(record.childChaired),
    advocacyOffered: String(record.advocacyOffered),
    consultationReturned: String(record.consultationReturned),
    ...(record.lateReason ? { lateReason: record.lateReason } : {}),
  };
  for (const a of record.attendance) {
    if (a.inviteeIndex !== null) {
      // On their own row, with the role given (none on a review recorded before roles were asked).
      if (!invitees.some((i) => i.index === a.inviteeIndex)) continue;
      form[`att_invitee_${a.inviteeIndex}`] = a.attendance;
      if (a.participant !== 'invitee') form[`who_invitee_${a.inviteeIndex}`] = a.participant;
    } else if (a.participant !== 'invitee') {
      form[`att_${a.participant}`] = a.attendance;
    }
  }
  record.decisions.forEach((d, i) => {
    form[`decision_${i}_what`] = d.description;
    form[`decision_${i}_who`] = d.ownerEmail ?? '';
    form[`decision_${i}_by`] = d.dueOn ?? '';
  });
  return form;
}
