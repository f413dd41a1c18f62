/**
 * A second, independent computation of the England and Wales bank holidays for the review
 * oracle. It shares nothing with src/domain: JavaScript Dates in UTC, Easter by the Oudin (1940)
 * algorithm as the US Naval Observatory publishes it, and its own copy of the one-off days.
 */

/** Days a proclamation took away from the usual rules (they moved elsewhere). */
const NOT_HOLIDAYS = new Set([
  '1995-05-01', // early May, moved to 8 May (VE day)
  '2002-05-27', // spring, moved to 4 June (Golden Jubilee)
  '2012-05-28', // spring, moved to 4 June (Diamond Jubilee)
  '2020-05-04', // early May, moved to 8 May (VE day)
  '2022-05-30', // spring, moved to 2 June (Platinum Jubilee)
]);

/** Days a proclamation added: moved days and special days. */
const EXTRA_HOLIDAYS = [
  '1981-07-29', // royal wedding
  '1995-05-08', // early May (VE day)
  '1999-12-31', // millennium
  '2002-06-03', // Golden Jubilee
  '2002-06-04', // spring (moved)
  '2011-04-29', // royal wedding
  '2012-06-04', // spring (moved)
  '2012-06-05', // Diamond Jubilee
  '2020-05-08', // early May (VE day)
  '2022-06-02', // spring (moved)
  '2022-06-03', // Platinum Jubilee
  '2022-09-19', // state funeral of Queen Elizabeth II
  '2023-05-08', // coronation of King Charles III
];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (year: number, monthIndex: number, day: number) =>
  new Date(Date.UTC(year, monthIndex, day));
const plusDays = (d: Date, n: number) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n));
const weekend = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6;

function easter(y: number): Date {
  const div = (a: number, b: number) => Math.trunc(a / b);
  const c = div(y, 100);
  const n = y - 19 * div(y, 19);
  const k = div(c - 17, 25);
  let i = c - div(c, 4) - div(c - k, 3) + 19 * n + 15;
  i = i - 30 * div(i, 30);
  i = i - div(i, 28) * (1 - div(i, 28) * div(29, i + 1) * div(21 - n, 11));
  let j = y + div(y, 4) + i + 2 - c + div(c, 4);
  j = j - 7 * div(j, 7);
  const l = i - j;
  const m = 3 + div(l + 40, 44);
  const d = l + 28 - 31 * div(m, 4);
  return utc(y, m - 1, d);
}

/** The Monday on or after `d`. */
function mondayFrom(d: Date): Date {
  let x = d;
  while (x.getUTCDay() !== 1) x = plusDays(x, 1);
  return x;
}

/** The Monday on or before `d`. */
function mondayUpTo(d: Date): Date {
  let x = d;
  while (x.getUTCDay() !== 1) x = plusDays(x, -1);
  return x;
}

/** The bank holidays of England and Wales in `year`, as sorted `YYYY-MM-DD` strings. */
export function oracleBankHolidays(year: number): string[] {
  const days: string[] = [];
  const take = (d: Date) => days.push(iso(d));

  const e = easter(year);
  take(plusDays(e, -2));
  take(plusDays(e, 1));
  take(mondayFrom(utc(year, 4, 1)));
  take(mondayUpTo(utc(year, 4, 31)));
  take(mondayUpTo(utc(year, 7, 31)));

  // New Year's Day: the next Monday when it falls at a weekend.
  const newYear = utc(year, 0, 1);
  take(weekend(newYear) ? mondayFrom(newYear) : newYear);

  // Christmas and Boxing Day, by the weekday of 25 December: Friday (Boxing Day on Saturday)
  // gives Monday 28; Saturday gives Monday 27 and Tuesday 28; Sunday gives Monday 26 (Boxing
  // Day) and Tuesday 27 (Christmas substitute).
  const december: Record<number, [number, number]> = { 5: [25, 28], 6: [27, 28], 0: [26, 27] };
  const [first, second] = december[utc(year, 11, 25).getUTCDay()] ?? [25, 26];
  take(utc(year, 11, first));
  take(utc(year, 11, second));

  return [
    ...days.filter((x) => !NOT_HOLIDAYS.has(x)),
    ...EXTRA_HOLIDAYS.filter((x) => x.startsWith(`${year}-`)),
  ].sort();
}

const byYear = new Map<number, Set<string>>();

/** Whether `date` (`YYYY-MM-DD`) is a bank holiday in England and Wales. */
export function oracleIsBankHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  if (!byYear.has(year)) byYear.set(year, new Set(oracleBankHolidays(year)));
  return byYear.get(year)?.has(date) ?? false;
}
