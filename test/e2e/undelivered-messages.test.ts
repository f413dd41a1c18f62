import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { todayIn } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { BotHarness, textOf } from '../support/bot-harness.js';
import { oracleChildren, oracleDue } from '../support/review-oracle.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const today = todayIn('Europe/London', new Date());
const oracle = oracleChildren(
  demoCouncilExtract({ today, calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS) }),
);
const IRO = PLAYGROUND_USERS.iro;
const alex: TeamsUser = { id: '29:alex', name: IRO.name, aadObjectId: IRO.aadObjectId };
const alexChat: ConversationKind = { type: 'personal', id: 'a:alex-personal' };
const groupChat: ConversationKind = { type: 'groupChat', id: '19:iro-and-friends@thread.v2' };
const [first, second] = oracleDue(oracle, today, '1900-01-01', '2999-12-31', IRO.email).map(
  (d) => d.child,
);

/**
 * Teams refuses a message to a 1:1 chat with 403 when the user never opened it or removed the app
 * (BotNotInConversationRoster) or blocked the bot (ConversationBlockedByUser). Such a message
 * was not delivered: nobody is told it was, and the recording reminder tries again later,
 * except for a user who blocked the bot.
 */
describe('messages Teams refuses to deliver', () => {
  const harness = new BotHarness();
  const db = () => harness.server.services.store.db;

  beforeAll(async () => {
    await harness.start();
    harness.connector.setMembers(groupChat.id, [
      { id: alex.id, name: alex.name, aadObjectId: alex.aadObjectId },
    ]);
    // Alex once talked to the bot in the 1:1 chat, so the bot knows that conversation.
    await harness.ask(alex, alexChat, 'hello');
  });
  afterAll(() => harness.stop());

  describe('"answer me privately" from a group chat', () => {
    const press = () =>
      harness.press(alex, groupChat, 'question.askPrivately', {
        question: 'my reviews due this month',
      });

    it('tells the asker how to open the 1:1 chat when the app is not in it', async () => {
      harness.connector.refuse(alexChat.id, 'BotNotInConversationRoster');
      const card = await press();
      expect(textOf(card)).not.toMatch(/Answered in your 1:1 chat|sent the answer/);
      expect(textOf(card)).toContain(
        'Open IRO Assistant from Apps in Teams (or search for it) and say hello; then press the button again.',
      );
      expect(harness.connector.refused.get(alexChat.id)).toBe(1);
    });

    it('answers in the 1:1 chat once the asker has said hello there', async () => {
      harness.connector.refuse(alexChat.id, undefined);
      await harness.ask(alex, alexChat, 'hello');
      const mark = harness.connector.sent.length;
      const card = await press();
      expect(textOf(card)).toContain('Answered in your 1:1 chat');
      expect(harness.connector.since(mark).map((s) => s.conversationId)).toEqual([alexChat.id]);
    });

    it('tells a user who blocked the bot how to unblock it', async () => {
      harness.connector.refuse(alexChat.id, 'ConversationBlockedByUser');
      const card = await press();
      expect(textOf(card)).not.toMatch(/Answered in your 1:1 chat/);
      expect(textOf(card)).toContain('You have blocked IRO Assistant');
      expect(textOf(card)).toContain('then press the button again');
      harness.connector.refuse(alexChat.id, undefined);
      await harness.ask(alex, alexChat, 'hello');
    });
  });

  describe('the recording reminder', () => {
    const book = async (child: string) => {
      const row = await db()
        .insertInto('reviews')
        .values({
          childId: child,
          status: 'scheduled',
          source: 'bot',
          chairEmail: IRO.email,
          scheduledStart: new Date(Date.now() - 3 * 3600_000),
          scheduledEnd: new Date(Date.now() - 2 * 3600_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const reminderOf = (id: number) =>
      db()
        .selectFrom('reviews')
        .select(['reminderSentAt', 'reminderAttempts', 'reminderRetryAt', 'reminderBlockedAt'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    /** As if the retry time had come. */
    const timePasses = (id: number) =>
      db()
        .updateTable('reviews')
        .set({ reminderRetryAt: new Date(Date.now() - 1000) })
        .where('id', '=', id)
        .execute();
    const job = () => harness.server.jobs.recordingReminder;

    it('tries again later, and not before, when the chair has no 1:1 chat with the app', async () => {
      const id = await book(first as string);
      harness.connector.refuse(alexChat.id, 'BotNotInConversationRoster');
      const refusedBefore = harness.connector.refused.get(alexChat.id) ?? 0;
      expect(await job().runOnce()).toBe(0);
      expect(harness.connector.refused.get(alexChat.id)).toBe(refusedBefore + 1);
      const after = await reminderOf(id);
      expect(after.reminderSentAt).toBeNull();
      expect(after.reminderAttempts).toBe(1);
      expect(after.reminderRetryAt?.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
      expect(await job().runOnce()).toBe(0);
      expect(harness.connector.refused.get(alexChat.id)).toBe(refusedBefore + 1);

      // Alex opens the chat; when the retry comes, the form arrives.
      harness.connector.refuse(alexChat.id, undefined);
      await harness.ask(alex, alexChat, 'hello');
      await timePasses(id);
      const mark = harness.connector.sent.length;
      expect(await job().runOnce()).toBe(1);
      const sent = harness.connector.since(mark);
      expect(sent.map((s) => s.conversationId)).toEqual([alexChat.id]);
      expect(textOf(sent[0]?.activity.attachments?.[0]?.content)).toContain('Record the review');
      expect((await reminderOf(id)).reminderSentAt).not.toBeNull();
      await timePasses(id);
      expect(await job().runOnce()).toBe(0);
    });

    it('records a chair who blocked the bot and does not try again', async () => {
      const id = await book(second as string);
      harness.connector.refuse(alexChat.id, 'ConversationBlockedByUser');
      const refusedBefore = harness.connector.refused.get(alexChat.id) ?? 0;
      expect(await job().runOnce()).toBe(0);
      const after = await reminderOf(id);
      expect(after.reminderSentAt).toBeNull();
      expect(after.reminderBlockedAt).not.toBeNull();
      await timePasses(id);
      expect(await job().runOnce()).toBe(0);
      expect(harness.connector.refused.get(alexChat.id)).toBe(refusedBefore + 1);
      const chat = await db()
        .selectFrom('conversationReferences')
        .select(['blockedAt', 'blockedReason'])
        .where('conversationId', '=', alexChat.id)
        .executeTakeFirstOrThrow();
      expect(chat.blockedReason).toBe('blocked_by_user');
    });
  });
});
