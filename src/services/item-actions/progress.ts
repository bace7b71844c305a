import { updateItem, updatePart } from '../../db/repos/items.js';
import { type ActionHandler, refused } from './context.js';

export const PROGRESS_MAX_CHARS = 2000;

/** 进展: a progress report on the item, or on one co-handling unit's part. */
export const progress: ActionHandler = {
  async apply(ctx) {
    const { trx, item, now, note, partDept } = ctx;
    if (!note) return refused(ctx, 'invalid_input', '请填写进展内容');
    if (note.length > PROGRESS_MAX_CHARS)
      return refused(ctx, 'invalid_input', `进展内容过长（最多${PROGRESS_MAX_CHARS}字）`);
    let updated: typeof item;
    if (partDept) {
      await updatePart(trx, item.id, partDept, { note });
      updated = await updateItem(trx, item.id, {}, now);
    } else {
      updated = await updateItem(trx, item.id, { progress_note: note, progress_at: now }, now);
    }
    ctx.details.note = note;
    return { item: updated, message: '已记录进展' };
  },
};
