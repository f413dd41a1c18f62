import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDueReviews } from '../../src/app/due-reviews.js';
import {
  CANCELLED_IN_CALENDAR,
  MOVED_IN_CALENDAR,
} from '../../src/app/scheduling/sync-booked-meetings.js';
import { PLAYGROUND_USERS } from '../../src/demo/demo-council.js';
import { addDays, todayIn, type LocalDate } from '../../src/domain/local-date.js';
import { nextWorkingInstant } from '../../src/domain/working-time.js';
import { zonedTimeToInstant } from '../../src/domain/zoned-time.js';
import { CALENDAR_SYNC_JOB } from '../../src/jobs/calendar-sync-job.js';
import type { Clock } from '../../src/services.js';
import { BotHarness, textOf } from '../support/bot-harness.js';
import { SimulatorControl } from '../support/graph-simulator-control.js';
import { choicesIn, submitOf } from '../support/scheduling-cards.js';
import type { ConversationKind, TeamsUser } from '../support/teams-activities.js';

const TZ = 'Europe/London';
let now = new Date();
const clock: Clock = { now: () => now, today: () => todayIn(TZ, now) };
const IRO = PLAYGROUND_USERS.iro;
const alex: TeamsUser = { id: '29:alex', name: IRO.name, aadObjectId: IRO.aadObjectId };
const alexChat: ConversationKind = { type: 'personal', id: 'a:alex-calendar' };
const utc = (date: Date) => ({ dateTime: date.toISOString().replace('Z', ''), timeZone: 'UTC' });

/**
 * An IRO books a review from the chat, then moves it, and later cancels it, in Outlook. The job
 * that reads booked meetings back through Graph (in working hours, once per CALENDAR_SYNC_MINUTES
 * however many instances run) brings the store in line: the new time, then the cancellation, each
 * with its reason, so the lists, the recording form and the next booking follow the calendar.
 */
describe('booked meetings followed when they are moved or cancelled in Outlook', () => {
  const harness = new BotHarness();
  const db = () => harness.server.services.store.db;
  const services = () => harness.server.services;
  const run = () => harness.server.jobs.runner.runOnce();
  let graph: SimulatorControl;
  let child = '';

  const syncJobs = () =>
    db()
      .selectFrom('jobs')
      .select(['key', 'state', 'outcome'])
      .where('kind', '=', CALENDAR_SYNC_JOB)
      .orderBy('id')
      .execute();
  /** What Outlook does when its user saves a change: a PATCH of the event by its (regular) id. */
  const asOutlook = async (method: 'PATCH' | 'POST', suffix: string, body: unknown) => {
    const booked = await services().scheduledReviews.findScheduled(child);
    const event = (await graph.events()).find((e) => e.id === booked?.eventId);
    const response = await fetch(
      `${graph.url}/v1.0/users/${encodeURIComponent(IRO.email)}/events/${event?.regularId}${suffix}`,
      { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    expect(response.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    const today = todayIn(TZ, new Date());
    now = zonedTimeToInstant(today, '10:00', TZ);
    await harness.start({ MIDWAY_CHECKS: 'false', CALENDAR_SYNC_MINUTES: '30' }, { clock });
    // The app's clock a working day ahead of the store's own (as a run with CLOCK_START is): the
    // changes found are reported on the app's day, not the database's.
    now = nextWorkingInstant(
      zonedTimeToInstant(addDays(today, 1), '10:00', TZ),
      services().workingTime,
    );
    graph = new SimulatorControl(harness.server.graphUrl);
    await harness.ask(alex, alexChat, 'hello');
    const due = await listDueReviews(services(), {
      today: clock.today(),
      from: addDays(clock.today(), 28),
      to: addDays(clock.today(), 63),
      iroEmail: IRO.email,
    });
    child = due.find((d) => d.dueDate && !d.shortBreak && !d.scheduledStart)?.child ?? '';
    expect(child).not.toBe('');
    const plan = await harness.ask(alex, alexChat, `schedule review for ${child}`);
    const { verb, data } = submitOf(plan);
    const booked = await harness.press(alex, alexChat, verb, {
      ...data,
      slot: choicesIn(plan)[0]!.value,
      duration: '90',
      venue: 'The foster home',
      inviteSocialWorker: 'true',
    });
    expect(textOf(booked)).toContain('Review booked');
  });
  afterAll(() => harness.stop());

  it('leaves a meeting nobody changed as it is, and reads the calendars once per slot', async () => {
    const before = await services().scheduledReviews.findScheduled(child);
    await run();
    await run();
    expect(await syncJobs()).toEqual([
      {
        key: expect.stringMatching(/^calendar\.sync:/),
        state: 'done',
        outcome: expect.stringMatching(/^checked 1, moved 0, cancelled 0, unreadable 0$/),
      },
    ]);
    expect(await services().scheduledReviews.findScheduled(child)).toEqual(before);
  });

  it('stores a time moved in Outlook, with its reason, and the due list shows it', async () => {
    const booked = await services().scheduledReviews.findScheduled(child);
    const start = new Date(booked!.start.getTime() + 2 * 86_400_000 + 60 * 60_000);
    const end = new Date(start.getTime() + 60 * 60_000);
    await asOutlook('PATCH', '', { start: utc(start), end: utc(end) });
    now = new Date(now.getTime() + 31 * 60_000);
    await graph.clearRequests();
    await run();
    const moved = await services().scheduledReviews.findScheduled(child);
    expect({ start: moved?.start, end: moved?.end, venue: moved?.venue }).toEqual({
      start,
      end,
      venue: 'The foster home',
    });
    expect((await syncJobs()).at(-1)?.outcome).toMatch(/moved 1, cancelled 0/);
    // The read-back was one JSON batch of GETs with immutable ids.
    const requests = await graph.requests();
    expect(requests.filter((r) => !r.batchId).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /$batch',
    ]);
    expect(requests.filter((r) => r.batchId).every((r) => r.method === 'GET')).toBe(true);
    const changes = await services().scheduledReviews.listChanges(clock.today(), clock.today());
    expect(changes.filter((c) => c.child === child).map((c) => [c.change, c.reason, c.by])).toEqual(
      [['rescheduled', MOVED_IN_CALENDAR, IRO.email]],
    );
    const listed = await listDueReviews(services(), {
      today: clock.today(),
      from: clock.today(),
      to: addDays(clock.today(), 63),
      iroEmail: IRO.email,
    });
    expect(listed.find((d) => d.child === child)?.scheduledStart).toEqual(start);
  });

  it('a change made in the app since the read wins over what was read', async () => {
    const booked = await services().scheduledReviews.findScheduled(child);
    const stale = { start: new Date(booked!.start.getTime() - 86_400_000), end: booked!.end };
    const changed = await services().scheduledReviews.recordCalendarChange(
      booked!.id,
      stale,
      { kind: 'cancelled', reason: CANCELLED_IN_CALENDAR },
      { actor: IRO.email, today: clock.today() },
    );
    expect(changed).toBe(false);
    expect(await services().scheduledReviews.findScheduled(child)).toEqual(booked);
  });

  it('keeps the booking when Graph cannot read the calendar, and reads it again next time', async () => {
    const booked = await services().scheduledReviews.findScheduled(child);
    await graph.fault({ path: '/events/', status: 403, code: 'ErrorAccessDenied', times: 5 });
    now = new Date(now.getTime() + 31 * 60_000);
    await run();
    await graph.clearFaults();
    expect((await syncJobs()).at(-1)?.outcome).toMatch(/unreadable 1$/);
    expect(await services().scheduledReviews.findScheduled(child)).toEqual(booked);
  });

  it('takes a meeting cancelled in Outlook off the booking, so the review can be booked again', async () => {
    await asOutlook('POST', '/cancel', { comment: 'Cancelled' });
    now = new Date(now.getTime() + 31 * 60_000);
    await run();
    expect(await services().scheduledReviews.findScheduled(child)).toBeUndefined();
    expect((await syncJobs()).at(-1)?.outcome).toMatch(/moved 0, cancelled 1/);
    const changes = await services().scheduledReviews.listChanges(clock.today(), clock.today());
    expect(changes.filter((c) => c.child === child).map((c) => c.reason)).toEqual([
      MOVED_IN_CALENDAR,
      CANCELLED_IN_CALENDAR,
    ]);
    // The chair's own cancel landing just after the read-back found it is done, not an error.
    const cancelled = await db()
      .selectFrom('reviews')
      .select('id')
      .where('childId', '=', child)
      .where('status', '=', 'cancelled')
      .executeTakeFirstOrThrow();
    await services().scheduledReviews.recordCancellation(cancelled.id, 'The child is unwell', {
      actor: IRO.email,
      today: clock.today(),
    });
    const plan = await harness.ask(alex, alexChat, `schedule review for ${child}`);
    expect(submitOf(plan).verb).toBe('review.schedule');
    expect(choicesIn(plan).length).toBeGreaterThan(0);
  });

  it('reads nothing out of working hours, and once in the morning however many slots were planned overnight', async () => {
    const done = (await syncJobs()).filter((j) => j.state === 'done').length;
    let day = addDays(clock.today(), 1);
    while (services().calendar.isWorkingDay(day)) day = addDays(day, 1);
    for (const time of ['11:00', '11:31', '12:02', '12:33']) {
      now = zonedTimeToInstant(day as LocalDate, time, TZ);
      await run();
    }
    expect((await syncJobs()).filter((j) => j.state === 'done')).toHaveLength(done);
    expect((await syncJobs()).filter((j) => j.state === 'pending')).toHaveLength(4);
    await graph.clearRequests();
    now = nextWorkingInstant(now, services().workingTime);
    await run();
    const jobs = await syncJobs();
    expect(jobs.filter((j) => j.state === 'pending')).toEqual([]);
    expect(jobs.slice(done).map((j) => j.outcome)).toEqual([
      'a past slot',
      'a past slot',
      'a past slot',
      'a past slot',
      'checked 0, moved 0, cancelled 0, unreadable 0',
    ]);
  });
});
