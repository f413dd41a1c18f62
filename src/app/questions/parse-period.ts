import { longDate } from '../../domain/date-text.js';
import {
  addDays,
  addMonths,
  dayOfWeek,
  MONTH_NAMES,
  monthOf,
  parseIsoDate,
  parts,
  reportingYear,
  type LocalDate,
} from '../../domain/local-date.js';

export interface Period {
  from: LocalDate;
  to: LocalDate;
  /** What the answer says it covers, e.g. "this month (1 to 30 November 2026)". */
  label: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

export function rangeText(from: LocalDate, to: LocalDate): string {
  const a = parts(from);
  const b = parts(to);
  if (from === to) return longDate(from);
  if (a.year === b.year && a.month === b.month)
    return `${a.day} to ${b.day} ${MONTH_NAMES[b.month - 1]} ${b.year}`;
  if (a.year === b.year) return `${a.day} ${MONTH_NAMES[a.month - 1]} to ${longDate(to)}`;
  return `${longDate(from)} to ${longDate(to)}`;
}

function labelled(name: string, from: LocalDate, to: LocalDate): Period {
  return { from, to, label: `${name} (${rangeText(from, to)})` };
}

function quarterOf(date: LocalDate): { first: LocalDate; last: LocalDate } {
  const { year, month } = parts(date);
  const firstMonth = Math.floor((month - 1) / 3) * 3 + 1;
  const first = `${year}-${String(firstMonth).padStart(2, '0')}-01` as LocalDate;
  return { first, last: monthOf(addMonths(first, 2)).last };
}

/** What a named day reads as: a real date, or the text that is not one. */
type NamedDay = { day: LocalDate } | { notADate: string } | undefined;

const MONTH_PATTERN = MONTHS.map((m) => `${m.slice(0, 3)}[a-z]*`).join('|');

/**
 * A day named in text: "15 January", "15th jan 2027", "January 15", "15/01/2027", "2027-01-15". Without a
 * year, the next such day from today, or this year's when it passed less than 31 days ago (the
 * asker most likely means the one just gone, and is told it has passed).
 */
function namedDay(text: string, today: LocalDate): NamedDay {
  const numeric = /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?\b/.exec(text);
  let day: number;
  let month: number;
  let year: number | undefined;
  let said: string;
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) {
    said = iso[0];
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (numeric) {
    said = numeric[0];
    day = Number(numeric[1]);
    month = Number(numeric[2]);
    year = numeric[3]
      ? Number(numeric[3].length === 2 ? `20${numeric[3]}` : numeric[3])
      : undefined;
  } else {
    const dayFirst = new RegExp(
      `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_PATTERN})(?:\\s+(\\d{4}))?`,
    ).exec(text);
    const monthFirst = new RegExp(
      `\\b(${MONTH_PATTERN})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`,
    ).exec(text);
    const m = dayFirst ?? monthFirst;
    if (!m) return undefined;
    const [dayText, monthText] = dayFirst ? [m[1], m[2]] : [m[2], m[1]];
    said = m[0];
    day = Number(dayText);
    month = MONTHS.findIndex((name) => monthText?.startsWith(name.slice(0, 3))) + 1;
    year = m[3] ? Number(m[3]) : undefined;
  }
  const { year: thisYear } = parts(today);
  // A real date in the years the app knows (parseIsoDate's range), or none.
  const candidate = (y: number) =>
    parseIsoDate(
      `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    );
  let found = year !== undefined ? candidate(year) : candidate(thisYear);
  if (year === undefined && !(found && found >= addDays(today, -31))) {
    // 29 February comes round in one of the next four years.
    found = [1, 2, 3, 4].map((n) => candidate(thisYear + n)).find((d) => d !== undefined);
  }
  return found ? { day: found } : { notADate: said };
}

/** A month named in text: "in January", "during march 2027", "december". */
function namedMonth(text: string, today: LocalDate): Period | undefined {
  // "may" alone is too common a word: a month only after in, during or for, or with a year.
  const m = new RegExp(
    `\\b(?:(?:in|during|for) (${MONTH_PATTERN})|(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec))(?: (\\d{4}))?\\b|\\b(may) (\\d{4})\\b`,
  ).exec(text);
  if (!m) return undefined;
  const name = (m[1] ?? m[2] ?? m[4]) as string;
  const index = MONTHS.findIndex((month) => name.startsWith(month.slice(0, 3)));
  if (index < 0 || (name.length > 4 && !(MONTHS[index] as string).startsWith(name))) {
    return undefined;
  }
  const yearText = m[3] ?? m[5];
  const first = (y: number) =>
    parseIsoDate(`${String(y).padStart(4, '0')}-${String(index + 1).padStart(2, '0')}-01`);
  const { year } = parts(today);
  let start = yearText ? first(Number(yearText)) : first(year);
  // Without a year, the month to come (this one while it lasts).
  if (!yearText && start && monthOf(start).last < today) start = first(year + 1);
  if (!start) return undefined;
  const { first: from, last: to } = monthOf(start);
  return labelled(`in ${MONTH_NAMES[index]} ${parts(from).year}`, from, to);
}

/** The period a question names, or what is wrong with the one it tried to name. */
export type PeriodReading = { period: Period } | { problem: string } | undefined;

/**
 * The period a question names, relative to `today`. Understands this/next week, this/next/last
 * month, this/next/last quarter, this/last year (reporting years run April to March when
 * `years` is 'reporting'), "in the next 4 weeks", "next 10 days", "before 15 January",
 * "by 15/01/2027", "in January", "on 15 January", "today". Returns undefined when the text
 * names no period, and a problem when it names one that cannot be used (a day that is not in the
 * calendar, a limit already past, the next 0 weeks).
 */
export function readPeriod(
  text: string,
  today: LocalDate,
  years: 'reporting' | 'calendar' = 'calendar',
): PeriodReading {
  const t = text.toLowerCase();
  const found = (period: Period | undefined) => (period ? { period } : undefined);
  if (/\btoday\b/.test(t)) return found(labelled('today', today, today));
  if (/\btomorrow\b/.test(t))
    return found(labelled('tomorrow', addDays(today, 1), addDays(today, 1)));
  const monday = addDays(today, -((dayOfWeek(today) + 6) % 7));
  if (/\bthis week\b/.test(t)) return found(labelled('this week', monday, addDays(monday, 6)));
  if (/\bnext week\b/.test(t))
    return found(labelled('next week', addDays(monday, 7), addDays(monday, 13)));
  const ahead =
    /\b(?:in the |within the |over the )?next (\d{1,3}|one|two|three|four|six|eight|twelve) (day|week|month)s?\b/.exec(
      t,
    );
  if (ahead) {
    const words: Record<string, number> = {
      one: 1,
      two: 2,
      three: 3,
      four: 4,
      six: 6,
      eight: 8,
      twelve: 12,
    };
    const n = words[ahead[1] as string] ?? Number(ahead[1]);
    const unit = ahead[2] as string;
    if (n === 0) {
      return {
        problem: `"next 0 ${unit}s" is no time at all: ask for the next 1 ${unit} or more.`,
      };
    }
    const to =
      unit === 'day'
        ? addDays(today, n)
        : unit === 'week'
          ? addDays(today, 7 * n)
          : addMonths(today, n);
    return found(labelled(`in the next ${n} ${unit}${n === 1 ? '' : 's'}`, today, to));
  }
  if (/\bthis month\b/.test(t)) {
    const m = monthOf(today);
    return found(labelled('this month', m.first, m.last));
  }
  if (/\bnext month\b/.test(t)) {
    const m = monthOf(addMonths(monthOf(today).first, 1));
    return found(labelled('next month', m.first, m.last));
  }
  if (/\blast month\b/.test(t)) {
    const m = monthOf(addMonths(monthOf(today).first, -1));
    return found(labelled('last month', m.first, m.last));
  }
  if (/\b(this|next|last) quarter\b/.test(t)) {
    const which = /\b(this|next|last) quarter\b/.exec(t)?.[1] as string;
    const shift = which === 'this' ? 0 : which === 'next' ? 3 : -3;
    const q = quarterOf(addMonths(quarterOf(today).first, shift));
    return found(labelled(`${which} quarter`, q.first, q.last));
  }
  if (/\b(this|last) year\b|\byear to date\b/.test(t)) {
    const last = /\blast year\b/.test(t);
    if (years === 'reporting') {
      const current = reportingYear(today);
      if (last) {
        const previous = reportingYear(addDays(current.first, -1));
        return found(labelled('last reporting year', previous.first, previous.last));
      }
      return found(labelled('this reporting year to date', current.first, today));
    }
    const y = parts(today).year - (last ? 1 : 0);
    return found(
      labelled(
        last ? 'last year' : 'this year',
        `${y}-01-01` as LocalDate,
        `${y}-12-31` as LocalDate,
      ),
    );
  }
  const reportingYearNamed = /\b(\d{4})[/-](\d{2})\b/.exec(t);
  if (reportingYearNamed) {
    const start = Number(reportingYearNamed[1]);
    const first = parseIsoDate(`${reportingYearNamed[1]}-04-01`);
    if (first && Number(reportingYearNamed[2]) === (start + 1) % 100) {
      const { last } = reportingYear(first);
      return found(labelled(`the reporting year ${reportingYearNamed[0]}`, first, last));
    }
  }
  const limit = /\b(before|by|until|till)\b(.*)$/.exec(t);
  const named = namedDay(limit ? (limit[2] as string) : t, today);
  if (named && 'notADate' in named) {
    return { problem: `"${named.notADate}" is not a date in the calendar.` };
  }
  if (!named && limit && limit[1] !== 'by') {
    return {
      problem: `I could not read a date after "${limit[1]}": try "${limit[1]} 15 January".`,
    };
  }
  if (named && limit) {
    const { day } = named;
    const to = limit[1] === 'before' ? addDays(day, -1) : day;
    if (to < today) {
      return {
        problem: `${longDate(day)} has passed: reviews due before today are overdue (ask "overdue reviews").`,
      };
    }
    return {
      period: { from: today, to, label: `${limit[1]} ${longDate(day)} (${rangeText(today, to)})` },
    };
  }
  if (named) return found({ from: named.day, to: named.day, label: `on ${longDate(named.day)}` });
  return found(namedMonth(t, today));
}

/** The period a question names, or undefined when it names none or one that cannot be used. */
export function parsePeriod(
  text: string,
  today: LocalDate,
  years: 'reporting' | 'calendar' = 'calendar',
): Period | undefined {
  const reading = readPeriod(text, today, years);
  return reading && 'period' in reading ? reading.period : undefined;
}
