import type { ExtractFiles } from '../app/import/extract.js';
import { allocatedNow } from '../app/case-view.js';
import {
  heldOnTime,
  readRecordForm,
  recordingContext,
  saveRecord,
  type RecordForm,
} from '../app/recording/record-review.js';
import { LATE_REASONS } from '../domain/late-reasons.js';
import {
  addDays,
  ageOn,
  formatUkDate,
  maxDate,
  parseUkDate,
  type LocalDate,
} from '../domain/local-date.js';
import { PARTICIPATION, type ParticipationCode } from '../domain/participation.js';
import { zonedTimeToInstant } from '../domain/zoned-time.js';
import type { Services } from '../services.js';
import { between, mulberry32, pick, weighted } from './demo-council.js';

/** A review of the demo council that its IRO records through the app rather than the import. */
export interface InAppReview {
  childId: string;
  heldOn: LocalDate;
  code: ParticipationCode;
  /** The child's IRO (Allocations.csv), who chairs and records it. */
  iroEmail: string;
}

/**
 * Takes out of the extract's Reviews file the reviews held from `since`, to be recorded through
 * the app instead: the way a council starts, with its 903 history imported and the reviews since
 * recorded at meeting end. Only children whose reviews from `since` all fall in their last period
 * of care (or of short breaks) are taken, since the app records a review in that period; the
 * others keep theirs in the import.
 */
export function takeRecentReviews(
  files: ExtractFiles,
  since: LocalDate,
): { files: ExtractFiles; recent: InAppReview[] } {
  const rows = (name: 'Episodes.csv' | 'Reviews.csv' | 'Allocations.csv') =>
    files[name]
      .split(/\r?\n/)
      .slice(1)
      .filter((line) => line !== '')
      .map((line) => line.split(','));
  // The last period of each child began at its last episode that starts one (RNE S).
  const lastStart = new Map<string, LocalDate>();
  for (const [child, decom, rne] of rows('Episodes.csv')) {
    const start = parseUkDate(decom ?? '');
    if (rne !== 'S' || !child || !start) continue;
    if (start > (lastStart.get(child) ?? '')) lastStart.set(child, start);
  }
  const iroOf = new Map(rows('Allocations.csv').map(([child, iro]) => [child, iro]));
  const byChild = new Map<string, { line: string[]; heldOn: LocalDate }[]>();
  for (const line of rows('Reviews.csv')) {
    const heldOn = parseUkDate(line[2] ?? '') as LocalDate;
    const child = line[0] as string;
    byChild.set(child, [...(byChild.get(child) ?? []), { line, heldOn }]);
  }
  const kept: string[][] = [];
  const recent: InAppReview[] = [];
  for (const [childId, reviews] of byChild) {
    const start = lastStart.get(childId);
    const inApp = reviews.filter((r) => r.heldOn >= since);
    const iroEmail = iroOf.get(childId);
    const movable =
      start !== undefined && iroEmail !== undefined && inApp.every((r) => r.heldOn >= start);
    for (const r of reviews) {
      if (movable && r.heldOn >= since)
        recent.push({
          childId,
          heldOn: r.heldOn,
          code: r.line[3] as ParticipationCode,
          iroEmail: iroEmail as string,
        });
      else kept.push(r.line);
    }
  }
  const header = files['Reviews.csv'].split(/\r?\n/)[0] as string;
  return {
    files: {
      ...files,
      'Reviews.csv': `${[header, ...kept.map((l) => l.join(','))].join('\r\n')}\r\n`,
    },
    recent: recent.sort(
      (a, b) => a.heldOn.localeCompare(b.heldOn) || a.childId.localeCompare(b.childId),
    ),
  };
}

/** Decisions a review might make, without anything that names or describes a child. */
const DECISIONS = [
  'Update the care plan after the review',
  'Arrange a health assessment',
  'Review the contact arrangements',
  'Update the personal education plan',
  'Offer an advocate before the next review',
  'Complete the pathway plan',
  'Seek the views of the carers on contact',
  'Make a referral for therapeutic support',
] as const;

type Attendance = RecordForm[string];

/**
 * The social worker's word on the review's decisions whose date has come, through the app's own
 * progress report: most done by their date, some late, some not yet (so the IRO's digest lists a
 * few overdue, as it would).
 */
async function reportDecisions(
  services: Services,
  rng: () => number,
  reviewId: number,
  heldOn: LocalDate,
  swEmail: string | null,
): Promise<void> {
  if (!swEmail) return;
  const today = services.clock.today();
  const decisions = await services.store.db
    .selectFrom('reviewDecisions')
    .select(['id', 'dueOn'])
    .where('reviewId', '=', reviewId)
    .orderBy('id')
    .execute();
  for (const decision of decisions) {
    const dueOn = decision.dueOn as LocalDate | null;
    if (!dueOn) continue;
    const outcome = weighted(rng, [
      ['onTime', 7],
      ['late', 2],
      ['open', 1],
    ] as const);
    if (outcome === 'open') continue;
    const doneOn =
      outcome === 'onTime'
        ? maxDate(addDays(heldOn, 1), addDays(dueOn, -between(rng, 0, 20)))
        : addDays(dueOn, between(rng, 1, 30));
    if (doneOn > today) continue;
    await services.reminders.updateDecision({
      decisionId: decision.id,
      status: 'done',
      reason: null,
      by: swEmail,
      at: zonedTimeToInstant(doneOn, '14:00', services.scheduling.timeZone),
      today: doneOn,
    });
  }
}

/**
 * Records the demo council's recent reviews through the app's own recording (the checks of the
 * card at meeting end, the store's transaction and audit), with made-up attendance, decisions
 * and their progress, reasons for late reviews and records distributed, so the tab's charts and
 * the annual report have what chairs record. Every review must pass the card's checks: one that
 * does not is a fault of the demo, and stops the seed.
 */
export async function recordDemoReviews(
  services: Services,
  reviews: readonly InAppReview[],
): Promise<void> {
  const rng = mulberry32(20261202);
  const staff = new Map((await services.cases.listStaff()).map((s) => [s.email, s]));
  const today = services.clock.today();
  for (const review of reviews) {
    const chair = staff.get(review.iroEmail);
    if (!chair?.aadObjectId)
      throw new Error(`The demo review of ${review.childId} has no IRO to record it`);
    // The recording's own context: it loads the child, and refuses anyone but the chair.
    const found = await recordingContext(services, chair.aadObjectId, review.childId, undefined);
    if (!found.ok) throw new Error(`The demo cannot record ${review.childId}: ${found.reason}`);
    const { context } = found;
    const child = context.child;
    const age = ageOn(child.dob, review.heldOn);
    const attended = PARTICIPATION[review.code].childAttended;
    const childAttendance: Attendance =
      attended === 'yes'
        ? weighted(rng, [
            ['in_person', 8],
            ['online', 2],
          ])
        : attended === 'no'
          ? weighted(rng, [
              ['did_not_attend', 5],
              ['report', 3],
              ['apologies', 2],
            ])
          : weighted(rng, [
              ['in_person', 6],
              ['did_not_attend', 4],
            ]);
    const family = (present: number): Attendance =>
      weighted<Attendance>(rng, [
        ['in_person', 4 * present],
        ['online', 2 * present],
        ['report', 1],
        ['apologies', 2],
        ['did_not_attend', 3],
        ['', 2],
      ]);
    const swEmail = allocatedNow(child, 'social_worker');
    const decisions: RecordForm = {};
    const count = between(rng, 1, 3);
    for (let i = 0; i < count; i += 1) {
      decisions[`decision_${i}_what`] = pick(rng, DECISIONS);
      decisions[`decision_${i}_who`] = swEmail ?? '';
      decisions[`decision_${i}_by`] =
        rng() < 0.8 ? addDays(review.heldOn, 7 * between(rng, 4, 12)) : '';
    }
    const form: RecordForm = {
      heldOn: review.heldOn,
      code: review.code,
      att_child: childAttendance,
      att_mother: family(1),
      att_father: family(0.5),
      att_other_family: weighted<Attendance>(rng, [
        ['', 6],
        ['in_person', 2],
        ['online', 1],
      ]),
      att_carer: weighted<Attendance>(rng, [
        ['in_person', 7],
        ['online', 2],
        ['report', 1],
      ]),
      att_social_worker: weighted<Attendance>(rng, [
        ['in_person', 6],
        ['online', 4],
      ]),
      att_advocate: age >= 4 && rng() < 0.25 ? 'online' : '',
      att_health: rng() < 0.2 ? 'report' : '',
      att_education: age >= 5 && rng() < 0.3 ? 'report' : '',
      childChaired: String(age >= 12 && review.code === 'PN1' && rng() < 0.2),
      advocacyOffered: String(age >= 4 && rng() < 0.7),
      consultationReturned: String(age >= 4 && rng() < 0.55),
      lateReason:
        heldOnTime(context, review.heldOn) === false
          ? weighted(
              rng,
              LATE_REASONS.map((r, i) => [r, i === LATE_REASONS.length - 1 ? 1 : 3] as const),
            )
          : '',
      ...decisions,
    };
    const read = readRecordForm(context, form, today, []);
    if (!read.ok) {
      throw new Error(
        `The demo review of ${review.childId} on ${formatUkDate(review.heldOn)} does not pass the card's checks: ${Object.values(read.errors).join(' ')}`,
      );
    }
    const saved = await saveRecord(
      services,
      context,
      read.record,
      `demo:${review.childId}:${review.heldOn}`,
    );
    if (!saved.ok) throw new Error(`The demo cannot store the review of ${review.childId}`);
    await reportDecisions(services, rng, saved.review.reviewId, review.heldOn, swEmail);
    // Most records go out within the 15 working days, some later; the newest not yet.
    const days = weighted(rng, [
      [between(rng, 2, 10), 8],
      [between(rng, 11, 15), 1],
      [between(rng, 16, 30), 1],
    ]);
    const distributedOn = services.calendar.addWorkingDays(review.heldOn, days);
    if (distributedOn <= today) {
      await services.reminders.markDistributed({
        reviewId: saved.review.reviewId,
        by: chair.email,
        today: distributedOn,
      });
    }
  }
}
