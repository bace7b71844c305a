import { type ConnectionProvider, type DatabaseConnection, type Kysely, Transaction } from 'kysely';
import type { Database, Trx } from './schema.js';

/**
 * Runs `fn` in one transaction: everything it writes lands together or not at all. Services
 * compose repository functions inside it; nothing outside src/db opens a transaction otherwise.
 *
 * Statements `fn` issues together (`Promise.all`) go to the database together: Kysely's own
 * transaction sends one statement only after the previous one answered, this one hands them to the
 * connection as they come, and on Postgres the driver pipelines them (src/db/postgres.ts), so
 * independent statements cost one round trip. Their order on the connection is the order they
 * were issued in; an error still aborts the whole transaction.
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => fn(await unserialised(trx)));
}

/** The same transaction, on the same connection, without waiting for one statement before the next. */
async function unserialised(trx: Trx): Promise<Trx> {
  const executor = trx.getExecutor();
  const connection = await executor.provideConnection(async (c: DatabaseConnection) => c);
  const provider: ConnectionProvider = { provideConnection: (consume) => consume(connection) };
  // A Transaction only runs queries through its executor; it never uses the driver or dialect
  // (nested transactions and destroy() throw on a Transaction), so none are handed to it.
  return new Transaction<Database>({
    config: {} as never,
    driver: {} as never,
    dialect: {} as never,
    executor: executor.withConnectionProvider(provider),
  });
}
