import { listProgressReports } from '../../db/repos/history.js';
import { updateItem, updatePart } from '../../db/repos/items.js';
import { periodLabel } from '../../domain/rhythm.js';
import type { Item } from '../../domain/types.js';
import { loadRhythmClock, rhythmStateOf } from '../rhythm.js';
import { type ActionContext, type ActionHandler, refused } from './context.js';

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
    const period = partDept ? null : await periodAnswered(ctx, updated, note);
    if (period) ctx.details.report = period.start;
    const message = period
      ? `已记录进展（${period.label}${period.late ? '进展，补报' : '进展'}）`
      : '已记录进展';
    return { item: updated, message };
  },
};

/** The reporting period (以旬保月) this report answers, for a task on a rhythm. */
async function periodAnswered(
  ctx: ActionContext,
  item: Item,
  note: string,
): Promise<{ start: string; label: string; late: boolean } | null> {
  if (item.kind !== 'task' || !item.reportEvery) return null;
  const { trx, now } = ctx;
  const earlier = (await listProgressReports(trx, [item.id])).get(item.id) ?? [];
  const clock = await loadRhythmClock(ctx.deps, trx, now, ctx.timeZone);
  const mine = { at: now, note };
  const state = rhythmStateOf(item, [...earlier, mine], clock);
  const p = state?.periods.find((x) => x.report === mine);
  if (!p) return null;
  return { start: p.start, label: periodLabel(p, item.reportEvery), late: p.late };
}
