import type {
  AttendanceLine,
  ChildAlert,
  ChildDecision,
  ChildPage,
  IsoDate,
  ParticipationCode,
  ReportRow,
  ReviewKind,
  ReviewState,
  Role,
} from '../api-types.js';
import { USUAL_ROLES } from '../../domain/attendance.js';
import { PARTICIPATION, PARTICIPATION_CODES } from '../../domain/participation.js';
import { formatDay } from './dates.js';

export const KIND_LABEL: Record<ReviewKind, string> = {
  first: 'First',
  second: 'Second',
  subsequent: 'Subsequent',
  short_breaks: 'Short breaks',
};

export function kindLabel(kind: ReviewKind | null): string {
  return kind ? KIND_LABEL[kind] : 'Not known';
}

export const STATE_LABEL: Record<ReviewState, string> = {
  overdue: 'Overdue',
  due: 'Due',
  scheduled: 'Scheduled',
  due_unknown: 'Due date not known',
};

export const ROLE_LABEL: Record<Role, string> = {
  iro: 'IRO',
  social_worker: 'Social worker',
  team_manager: 'Team manager',
  service_manager: 'Service manager',
  admin: 'Administrator',
};

/** The DfE's SSDA903 REVIEW_CODE wording, as the bot's cards and the recording form give it. */
export const PN_LABEL: Record<ParticipationCode, string> = Object.fromEntries(
  PARTICIPATION_CODES.map((code) => [code, PARTICIPATION[code].wording]),
) as Record<ParticipationCode, string>;

export const PN_CODES: readonly ParticipationCode[] = PARTICIPATION_CODES;

const PARTICIPANT_LABEL: Record<string, string> = {
  ...Object.fromEntries(USUAL_ROLES),
  invitee: 'Invitee',
};
const ATTENDANCE_LABEL: Record<AttendanceLine['attendance'], string> = {
  in_person: 'in person',
  online: 'online',
  report: 'sent a report',
  apologies: 'apologies',
  did_not_attend: 'did not attend',
};

export function participantLabel(participant: string): string {
  return PARTICIPANT_LABEL[participant] ?? participant.replace(/_/g, ' ');
}

/** "Child in person; Mother online; Father did not attend" */
export function attendanceSummary(lines: AttendanceLine[]): string {
  if (lines.length === 0) return 'Not recorded';
  return lines
    .map((line) => `${participantLabel(line.participant)} ${ATTENDANCE_LABEL[line.attendance]}`)
    .join('; ');
}

export const MIDWAY_LABEL: Record<NonNullable<ChildDecision['midway']>['status'], string> = {
  done: 'Done',
  on_track: 'On track',
  delayed: 'Delayed',
  not_started: 'Not started',
};

/**
 * Where the midway check of the last review stands, as the chat's "midway reviews due" says it:
 * answered, asked and waiting, not asked yet (its date is ahead, or its card has not reached the
 * social worker), or none sent (the date passed with nobody asked, or there is no date).
 */
export function midwayStanding(
  check: ChildPage['midwayCheck'],
  midwayDate: IsoDate | null,
  today: IsoDate,
): { standing: 'answered' | 'asked' | 'notAskedYet' | 'none'; text: string } {
  if (check?.answeredOn)
    return { standing: 'answered', text: `Answered ${formatDay(check.answeredOn)}` };
  if (check?.askedOn)
    return { standing: 'asked', text: `Asked ${formatDay(check.askedOn)}, no answer yet` };
  if (check || (midwayDate !== null && midwayDate >= today))
    return { standing: 'notAskedYet', text: 'Not asked yet' };
  return { standing: 'none', text: 'No midway check was sent' };
}

/** A decision's cell when the social worker gave no answer on it: why not. */
export function noMidwayAnswerText(standing: ReturnType<typeof midwayStanding>): string {
  switch (standing.standing) {
    case 'answered':
      // Answered before this decision was recorded (the record was changed since).
      return 'Not in the midway check';
    case 'none':
      return 'No midway check';
    default:
      return standing.text;
  }
}

export const ALERT_STAGE_LABEL: Record<ChildAlert['stage'], string> = {
  informal: 'Informal',
  formal: 'Formal',
  head_of_service: 'Head of service',
  director: 'Director',
  cafcass: 'Cafcass',
};

export const ALERT_OUTCOME_LABEL: Record<NonNullable<ChildAlert['outcome']>, string> = {
  resolved: 'Resolved',
  cafcass: 'Referred to Cafcass',
  withdrawn: 'Withdrawn',
};

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const TWO_DECIMALS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const ONE_DECIMAL = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export function formatCount(value: number | null): string {
  return value === null ? 'n/a' : COUNT.format(value);
}

export function formatPercent(value: number | null): string {
  return value === null ? 'n/a' : `${ONE_DECIMAL.format(value)}%`;
}

export function formatPerFte(value: number | null): string {
  return value === null ? 'n/a' : ONE_DECIMAL.format(value);
}

/** Full-time equivalents as Staff.csv gives them: 1, 0.25, 5.4. */
export function formatFte(value: number | null): string {
  return value === null ? 'n/a' : TWO_DECIMALS.format(value);
}

export function formatReportValue(value: number | null, unit: ReportRow['unit']): string {
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'percent':
      return formatPercent(value);
    case 'perFte':
      return formatPerFte(value);
    case 'fte':
      return formatFte(value);
  }
}

/** Share of a whole as a percentage with one decimal, or null when the whole is 0. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** "the teams you manage" at the start of a sentence: "The teams you manage". */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
