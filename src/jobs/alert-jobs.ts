import {
  ALERT_JOBS,
  ALERT_STAGES,
  alertIdOfJob,
  responderOfStage,
  responseAt,
  stepIdOfJob,
  type AlertStage,
  type AlertStore,
  type PracticeAlert,
} from '../app/alerts/practice-alert.js';
import type { ClaimedJob } from '../app/jobs.js';
import { longDay } from '../cards/card-dates.js';
import {
  renderAlertForResponder,
  renderAlertMovedOnNotice,
  renderAlertStatus,
} from '../cards/render-alerts.js';
import { todayIn } from '../domain/local-date.js';
import { createDeliverer, type DeliveryDeps } from './deliver.js';
import type { JobHandler, JobOutcome } from './job-runner.js';

/** The stage named in a job's key (`alert.overdue:12:formal`). */
function stageOfJob(key: string): string | undefined {
  return key.split(':')[2];
}

/** The earlier stage a notice goes to (`alert.toFormerResponder:12:s345:informal`). */
function formerStageOfJob(key: string): AlertStage | undefined {
  const stage = key.split(':')[3];
  return ALERT_STAGES.find((s) => s === stage);
}

/**
 * The messages of a practice alert: the card to the manager who must respond at each stage, the
 * IRO told of each response, the IRO and (when they have not responded) the manager reminded
 * when a stage runs out of time, and the managers who had it told when it moves on or closes.
 */
export function alertJobHandlers(
  deps: DeliveryDeps & { alerts: AlertStore },
): Record<string, JobHandler> {
  const deliver = createDeliverer(deps);
  const { timeZone } = deps.workingTime;
  const withAlert =
    (run: (alert: PracticeAlert, job: ClaimedJob, now: Date) => Promise<JobOutcome>): JobHandler =>
    async (job, now) => {
      const alertId = alertIdOfJob(job.key);
      const alert = alertId === undefined ? undefined : await deps.alerts.find(alertId);
      if (!alert) return { result: { state: 'dropped', outcome: 'no such alert' } };
      return run(alert, job, now);
    };
  const stillAt = (alert: PracticeAlert, job: ClaimedJob) =>
    alert.status === 'open' && alert.stage === stageOfJob(job.key);
  /** The alert as the IRO sees it, with what happened first, in their 1:1 chat. */
  const tellIro = (
    alert: PracticeAlert,
    job: ClaimedJob,
    now: Date,
    headline: string | undefined,
    text: string,
  ) =>
    deliver(
      job,
      now,
      alert.iroEmail,
      renderAlertStatus(alert, {
        today: todayIn(timeZone, now),
        timeZone,
        headline,
        iroActions: true,
      }),
      text,
      undefined,
    );

  return {
    [ALERT_JOBS.toResponder]: withAlert(async (alert, job, now) => {
      if (!stillAt(alert, job)) return { result: { state: 'done', outcome: 'moved on' } };
      if (!alert.responderEmail) return { result: { state: 'done', outcome: 'no responder' } };
      return deliver(
        job,
        now,
        alert.responderEmail,
        renderAlertForResponder(alert, { today: todayIn(timeZone, now) }),
        `Practice alert from ${alert.iroName}.`,
        undefined,
        (tx) =>
          tx.enqueue([
            {
              kind: ALERT_JOBS.unreachable,
              key: `${ALERT_JOBS.unreachable}:${alert.alertId}:${alert.stage}`,
              runAfter: new Date(0),
            },
          ]),
      );
    }),
    [ALERT_JOBS.unreachable]: withAlert(async (alert, job, now) => {
      if (!stillAt(alert, job)) return { result: { state: 'done', outcome: 'moved on' } };
      return tellIro(
        alert,
        job,
        now,
        `I couldn't send this alert to ${alert.responderName ?? 'the manager'} in Teams: they haven't got IRO Assistant, or have blocked it. Please send it to them yourself, and ask them to open IRO Assistant from Apps in Teams.`,
        'I could not send a practice alert.',
      );
    }),
    [ALERT_JOBS.toIro]: withAlert(async (alert, job, now) => {
      // The response this job is about, however many came after it; a job queued before keys
      // named the step (`alert.toIro:12:3`) quotes the latest.
      const stepId = stepIdOfJob(job.key);
      const response =
        stepId === undefined
          ? alert.steps.findLast((s) => s.action === 'responded' || s.action === 'responseChanged')
          : alert.steps.find((s) => s.id === stepId);
      if (!response) return { result: { state: 'dropped', outcome: 'no such response' } };
      const changed = response.action === 'responseChanged';
      return tellIro(
        alert,
        job,
        now,
        `${response.actorName} ${changed ? 'changed their response' : 'replied'} on ${longDay(todayIn(timeZone, response.at))}: "${response.note ?? ''}"`,
        changed
          ? 'A manager changed their response to your practice alert.'
          : 'A manager responded to your practice alert.',
      );
    }),
    [ALERT_JOBS.responderOverdue]: withAlert(async (alert, job, now) => {
      if (!stillAt(alert, job)) return { result: { state: 'done', outcome: 'moved on' } };
      if (!alert.responderEmail) return { result: { state: 'done', outcome: 'no responder' } };
      if (responseAt(alert, alert.stage))
        return { result: { state: 'done', outcome: 'responded' } };
      const outcome = await deliver(
        job,
        now,
        alert.responderEmail,
        renderAlertForResponder(alert, {
          today: todayIn(timeZone, now),
          timeZone,
          headline: `Your response was due by ${longDay(alert.stageDueOn)}. Please respond below; ${alert.iroName} (IRO) may now escalate the alert.`,
        }),
        `A practice alert from ${alert.iroName} is waiting for your response.`,
        undefined,
      );
      // Sent now or not at all: a manager not reachable yet gets the form itself when they open
      // the app (it says the response is overdue), not the form and this reminder together.
      return outcome.result.state === 'retry'
        ? { result: { state: 'dropped', outcome: 'unreachable; the form follows' } }
        : outcome;
    }),
    [ALERT_JOBS.toFormerResponder]: withAlert(async (alert, job, now) => {
      const stepId = stepIdOfJob(job.key);
      const step = alert.steps.find((s) => s.id === stepId);
      const stage = formerStageOfJob(job.key);
      const email = stage ? responderOfStage(alert, stage) : null;
      if (!step || !email) return { result: { state: 'dropped', outcome: 'nobody to tell' } };
      const next = step.action === 'movedOn' ? (step.responderEmail ?? null) : null;
      const nextName = next
        ? ((await deps.cases.listStaff()).find((s) => s.email === next)?.name ?? next)
        : null;
      return deliver(
        job,
        now,
        email,
        renderAlertMovedOnNotice(alert, step, { timeZone, nextResponderName: nextName }),
        step.action === 'resolved'
          ? 'A practice alert you had was closed.'
          : 'A practice alert you had has moved on.',
        undefined,
      );
    }),
    [ALERT_JOBS.overdue]: withAlert(async (alert, job, now) => {
      if (!stillAt(alert, job)) return { result: { state: 'done', outcome: 'moved on' } };
      return tellIro(
        alert,
        job,
        now,
        `The ${alert.stage === 'informal' ? 'informal' : 'current'} stage was due to be resolved by ${longDay(alert.stageDueOn)}. Escalate it, or close it.`,
        'A practice alert stage has run out of time.',
      );
    }),
  };
}
