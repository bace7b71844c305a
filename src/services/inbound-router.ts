import type { Deps } from '../deps.js';
import type { CardAction, InboundEvent } from '../lark/events.js';
import { answerCardAction } from './quick-replies/card-actions.js';
import type { CardActionAnswer } from './quick-replies/card-answer.js';
import { answerChatMessage } from './quick-replies/chat-commands.js';
import { welcomeGroup } from './quick-replies/welcome.js';

/**
 * Where verified, deduplicated Lark events go once stored (the Lark channel calls these): a
 * message is a chat command, the bot joining a group gets the welcome card. The work itself is in
 * src/services/quick-replies/.
 */
export async function handleInboundEvent(deps: Deps, event: InboundEvent): Promise<void> {
  switch (event.type) {
    case 'message':
      await answerChatMessage(deps, event);
      return;
    case 'bot_added':
      await welcomeGroup(deps, event);
      return;
  }
}

export type { CardActionAnswer };

/** A card button or form: answered within Lark's 3 s with a toast and the clicker's card. */
export async function handleCardAction(deps: Deps, action: CardAction): Promise<CardActionAnswer> {
  return answerCardAction(deps, action);
}
