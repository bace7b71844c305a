import type { CardActionAnswer, CardCallback } from '../inbound/handlers.js';

/** What a card click is answered with, within Lark's 3 s (the Lark channel's shape). */
export type { CardActionAnswer, CardCallback };

/** A refused or impossible click: a warning toast that says why, the card left as it is. */
export function warn(content: string): CardActionAnswer {
  return { toast: { type: 'warning', content } };
}
