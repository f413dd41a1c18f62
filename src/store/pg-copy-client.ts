import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyRows, isCopyFromStdin } from './copy-from-stdin.js';

type Callback = (error: Error | null, result?: pg.QueryResult) => void;

/**
 * node-postgres's client, taking `COPY ... FROM STDIN` as the store's dialects do
 * (`copy-from-stdin.ts`): the rows come as the statement's one parameter and are sent as the
 * copy's data through pg-copy-streams (by node-postgres's author). Everything else is
 * node-postgres's own `query`. The pool makes its clients from this class (`Client` in pg-pool's
 * options), so Kysely's PostgreSQL dialect runs a COPY in its transaction like any statement.
 */
export class CopyingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // node-postgres's `query` has a dozen overloads: this adds a case in front of them and hands
    // every call it does not take to them unchanged. A copy answers a callback, if the call ends
    // with one, as node-postgres does; otherwise its promise.
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text !== 'string' || !isCopyFromStdin(text)) return query(...args);
      const copied = (async () => this.#copy(text, copyRows(values as unknown[] | undefined)))();
      const callback = args.at(-1);
      if (typeof callback !== 'function') return copied;
      copied.then(
        (result) => (callback as Callback)(null, result),
        (error: Error) => (callback as Callback)(error),
      );
      return undefined;
    }) as pg.Client['query'];
  }

  async #copy(text: string, rows: string): Promise<pg.QueryResult> {
    const copy = super.query(copyFrom(text));
    // A refused row rejects here, and PostgreSQL has ended the copy: the connection takes the
    // next statement (the transaction's rollback). A lost connection rejects here too; the
    // client then emits 'error', and the pool drops it when it comes back.
    await pipeline(Readable.from([Buffer.from(rows)]), copy);
    // Kysely counts the rows of INSERT, UPDATE, DELETE and MERGE only: a COPY FROM adds rows as
    // an insert does, and is told as one so that its count reaches the caller (as on PGlite).
    return { command: 'INSERT', rowCount: copy.rowCount, rows: [], fields: [], oid: 0 };
  }
}
