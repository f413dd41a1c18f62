import { formatProblem, type ExtractRefused, type ImportProblem } from './extract.js';

/** How many problems of one kind in one column are listed before the rest are counted. */
export const LISTED_PER_KIND = 10;

/**
 * A refused extract as the data team reads it: what is wrong with whole columns first, then the
 * problems in file and line order, where a problem that repeats down a column (the same date
 * format on 7,000 rows) is listed 10 times and the rest counted, then the total. Every problem
 * still counts in the total; only the listing is shorter.
 */
export function refusalLines(refused: ExtractRefused, perKind = LISTED_PER_KIND): string[] {
  const lines = (refused.columns ?? []).map((c) => `${c.file}, ${c.column}: ${c.message}`);
  const groups = groupSizes(refused.problems);
  const listed = new Map<string, number>();
  for (const problem of refused.problems) {
    const key = sameKey(problem);
    const shown = (listed.get(key) ?? 0) + 1;
    listed.set(key, shown);
    if (shown <= perKind) lines.push(formatProblem(problem));
    const size = groups.get(key) ?? 0;
    if (shown === perKind && size > perKind) {
      const more = size - perKind;
      lines.push(
        `${problem.file}: ${problem.column}: and ${more.toLocaleString('en-GB')} more like ${more === 1 ? 'it' : 'them'} further down`,
      );
    }
  }
  const n = refused.problems.length;
  lines.push(
    `Nothing was imported: ${n.toLocaleString('en-GB')} problem${n === 1 ? '' : 's'} to fix in the extract.`,
  );
  return lines;
}

function groupSizes(problems: readonly ImportProblem[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const p of problems) sizes.set(sameKey(p), (sizes.get(sameKey(p)) ?? 0) + 1);
  return sizes;
}

/**
 * Problems alike: of one kind in one column, or else with the same message once the values it
 * quotes are left out ("\"Social Worker\" is not one of …" on every row of a column).
 */
function sameKey(p: ImportProblem): string {
  const what = p.kind ?? p.message.replace(/"[^"]*"/g, '""');
  return `${p.file}\u0000${p.column}\u0000${what}`;
}
