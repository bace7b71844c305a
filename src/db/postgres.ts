import type { Duplex } from 'node:stream';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { fastTimestamptzParser } from './timestamptz.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** 'postgres' for a real server, 'pglite' for the embedded database. */
  engine: 'postgres' | 'pglite';
  close(): Promise<void>;
  /**
   * The embedded database only: its data directory as a gzipped tarball, consistent (no
   * transaction half in it), taken without stopping the service. Postgres is backed up with pg_dump.
   */
  snapshot?: () => Promise<Uint8Array>;
}

// `date` columns stay plain 'YYYY-MM-DD' strings: a calendar day has no time zone.
pg.types.setTypeParser(1082, (v: string) => v);
// bigint ids as strings (they can exceed 2^53 in principle).
pg.types.setTypeParser(20, (v: string) => v);
// timestamptz read by character codes (src/db/timestamptz.ts), the unusual shapes as before.
pg.types.setTypeParser(1184, fastTimestamptzParser(pg.types.getTypeParser(1184)));

export async function connectPostgres(
  url: string,
  options: { max?: number; onIdleError?: (error: Error) => void } = {},
): Promise<DatabaseHandle> {
  // Pipeline mode: a statement issued while another is in flight on the same connection (a
  // transaction's independent statements, src/db/transaction.ts) is sent at once, not after it.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    pipeline: true,
  } as pg.PoolConfig);
  // An idle pooled connection can be cut by the server (restart, failover, admin termination).
  // The pool drops that client by itself; without a listener the 'error' event would crash the
  // process instead.
  pool.on('error', (error) => options.onIdleError?.(error));
  // So can one checked out between two queries (a transaction waiting on the code between its
  // statements): pg then emits 'error' on the client, which nobody listens to while it is out of
  // the pool, and the process dies with the restart. With this listener the next query on it fails
  // instead (the transaction rolls back, the pool discards the client) and the process goes on;
  // an idle client's error is still reported once, by the pool's listener above.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    coalesceWrites(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/**
 * What one turn of the event loop sends on a connection leaves in one socket write: the first
 * message corks the socket, and it is uncorked once the promise jobs queued in that turn have run.
 * Statements issued together then cost one system call instead of one each (a write on loopback
 * TCP costs the sender about as much as the statement costs the server).
 */
function coalesceWrites(client: pg.PoolClient): void {
  const connection = (
    client as unknown as { connection?: { _send?: (b: Buffer) => boolean; stream?: Duplex } }
  ).connection;
  const stream = connection?.stream;
  if (!connection?._send || typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return;
  const send = connection._send.bind(connection);
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  connection._send = (buffer: Buffer) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return send(buffer);
  };
}
