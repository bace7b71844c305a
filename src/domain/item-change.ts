import type { Item } from './types.js';

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
