import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { resolveAsker, scopeEmails } from '../../src/app/access/viewer-scope.js';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { addDays, dayOfWeek, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { workingDaysBefore } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import type { Clock } from '../../src/services.js';
import { longDay } from '../../src/cards/card-dates.js';
import { BotHarness, checked, textOf, type Card } from '../support/bot-harness.js';
import { elements } from '../support/card-elements.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const TZ = 'Europe/London';
let now = new Date();
const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };
const IRO = PLAYGROUND_USERS.iro;
const SW = PLAYGROUND_USERS.socialWorker;
const alex: TeamsUser = { id: '29:alex', name: IRO.name, aadObjectId: IRO.aadObjectId };
const megan: TeamsUser = { id: '29:megan', name: SW.name, aadObjectId: SW.aadObjectId };
const alexChat: ConversationKind = { type: 'personal', id: 'a:alex-1to1' };
const meganChat: ConversationKind = { type: 'personal', id: 'a:megan-1to1' };
const at = (day: LocalDate, time: string) => zonedTimeToInstant(day, time, TZ);
const elementsOf = (card: Card | undefined) => (card ? elements(card) : []);

/**
 * The bot speaks first about what is due: the person responsible for a review decision the
 * working day before its date, each IRO once a working day (only when something needs doing),
 * the social worker before their report is due; and takes the answers from the cards.
 */
describe('decisions followed up and reminders', () => {
  const harness = new BotHarness();
  const db = () => harness.server.services.store.db;
  const calendar = () => harness.server.services.calendar;
  const run = () => harness.server.jobs.runner.runOnce();
  let start: LocalDate;
  let child = '';
  let dueSoon = 0;
  let overdue = 0;
  let recorded = 0;
  /** Alex's children the digest's first section lists: none booked, one due on a Saturday. */
  let toBook: string[] = [];
  let saturday: LocalDate;
  let digest: Card | undefined;

  const cardsTo = (conversation: ConversationKind, mark: number): Card[] =>
    harness.connector
      .since(mark)
      .filter((s) => s.conversationId === conversation.id)
      .map((s) => checked(s.activity.attachments?.[0]?.content));

  beforeAll(async () => {
    now = at(todayIn(TZ, new Date()), '07:00');
    await harness.start({ MIDWAY_CHECKS: 'false' }, { clock });
    start = calendar().addWorkingDays(clock.today(), 1);
    await harness.ask(alex, alexChat, 'hello');
    await harness.ask(megan, meganChat, 'hello');
    const rows = await sql<{ childId: string; reviewId: number }>`
      select s.child_id as "childId",
        (select max(r.id) from reviews r where r.child_id = s.child_id and r.status = 'held'
          and r.held_on = s.last_review_on) as "reviewId"
      from review_status s
      join allocations sw on sw.child_id = s.child_id and sw.role = 'social_worker' and sw.end_date is null
      join allocations iro on iro.child_id = s.child_id and iro.role = 'iro' and iro.end_date is null
      where sw.staff_email = ${SW.email} and iro.staff_email = ${IRO.email} and s.last_review_on is not null
      order by s.child_id limit 1`.execute(db());
    child = rows.rows[0]?.childId ?? '';
    recorded = rows.rows[0]?.reviewId ?? 0;
    const decisions = await db()
      .insertInto('reviewDecisions')
      .values([
        {
          reviewId: recorded,
          description: 'Apply for a passport',
          ownerEmail: SW.email,
          dueOn: calendar().addWorkingDays(start, 6),
        },
        {
          reviewId: recorded,
          description: 'Book a dental check',
          ownerEmail: SW.email,
          dueOn: addDays(start, -20),
        },
        {
          reviewId: recorded,
          description: 'IRO to visit the child at school',
          ownerEmail: IRO.email,
          dueOn: calendar().addWorkingDays(start, 6),
        },
        {
          reviewId: recorded,
          description: 'Carer to attend training',
          ownerEmail: 'carer@elsewhere.example',
          dueOn: addDays(start, -10),
        },
      ])
      .returning('id')
      .execute();
    [dueSoon, overdue] = decisions.map((d) => d.id) as [number, number];
    // The review was recorded in the app 30 days ago, and its record not yet distributed.
    await db()
      .updateTable('reviews')
      .set({ recordedAt: at(addDays(start, -30), '12:00'), heldOn: addDays(start, -30) })
      .where('id', '=', recorded)
      .execute();
    await harness.server.services.ensureReviewState();
    // Twelve of Alex's children to book within the digest's 20 working days, the first on the
    // first Saturday after `start`; the rest of Alex's unbooked children not due for months.
    // Written to the status rows the lists read, as an import or a recording would.
    const unbooked = await db()
      .selectFrom('reviewStatus')
      .select('childId')
      .where('iroEmail', '=', IRO.email)
      .where('periodEnd', 'is', null)
      .where('bookedStart', 'is', null)
      .where('childId', '!=', child)
      .orderBy('childId')
      .execute();
    toBook = unbooked.slice(0, 12).map((r) => r.childId);
    expect(toBook).toHaveLength(12);
    saturday = addDays(start, 1);
    while (dayOfWeek(saturday) !== 6) saturday = addDays(saturday, 1);
    const later = calendar().addWorkingDays(start, 15);
    await db()
      .updateTable('reviewStatus')
      .set({ nextDueOn: addDays(start, 120) })
      .where('iroEmail', '=', IRO.email)
      .where('bookedStart', 'is', null)
      .where('nextDueOn', 'is not', null)
      .execute();
    await db()
      .updateTable('reviewStatus')
      .set({ nextDueOn: later })
      .where('childId', 'in', toBook.slice(1))
      .execute();
    await db()
      .updateTable('reviewStatus')
      .set({ nextDueOn: saturday })
      .where('childId', '=', toBook[0] as string)
      .execute();
  });
  afterAll(() => harness.stop());

  it('sends each IRO one digest on a working day, listing what needs doing', async () => {
    now = at(start, '09:05');
    const mark = harness.connector.sent.length;
    await run();
    await run();
    const digests = cardsTo(alexChat, mark).filter((c) => textOf(c).includes('Your IRO digest'));
    expect(digests).toHaveLength(1);
    digest = digests[0];
    const text = textOf(digests[0]);
    expect(text).toContain(child);
    expect(text).toMatch(/Review records to distribute/);
    expect(text).toMatch(/Decisions overdue/);
    const distribute = digests[0]?.body
      ? JSON.stringify(digests[0]).includes('"verb":"record.distributed"')
      : false;
    expect(distribute).toBe(true);
  });

  it('shows a review to book within a fortnight in red, with by when to hold it', () => {
    const red = elementsOf(digest).filter((e) => e['color'] === 'Attention');
    const friday = addDays(saturday, -1);
    expect(red.map((e) => e['text'])).toContain(
      `Due ${longDay(saturday)} (hold by ${longDay(friday)})`,
    );
    // Three weeks ahead: listed, but not in red.
    expect(textOf(digest)).toContain(`Due ${longDay(calendar().addWorkingDays(start, 15))}`);
    expect(red.map((e) => e['text'])).not.toContain(
      `Due ${longDay(calendar().addWorkingDays(start, 15))}`,
    );
  });

  it('offers the reviews to book that the digest leaves out, and the bot lists them', async () => {
    expect(textOf(digest)).toContain('And 2 more.');
    const until = calendar().addWorkingDays(start, 20);
    const button = elementsOf(digest).find(
      (e) => e['type'] === 'Action.Execute' && e['title'] === `See all due by ${longDay(until)}`,
    );
    expect(button?.['verb']).toBe('question.ask');
    const list = await harness.press(alex, alexChat, 'question.ask', button?.['data']);
    const text = textOf(list);
    expect(text).toContain('Reviews due');
    // Every child of Alex's due in the window, booked or not, and those whose due date nobody
    // can know (they may fall due in it): 8 a page. Counted from the store's rows, not the list.
    const due = await sql<{ n: number }>`
      select count(*)::int as n from review_status
      where iro_email = ${IRO.email} and period_end is null
        and (next_due_on between ${start} and ${until} or next_due_on is null)`.execute(db());
    const listed = due.rows[0]?.n ?? 0;
    expect(listed).toBeGreaterThanOrEqual(toBook.length);
    expect(text).toContain(`1 to 8 of ${listed} children`);
    expect(text).toContain(toBook[0]);
  });

  it('lists every review record to distribute to the IRO who asks, and to nobody else', async () => {
    const card = await harness.ask(alex, alexChat, 'review records to distribute');
    const text = textOf(card);
    expect(text).toContain('Review records to distribute');
    expect(text).toContain(
      "Reviews of your children held in the last 90 days whose record was not marked distributed within the council's 15 working days.",
    );
    expect(text).toContain(child);
    expect(text).toContain(`Held on ${longDay(addDays(start, -30))}`);
    // The digest's row, with its button.
    const buttons = elementsOf(card).filter((e) => e['type'] === 'Action.Execute');
    expect(buttons).toContainEqual(
      expect.objectContaining({
        title: 'Mark distributed',
        verb: 'record.distributed',
        data: { reviewId: recorded },
      }),
    );
    // Decisions are recorded for that review: it is not among those to record.
    const decisions = await harness.ask(alex, alexChat, 'decisions not yet recorded');
    expect(textOf(decisions)).toContain('Decisions not yet recorded');
    expect(textOf(decisions)).not.toContain(child);
    // The social worker is told whose these are; a group chat is offered the 1:1 chat.
    const forSw = await harness.ask(megan, meganChat, 'review records to distribute');
    expect(textOf(forSw)).toContain('Distributing review records is for IROs');
    expect(textOf(forSw)).not.toContain(child);
    const groupId = '19:alex-and-megan@thread.v2';
    harness.connector.setMembers(
      groupId,
      [alex, megan].map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId })),
    );
    const inGroup = await harness.ask(
      alex,
      { type: 'groupChat', id: groupId },
      'review records to distribute',
    );
    expect(textOf(inGroup)).toContain("Let's talk about that in private");
    expect(textOf(inGroup)).not.toContain(child);
  });

  it('sends nothing at the weekend', async () => {
    let day = addDays(start, 1);
    while (dayOfWeek(day) !== 6) day = addDays(day, 1);
    now = at(day, '10:00');
    const mark = harness.connector.sent.length;
    await run();
    expect(harness.connector.since(mark)).toEqual([]);
  });

  it('marks the review record distributed from the digest, late against 15 working days', async () => {
    const card = await harness.press(alex, alexChat, 'record.distributed', { reviewId: recorded });
    const row = await db()
      .selectFrom('reviews')
      .select('recordDistributedOn')
      .where('id', '=', recorded)
      .executeTakeFirstOrThrow();
    expect(row.recordDistributedOn).toBe(clock.today());
    expect(textOf(card)).toMatch(/late|after/i);
    const refused = await harness.press(megan, meganChat, 'record.distributed', {
      reviewId: recorded,
    });
    expect(textOf(refused)).toContain("You can't change that");
  });

  it('asks the person responsible the working day before a decision is due, once', async () => {
    const due = calendar().addWorkingDays(start, 6);
    now = at(workingDaysBefore(due, 2, { calendar: calendar() }), '11:00');
    let mark = harness.connector.sent.length;
    await run();
    expect(
      cardsTo(meganChat, mark).filter((c) => textOf(c).includes('Apply for a passport')),
    ).toEqual([]);
    now = at(workingDaysBefore(due, 1, { calendar: calendar() }), '11:00');
    mark = harness.connector.sent.length;
    await run();
    await run();
    const asks = cardsTo(meganChat, mark).filter((c) => textOf(c).includes('Apply for a passport'));
    expect(asks).toHaveLength(1);
    expect(JSON.stringify(asks[0])).toContain('"verb":"decision.update"');
    expect(textOf(asks[0])).toContain(`${IRO.name} (IRO) set this decision at the review`);
    // The IRO's own decision: in the second person.
    const own = cardsTo(alexChat, mark).filter((c) => textOf(c).includes('visit the child'));
    expect(own).toHaveLength(1);
    expect(textOf(own[0])).toContain('You set this decision at the review');
    expect(textOf(own[0])).not.toContain(IRO.name);
  });

  it('takes "not done" only with a reason, and "done"', async () => {
    const missing = await harness.press(megan, meganChat, 'decision.update', {
      decisionId: dueSoon,
      status: 'notDone',
    });
    expect(textOf(missing)).toContain('Say why it is not done yet');
    const late = await harness.press(megan, meganChat, 'decision.update', {
      decisionId: overdue,
      status: 'notDone',
      reason: 'Dentist has no appointments until next month',
    });
    expect(textOf(late)).toContain('Dentist has no appointments');
    const done = await harness.press(megan, meganChat, 'decision.update', {
      decisionId: dueSoon,
      status: 'done',
    });
    expect(textOf(done)).toMatch(/done/i);
    const progress = await db()
      .selectFrom('decisionProgress')
      .select(['decisionId', 'status', 'reportedBy'])
      .where('decisionId', 'in', [dueSoon, overdue])
      .orderBy('id')
      .execute();
    expect(progress).toEqual([
      { decisionId: overdue, status: 'delayed', reportedBy: SW.email },
      { decisionId: dueSoon, status: 'done', reportedBy: SW.email },
    ]);
    const stranger = PLAYGROUND_USERS.headOfService;
    const refused = await harness.press(
      { id: '29:x', name: 'x', aadObjectId: stranger.aadObjectId },
      { type: 'personal', id: 'a:x' },
      'decision.update',
      { decisionId: dueSoon, status: 'done' },
    );
    expect(textOf(refused)).toContain("You can't change that");
  });

  it('shows the IRO the decisions overdue, with the reason given', async () => {
    const card = await harness.ask(alex, alexChat, 'decisions overdue');
    expect(textOf(card)).toContain('Book a dental check');
    expect(textOf(card)).toContain('Dentist has no appointments');
    expect(textOf(card)).not.toContain('Apply for a passport');
    // A carer named for the record: not by address, as in the tab and the midway cards.
    expect(textOf(card)).toContain('Carer to attend training');
    expect(textOf(card)).toContain('Who: Someone not on the staff list');
    expect(JSON.stringify(card)).not.toContain('elsewhere.example');
  });

  it("gives a manager's staff the same follow-up rows as the children those staff have", async () => {
    const services = harness.server.services;
    const staff = await services.cases.listStaff();
    const managers = staff.filter((s) => s.role === 'team_manager' || s.role === 'service_manager');
    const reminders = services.reminders;
    const range = { from: addDays(start, -60), to: start };
    let withDecisions = 0;
    for (const manager of managers) {
      const asker = await resolveAsker(services.cases, manager.aadObjectId ?? undefined);
      if (!asker) continue;
      const byChildren = await reminders.followUpRows(range.from, range.to, {
        childIds: asker.childIds,
      });
      const byStaff = await reminders.followUpRows(range.from, range.to, {
        staffEmails: scopeEmails([manager], staff),
      });
      expect(byStaff, manager.email).toEqual(byChildren);
      if (byStaff.decisions.length > 0) {
        withDecisions += 1;
        // Two for the social worker, one for the IRO, one for a carer.
        expect(byStaff.decisions).toHaveLength(4);
        expect(byStaff.decisions.filter((d) => d.doneOn === clock.today())).toHaveLength(1);
        expect(byStaff.records).toHaveLength(1);
      }
    }
    // The IRO's and the social worker's managers both see the child's decisions.
    expect(withDecisions).toBeGreaterThan(0);
  });

  it('reminds the social worker before their report for a booked review is due', async () => {
    const meetingDay = calendar().addWorkingDays(clock.today(), 12);
    await db()
      .insertInto('reviews')
      .values({
        childId: child,
        status: 'scheduled',
        chairEmail: IRO.email,
        scheduledStart: at(meetingDay, '10:00'),
        scheduledEnd: at(meetingDay, '11:30'),
        source: 'bot',
        invitees: '[]',
      })
      .execute();
    const reportDue = workingDaysBefore(meetingDay, 3, { calendar: calendar() });
    now = at(workingDaysBefore(reportDue, 2, { calendar: calendar() }), '09:30');
    const mark = harness.connector.sent.length;
    await run();
    await run();
    const reminders = cardsTo(meganChat, mark).filter((c) => textOf(c).includes('report'));
    expect(reminders).toHaveLength(1);
    expect(textOf(reminders[0])).toContain(child);
  });
});
