import { sql } from 'kysely';
import type { Db, Trx } from '../schema.js';

export interface IdempotencyRecord {
  bodyHash: string;
  itemId: string | null;
  createdAt: Date;
}

/**
 * Claims a key inside the creation's transaction. True when this call holds it; false when the
 * key was already stored. On Postgres a second caller with the same key waits here until the
 * first one commits (then reads its item) or rolls back (then claims the key itself).
 */
export async function claimIdempotencyKey(
  trx: Trx,
  k: { scope: string; key: string; bodyHash: string; at: Date },
): Promise<boolean> {
  const row = await trx
    .insertInto('idempotency_keys')
    .values({ scope: k.scope, key: k.key, body_hash: k.bodyHash, created_at: k.at })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function getIdempotencyKey(
  db: Db,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const r = await db
    .selectFrom('idempotency_keys')
    .select(['body_hash', 'item_id', 'created_at'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  return r ? { bodyHash: r.body_hash, itemId: r.item_id, createdAt: r.created_at } : null;
}

export async function setIdempotencyItem(
  trx: Trx,
  scope: string,
  key: string,
  itemId: string,
): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ item_id: itemId })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

/**
 * Forgets keys stored before `before` (index idempotency_keys_created_idx), a batch at a time.
 * Rows another transaction holds are skipped (they go on a later write), so a purge never
 * waits nor deadlocks. Answers how many were removed.
 */
export async function purgeIdempotencyKeys(db: Db, before: Date, limit = 500): Promise<number> {
  const r = await sql`
    delete from idempotency_keys where ctid in (
      select ctid from idempotency_keys where created_at < ${before}
      order by created_at limit ${limit} for update skip locked)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
