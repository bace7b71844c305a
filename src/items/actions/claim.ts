import { updateItem } from '../../db/repos/items.js';
import { type ActionHandler, refused, unchanged } from './context.js';

/** 认领 (首问负责): the first member of the department to claim an unassigned item owns it. */
export const claim: ActionHandler = {
  async repeat(ctx) {
    const { item, actor } = ctx;
    if (item.status !== 'open' || !item.assignee) return null;
    if (item.assignee === actor.openId) return unchanged(ctx, '您已认领该事项');
    return refused(ctx, 'invalid_state', `该事项已由${ctx.nameOf(item.assignee)}认领`);
  },

  async apply(ctx) {
    const item = await updateItem(ctx.trx, ctx.item.id, { assignee: ctx.actor.openId }, ctx.now);
    return { item, message: '已认领' };
  },
};
