import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { CardAction, InboundEvent } from '../events.js';

/** What a card callback answers the clicker: a toast, and the card that replaces theirs. */
export interface CardActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  /** Card JSON 2.0 that replaces the card for the clicker. */
  card?: Record<string, unknown>;
}

/** Handles one stored, parsed event (a chat message, the bot added to a group). */
export type InboundEventHandler = (deps: Deps, event: InboundEvent) => Promise<void>;

/**
 * The stored callback, as a handler may use it: `recordIn` writes the answer onto it inside the
 * handler's own transaction, so the answer commits with the change it reports (one commit
 * instead of two); the channel then writes nothing more. A handler that does not call it has its
 * answer recorded by the channel afterwards.
 */
export interface CardCallback {
  recordIn(trx: Db, answer: CardActionAnswer): Promise<void>;
}

/** Handles one card button or form, answering within Lark's 3 s. */
export type CardActionHandler = (
  deps: Deps,
  action: CardAction,
  callback?: CardCallback,
) => Promise<CardActionAnswer>;

/**
 * Where the Lark channel hands verified, deduplicated events and card callbacks. The channel
 * knows nothing of what they mean: the app passes the implementation in where it is wired
 * (src/lark/adapter/router.ts).
 */
export interface InboundHandlers {
  event: InboundEventHandler;
  cardAction: CardActionHandler;
}
