import type { Deps } from '../../deps.js';
import { inboundTextProblem } from '../../domain/text.js';
import type { CardAction, InboundEvent } from '../events.js';
import type { CardActionAnswer, CardCallback, InboundHandlers } from '../inbound/handlers.js';
import { answerCardAction } from './card-actions.js';
import { answerChatMessage } from './chat-commands.js';
import { welcomeGroup } from './welcome.js';

/**
 * Where verified, deduplicated Lark events go once stored (the Lark channel calls these): a
 * message is a chat command, the bot joining a group gets the welcome card. The work itself is in
 * the files beside this one (src/lark/adapter/), which call the use cases of the feature folders.
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

/** A card button or form: answered within Lark's 3 s with a toast and the clicker's card. */
export async function handleCardAction(
  deps: Deps,
  action: CardAction,
  callback?: CardCallback,
): Promise<CardActionAnswer> {
  // A form value that cannot be stored (NUL, control characters) is answered, not attempted.
  const texts = Object.values(action.formValue ?? {}).filter((v): v is string => typeof v === 'string');
  if (texts.some((t) => inboundTextProblem(t) !== null)) {
    return { toast: { type: 'warning', content: '填写内容含有无法识别的字符，请删除后重新提交' } };
  }
  return answerCardAction(deps, action, callback);
}

/** What the app passes to the Lark channel (routes, the processor loop, the Workers drain). */
export const inboundHandlers: InboundHandlers = { event: handleInboundEvent, cardAction: handleCardAction };
