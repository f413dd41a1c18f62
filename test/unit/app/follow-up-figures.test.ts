import { describe, expect, it } from 'vitest';
import { followUpFigures, followUpLines } from '../../../src/app/reminders/follow-up-figures.js';
import type { FollowUpRows, ReminderStore } from '../../../src/app/reminders/reminders.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../../src/domain/bank-holidays.js';
import type { LocalDate } from '../../../src/domain/local-date.js';
import { createWorkingCalendar } from '../../../src/domain/working-days.js';

const d = (s: string) => s as LocalDate;

function storeWith(rows: FollowUpRows): ReminderStore {
  return { followUpRows: async () => rows } as unknown as ReminderStore;
}

describe('what followed the reviews, for the annual report', () => {
  const calendar = createWorkingCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS);

  it('counts decisions done on time (or with no date set), late and open', async () => {
    const f = await followUpFigures(
      {
        reminders: storeWith({
          decisions: [
            { dueOn: d('2026-06-10'), doneOn: d('2026-06-10') },
            { dueOn: d('2026-06-10'), doneOn: d('2026-06-11') },
            { dueOn: null, doneOn: d('2026-07-01') },
            { dueOn: d('2026-06-10'), doneOn: null },
          ],
          records: [],
          midway: [],
          alerts: [],
        }),
        calendar,
        recordWorkingDays: 15,
      },
      { from: d('2026-04-01'), to: d('2027-03-31') },
    );
    expect(f.decisions).toEqual({ made: 4, doneOnTime: 2, doneLate: 1, open: 1 });
  });

  it('judges records by working days after the review, across bank holidays', async () => {
    // Held Wed 16 Dec 2026: 15 working days (Christmas, Boxing Day substitute, New Year) end on Mon 11 Jan 2027.
    const f = await followUpFigures(
      {
        reminders: storeWith({
          decisions: [],
          records: [
            { heldOn: d('2026-12-16'), distributedOn: d('2027-01-11') },
            { heldOn: d('2026-12-16'), distributedOn: d('2027-01-12') },
            { heldOn: d('2026-12-16'), distributedOn: null },
          ],
          midway: [
            { asked: true, answered: true, notReached: false, givenUp: false },
            { asked: true, answered: false, notReached: false, givenUp: false },
            { asked: false, answered: false, notReached: true, givenUp: false },
            { asked: false, answered: false, notReached: false, givenUp: true },
            { asked: false, answered: false, notReached: false, givenUp: false },
          ],
          alerts: [
            { stage: 'informal', outcome: null },
            { stage: 'formal', outcome: 'resolved' },
            { stage: 'head_of_service', outcome: 'cafcass' },
            { stage: 'head_of_service', outcome: null },
          ],
        }),
        calendar,
        recordWorkingDays: 15,
      },
      { from: d('2026-04-01'), to: d('2027-03-31') },
    );
    expect(f.records).toEqual({
      recorded: 3,
      distributedInTime: 1,
      distributedLate: 1,
      notDistributed: 1,
      workingDays: 15,
    });
    expect(f.midway).toEqual({ due: 5, asked: 2, answered: 1, notReached: 1, givenUp: 1 });
    expect(followUpLines(f)).toContain(
      'Midway checks: 5 due; 2 sent to the social worker, 1 answered; 1 waiting for the social worker to open IRO Assistant in Teams; 1 not sent before the next review; 1 to be sent',
    );
    expect(f.alerts).toEqual({
      raised: 4,
      open: { informal: 1, formal: 0, head_of_service: 1 },
      outcomes: { resolved: 1, cafcass: 1, withdrawn: 0 },
    });
  });
});
