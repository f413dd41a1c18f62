import { type PGlite, protocol } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { copyRows, isCopyFromStdin } from './copy-from-stdin.js';
import { affectedRows, readReply, type Reply } from './pglite-reply.js';

/** Told of each NOTIFY the store's statements bring back (PGlite has one session: this one). */
export type NotificationListener = (channel: string, payload: string) => void;

/**
 * node-postgres turns a JavaScript value into a parameter's text this way (dates, arrays as
 * `{...}` literals, objects as JSON). Sending PGlite the same text means a statement behaves
 * alike on both engines. `pg.utils` is exported at run time but missing from @types/pg.
 */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils
  .prepareValue;

/** Statements whose plan is worth keeping: queries and data changes, never DDL or utilities. */
const CACHEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * How many statements stay prepared, and how much SQL text they may add up to: the least
 * recently used is closed beyond either. An import's inserts of 500 rows bind 6,000 values each
 * and hold about 0.85 MB of PostgreSQL's memory once planned (60 KB of text); a query, a few KB.
 */
const STATEMENTS_KEPT = 300;
const TEXT_KEPT = 1_000_000;

/**
 * A prepared statement that is gone (26000) or whose result's shape changed under it (0A000 with
 * this message): the cache is emptied, and the statement prepared again.
 */
function isStale(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    code === '26000' || (code === '0A000' && message === 'cached plan must not change result type')
  );
}

/**
 * Kysely over PGlite, sending each statement as one batch of the extended protocol (Parse, Bind,
 * Describe, Execute, Sync) instead of PGlite's own `query`, which enters PostgreSQL six times per
 * statement and asks for the parameters' types before it binds them. Queries and data changes
 * are prepared once under a name and bound afresh after that, as the PostgreSQL drivers that
 * prepare statements do, so PostgreSQL neither parses them again nor, once it has settled on a
 * generic plan, plans them again.
 *
 * One connection, taken in turn: a transaction holds it from BEGIN to COMMIT, so no other
 * statement runs inside it. Everything the app does with PGlite goes through here.
 */
export class PgliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGlite,
    private readonly onNotification?: NotificationListener,
  ) {}

  createDriver(): Driver {
    return new PgliteDriver(this.pglite, this.onNotification);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  /** Resolves when the connection is free: each taker chains itself behind the last. */
  #free: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly pglite: PGlite,
    onNotification?: NotificationListener,
  ) {
    this.#connection = new PgliteConnection(pglite, onNotification);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#closed) throw new Error('The store is closed.');
    const previous = this.#free;
    let release!: () => void;
    this.#free = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#connection.release = release;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#connection.release;
    this.#connection.release = undefined;
    release?.();
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const modes = [
      settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
      settings.accessMode ?? '',
    ].filter(Boolean);
    await connection.executeQuery(CompiledQuery.raw(['begin', ...modes].join(' ')));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // PostgreSQL answers COMMIT of a transaction a failed statement aborted with ROLLBACK.
    await connection.executeQuery(CompiledQuery.raw('commit'));
    if ((connection as PgliteConnection).lastCommand === 'ROLLBACK')
      throw new AbortedTransactionError();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${pg.escapeIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(
      CompiledQuery.raw(`rollback to savepoint ${pg.escapeIdentifier(name)}`),
    );
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(
      CompiledQuery.raw(`release savepoint ${pg.escapeIdentifier(name)}`),
    );
  }

  /**
   * Closes PGlite once the statement or transaction in progress has ended (it holds the
   * connection, not PGlite's own locks, so PGlite's close would not wait for it); anything asked
   * after that is refused.
   */
  async destroy(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const previous = this.#free;
    this.#free = new Promise<void>(() => {});
    await previous;
    if (!this.pglite.closed) await this.pglite.close();
  }
}

class PgliteConnection implements DatabaseConnection {
  release: (() => void) | undefined;
  /** The command tag of the last statement that completed (COMMIT, ROLLBACK, SELECT 3, ...). */
  lastCommand = '';
  /** SQL text → name of its prepared statement, least recently used first. */
  readonly #prepared = new Map<string, string>();
  /** Names evicted from the cache, closed with the next batch sent. */
  #toClose: string[] = [];
  #nextName = 0;
  #textKept = 0;
  #inTransaction = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly onNotification?: NotificationListener,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const cached = this.#prepared.has(compiled.sql);
    try {
      return await this.#run<R>(compiled);
    } catch (error) {
      if (!cached || !isStale(error)) throw withCaller(error);
      // Someone deallocated our statements or changed a table under one: start afresh. Inside
      // a transaction the error has already aborted it; outside, nothing was done, and the
      // statement is prepared and run again.
      for (const name of this.#prepared.values()) this.#toClose.push(name);
      this.#prepared.clear();
      this.#textKept = 0;
      if (this.#inTransaction) throw withCaller(error);
      try {
        return await this.#run<R>(compiled);
      } catch (again) {
        throw withCaller(again);
      }
    }
  }

  // eslint-disable-next-line require-yield -- streaming is not offered, as with Kysely's own
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  async #run<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (isCopyFromStdin(compiled.sql)) return this.#copy<R>(compiled);
    const text = compiled.sql;
    const values = compiled.parameters.map((value) => prepareValue(value) as string | null);
    const known = this.#prepared.get(text);
    let name = known ?? '';
    const batch: Uint8Array[] = this.#toClose.map((closing) =>
      protocol.serialize.close({ type: 'S', name: closing }),
    );
    this.#toClose = [];
    if (known !== undefined) {
      // Most recently used goes last.
      this.#prepared.delete(text);
      this.#prepared.set(text, known);
    } else {
      if (CACHEABLE.test(text) && text.length <= TEXT_KEPT / 4) {
        this.#nextName += 1;
        name = `k${this.#nextName}`;
      }
      batch.push(protocol.serialize.parse({ name, text }));
    }
    batch.push(
      protocol.serialize.bind({ statement: name, values }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    );
    const reply = await this.#send(batch);
    // Only a statement parsed in this batch has a ParseComplete.
    if (reply.parsed && name !== '') this.#keep(text, name);
    return this.#done<R>(reply);
  }

  /**
   * COPY ... FROM STDIN, with its rows (COPY's text format) as the one parameter: the statement,
   * its data and the end of the data go in one batch, as PGlite cannot take a copy's data in a
   * later call. An error ends the copy; PostgreSQL drops the data that follows it.
   */
  async #copy<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const rows = Buffer.from(copyRows(compiled.parameters));
    const reply = await this.#send([
      protocol.serialize.query(compiled.sql),
      protocol.serialize.copyData(
        rows.buffer.slice(rows.byteOffset, rows.byteOffset + rows.length),
      ),
      protocol.serialize.copyDone(),
    ]);
    return this.#done<R>(reply);
  }

  /**
   * Sends one batch and reads the reply's bytes as PostgreSQL wrote them (each chunk is a view of
   * PGlite's memory, so copied), with `readReply` rather than PGlite's parser.
   */
  async #send(batch: Uint8Array[]): Promise<Reply> {
    const chunks: Buffer[] = [];
    await this.pglite.execProtocolRawStream(Buffer.concat(batch), {
      syncToFs: false,
      onRawData: (chunk) => chunks.push(Buffer.from(chunk)),
    });
    return readReply(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), this.pglite.parsers);
  }

  async #done<R>(reply: Reply): Promise<QueryResult<R>> {
    this.#inTransaction = reply.status !== 'I';
    this.lastCommand = reply.command;
    for (const { channel, payload } of reply.notifications) this.onNotification?.(channel, payload);
    if (!this.#inTransaction) await this.pglite.syncToFs();
    if (reply.error !== undefined) throw reply.error;
    return { rows: reply.rows as R[], numAffectedRows: affectedRows(reply.command) };
  }

  #keep(text: string, name: string): void {
    this.#prepared.set(text, name);
    this.#textKept += text.length;
    while (this.#prepared.size > STATEMENTS_KEPT || this.#textKept > TEXT_KEPT) {
      const [oldestText, oldestName] = this.#prepared.entries().next().value as [string, string];
      this.#prepared.delete(oldestText);
      this.#textKept -= oldestText.length;
      this.#toClose.push(oldestName);
    }
  }
}

/**
 * The error as PostgreSQL sent it, with the caller's frames added to its stack (the protocol
 * parser made it, so its own stack ends in PGlite). No statement text nor value is added.
 */
function withCaller(error: unknown): unknown {
  const caller = new Error().stack;
  if (error instanceof Error && typeof error.stack === 'string' && caller)
    error.stack += `\n${caller.split('\n').slice(2).join('\n')}`;
  return error;
}
