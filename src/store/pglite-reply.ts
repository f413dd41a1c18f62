import { protocol, type messages } from '@electric-sql/pglite';

type Parser = (text: string, typeId: number) => unknown;

/** What the PGlite dialect needs of PostgreSQL's reply to one statement's batch. */
export interface Reply {
  /** The rows, as objects by column name, each value through its type's parser. */
  rows: Record<string, unknown>[];
  /** The last command tag: `SELECT 3`, `INSERT 0 1`, `COMMIT`, `ROLLBACK`... */
  command: string;
  /** Whether the batch's Parse was completed (a statement parsed in it can be kept). */
  parsed: boolean;
  /** ReadyForQuery's status: `I` idle, `T` in a transaction, `E` in a failed one. */
  status: string;
  /** The first error of the batch, as PGlite's protocol parser makes it. */
  error: messages.DatabaseError | undefined;
  /** NOTIFY messages, in the order they came. */
  notifications: { channel: string; payload: string }[];
}

/**
 * Reads the messages of a reply (the backend side of PostgreSQL's protocol) straight from its
 * bytes. PGlite's own parser copies every field into a buffer of its own before decoding it, and
 * makes an object per message; a due list's reply of 21 rows made 300 such copies. An error is
 * still parsed by PGlite's parser, so it is the same DatabaseError, with the same fields.
 */
export function readReply(data: Buffer, parsers: Record<number, Parser>): Reply {
  const reply: Reply = {
    rows: [],
    command: '',
    parsed: false,
    status: '',
    error: undefined,
    notifications: [],
  };
  let names: string[] = [];
  let fieldParsers: (Parser | undefined)[] = [];
  let typeIds: number[] = [];
  let offset = 0;
  while (offset < data.length) {
    const type = data[offset]!;
    const end = offset + 5 <= data.length ? offset + 1 + data.readInt32BE(offset + 1) : Infinity;
    if (end > data.length) throw new Error('PGlite sent a reply cut short in a message');
    let at = offset + 5;
    switch (type) {
      case 0x31: // '1' ParseComplete
        reply.parsed = true;
        break;
      case 0x54: {
        // 'T' RowDescription: name, table oid, column number, type oid, size, modifier, format
        const count = data.readInt16BE(at);
        at += 2;
        names = new Array<string>(count);
        fieldParsers = new Array<Parser | undefined>(count);
        typeIds = new Array<number>(count);
        for (let i = 0; i < count; i++) {
          const nul = data.indexOf(0, at);
          names[i] = data.toString('utf8', at, nul);
          const typeId = data.readUInt32BE(nul + 7);
          typeIds[i] = typeId;
          fieldParsers[i] = parsers[typeId];
          at = nul + 19;
        }
        break;
      }
      case 0x44: {
        // 'D' DataRow: each value's length (-1 for null) and its text
        const count = data.readInt16BE(at);
        at += 2;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const length = data.readInt32BE(at);
          at += 4;
          if (length < 0) {
            row[names[i]!] = null;
            continue;
          }
          const text = data.toString('utf8', at, at + length);
          at += length;
          const parse = fieldParsers[i];
          row[names[i]!] = parse ? parse(text, typeIds[i]!) : text;
        }
        reply.rows.push(row);
        break;
      }
      case 0x43: // 'C' CommandComplete
        reply.command = data.toString('utf8', at, end - 1);
        break;
      case 0x5a: // 'Z' ReadyForQuery
        reply.status = String.fromCharCode(data[at]!);
        break;
      case 0x45: // 'E' ErrorResponse
        if (reply.error === undefined)
          new protocol.Parser().parse(data.subarray(offset, end), (message) => {
            reply.error = message as messages.DatabaseError;
          });
        break;
      case 0x41: {
        // 'A' NotificationResponse: the sender's process id, the channel, the payload
        const channelEnd = data.indexOf(0, at + 4);
        reply.notifications.push({
          channel: data.toString('utf8', at + 4, channelEnd),
          payload: data.toString('utf8', channelEnd + 1, end - 1),
        });
        break;
      }
      default:
      // BindComplete, CloseComplete, NoData, EmptyQueryResponse, NoticeResponse,
      // ParameterStatus...: nothing the dialect needs.
    }
    offset = end;
  }
  if (reply.status === '') throw new Error('PGlite sent a reply without ReadyForQuery');
  return reply;
}

/**
 * The rows a data change's command tag counts (`INSERT 0 3`, `UPDATE 2`, `COPY 5`), as Kysely's pg
 * driver.
 */
export function affectedRows(command: string): bigint | undefined {
  const [verb, first, second] = command.split(' ');
  if (verb === 'INSERT') return BigInt(second ?? 0);
  if (verb === 'UPDATE' || verb === 'DELETE' || verb === 'MERGE' || verb === 'COPY')
    return BigInt(first ?? 0);
  return undefined;
}
