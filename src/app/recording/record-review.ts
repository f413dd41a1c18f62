import { ageOn, parseIsoDate, type LocalDate } from '../../domain/local-date.js';
import { longDate } from '../../domain/date-text.js';
import {
  checkCodeForAttendance,
  isParticipationCode,
  PARTICIPATION,
} from '../../domain/participation.js';
import {
  reviewChain,
  reviewsInPeriod,
  type DueReview,
  type NextReview,
} from '../../domain/review-schedule.js';
import { currentPeriod, type PeriodOfCare } from '../../domain/periods-of-care.js';
import type { WorkingCalendar } from '../../domain/working-days.js';
import { isLateReason, type LateReason } from '../../domain/late-reasons.js';
import { allocatedNow, childNamed, historyOf, initialsOf } from '../case-view.js';
import { readVisibleChildIds, staffByObjectId } from '../access/viewer-scope.js';
import type { CaseReader, ChildCase, StaffMember } from '../ports.js';
import { isInviteeRole } from '../../domain/attendance.js';
import {
  ATTENDANCE,
  USUAL_ROLES,
  type AttendanceEntry,
  type AttendanceValue,
  type Decision,
  type Invitee,
  type MeetingReview,
  type ReviewRecord,
  type ReviewRecordRepository,
} from './review-record.js';

export interface RecordingDeps {
  cases: CaseReader;
  calendar: WorkingCalendar;
  clock: { now(): Date; today(): LocalDate };
  reviewRecords: ReviewRecordRepository;
}

export interface RecordingContext {
  chair: StaffMember;
  child: ChildCase;
  childLabel: string;
  period: PeriodOfCare;
  /** The booked review (its meeting) this record completes, if any. */
  review: MeetingReview | undefined;
  /** Held reviews of the period other than this one. */
  otherHeld: LocalDate[];
  /** When this review fell due; null when that cannot be known (the review before it was before the extract). */
  due: DueReview | null;
}

export type RecordingRefusal =
  | { ok: false; reason: 'notRegistered' }
  | { ok: false; reason: 'unknownChild'; child: string }
  | { ok: false; reason: 'notChair' }
  | { ok: false; reason: 'notLookedAfter'; child: string };

/**
 * Who may record this review: the IRO who chairs it (the booking's chair, else the child's
 * allocated IRO), decided from the store and the presser's Entra id, never from the card. A child
 * the asker may not see is refused as an id nobody has (`unknownChild`, with the id as typed).
 */
export async function recordingContext(
  deps: RecordingDeps,
  askerAadObjectId: string | undefined,
  childId: string,
  review: MeetingReview | undefined,
): Promise<{ ok: true; context: RecordingContext } | RecordingRefusal> {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAadObjectId);
  if (!asker) return { ok: false, reason: 'notRegistered' };
  const typed = childId.trim().toUpperCase();
  const child = await childNamed(deps.cases, childId);
  if (!child) return { ok: false, reason: 'unknownChild', child: typed };
  const chairEmail = review?.chairEmail || allocatedNow(child, 'iro');
  if (asker.email !== chairEmail) {
    // Someone who may not see the child hears what they would about an id nobody has.
    const sees = await readVisibleChildIds(deps.cases, asker, staff);
    return sees.has(child.childId)
      ? { ok: false, reason: 'notChair' }
      : { ok: false, reason: 'unknownChild', child: typed };
  }
  // The period whose review this is: the current one (care or short breaks), else the last.
  const period = currentPeriod(child.periods, deps.clock.today()) ?? child.periods.at(-1);
  if (!period) return { ok: false, reason: 'notLookedAfter', child: child.childId };
  const thisReviewDate =
    review?.status === 'held'
      ? (await deps.reviewRecords.recordOf(review.reviewId))?.heldOn
      : undefined;
  const history = historyOf(child);
  const otherHeld = reviewsInPeriod(period, history.held).filter((d) => d !== thisReviewDate);
  const next = reviewChain(deps.calendar, period, { ...history, held: otherHeld }).next;
  const initials = initialsOf(child);
  return {
    ok: true,
    context: {
      chair: asker,
      child,
      childLabel: initials ? `${initials} (${child.childId})` : child.childId,
      period,
      review,
      otherHeld,
      due: next.known ? next.due : null,
    },
  };
}

/** Whether a review held on `heldOn` was on time; null when its due date cannot be known. */
export function heldOnTime(context: RecordingContext, heldOn: LocalDate): boolean | null {
  return context.due ? heldOn <= context.due.dueDate : null;
}

/** When the review after this one falls due, once it is recorded as held on `heldOn`. */
export function nextAfterRecord(
  deps: Pick<RecordingDeps, 'calendar'>,
  context: RecordingContext,
  heldOn: LocalDate,
): NextReview {
  return reviewChain(deps.calendar, context.period, {
    ...historyOf(context.child),
    held: [...context.otherHeld, heldOn],
  }).next;
}

/** The form as it arrives from the card (every value a string). */
export type RecordForm = Record<string, string | undefined>;
export type RecordErrors = Record<string, string>;

export const MAX_DECISIONS = 5;

/**
 * Checks the form as the DfE checks its return, before anything is stored: PN0 only for a child
 * under 4 on the date held and PN1 to PN7 only from 4 (rules 440, 441); PN1 to PN4 need the child
 * to have attended and PN5 to PN7 not; the date held not in the future nor before the previous
 * review. Each invitee marked as taking part needs a role ("Who is this?"), and counts as that
 * role's attendance.
 */
export function readRecordForm(
  context: RecordingContext,
  form: RecordForm,
  today: LocalDate,
  invitees: readonly Pick<Invitee, 'index'>[],
): { ok: true; record: ReviewRecord } | { ok: false; errors: RecordErrors } {
  const errors: RecordErrors = {};
  const heldOn = parseIsoDate(form['heldOn'] ?? '');
  const previous = context.otherHeld.at(-1);
  if (!heldOn) errors['heldOn'] = 'Give the date the review was held.';
  else if (heldOn > today) errors['heldOn'] = 'The date held cannot be in the future.';
  else if (context.period.startKnown && heldOn < context.period.start)
    errors['heldOn'] = context.period.shortBreak
      ? `The child's first short break began on ${longDate(context.period.start)}; the review cannot be before that.`
      : `The child came into care on ${longDate(context.period.start)}; the review cannot be before that.`;
  else if (context.period.end !== null && heldOn > context.period.end && !context.period.shortBreak)
    errors['heldOn'] =
      `The child left care on ${longDate(context.period.end)}; the review cannot be after that.`;
  else if (previous && heldOn <= previous) {
    errors['heldOn'] =
      `The previous review was held on ${longDate(previous)}; this one must be after it.`;
  }
  const valueOf = (key: string): AttendanceValue | '' | undefined => {
    const v = (form[key] ?? '').trim();
    if (v === '') return '';
    return (ATTENDANCE as readonly string[]).includes(v) ? (v as AttendanceValue) : undefined;
  };
  // Each invitee the chair marked counts as the role they said the person is.
  const invited: AttendanceEntry[] = [];
  for (const { index } of invitees) {
    const v = valueOf(`att_invitee_${index}`);
    const who = (form[`who_invitee_${index}`] ?? '').trim();
    const key = `invitee_${index}`;
    if (v === undefined) errors[key] = 'Choose how this person took part.';
    else if (who !== '' && !isInviteeRole(who)) errors[key] = 'Choose who this is from the list.';
    else if (v && !isInviteeRole(who))
      errors[key] =
        v === 'in_person' || v === 'online'
          ? 'Say who this is: attendance is counted by role (mother, father, carer ...).'
          : 'Say who this is, or clear how they took part.';
    else if (v && isInviteeRole(who))
      invited.push({ participant: who, inviteeIndex: index, attendance: v });
  }
  // A role row saying what an invitee of that role already says adds nobody: it is not kept twice.
  const attendance: AttendanceEntry[] = [];
  for (const [role, label] of USUAL_ROLES) {
    const ofRole = invited.filter((a) => a.participant === role);
    attendance.push(...ofRole);
    const v = valueOf(`att_${role}`);
    if (v === undefined) errors[`att_${role}`] = `Choose how the ${label.toLowerCase()} took part.`;
    else if (v && !ofRole.some((a) => a.attendance === v))
      attendance.push({ participant: role, inviteeIndex: null, attendance: v });
  }
  const child = attendance.find((a) => a.participant === 'child');
  const childAttended =
    child !== undefined && (child.attendance === 'in_person' || child.attendance === 'online');
  if (!child)
    errors['att_child'] = 'Say whether the child attended: the participation code depends on it.';
  const code = (form['code'] ?? '').trim().toUpperCase();
  if (!isParticipationCode(code)) {
    errors['code'] = 'Choose the participation code (PN0 to PN7).';
  } else if (heldOn && !errors['heldOn']) {
    const age = ageOn(context.child.dob, heldOn);
    if (code === 'PN0' && age >= 4)
      errors['code'] =
        `440: PN0 is only for a child under 4; the child was ${age} on ${longDate(heldOn)}.`;
    if (code !== 'PN0' && age < 4)
      errors['code'] = `441: the child was under 4 on ${longDate(heldOn)}; use PN0.`;
  }
  if (isParticipationCode(code) && child && !errors['code']) {
    const mismatch = checkCodeForAttendance(code, childAttended);
    if (mismatch) errors['code'] = mismatch;
  }
  if (form['childChaired'] === 'true' && child && !childAttended) {
    errors['childChaired'] =
      'A child who did not attend cannot have chaired the review: clear "The child chaired their review", or say how they attended.';
  }
  const lateText = (form['lateReason'] ?? '').trim();
  const late = heldOn && !errors['heldOn'] ? heldOnTime(context, heldOn) === false : false;
  let lateReason: LateReason | null = null;
  if (late) {
    if (isLateReason(lateText)) lateReason = lateText;
    else
      errors['lateReason'] =
        `The review was held after its due date (${longDate(context.due?.dueDate as LocalDate)}): say why it was late.`;
  }
  const decisions: Decision[] = [];
  for (let i = 0; i < MAX_DECISIONS; i += 1) {
    const what = (form[`decision_${i}_what`] ?? '').trim();
    const who = (form[`decision_${i}_who`] ?? '').trim().toLowerCase();
    const by = (form[`decision_${i}_by`] ?? '').trim();
    if (!what && !who && !by) continue;
    const dueOn = by ? parseIsoDate(by) : null;
    if (!what) errors[`decision_${i}`] = 'Say what was decided, or clear this row.';
    else if (what.length > 1000) errors[`decision_${i}`] = 'Keep a decision to 1000 characters.';
    else if (who && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(who))
      errors[`decision_${i}`] = `"${who}" is not an e-mail address.`;
    else if (by && !dueOn) errors[`decision_${i}`] = 'Give "by when" as a date.';
    else if (dueOn && heldOn && dueOn < heldOn)
      errors[`decision_${i}`] = '"By when" cannot be before the review.';
    else decisions.push({ description: what, ownerEmail: who || null, dueOn: dueOn ?? null });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    record: {
      heldOn: heldOn as LocalDate,
      reviewCode: code as ReviewRecord['reviewCode'],
      attendance,
      childChaired: form['childChaired'] === 'true',
      advocacyOffered: form['advocacyOffered'] === 'true',
      consultationReturned: form['consultationReturned'] === 'true',
      lateReason,
      decisions,
    },
  };
}

/** Stores the record; returns the review's id and when the next review is now due. */
export async function saveRecord(
  deps: RecordingDeps,
  context: RecordingContext,
  record: ReviewRecord,
  recordKey: string,
) {
  const result = await deps.reviewRecords.record(
    {
      childId: context.child.childId,
      chairEmail: context.chair.email,
      reviewId: context.review?.reviewId ?? null,
      recordKey,
      dueOn: context.due?.dueDate ?? null,
      kind: context.due?.kind ?? null,
    },
    record,
    { actor: context.chair.email, today: deps.clock.today() },
  );
  if (!result.ok) return result;
  return {
    ok: true as const,
    review: result.review,
    next: nextAfterRecord(deps, context, record.heldOn),
    onTime: heldOnTime(context, record.heldOn),
  };
}

export function codeChoices() {
  return Object.values(PARTICIPATION).map((p) => ({
    title: `${p.code}: ${p.wording}`,
    value: p.code,
  }));
}
