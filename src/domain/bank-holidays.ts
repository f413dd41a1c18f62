import { createRequire } from 'node:module';
import { parseIsoDate, type LocalDate } from './local-date.js';

interface BankHolidayFile {
  events: { date: string; title: string }[];
}

const require = createRequire(import.meta.url);
const shipped = require('./bank-holidays-england-wales.json') as BankHolidayFile;

/** The bank holidays of England and Wales shipped with the project (2015 to 2030). */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly LocalDate[] = shipped.events.map((e) => {
  const date = parseIsoDate(e.date);
  if (!date) throw new Error(`bank-holidays-england-wales.json holds a bad date: ${e.date}`);
  return date;
});

export const BANK_HOLIDAY_YEARS = {
  first: Number(ENGLAND_AND_WALES_BANK_HOLIDAYS[0]?.slice(0, 4)),
  last: Number(ENGLAND_AND_WALES_BANK_HOLIDAYS.at(-1)?.slice(0, 4)),
};
