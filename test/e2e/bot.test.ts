import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { addMonths, monthOf, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { BotHarness, childrenIn, textOf, type Card } from '../support/bot-harness.js';
import { oracleChildren, oracleDue, oracleStats } from '../support/review-oracle.js';
import { runIroAssistant } from '../support/run-cli.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';
import { messageActivity } from '../support/teams-activities.js';

// The server seeds the demo council around the real today; the oracle reads the same files.
const today = todayIn('Europe/London', new Date());
const oracle = oracleChildren(
  demoCouncilExtract({ today, calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS) }),
);
const month = monthOf(today);
const nextMonth = monthOf(addMonths(month.first, 1));
const shift = (days: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as LocalDate;
};

const user = (key: keyof typeof PLAYGROUND_USERS, n: number): TeamsUser => ({
  id: `29:user-${n}`,
  name: PLAYGROUND_USERS[key].name,
  aadObjectId: PLAYGROUND_USERS[key].aadObjectId,
});
const iro = user('iro', 0);
const sw = user('socialWorker', 1);
const teamManager = user('teamManager', 2);
const serviceManager = user('serviceManager', 3);
const stranger: TeamsUser = {
  id: '29:stranger',
  name: 'Guest',
  aadObjectId: '99999999-0000-4000-8000-000000000099',
};
const chat = (u: TeamsUser): ConversationKind => ({ type: 'personal', id: `a:personal-${u.id}` });

const IRO_EMAIL = PLAYGROUND_USERS.iro.email;
const SW_EMAIL = PLAYGROUND_USERS.socialWorker.email;
const fact = (card: Card, title: string) => {
  const match = new RegExp(`"title":"${title}","value":"([^"]*)"`).exec(JSON.stringify(card));
  return match?.[1];
};

describe('the Teams bot over /api/messages', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  describe('in a 1:1 chat', () => {
    it("lists an IRO's reviews due this month, every page, as the rules say", async () => {
      const card = await harness.ask(iro, chat(iro), 'My reviews due this month');
      expect(textOf(card)).toContain(`This month (1 to ${Number(month.last.slice(8))}`);
      const expected = oracleDue(oracle, today, month.first, month.last, IRO_EMAIL).map(
        (e) => e.child,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(await harness.allListedChildren(iro, chat(iro), card)).toEqual(expected);
    });

    it('gives the same children as `iro-assistant due` for the same person and period', async () => {
      const cliDue = async (from: string, to: string) => {
        const run = await runIroAssistant(
          ['due', '--from', from, '--to', to, '--iro', IRO_EMAIL, '--json'],
          { DATA_DIR: harness.dataDir },
        );
        expect(run.code, run.stderr).toBe(0);
        return (JSON.parse(run.stdout) as { child: string }[]).map((r) => r.child);
      };
      const nextMonthCard = await harness.ask(iro, chat(iro), 'reviews coming up next month?');
      expect(await harness.allListedChildren(iro, chat(iro), nextMonthCard)).toEqual(
        await cliDue(nextMonth.first, nextMonth.last),
      );
      // The whole caseload runs to several pages (8 a page) whatever the day's demo council.
      const caseloadCard = await harness.ask(iro, chat(iro), 'My caseload');
      const caseload = await harness.allListedChildren(iro, chat(iro), caseloadCard);
      expect(caseload).toEqual(await cliDue('1901-01-01', '2199-12-31'));
      expect(caseload.length).toBeGreaterThan(16);
    });

    it("lists a social worker's own children only", async () => {
      const card = await harness.ask(sw, chat(sw), 'My caseload');
      const expected = oracleDue(oracle, today, '1900-01-01', '2999-12-31')
        .filter((e) => e.socialWorker === SW_EMAIL)
        .map((e) => e.child);
      expect(expected.length).toBeGreaterThan(0);
      expect(await harness.allListedChildren(sw, chat(sw), card)).toEqual(expected);
    });

    it('lists overdue reviews for a manager across the teams they manage', async () => {
      const card = await harness.ask(teamManager, chat(teamManager), 'Overdue reviews.');
      const expected = oracleDue(oracle, today, '1900-01-01', shift(-1)).map((e) => e.child);
      expect(await harness.allListedChildren(teamManager, chat(teamManager), card)).toEqual(
        expected,
      );
      expect(JSON.stringify(card)).toMatch(/days? overdue/);
    });

    it('gives a manager the caseload summary, per IRO against the guidance', async () => {
      const card = await harness.ask(teamManager, chat(teamManager), 'caseload summary');
      const lookedAfter = oracleDue(oracle, today, '1900-01-01', '2999-12-31');
      const shortBreaks = lookedAfter.filter((e) => e.kind === 'short_breaks').length;
      expect(shortBreaks).toBeGreaterThan(0);
      expect(fact(card, 'Children looked after')).toBe(String(lookedAfter.length - shortBreaks));
      expect(fact(card, 'Children on short breaks \\(reviewed apart\\)')).toBe(String(shortBreaks));
      expect(fact(card, 'Overdue reviews')).toBe(
        String(lookedAfter.filter((e) => e.dueDate !== null && e.dueDate < today).length),
      );
      expect(fact(card, 'Reviews due this month')).toBe(
        String(
          lookedAfter.filter(
            (e) => e.dueDate !== null && e.dueDate >= month.first && e.dueDate <= month.last,
          ).length,
        ),
      );
      expect(textOf(card)).toContain(PLAYGROUND_USERS.iro.name);
      expect(childrenIn(card)).toEqual([]);
    });

    it("answers timeliness this year with the report's figures", async () => {
      const card = await harness.ask(serviceManager, chat(serviceManager), 'Timeliness this year');
      const yearStart =
        (today.slice(5) >= '04-01' ? today.slice(0, 4) : String(Number(today.slice(0, 4)) - 1)) +
        '-04-01';
      const expected = oracleStats(oracle, yearStart, today);
      expect(fact(card, 'Reviews held')).toBe(String(expected.reviewsHeld));
      // On 1 April the year has no reviews yet, and the card says so.
      expect(fact(card, 'Held on time')).toMatch(
        expected.reviewsHeld === 0
          ? /^no reviews held$/
          : new RegExp(`^${expected.reviewsOnTime} of ${expected.reviewsHeld} \\(`),
      );
      expect(textOf(card)).toContain('this reporting year to date');
    });

    it('answers participation last quarter with every PN code and its DfE wording', async () => {
      const card = await harness.ask(
        serviceManager,
        chat(serviceManager),
        'participation last quarter',
      );
      const text = textOf(card);
      for (const code of ['PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7'])
        expect(text).toContain(code);
      expect(text).toContain('facilitative medium');
      expect(text).toContain('held last quarter (');
    });

    it('lets a manager ask for one IRO, and refuses the same to an IRO', async () => {
      const card = await harness.ask(
        teamManager,
        chat(teamManager),
        `caseload for ${PLAYGROUND_USERS.iro.name}`,
      );
      const expected = oracleDue(oracle, today, '1900-01-01', '2999-12-31', IRO_EMAIL).map(
        (e) => e.child,
      );
      expect(await harness.allListedChildren(teamManager, chat(teamManager), card)).toEqual(
        expected,
      );
      const refused = await harness.ask(
        iro,
        chat(iro),
        `caseload for ${PLAYGROUND_USERS.teamManager.email}`,
      );
      expect(childrenIn(refused)).toEqual([]);
      expect(textOf(refused)).toContain('for managers');
      // A name that matches nobody: the example is one of the manager's own IROs.
      const unknown = await harness.ask(teamManager, chat(teamManager), 'caseload for Nobody Here');
      expect(textOf(unknown)).toMatch(/No IRO called \\?"Nobody Here\\?" in your teams/);
      expect(textOf(unknown)).toMatch(/e\.g\. \\?"caseload for [A-Z][a-z]+ [A-Z]/);
      // A manager with no IROs (a social work team manager) is told so, not given an example.
      const swManager = user('socialWorkTeamManager', 5);
      const none = await harness.ask(
        swManager,
        chat(swManager),
        `caseload for ${PLAYGROUND_USERS.iro.name}`,
      );
      expect(textOf(none)).toContain('No IROs in the teams you manage');
    });

    it('tells someone who is not registered whom to ask, and shows nothing', async () => {
      const card = await harness.ask(stranger, chat(stranger), 'my reviews due this month');
      expect(textOf(card)).toContain("You're not registered with IRO Assistant");
      expect(childrenIn(card)).toEqual([]);
      const pressed = await harness.press(stranger, chat(stranger), 'reviews.page', {
        question: 'overdue reviews',
        page: 0,
      });
      expect(childrenIn(pressed)).toEqual([]);
    });

    it('offers the questions of the role as buttons, and answers a press', async () => {
      const card = await harness.ask(iro, chat(iro), 'help');
      expect(textOf(card)).toContain('Independent Reviewing Officer');
      const buttons = JSON.stringify(card).match(/"verb":"question\.ask"/g) ?? [];
      expect(buttons.length).toBeGreaterThanOrEqual(6);
      const answer = await harness.press(iro, chat(iro), 'question.ask', {
        question: 'overdue reviews',
      });
      expect(textOf(answer)).toContain('Overdue reviews');
      const puzzled = await harness.ask(iro, chat(iro), 'what is the weather like');
      expect(textOf(puzzled)).toContain("didn't understand");
      // A manager hears what their figures cover: the head of service, the whole service.
      const head = user('headOfService', 4);
      expect(textOf(await harness.ask(head, chat(head), 'help'))).toContain(
        "Hello Patti. You're registered as a service manager, for Children's Services and the teams below it.",
      );
      expect(textOf(await harness.ask(teamManager, chat(teamManager), 'help'))).toContain(
        "You're registered as a team manager, for IRO Service and the teams below it.",
      );
    });

    it('refuses button data that does not validate, with a card', async () => {
      const card = await harness.press(iro, chat(iro), 'reviews.page', {
        question: 'overdue reviews',
        page: -3,
      });
      expect(textOf(card)).toContain("doesn't work any more");
      const unknownVerb = await harness.press(iro, chat(iro), 'review.delete', { child: 'A12345' });
      expect(textOf(unknownVerb)).toContain("doesn't work any more");
    });

    it('answers an Action.Submit fallback from an older client', async () => {
      const mark = harness.connector.sent.length;
      const activity = {
        ...messageActivity(harness.connector.url, iro, chat(iro), ''),
        value: { verb: 'question.ask', question: 'my caseload' },
      };
      expect((await harness.post(activity)).status).toBe(200);
      const reply = harness.connector.since(mark)[0];
      expect(textOf(reply?.activity)).toContain('Your caseload');
    });

    it('keeps the chat to post to later, not the message, and does not write it again each turn', async () => {
      const someone = user('serviceManager', 41);
      const stored = () =>
        harness.server.services.store.db
          .selectFrom('conversationReferences')
          .select(['reference', 'updatedAt'])
          .where('conversationId', '=', chat(someone).id)
          .executeTakeFirstOrThrow();
      await harness.ask(someone, chat(someone), 'help');
      const first = await stored();
      expect(first.reference).not.toHaveProperty('activityId');
      expect(first.reference).toMatchObject({
        conversation: { id: chat(someone).id },
        serviceUrl: harness.connector.url,
      });
      await harness.ask(someone, chat(someone), 'my caseload');
      expect((await stored()).updatedAt).toEqual(first.updatedAt);
    });
  });

  describe('in a group chat or channel', () => {
    const group = (id: string, members: TeamsUser[]): ConversationKind => {
      harness.connector.setMembers(
        id,
        members.map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId })),
      );
      return { type: 'groupChat', id };
    };

    it('lists only the children every member may see', async () => {
      const conversation = group('19:iro-and-sw@thread.v2', [iro, sw]);
      const card = await harness.ask(iro, conversation, 'caseload');
      const expected = oracleDue(oracle, today, '1900-01-01', '2999-12-31')
        .filter((e) => e.iro === IRO_EMAIL && e.socialWorker === SW_EMAIL)
        .map((e) => e.child);
      expect(await harness.allListedChildren(iro, conversation, card)).toEqual(expected);
    });

    it('narrows a manager to what the IRO in the chat may see', async () => {
      const conversation = group('19:manager-and-iro@thread.v2', [teamManager, iro]);
      const card = await harness.ask(teamManager, conversation, 'reviews due in the next 8 weeks');
      const expected = oracleDue(oracle, today, today, shift(56), IRO_EMAIL).map((e) => e.child);
      expect(expected.length).toBeGreaterThan(0);
      expect(await harness.allListedChildren(teamManager, conversation, card)).toEqual(expected);
    });

    it('shows no child when anyone in the chat is not registered', async () => {
      const conversation = group('19:with-a-guest@thread.v2', [teamManager, iro, stranger]);
      const card = await harness.ask(teamManager, conversation, 'reviews due in the next 8 weeks');
      expect(childrenIn(card)).toEqual([]);
      // Not "no reviews fall due": the manager's own children are left out, and it says so.
      expect(textOf(card)).toContain('None that everyone in this chat may see.');
      expect(textOf(card)).toContain('Some children are not shown');
      expect(textOf(card)).not.toContain('No reviews fall due');
    });

    it('gives caseload figures only in the 1:1 chat, where they count every child', async () => {
      const conversation = group('19:managers-and-a-guest@thread.v2', [teamManager, stranger]);
      await harness.ask(teamManager, chat(teamManager), 'hello');
      for (const question of ['caseload summary', `caseload for ${PLAYGROUND_USERS.iro.name}`]) {
        const card = await harness.ask(teamManager, conversation, question);
        expect(childrenIn(card)).toEqual([]);
        expect(textOf(card)).toContain('gives caseload figures');
        expect(textOf(card)).not.toMatch(/per full-time equivalent|Children looked after/);
        const offer = card.actions?.find((a) => a.verb === 'question.askPrivately');
        const mark = harness.connector.sent.length;
        await harness.press(teamManager, conversation, 'question.askPrivately', offer?.data);
        const sent = harness.connector.since(mark);
        expect(sent).toHaveLength(1);
        expect(sent[0]?.conversationId).toBe(chat(teamManager).id);
        const privately = sent[0]?.activity.attachments?.[0]?.content;
        const direct = await harness.ask(teamManager, chat(teamManager), question);
        expect(textOf(privately)).toBe(textOf(direct));
      }
    });

    it('quotes a question as a manager may ask it, not as "my ..."', async () => {
      const conversation = group('19:manager-and-iro@thread.v2', [teamManager, iro]);
      const card = await harness.ask(teamManager, conversation, 'practice alerts');
      expect(textOf(card)).toContain('practice alerts\\" is about the children you work with');
      expect(textOf(card)).not.toContain('my practice alerts');
    });

    it('offers to answer a personal question in the 1:1 chat, and does so when asked', async () => {
      const conversation = group('19:iro-and-sw@thread.v2', [iro, sw]);
      const card = await harness.ask(iro, conversation, 'my reviews due this month');
      expect(childrenIn(card)).toEqual([]);
      const offer = card.actions?.find((a) => a.verb === 'question.askPrivately');
      expect(offer).toBeDefined();
      await harness.ask(iro, chat(iro), 'hello');
      const mark = harness.connector.sent.length;
      const pressed = await harness.press(iro, conversation, 'question.askPrivately', offer?.data);
      expect(textOf(pressed)).toContain('Answered in your 1:1 chat');
      expect(childrenIn(pressed)).toEqual([]);
      const sent = harness.connector.since(mark);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.conversationId).toBe(chat(iro).id);
      const privately = sent[0]?.activity.attachments?.[0]?.content;
      const expected = oracleDue(oracle, today, month.first, month.last, IRO_EMAIL).map(
        (e) => e.child,
      );
      expect(childrenIn(privately)).toEqual(expected.slice(0, 8));
    });

    it('reads the team roster in a channel', async () => {
      harness.connector.setMembers(
        'team-1',
        [teamManager, iro].map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId })),
      );
      const channel: ConversationKind = {
        type: 'channel',
        id: '19:general@thread.skype',
        teamId: 'team-1',
      };
      const card = await harness.ask(teamManager, channel, 'caseload');
      const expected = oracleDue(oracle, today, '1900-01-01', '2999-12-31', IRO_EMAIL).map(
        (e) => e.child,
      );
      expect(await harness.allListedChildren(teamManager, channel, card)).toEqual(expected);
    });

    it('shows no child when the roster cannot be read, or comes back empty, and says why', async () => {
      const unreadable = group('19:roster-down@thread.v2', [teamManager, iro]);
      harness.connector.failRoster(unreadable.id, 503);
      const down = await harness.ask(teamManager, unreadable, 'reviews due in the next 8 weeks');
      expect(childrenIn(down)).toEqual([]);
      expect(textOf(down)).toContain("I couldn't read who is in this chat");
      harness.connector.failRoster(unreadable.id, undefined);
      const empty = group('19:nobody-listed@thread.v2', []);
      const none = await harness.ask(iro, empty, 'overdue reviews');
      expect(childrenIn(none)).toEqual([]);
      expect(textOf(none)).toContain("I couldn't read who is in this chat");
    });

    it('says when a list is shorter because of who is in the chat', async () => {
      const conversation = group('19:manager-and-iro-2@thread.v2', [teamManager, iro]);
      const card = await harness.ask(teamManager, conversation, 'overdue reviews');
      const shown = await harness.allListedChildren(teamManager, conversation, card);
      const all = oracleDue(oracle, today, '1900-01-01', shift(-1)).filter(
        (e) => e.dueDate !== null,
      );
      expect(all.length - shown.length).toBeGreaterThan(0);
      expect(textOf(card)).toContain(
        'Some children are not shown, because not everyone in this chat may see them.',
      );
      // A list that leaves nobody out says nothing of the kind.
      const same = group('19:iro-alone-2@thread.v2', [iro]);
      const own = await harness.ask(iro, same, 'overdue reviews');
      expect(textOf(own)).not.toContain('Some children are not shown');
    });
  });
});

describe('the bot with Bot Framework credentials', () => {
  const harness = new BotHarness();
  beforeAll(() =>
    harness.start({
      BOT_ID: '11111111-2222-3333-4444-555555555555',
      BOT_PASSWORD: 'not-a-real-secret',
      DEMO_DATA: 'false',
    }),
  );
  afterAll(() => harness.stop());

  it('rejects an activity without a valid token and sends nothing', async () => {
    const response = await harness.post(
      messageActivity(harness.connector.url, iro, chat(iro), 'help'),
    );
    expect(response.status).toBe(401);
    const forged = await harness.post(
      messageActivity(harness.connector.url, iro, chat(iro), 'help'),
      {
        authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl',
      },
    );
    expect(forged.status).toBe(401);
    expect(harness.connector.sent).toEqual([]);
  });
});
