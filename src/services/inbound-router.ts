import type { Deps } from '../deps.js';

/**
 * Where verified, deduplicated Lark events go once stored (the Lark channel calls these).
 * Owned by the quick-replies capability, which replaces these bodies; the types of `event`
 * and `action` come from src/lark/events.ts.
 */
export async function handleInboundEvent(
  deps: Deps,
  event: { type: string; eventId: string },
): Promise<void> {
  deps.logger.info('inbound event ignored (no handler yet)', { type: event.type, eventId: event.eventId });
}

export interface CardActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  /** Card JSON 2.0 that replaces the card for the clicker. */
  card?: Record<string, unknown>;
}

export async function handleCardAction(
  deps: Deps,
  action: { operatorOpenId: string },
): Promise<CardActionAnswer> {
  deps.logger.info('card action ignored (no handler yet)', { operator: action.operatorOpenId });
  return { toast: { type: 'info', content: '操作已收到' } };
}
