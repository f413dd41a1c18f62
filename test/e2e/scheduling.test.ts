import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import { longDay } from '../../src/domain/date-text.js';
import { addDays, dayOfWeek, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { instantToZoned } from '../../src/domain/zoned-time.js';
import { demoCouncilExtract, PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import {
  startGraphSimulator,
  type GraphSimulator,
} from '../../src/dev/graph-simulator/graph-simulator.js';
import { BotHarness, inputValue, textOf } from '../support/bot-harness.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';
import { choicesIn, submitOf } from '../support/scheduling-cards.js';
import { oracleChildren, oracleDue } from '../support/review-oracle.js';
import { runIroAssistant } from '../support/run-cli.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const TZ = 'Europe/London';
const today = todayIn(TZ, new Date());
const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const files = demoCouncilExtract({ today, calendar });
const oracle = oracleChildren(files);
const names = new Map(
  files['Allocations.csv']
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','))
    .map((cells) => [cells[0] as string, { first: cells[3] as string, last: cells[4] as string }]),
);
const shift = (days: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as LocalDate;
};

const IRO = PLAYGROUND_USERS.iro;
const alex: TeamsUser = { id: '29:alex', name: IRO.name, aadObjectId: IRO.aadObjectId };
const megan: TeamsUser = {
  id: '29:megan',
  name: PLAYGROUND_USERS.socialWorker.name,
  aadObjectId: PLAYGROUND_USERS.socialWorker.aadObjectId,
};
const chat = (u: TeamsUser): ConversationKind => ({ type: 'personal', id: `a:${u.id}` });

// Alex's children whose next review is 4 to 9 weeks away: far enough for slots before the due date.
const candidates = oracleDue(oracle, today, shift(28), shift(63), IRO.email);
const [first, second, third, fourth, fifth] = candidates;

/** Alex's mailbox in the simulator: busy all day five working days from now. */
const alexInGraph = (mailbox: { teamsEnabled?: boolean } = {}) => {
  const busyDay = calendar.addWorkingDays(today, 5);
  return {
    email: IRO.email,
    displayName: IRO.name,
    id: IRO.aadObjectId,
    busy: [{ start: `${busyDay}T08:00:00Z`, end: `${busyDay}T18:00:00Z` }],
    ...mailbox,
  };
};

describe('scheduling hybrid reviews through Microsoft Graph', () => {
  const harness = new BotHarness();
  let simulator: GraphSimulator;
  let graph: SimulatorControl;

  beforeAll(async () => {
    expect(candidates.length).toBeGreaterThanOrEqual(5);
    // A Graph-compatible server of its own, given to the app by GRAPH_BASE_URL.
    simulator = await startGraphSimulator();
    graph = new SimulatorControl(simulator.url);
    await graph.addUsers([
      alexInGraph(),
      ...[...new Set(candidates.map((c) => c.socialWorker as string))].map((email) => ({
        email,
        displayName: email,
      })),
    ]);
    await harness.start({ GRAPH_BASE_URL: simulator.url, GRAPH_MAX_RETRIES: '2' });
    expect(harness.server.graphUrl).toBe(simulator.url);
  });
  afterAll(async () => {
    await harness.stop();
    await simulator.close();
  });
  beforeEach(async () => {
    await graph.clearFaults();
    await graph.clearRequests();
  });

  it('proposes three to five free times before the due date, in working hours on working days', async () => {
    const child = first!;
    const card = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    const choices = choicesIn(card);
    expect(choices.length).toBeGreaterThanOrEqual(3);
    expect(choices.length).toBeLessThanOrEqual(5);
    const busyDay = calendar.addWorkingDays(today, 5);
    for (const choice of choices) {
      const start = new Date(choice.value);
      const local = instantToZoned(start, TZ);
      const end = instantToZoned(new Date(start.getTime() + 90 * 60_000), TZ);
      expect(calendar.isWorkingDay(local.date)).toBe(true);
      expect(local.time >= '09:00' && end.time <= '17:00').toBe(true);
      expect(local.date <= (child.dueDate as string)).toBe(true);
      expect(local.date > calendar.addWorkingDays(today, 2)).toBe(true);
      expect(local.date).not.toBe(busyDay);
    }
    const requests = await graph.requests();
    expect(requests.filter((r) => !r.batchId).map((r) => r.path)).toEqual(['/$batch']);
    expect(
      requests
        .filter((r) => r.batchId)
        .map((r) => decodeURIComponent(r.path))
        .sort(),
    ).toEqual(
      [
        `/users/${IRO.email}/calendar/getSchedule`,
        `/users/${child.socialWorker}/calendar/getSchedule`,
      ].sort(),
    );
  });

  it('books the review as a Teams meeting for everyone, once, with nothing about the child in it', async () => {
    const child = first!;
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    const { verb, data } = submitOf(plan);
    expect(verb).toBe('review.schedule');
    const slot = choicesIn(plan)[0]!.value;
    const form = {
      ...data,
      slot,
      duration: '90',
      venue: 'The foster home',
      invitees: 'carer@fostering.example, parent@family.example',
      inviteSocialWorker: 'true',
    };
    const booked = await harness.press(alex, chat(alex), verb, form);
    expect(textOf(booked)).toContain('Review booked');
    expect(JSON.stringify(booked)).toMatch(
      /"type":"Action.OpenUrl","title":"Join the Teams meeting","url":"https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
    );

    const again = await harness.press(alex, chat(alex), verb, form);
    expect(textOf(again)).toContain('Review booked');

    const creates = (await graph.requests()).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/events'),
    );
    expect(creates.length).toBeGreaterThanOrEqual(1);
    const body = creates[0]!.body as Record<string, unknown> & {
      attendees: { emailAddress: { address: string } }[];
    };
    expect(decodeURIComponent(creates[0]!.path)).toBe(`/users/${IRO.email}/events`);
    expect(creates[0]!.prefer).toBe('IdType="ImmutableId"');
    expect(body['isOnlineMeeting']).toBe(true);
    expect(body['onlineMeetingProvider']).toBe('teamsForBusiness');
    expect(body['location']).toEqual({ displayName: 'The foster home' });
    // A carer and a parent are invited: each sees only themselves, never the other's address.
    expect(body['hideAttendees']).toBe(true);
    expect(body['transactionId']).toBe(data['transactionKey']);
    expect(body.attendees.map((a) => a.emailAddress.address).sort()).toEqual(
      [child.socialWorker, 'carer@fostering.example', 'parent@family.example'].sort(),
    );
    expect(new Date((body['start'] as { dateTime: string }).dateTime + 'Z').toISOString()).toBe(
      slot,
    );
    const name = names.get(child.child)!;
    const subject = String(body['subject']);
    expect(subject).toBe(`Review: ${name.first[0]}.${name.last[0]}. (${child.child})`);
    const everything = JSON.stringify(body);
    expect(everything).not.toContain(name.first);
    expect(everything).not.toContain(name.last);

    const live = (await graph.events()).filter((e) => !e.isCancelled && e['subject'] === subject);
    expect(live).toHaveLength(1);
    const stored = await harness.server.services.scheduledReviews.findScheduled(child.child);
    // The simulator lists events by their immutable id: that is the id stored.
    expect(live[0]!.id).not.toBe(live[0]!.regularId);
    expect(stored).toMatchObject({
      eventId: live[0]!.id,
      start: new Date(slot),
      venue: 'The foster home',
      chairEmail: IRO.email,
    });
    expect(stored?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\//);

    // Lists now show the booked meeting, with a Reschedule button for the chair.
    let card = await harness.ask(alex, chat(alex), 'my caseload');
    let entry: string | undefined;
    for (let page = 0; page < 20 && !entry; page += 1) {
      const json = JSON.stringify(card);
      const at = json.indexOf(`· ${child.child}"`);
      if (at >= 0) entry = json.slice(at, json.indexOf('"type":"Container"', at + 1) >>> 0);
      const more = card.actions?.find((a) => a.title === 'Show more');
      if (!more) break;
      card = await harness.press(alex, chat(alex), more.verb as string, more.data);
    }
    expect(entry).toContain('Scheduled ');
    expect(entry).toContain('"title":"Reschedule"');
  });

  it("lets only the child's IRO schedule, whoever presses the button", async () => {
    const child = second!;
    // Someone who may see the child is told who schedules; anyone else cannot tell the child
    // from an id nobody has.
    const refusal =
      child.socialWorker === PLAYGROUND_USERS.socialWorker.email
        ? 'Only the IRO can schedule this review'
        : `I can't find ${child.child} among the children you can see`;
    const asked = await harness.ask(megan, chat(megan), `schedule review for ${child.child}`);
    expect(textOf(asked)).toContain(refusal);
    const nobody = await harness.ask(megan, chat(megan), 'schedule review for ZZ99999');
    if (child.socialWorker !== PLAYGROUND_USERS.socialWorker.email)
      expect(textOf(asked).replace(child.child, 'X')).toBe(textOf(nobody).replace('ZZ99999', 'X'));
    const meganSees = oracleDue(oracle, today, '1900-01-01', '2999-12-31', IRO.email).find(
      (c) => c.socialWorker === PLAYGROUND_USERS.socialWorker.email,
    );
    expect(meganSees).toBeDefined();
    const hers = await harness.ask(megan, chat(megan), `schedule review for ${meganSees!.child}`);
    expect(textOf(hers)).toContain('Only the IRO can schedule this review');
    const pressed = await harness.press(megan, chat(megan), 'review.schedule', {
      child: child.child,
      transactionKey: '0b0f7e2c-1111-4222-8333-444455556666',
      slot: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      duration: '90',
      venue: 'x',
    });
    expect(textOf(pressed)).toContain(refusal);
    expect((await graph.requests()).filter((r) => r.path.endsWith('/events'))).toEqual([]);
    expect(
      await harness.server.services.scheduledReviews.findScheduled(child.child),
    ).toBeUndefined();
  });

  it('sends the form back with each problem beside its field and every value kept', async () => {
    const child = second!;
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    const { verb, data } = submitOf(plan);
    const back = await harness.press(alex, chat(alex), verb, {
      ...data,
      slot: choicesIn(plan)[0]!.value,
      duration: '5',
      venue: 'Grandparents',
      invitees: 'carer@fostering.example, not-an-email',
    });
    const text = textOf(back);
    expect(text).toContain('nothing has been sent');
    expect(text).toContain('The length must be a whole number of minutes between 15 and 480.');
    expect(text).toContain('These are not e-mail addresses: not-an-email');
    expect(inputValue(back, 'invitees')).toBe('carer@fostering.example, not-an-email');
    expect(inputValue(back, 'venue')).toBe('Grandparents');
    expect(inputValue(back, 'duration')).toBe(5);
    expect(submitOf(back).data['transactionKey']).toBe(data['transactionKey']);
    // A time no form offers (a tampered card, a typing slip in the year) never reaches Graph.
    const far = await harness.press(alex, chat(alex), verb, {
      ...data,
      slot: '+275760-09-13T00:00:00.000Z',
      duration: '60',
      venue: 'Home',
    });
    expect(textOf(far)).toContain('Choose a time within the next two years.');
    // "03:00" typed for 3 in the afternoon, and a meeting that runs past the evening.
    const day = calendar.addWorkingDays(today, 10);
    const typed = (time: string, duration: string) =>
      harness.press(alex, chat(alex), verb, { ...data, date: day, time, duration, venue: 'Home' });
    expect(textOf(await typed('03:00', '60'))).toContain(
      'A review is held between 07:00 and 22:00: this one would run from 03:00 to 04:00. Times are on the 24-hour clock (3 in the afternoon is 15:00).',
    );
    expect(textOf(await typed('20:30', '120'))).toContain('would run from 20:30 to 22:30');
    // The hour the clocks skip on the last Sunday of March never happens.
    const skipped = await harness.press(alex, chat(alex), verb, {
      ...data,
      date: '2027-03-28',
      time: '01:30',
      duration: '60',
      venue: 'Home',
    });
    expect(textOf(skipped)).toContain(
      'The clocks go forward that night: 01:30 does not happen on Sun 28 March 2027.',
    );
    expect((await graph.requests()).filter((r) => r.path.endsWith('/events'))).toEqual([]);
  });

  it('moves the meeting with a reason, and cancels it with a neutral note to the invitees', async () => {
    const child = first!;
    const plan = await harness.press(alex, chat(alex), 'review.plan', {
      child: child.child,
      mode: 'reschedule',
    });
    const { verb, data } = submitOf(plan);
    expect(verb).toBe('review.reschedule');
    const noReason = await harness.press(alex, chat(alex), verb, {
      ...data,
      slot: choicesIn(plan)[0]!.value,
      duration: '60',
    });
    expect(textOf(noReason)).toContain('Give a reason');
    const newDay = calendar.addWorkingDays(today, 8);
    const moved = await harness.press(alex, chat(alex), verb, {
      ...data,
      date: newDay,
      time: '14:00',
      duration: '60',
      reason: 'The social worker is in court that day',
    });
    expect(textOf(moved)).toContain('Review moved');
    const patch = (await graph.requests()).find((r) => r.method === 'PATCH');
    // The update goes to the carer and the parent too: still each sees only themselves.
    expect(patch?.body).toMatchObject({
      start: { timeZone: 'UTC' },
      end: { timeZone: 'UTC' },
      hideAttendees: true,
    });
    expect(patch?.prefer).toBe('IdType="ImmutableId"');
    const stored = await harness.server.services.scheduledReviews.findScheduled(child.child);
    expect(instantToZoned(stored!.start, TZ)).toEqual({ date: newDay, time: '14:00' });

    const cancelPlan = await harness.press(alex, chat(alex), 'review.plan', {
      child: child.child,
      mode: 'cancel',
    });
    const cancel = submitOf(cancelPlan);
    const cancelled = await harness.press(alex, chat(alex), cancel.verb, {
      ...cancel.data,
      reason: 'The child moved placement; review brought forward',
    });
    // Graph answered 202 with an empty body declared as JSON: the cancel still counts.
    expect(textOf(cancelled)).toContain('Review meeting cancelled');
    const cancelCall = (await graph.requests()).find((r) => r.path.endsWith('/cancel'));
    expect(cancelCall?.body).toEqual({
      comment: 'This review meeting has been cancelled. The chair will send a new invitation.',
    });
    expect(cancelCall?.status).toBe(202);
    expect(cancelCall?.prefer).toBe('IdType="ImmutableId"');
    expect(
      await harness.server.services.scheduledReviews.findScheduled(child.child),
    ).toBeUndefined();
    const changes = await harness.server.services.scheduledReviews.listChanges(today, today);
    expect(changes.filter((c) => c.child === child.child).map((c) => [c.change, c.reason])).toEqual(
      [
        ['rescheduled', 'The social worker is in court that day'],
        ['cancelled', 'The child moved placement; review brought forward'],
      ],
    );
    const stats = await runIroAssistant(['stats', '--from', today, '--to', today, '--json'], {
      DATA_DIR: harness.dataDir,
    });
    const reasons = (
      JSON.parse(stats.stdout) as { scheduleChanges: { child: string; reason: string }[] }
    ).scheduleChanges
      .filter((c) => c.child === child.child)
      .map((c) => c.reason);
    expect(reasons).toEqual([
      'The social worker is in court that day',
      'The child moved placement; review brought forward',
    ]);
  });

  it('rides out throttling, and stores nothing when Graph keeps failing', async () => {
    const child = third!;
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    const { verb, data } = submitOf(plan);
    await graph.fault({ method: 'POST', path: '/events$', status: 429, retryAfterSeconds: 1 });
    const booked = await harness.press(alex, chat(alex), verb, {
      ...data,
      slot: choicesIn(plan)[0]!.value,
      duration: '90',
      venue: 'School',
    });
    expect(textOf(booked)).toContain('Review booked');
    const statuses = (await graph.requests())
      .filter((r) => r.path.endsWith('/events'))
      .map((r) => r.status);
    expect(statuses).toEqual([429, 201]);
    // Only the social worker, on the staff list, is invited: nothing to hide.
    const created = (await graph.requests()).find(
      (r) => r.path.endsWith('/events') && r.status === 201,
    );
    expect((created?.body as Record<string, unknown>)['hideAttendees']).toBe(false);

    const other = fourth!;
    const otherPlan = await harness.ask(alex, chat(alex), `schedule review for ${other.child}`);
    const next = submitOf(otherPlan);
    await graph.fault({ method: 'POST', path: '/events$', status: 500, times: 5 });
    const failed = await harness.press(alex, chat(alex), next.verb, {
      ...next.data,
      slot: choicesIn(otherPlan)[0]!.value,
      duration: '90',
      venue: 'School',
    });
    expect(textOf(failed)).toContain("Microsoft 365 didn't answer");
    expect(
      await harness.server.services.scheduledReviews.findScheduled(other.child),
    ).toBeUndefined();
  });

  it('says the invitation went out when the store fails after Graph booked, and saves it on a second press with no second invitation', async () => {
    const child = fifth!;
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    const { verb, data } = submitOf(plan);
    const form = { ...data, slot: choicesIn(plan)[0]!.value, duration: '90', venue: 'School' };
    const reviews = harness.server.services.scheduledReviews;
    const recordBooking = reviews.recordBooking.bind(reviews);
    reviews.recordBooking = () => Promise.reject(new Error('connection terminated'));
    let back;
    try {
      back = await harness.press(alex, chat(alex), verb, form);
    } finally {
      reviews.recordBooking = recordBooking;
    }
    expect(textOf(back)).toContain(
      'The invitation went out to everyone, but I could not save the booking. Press Book again in a minute: it saves this booking and sends no second invitation.',
    );
    const again = submitOf(back);
    expect(again.data['transactionKey']).toBe(data['transactionKey']);
    expect(inputValue(back, 'venue')).toBe('School');
    expect(await reviews.findScheduled(child.child)).toBeUndefined();

    const saved = await harness.press(alex, chat(alex), again.verb, form);
    expect(textOf(saved)).toContain('Review booked');
    const creates = (await graph.requests()).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/events'),
    );
    expect(creates.map((r) => r.status)).toEqual([201, 201]);
    const events = (await graph.events()).filter(
      (e) => e['transactionId'] === data['transactionKey'],
    );
    expect(events).toHaveLength(1);
    expect((await reviews.findScheduled(child.child))?.eventId).toBe(events[0]?.id);
  });

  it('says plainly when the mailbox made no Teams meeting, and never offers a Teams link', async () => {
    const child = second!;
    await graph.addUsers([alexInGraph({ teamsEnabled: false })]);
    try {
      const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
      const { verb, data } = submitOf(plan);
      const booked = await harness.press(alex, chat(alex), verb, {
        ...data,
        slot: choicesIn(plan)[0]!.value,
        duration: '90',
        venue: 'The foster home',
      });
      const text = textOf(booked);
      expect(text).toContain('Review booked');
      expect(text).toContain(
        'This meeting has no Teams link: the invitation went out for the in-person part only. Add a Teams link to it from Outlook, or ask IT to enable Teams meetings for your mailbox.',
      );
      expect(text).not.toContain('Join the Teams meeting');
      expect(text).not.toContain('Apps (+)');
      expect(JSON.stringify(booked)).not.toContain('teams.microsoft.com');
      const stored = await harness.server.services.scheduledReviews.findScheduled(child.child);
      expect(stored?.joinUrl).toBeNull();
      // Nothing to look up in Graph without a Teams meeting.
      expect((await graph.requests()).filter((r) => r.path.includes('onlineMeetings'))).toEqual([]);
    } finally {
      await graph.addUsers([alexInGraph()]);
    }
  });
  it('asks before an address goes to people from outside the council, and sends it once the IRO ticks that they may all know it', async () => {
    const child = fourth!;
    const address = "14 Elm Road, Leeds LS6 2AB (foster carers' home)";
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    expect(textOf(plan)).toContain(
      'Everyone invited sees this in the invitation, parents and carers too: give an address only if they may all know it.',
    );
    expect(inputValue(plan, 'venueConfirmed')).toBeUndefined();
    const { verb, data } = submitOf(plan);
    const form = {
      ...data,
      slot: choicesIn(plan)[0]!.value,
      duration: '90',
      venue: address,
      invitees: 'mum@example.org, carer@fostering.example',
      inviteSocialWorker: 'true',
    };
    const back = await harness.press(alex, chat(alex), verb, form);
    const text = textOf(back);
    expect(text).toContain('Nothing has been sent yet');
    expect(text).toContain(
      'This looks like an address, and everyone invited sees it, people from outside the council too. Give a place they may all know, or tick the box below if they may.',
    );
    expect(text).toContain('Everyone invited may know this address');
    expect(inputValue(back, 'venueConfirmed')).toBe('false');
    expect(inputValue(back, 'venue')).toBe(address);
    expect(inputValue(back, 'invitees')).toBe('mum@example.org, carer@fostering.example');
    expect(inputValue(back, 'slot')).toBe(form.slot);
    expect(submitOf(back).data['transactionKey']).toBe(data['transactionKey']);
    expect((await graph.requests()).filter((r) => r.path.endsWith('/events'))).toEqual([]);

    // Ticked: the address goes as typed, each person from outside seeing only themselves.
    const booked = await harness.press(alex, chat(alex), verb, { ...form, venueConfirmed: 'true' });
    expect(textOf(booked)).toContain('Review booked');
    expect(textOf(booked)).toContain(
      'Each person from outside the council sees only themselves among those invited; staff see everyone.',
    );
    const create = (await graph.requests()).find(
      (r) => r.method === 'POST' && r.path.endsWith('/events'),
    );
    expect(create?.body).toMatchObject({
      location: { displayName: address },
      hideAttendees: true,
    });

    // A move to another address asks again (the carer and the mother are on the invitation).
    const movePlan = await harness.press(alex, chat(alex), 'review.plan', {
      child: child.child,
      mode: 'reschedule',
    });
    expect(inputValue(movePlan, 'venue')).toBe(address);
    const move = submitOf(movePlan);
    const moveForm = {
      ...move.data,
      slot: choicesIn(movePlan)[1]!.value,
      duration: '90',
      venue: '2 Station Approach, Leeds',
      reason: 'The carers asked to meet at the family centre',
    };
    const askedAgain = await harness.press(alex, chat(alex), move.verb, moveForm);
    expect(textOf(askedAgain)).toContain('This looks like an address');
    expect((await graph.requests()).filter((r) => r.method === 'PATCH')).toEqual([]);
    const moved = await harness.press(alex, chat(alex), move.verb, {
      ...moveForm,
      venueConfirmed: 'true',
    });
    expect(textOf(moved)).toContain('Review moved');
    // Keeping the booked place asks nothing.
    const keep = await harness.press(alex, chat(alex), move.verb, {
      ...moveForm,
      slot: choicesIn(movePlan)[2]!.value,
    });
    expect(textOf(keep)).toContain('Review moved');
    expect((await graph.requests()).filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });
  it('asks before sending a typed time after the due date, on a weekend or bank holiday, or outside working hours, and sends it with "Send anyway"', async () => {
    const child = first!;
    // The card's text as the IRO reads it (textOf keeps JSON's escaped quotes).
    const said = (card: unknown) => textOf(card).replaceAll('\\"', '"');
    const due = child.dueDate as LocalDate;
    const plan = await harness.ask(alex, chat(alex), `schedule review for ${child.child}`);
    const { verb, data } = submitOf(plan);
    const early = calendar.addWorkingDays(today, 4);
    const form = { ...data, date: early, time: '07:30', duration: '60', venue: 'School' };
    const asked = await harness.press(alex, chat(alex), verb, form);
    expect(said(asked)).toContain(
      '07:30 to 08:30 is outside working hours (09:00 to 17:00). Change the time, or tick "Send anyway".',
    );
    expect(said(asked)).toContain('Nothing has been sent yet');
    expect(inputValue(asked, 'sendAnyway')).toBe('false');
    expect(inputValue(asked, 'date')).toBe(early);
    expect(inputValue(asked, 'time')).toBe('07:30');
    expect(submitOf(asked).data['transactionKey']).toBe(data['transactionKey']);
    expect((await graph.requests()).filter((r) => r.path.endsWith('/events'))).toEqual([]);
    const booked = await harness.press(alex, chat(alex), verb, { ...form, sendAnyway: 'true' });
    expect(said(booked)).toContain('Review booked');
    expect(
      instantToZoned(
        (await harness.server.services.scheduledReviews.findScheduled(child.child))!.start,
        TZ,
      ),
    ).toEqual({ date: early, time: '07:30' });

    const movePlan = await harness.ask(alex, chat(alex), `reschedule review for ${child.child}`);
    const move = submitOf(movePlan);
    const moveTo = (date: LocalDate, time = '10:00', extra: Record<string, string> = {}) =>
      harness.press(alex, chat(alex), move.verb, {
        ...move.data,
        date,
        time,
        duration: '60',
        reason: 'The carer is away that week',
        ...extra,
      });
    let saturday = addDays(today, 7);
    while (dayOfWeek(saturday) !== 6) saturday = addDays(saturday, 1);
    expect(saturday < due).toBe(true);
    expect(said(await moveTo(saturday))).toContain(`${longDay(saturday)} is at the weekend.`);
    expect(said(await moveTo(saturday, '07:30'))).toContain(
      `${longDay(saturday)} is at the weekend. 07:30 to 08:30 is outside working hours (09:00 to 17:00).`,
    );
    // The next bank holiday on a weekday (Christmas Day, when it falls in the week).
    let holiday = addDays(today, 1);
    while (calendar.isWorkingDay(holiday) || [0, 6].includes(dayOfWeek(holiday)))
      holiday = addDays(holiday, 1);
    expect(said(await moveTo(holiday))).toContain(`${longDay(holiday)} is a bank holiday`);
    const late = calendar.addWorkingDays(due, 1);
    const lateLine = `${longDay(late)} is after the due date (${longDay(due)}): the review will be late. Change the time, or tick "Send anyway".`;
    const askedLate = await moveTo(late);
    expect(said(askedLate)).toContain(lateLine);
    expect(inputValue(askedLate, 'reason')).toBe('The carer is away that week');
    expect((await graph.requests()).filter((r) => r.method === 'PATCH')).toEqual([]);

    const moved = await moveTo(late, '10:00', { sendAnyway: 'true' });
    expect(said(moved)).toContain('Review moved');
    expect(said(moved)).toContain('This is after the due date: the review will count as late.');
    expect((await graph.requests()).filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });
  it('asks nothing about an address when only staff are invited', async () => {
    // Booked above with the social worker alone.
    const child = third!;
    const plan = await harness.ask(alex, chat(alex), `reschedule review for ${child.child}`);
    const { verb, data } = submitOf(plan);
    const moved = await harness.press(alex, chat(alex), verb, {
      ...data,
      slot: choicesIn(plan)[0]!.value,
      duration: '90',
      venue: 'Family Centre, 1 High Street, Leeds LS1 4AB',
      reason: 'The school hall is not free',
    });
    expect(textOf(moved)).toContain('Review moved');
    const patch = (await graph.requests()).find((r) => r.method === 'PATCH');
    expect(patch?.body).toMatchObject({
      location: { displayName: 'Family Centre, 1 High Street, Leeds LS1 4AB' },
    });
    expect(patch?.body).not.toHaveProperty('hideAttendees');
  });
});
