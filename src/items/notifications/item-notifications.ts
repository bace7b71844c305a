import { listExtensionRequests, pendingExtension } from '../../db/repos/extension-requests.js';
import { getAttendees, getParts } from '../../db/repos/items.js';
import { listCardsNamingItem } from '../../db/repos/outbox.js';
import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { ItemChange } from '../../domain/item-change.js';
import { localDate } from '../../domain/time.js';
import type { ExtensionRequest, Item } from '../../domain/types.js';
import type { CardJson } from '../../lark/cards/common.js';
import { extensionCard, extensionDecisionCard } from '../../lark/cards/extension-card.js';
import { itemCard } from '../../lark/cards/item-card.js';
import { outboxKey } from '../../lark/outbox/enqueue.js';
import { ROUND_CARD_PURPOSES, refreshRoundCards } from '../../reminders/round-cards.js';
import { chiefsIn } from '../../settings/reference-data.js';
import { extensionApprovers } from '../extension-approvers.js';
import {
  buildItemCardView,
  deptNamesOf,
  loadViewContext,
  namesOf,
  type ViewContext,
} from '../views/item-view.js';
import {
  type CardToSend,
  ITEM_CARD_PURPOSE,
  refreshCardRow,
  refreshItemCards,
  sendCard,
  sendCards,
} from './messages.js';

/** Approval cards sent to chiefs; patched to their decided state for every chief who got one. */
export const EXTENSION_CARD_PURPOSE = 'extension-card';

/**
 * Who hears about a change to an item, and how (called by the item services inside the
 * transaction of the change):
 * - created: the handler gets the card in a direct message; the department's group (or the
 *   item's own chat) gets the shared card — for an unassigned task that is where it is claimed;
 *   a meeting's invitees each get the card with 参加 / 请假;
 * - extension requested: those who may decide get the approval card (extensionApprovers: the
 *   department's other chiefs, else the top department's chiefs, else the admins; never the requester);
 * - extension decided: the requester hears the decision, the chiefs' approval cards turn grey;
 * - reassigned: the new handler gets the card;
 * - every change: the item's cards already in chats are patched to the new state, and so is each
 *   person's latest reminder round card that lists it.
 */
export async function notifyItemChangeInTrx(trx: Trx, deps: Deps, change: ItemChange): Promise<void> {
  const ctx = await loadViewContext(trx, deps);
  const { item } = change;
  switch (change.action) {
    case 'create':
      await announceNewItem(trx, deps, ctx, item);
      return;
    case 'extend':
      await askChiefs(trx, deps, ctx, item);
      break;
    case 'approve-extension':
    case 'reject-extension':
      await tellDecision(trx, deps, ctx, item, change);
      break;
    case 'reassign':
      if (item.assignee && item.assignee !== change.previous?.assignee) {
        await sendItemCardToPerson(trx, deps, ctx, item, item.assignee, `reassign-${item.version}`);
      }
      break;
    default:
      break;
  }
  if (change.previous === null) {
    await refreshItemCards(trx, deps, ctx, item);
  } else if (stateChanged(change.previous, item) || change.action === 'extend') {
    // One read finds every copy: the item's own cards and the round cards that list it.
    const rows = await listCardsNamingItem(trx, [ITEM_CARD_PURPOSE, ...ROUND_CARD_PURPOSES], item.id);
    await refreshItemCards(
      trx,
      deps,
      ctx,
      item,
      rows.filter((r) => r.purpose === ITEM_CARD_PURPOSE),
    );
    await refreshRoundCards(
      trx,
      deps,
      ctx,
      item,
      rows.filter((r) => r.purpose !== ITEM_CARD_PURPOSE),
    );
  }
}

function stateChanged(before: Item, after: Item): boolean {
  return before.version !== after.version || before.status !== after.status;
}

async function sendItemCardToPerson(
  trx: Trx,
  deps: Deps,
  ctx: ViewContext,
  item: Item,
  openId: string,
  reason: string,
  extra: { pending?: null } = {},
  /** When given, the card joins these to be sent together instead of going out now. */
  queue?: CardToSend[],
): Promise<void> {
  const person = ctx.ref.people.get(openId);
  const audience = { kind: 'person' as const, openId, isChief: !!person?.roles.includes('chief') };
  const card: CardToSend = {
    key: outboxKey('item-card', item.id, openId, reason),
    to: { openId },
    card: itemCard(await buildItemCardView(trx, ctx, item, audience, extra)),
    purpose: ITEM_CARD_PURPOSE,
    itemIds: [item.id],
  };
  if (queue) queue.push(card);
  else await sendCard(trx, deps, card);
}

/** A new item has no extension request yet: its cards need not look for one. */
const NEW = { pending: null } as const;

async function announceNewItem(trx: Trx, deps: Deps, ctx: ViewContext, item: Item): Promise<void> {
  const queue: CardToSend[] = [];
  const people = new Set<string>();
  if (item.kind === 'meeting') {
    for (const a of (await getAttendees(trx, [item.id])).get(item.id) ?? []) people.add(a.openId);
  } else if (item.assignee) {
    people.add(item.assignee);
  }
  for (const openId of people) await sendItemCardToPerson(trx, deps, ctx, item, openId, 'new', NEW, queue);

  const deptCode = item.dept ?? item.leadDept;
  const dept = deptCode ? ctx.ref.departmentsByCode.get(deptCode) : null;
  const chatId = item.chatId ?? dept?.chatId ?? null;
  const groups: string[] = chatId ? [chatId] : [];
  if (!chatId && !item.assignee && item.kind !== 'meeting') {
    // Nobody would hear of an unassigned item: its department's chiefs get it to hand out.
    for (const chief of chiefsIn(ctx.ref, deptCode)) {
      if (!people.has(chief.openId))
        await sendItemCardToPerson(trx, deps, ctx, item, chief.openId, 'new', NEW, queue);
      people.add(chief.openId);
    }
  }
  // 会办: each co-handling unit's handler, or else its group, hears of its part (tasks have parts).
  const parts = item.kind === 'task' ? ((await getParts(trx, [item.id])).get(item.id) ?? []) : [];
  for (const part of parts) {
    if (part.assignee && !people.has(part.assignee)) {
      people.add(part.assignee);
      await sendItemCardToPerson(trx, deps, ctx, item, part.assignee, 'new', NEW, queue);
    }
    const partChat = ctx.ref.departmentsByCode.get(part.dept)?.chatId;
    if (partChat && !groups.includes(partChat)) groups.push(partChat);
    if (!part.assignee && !partChat) {
      for (const chief of chiefsIn(ctx.ref, part.dept)) {
        if (people.has(chief.openId)) continue;
        people.add(chief.openId);
        await sendItemCardToPerson(trx, deps, ctx, item, chief.openId, 'new', NEW, queue);
      }
    }
  }
  for (const group of groups) {
    queue.push({
      key: outboxKey('item-card', item.id, group, 'new'),
      to: { chatId: group },
      card: itemCard(await buildItemCardView(trx, ctx, item, { kind: 'group' }, NEW)),
      purpose: ITEM_CARD_PURPOSE,
      itemIds: [item.id],
    });
  }
  // The handler's cards first, then the groups', in one statement.
  await sendCards(trx, deps, queue);
}

function extensionView(ctx: ViewContext, item: Item, request: ExtensionRequest) {
  const names = namesOf(ctx, [request.requestedBy, request.decidedBy, item.assignee]);
  const deptNames = deptNamesOf(ctx);
  let extraText: string | null = null;
  if (request.currentDueAt) {
    const days = ctx.calendar.workdaysBetween(
      localDate(request.currentDueAt, ctx.timeZone),
      localDate(request.newDueAt, ctx.timeZone),
    );
    if (days > 0) extraText = `延长${days}个工作日`;
  }
  return { item, request, extraText, names, deptNames, timeZone: ctx.timeZone };
}

async function askChiefs(trx: Trx, deps: Deps, ctx: ViewContext, item: Item): Promise<void> {
  const request = await pendingExtension(trx, item.id);
  if (!request) return;
  const chiefs = await extensionApprovers(trx, item.dept ?? item.leadDept, request.requestedBy);
  if (chiefs.length === 0) {
    deps.logger.warn('extension request has no chief to approve it', { itemId: item.id, dept: item.dept });
    return;
  }
  const card = extensionCard(extensionView(ctx, item, request));
  for (const chief of chiefs) {
    await sendCard(trx, deps, {
      key: outboxKey('ext-request', request.id, chief.openId),
      to: { openId: chief.openId },
      card,
      purpose: EXTENSION_CARD_PURPOSE,
      itemIds: [item.id],
    });
  }
}

async function tellDecision(
  trx: Trx,
  deps: Deps,
  ctx: ViewContext,
  item: Item,
  change: ItemChange,
): Promise<void> {
  const requests = await listExtensionRequests(trx, item.id);
  const wanted = Number(change.details.extensionId ?? Number.NaN);
  const request =
    requests.find((r) => r.id === wanted) ??
    [...requests].reverse().find((r) => r.status === 'approved' || r.status === 'rejected');
  if (!request || request.status === 'pending') return;
  const view = extensionView(ctx, item, request);
  if (request.requestedBy !== change.actor) {
    await sendCard(trx, deps, {
      key: outboxKey('ext-decision', request.id, request.requestedBy),
      to: { openId: request.requestedBy },
      card: extensionDecisionCard(view),
      purpose: 'extension-decision',
      itemIds: [item.id],
    });
  }
  await patchExtensionCards(trx, deps, item.id, request, extensionCard(view));
}

/** Turns every chief's approval card for this request grey, with who decided. */
async function patchExtensionCards(
  trx: Trx,
  deps: Deps,
  itemId: string,
  request: ExtensionRequest,
  card: CardJson,
): Promise<void> {
  const rows = await listCardsNamingItem(trx, EXTENSION_CARD_PURPOSE, itemId);
  const content = JSON.stringify(card);
  for (const r of rows) {
    if (!r.receive_id || r.uuid !== outboxKey('ext-request', request.id, r.receive_id)) continue;
    await refreshCardRow(trx, deps, r, content, itemId);
  }
}
