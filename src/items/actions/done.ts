import { lastClosingAction } from '../../db/repos/history.js';
import { updateItem, updatePart } from '../../db/repos/items.js';
import { getPeople } from '../../db/repos/people.js';
import { formatWhenZh } from '../../domain/items.js';
import {
  type ActionContext,
  type ActionHandler,
  type Applied,
  deptName,
  unchanged,
  withdrawPending,
} from './context.js';

/** 办结 (and 已阅 for circulars): closes the item, or one co-handling unit's part of it. */
export const done: ActionHandler = {
  async repeat(ctx) {
    const { item } = ctx;
    if (item.status !== 'done') return null;
    const verb = (await lastClosingAction(ctx.trx, item.id)) === 'read' ? '标记已阅' : '办结';
    const who = item.closedBy ? ctx.nameOf(item.closedBy) : '他人';
    const when = item.closedAt ? `于${formatWhenZh(item.closedAt, ctx.timeZone)}` : '';
    return unchanged(ctx, `该事项已由${who}${when}${verb}`);
  },

  async repeatOfPart(ctx) {
    const part = ctx.parts.find((p) => p.dept === ctx.partDept);
    if (!part || part.status !== 'done' || ctx.input.action !== 'done') return null;
    const [doer] = part.doneBy ? await getPeople(ctx.trx, [part.doneBy]) : [];
    const who = doer?.name ?? part.doneBy ?? '';
    const when = part.doneAt ? `于${formatWhenZh(part.doneAt, ctx.timeZone)}` : '';
    return unchanged(ctx, `该会办部分已由${who}${when}办结`);
  },

  async apply(ctx) {
    const applied = ctx.partDept ? await closePart(ctx, ctx.partDept) : await closeItem(ctx);
    if (ctx.note) ctx.details.note = ctx.note;
    return applied;
  },
};

async function closePart(ctx: ActionContext, dept: string): Promise<Applied> {
  const { trx, item, now, note } = ctx;
  await updatePart(trx, item.id, dept, {
    status: 'done',
    doneAt: now,
    doneBy: ctx.actor.openId,
    ...(note ? { note } : {}),
  });
  const updated = await updateItem(trx, item.id, {}, now);
  return { item: updated, message: `已办结（${deptName(ctx, dept)}会办部分）` };
}

async function closeItem(ctx: ActionContext): Promise<Applied> {
  const { trx, item, now, note } = ctx;
  const updated = await updateItem(
    trx,
    item.id,
    {
      status: 'done',
      closed_at: now,
      closed_by: ctx.actor.openId,
      ...(note ? { progress_note: note, progress_at: now } : {}),
    },
    now,
  );
  const open = ctx.parts.filter((p) => p.status === 'open').map((p) => p.dept);
  if (open.length) ctx.details.openParts = open;
  await withdrawPending(ctx);
  return { item: updated, message: ctx.input.action === 'read' ? '已阅' : '已办结' };
}
