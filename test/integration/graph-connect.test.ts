import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/app/ports.js';
import { loadConfig } from '../../src/config.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../src/domain/working-days.js';
import { connectGraph, type GraphConnection } from '../../src/graph/connect-graph.js';
import type { Services } from '../../src/services.js';
import { createLogger } from '../../src/shared/logger.js';

const MANIFEST_ID = '3b3f2d9e-5c2a-4f0e-9a51-0c7e6a9d1a01';
const staff = [
  {
    email: 'iro@council.example',
    name: 'An IRO',
    aadObjectId: '0f1e2d3c-0000-4000-8000-000000000001',
  },
  { email: 'nobody.id@council.example', name: 'No Object Id', aadObjectId: null },
] as StaffMember[];

describe('the built-in Graph simulator, as npm start gets it with no tenant', () => {
  let graph: GraphConnection;

  beforeAll(async () => {
    const services = {
      cases: { listStaff: async () => staff },
      clock: {
        today: () => '2026-11-10' as LocalDate,
        now: () => new Date('2026-11-10T08:00:00Z'),
      },
      calendar: createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS),
    } as unknown as Services;
    graph = await connectGraph(
      loadConfig({ TEAMS_APP_ID: MANIFEST_ID }),
      services,
      createLogger('silent'),
    );
  });
  afterAll(() => graph.close());

  it('knows the staff by their Entra object ids and holds the app in its catalog', async () => {
    expect(graph.simulated).toBe(true);
    const event = await graph.calendarGateway.createEvent('iro@council.example', {
      subject: 'Review: A.B. (A12345)',
      bodyHtml: '<p>x</p>',
      start: new Date('2026-12-01T10:00:00Z'),
      end: new Date('2026-12-01T11:30:00Z'),
      venue: 'Placement',
      attendees: [],
      hideAttendees: false,
      transactionId: 'connect-1',
    });
    const meeting = await graph.meetingGateway.findOnlineMeeting(
      '0f1e2d3c-0000-4000-8000-000000000001',
      event.joinUrl!,
    );
    expect(meeting?.chatId).toMatch(/^19:meeting_/);
    const catalogId = await graph.meetingGateway.catalogAppId(MANIFEST_ID);
    expect(catalogId).toBeDefined();
    expect(catalogId).not.toBe(MANIFEST_ID);
    await expect(
      graph.meetingGateway.installApp(meeting!.chatId, catalogId!),
    ).resolves.toBeUndefined();
  });
});
