import { getPerson } from '../../db/repos/people.js';
import type { Deps } from '../../deps.js';
import { COMMAND_WORDS, type Command, parseCommand } from '../../domain/commands.js';
import { inboundTextProblem } from '../../domain/text.js';
import type { ActionName } from '../../domain/types.js';
import { type ActionOutcome, performItemAction } from '../../items/actions/perform.js';
import { type ChatPlace, ITEM_CARD_PURPOSE, replyInThread } from '../../items/notifications/messages.js';
import { buildItemCardView, loadViewContext } from '../../items/views/item-view.js';
import { todoCardFor } from '../../items/views/todo.js';
import { bulletinForPerson } from '../../reports/bulletin-round.js';
import { digestForPerson, setDigestSubscription } from '../../reports/digest-round.js';
import { yearReportForPerson } from '../../reports/year-chat.js';
import { handleAdminSettingCommand } from '../../settings/admin-settings.js';
import { setCategoriesByChat } from '../../settings/categories-chat.js';
import type { CardJson } from '../cards/common.js';
import { helpCard } from '../cards/help-card.js';
import { itemCard } from '../cards/item-card.js';
import type { InboundEvent } from '../events.js';
import { bindGroup } from './bind-group.js';
import { answerDutyCommand } from './duty-command.js';

type MessageEvent = Extract<InboundEvent, { type: 'message' }>;

const NOT_REGISTERED = '您尚未登记，请联系办公室管理员';

type Reply = { content: CardJson | { text: string }; purpose: string; itemIds?: string[] };

/**
 * A text message to the bot — in a direct message, or in a group where it was @-mentioned — is a
 * command. Every command gets one answer in its thread (keyed by the message id, so a redelivered
 * event answers once); anything not understood gets the help card, never silence.
 */
export async function answerChatMessage(deps: Deps, event: MessageEvent): Promise<void> {
  // In a group the bot only answers when spoken to.
  if (event.chatType === 'group' && !event.mentionsBot) return;
  if (!event.senderOpenId) return;
  const place: ChatPlace = { chatId: event.chatId, chatType: event.chatType, openId: event.senderOpenId };

  const reply =
    event.messageType === 'text' && inboundTextProblem(event.text)
      ? { content: { text: UNREADABLE_TEXT }, purpose: 'command-refused' }
      : await answerCommand(deps, event, place, commandOf(event));
  await deps.database.db.transaction().execute(async (trx) => {
    await replyInThread(trx, deps, { messageId: event.messageId, place, ...reply });
  });
}

/** A message with characters that cannot be stored (NUL, control characters) is answered, never retried. */
const UNREADABLE_TEXT = '消息中含有无法识别的字符，未能处理。请删除后重新发送，或发送“帮助”查看用法。';

function commandOf(event: MessageEvent): Command {
  return event.messageType === 'text'
    ? parseCommand(event.text)
    : { type: 'unknown', text: event.messageType === 'image' ? '[图片]' : '[非文字消息]' };
}

const ITEM_ACTIONS: Record<'done' | 'read' | 'claim' | 'progress' | 'extend', ActionName> = {
  done: 'done',
  read: 'read',
  claim: 'claim',
  progress: 'progress',
  extend: 'extend',
};

async function answerCommand(
  deps: Deps,
  event: MessageEvent,
  place: ChatPlace,
  command: Command,
): Promise<Reply> {
  const { db } = deps.database;
  const by = event.senderOpenId;
  switch (command.type) {
    case 'done':
    case 'read':
    case 'claim':
    case 'progress':
    case 'extend': {
      const outcome = await performItemAction(deps, {
        itemId: command.itemId,
        action: ITEM_ACTIONS[command.type],
        by,
        requestId: `msg:${event.messageId}`,
        ...(command.type === 'progress' ? { note: command.text } : {}),
        ...(command.type === 'done' && command.note ? { note: command.note } : {}),
        ...(command.type === 'extend'
          ? { days: command.days, ...(command.reason ? { reason: command.reason } : {}) }
          : {}),
      });
      return itemReply(deps, place, outcome);
    }
    case 'todo': {
      if (!(await getPerson(db, by)))
        return { content: { text: NOT_REGISTERED }, purpose: 'command-refused' };
      const ctx = await loadViewContext(db, deps);
      return { content: await todoCardFor(db, ctx, by), purpose: 'todo' };
    }
    case 'duty':
    case 'duty-week':
    case 'duty-swap':
    case 'duty-handover':
    case 'duty-log':
      return answerDutyCommand(deps, event, command);
    case 'help':
      return { content: helpCard(), purpose: 'help' };
    case 'digest':
      return { content: await digestForPerson(deps, by), purpose: 'digest-on-demand' };
    case 'bulletin':
      return { content: await bulletinForPerson(deps, by), purpose: 'bulletin-on-demand' };
    case 'year-report':
      return { content: { text: await yearReportForPerson(deps, by, command.year) }, purpose: 'year-report' };
    case 'categories':
      return { content: { text: await setCategoriesByChat(deps, by, command) }, purpose: 'categories' };
    case 'digest-subscription':
      return {
        content: { text: await setDigestSubscription(deps, by, command.on) },
        purpose: 'digest-subscription',
      };
    case 'bind': {
      const card = await db.transaction().execute((trx) =>
        bindGroup(trx, deps, {
          chatId: event.chatId,
          chatType: event.chatType,
          by,
          deptCode: command.deptCode,
        }),
      );
      return { content: card, purpose: 'bind' };
    }
    case 'admin-setting': {
      // The settings commands belong to the reminders capability (admins only; it checks).
      const answer = await handleAdminSettingCommand(deps, { text: command.text, by, chatId: event.chatId });
      return { content: { text: answer.replyText }, purpose: 'admin-setting' };
    }
    case 'usage':
    case 'unknown':
      return helpReply(command);
  }
}

/** A command used wrongly gets the help card with what was wrong; an unknown one, a suggestion. */
function helpReply(command: Extract<Command, { type: 'usage' | 'unknown' }>): Reply {
  if (command.type === 'usage') {
    const word = COMMAND_WORDS.find((w) => w.name === command.command)?.zh ?? command.command;
    return {
      content: helpCard({ problem: { text: `${word}：${command.problem}`, example: command.example } }),
      purpose: 'help',
    };
  }
  return {
    content: helpCard({
      unknownText: command.text,
      ...(command.suggestion ? { suggestion: command.suggestion } : {}),
    }),
    purpose: 'help',
  };
}

/**
 * The answer to an action by command: the item's card in its new state (it is then kept up to
 * date like every other copy), or a plain sentence saying why nothing was done.
 */
async function itemReply(deps: Deps, place: ChatPlace, outcome: ActionOutcome): Promise<Reply> {
  if (!outcome.ok && (!outcome.item || outcome.item.status === 'open' || outcome.code === 'forbidden')) {
    return { content: { text: outcome.message }, purpose: 'command-refused' };
  }
  const item = outcome.item!;
  const { db } = deps.database;
  const ctx = await loadViewContext(db, deps);
  const person = place.chatType === 'p2p' ? await getPerson(db, place.openId) : null;
  const audience =
    place.chatType === 'p2p'
      ? { kind: 'person' as const, openId: place.openId, isChief: !!person?.roles.includes('chief') }
      : { kind: 'group' as const };
  const view = await buildItemCardView(db, ctx, item, audience, { notice: outcome.message });
  return { content: itemCard(view), purpose: ITEM_CARD_PURPOSE, itemIds: [item.id] };
}
