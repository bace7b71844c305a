import { updateItem, updatePart } from '../../db/repos/items.js';
import { getPerson } from '../../db/repos/people.js';
import { reassignProblem } from '../../domain/permissions.js';
import { type ActionHandler, refused, trimmed, unchanged } from './context.js';

/** 改派: a chief hands the item (or a co-handling unit's part) to another person. */
export const reassign: ActionHandler = {
  async apply(ctx) {
    const { trx, item, now, partDept } = ctx;
    const to = ctx.input.to?.trim();
    if (!to) return refused(ctx, 'invalid_input', '请指定改派给谁');
    const target = await getPerson(trx, to);
    if (!target) return refused(ctx, 'invalid_input', '改派对象尚未登记，请先登记人员');
    const from = partDept ? (ctx.parts.find((p) => p.dept === partDept)?.assignee ?? null) : item.assignee;
    if (from === to) return unchanged(ctx, `该事项已由${target.name}承办`);
    const home = partDept ?? item.dept ?? item.leadDept;
    const problem = reassignProblem(ctx.actor, target, home, ctx.departments);
    if (problem) return refused(ctx, 'forbidden', problem);
    let updated: typeof item;
    if (partDept) {
      await updatePart(trx, item.id, partDept, { assignee: to });
      updated = await updateItem(trx, item.id, {}, now);
    } else {
      updated = await updateItem(trx, item.id, { assignee: to }, now);
    }
    Object.assign(ctx.details, { from, to, reason: trimmed(ctx.input.reason) });
    return { item: updated, message: `已改派给${target.name}` };
  },
};
