import {
  CardFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import { z } from 'zod';
import { answerQuestion, type Audience } from '../app/questions/answer-question.js';
import { parseQuestion } from '../app/questions/parse-question.js';
import { renderAnswer } from '../cards/render-answer.js';
import type { AdaptiveCardJson } from '../cards/card-templates.js';
import { fillTemplate } from '../cards/card-templates.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import type {
  ConversationRepository,
  ConversationScope,
} from '../store/conversation-repository.js';
import type { SchedulingFlow } from './scheduling-flow.js';
import { isSchedulingVerb, SCHEDULING_ACTIONS, type formData } from './scheduling-flow.js';
import { askerOf, recordData, type Asker, type RecordingFlow } from './recording-flow.js';
import type { Question } from '../app/questions/parse-question.js';
import { describeTurnError } from './turn-errors.js';
import type { Delivery, Messenger } from '../jobs/messenger.js';
import {
  alertFormData,
  alertStepData,
  cardInputs,
  midwayData,
  type FollowUpFlow,
} from './follow-up-flow.js';
import { ids, renderMessage, storeIdData } from './turn-helpers.js';

export interface BotDeps {
  services: Services;
  conversations: ConversationRepository;
  logger: Logger;
  timeZone: string;
  /** The Microsoft app id, or '' when running without credentials (local tools, tests). */
  botAppId: string;
  /** For proactive sends to a person's 1:1 chat. */
  adapter: () => CloudAdapter;
  scheduling: SchedulingFlow;
  recording: RecordingFlow;
  followUp: FollowUpFlow;
}

/** Card button data, validated before anything is done with it. */
const questionData = z.object({ question: z.string().trim().min(1).max(200) });
const meetingData = z.object({ reviewId: storeIdData });
const decisionData = z.object({ decisionId: storeIdData }).catchall(cardInputs);
const pageData = questionData.extend({ page: z.coerce.number().int().min(0).max(1000) });
/** Every card verb the bot answers, with what its data must be. */
export const ACTIONS = {
  'question.ask': questionData,
  'reviews.page': pageData,
  'question.askPrivately': questionData,
  ...SCHEDULING_ACTIONS,
  'participation.form': recordData,
  'participation.record': recordData,
  'meeting.cancel': meetingData,
  'meeting.keep': meetingData,
  'midway.answer': midwayData,
  'alert.form': alertFormData,
  'alert.raise': alertFormData.catchall(cardInputs),
  'alert.respond': alertStepData,
  'alert.escalate': alertStepData,
  'alert.resolve': alertStepData,
  'decision.update': decisionData,
  'record.distributed': meetingData,
} as const;
type Verb = keyof typeof ACTIONS;

const MAX_MEMBERS = 5000;

/**
 * The Teams bot. Thin: it works out who is asking and who will read the answer, asks app/ for
 * the answer and sends it as an Adaptive Card.
 */
export class IroBot extends TeamsActivityHandler implements Messenger {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.remember(context);
      const submitted = context.activity.value as { verb?: unknown } | undefined;
      if (submitted && typeof submitted.verb === 'string') {
        const card = await this.handleAction(context, submitted.verb, submitted);
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      } else {
        const text =
          TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
        const card = await this.answer(context, text.trim(), 0);
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      }
      await next();
    });
    this.onTeamsMeetingStartEvent(async (meeting, context, next) => {
      await this.remember(context);
      await this.deps.recording.meetingStarted(meeting.joinUrl, context);
      await next();
    });
    this.onTeamsMeetingEndEvent(async (meeting, context, next) => {
      await this.remember(context);
      await this.deps.recording.meetingEnded(meeting.joinUrl, new Date(meeting.endTime), context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      if (context.activity.conversation.conversationType === 'personal') {
        await context.sendActivity({
          attachments: [CardFactory.adaptiveCard(await this.answer(context, 'help', 0))],
        });
      }
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    let card: AdaptiveCardJson;
    try {
      await this.remember(context);
      card = await this.handleAction(context, invokeValue.action?.verb, invokeValue.action?.data);
      if (invokeValue.action?.verb === 'question.ask') {
        // A question pressed on a card (help, a summary, a reminder) is answered in a message of
        // its own, so the card it was pressed on stays in the chat to press again; Teams shows
        // the invoke's text answer while the card stays as it was.
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        return {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: 'Answered below.' as unknown as Record<string, unknown>,
        };
      }
    } catch (error) {
      const failure = describeTurnError(error, this.deps.logger, ids(context));
      card = fillTemplate('message', {
        title: failure.title,
        text: failure.text,
        hasAction: false,
        showHelp: false,
      });
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }

  private async handleAction(
    context: TurnContext,
    verb: unknown,
    data: unknown,
  ): Promise<AdaptiveCardJson> {
    // Own keys only: `in` would take '__proto__' or 'toString' for a verb.
    const schema =
      typeof verb === 'string' && Object.hasOwn(ACTIONS, verb) ? ACTIONS[verb as Verb] : undefined;
    const parsed = schema?.safeParse(data);
    if (!schema || !parsed?.success) {
      this.deps.logger.warn(
        { ...ids(context), verb: typeof verb === 'string' ? verb.slice(0, 50) : typeof verb },
        'card action refused',
      );
      return renderMessage(
        "That button doesn't work any more",
        'Type your question instead, or ask for help.',
      );
    }
    if (verb === 'meeting.cancel' || verb === 'meeting.keep') {
      const { reviewId } = parsed.data as z.infer<typeof meetingData>;
      return this.deps.recording.bookedMeeting(
        askerOf(context),
        reviewId,
        verb === 'meeting.cancel' ? 'cancel' : 'keep',
      );
    }
    if (verb === 'midway.answer') {
      return this.deps.followUp.answerMidway(context, parsed.data as z.infer<typeof midwayData>);
    }
    if (verb === 'decision.update' || verb === 'record.distributed') {
      return this.deps.followUp.followUpAction(
        context,
        verb,
        parsed.data as Record<string, unknown>,
      );
    }
    if (typeof verb === 'string' && verb.startsWith('alert.')) {
      return this.deps.followUp.alertAction(context, verb, parsed.data as Record<string, unknown>);
    }
    if (verb === 'participation.form' || verb === 'participation.record') {
      const data = parsed.data as z.infer<typeof recordData>;
      return verb === 'participation.form'
        ? this.deps.recording.form(askerOf(context), data)
        : this.deps.recording.submit(context, data);
    }
    if (isSchedulingVerb(verb)) {
      if (context.activity.conversation?.conversationType !== 'personal') {
        return renderMessage(
          "Let's do that in our 1:1 chat",
          'Scheduling shows details only the IRO should see. Open IRO Assistant from Apps and ask there.',
        );
      }
      return this.deps.scheduling.act(
        context.activity.from?.aadObjectId,
        verb,
        parsed.data as z.infer<typeof formData>,
      );
    }
    const value = parsed.data as { question: string; page?: number };
    if (verb === 'question.askPrivately') return this.answerPrivately(context, value.question);
    return this.answer(context, value.question, value.page ?? 0);
  }

  private async answer(
    context: TurnContext,
    text: string,
    page: number,
  ): Promise<AdaptiveCardJson> {
    const { services } = this.deps;
    const today = services.clock.today();
    const question = parseQuestion(text, today);
    const asker = askerOf(context);
    const personalCard = asker.personal ? await this.actionCard(asker, question) : undefined;
    if (personalCard) return personalCard;
    const audience = await this.audienceOf(context);
    const answer = await answerQuestion(
      services,
      context.activity.from?.aadObjectId,
      question,
      audience,
    );
    this.deps.logger.info(
      { ...ids(context), question: question.kind, answer: answer.kind, audience: audience.kind },
      'answered',
    );
    return renderAnswer(answer, { question: text, page, timeZone: this.deps.timeZone, today });
  }

  /** Sends a card to someone's 1:1 chat with the bot (proactive messages from jobs). */
  sendCard(aadObjectId: string, card: AdaptiveCardJson, text?: string): Promise<Delivery> {
    return this.sendToPersonalChat(aadObjectId, card, text);
  }

  blockedByUser(aadObjectId: string): Promise<boolean> {
    return this.deps.conversations.blockedByUser(aadObjectId);
  }

  /**
   * Sends the chair the recording form in their 1:1 chat (when the meeting's end event never
   * came). Says whether Teams took it: only `sent` means the chair has it.
   */
  async sendRecordingForm(chairAadObjectId: string, reviewId: number): Promise<Delivery> {
    const card = await this.deps.recording.form(
      { aadObjectId: chairAadObjectId, teamsId: undefined, personal: true },
      { reviewId },
    );
    return this.sendToPersonalChat(
      chairAadObjectId,
      card,
      'Your review meeting has ended. Please record it here.',
    );
  }

  /**
   * Sends a card to someone's 1:1 chat with the bot. Teams refuses (403) a chat the app is not
   * in (never opened, or the app removed: BotNotInConversationRoster) and one where the user
   * blocked the bot (ConversationBlockedByUser, MessageWritesBlocked); the chat is marked with
   * the reason, and nothing is posted there until the user next talks to the bot in it.
   */
  private async sendToPersonalChat(
    aadObjectId: string,
    card: AdaptiveCardJson,
    text?: string,
  ): Promise<Delivery> {
    const reference = await this.deps.conversations.personalChatOf(aadObjectId);
    if (!reference) {
      return (await this.deps.conversations.blockedByUser(aadObjectId)) ? 'blocked' : 'noChat';
    }
    // A failure inside the proactive turn would go to the adapter's onTurnError (which would try
    // to post an apology to the same chat, and let this look sent): keep it to decide here.
    let failure: { error: unknown } | undefined;
    await this.deps
      .adapter()
      .continueConversationAsync(
        this.deps.botAppId,
        reference as Partial<ConversationReference>,
        async (ctx) => {
          try {
            await ctx.sendActivity({
              ...(text ? { text } : {}),
              attachments: [CardFactory.adaptiveCard(card)],
            });
          } catch (error) {
            failure = { error };
          }
        },
      );
    if (!failure) return 'sent';
    const { error } = failure;
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    const conversationId = (reference as { conversation?: { id?: string } }).conversation?.id ?? '';
    await this.deps.conversations.markUnreachable(
      conversationId,
      refusal === 'blocked' ? 'blocked_by_user' : 'not_installed',
    );
    this.deps.logger.warn(
      { conversationId, refusal, code: (error as { code?: unknown }).code },
      'Teams refused a message to a 1:1 chat',
    );
    return refusal;
  }

  /** Sends the answer to the asker's own 1:1 chat; the group only learns that it was sent. */
  private async answerPrivately(context: TurnContext, text: string): Promise<AdaptiveCardJson> {
    const aadObjectId = context.activity.from?.aadObjectId;
    const notYet = renderMessage(
      'Open a 1:1 chat with me first',
      `I haven't got a 1:1 chat with you yet. ${OPEN_THE_CHAT}`,
    );
    if (!aadObjectId) return notYet;
    const { services } = this.deps;
    const today = services.clock.today();
    const question = parseQuestion(text, today);
    const card =
      (await this.actionCard(
        { aadObjectId, teamsId: context.activity.from?.id, personal: true },
        question,
      )) ??
      renderAnswer(await answerQuestion(services, aadObjectId, question, { kind: 'personal' }), {
        question: text,
        page: 0,
        timeZone: this.deps.timeZone,
        today,
      });
    const sent = await this.sendToPersonalChat(aadObjectId, card);
    switch (sent) {
      case 'sent':
        return renderMessage('Answered in your 1:1 chat', 'I sent the answer to our private chat.');
      case 'noChat':
        return notYet;
      case 'notInstalled':
        return renderMessage(
          "I couldn't post in our 1:1 chat",
          `Teams says the app isn't in that chat any more, so nothing was sent. ${OPEN_THE_CHAT}`,
        );
      case 'blocked':
        return renderMessage(
          "I couldn't post in our 1:1 chat",
          'You have blocked IRO Assistant there, so nothing was sent. In Teams, open the chat with IRO Assistant, choose Unblock and say hello; then press the button again.',
        );
    }
  }

  /** Scheduling and recording questions, answered with their cards in a 1:1 chat. */
  private async actionCard(
    asker: Asker,
    question: Question,
  ): Promise<AdaptiveCardJson | undefined> {
    switch (question.kind) {
      case 'schedule':
      case 'reschedule':
        return this.deps.scheduling.open(asker.aadObjectId, question.child, question.kind);
      case 'cancelReview':
        return this.deps.scheduling.open(asker.aadObjectId, question.child, 'cancel');
      case 'recordReview':
        return this.deps.recording.openManual(asker, question.child);
      default:
        return this.deps.followUp.question(asker, question);
    }
  }

  /** Who will read the answer: one person, or every member of a group chat or team. */
  private async audienceOf(context: TurnContext): Promise<Audience> {
    const type = context.activity.conversation?.conversationType;
    if (type === 'personal') return { kind: 'personal' };
    const members: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await TeamsInfo.getPagedMembers(context, 500, token);
        for (const m of page.members ?? []) members.push(m.aadObjectId ?? '');
        token = page.continuationToken;
      } while (token && members.length < MAX_MEMBERS);
    } catch (error) {
      // Fail closed: without the roster nobody can tell who would read a child's details.
      this.deps.logger.warn(
        { ...ids(context), status: (error as { statusCode?: number }).statusCode },
        'could not read the conversation roster; showing no child',
      );
      return { kind: 'group', memberAadObjectIds: [], rosterUnreadable: true };
    }
    this.deps.logger.debug(
      { ...ids(context), members: members.length, withObjectId: members.filter(Boolean).length },
      'read the conversation roster',
    );
    // A roster cut short (more members than we read) is as good as unread.
    return {
      kind: 'group',
      memberAadObjectIds: members,
      rosterUnreadable: members.length === 0 || token !== undefined,
    };
  }

  private async remember(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const type = activity.conversation.conversationType;
    const scope: ConversationScope =
      type === 'personal' ? 'personal' : type === 'channel' ? 'channel' : 'groupChat';
    // The chat, not this turn's message (a message sent later gets a new activity of its own,
    // whatever id the reference holds), so an unchanged chat is not written again each turn.
    const reference: Record<string, unknown> = {
      ...TurnContext.getConversationReference(activity),
    };
    delete reference['activityId'];
    await this.deps.conversations.remember({
      conversationId: activity.conversation.id,
      scope,
      aadObjectId: scope === 'personal' ? (activity.from?.aadObjectId ?? null) : null,
      reference,
    });
  }
}

export type { Delivery } from '../jobs/messenger.js';

const OPEN_THE_CHAT =
  'Open IRO Assistant from Apps in Teams (or search for it) and say hello; then press the button again.';

/** Connector error codes for a 1:1 chat whose user blocked the bot: not worth trying again. */
const BLOCKED_BY_USER = new Set(['ConversationBlockedByUser', 'MessageWritesBlocked']);

/**
 * Whether Teams refused a message for good reason rather than failing: 403 (app not in the chat,
 * or blocked by the user) or 404 (the conversation is gone). The Connector's error code comes as
 * the RestError's `code`, in its body, or as a `subCode`.
 */
function refusalOf(error: unknown): 'notInstalled' | 'blocked' | undefined {
  const e = error as {
    statusCode?: unknown;
    code?: unknown;
    details?: { error?: { code?: unknown; subCode?: unknown }; subCode?: unknown };
  };
  if (e.statusCode !== 403 && e.statusCode !== 404) return undefined;
  const codes = [e.code, e.details?.error?.code, e.details?.error?.subCode, e.details?.subCode];
  return codes.some((c) => typeof c === 'string' && BLOCKED_BY_USER.has(c))
    ? 'blocked'
    : 'notInstalled';
}
