/**
 * The shapes a date column takes when a spreadsheet has rewritten it. A whole column in the
 * wrong shape would otherwise be thousands of lines that all say the same thing; knowing the
 * shape lets the import say once what was found and how to put it right.
 */
export interface DateShape {
  /** Stable name, used to group problems of one kind. */
  id: string;
  /** How the values are written, as a data officer would recognise it. */
  writtenAs: string;
  /** What to do about it: a sentence, after "the 903 needs dd/mm/yyyy." */
  fix: string;
}

const EXCEL_FORMAT =
  'In Excel, select the column, Format Cells > Custom, type dd/mm/yyyy, then save again as "CSV UTF-8 (Comma delimited)".';

const SHAPES: readonly (DateShape & { test: (text: string) => boolean })[] = [
  {
    id: 'yyyy-mm-dd',
    writtenAs: 'yyyy-mm-dd',
    fix: EXCEL_FORMAT,
    test: (t) => /^\d{4}-\d{1,2}-\d{1,2}$/.test(t),
  },
  {
    id: 'with-time',
    writtenAs: 'a date with a time',
    fix: `The time is not wanted. ${EXCEL_FORMAT}`,
    test: (t) => /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4})[T ]\d{1,2}:\d{2}/.test(t),
  },
  {
    id: 'dd/mm/yy',
    writtenAs: 'dd/mm/yy, with a two-digit year',
    fix: `The year needs four digits. ${EXCEL_FORMAT}`,
    test: (t) => /^\d{1,2}\/\d{1,2}\/\d{2}$/.test(t),
  },
  {
    id: 'mm/dd/yyyy',
    writtenAs: 'mm/dd/yyyy, month first as in the US',
    fix: `Dates whose day is 12 or less (7/4/2012) were read day first, so they need putting right too. ${EXCEL_FORMAT}`,
    test: (t) => {
      const m = /^(\d{1,2})\/(\d{1,2})\/\d{4}$/.exec(t);
      return m !== null && Number(m[1]) <= 12 && Number(m[2]) > 12 && Number(m[2]) <= 31;
    },
  },
  {
    id: 'dd-mm-yyyy',
    writtenAs: 'dd-mm-yyyy or dd.mm.yyyy',
    fix: EXCEL_FORMAT,
    test: (t) => /^\d{1,2}([-.])\d{1,2}\1\d{4}$/.test(t),
  },
  {
    id: 'serial',
    writtenAs:
      "a number (Excel's own count of days, shown when a date cell is formatted as General)",
    fix: EXCEL_FORMAT,
    test: (t) => /^\d{5}(\.\d+)?$/.test(t),
  },
];

/** The shape of a value that is not a dd/mm/yyyy date, when it is one the import knows. */
export function dateShape(text: string): DateShape | undefined {
  return described(SHAPES.find((s) => s.test(text.trim())));
}

/** A shape by the id a problem's kind carries (`date:<id>`). */
export function dateShapeById(id: string): DateShape | undefined {
  return described(SHAPES.find((s) => s.id === id));
}

function described(found: (typeof SHAPES)[number] | undefined): DateShape | undefined {
  return found && { id: found.id, writtenAs: found.writtenAs, fix: found.fix };
}
