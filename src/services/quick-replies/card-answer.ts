/** What a card click is answered with, within Lark's 3 s. */
export interface CardActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  /** Card JSON 2.0 that replaces the card for the clicker. */
  card?: Record<string, unknown>;
}

/** A refused or impossible click: a warning toast that says why, the card left as it is. */
export function warn(content: string): CardActionAnswer {
  return { toast: { type: 'warning', content } };
}
