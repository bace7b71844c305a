import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { Item } from '../domain/types.js';
import { notifyItemChangeInTrx } from './quick-replies/item-notifications.js';

/** What happened to an item, as the services report it to whoever must hear about it. */
export interface ItemChange {
  /** The item after the change. */
  item: Item;
  /** The item before the change (null when it was just created). */
  previous: Item | null;
  /** 'create' or an ActionName such as 'done', 'claim', 'extend', 'approve-extension'. */
  action: string;
  actor: string;
  at: Date;
  details: Record<string, unknown>;
}

/**
 * Called by the item services inside the transaction that made the change, so the messages it
 * enqueues (new-item cards, card refreshes, approval cards) commit or roll back with the change.
 * Who hears what is decided in src/services/quick-replies/item-notifications.ts.
 */
export async function notifyItemChanged(
  trx: Transaction<Database>,
  deps: Deps,
  change: ItemChange,
): Promise<void> {
  await notifyItemChangeInTrx(trx, deps, change);
}
