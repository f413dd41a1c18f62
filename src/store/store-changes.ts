import pg from 'pg';

/** The channel the triggers of migration 015 notify on. */
export const CHANGES_CHANNEL = 'iro_store_changes';

/** The listening connection's `application_name`, as `pg_stat_activity` shows it. */
export const LISTENER_NAME = 'iro-assistant changes';

/** The tables whose changes are announced (migration 015). */
export type WatchedTable = 'staff' | 'conversation_references';

/**
 * What other transactions changed, as PostgreSQL announces it (LISTEN/NOTIFY), so that a reader
 * may keep what it read until it changes instead of asking again on every bot turn. A reader keeps
 * nothing while `live` is false: the announcements may then be missed.
 */
export interface StoreChanges {
  /** Whether announcements are being received now. */
  readonly live: boolean;
  /**
   * Calls `forget` with the key of each row of `table` that a committed transaction changed
   * (`null` for the whole table: emptied, a statement-level change, or announcements that may
   * have been missed). Called before the transaction's own COMMIT returns, for a transaction of
   * this process.
   */
  watch(table: WatchedTable, forget: (key: string | null) => void): void;
}

/** The store's side: announcements in, and whether they can be trusted. */
export interface ChangeFeed extends StoreChanges {
  /** One NOTIFY payload: `table` or `table:key`. */
  announce(payload: string): void;
  /** Announcements are received (true) or may be missed (false); either way all is forgotten. */
  setLive(live: boolean): void;
}

export function createChangeFeed(): ChangeFeed {
  const watchers = new Map<string, ((key: string | null) => void)[]>();
  let live = false;
  const forgetAll = () => {
    for (const list of watchers.values()) for (const forget of list) forget(null);
  };
  return {
    get live() {
      return live;
    },
    watch(table, forget) {
      watchers.set(table, [...(watchers.get(table) ?? []), forget]);
    },
    announce(payload) {
      const colon = payload.indexOf(':');
      const table = colon < 0 ? payload : payload.slice(0, colon);
      const key = colon < 0 ? null : payload.slice(colon + 1);
      for (const forget of watchers.get(table) ?? []) forget(key);
    },
    setLive(next) {
      live = next;
      forgetAll();
    },
  };
}

/**
 * Listens on a connection of its own to the PostgreSQL server, for the announcements of other
 * instances. While that connection is down the feed is not live; it connects again after 0.5 s,
 * then twice as long each time up to 30 s. Each connection of the store's pool listens too, for its
 * own notices only, which PostgreSQL sends before the reply to the COMMIT that raised them (see
 * `openPostgres`); this connection leaves those out, so that each change is announced once.
 */
export function listenOnPostgres(
  connectionString: string,
  feed: ChangeFeed,
  options: {
    /** Whether a backend is one of this store's own pool (its notices came already). */
    ownBackend: (processId: number) => boolean;
    onConnectionLost?: (error: Error & { code?: string }) => void;
  },
): { close(): Promise<void> } {
  let current: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = 500;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString, application_name: LISTENER_NAME });
    let down = false;
    const lost = (error?: Error & { code?: string }) => {
      if (down) return;
      down = true;
      if (current === client) {
        current = undefined;
        feed.setLive(false);
      }
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (error) options.onConnectionLost?.(error);
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, delay);
      retry.unref();
      delay = Math.min(delay * 2, 30_000);
    };
    client.on('notification', (notice) => {
      if (notice.channel === CHANGES_CHANNEL && !options.ownBackend(notice.processId))
        feed.announce(notice.payload ?? '');
    });
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (closed || down) {
      if (!down) lost();
      return;
    }
    current = client;
    delay = 500;
    feed.setLive(true);
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      feed.setLive(false);
      await client?.end().catch(() => undefined);
    },
  };
}
