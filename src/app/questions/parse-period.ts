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

export function longDate(date: LocalDate): string {
  const { year, month, day } = parts(date);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

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

/** A day named in text: "15 January", "15th jan 2027", "January 15", "15/01/2027". */
function namedDay(text: string, today: LocalDate): LocalDate | undefined {
  const numeric = /(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?/.exec(text);
  let day: number;
  let month: number;
  let year: number | undefined;
  if (numeric) {
    day = Number(numeric[1]);
    month = Number(numeric[2]);
    year = numeric[3]
      ? Number(numeric[3].length === 2 ? `20${numeric[3]}` : numeric[3])
      : undefined;
  } else {
    const monthPattern = MONTHS.map((m) => `${m.slice(0, 3)}[a-z]*`).join('|');
    const dayFirst = new RegExp(
      `(\\d{1,2})(?:st|nd|rd|th)?\\s+(${monthPattern})(?:\\s+(\\d{4}))?`,
    ).exec(text);
    const monthFirst = new RegExp(
      `(${monthPattern})\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?`,
    ).exec(text);
    const m = dayFirst ?? monthFirst;
    if (!m) return undefined;
    const [dayText, monthText] = dayFirst ? [m[1], m[2]] : [m[2], m[1]];
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
  if (year !== undefined) return candidate(year);
  const sameYear = candidate(thisYear);
  return sameYear && sameYear >= today ? sameYear : candidate(thisYear + 1);
}

/**
 * The period a question names, relative to `today`. Understands this/next week, this/next/last
 * month, this/next/last quarter, this/last year (reporting years run April to March when
 * `years` is 'reporting'), "in the next 4 weeks", "next 10 days", "before 15 January",
 * "by 15/01/2027", "today". Returns undefined when the text names no period.
 */
export function parsePeriod(
  text: string,
  today: LocalDate,
  years: 'reporting' | 'calendar' = 'calendar',
): Period | undefined {
  const t = text.toLowerCase();
  if (/\btoday\b/.test(t)) return labelled('today', today, today);
  if (/\btomorrow\b/.test(t)) return labelled('tomorrow', addDays(today, 1), addDays(today, 1));
  const monday = addDays(today, -((dayOfWeek(today) + 6) % 7));
  if (/\bthis week\b/.test(t)) return labelled('this week', monday, addDays(monday, 6));
  if (/\bnext week\b/.test(t))
    return labelled('next week', addDays(monday, 7), addDays(monday, 13));
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
    const to =
      unit === 'day'
        ? addDays(today, n)
        : unit === 'week'
          ? addDays(today, 7 * n)
          : addMonths(today, n);
    return labelled(`in the next ${n} ${unit}${n === 1 ? '' : 's'}`, today, to);
  }
  if (/\bthis month\b/.test(t)) {
    const m = monthOf(today);
    return labelled('this month', m.first, m.last);
  }
  if (/\bnext month\b/.test(t)) {
    const m = monthOf(addMonths(monthOf(today).first, 1));
    return labelled('next month', m.first, m.last);
  }
  if (/\blast month\b/.test(t)) {
    const m = monthOf(addMonths(monthOf(today).first, -1));
    return labelled('last month', m.first, m.last);
  }
  if (/\b(this|next|last) quarter\b/.test(t)) {
    const which = /\b(this|next|last) quarter\b/.exec(t)?.[1] as string;
    const shift = which === 'this' ? 0 : which === 'next' ? 3 : -3;
    const q = quarterOf(addMonths(quarterOf(today).first, shift));
    return labelled(`${which} quarter`, q.first, q.last);
  }
  if (/\b(this|last) year\b|\byear to date\b/.test(t)) {
    const last = /\blast year\b/.test(t);
    if (years === 'reporting') {
      const current = reportingYear(today);
      if (last) {
        const previous = reportingYear(addDays(current.first, -1));
        return labelled('last reporting year', previous.first, previous.last);
      }
      return labelled('this reporting year to date', current.first, today);
    }
    const y = parts(today).year - (last ? 1 : 0);
    return labelled(
      last ? 'last year' : 'this year',
      `${y}-01-01` as LocalDate,
      `${y}-12-31` as LocalDate,
    );
  }
  const limit = /\b(before|by|until|till)\b(.*)$/.exec(t);
  if (limit) {
    const day = namedDay(limit[2] as string, today);
    const to = day && limit[1] === 'before' ? addDays(day, -1) : day;
    // A limit already past names no period from today (the answer then says which it covers).
    if (day && to && to >= today) {
      return { from: today, to, label: `${limit[1]} ${longDate(day)} (${rangeText(today, to)})` };
    }
  }
  return undefined;
}
