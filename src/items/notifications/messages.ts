import { createHash } from 'node:crypto';
import { listCardsNamingItem, rewritePendingContent, type SentCardRow } from '../../db/repos/outbox.js';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { Item } from '../../domain/types.js';
import { type CardJson, canStillUpdate } from '../../lark/cards/common.js';
import { type Audience, itemCard } from '../../lark/cards/item-card.js';
import {
  enqueueOutbox,
  enqueueOutboxMany,
  type OutboxMessage,
  outboxKey,
} from '../../lark/outbox/enqueue.js';
import { buildItemCardView, type ViewContext } from '../views/item-view.js';

/**
 * How quick replies talk back: through the outbox, in the caller's transaction, with keys derived
 * from what caused the message, so a retried event or a double click sends nothing twice.
 */

/** Purposes of messages that show one item's card: they are patched when the item changes. */
export const ITEM_CARD_PURPOSE = 'item-card';

export interface ChatPlace {
  chatId: string;
  chatType: 'p2p' | 'group';
  /** The person the bot talks to in a p2p chat (the sender). */
  openId: string;
}

/** Where the reply goes, for the dispatcher's per-chat / per-user limits. */
function placeIds(place: ChatPlace): { receiveIdType: 'chat_id' | 'open_id'; receiveId: string } {
  return place.chatType === 'p2p'
    ? { receiveIdType: 'open_id', receiveId: place.openId }
    : { receiveIdType: 'chat_id', receiveId: place.chatId };
}

/** A reply in the thread of the message that asked; one per asking message. */
export async function replyInThread(
  trx: Db,
  deps: Deps,
  input: {
    messageId: string;
    place: ChatPlace;
    content: CardJson | { text: string };
    purpose: string;
    itemIds?: string[];
  },
): Promise<void> {
  const isCard = !('text' in input.content && Object.keys(input.content).length === 1);
  await enqueueOutbox(trx, {
    uuid: outboxKey('reply', input.messageId),
    operation: 'reply',
    messageId: input.messageId,
    ...placeIds(input.place),
    msgType: isCard ? 'interactive' : 'text',
    content: input.content,
    purpose: input.purpose,
    itemIds: input.itemIds ?? [],
    now: deps.clock.now(),
  });
}

/** A card to send: to a person (by open_id) or a group (by chat_id). */
export interface CardToSend {
  key: string;
  to: { openId: string } | { chatId: string };
  card: CardJson;
  purpose: string;
  itemIds?: string[];
}

function cardMessage(deps: Deps, input: CardToSend): OutboxMessage {
  const to =
    'openId' in input.to
      ? { receiveIdType: 'open_id' as const, receiveId: input.to.openId }
      : { receiveIdType: 'chat_id' as const, receiveId: input.to.chatId };
  return {
    uuid: input.key,
    operation: 'send',
    ...to,
    msgType: 'interactive',
    content: input.card,
    purpose: input.purpose,
    itemIds: input.itemIds ?? [],
    now: deps.clock.now(),
  };
}

/** A new card to a person (by open_id) or a group (by chat_id). */
export async function sendCard(trx: Db, deps: Deps, input: CardToSend): Promise<void> {
  await enqueueOutbox(trx, cardMessage(deps, input));
}

/** Several new cards in one statement, in this order. */
export async function sendCards(trx: Db, deps: Deps, inputs: CardToSend[]): Promise<void> {
  await enqueueOutboxMany(
    trx,
    inputs.map((input) => cardMessage(deps, input)),
  );
}

/**
 * Re-renders every card of the item already in chats and patches it, so the whole group sees the
 * new state (who closed it, when). A card still waiting in the outbox gets the new content before
 * it leaves. Each copy keeps its audience: group copies show the group's buttons, a person's
 * copy that person's.
 */
export async function refreshItemCards(
  trx: Db,
  deps: Deps,
  ctx: ViewContext,
  item: Item,
  /** The item's cards, when the caller has read them already. */
  known?: readonly SentCardRow[],
): Promise<{ patched: number; rewritten: number }> {
  const rows = known ?? (await listCardsNamingItem(trx, ITEM_CARD_PURPOSE, item.id));
  if (rows.length === 0) return { patched: 0, rewritten: 0 };
  const isChief = (openId: string) => !!ctx.ref.people.get(openId)?.roles.includes('chief');
  const cards = new Map<string, CardJson>();
  const cardFor = async (audience: Audience) => {
    const key = audience.kind === 'group' ? 'group' : audience.openId;
    let c = cards.get(key);
    if (!c) {
      c = itemCard(await buildItemCardView(trx, ctx, item, audience));
      cards.set(key, c);
    }
    return c;
  };

  let rewritten = 0;
  const seen = new Set<string>();
  const patches: OutboxMessage[] = [];
  for (const r of rows) {
    const audience: Audience =
      r.receive_id_type === 'open_id' && r.receive_id
        ? { kind: 'person', openId: r.receive_id, isChief: isChief(r.receive_id) }
        : { kind: 'group' };
    if (r.sent_message_id) {
      if (seen.has(r.sent_message_id)) continue;
      seen.add(r.sent_message_id);
    }
    const content = JSON.stringify(await cardFor(audience));
    const patch = patchOf(deps, r, content, item.id, item.version);
    if (patch) patches.push(patch);
    else if (!r.sent_message_id && r.status === 'pending') {
      await rewritePendingContent(trx, r.id, content);
      rewritten++;
    }
  }
  // Every copy's patch in one statement.
  const patched = (await enqueueOutboxMany(trx, patches)).size;
  return { patched, rewritten };
}

/** The PATCH that brings a sent card up to date, or null (not sent yet, or past Lark's 14 days). */
function patchOf(
  deps: Deps,
  row: { sent_message_id: string | null; sent_at: Date | null },
  content: string,
  itemId: string | string[],
  version?: number,
): OutboxMessage | null {
  if (!row.sent_message_id) return null;
  // Lark updates a card for 14 days only; an older one is answered afresh when clicked.
  if (row.sent_at && !canStillUpdate(row.sent_at, deps.clock.now())) return null;
  const digest = createHash('sha256').update(content).digest('base64url').slice(0, 16);
  return {
    uuid: outboxKey('patch', row.sent_message_id, ...(version === undefined ? [] : [version]), digest),
    operation: 'patch',
    messageId: row.sent_message_id,
    msgType: 'interactive',
    content,
    purpose: 'card-refresh',
    itemIds: Array.isArray(itemId) ? itemId : [itemId],
    now: deps.clock.now(),
  };
}

/**
 * Brings one earlier card up to date (unless Lark would no longer take the update): a sent card
 * is PATCHed through the outbox (keyed by the
 * message and the new content, so the same refresh is enqueued once); a card not yet sent has its
 * content rewritten, so it goes out current.
 */
export async function refreshCardRow(
  trx: Db,
  deps: Deps,
  row: { id: string; status: string; sent_message_id: string | null; sent_at: Date | null },
  content: string,
  /** The item that changed, or every item the card names (so its patches are found by any). */
  itemId: string | string[],
  version?: number,
): Promise<'patched' | 'rewritten' | 'none'> {
  if (row.sent_message_id) {
    const patch = patchOf(deps, row, content, itemId, version);
    if (!patch) return 'none';
    const { inserted } = await enqueueOutbox(trx, patch);
    return inserted ? 'patched' : 'none';
  }
  if (row.status !== 'pending') return 'none';
  await rewritePendingContent(trx, row.id, content);
  return 'rewritten';
}
