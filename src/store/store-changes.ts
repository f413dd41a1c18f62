import pg from 'pg';

/** The channel the triggers of migration 015 notify on, and the statement that listens to it. */
export const CHANGES_CHANNEL = 'iro_store_changes';
export const LISTEN_FOR_CHANGES = `LISTEN ${CHANGES_CHANNEL}`;

/** The listening connection's `application_name`, as `pg_stat_activity` shows it. */
export const LISTENER_NAME = 'iro-assistant changes';

/** The tables whose changes are announced (migration 015). */
export type WatchedTable = 'staff' | 'conversation_references';

/**
 * Who made an announced change: this server, in a statement whose reply brought the notice
 * (`own`), or another session (`other`: another instance, a fix made by hand, or this server
 * when the notice came another way).
 */
export type ChangeOrigin = 'own' | 'other';

/**
 * What other transactions changed, as PostgreSQL announces it (LISTEN/NOTIFY), so that a reader
 * may keep what it read until it changes instead of asking again on every bot turn. A reader
 * trusts nothing it keeps while `live` is false: the announcements may then be missed.
 */
export interface StoreChanges {
  /** Whether announcements are being received now. */
  readonly live: boolean;
  /**
   * Calls `forget` with the key of each row of `table` that a committed transaction changed
   * (`null` for the whole table: emptied, a statement-level change, or announcements that may
   * have been missed). For a change this server made, called before its statement returns.
   */
  watch(table: WatchedTable, forget: (key: string | null, origin: ChangeOrigin) => void): void;
}

/** The store's side: announcements in, and whether they can be trusted. */
export interface ChangeFeed extends StoreChanges {
  /** One NOTIFY: on the changes' channel its payload is `table` or `table:key`; others are ignored. */
  announce(channel: string, payload: string | undefined, origin: ChangeOrigin): void;
  /** Announcements are received (true) or may be missed (false); either way all is forgotten. */
  setLive(live: boolean): void;
}

export function createChangeFeed(): ChangeFeed {
  const watchers = new Map<string, ((key: string | null, origin: ChangeOrigin) => void)[]>();
  let live = false;
  // A watcher only forgets; one that throws must not stop the others, nor fail the statement
  // whose reply brought the notice (nor, on node-postgres, throw inside the socket's handler).
  const tell = (table: string, key: string | null, origin: ChangeOrigin) => {
    for (const forget of watchers.get(table) ?? []) {
      try {
        forget(key, origin);
      } catch {
        live = false;
      }
    }
  };
  return {
    get live() {
      return live;
    },
    watch(table, forget) {
      watchers.set(table, [...(watchers.get(table) ?? []), forget]);
    },
    announce(channel, payload = '', origin) {
      if (channel !== CHANGES_CHANNEL) return;
      const colon = payload.indexOf(':');
      tell(
        colon < 0 ? payload : payload.slice(0, colon),
        colon < 0 ? null : payload.slice(colon + 1),
        origin,
      );
    },
    setLive(next) {
      live = next;
      for (const table of watchers.keys()) tell(table, null, 'other');
    },
  };
}

/** How often the listening connection proves it is alive, and how long it may take to answer. */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/**
 * Listens on a connection of its own to the PostgreSQL server, for the announcements of other
 * sessions. While that connection is down the feed is not live; it connects again after 0.5 s,
 * then twice as long each time up to 30 s. A connection that dies without a word (a failover, a
 * network path dropped) is found by TCP keepalive and by a `select 1` every 15 s that must answer
 * within 5 s. Each connection of the store's pool listens too, for its own notices only, which
 * PostgreSQL sends before the reply to the COMMIT that raised them (see `openPostgres`); this
 * connection leaves those out, so that each change is announced once.
 */
export function listenOnPostgres(
  connectionString: string,
  feed: ChangeFeed,
  options: {
    /** Whether a backend is one of this store's own pool (its notices came already). */
    ownBackend: (processId: number) => boolean;
    onConnectionLost?: (error: Error & { code?: string }) => void;
    /** For tests: how often the connection proves it is alive, and the answer's time limit. */
    heartbeat?: { everyMs: number; timeoutMs: number };
  },
): { close(): Promise<void> } {
  const { everyMs, timeoutMs } = options.heartbeat ?? {
    everyMs: HEARTBEAT_MS,
    timeoutMs: HEARTBEAT_TIMEOUT_MS,
  };
  /** The connection being opened, or open. */
  let current: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let delay = 500;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({
      connectionString,
      application_name: LISTENER_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      query_timeout: timeoutMs,
    });
    current = client;
    let down = false;
    const lost = (error?: Error & { code?: string }) => {
      if (down) return;
      down = true;
      clearInterval(heartbeat);
      if (current === client) {
        current = undefined;
        feed.setLive(false);
      }
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (error && !closed) options.onConnectionLost?.(error);
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, delay);
      retry.unref();
      delay = Math.min(delay * 2, 30_000);
    };
    client.on('notification', (notice) => {
      if (!options.ownBackend(notice.processId))
        feed.announce(notice.channel, notice.payload, 'other');
    });
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(LISTEN_FOR_CHANGES);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (down) return;
    if (closed) {
      lost();
      return;
    }
    delay = 500;
    feed.setLive(true);
    heartbeat = setInterval(() => {
      client.query('select 1').catch((error: Error) => lost(error));
    }, everyMs);
    heartbeat.unref();
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const client = current;
      current = undefined;
      feed.setLive(false);
      if (client) await endWithin(client, 1_000);
    },
  };
}

/** Ends a connection, waiting at most `ms` for the server (a silent one never answers). */
async function endWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    client.end().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!ended)
    (
      client as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();
}
