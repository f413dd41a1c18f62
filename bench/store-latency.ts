/**
 * Latency of the store queries behind the bot's and the tab's answers, on the imported national
 * dataset: "my reviews due this month" for random IROs (the whole answer, as the bot computes it,
 * and the due list's indexed query alone), and a team manager's caseload summary (counts, each
 * IRO's line, this reporting year's timeliness and PN mix) over a service of about 2,000 children.
 */
import { answerQuestion } from '../src/app/questions/answer-question.js';
import { parseQuestion } from '../src/app/questions/parse-question.js';
import { listDueReviews } from '../src/app/due-reviews.js';
import type { Services } from '../src/services.js';
import { monthOf } from '../src/domain/local-date.js';
import {
  percentile,
  pickFrom,
  round,
  sampleLatency,
  seededRandom,
  type Figure,
} from './figures.js';
import type { BenchStaff } from './national-dataset.js';

export async function storeLatency(
  services: Services,
  staff: readonly BenchStaff[],
  section: string,
  samples: number,
): Promise<{ figures: Figure[]; serviceChildren: number }> {
  const random = seededRandom(11);
  const today = services.clock.today();
  const month = monthOf(today);
  const iros = staff.filter((s) => s.role === 'iro');
  const managers = staff.filter(
    (s) => s.role === 'team_manager' && s.team.startsWith('IRO Service'),
  );
  const personal = { kind: 'personal' } as const;

  // Warm-up: the first queries plan and load pages.
  for (let i = 0; i < 5; i += 1) {
    const iro = pickFrom(random, iros);
    await answerQuestion(
      services,
      iro.aadObjectId,
      parseQuestion('my reviews due this month', today),
      personal,
    );
  }
  const dueAnswer = await sampleLatency(samples, async () => {
    const iro = pickFrom(random, iros);
    const answer = await answerQuestion(
      services,
      iro.aadObjectId,
      parseQuestion('my reviews due this month', today),
      personal,
    );
    if (answer.kind !== 'reviewList') throw new Error(`expected a list, got ${answer.kind}`);
  });
  const dueQuery = await sampleLatency(samples, () =>
    listDueReviews(services, {
      today,
      from: month.first,
      to: month.last,
      iroEmail: pickFrom(random, iros).email,
    }),
  );

  const summary = parseQuestion('caseload summary', today);
  let serviceChildren = 0;
  const first = await answerQuestion(services, managers[0]?.aadObjectId, summary, personal);
  if (first.kind === 'caseloadSummary') serviceChildren = first.children + first.shortBreaks;
  const caseload = await sampleLatency(Math.max(20, Math.round(samples / 2)), async () => {
    const manager = pickFrom(random, managers);
    const answer = await answerQuestion(services, manager.aadObjectId, summary, personal);
    if (answer.kind !== 'caseloadSummary')
      throw new Error(`expected a summary, got ${answer.kind}`);
  });

  const ms = (name: string, values: number[], p: number, target?: [string, number]): Figure => {
    const value = round(percentile(values, p), 2);
    return {
      section,
      name: `${name} p${p}`,
      value,
      unit: 'ms',
      ...(target
        ? { target: `< ${target[1]} ms ${target[0]}`, met: value !== null && value < target[1] }
        : {}),
      note: `${values.length} samples`,
    };
  };
  return {
    serviceChildren,
    figures: [
      ms('"my reviews due this month" (answer, random IRO)', dueAnswer, 50),
      ms('"my reviews due this month" (answer, random IRO)', dueAnswer, 99),
      ms('due list query alone (listDueReviews by IRO)', dueQuery, 50),
      ms('due list query alone (listDueReviews by IRO)', dueQuery, 99),
      ms(`caseload summary, team manager (~${serviceChildren} children)`, caseload, 50),
      ms(
        `caseload summary, team manager (~${serviceChildren} children)`,
        caseload,
        99,
        section.startsWith('pglite') ? ['on PGlite', 20] : undefined,
      ),
    ],
  };
}
