/**
 * One `Intl.DateTimeFormat` per locale, options and time zone, made on first use and kept: making
 * one loads the zone's and the locale's data (a tenth of a millisecond or more), and the server
 * formats today's date and card times on every bot turn. A formatter is immutable, so sharing it
 * is safe. An unknown time zone still throws a RangeError, as the constructor does.
 */
const made = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = made.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    made.set(key, format);
  }
  return format;
}
