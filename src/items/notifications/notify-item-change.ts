import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { ItemChange } from '../../domain/item-change.js';
import { notifyItemChangeInTrx } from './item-notifications.js';
import { feedBackResult } from './result-feedback.js';

export type { ItemChange };

/**
 * Called by the item services inside the transaction that made the change, so the messages it
 * enqueues (new-item cards, card refreshes, approval cards) commit or roll back with the change.
 * Who hears what is decided in src/items/notifications/item-notifications.ts; the leader's
 * 办结反馈 in src/items/notifications/result-feedback.ts.
 */
export async function notifyItemChanged(trx: Trx, deps: Deps, change: ItemChange): Promise<void> {
  await notifyItemChangeInTrx(trx, deps, change);
  await feedBackResult(trx, deps, change);
}
