import { describe, expect, it } from 'vitest';
import {
  respondersUpTo,
  responderOfStage,
  stepIdOfJob,
  type AlertStep,
  type PracticeAlert,
} from '../../../src/app/alerts/practice-alert.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

const IRO = 'alex.wilber@council.example';
const TM = 'lynne.robbins@council.example';
const SM = 'isaiah.langer@council.example';
const HOS = 'patti.fernandez@council.example';

let nextId = 1;
const step = (
  action: AlertStep['action'],
  stage: AlertStep['stage'],
  extra: Partial<AlertStep> = {},
): AlertStep => ({
  id: nextId++,
  at: new Date('2026-12-21T10:00:00Z'),
  actorEmail: action === 'responded' ? TM : IRO,
  actorName: 'Someone',
  action,
  stage,
  note: null,
  ...extra,
});

const alertWith = (steps: AlertStep[]): PracticeAlert => ({
  alertId: 12,
  childId: 'Q40211',
  childLabel: 'A.B. · Q40211',
  iroEmail: IRO,
  iroName: 'Alex Wilber',
  issue: 'Drift',
  actionWanted: null,
  decision: null,
  stage: steps.at(-1)?.stage ?? 'informal',
  stageStartedOn: '2026-12-21' as LocalDate,
  stageDueOn: '2026-12-29' as LocalDate,
  responderEmail: null,
  responderName: null,
  raisedOn: '2026-12-21' as LocalDate,
  status: 'open',
  outcome: null,
  resolvedOn: null,
  steps,
});

describe('the managers who had an alert', () => {
  const atHeadOfService = alertWith([
    step('raised', 'informal', { responderEmail: TM }),
    step('responded', 'informal', { responderEmail: null }),
    step('movedOn', 'formal', { responderEmail: SM }),
    step('movedOn', 'head_of_service', { responderEmail: HOS }),
  ]);

  it('are each stage up to the one given, in order, leaving out who has it next', () => {
    expect(respondersUpTo(atHeadOfService, 'formal', HOS)).toEqual([
      { stage: 'informal', email: TM },
      { stage: 'formal', email: SM },
    ]);
    expect(respondersUpTo(atHeadOfService, 'head_of_service').map((r) => r.email)).toEqual([
      TM,
      SM,
      HOS,
    ]);
    expect(respondersUpTo(atHeadOfService, 'informal', SM)).toEqual([
      { stage: 'informal', email: TM },
    ]);
  });

  it('name a manager who had two stages once, and skip a stage nobody was asked at', () => {
    const short = alertWith([
      step('raised', 'informal', { responderEmail: SM }),
      step('movedOn', 'formal', { responderEmail: SM }),
      step('movedOn', 'head_of_service', { responderEmail: null }),
    ]);
    expect(respondersUpTo(short, 'head_of_service')).toEqual([{ stage: 'informal', email: SM }]);
  });

  it('are found by stage from the step that started it', () => {
    expect(responderOfStage(atHeadOfService, 'formal')).toBe(SM);
    expect(responderOfStage(alertWith([step('raised', 'informal')]), 'formal')).toBeNull();
  });
});

describe('the step a job is about', () => {
  it.each([
    ['alert.toIro:12:s345', 345],
    ['alert.toFormerResponder:12:s345:informal', 345],
    ['alert.toIro:12:3', undefined],
    ['alert.overdue:12:formal', undefined],
    ['alert.toIro:12:s', undefined],
  ])('%s names step %s', (key, id) => {
    expect(stepIdOfJob(key)).toBe(id);
  });
});
