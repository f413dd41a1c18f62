import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import {
  actOnAlert,
  alertForChild,
  alertForm,
  openAlertsFor,
  raiseAlert,
  respondToAlert,
  type AlertDeps,
} from '../app/alerts/alert-journey.js';
import { ALERT_OUTCOME_TEXT, ALERT_STAGES, type AlertStore } from '../app/alerts/practice-alert.js';
import { answerMidwayCheck, midwayAnswersFor } from '../app/midway/answer-midway.js';
import type { MidwayStore } from '../app/midway/midway-check.js';
import type { Question } from '../app/questions/parse-question.js';
import {
  decisionsOverdueFor,
  FOLLOW_UP_DAYS,
  markRecordDistributed,
  reviewsToWriteUpFor,
  updateDecision,
  type FollowUpDeps,
} from '../app/reminders/follow-up.js';
import { raiseAlertAction } from '../cards/card-actions.js';
import type { AdaptiveCardJson } from '../cards/card-templates.js';
import {
  renderAlertForm,
  renderAlertForResponder,
  renderAlertList,
  renderAlertRaised,
  renderAlertResponseSent,
  renderAlertStatus,
} from '../cards/render-alerts.js';
import {
  renderMidwayAnswered,
  renderMidwayPrompt,
  renderMidwaySummary,
} from '../cards/render-midway.js';
import {
  renderDecisionDue,
  renderDecisionUpdated,
  renderDecisionsOverdue,
  renderRecordDistributed,
  renderReviewsToWriteUp,
} from '../cards/render-reminders.js';
import { nextWorkingInstant, type WorkingTime } from '../domain/working-time.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import type { Asker } from './recording-flow.js';
import { childIdData, ids, inputsOf, renderMessage, storeIdData } from './turn-helpers.js';

/** A card's inputs come with its data: strings only are read, each at most 3000 characters. */
export const cardInputs = z.union([z.string().max(3000), z.number(), z.boolean()]);
/** A midway check's answers: its id, and the card's inputs (status_N, note_N, iroNote). */
export const midwayData = z.object({ checkId: storeIdData }).catchall(cardInputs);
export const alertFormData = z.object({
  child: childIdData,
  checkId: storeIdData.optional(),
});
export const alertStepData = z
  .object({ alertId: storeIdData, stage: z.enum(ALERT_STAGES) })
  .catchall(cardInputs);

export interface FollowUpFlowDeps {
  services: Services;
  logger: Logger;
  timeZone: string;
  midway: MidwayStore;
  alerts: AlertStore;
  workingTime: WorkingTime;
}

/**
 * What follows a review, in chat: the social worker's midway answers, practice alerts, decisions
 * marked done, records marked distributed, and the questions about them.
 */
export class FollowUpFlow {
  constructor(private readonly deps: FollowUpFlowDeps) {}

  /** The questions this flow answers in a 1:1 chat; undefined for any other. */
  async question(asker: Asker, question: Question): Promise<AdaptiveCardJson | undefined> {
    switch (question.kind) {
      case 'midwayAnswers':
        return this.midwayAnswers(asker, question.child);
      case 'raiseAlert':
      case 'alertFor':
      case 'alerts':
        return this.alertQuestion(asker, question);
      case 'decisionsOverdue': {
        const decisions = await decisionsOverdueFor(this.followUpDeps(), asker.aadObjectId);
        return renderDecisionsOverdue(decisions ?? [], {
          today: this.deps.services.clock.today(),
        });
      }
      case 'decisionsNotRecorded':
      case 'recordsToDistribute':
        return this.reviewsToWriteUp(asker, question.kind);
      default:
        return undefined;
    }
  }

  /** "decisions not yet recorded" and "review records to distribute": an IRO's own. */
  private async reviewsToWriteUp(
    asker: Asker,
    kind: 'decisionsNotRecorded' | 'recordsToDistribute',
  ): Promise<AdaptiveCardJson> {
    const found = await reviewsToWriteUpFor(this.followUpDeps(), asker.aadObjectId);
    switch (found.kind) {
      case 'notRegistered':
        return renderMessage(
          "You're not registered with IRO Assistant",
          "I can only answer people the council has registered. Ask your council's children's services data team to add your Microsoft 365 account to the staff list.",
        );
      case 'notIro':
        return renderMessage(
          kind === 'decisionsNotRecorded'
            ? 'Recording decisions is for IROs'
            : 'Distributing review records is for IROs',
          'The IRO who chairs a review records its decisions and distributes its record, so I list these to IROs, each their own. Ask "decisions overdue" for the decisions of the children you work with.',
        );
      case 'lists':
        return renderReviewsToWriteUp(
          found,
          kind === 'decisionsNotRecorded' ? 'decisions' : 'records',
          {
            followUpDays: FOLLOW_UP_DAYS,
            recordWorkingDays: this.deps.services.recordWorkingDays,
          },
        );
    }
  }

  /** The social worker's answers to a midway check; the card they pressed becomes the reply. */
  async answerMidway(
    context: TurnContext,
    data: z.infer<typeof midwayData>,
  ): Promise<AdaptiveCardJson> {
    const { services, workingTime } = this.deps;
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) {
      if (key !== 'checkId' && key !== 'verb' && typeof value === 'string') form[key] = value;
    }
    const now = services.clock.now();
    const outcome = await answerMidwayCheck(
      { cases: services.cases, midway: this.deps.midway },
      {
        askerAadObjectId: context.activity.from?.aadObjectId,
        checkId: data.checkId,
        form,
        now,
        today: services.clock.today(),
        summaryAt: nextWorkingInstant(now, workingTime),
        correlationId: context.activity.id,
      },
    );
    this.deps.logger.info(
      { ...ids(context), check: data.checkId, outcome: outcome.kind },
      'midway answers',
    );
    switch (outcome.kind) {
      case 'notYours':
        return renderMessage(
          'This check is not yours to answer',
          "Only the child's social worker can answer a midway check. When a child moves to another social worker, the check goes to them.",
        );
      case 'invalid':
        return renderMidwayPrompt(outcome.check, {
          reminder: false,
          today: services.clock.today(),
          values: outcome.values,
          errors: outcome.errors,
        });
      case 'recorded':
        return renderMidwayAnswered(outcome.check, { timeZone: this.deps.timeZone });
      case 'alreadyAnswered':
        return renderMidwayAnswered(outcome.check, {
          timeZone: this.deps.timeZone,
          ...(outcome.changed ? { changesNotSaved: { byYou: outcome.byAsker } } : {}),
        });
    }
  }

  private alertDeps(): AlertDeps {
    const { services } = this.deps;
    return {
      cases: services.cases,
      alerts: this.deps.alerts,
      workingTime: this.deps.workingTime,
      clock: services.clock,
    };
  }

  /** Raising, answering, moving on and resolving practice alerts from their cards. */
  async alertAction(
    context: TurnContext,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCardJson> {
    const deps = this.alertDeps();
    const askerAad = context.activity.from?.aadObjectId;
    const today = this.deps.services.clock.today();
    const timeZone = this.deps.timeZone;
    const form = inputsOf(data);
    const notAllowed = renderMessage(
      "You can't do that on this alert",
      "Only the child's IRO raises, escalates or closes an alert, and only the manager it waits for responds.",
    );
    const stale = (alert: Parameters<typeof renderAlertStatus>[0]) =>
      renderAlertStatus(alert, {
        today,
        timeZone,
        headline: 'This alert has moved on since that card was sent; here is where it stands.',
        iroActions: false,
      });
    if (verb === 'alert.form' || verb === 'alert.raise') {
      const { child, checkId } = alertFormData.parse(data);
      if (verb === 'alert.form') {
        const found = await alertForm(deps, askerAad, child, checkId);
        return found.kind === 'form' ? renderAlertForm(found) : notAllowed;
      }
      const outcome = await raiseAlert(deps, {
        askerAad,
        child,
        checkId,
        form,
        correlationId: context.activity.id,
      });
      this.deps.logger.info({ ...ids(context), outcome: outcome.kind }, 'practice alert raised');
      switch (outcome.kind) {
        case 'raised':
          return renderAlertRaised(outcome.alert, { timeZone });
        case 'alreadyOpen':
          return renderAlertStatus(outcome.alert, {
            today,
            timeZone,
            headline: 'This child already has an open practice alert: escalate it or close it.',
            iroActions: true,
          });
        case 'invalid':
          return renderAlertForm({
            ...outcome.form,
            values: outcome.values,
            errors: outcome.errors,
          });
        case 'notAllowed':
          return notAllowed;
      }
    }
    const { alertId, stage } = alertStepData.parse(data);
    const outcome =
      verb === 'alert.respond'
        ? await respondToAlert(deps, {
            askerAad,
            alertId,
            stage,
            form,
            correlationId: context.activity.id,
          })
        : await actOnAlert(deps, {
            askerAad,
            alertId,
            stage,
            action: verb === 'alert.escalate' ? 'escalate' : 'resolve',
            form,
            correlationId: context.activity.id,
          });
    this.deps.logger.info({ ...ids(context), verb, outcome: outcome.kind }, 'practice alert step');
    switch (outcome.kind) {
      case 'notAllowed':
        return notAllowed;
      case 'stale':
        return stale(outcome.alert);
      case 'unchanged':
        return renderAlertResponseSent(outcome.alert, { timeZone, alreadySent: true });
      case 'invalid':
        return verb === 'alert.respond'
          ? renderAlertForResponder(outcome.alert, {
              today,
              values: outcome.values,
              errors: outcome.errors,
            })
          : renderAlertStatus(outcome.alert, {
              today,
              timeZone,
              iroActions: true,
              values: outcome.values,
              errors: outcome.errors,
            });
      case 'done':
        return verb === 'alert.respond'
          ? renderAlertResponseSent(outcome.alert, { timeZone })
          : renderAlertStatus(outcome.alert, {
              today,
              timeZone,
              headline:
                verb === 'alert.escalate'
                  ? `Moved on. ${outcome.alert.responderName ?? 'Nobody'} has been asked to respond.`
                  : `Closed: ${ALERT_OUTCOME_TEXT[outcome.alert.outcome ?? 'resolved']}.`,
              iroActions: true,
            });
    }
  }

  private followUpDeps(): FollowUpDeps {
    const { services } = this.deps;
    return {
      cases: services.cases,
      reminders: services.reminders,
      workingTime: this.deps.workingTime,
      clock: services.clock,
      recordWorkingDays: services.recordWorkingDays,
    };
  }

  /** A decision marked done (or why not), and a review record marked distributed. */
  async followUpAction(
    context: TurnContext,
    verb: 'decision.update' | 'record.distributed',
    data: Record<string, unknown>,
  ): Promise<AdaptiveCardJson> {
    const deps = this.followUpDeps();
    const askerAad = context.activity.from?.aadObjectId;
    const notAllowed = renderMessage(
      "You can't change that",
      'Only the person responsible, the social worker or the IRO can update a decision; only the chair or the IRO marks a record distributed.',
    );
    if (verb === 'record.distributed') {
      const outcome = await markRecordDistributed(deps, {
        askerAad,
        reviewId: Number(data['reviewId']),
        correlationId: context.activity.id,
      });
      return outcome.kind === 'marked' ? renderRecordDistributed(outcome) : notAllowed;
    }
    const outcome = await updateDecision(deps, {
      askerAad,
      decisionId: Number(data['decisionId']),
      form: inputsOf(data),
      correlationId: context.activity.id,
    });
    this.deps.logger.info({ ...ids(context), outcome: outcome.kind }, 'decision update');
    switch (outcome.kind) {
      case 'notAllowed':
        return notAllowed;
      case 'invalid':
        return renderDecisionDue(outcome.decision, {
          today: this.deps.services.clock.today(),
          values: outcome.values,
          errors: outcome.errors,
        });
      case 'updated':
        return renderDecisionUpdated(outcome.decision);
    }
  }

  /** "raise alert for", "alert for" and "my practice alerts", in a 1:1 chat. */
  private async alertQuestion(
    asker: Asker,
    question: Question,
  ): Promise<AdaptiveCardJson | undefined> {
    const deps = this.alertDeps();
    const today = this.deps.services.clock.today();
    if (question.kind === 'raiseAlert') {
      const found = await alertForm(deps, asker.aadObjectId, question.child);
      return found.kind === 'form'
        ? renderAlertForm(found)
        : renderMessage(
            `I can't raise an alert for ${question.child}`,
            "Only the child's IRO can raise a practice alert. Check the case ID.",
          );
    }
    if (question.kind === 'alertFor') {
      const found = await alertForChild(deps, asker.aadObjectId, question.child);
      if (found.kind === 'unknownChild')
        return renderMessage(
          `I can't find ${question.child} among the children you work with`,
          'Check the case ID. I only show alerts to the IRO, the managers involved and managers over the child.',
        );
      if (found.kind === 'notForRole')
        return renderMessage(
          `Practice alerts on ${found.childId} are for the IRO and managers`,
          "The child's IRO raises them with the social worker's managers. The child's page in my tab shows whether one is open.",
        );
      if (found.kind === 'none')
        return renderMessage(
          `No practice alert for ${found.childId}`,
          `The child's IRO can raise one with "raise alert for ${found.childId}".`,
        );
      return renderAlertStatus(found.alert, {
        today,
        timeZone: this.deps.timeZone,
        iroActions: found.isIro,
      });
    }
    if (question.kind === 'alerts') {
      const open = await openAlertsFor(deps, asker.aadObjectId);
      return renderAlertList(open?.alerts ?? [], {
        today,
        timeZone: this.deps.timeZone,
        ...(open ? { viewerEmail: open.askerEmail } : {}),
        title: 'Open practice alerts',
        emptyText:
          open === undefined
            ? "You're not in the staff list, so I can't show any alert."
            : 'No practice alert is open for you.',
      });
    }
    return undefined;
  }

  /** The latest midway check of a child the asker may see. */
  private async midwayAnswers(asker: Asker, child: string): Promise<AdaptiveCardJson> {
    const { services } = this.deps;
    const found = await midwayAnswersFor(
      { cases: services.cases, midway: this.deps.midway },
      asker.aadObjectId,
      child,
    );
    switch (found.kind) {
      case 'unknownChild':
        return renderMessage(
          `I can't find ${child} in your caseload`,
          'Check the case ID. I only show children you work with.',
        );
      case 'noCheck':
        return renderMessage(
          `No midway check for ${found.childId} yet`,
          'A midway check is opened at the midway date, half way between the last review and the next. Ask "midway reviews due" to see when.',
        );
      case 'check':
        return renderMidwaySummary(found.check, {
          today: services.clock.today(),
          timeZone: this.deps.timeZone,
          ...(found.isIro ? { alertAction: raiseAlertAction(found.check) } : {}),
        });
    }
  }
}
