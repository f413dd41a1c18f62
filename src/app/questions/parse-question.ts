import { monthOf, reportingYear, type LocalDate } from '../../domain/local-date.js';
import { parsePeriod, rangeText, type Period } from './parse-period.js';

export type Question =
  | { kind: 'help' }
  | { kind: 'due'; period: Period; personal: boolean }
  | { kind: 'overdue'; personal: boolean }
  | { kind: 'midway'; period: Period; personal: boolean }
  | { kind: 'caseload'; personal: boolean }
  | { kind: 'caseloadSummary' }
  | { kind: 'caseloadFor'; who: string }
  | { kind: 'timeliness'; period: Period }
  | { kind: 'participation'; period: Period }
  | {
      kind:
        | 'schedule'
        | 'reschedule'
        | 'cancelReview'
        | 'recordReview'
        | 'midwayAnswers'
        | 'raiseAlert'
        | 'alertFor';
      child: string;
    }
  | { kind: 'alerts' }
  | { kind: 'decisionsOverdue' }
  | { kind: 'unknown'; text: string };

export type QuestionKind = Question['kind'];

/** Lower case, punctuation and extra spaces gone, "coming up"/"upcoming" read as "due". */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9@./\s-]/g, ' ')
    .replace(/\.(?=\s|$)/g, ' ')
    .replace(/\bcoming up\b|\bupcoming\b|\bdue soon\b/g, 'due')
    .replace(/\s+/g, ' ')
    .trim();
}

function thisMonth(today: LocalDate): Period {
  const m = monthOf(today);
  return { from: m.first, to: m.last, label: `this month (${rangeText(m.first, m.last)})` };
}

function yearToDate(today: LocalDate): Period {
  const year = reportingYear(today);
  return {
    from: year.first,
    to: today,
    label: `this reporting year to date (${rangeText(year.first, today)})`,
  };
}

/**
 * Reads a question typed in chat. Tolerant of case, punctuation, "review" or "reviews", "due" or
 * "coming up"; every answer names the period it covers (this month when none is given).
 */
export function parseQuestion(raw: string, today: LocalDate): Question {
  const text = normalise(raw);
  const personal = /\b(my|mine|me|i)\b/.test(text);
  if (text === '' || /^(help|hi|hello|hey|menu|commands|start|what can you do|\?)\b/.test(text)) {
    return { kind: 'help' };
  }
  const booking =
    /^(re)?(?:schedule|book|arrange) (?:the |a )?(?:next )?review (?:for|of) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (booking)
    return {
      kind: booking[1] ? 'reschedule' : 'schedule',
      child: (booking[2] as string).toUpperCase(),
    };
  const recording = /^record (?:the )?(?:last )?review (?:for|of) ([a-z0-9_-]+)$/.exec(text);
  if (recording) return { kind: 'recordReview', child: (recording[1] as string).toUpperCase() };
  const cancelling = /^cancel (?:the )?(?:next )?review (?:for|of) ([a-z0-9_-]+)$/.exec(text);
  if (cancelling) return { kind: 'cancelReview', child: (cancelling[1] as string).toUpperCase() };
  const midwayAnswers =
    /^(?:show |the )?mid ?-?way (?:answers?|checks?|reviews?|progress) (?:for|of) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (midwayAnswers)
    return { kind: 'midwayAnswers', child: (midwayAnswers[1] as string).toUpperCase() };
  const raising =
    /^(?:raise|start|open|make) (?:an? )?(?:practice )?(?:alert|escalation) (?:for|on|about) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (raising) return { kind: 'raiseAlert', child: (raising[1] as string).toUpperCase() };
  const alertFor =
    /^(?:show )?(?:the )?(?:practice )?(?:alert|escalation)s? (?:status )?(?:for|on|of|about) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (alertFor) return { kind: 'alertFor', child: (alertFor[1] as string).toUpperCase() };
  if (/\b(practice )?alerts\b|\bescalations\b/.test(text)) return { kind: 'alerts' };
  if (/\bdecisions? (?:are )?overdue\b|\boverdue decisions?\b|\bopen decisions?\b/.test(text))
    return { kind: 'decisionsOverdue' };
  const caseloadFor = /\bcaseload (?:for|of) (.+)$/.exec(text);
  if (caseloadFor) return { kind: 'caseloadFor', who: (caseloadFor[1] as string).trim() };
  if (/\b(caseload|team|service) summary\b|\bsummary\b/.test(text))
    return { kind: 'caseloadSummary' };
  if (/\bcaseloads?\b|\bmy children\b|\bmy cases\b/.test(text))
    return { kind: 'caseload', personal };
  if (/\btimeliness\b|\bon time\b/.test(text)) {
    return {
      kind: 'timeliness',
      period: parsePeriod(text, today, 'reporting') ?? yearToDate(today),
    };
  }
  if (/\bparticipation\b|\bpn ?codes?\b/.test(text)) {
    return {
      kind: 'participation',
      period: parsePeriod(text, today, 'reporting') ?? yearToDate(today),
    };
  }
  if (/\bmid ?-?way\b/.test(text)) {
    return { kind: 'midway', period: parsePeriod(text, today) ?? thisMonth(today), personal };
  }
  if (/\boverdue\b|\bmissed\b|\blate reviews?\b/.test(text)) return { kind: 'overdue', personal };
  if (/\bdue\b|\breviews?\b/.test(text)) {
    return { kind: 'due', period: parsePeriod(text, today) ?? thisMonth(today), personal };
  }
  return { kind: 'unknown', text: raw.slice(0, 200) };
}
