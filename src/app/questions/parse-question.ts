import { monthOf, reportingYear, type LocalDate } from '../../domain/local-date.js';
import { printableText, withoutLinks } from '../../shared/printable-text.js';
import { readPeriod, rangeText, type Period } from './parse-period.js';

export type Question =
  | { kind: 'help' }
  | { kind: 'due'; period: Period; personal: boolean }
  | { kind: 'overdue'; personal: boolean }
  /** The children whose next due date cannot be known (last review before the extract). */
  | { kind: 'dueUnknown'; personal: boolean }
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
  /** The IRO's reviews held whose decisions are not recorded, as the digest lists them. */
  | { kind: 'decisionsNotRecorded' }
  /** The IRO's review records not marked distributed in time, as the digest lists them. */
  | { kind: 'recordsToDistribute' }
  | { kind: 'annualReport' }
  /** `text`: what was typed, safe to quote back in a card (see quotable). */
  | { kind: 'unknown'; text: string }
  /** A period was named that cannot be used: `problem` says why, in words a card can show. */
  | { kind: 'periodUnclear'; text: string; problem: string };

export type QuestionKind = Question['kind'];
type ChildQuestion = Extract<Question, { child: string }>;

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
  // A CHILD id has at most 20 characters (the import's rule): a longer one is not understood.
  const about = (kind: ChildQuestion['kind'], id: string): Question =>
    id.length <= 20 ? { kind, child: id.toUpperCase() } : { kind: 'unknown', text: quotable(raw) };
  const booking =
    /^(re)?(?:schedule|book|arrange) (?:the |a )?(?:next )?review (?:for|of) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (booking) return about(booking[1] ? 'reschedule' : 'schedule', booking[2] as string);
  const recording = /^record (?:the )?(?:last )?review (?:for|of) ([a-z0-9_-]+)$/.exec(text);
  if (recording) return about('recordReview', recording[1] as string);
  const cancelling = /^cancel (?:the )?(?:next )?review (?:for|of) ([a-z0-9_-]+)$/.exec(text);
  if (cancelling) return about('cancelReview', cancelling[1] as string);
  const midwayAnswers =
    /^(?:show |the )?mid ?-?way (?:answers?|checks?|reviews?|progress) (?:for|of) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (midwayAnswers) return about('midwayAnswers', midwayAnswers[1] as string);
  const raising =
    /^(?:raise|start|open|make) (?:an? )?(?:practice )?(?:alert|escalation) (?:for|on|about) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (raising) return about('raiseAlert', raising[1] as string);
  const alertFor =
    /^(?:show )?(?:the )?(?:practice )?(?:alert|escalation)s? (?:status )?(?:for|on|of|about) ([a-z0-9_-]+)$/.exec(
      text,
    );
  if (alertFor) return about('alertFor', alertFor[1] as string);
  if (/\b(practice )?alerts\b|\bescalations\b/.test(text)) return { kind: 'alerts' };
  if (
    /\bdecisions? (?:(?:are )?not (?:yet )?|yet to be )recorded\b|\bunrecorded decisions?\b|\breviews? to record\b/.test(
      text,
    )
  )
    return { kind: 'decisionsNotRecorded' };
  if (
    /\brecords? (?:(?:are )?not (?:yet )?distributed|to (?:be )?distribute)|\bundistributed (?:review )?records?\b/.test(
      text,
    )
  )
    return { kind: 'recordsToDistribute' };
  if (/\bdecisions? (?:are )?overdue\b|\boverdue decisions?\b|\bopen decisions?\b/.test(text))
    return { kind: 'decisionsOverdue' };
  if (/\b(?:iro )?annual report\b|\biro report\b/.test(text)) return { kind: 'annualReport' };
  const caseloadFor = /\bcaseload (?:for|of) (.+)$/.exec(text);
  // A name or an e-mail address (at most 320 characters): the answer may quote it.
  if (caseloadFor) {
    // Quoted back as typed ("Alex Wilber", not "alex wilber"); matched without case.
    const typed = /\bcaseload\s+(?:for|of)\s+(.+)$/i
      .exec(raw.trim())?.[1]
      ?.replace(/[\s?!.,;:]+$/, '');
    const who = typed ? printableText(typed, 320).trim() : '';
    return { kind: 'caseloadFor', who: who || (caseloadFor[1] as string).slice(0, 320).trim() };
  }
  if (/\b(caseload|team|service) summary\b|\bsummary\b/.test(text))
    return { kind: 'caseloadSummary' };
  if (/\bcaseloads?\b|\bmy children\b|\bmy cases\b/.test(text))
    return { kind: 'caseload', personal };
  /** The question with the period named (`fallback` when none is), or what is wrong with it. */
  const withPeriod = <Q extends Question>(
    years: 'reporting' | 'calendar',
    fallback: Period,
    make: (period: Period) => Q,
  ): Q | Extract<Question, { kind: 'periodUnclear' }> => {
    const reading = readPeriod(text, today, years);
    if (reading && 'problem' in reading)
      return { kind: 'periodUnclear', text: quotable(raw), problem: reading.problem };
    return make(reading?.period ?? fallback);
  };
  if (
    /\bno known due dates?\b|\bdue dates? (?:is |are )?(?:unknown|not known)\b|\bunknown due dates?\b/.test(
      text,
    )
  )
    return { kind: 'dueUnknown', personal };
  if (/\btimeliness\b|\bon time\b/.test(text)) {
    return withPeriod('reporting', yearToDate(today), (p) => ({ kind: 'timeliness', period: p }));
  }
  if (/\bparticipation\b|\bpn ?codes?\b/.test(text)) {
    return withPeriod('reporting', yearToDate(today), (p) => ({
      kind: 'participation',
      period: p,
    }));
  }
  if (/\bmid ?-?way\b/.test(text)) {
    return withPeriod('calendar', thisMonth(today), (p) => ({
      kind: 'midway',
      period: p,
      personal,
    }));
  }
  if (/\boverdue\b|\bmissed\b|\blate reviews?\b/.test(text)) return { kind: 'overdue', personal };
  if (/\bdue\b|\breviews?\b/.test(text)) {
    return withPeriod('calendar', thisMonth(today), (p) => ({ kind: 'due', period: p, personal }));
  }
  return { kind: 'unknown', text: quotable(raw) };
}

/**
 * What was typed, as a card may quote it back ("Sorry, I didn't understand ..."), to a group
 * chat too: no control characters or direction overrides, no half of an emoji, at most 200
 * characters, and no Markdown link or image (a card would show `[text](url)` as a link that
 * seems to come from the bot).
 */
function quotable(raw: string): string {
  return printableText(withoutLinks(raw).trim(), 200);
}
