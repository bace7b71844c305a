import { listDepartments } from '../../db/repos/departments.js';
import { appendHistory } from '../../db/repos/history.js';
import { getItemRow } from '../../db/repos/items.js';
import { getPeople, getPerson } from '../../db/repos/people.js';
import type { Deps } from '../../deps.js';
import { authorize } from '../../domain/permissions.js';
import { localDate } from '../../domain/time.js';
import { ITEM_CARD_PURPOSE } from '../../items/notifications/messages.js';
import { buildItemCardView, loadViewContext } from '../../items/views/item-view.js';
import { itemCard } from '../cards/item-card.js';
import { enqueueOutbox, outboxKey } from '../outbox/enqueue.js';
import type { CardActionAnswer } from './card-answer.js';

/**
 * 催办承办人 on an escalation card: a chief sends the handler the item's card with a line saying
 * who asks for it. At most one nudge per chief, item and day (a second click says it was sent);
 * each one is on record in the item's history (留痕).
 */
export async function nudgeHandler(deps: Deps, by: string, itemId: string): Promise<CardActionAnswer> {
  const { db } = deps.database;
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const item = await getItemRow(trx, itemId);
    if (!item) return { toast: { type: 'warning', content: `找不到事项 ${itemId}` } };
    const actor = await getPerson(trx, by);
    // The same people who may reassign an item may chase its handler: its department's chiefs.
    const decision = authorize(actor, 'reassign', item, { departments: await listDepartments(trx) });
    if (!decision.allowed) return { toast: { type: 'warning', content: '只有处室负责同志可以催办承办人' } };
    if (item.status !== 'open') return { toast: { type: 'info', content: '该事项已办结，无需催办' } };
    if (!item.assignee)
      return { toast: { type: 'warning', content: '该事项尚无承办人，请先转办或等待认领' } };
    const [handler] = await getPeople(trx, [item.assignee]);
    const handlerName = handler?.name ?? '承办人';

    const ctx = await loadViewContext(trx, deps);
    const audience = {
      kind: 'person' as const,
      openId: item.assignee,
      isChief: !!handler?.roles.includes('chief'),
    };
    const notice = `${actor!.name}提醒您：请尽快办理该事项`;
    const card = itemCard(await buildItemCardView(trx, ctx, item, audience, { notice }));
    const { inserted } = await enqueueOutbox(trx, {
      uuid: outboxKey('nudge', item.id, by, localDate(now, ctx.timeZone)),
      operation: 'send',
      receiveIdType: 'open_id',
      receiveId: item.assignee,
      msgType: 'interactive',
      content: card,
      purpose: ITEM_CARD_PURPOSE,
      itemIds: [item.id],
      now,
    });
    if (!inserted) return { toast: { type: 'info', content: `今天已提醒过${handlerName}` } };
    await appendHistory(trx, {
      itemId: item.id,
      at: now,
      actor: by,
      action: 'nudge',
      details: { to: item.assignee },
    });
    return { toast: { type: 'success', content: `已提醒${handlerName}尽快办理` } };
  });
}
