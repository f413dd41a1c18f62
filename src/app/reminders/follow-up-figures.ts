import type { LocalDate } from '../../domain/local-date.js';
import type { WorkingCalendar } from '../../domain/working-days.js';
import {
  ALERT_OUTCOMES,
  ALERT_STAGES,
  type AlertOutcome,
  type AlertStage,
} from '../alerts/practice-alert.js';
import type { CaseloadScope } from '../ports.js';
import type { ReminderStore } from './reminders.js';

/** What the IRO annual report says about what followed the reviews. */
export interface FollowUpFigures {
  /** Decisions made at reviews held in the range. */
  decisions: { made: number; doneOnTime: number; doneLate: number; open: number };
  /** Reviews held in the range and recorded in the app, by when their record went out. */
  records: {
    recorded: number;
    distributedInTime: number;
    distributedLate: number;
    notDistributed: number;
    workingDays: number;
  };
  /**
   * Midway checks falling in the range: asked, and answered by the social worker; of those not
   * sent, how many wait for the social worker to open the app in Teams and how many were given
   * up when the next review came first.
   */
  midway: { due: number; asked: number; answered: number; notReached: number; givenUp: number };
  /** Practice alerts raised in the range: open ones by stage, closed ones by outcome. */
  alerts: {
    raised: number;
    open: Record<AlertStage, number>;
    outcomes: Record<AlertOutcome, number>;
  };
}

export async function followUpFigures(
  deps: { reminders: ReminderStore; calendar: WorkingCalendar; recordWorkingDays: number },
  range: { from: LocalDate; to: LocalDate },
  scope?: CaseloadScope,
): Promise<FollowUpFigures> {
  const rows = await deps.reminders.followUpRows(range.from, range.to, scope);
  const decisions = { made: rows.decisions.length, doneOnTime: 0, doneLate: 0, open: 0 };
  for (const d of rows.decisions) {
    if (!d.doneOn) decisions.open += 1;
    else if (d.dueOn && d.doneOn > d.dueOn) decisions.doneLate += 1;
    else decisions.doneOnTime += 1;
  }
  const records = {
    recorded: rows.records.length,
    distributedInTime: 0,
    distributedLate: 0,
    notDistributed: 0,
    workingDays: deps.recordWorkingDays,
  };
  for (const r of rows.records) {
    if (!r.distributedOn) records.notDistributed += 1;
    else if (r.distributedOn <= deps.calendar.addWorkingDays(r.heldOn, deps.recordWorkingDays))
      records.distributedInTime += 1;
    else records.distributedLate += 1;
  }
  const open = Object.fromEntries(ALERT_STAGES.map((s) => [s, 0])) as Record<AlertStage, number>;
  const outcomes = Object.fromEntries(ALERT_OUTCOMES.map((o) => [o, 0])) as Record<
    AlertOutcome,
    number
  >;
  for (const a of rows.alerts) {
    if (a.outcome && a.outcome in outcomes) outcomes[a.outcome as AlertOutcome] += 1;
    else if (a.stage in open) open[a.stage as AlertStage] += 1;
  }
  return {
    decisions,
    records,
    midway: {
      due: rows.midway.length,
      asked: rows.midway.filter((m) => m.asked).length,
      answered: rows.midway.filter((m) => m.answered).length,
      notReached: rows.midway.filter((m) => m.notReached).length,
      givenUp: rows.midway.filter((m) => m.givenUp).length,
    },
    alerts: { raised: rows.alerts.length, open, outcomes },
  };
}

/** The figures as lines of text, for the command line and the caseload summary card. */
export function followUpLines(f: FollowUpFigures): string[] {
  return [
    `Review decisions: ${f.decisions.made} made; ${f.decisions.doneOnTime} done on time, ${f.decisions.doneLate} done late, ${f.decisions.open} still open`,
    `Review records (reviews recorded in the app): ${f.records.distributedInTime} of ${f.records.recorded} distributed within ${f.records.workingDays} working days, ${f.records.distributedLate} later, ${f.records.notDistributed} not yet`,
    midwayLine(f.midway),
    `Practice alerts: ${f.alerts.raised} raised; open at informal: ${f.alerts.open.informal}, formal: ${f.alerts.open.formal}, head of service: ${f.alerts.open.head_of_service}; resolved: ${f.alerts.outcomes.resolved}, referred to Cafcass: ${f.alerts.outcomes.cafcass}, withdrawn: ${f.alerts.outcomes.withdrawn}`,
  ];
}

/**
 * "Midway checks: 50 due; 12 sent to the social worker, 8 answered; 38 waiting for the social
 * worker to open IRO Assistant in Teams": each part a number a manager can act on, so a check
 * not sent does not read as one nobody did.
 */
function midwayLine(m: FollowUpFigures['midway']): string {
  const toSend = m.due - m.asked - m.notReached - m.givenUp;
  const parts = [
    `${m.due} due`,
    `${m.asked} sent to the social worker, ${m.answered} answered`,
    ...(m.notReached > 0
      ? [`${m.notReached} waiting for the social worker to open IRO Assistant in Teams`]
      : []),
    ...(m.givenUp > 0 ? [`${m.givenUp} not sent before the next review`] : []),
    ...(toSend > 0 ? [`${toSend} to be sent`] : []),
  ];
  return `Midway checks: ${parts.join('; ')}`;
}
