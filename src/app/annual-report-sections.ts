import { LATE_REASONS, LATE_REASON_TEXT } from '../domain/late-reasons.js';
import {
  AGE_BANDS,
  AGE_BAND_TEXT,
  ETHNIC_GROUPS,
  ETHNIC_GROUP_TEXT,
  SEXES,
  SEX_TEXT,
} from '../domain/child-profile.js';
import { longDate } from '../domain/date-text.js';
import { addYears, MONTH_NAMES, monthOf, parts, type LocalDate } from '../domain/local-date.js';
import { PARTICIPATION_CODES, type ParticipationCode } from '../domain/participation.js';
import { percent } from '../domain/timeliness.js';
import type { WorkingCalendar } from '../domain/working-days.js';
import { reportRowLabel, type ReportRow, type ReportSection } from '../tab/api-types.js';
import { csvLine, type CsvCell } from '../shared/csv-cell.js';
import { ALERT_OUTCOMES, ALERT_STAGES } from './alerts/practice-alert.js';
import {
  annualReportFigures,
  ATTENDANCE_KEYS,
  type AnnualReportFigures,
  type AttendanceKey,
} from './annual-report.js';
import type { CaseReader } from './ports.js';
import { followUpFigures, type FollowUpFigures } from './reminders/follow-up-figures.js';
import type { ReminderStore } from './reminders/reminders.js';

export type { ReportRow, ReportSection };

/** Everything the annual report shows for one period. */
export interface ReportFigures extends AnnualReportFigures {
  followUp: FollowUpFigures;
  /** Percentages of the follow-up counts, one decimal; null when there is nothing to divide by. */
  followUpPercent: {
    /** Decisions done on time, of those done. */
    decisionsDoneOnTime: number | null;
    /** Review records distributed within the configured working days, of reviews recorded in the app. */
    recordsDistributedInTime: number | null;
    /** Midway checks answered by the social worker, of those asked. */
    midwayAnswered: number | null;
  };
}

export interface AnnualReportDeps {
  cases: CaseReader;
  calendar: WorkingCalendar;
  reminders: ReminderStore;
  recordWorkingDays: number;
}

export interface ReportRange {
  from: LocalDate;
  to: LocalDate;
}

/** The report's scope: every child, or only these (a reader's caseload, team or service). */
export interface ReportScope {
  childIds?: readonly string[];
  /**
   * With `childIds`: the IROs whose caseloads the report lists (the asker, or a manager's IROs);
   * IROs of other teams appear only for the children in scope they chair.
   */
  iroEmails?: readonly string[];
}

export interface AnnualReport {
  from: LocalDate;
  to: LocalDate;
  previousFrom: LocalDate;
  previousTo: LocalDate;
  current: ReportFigures;
  previous: ReportFigures;
  sections: ReportSection[];
}

/**
 * The same period a year earlier: each day a year back, 29 February to 28 February. A period
 * that ends on the last day of a month ends on that month's last day a year earlier (28 February
 * 2025 gives 29 February 2024), so that a run of whole months compares with the same whole months.
 */
export function previousYear(range: ReportRange): ReportRange {
  const to = addYears(range.to, -1);
  return {
    from: addYears(range.from, -1),
    to: range.to === monthOf(range.to).last ? monthOf(to).last : to,
  };
}

/** The annual report's figures for one period and scope. */
export async function reportFigures(
  deps: AnnualReportDeps,
  range: ReportRange,
  scope: ReportScope = {},
): Promise<ReportFigures> {
  const [figures, followUp] = await Promise.all([
    annualReportFigures(deps, range, scope),
    followUpFigures(deps, range, scope.childIds && { childIds: scope.childIds }),
  ]);
  const { decisions, records, midway } = followUp;
  return {
    ...figures,
    followUp,
    followUpPercent: {
      decisionsDoneOnTime: percent(decisions.doneOnTime, decisions.doneOnTime + decisions.doneLate),
      recordsDistributedInTime: percent(records.distributedInTime, records.recorded),
      midwayAnswered: percent(midway.answered, midway.asked),
    },
  };
}

/**
 * The IRO annual report for `range` beside the same period a year earlier, for the children in
 * `scope`: the figures of both periods and the sections that show them (the tab's page and CSV,
 * and `iro-assistant stats`, all show these).
 */
export async function annualReport(
  deps: AnnualReportDeps,
  range: ReportRange,
  scope: ReportScope = {},
): Promise<AnnualReport> {
  const earlier = previousYear(range);
  const [current, previous] = await Promise.all([
    reportFigures(deps, range, scope),
    reportFigures(deps, earlier, scope),
  ]);
  return {
    from: range.from,
    to: range.to,
    previousFrom: earlier.from,
    previousTo: earlier.to,
    current,
    previous,
    sections: annualReportSections(current, previous),
  };
}

const PARTICIPATION_SHORT: Record<ParticipationCode, string> = {
  PN0: 'PN0: child under 4',
  PN1: 'PN1: attends and speaks for themselves',
  PN2: 'PN2: attends, an advocate speaks for them',
  PN3: 'PN3: attends, conveys their views non-verbally',
  PN4: 'PN4: attends, views not conveyed',
  PN5: 'PN5: does not attend, briefs an advocate',
  PN6: 'PN6: does not attend, conveys their views another way',
  PN7: 'PN7: does not attend, views not conveyed',
};

/** The participation measure (DOMAIN.md: children aged 4 or over, PN1 to PN6). */
const VIEWS_COMMUNICATED_TEXT = 'Of them, communicated their views at every review (PN1 to PN6)';
/** The stricter count by review, without PN4. */
const VIEWS_CONVEYED_TEXT =
  "Of them, the child's view was conveyed (PN1 to PN3, PN5, PN6; not PN4, attended without conveying a view)";

const ATTENDANCE_TEXT: Record<AttendanceKey, string> = {
  child: 'The child',
  mother: 'Mothers',
  father: 'Fathers',
  otherFamily: 'Other family',
  carer: 'Carers',
};

const ALERT_STAGE_SHORT: Record<(typeof ALERT_STAGES)[number], string> = {
  informal: 'Open at the informal stage (team manager)',
  formal: 'Open at the formal stage (service manager)',
  head_of_service: 'Open with the head of service',
};

const ALERT_OUTCOME_SHORT: Record<(typeof ALERT_OUTCOMES)[number], string> = {
  resolved: 'Resolved',
  cafcass: 'Referred to Cafcass',
  withdrawn: 'Withdrawn',
};

const KIND_TEXT = {
  first: 'First reviews',
  second: 'Second reviews',
  subsequent: 'Subsequent reviews',
  short_breaks: 'Short-break reviews',
} as const;

/**
 * The annual report as sections of rows, each row this period beside the same period a year
 * earlier. Every number is read from the figures, never worked out here.
 */
export function annualReportSections(
  current: ReportFigures,
  previous: ReportFigures,
): ReportSection[] {
  const row = (
    label: string,
    of: (f: ReportFigures) => number | null,
    unit: ReportRow['unit'] = 'count',
  ): ReportRow => ({ label, current: of(current), previous: of(previous), unit });
  const pct = (label: string, of: (f: ReportFigures) => number | null) => row(label, of, 'percent');

  const months = current.byMonth.map((m, i) => {
    const { year, month } = parts(`${m.month}-01` as LocalDate);
    return {
      label: `${MONTH_NAMES[month - 1] ?? m.month} ${year}`,
      of: (f: ReportFigures) => f.byMonth[i] ?? null,
    };
  });

  // IROs of either period, in the order the current period lists them, then the earlier one's.
  const iros = [...current.caseload, ...previous.caseload].filter(
    (c, i, all) => all.findIndex((d) => d.iro === c.iro) === i,
  );
  const caseloadOf = (f: ReportFigures, iro: string) => f.caseload.find((c) => c.iro === iro);

  const followUpDays = current.followUp.records.workingDays;

  return [
    {
      title: 'Children looked after',
      note: 'Children in a period of care, short breaks (Regulation 48) apart. A child counts as looked after on the days their period of care began and ended. Starters and leavers count periods of care: a child who started twice counts twice. A period that began before the extract is not counted as a start.',
      rows: [
        row('Looked after on the first day', (f) => f.lookedAfter.atStart),
        row('Looked after on the last day', (f) => f.lookedAfter.atEnd),
        row('Periods of care that began (starters)', (f) => f.lookedAfter.started),
        row('Periods of care that ended (leavers)', (f) => f.lookedAfter.ended),
        row('On short breaks on the last day', (f) => f.shortBreaks.children),
        row('With no IRO allocated on the last day', (f) => f.childrenWithoutIro),
      ],
    },
    {
      title: 'Age on the last day',
      note: "Children looked after on the last day, in the DfE's age bands.",
      rows: AGE_BANDS.map((b) => row(AGE_BAND_TEXT[b], (f) => f.profile.ageBands[b])),
    },
    {
      title: 'Gender',
      note: 'Children looked after on the last day, by 903 SEX (not known: U, or not given).',
      rows: SEXES.map((s) => row(SEX_TEXT[s], (f) => f.profile.sex[s])),
    },
    {
      title: 'Ethnicity',
      note: "Children looked after on the last day, by 903 ETHNIC code in the DfE's groups (refused: REFU; not yet obtained: NOBT, a blank or an unknown code).",
      rows: ETHNIC_GROUPS.map((g) => row(ETHNIC_GROUP_TEXT[g], (f) => f.profile.ethnicity[g])),
    },
    {
      title: 'Reviews held by month',
      note: 'Reviews held of children looked after, short breaks apart; the earlier column is the same month a year earlier.',
      rows: [
        ...months.map((m) => row(m.label, (f) => m.of(f)?.reviewsHeld ?? null)),
        row('All months', (f) => f.reviewsHeld),
      ],
    },
    {
      title: 'Timeliness',
      note: 'Reviews held within the statutory timescale (20 working days, 3 months, 6 months). A review whose due date cannot be known (the review before it was held before the extract) is left out.',
      rows: [
        row('Reviews held', (f) => f.reviewsHeld),
        row('Due date known', (f) => f.reviewsAssessed),
        row('Held on time', (f) => f.reviewsOnTime),
        pct('Held on time', (f) => f.timelinessPercent),
        row('Due date not known (left out)', (f) => f.reviewsDueUnknown),
        row('Children counted by NI 66', (f) => f.childTimeliness.childrenCounted),
        row(
          'Children whose every review was on time (NI 66)',
          (f) => f.childTimeliness.childrenOnTime,
        ),
        pct('Children whose every review was on time (NI 66)', (f) => f.childTimeliness.percent),
      ],
    },
    {
      title: 'Timeliness by review kind',
      note: 'Reviews held whose due date is known. Short-break reviews (Regulation 48: within 3 months, then 6 months) are counted apart and not in the 903 figures.',
      rows: [
        ...(['first', 'second', 'subsequent', 'short_breaks'] as const).flatMap((k) => [
          row(`${KIND_TEXT[k]}: due date known`, (f) => f.timelinessByKind[k].reviewsAssessed),
          row(`${KIND_TEXT[k]}: held on time`, (f) => f.timelinessByKind[k].reviewsOnTime),
          pct(`${KIND_TEXT[k]}: held on time`, (f) => f.timelinessByKind[k].timelinessPercent),
        ]),
        row('Short-break reviews held', (f) => f.shortBreaks.reviewsHeld),
      ],
    },
    {
      title: 'Why reviews were late',
      note: 'Reviews recorded in the app and held after their due date, by the reason the chair gave when recording them. Imported reviews carry no reason.',
      rows: [
        row('Recorded in the app and held late', (f) => f.recordedReviews.late),
        ...LATE_REASONS.map((r) =>
          row(LATE_REASON_TEXT[r], (f) => f.recordedReviews.lateReasons[r]),
        ),
        row('No reason recorded', (f) => f.recordedReviews.lateReasons.notGiven),
      ],
    },
    {
      title: 'Participation',
      note: "Reviews held by the child's participation code (SSDA903 REVIEW_CODE), short breaks apart. Children who communicated their views (PN1 to PN6, as the participation measure counts them) at every review held while aged 4 or over; beside it, the stricter count by review, which leaves out PN4 (the child attended without conveying a view).",
      rows: [
        ...PARTICIPATION_CODES.flatMap((c) => [
          row(PARTICIPATION_SHORT[c], (f) => f.participation[c]),
          pct(PARTICIPATION_SHORT[c], (f) => f.participationPercent[c]),
        ]),
        row('Children aged 4 or over with a review', (f) => f.viewsCommunicated.of),
        row(VIEWS_COMMUNICATED_TEXT, (f) => f.viewsCommunicated.children),
        pct(VIEWS_COMMUNICATED_TEXT, (f) => f.viewsCommunicated.percent),
        row('Reviews of children aged 4 or over', (f) => f.viewsConveyed.of),
        row(VIEWS_CONVEYED_TEXT, (f) => f.viewsConveyed.reviews),
        pct(VIEWS_CONVEYED_TEXT, (f) => f.viewsConveyed.percent),
      ],
    },
    {
      title: 'Attendance',
      note: 'Reviews recorded in the app with attendance recorded (imported reviews carry none); attended means in person or online.',
      rows: [
        row('Reviews recorded in the app', (f) => f.recordedReviews.recorded),
        row('Of them, with attendance recorded', (f) => f.recordedReviews.attendanceRecorded),
        ...ATTENDANCE_KEYS.flatMap((k) => [
          row(`${ATTENDANCE_TEXT[k]} attended`, (f) => f.recordedReviews.attended[k]),
          pct(`${ATTENDANCE_TEXT[k]} attended`, (f) => f.recordedReviews.attendedPercent[k]),
        ]),
      ],
    },
    {
      title: "The child's review",
      note: 'Of the reviews recorded in the app (imported reviews carry none of this).',
      rows: [
        row('Reviews recorded in the app', (f) => f.recordedReviews.recorded),
        row('Chaired by the child', (f) => f.recordedReviews.childChaired),
        pct('Chaired by the child', (f) => f.recordedReviews.childChairedPercent),
        row('Advocacy offered', (f) => f.recordedReviews.advocacyOffered),
        pct('Advocacy offered', (f) => f.recordedReviews.advocacyOfferedPercent),
        row('Consultation form returned', (f) => f.recordedReviews.consultationReturned),
        pct('Consultation form returned', (f) => f.recordedReviews.consultationReturnedPercent),
      ],
    },
    {
      title: 'Caseloads',
      note: caseloadNote(current, previous),
      rows: [
        ...iros.flatMap((c) => [
          row(`${c.name}: children`, (f) => caseloadOf(f, c.iro)?.children ?? null),
          row(`${c.name}: children per FTE`, (f) => caseloadOf(f, c.iro)?.perFte ?? null, 'perFte'),
        ]),
        // Only where a last day came before allocations were held.
        ...(current.childrenIroNotKnown > 0 || previous.childrenIroNotKnown > 0
          ? [row('IRO not known on the last day', (f) => f.childrenIroNotKnown)]
          : []),
        row('All IROs: children', (f) => f.caseloadTotal.children),
        row('All IROs: FTE', (f) => f.caseloadTotal.fte, 'fte'),
        row('All IROs: children per FTE', (f) => f.caseloadTotal.perFte, 'perFte'),
      ],
    },
    {
      title: 'Midway reviews',
      note: 'Midway checks whose date fell in the period.',
      rows: [
        row('Due', (f) => f.followUp.midway.due),
        row('Asked of the social worker', (f) => f.followUp.midway.asked),
        row('Answered', (f) => f.followUp.midway.answered),
        pct('Answered, of those asked', (f) => f.followUpPercent.midwayAnswered),
        row(
          'Not sent: the social worker has not opened IRO Assistant in Teams',
          (f) => f.followUp.midway.notReached,
        ),
        row('Not sent before the next review', (f) => f.followUp.midway.givenUp),
      ],
    },
    {
      title: 'Review decisions',
      note: 'Decisions made at reviews held in the period; a decision with no date set counts as on time when done.',
      rows: [
        row('Made', (f) => f.followUp.decisions.made),
        row('Done on time', (f) => f.followUp.decisions.doneOnTime),
        row('Done late', (f) => f.followUp.decisions.doneLate),
        row('Still open', (f) => f.followUp.decisions.open),
        pct('Done on time, of those done', (f) => f.followUpPercent.decisionsDoneOnTime),
      ],
    },
    {
      title: 'Practice alerts',
      note: 'Practice alerts (escalations) raised in the period: open ones by stage, closed ones by outcome.',
      rows: [
        row('Raised', (f) => f.followUp.alerts.raised),
        ...ALERT_STAGES.map((s) => row(ALERT_STAGE_SHORT[s], (f) => f.followUp.alerts.open[s])),
        ...ALERT_OUTCOMES.map((o) =>
          row(ALERT_OUTCOME_SHORT[o], (f) => f.followUp.alerts.outcomes[o]),
        ),
      ],
    },
    {
      title: 'Review records',
      note: `Reviews held in the period and recorded in the app, by when their record was distributed (within ${followUpDays} working days of the review).`,
      rows: [
        row('Reviews recorded in the app', (f) => f.followUp.records.recorded),
        row(
          `Distributed within ${followUpDays} working days`,
          (f) => f.followUp.records.distributedInTime,
        ),
        row('Distributed later', (f) => f.followUp.records.distributedLate),
        row('Not yet distributed', (f) => f.followUp.records.notDistributed),
        pct(
          `Distributed within ${followUpDays} working days`,
          (f) => f.followUpPercent.recordsDistributedInTime,
        ),
      ],
    },
  ];
}

/**
 * What the Caseloads section counts. Allocations are known from the day they were first
 * imported: a child whose IRO on the last day is not known is credited to no IRO, and an IRO's
 * line is "n/a" for a last day before any allocation was held.
 */
function caseloadNote(current: ReportFigures, previous: ReportFigures): string {
  const since = [current.iroKnownFrom, previous.iroKnownFrom]
    .filter((d): d is LocalDate => d !== null)
    .sort()[0];
  const notKnown = since
    ? ` Allocations are held from ${longDate(since)}, when they were first imported: a child looked after on an earlier last day is counted as "IRO not known on the last day", not credited to an IRO, and an IRO's line is n/a when no child's IRO on that day is known.`
    : '';
  return `Children looked after on the last day allocated to each IRO, against the guidance of 50 to 70 children per full-time IRO.${notKnown} All IROs counts every child allocated to an IRO on that day. FTE is as in today's Staff.csv, for both periods.`;
}

export interface AnnualReportCsvMeta {
  from: LocalDate;
  to: LocalDate;
  previousFrom: LocalDate;
  previousTo: LocalDate;
  /** Whose children the report covers ("All children", "Team North", an IRO's caseload). */
  scopeLabel: string;
}

/**
 * The sections as CSV (RFC 4180, CRLF): a few header rows (the report, its periods and scope),
 * then `Section,Figure,<period>,<previous period>` rows. Numbers are written as numbers
 * (percentages and children per FTE to one decimal, a blank where there is none); a text cell
 * that a spreadsheet would take for a formula (starting =, +, -, @, tab or carriage return) gets a
 * leading apostrophe.
 */
export function annualReportCsv(
  sections: readonly ReportSection[],
  meta: AnnualReportCsvMeta,
): string {
  const period = `${meta.from} to ${meta.to}`;
  const previousPeriod = `${meta.previousFrom} to ${meta.previousTo}`;
  const rows: CsvCell[][] = [
    ['IRO annual report', '', '', ''],
    ['Period', period, '', ''],
    ['Previous period', previousPeriod, '', ''],
    ['Scope', meta.scopeLabel, '', ''],
    ['Section', 'Figure', period, previousPeriod],
  ];
  for (const section of sections) {
    for (const r of section.rows) {
      rows.push([
        section.title,
        reportRowLabel(r),
        csvNumber(r.current, r.unit),
        csvNumber(r.previous, r.unit),
      ]);
    }
  }
  return rows.map(csvLine).join('\r\n') + '\r\n';
}

/** A figure as the CSV writes it: a count as it is, a percentage or a rate to one decimal. */
function csvNumber(value: number | null, unit: ReportRow['unit']): CsvCell {
  if (value === null) return null;
  // Counts and FTEs as they are (5.4, 0.75); percentages and ratios to one decimal.
  return unit === 'count' || unit === 'fte' ? { number: value } : { number: value, decimals: 1 };
}
