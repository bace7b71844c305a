import { decideExtension } from '../../db/repos/extension-requests.js';
import { updateItem } from '../../db/repos/items.js';
import { formatWhenZh } from '../../domain/items.js';
import { type ActionHandler, trimmed } from './context.js';
import { checkDecision } from './decide-extension.js';

/** 同意延期: the pending request's deadline becomes the item's. */
export const approveExtension: ActionHandler = {
  repeat: (ctx) => checkDecision(ctx, 'approved'),

  async apply(ctx) {
    const { trx, item, now } = ctx;
    const request = ctx.pending!;
    const by = ctx.actor.openId;
    await decideExtension(trx, request.id, {
      status: 'approved',
      by,
      at: now,
      note: trimmed(ctx.input.reason),
    });
    const updated = await updateItem(trx, item.id, { due_at: request.newDueAt }, now);
    Object.assign(ctx.details, {
      extensionId: request.id,
      requestedBy: request.requestedBy,
      oldDueAt: item.dueAt?.toISOString() ?? null,
      newDueAt: request.newDueAt.toISOString(),
    });
    return { item: updated, message: `已批准延期至${formatWhenZh(request.newDueAt, ctx.timeZone)}` };
  },
};
