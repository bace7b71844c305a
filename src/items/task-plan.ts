import { appendHistory } from '../db/repos/history.js';
import { lockItem, storedMilestones, updateItem } from '../db/repos/items.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { normalizeItemId } from '../domain/items.js';
import { authorize } from '../domain/permissions.js';
import type { Item, ReportEvery } from '../domain/types.js';
import { AppError, notFound } from '../platform/errors.js';
import { referenceData } from '../settings/reference-data.js';
import { checkMilestones, invalid, type MilestoneInput } from './items.js';

export interface TaskPlanPatch {
  reportEvery?: ReportEvery | null;
  /** The whole list: it replaces the milestones; `done: true` marks one reached. */
  milestones?: (MilestoneInput & { done?: boolean })[];
}

/** The history actor when the caller names nobody. */
export const ADMIN_API_ACTOR = 'admin-api';

/**
 * PATCH /api/v1/items/:id: a task's reporting rhythm and milestones, changed on an open task in
 * one transaction with an 'update' history row (留痕). A milestone keeps the moment it was first
 * marked reached; reached ones may lie in the past. A named `by` must be a registered person who
 * may direct the task: a chief of its department (or of the top department) or an admin.
 */
export async function updateTaskPlan(
  deps: Deps,
  id: string,
  patch: TaskPlanPatch,
  actor: string,
): Promise<Item> {
  const now = deps.clock.now();
  return inTransaction(deps.database.db, async (trx) => {
    const norm = normalizeItemId(id);
    const item = norm ? await lockItem(trx, norm) : null;
    if (!item) throw notFound(`No item "${id}" (ids look like D-12, M-3, T-7).`);
    if (item.kind !== 'task')
      throw new AppError(409, 'invalid_state', `${item.id} is a ${item.kind}: only tasks report on a rhythm`);
    if (item.status !== 'open') throw new AppError(409, 'invalid_state', `${item.id} is ${item.status}`);
    if (actor !== ADMIN_API_ACTOR) {
      const ref = await referenceData(deps, trx);
      const person = ref.people.get(actor);
      if (!person) throw invalid('by', `unknown person "${actor}"`);
      const decision = authorize(person, 'reassign', item, { departments: [...ref.departments] });
      if (!decision.allowed)
        throw new AppError(403, 'forbidden', `by: ${actor} may not change the plan of ${item.id}`, [
          { field: 'by', message: decision.reason },
        ]);
    }
    const set: Parameters<typeof updateItem>[2] = {};
    const details: Record<string, unknown> = {};
    if (patch.reportEvery !== undefined) {
      set.report_every = patch.reportEvery;
      // A new rhythm starts now: the periods before it owe nothing.
      if (patch.reportEvery !== item.reportEvery) set.report_since = now;
      details.reportEvery = patch.reportEvery;
    }
    if (patch.milestones !== undefined) {
      const before = item.milestones ?? [];
      const list = patch.milestones.map((m) => {
        const was = before.find((b) => b.title === m.title && b.doneAt);
        const kept = before.some((b) => b.title === m.title && b.dueAt.getTime() === m.dueAt.getTime());
        return { ...m, kept, doneAt: m.done ? (was?.doneAt ?? now) : null };
      });
      const checked = checkMilestones(list, item.dueAt, now);
      set.milestones = storedMilestones(checked);
      details.milestones = checked.map((m) => ({
        title: m.title,
        dueAt: m.dueAt.toISOString(),
        doneAt: m.doneAt?.toISOString() ?? null,
      }));
    }
    if (Object.keys(set).length === 0) return item;
    const updated = await updateItem(trx, item.id, set, now);
    await appendHistory(trx, { itemId: item.id, at: now, actor, action: 'update', details });
    return updated;
  });
}
