import { minutesTaskIds } from '../../db/repos/history.js';
import { lockItem, updateItem } from '../../db/repos/items.js';
import { formatWhenZh } from '../../domain/items.js';
import {
  type ActionContext,
  type ActionHandler,
  recordAndNotify,
  trimmed,
  unchanged,
  withdrawPending,
} from './context.js';

/** 撤销: the item is withdrawn (kept on record); a meeting takes its open minutes task with it. */
export const cancel: ActionHandler = {
  async repeat(ctx) {
    const { item } = ctx;
    if (item.status !== 'cancelled') return null;
    return unchanged(
      ctx,
      `该事项已${item.closedAt ? `于${formatWhenZh(item.closedAt, ctx.timeZone)}` : ''}撤销`,
    );
  },

  async apply(ctx) {
    const { trx, item, now } = ctx;
    const by = ctx.actor.openId;
    const updated = await updateItem(
      trx,
      item.id,
      { status: 'cancelled', closed_at: now, closed_by: by },
      now,
    );
    await withdrawPending(ctx);
    ctx.details.reason = trimmed(ctx.input.reason) ?? ctx.note;
    if (item.kind === 'meeting') {
      const cancelled = await cancelMinutesTasks(ctx);
      if (cancelled.length) ctx.details.cancelledMinutesTasks = cancelled;
    }
    return { item: updated, message: '已撤销' };
  },
};

/** A cancelled meeting needs no minutes: its open minutes task is cancelled with it, on the record. */
async function cancelMinutesTasks(ctx: ActionContext): Promise<string[]> {
  const { trx, deps, now } = ctx;
  const by = ctx.actor.openId;
  const out: string[] = [];
  for (const taskId of await minutesTaskIds(trx, ctx.item.id)) {
    const task = await lockItem(trx, taskId);
    if (!task || task.status !== 'open') continue;
    const updated = await updateItem(
      trx,
      task.id,
      { status: 'cancelled', closed_at: now, closed_by: by },
      now,
    );
    const details = { reason: '会议已撤销', meeting: ctx.item.id };
    await recordAndNotify(trx, deps, {
      item: updated,
      previous: task,
      action: 'cancel',
      actor: by,
      at: now,
      details,
    });
    out.push(task.id);
  }
  return out;
}
