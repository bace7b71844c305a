import type { Kysely } from 'kysely';
import type { Database, Trx } from './schema.js';

/**
 * Runs `fn` in one transaction: everything it writes lands together or not at all. Services
 * compose repository functions inside it; nothing outside src/db opens a transaction otherwise.
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
