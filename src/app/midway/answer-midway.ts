import type { LocalDate } from '../../domain/local-date.js';
import { readVisibleChildIds, staffByObjectId } from '../access/viewer-scope.js';
import { sameEmail } from '../../shared/same-email.js';
import type { CaseReader } from '../ports.js';
import {
  answeredBySocialWorker,
  DECISION_STATUSES,
  type DecisionStatus,
  type MidwayAnswer,
  type MidwayCheck,
  type MidwayStore,
} from './midway-check.js';

export const MAX_DECISION_NOTE = 500;
export const MAX_IRO_NOTE = 2000;

export type MidwayForm = Record<string, string>;

/** The social worker's answers read from the card's inputs, or what to fix. */
export function parseMidwayForm(
  check: Pick<MidwayCheck, 'decisions' | 'swEmail' | 'formerSwEmails'>,
  form: MidwayForm,
):
  | { ok: true; answers: MidwayAnswer[]; iroNote: string | null }
  | { ok: false; errors: Record<string, string>; values: MidwayForm } {
  const errors: Record<string, string> = {};
  const values: MidwayForm = {};
  const answers: MidwayAnswer[] = [];
  for (const decision of check.decisions) {
    const statusId = `status_${decision.decisionId}`;
    const noteId = `note_${decision.decisionId}`;
    const status = (form[statusId] ?? '').trim();
    const note = (form[noteId] ?? '').trim();
    values[statusId] = status;
    values[noteId] = note;
    // Someone else's decision, left blank: not known to the social worker (a note alone is kept
    // for nobody to read, so it is asked with a status too).
    if (status === '' && note === '' && !answeredBySocialWorker(check, decision)) continue;
    if (!(DECISION_STATUSES as readonly string[]).includes(status)) {
      errors[statusId] = 'Choose how this decision is going.';
    } else if (note.length > MAX_DECISION_NOTE) {
      errors[noteId] = `Keep the note to ${MAX_DECISION_NOTE} characters.`;
    } else {
      answers.push({
        decisionId: decision.decisionId,
        status: status as DecisionStatus,
        note: note || null,
      });
    }
  }
  const iroNote = (form['iroNote'] ?? '').trim();
  values['iroNote'] = iroNote;
  if (iroNote.length > MAX_IRO_NOTE) {
    errors['iroNote'] = `Keep this to ${MAX_IRO_NOTE} characters.`;
  }
  if (Object.keys(errors).length > 0) {
    errors['form'] = 'Nothing was sent yet. Please fix what is marked and send again.';
    return { ok: false, errors, values };
  }
  return { ok: true, answers, iroNote: iroNote || null };
}

/**
 * Whether a form sent again says what was stored: a second press (or another device) rather
 * than a change, which is not saved once the check is answered.
 */
export function sameAsSent(
  check: Pick<MidwayCheck, 'decisions' | 'answers' | 'iroNote'>,
  form: MidwayForm,
): boolean {
  const given = (key: string) => (form[key] ?? '').trim();
  const decisionsSame = check.decisions.every((d) => {
    const answer = check.answers.find((a) => a.decisionId === d.decisionId);
    return (
      given(`status_${d.decisionId}`) === (answer?.status ?? '') &&
      given(`note_${d.decisionId}`) === (answer?.note ?? '')
    );
  });
  return decisionsSame && given('iroNote') === (check.iroNote ?? '');
}

export type MidwayAnswerOutcome =
  | { kind: 'recorded'; check: MidwayCheck }
  /**
   * Answered before: nothing is stored. `changed`: this form differs from what was sent, and
   * the sender must be told it was not saved; `byAsker`: the one pressing sent it themselves.
   */
  | { kind: 'alreadyAnswered'; check: MidwayCheck; changed: boolean; byAsker: boolean }
  | { kind: 'invalid'; check: MidwayCheck; errors: Record<string, string>; values: MidwayForm }
  /** Not this person's check, or no such check: told apart from nothing. */
  | { kind: 'notYours' };

/**
 * A social worker answers a midway check: the check's own social worker, or whoever is the
 * child's social worker now. The answers are stored once, audited, and the IRO's summary queued.
 */
export async function answerMidwayCheck(
  deps: { cases: CaseReader; midway: MidwayStore },
  input: {
    askerAadObjectId: string | undefined;
    checkId: number;
    form: MidwayForm;
    now: Date;
    today: LocalDate;
    summaryAt: Date;
    correlationId?: string;
  },
): Promise<MidwayAnswerOutcome> {
  const [staff, check] = await Promise.all([
    deps.cases.listStaff(),
    deps.midway.find(input.checkId),
  ]);
  const asker = staffByObjectId(staff, input.askerAadObjectId);
  if (!asker || !check) return { kind: 'notYours' };
  if (!sameEmail(asker.email, check.swEmail)) {
    const isChildsSw =
      asker.role === 'social_worker' &&
      (await readVisibleChildIds(deps.cases, asker, staff)).has(check.childId);
    if (!isChildsSw) return { kind: 'notYours' };
  }
  if (check.answeredAt) return alreadyAnswered(check, input.form, asker.email);
  const parsed = parseMidwayForm(check, input.form);
  if (!parsed.ok) return { kind: 'invalid', check, errors: parsed.errors, values: parsed.values };
  const result = await deps.midway.recordAnswer({
    checkId: check.checkId,
    answeredBy: asker.email,
    at: input.now,
    answers: parsed.answers,
    iroNote: parsed.iroNote,
    summaryAt: input.summaryAt,
    correlationId: input.correlationId,
    today: input.today,
  });
  const stored = (await deps.midway.find(check.checkId)) ?? check;
  // Answered from another device between the read above and this answer.
  if (result === 'alreadyAnswered') return alreadyAnswered(stored, input.form, asker.email);
  return { kind: result, check: stored };
}

function alreadyAnswered(
  check: MidwayCheck,
  form: MidwayForm,
  askerEmail: string,
): Extract<MidwayAnswerOutcome, { kind: 'alreadyAnswered' }> {
  return {
    kind: 'alreadyAnswered',
    check,
    changed: !sameAsSent(check, form),
    byAsker: sameEmail(check.answeredBy, askerEmail),
  };
}

/**
 * "midway answers for Q40211": the child's latest midway check, for someone who may see the
 * child (its IRO, its social worker, their managers). A child nobody may show is answered as
 * one that does not exist.
 */
export async function midwayAnswersFor(
  deps: { cases: CaseReader; midway: MidwayStore },
  askerAadObjectId: string | undefined,
  childText: string,
): Promise<
  | { kind: 'check'; check: MidwayCheck; isIro: boolean }
  | { kind: 'noCheck'; childId: string }
  | { kind: 'unknownChild' }
> {
  const staff = await deps.cases.listStaff();
  const asker = staffByObjectId(staff, askerAadObjectId);
  const childId = await deps.cases.findChildId(childText);
  if (!asker || !childId) return { kind: 'unknownChild' };
  const visible = await readVisibleChildIds(deps.cases, asker, staff);
  if (!visible.has(childId)) return { kind: 'unknownChild' };
  const check = await deps.midway.latestForChild(childId);
  return check
    ? { kind: 'check', check, isIro: asker.role === 'iro' && asker.email === check.iroEmail }
    : { kind: 'noCheck', childId };
}
