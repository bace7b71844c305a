import { createHash } from 'node:crypto';
import {
  claimIdempotencyKey,
  getIdempotencyKey,
  purgeIdempotencyKeys,
  setIdempotencyItem,
} from '../../db/repos/idempotency-keys.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import {
  type CreatedItem,
  type CreateItemInput,
  createItemInTrx,
  getItem,
  type ItemDetail,
  withDuplicateDocumentCheck,
} from '../items.js';

/** Where a creation came in: the admin API or the OA webhook; each has its own keys. */
export type IntakeScope = 'api' | 'oa';

export interface IdempotencyKey {
  scope: IntakeScope;
  key: string;
  /** sha256 of the body exactly as sent (`bodyHash`). */
  bodyHash: string;
}

export interface IntakeOutcome {
  item: CreatedItem | ItemDetail;
  /** True when the key had already created this item: nothing new was written. */
  replayed: boolean;
}

/** The hash an Idempotency-Key is stored with, so the same key with another body is refused. */
export function bodyHash(rawBody: string): string {
  return createHash('sha256').update(rawBody, 'utf8').digest('hex');
}

/** How long a key answers its item: 7 days (the promise is at least 24 hours). */
export const IDEMPOTENCY_RETENTION_DAYS = 7;

/**
 * Creates an item once per key: the key is stored in the creation's own transaction, so a
 * replay (even a simultaneous one) answers the item the first call created, and a failed
 * creation leaves the key free. The same key with another body is a 409. Keys older than
 * IDEMPOTENCY_RETENTION_DAYS are purged by the next keyed creation; such a key then creates anew.
 */
export async function createItemOnce(
  deps: Deps,
  input: CreateItemInput,
  actor: string,
  key: IdempotencyKey,
): Promise<IntakeOutcome> {
  const db = deps.database.db;
  const now = deps.clock.now();
  // A cheap purge on write, in its own statement: keys past their retention are forgotten.
  await purgeIdempotencyKeys(db, new Date(now.getTime() - IDEMPOTENCY_RETENTION_DAYS * 86_400_000));
  return withDuplicateDocumentCheck(db, input, () =>
    db.transaction().execute(async (trx): Promise<IntakeOutcome> => {
      const claimed = await claimIdempotencyKey(trx, { ...key, at: now });
      if (!claimed) {
        const prior = await getIdempotencyKey(trx, key.scope, key.key);
        if (prior && prior.bodyHash !== key.bodyHash) throw keyReused(key.key, prior.itemId);
        const item = prior?.itemId ? await getItem(trx, prior.itemId) : null;
        if (item) return { item, replayed: true };
      }
      const item = await createItemInTrx(trx, deps, input, actor, now);
      await setIdempotencyItem(trx, key.scope, key.key, item.id);
      return { item, replayed: false };
    }),
  );
}

function keyReused(key: string, itemId: string | null): AppError {
  return new AppError(
    409,
    'idempotency_key_reused',
    `Idempotency-Key "${key}" was already used with a different body${itemId ? ` (it created ${itemId})` : ''}. Use a new key for a new item.`,
    { field: 'Idempotency-Key', id: itemId },
  );
}
