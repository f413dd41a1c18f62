/**
 * `COPY table (columns) FROM STDIN`, as the store's two dialects take it: a statement whose one
 * parameter is its rows in COPY's text format (`copyChunks` in `bulk-insert.ts` writes them).
 * PostgreSQL itself has no parameters for COPY; each dialect sends the statement, then the rows as
 * the copy's data, then the end of the data.
 */
const COPY_FROM_STDIN = /^\s*copy\s[^;]*\sfrom\s+stdin\b/i;

export function isCopyFromStdin(text: string): boolean {
  return COPY_FROM_STDIN.test(text);
}

/** The rows of a COPY ... FROM STDIN statement: its one parameter, a string. */
export function copyRows(parameters: readonly unknown[] | undefined): string {
  const [data] = parameters ?? [];
  if (typeof data !== 'string' || parameters?.length !== 1)
    throw new Error('COPY FROM STDIN takes its rows as one parameter, a string.');
  return data;
}
