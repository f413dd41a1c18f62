import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PACKAGE_DIR } from '../../src/app-package/app-package.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../../src/dev/graph-simulator/graph-simulator.js';
import { childPage } from '../../src/app/child-page.js';
import { BotHarness, checked, inputValue, textOf, type Card } from '../support/bot-harness.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';
import { oracleAddMonths, oracleChildren, oracleDue } from '../support/review-oracle.js';
import { runIroAssistant } from '../support/run-cli.js';
import {
  cardActionInvoke,
  meetingEventActivity,
  type ConversationKind,
  type TeamsUser,
} from '../support/teams-activities.js';

const today = todayIn('Europe/London', new Date());
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const files = demoCouncilExtract({ today, calendar });
const oracle = oracleChildren(files);
const rows = (name: keyof typeof files) =>
  (files[name] ?? '')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));
const names = new Map(
  rows('Allocations.csv').map((c) => [c[0] as string, [c[3] as string, c[4] as string]]),
);
const dob = new Map(rows('Header.csv').map((c) => [c[0] as string, c[2] as string]));
const shift = (days: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as LocalDate;
};
const ageToday = (child: string) => {
  const [d, m, y] = (dob.get(child) as string).split('/').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return (
    (ty as number) -
    (y as number) -
    ((tm as number) < (m as number) ||
    ((tm as number) === (m as number) && (td as number) < (d as number))
      ? 1
      : 0)
  );
};

const IRO = PLAYGROUND_USERS.iro;
const TEAMS_APP = '3b3f2d9e-5c2a-4f0e-9a51-0c7e6a9d1a01';
const alex: TeamsUser = { id: '29:alex-in-teams', name: IRO.name, aadObjectId: IRO.aadObjectId };
const megan: TeamsUser = {
  id: '29:megan',
  name: PLAYGROUND_USERS.socialWorker.name,
  aadObjectId: PLAYGROUND_USERS.socialWorker.aadObjectId,
};
const guest: TeamsUser = { id: '29:anonymous-guest', name: 'Guest (carer)' };
const chat = (u: TeamsUser): ConversationKind => ({ type: 'personal', id: `a:${u.id}` });
const meetingChat: ConversationKind = { type: 'groupChat', id: '19:meeting_review@thread.v2' };

/** The app as an admin uploads it to the organisation's catalog: the manifest's own RSC. */
const manifestRsc = (
  JSON.parse(readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8')) as {
    authorization: { permissions: { resourceSpecific: { name: string; type: 'Application' }[] } };
  }
).authorization.permissions.resourceSpecific;

// Alex's children aged 4+ (PN1..PN7 apply) with a review due soon; one for a Teams meeting, one
// recorded by hand, one reminded, one booked with a short join link.
const [inMeeting, byHand, reminded, shortLinked, released] = oracleDue(
  oracle,
  today,
  shift(20),
  shift(90),
  IRO.email,
).filter((c) => ageToday(c.child) >= 5);

/** Every text a person could read in a card, plus all its data, as one string. */
const everything = (card: unknown) => JSON.stringify(card);
/** The addresses of the family and carer invited by e-mail: the chair's form only shows them. */
const INVITED = ['mum@example.org', 'carer@fostering.example'];

describe('recording a review when its meeting ends', () => {
  const harness = new BotHarness();
  let simulator: GraphSimulator;
  let reviewId: number;
  let joinUrl: string;
  let catalogId: string;
  let mum: number;
  let carer: number;

  const invoke = async (
    from: TeamsUser,
    conversation: ConversationKind,
    verb: string,
    data: unknown,
    trigger: 'manual' | 'automatic' = 'manual',
  ) => {
    const response = await harness.post(
      cardActionInvoke(harness.connector.url, from, conversation, verb, data, trigger),
    );
    expect(response.status).toBe(200);
    return checked(((await response.json()) as { value: unknown }).value);
  };
  const childSecrets = (child: string) => [
    child,
    ...(names.get(child) ?? []),
    `${names.get(child)?.[0]?.[0]}.${names.get(child)?.[1]?.[0]}.`,
  ];

  beforeAll(async () => {
    expect(inMeeting && byHand && reminded && shortLinked && released).toBeTruthy();
    simulator = await startGraphSimulator();
    const control = new SimulatorControl(simulator.url);
    await control.addUsers([{ email: IRO.email, displayName: IRO.name, id: IRO.aadObjectId }]);
    const [app] = await control.addCatalogApps([
      { externalId: TEAMS_APP, displayName: 'IRO Assistant', resourceSpecific: manifestRsc },
    ]);
    catalogId = app!.id;
    await harness.start({ GRAPH_BASE_URL: simulator.url, TEAMS_APP_ID: TEAMS_APP });
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${inMeeting!.child}`);
    const submit = plan.actions?.find((a) => a.verb === 'review.schedule');
    const slot = /"id":"slot"[^}]*"value":"([^"]+)"/.exec(JSON.stringify(plan))?.[1];
    const booked = await harness.press(alex, chat(alex), 'review.schedule', {
      ...(submit?.data as object),
      slot,
      duration: '90',
      venue: 'Foster home',
      invitees: 'mum@example.org, carer@fostering.example',
    });
    expect(textOf(booked)).toContain('Review booked');
    expect(textOf(booked)).toContain('IRO Assistant has been added to the meeting chat.');
    // Teams' link to an app uploaded to the organisation's catalog names its catalog id.
    expect(JSON.stringify(booked)).toContain(
      `"type":"Action.OpenUrl","title":"Add IRO Assistant to the meeting","url":"https://teams.microsoft.com/l/app/${catalogId}"`,
    );
    const stored = await harness.server.services.scheduledReviews.findScheduled(inMeeting!.child);
    reviewId = stored!.id;
    joinUrl = stored!.joinUrl!;
    // The social worker is invited too, first: the form names invitees by their place in the list.
    mum = stored!.invitees.indexOf('mum@example.org');
    carer = stored!.invitees.indexOf('carer@fostering.example');
    expect(stored!.invitees.indexOf(inMeeting!.socialWorker as string)).toBe(0);
    harness.connector.setMembers(
      meetingChat.id,
      [alex, guest, megan].map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId })),
    );
  });
  afterAll(async () => {
    await harness.stop();
    await simulator.close();
  });

  it('puts the app into the meeting chat through Graph when the review is booked', async () => {
    const row = await harness.server.services.store.db
      .selectFrom('reviews')
      .select(['onlineMeetingId', 'meetingChatId'])
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(row.meetingChatId).toMatch(/^19:meeting_[0-9a-f]+@thread\.v2$/);
    expect(row.onlineMeetingId).toBeTruthy();
    const control = new SimulatorControl(simulator.url);
    // Named by its catalog id (not the manifest id), with consent to the manifest's RSC.
    expect(await control.installs()).toEqual([
      {
        chatId: row.meetingChatId,
        appId: catalogId,
        externalId: TEAMS_APP,
        consented: [
          { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'Application' },
          { permissionValue: 'MailboxItem.ReadWrite.User', permissionType: 'Delegated' },
        ],
      },
    ]);
    const requests = await control.requests();
    const lookup = requests.find((r) => r.path.endsWith('/onlineMeetings'));
    // The organiser's Entra object id, never the e-mail, and the join link encoded once more.
    expect(decodeURIComponent(lookup?.path ?? '')).toBe(`/users/${IRO.aadObjectId}/onlineMeetings`);
    expect(new URLSearchParams(lookup?.query).get('$filter')).toBe(`JoinWebUrl eq '${joinUrl}'`);
    const event = requests.find((r) => r.method === 'POST' && r.path.endsWith('/events'));
    expect(event?.prefer).toBe('IdType="ImmutableId"');
  });

  it('notes when the meeting starts', async () => {
    const at = new Date();
    const response = await harness.post(
      meetingEventActivity(harness.connector.url, 'start', {
        chatId: meetingChat.id,
        meetingId: 'MCMxOTptZWV0aW5n',
        joinUrl,
        title: 'Review',
        at,
      }),
    );
    expect(response.status).toBe(200);
    const row = await harness.server.services.store.db
      .selectFrom('reviews')
      .select(['meetingStartedAt', 'meetingChatId'])
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(row.meetingStartedAt).toBeInstanceOf(Date);
    expect(row.meetingChatId).toBe(meetingChat.id);
  });

  it('posts a card everyone may read when it ends, with the form kept for the chair', async () => {
    const mark = harness.connector.sent.length;
    const response = await harness.post(
      meetingEventActivity(harness.connector.url, 'end', {
        chatId: meetingChat.id,
        meetingId: 'MCMxOTptZWV0aW5n',
        joinUrl: encodeURI(decodeURI(joinUrl)),
        title: 'Review',
        at: new Date(),
      }),
    );
    expect(response.status).toBe(200);
    const sent = harness.connector.since(mark);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.conversationId).toBe(meetingChat.id);
    const card = checked(sent[0]?.activity.attachments?.[0]?.content) as Card & {
      refresh: { userIds: string[]; action: { verb: string } };
    };
    expect(textOf(card)).toContain('This review has ended.');
    expect(textOf(card)).toContain('The chair will record attendance and participation.');
    for (const secret of [...childSecrets(inMeeting!.child), ...INVITED])
      expect(everything(card)).not.toContain(secret);
    expect(card.refresh.userIds).toEqual([alex.id]);
    expect(card.refresh.action.verb).toBe('participation.form');
  });

  it('shows anyone but the chair only the neutral card, even when they press its button', async () => {
    for (const person of [guest, megan]) {
      const card = await invoke(
        person,
        meetingChat,
        'participation.form',
        { reviewId },
        'automatic',
      );
      expect(textOf(card)).toContain('This review has ended.');
      for (const secret of [...childSecrets(inMeeting!.child), ...INVITED])
        expect(everything(card)).not.toContain(secret);
    }
  });

  it('gives the chair the form, with the DfE wording for every code, marked from the attendance report', async () => {
    await fetch(`${simulator.url}/_simulator/attendance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        joinUrl,
        records: [
          { email: inMeeting!.socialWorker, displayName: 'Social worker', seconds: 3400 },
          { email: 'mum@example.org', displayName: 'Mum', seconds: 2900 },
          { displayName: 'Guest (unverified)', seconds: 600 },
        ],
      }),
    });
    const form = await invoke(alex, meetingChat, 'participation.form', { reviewId }, 'automatic');
    expect(inputValue(form, 'att_social_worker')).toBe('online');
    // Who joined is marked; who they are is for the chair to say.
    expect(inputValue(form, `att_invitee_${mum}`)).toBe('online');
    expect(inputValue(form, `who_invitee_${mum}`)).toBe('');
    expect(inputValue(form, `att_invitee_${carer}`)).toBe('');
    expect(inputValue(form, 'att_child')).toBe('');
    expect(textOf(form)).toContain('Marked from the Teams attendance report');
    const text = textOf(form);
    expect(text).toContain('Record the review');
    expect(text).toContain(`(${inMeeting!.child})`);
    expect(text).toContain('PN6: Child does not attend but conveys his or her feelings');
    expect(JSON.stringify(form)).toContain('"label":"Who is mum@example.org?"');
    expect(JSON.stringify(form)).toContain('"label":"Who is carer@fostering.example?"');
    expect(JSON.stringify(form)).not.toContain(`Who is ${inMeeting!.socialWorker}?`);
    expect((form as { refresh?: { userIds: string[] } }).refresh?.userIds).toEqual([alex.id]);
  });

  it('checks the record as the DfE does, keeping every value', async () => {
    const form = await invoke(alex, meetingChat, 'participation.form', { reviewId });
    const submit = form.actions?.find((a) => a.verb === 'participation.record');
    const base = {
      ...(submit?.data as object),
      heldOn: today,
      att_child: 'did_not_attend',
      att_social_worker: 'online',
      decision_0_what: 'Keep contact with grandparents weekly',
    };
    const pn0 = await invoke(alex, meetingChat, 'participation.record', { ...base, code: 'PN0' });
    expect(textOf(pn0)).toMatch(/440: PN0 is only for a child under 4/);
    expect(everything(pn0)).toContain('Keep contact with grandparents weekly');
    const pn1 = await invoke(alex, meetingChat, 'participation.record', { ...base, code: 'PN1' });
    expect(textOf(pn1)).toContain('PN1 means the child attended');
    const future = await invoke(alex, meetingChat, 'participation.record', {
      ...base,
      code: 'PN7',
      heldOn: shift(2),
    });
    expect(textOf(future)).toContain('The date held cannot be in the future.');
    const noChild = await invoke(alex, meetingChat, 'participation.record', {
      ...base,
      att_child: '',
      code: 'PN7',
    });
    expect(textOf(noChild)).toContain('Say whether the child attended');
    // An invitee marked as attending counts only once the chair says who they are.
    const unnamed = await invoke(alex, meetingChat, 'participation.record', {
      ...base,
      code: 'PN7',
      [`att_invitee_${mum}`]: 'online',
      [`who_invitee_${carer}`]: 'carer',
    });
    expect(textOf(unnamed)).toContain(
      'Say who this is: attendance is counted by role (mother, father, carer ...).',
    );
    expect(inputValue(unnamed, `att_invitee_${mum}`)).toBe('online');
    expect(inputValue(unnamed, `who_invitee_${carer}`)).toBe('carer');
    expect(everything(unnamed)).toContain('Keep contact with grandparents weekly');
    const held = await harness.server.services.store.db
      .selectFrom('reviews')
      .select('status')
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('scheduled');
  });

  it('refuses anyone but the chair, and changes nothing', async () => {
    const card = await invoke(megan, meetingChat, 'participation.record', {
      reviewId,
      heldOn: today,
      code: 'PN7',
      att_child: 'did_not_attend',
    });
    expect(textOf(card)).toContain('Only the chair can record this review.');
    for (const secret of childSecrets(inMeeting!.child))
      expect(everything(card)).not.toContain(secret);
    const row = await harness.server.services.store.db
      .selectFrom('reviews')
      .select('status')
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('scheduled');
  });

  it('stores the review once, tells the chat it is recorded, and gives the chair the next due date', async () => {
    const form = await invoke(alex, meetingChat, 'participation.form', { reviewId });
    const submit = form.actions?.find((a) => a.verb === 'participation.record');
    const data = {
      ...(submit?.data as object),
      heldOn: today,
      code: 'PN6',
      att_child: 'did_not_attend',
      // The carer said twice, as the invitee and on the role's row: one carer.
      att_carer: 'in_person',
      att_social_worker: 'online',
      [`att_invitee_${carer}`]: 'in_person',
      [`who_invitee_${carer}`]: 'carer',
      [`att_invitee_${mum}`]: 'online',
      [`who_invitee_${mum}`]: 'mother',
      childChaired: 'false',
      advocacyOffered: 'true',
      consultationReturned: 'true',
      decision_0_what: 'Keep contact with grandparents weekly',
      decision_0_who: PLAYGROUND_USERS.socialWorker.email,
      decision_0_by: shift(30),
    };
    const updatesBefore = harness.connector.updates.length;
    const recorded = await invoke(alex, meetingChat, 'participation.record', data);
    expect(textOf(recorded)).toContain('Review recorded');
    expect(textOf(recorded)).toContain('Mother, Carer, Social worker');
    for (const address of INVITED) expect(everything(recorded)).not.toContain(address);
    const kindMonths = inMeeting!.kind === 'first' ? 3 : 6;
    expect(textOf(recorded)).toContain(longDate(oracleAddMonths(today, kindMonths)));
    expect(JSON.stringify(recorded)).toContain('"verb":"review.plan"');

    const updates = harness.connector.updates.slice(updatesBefore);
    expect(updates).toHaveLength(1);
    const shared = checked(updates[0]?.activity.attachments?.[0]?.content);
    expect(textOf(shared)).toMatch(/Recorded by the chair at \d\d:\d\d/);
    for (const secret of [...childSecrets(inMeeting!.child), ...INVITED])
      expect(everything(shared)).not.toContain(secret);

    // "Change the record" opens the form again, filled in with what was recorded.
    const change = recorded.actions?.find((a) => a.title === 'Change the record');
    expect(change?.verb).toBe('participation.form');
    const edit = await invoke(alex, meetingChat, 'participation.form', change?.data);
    expect(edit.actions?.map((a) => a.verb)).toContain('participation.record');
    expect(inputValue(edit, 'decision_0_what')).toBe('Keep contact with grandparents weekly');
    expect(inputValue(edit, 'code')).toBe('PN6');
    expect(inputValue(edit, `who_invitee_${mum}`)).toBe('mother');
    expect(inputValue(edit, `att_invitee_${mum}`)).toBe('online');
    expect(inputValue(edit, `who_invitee_${carer}`)).toBe('carer');
    expect(inputValue(edit, `att_invitee_${carer}`)).toBe('in_person');
    expect(inputValue(edit, 'att_carer')).toBe('');

    const again = await invoke(alex, meetingChat, 'participation.record', data);
    expect(textOf(again)).toContain('Review record updated');
    const db = harness.server.services.store.db;
    const held = await db
      .selectFrom('reviews')
      .select(['id', 'status', 'reviewCode', 'heldOn', 'advocacyOffered'])
      .where('childId', '=', inMeeting!.child)
      .where('heldOn', '=', today)
      .execute();
    expect(held).toEqual([
      { id: reviewId, status: 'held', reviewCode: 'PN6', heldOn: today, advocacyOffered: true },
    ]);
    const attendance = await db
      .selectFrom('reviewAttendance')
      .select(['participant', 'attendance', 'inviteeIndex'])
      .where('reviewId', '=', reviewId)
      .orderBy('id')
      .execute();
    // By role, with no address: the invitee's place in the review's list is enough to edit it.
    expect(attendance).toEqual([
      { participant: 'child', attendance: 'did_not_attend', inviteeIndex: null },
      { participant: 'mother', attendance: 'online', inviteeIndex: mum },
      { participant: 'carer', attendance: 'in_person', inviteeIndex: carer },
      { participant: 'social_worker', attendance: 'online', inviteeIndex: null },
    ]);
    // The child's page in the tab reads the same rows: roles, never an address.
    const page = await childPage(
      { ...harness.server.services, timeZone: 'Europe/London' },
      IRO.aadObjectId,
      inMeeting!.child,
    );
    const onPage = page.kind === 'page' ? page.page.reviews.find((r) => r.heldOn === today) : null;
    expect(onPage?.attendance).toEqual([
      { participant: 'child', attendance: 'did_not_attend' },
      { participant: 'mother', attendance: 'online' },
      { participant: 'carer', attendance: 'in_person' },
      { participant: 'social_worker', attendance: 'online' },
    ]);
    // The annual report's attendance of mothers and carers counts them.
    const facts = await harness.server.services.cases.listRecordedReviewFacts(today, today, [
      inMeeting!.child,
    ]);
    expect(facts.map((f) => f.attended)).toEqual([['mother', 'carer']]);
    const decisions = await db
      .selectFrom('reviewDecisions')
      .select(['description', 'dueOn'])
      .where('reviewId', '=', reviewId)
      .execute();
    expect(decisions).toEqual([
      { description: 'Keep contact with grandparents weekly', dueOn: shift(30) },
    ]);
    const audit = await db
      .selectFrom('auditLog')
      .select('action')
      .where('entity', '=', 'review')
      .where('entityId', '=', String(reviewId))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'review.schedule',
      'review.record',
      'review.update',
    ]);

    const exported = await runIroAssistant(['export-reviews', '--from', today, '--to', today], {
      DATA_DIR: harness.dataDir,
    });
    expect(exported.stdout).toContain(
      `${inMeeting!.child},${dob.get(inMeeting!.child)},${today.split('-').reverse().join('/')},PN6`,
    );
    const due = await runIroAssistant(
      ['due', '--from', today, '--to', shift(400), '--iro', IRO.email, '--json'],
      { DATA_DIR: harness.dataDir },
    );
    const next = (
      JSON.parse(due.stdout) as { child: string; dueDate: string; kind: string }[]
    ).find((d) => d.child === inMeeting!.child);
    expect(next).toEqual(
      expect.objectContaining({
        dueDate: oracleAddMonths(today, kindMonths),
        kind: inMeeting!.kind === 'first' ? 'second' : 'subsequent',
      }),
    );
  });

  it('records a review held without a Teams meeting from the 1:1 chat', async () => {
    const form = await harness.ask(alex, chat(alex), `record review for ${byHand!.child}`);
    expect(textOf(form)).toContain('Record the review');
    const submit = form.actions?.find((a) => a.verb === 'participation.record');
    const data = {
      ...(submit?.data as object),
      heldOn: today,
      code: 'PN1',
      att_child: 'in_person',
    };
    const recorded = await harness.press(alex, chat(alex), 'participation.record', data);
    expect(textOf(recorded)).toContain('Review recorded');
    const twice = await harness.press(alex, chat(alex), 'participation.record', data);
    expect(textOf(twice)).toContain('Review record updated');
    const held = await harness.server.services.store.db
      .selectFrom('reviews')
      .select('reviewCode')
      .where('childId', '=', byHand!.child)
      .where('heldOn', '=', today)
      .execute();
    expect(held).toEqual([{ reviewCode: 'PN1' }]);
    const refused = await harness.ask(megan, chat(megan), `record review for ${byHand!.child}`);
    // Told who records only when she may see the child; otherwise as for an id nobody has.
    expect(textOf(refused)).toContain(
      byHand!.socialWorker === PLAYGROUND_USERS.socialWorker.email
        ? 'Only the chair can record this review.'
        : `I can't find ${byHand!.child} among the children you can see`,
    );
  });

  it('closes the booking when the review is recorded by hand on an earlier day, and asks before cancelling its meeting', async () => {
    const child = released!.child;
    const slotOf = (card: Card) =>
      /"id":"slot"[^}]*"value":"([^"]+)"/.exec(JSON.stringify(card))?.[1];
    // Booked, then moved, as an IRO does.
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child}`);
    const book = plan.actions?.find((a) => a.verb === 'review.schedule');
    await harness.press(alex, chat(alex), 'review.schedule', {
      ...(book?.data as object),
      slot: slotOf(plan),
      duration: '90',
      venue: 'Foster home',
    });
    const movePlan = await harness.ask(alex, chat(alex), `reschedule review for ${child}`);
    const move = movePlan.actions?.find((a) => a.verb === 'review.reschedule');
    const moved = await harness.press(alex, chat(alex), 'review.reschedule', {
      ...(move?.data as object),
      date: calendar.addWorkingDays(today, 9),
      time: '11:00',
      duration: '90',
      reason: 'Carer asked for a later date',
    });
    expect(textOf(moved)).toContain('Review moved');
    const booking = await harness.server.services.scheduledReviews.findScheduled(child);
    expect(booking).toBeDefined();

    // The review was in fact held today, without that meeting.
    const form = await harness.ask(alex, chat(alex), `record review for ${child}`);
    const submit = form.actions?.find((a) => a.verb === 'participation.record');
    const recorded = await harness.press(alex, chat(alex), 'participation.record', {
      ...(submit?.data as object),
      heldOn: today,
      code: 'PN1',
      att_child: 'in_person',
    });
    expect(textOf(recorded)).toContain('Review recorded');
    expect(textOf(recorded)).toContain(
      "is still in everyone's calendar, and this review no longer needs it",
    );

    // The booking is not carried over to the next review.
    expect(await harness.server.services.scheduledReviews.findScheduled(child)).toBeUndefined();
    const next = await harness.ask(alex, chat(alex), `schedule review for ${child}`);
    expect(textOf(next)).not.toContain('Already booked');
    const [held] = await harness.server.services.store.db
      .selectFrom('reviews')
      .select(['id', 'status', 'heldOn'])
      .where('childId', '=', child)
      .where('heldOn', '=', today)
      .execute();
    expect(held).toMatchObject({ id: booking!.id, status: 'held' });

    // Only the chair may cancel the meeting; the chair's press cancels it for everyone.
    const cancel = JSON.stringify(recorded).match(/"verb":"meeting\.cancel","data":(\{[^}]*\})/);
    const data = JSON.parse(cancel?.[1] ?? '{}') as unknown;
    expect(textOf(await harness.press(megan, chat(megan), 'meeting.cancel', data))).toContain(
      'Only the chair of the review can.',
    );
    const control = new SimulatorControl(simulator.url);
    const before = (await control.events()).find((e) => e.id === booking!.eventId);
    expect(before?.isCancelled).toBe(false);
    const cancelled = await harness.press(alex, chat(alex), 'meeting.cancel', data);
    expect(textOf(cancelled)).toContain('Meeting cancelled');
    const after = (await control.events()).find((e) => e.id === booking!.eventId);
    expect(after?.isCancelled).toBe(true);
    // The invitation carries initials and the CHILD id only; the cancellation note nothing more.
    for (const name of names.get(child) ?? []) expect(JSON.stringify(after)).not.toContain(name);
    const cancelRequest = (await control.requests()).findLast((r) => r.path.endsWith('/cancel'));
    expect(cancelRequest?.body).toEqual({
      comment: 'This review meeting has been cancelled. The chair will be in touch.',
    });
    expect(textOf(await harness.press(alex, chat(alex), 'meeting.cancel', data))).toContain(
      'Already cancelled',
    );
  });

  it('sends the chair the form in their 1:1 chat when the meeting ended unrecorded and no event came', async () => {
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${reminded!.child}`);
    const submit = plan.actions?.find((a) => a.verb === 'review.schedule');
    const slot = /"id":"slot"[^}]*"value":"([^"]+)"/.exec(JSON.stringify(plan))?.[1];
    await harness.press(alex, chat(alex), 'review.schedule', {
      ...(submit?.data as object),
      slot,
      duration: '90',
      venue: 'School',
    });
    const booked = await harness.server.services.scheduledReviews.findScheduled(reminded!.child);
    // The meeting was due to end 45 minutes ago.
    await harness.server.services.store.db
      .updateTable('reviews')
      .set({
        scheduledStart: new Date(Date.now() - 135 * 60_000),
        scheduledEnd: new Date(Date.now() - 45 * 60_000),
      })
      .where('id', '=', booked!.id)
      .execute();
    const mark = harness.connector.sent.length;
    expect(await harness.server.jobs.recordingReminder.runOnce()).toBe(1);
    const sent = harness.connector.since(mark);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.conversationId).toBe(chat(alex).id);
    const form = checked(sent[0]?.activity.attachments?.[0]?.content);
    expect(textOf(form)).toContain('Record the review');
    expect(textOf(form)).toContain(`(${reminded!.child})`);
    expect(await harness.server.jobs.recordingReminder.runOnce()).toBe(0);
  });

  it('finds a review booked with a Teams short join link, by that link or by its meeting chat', async () => {
    const control = new SimulatorControl(simulator.url);
    await control.addUsers([
      { email: IRO.email, displayName: IRO.name, id: IRO.aadObjectId, shortJoinLinks: true },
    ]);
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${shortLinked!.child}`);
    const submit = plan.actions?.find((a) => a.verb === 'review.schedule');
    const slot = /"id":"slot"[^}]*"value":"([^"]+)"/.exec(JSON.stringify(plan))?.[1];
    const booked = await harness.press(alex, chat(alex), 'review.schedule', {
      ...(submit?.data as object),
      slot,
      duration: '90',
      venue: 'School',
    });
    // The meeting was found in Graph by its short link, so the app went into its chat.
    expect(textOf(booked)).toContain('IRO Assistant has been added to the meeting chat.');
    const stored = await harness.server.services.scheduledReviews.findScheduled(shortLinked!.child);
    expect(stored?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/meet\/\d+\?p=\w+$/);
    const records = harness.server.services.reviewRecords;
    // A meeting event may carry the short link...
    expect((await records.findByJoinUrl(stored!.joinUrl!))?.reviewId).toBe(stored!.id);
    // ...or the long form, from the meeting chat the app was added to.
    const event = (await control.events()).find((e) => e.id === stored!.eventId);
    expect(event?.longJoinUrl).toMatch(/\/l\/meetup-join\//);
    const response = await harness.post(
      meetingEventActivity(harness.connector.url, 'start', {
        chatId: event!.meetingChatId!,
        meetingId: 'MCMxOTpzaG9ydC1saW5r',
        joinUrl: event!.longJoinUrl!,
        title: 'Review',
        at: new Date(),
      }),
    );
    expect(response.status).toBe(200);
    const row = await harness.server.services.store.db
      .selectFrom('reviews')
      .select(['meetingStartedAt'])
      .where('id', '=', stored!.id)
      .executeTakeFirstOrThrow();
    expect(row.meetingStartedAt).toBeInstanceOf(Date);
  });
});

function longDate(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(d);
  const month = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(d);
  return `${weekday} ${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}
