import { decideExtension } from '../../db/repos/extension-requests.js';
import { updateItem } from '../../db/repos/items.js';
import { type ActionHandler, trimmed } from './context.js';
import { checkDecision } from './decide-extension.js';

/** 驳回延期: the deadline stays; the requester hears why. */
export const rejectExtension: ActionHandler = {
  repeat: (ctx) => checkDecision(ctx, 'rejected'),

  async apply(ctx) {
    const { trx, item, now } = ctx;
    const request = ctx.pending!;
    const reason = trimmed(ctx.input.reason);
    await decideExtension(trx, request.id, {
      status: 'rejected',
      by: ctx.actor.openId,
      at: now,
      note: reason,
    });
    const updated = await updateItem(trx, item.id, {}, now);
    Object.assign(ctx.details, { extensionId: request.id, requestedBy: request.requestedBy, reason });
    return { item: updated, message: '已驳回延期申请' };
  },
};
