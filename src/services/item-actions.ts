import type { Transaction } from 'kysely';
import { listDepartments } from '../db/repos/departments.js';
import { appendHistory, hasRequest } from '../db/repos/history.js';
import {
  decideExtension,
  getAttendees,
  getItemRow,
  getParts,
  insertExtensionRequest,
  listExtensionRequests,
  pendingExtension,
  setAttendance,
  updateItem,
  updatePart,
} from '../db/repos/items.js';
import { chiefsFor, getPeople, getPerson } from '../db/repos/people.js';
import type { Database } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { formatWhenZh, normalizeItemId, stateProblem } from '../domain/items.js';
import { authorize } from '../domain/permissions.js';
import { atLocal, localDate, localTime } from '../domain/time.js';
import type { ActionName, Item } from '../domain/types.js';
import { loadWorkCalendar } from './calendar.js';
import { type ItemChange, notifyItemChanged } from './notify-item-change.js';

export interface ItemActionInput {
  itemId: string;
  action: ActionName;
  /** open_id of the person acting */
  by: string;
  /** progress text, or a note with done/cancel */
  note?: string;
  /** extend: by this many working days (from the current deadline) … */
  days?: number;
  /** … or to this instant */
  newDueAt?: Date;
  /** extend / reject-extension / reassign / cancel: why */
  reason?: string;
  /** reassign: the new handler's open_id */
  to?: string;
  /** the co-handling unit whose part the action is about */
  partDept?: string;
  /** the id of the click / message / API call, so a retried request changes nothing twice */
  requestId?: string;
}

export type ActionOutcome =
  | { ok: true; changed: boolean; item: Item; message: string; change?: ItemChange }
  | {
      ok: false;
      code: 'not_found' | 'forbidden' | 'invalid_state' | 'invalid_input';
      message: string;
      item?: Item;
    };

type Trx = Transaction<Database>;

/**
 * Every operation on an item — from the API, a card button or a chat command — goes through here:
 * one transaction that locks the item row (SELECT … FOR UPDATE, so concurrent claims are
 * first-wins), answers repeats idempotently, checks permission and state, changes the item, bumps
 * its version, appends history and enqueues the notifications (notifyItemChanged).
 */
export async function performItemAction(deps: Deps, input: ItemActionInput): Promise<ActionOutcome> {
  const id = normalizeItemId(input.itemId);
  if (!id)
    return { ok: false, code: 'not_found', message: `找不到事项“${input.itemId}”，请核对编号（如 D-12）` };
  return deps.database.db.transaction().execute((trx) => inTransaction(trx, deps, { ...input, itemId: id }));
}

async function inTransaction(trx: Trx, deps: Deps, input: ItemActionInput): Promise<ActionOutcome> {
  const tz = deps.config.timezone;
  const now = deps.clock.now();
  const { action, by } = input;
  const item = await getItemRow(trx, input.itemId, true);
  if (!item) return { ok: false, code: 'not_found', message: `找不到事项 ${input.itemId}，请核对编号` };

  const actor = await getPerson(trx, by);
  if (!actor) return { ok: false, code: 'forbidden', message: '您尚未登记，请联系办公室管理员', item };
  if (input.requestId && (await hasRequest(trx, item.id, input.requestId)))
    return { ok: true, changed: false, item, message: '该操作已处理' };

  const [partsMap, attendeesMap, pending, departments] = await Promise.all([
    getParts(trx, [item.id]),
    getAttendees(trx, [item.id]),
    pendingExtension(trx, item.id),
    listDepartments(trx),
  ]);
  const parts = partsMap.get(item.id) ?? [];
  const attendees = attendeesMap.get(item.id) ?? [];
  const nameOf = await namer(trx, [item.assignee, item.closedBy, pending?.requestedBy, input.to]);

  // Repeats of something already done are successes that change nothing.
  const unchanged = (message: string): ActionOutcome => ({ ok: true, changed: false, item, message });
  if (!input.partDept) {
    if ((action === 'done' || action === 'read') && item.status === 'done') {
      const verb = (await lastClosingAction(trx, item.id)) === 'read' ? '标记已阅' : '办结';
      const who = item.closedBy ? nameOf(item.closedBy) : '他人';
      const when = item.closedAt ? `于${formatWhenZh(item.closedAt, tz)}` : '';
      return unchanged(`该事项已由${who}${when}${verb}`);
    }
    if (action === 'cancel' && item.status === 'cancelled')
      return unchanged(`该事项已${item.closedAt ? `于${formatWhenZh(item.closedAt, tz)}` : ''}撤销`);
    if (action === 'claim' && item.status === 'open' && item.assignee === by)
      return unchanged('您已认领该事项');
    if (action === 'claim' && item.status === 'open' && item.assignee && item.assignee !== by)
      return { ok: false, code: 'invalid_state', message: `该事项已由${nameOf(item.assignee)}认领`, item };
    if ((action === 'attend' || action === 'leave') && item.status === 'open') {
      const mine = attendees.find((a) => a.openId === by);
      if (mine && mine.attendance === action)
        return unchanged(action === 'attend' ? '您已确认参会' : '您已请假');
    }
    if ((action === 'approve-extension' || action === 'reject-extension') && !pending) {
      const last = (await listExtensionRequests(trx, item.id)).at(-1);
      const same = last && last.status === (action === 'approve-extension' ? 'approved' : 'rejected');
      if (same && last.decidedAt) {
        const names = await namer(trx, [last.decidedBy]);
        const verb = action === 'approve-extension' ? '批准' : '驳回';
        return unchanged(
          `该延期申请已由${names(last.decidedBy ?? '')}于${formatWhenZh(last.decidedAt, tz)}${verb}`,
        );
      }
    }
  }

  const names: Record<string, string> = {};
  for (const idv of [item.assignee, item.closedBy]) if (idv) names[idv] = nameOf(idv);
  const decision = authorize(
    actor,
    action,
    { ...item, parts, attendees },
    {
      departments,
      names,
      ...(input.partDept ? { partDept: input.partDept } : {}),
    },
  );
  if (!decision.allowed) return { ok: false, code: 'forbidden', message: decision.reason, item };
  const partDept = decision.partDept ?? null;

  const problem = stateProblem({ ...item, parts, attendees }, action, { pending, partDept });
  if (problem) {
    if (partDept && action === 'done' && parts.find((p) => p.dept === partDept)?.status === 'done') {
      const part = parts.find((p) => p.dept === partDept)!;
      const who = await namer(trx, [part.doneBy]);
      return unchanged(
        `该会办部分已由${who(part.doneBy ?? '')}${part.doneAt ? `于${formatWhenZh(part.doneAt, tz)}` : ''}办结`,
      );
    }
    return { ok: false, code: problem.code, message: problem.message, item };
  }

  const deptName = (code: string) => departments.find((d) => d.code === code)?.name ?? code;
  const note = input.note?.trim() || null;
  const details: Record<string, unknown> = {};
  if (input.requestId) details.requestId = input.requestId;
  if (partDept) details.part = partDept;
  let updated: Item;
  let message: string;

  switch (action) {
    case 'done':
    case 'read': {
      if (partDept) {
        await updatePart(trx, item.id, partDept, {
          status: 'done',
          doneAt: now,
          doneBy: by,
          ...(note ? { note } : {}),
        });
        updated = await updateItem(trx, item.id, {}, now);
        message = `已办结（${deptName(partDept)}会办部分）`;
      } else {
        updated = await updateItem(
          trx,
          item.id,
          {
            status: 'done',
            closed_at: now,
            closed_by: by,
            ...(note ? { progress_note: note, progress_at: now } : {}),
          },
          now,
        );
        const open = parts.filter((p) => p.status === 'open').map((p) => p.dept);
        if (open.length) details.openParts = open;
        message = action === 'read' ? '已阅' : '已办结';
        if (pending) {
          await trx
            .updateTable('extension_requests')
            .set({ status: 'withdrawn' })
            .where('id', '=', pending.id)
            .execute();
          details.withdrawnExtension = pending.id;
        }
      }
      if (note) details.note = note;
      break;
    }
    case 'claim': {
      updated = await updateItem(trx, item.id, { assignee: by }, now);
      message = '已认领';
      break;
    }
    case 'progress': {
      if (!note) return { ok: false, code: 'invalid_input', message: '请填写进展内容', item };
      if (note.length > 2000)
        return { ok: false, code: 'invalid_input', message: '进展内容过长（最多2000字）', item };
      if (partDept) {
        await updatePart(trx, item.id, partDept, { note });
        updated = await updateItem(trx, item.id, {}, now);
      } else {
        updated = await updateItem(trx, item.id, { progress_note: note, progress_at: now }, now);
      }
      details.note = note;
      message = '已记录进展';
      break;
    }
    case 'extend': {
      const current = item.dueAt!;
      let newDueAt: Date;
      if (input.newDueAt) {
        newDueAt = input.newDueAt;
      } else if (input.days !== undefined) {
        if (!Number.isInteger(input.days) || input.days < 1 || input.days > 60)
          return { ok: false, code: 'invalid_input', message: '延期天数须为1至60之间的整数（工作日）', item };
        const calendar = await loadWorkCalendar(trx);
        const day = calendar.addWorkdays(localDate(current, tz), input.days);
        newDueAt = atLocal(day, localTime(current, tz), tz);
        details.days = input.days;
      } else {
        return {
          ok: false,
          code: 'invalid_input',
          message: '请说明延期几个工作日，例如：延期 D-12 3天',
          item,
        };
      }
      if (newDueAt.getTime() <= current.getTime())
        return { ok: false, code: 'invalid_input', message: '延期后的时限须晚于原时限', item };
      const reason = input.reason?.trim() || null;
      const request = await insertExtensionRequest(trx, {
        itemId: item.id,
        by,
        at: now,
        currentDueAt: current,
        newDueAt,
        reason,
      });
      updated = await updateItem(trx, item.id, {}, now);
      Object.assign(details, {
        requestId: input.requestId,
        extensionId: request.id,
        currentDueAt: current.toISOString(),
        newDueAt: newDueAt.toISOString(),
        reason,
      });
      if (!input.requestId) delete details.requestId;
      const chiefs = (await chiefsFor(trx, item.dept)).filter((c) => c.openId !== by);
      const approvers = chiefs.length ? chiefs.map((c) => c.name).join('、') : '处室负责同志';
      message = `已提交延期申请，等待${approvers}审批`;
      break;
    }
    case 'approve-extension': {
      const p = pending!;
      await decideExtension(trx, p.id, {
        status: 'approved',
        by,
        at: now,
        note: input.reason?.trim() || null,
      });
      updated = await updateItem(trx, item.id, { due_at: p.newDueAt }, now);
      Object.assign(details, {
        extensionId: p.id,
        requestedBy: p.requestedBy,
        oldDueAt: item.dueAt?.toISOString() ?? null,
        newDueAt: p.newDueAt.toISOString(),
      });
      message = `已批准延期至${formatWhenZh(p.newDueAt, tz)}`;
      break;
    }
    case 'reject-extension': {
      const p = pending!;
      const reason = input.reason?.trim() || null;
      await decideExtension(trx, p.id, { status: 'rejected', by, at: now, note: reason });
      updated = await updateItem(trx, item.id, {}, now);
      Object.assign(details, { extensionId: p.id, requestedBy: p.requestedBy, reason });
      message = '已驳回延期申请';
      break;
    }
    case 'reassign': {
      const to = input.to?.trim();
      if (!to) return { ok: false, code: 'invalid_input', message: '请指定改派给谁', item };
      const target = await getPerson(trx, to);
      if (!target)
        return { ok: false, code: 'invalid_input', message: '改派对象尚未登记，请先登记人员', item };
      const from = partDept ? (parts.find((p) => p.dept === partDept)?.assignee ?? null) : item.assignee;
      if (from === to) return unchanged(`该事项已由${target.name}承办`);
      if (partDept) {
        await updatePart(trx, item.id, partDept, { assignee: to });
        updated = await updateItem(trx, item.id, {}, now);
      } else {
        updated = await updateItem(trx, item.id, { assignee: to }, now);
      }
      Object.assign(details, { from, to, reason: input.reason?.trim() || null });
      message = `已改派给${target.name}`;
      break;
    }
    case 'cancel': {
      updated = await updateItem(trx, item.id, { status: 'cancelled', closed_at: now, closed_by: by }, now);
      if (pending) {
        await trx
          .updateTable('extension_requests')
          .set({ status: 'withdrawn' })
          .where('id', '=', pending.id)
          .execute();
        details.withdrawnExtension = pending.id;
      }
      details.reason = input.reason?.trim() || note;
      if (item.kind === 'meeting') {
        const cancelled = await cancelMinutesTasks(trx, deps, item.id, by, now);
        if (cancelled.length) details.cancelledMinutesTasks = cancelled;
      }
      message = '已撤销';
      break;
    }
    case 'attend':
    case 'leave': {
      await setAttendance(trx, item.id, by, action, now);
      updated = await updateItem(trx, item.id, {}, now);
      details.attendance = action;
      if (note) details.note = note;
      message = action === 'attend' ? '已确认参会' : '已请假';
      break;
    }
    default:
      return { ok: false, code: 'invalid_input', message: `不支持的操作：${String(action)}`, item };
  }

  await appendHistory(trx, { itemId: item.id, at: now, actor: by, action, details });
  const change: ItemChange = { item: updated, previous: item, action, actor: by, at: now, details };
  await notifyItemChanged(trx, deps, change);
  return { ok: true, changed: true, item: updated, message, change };
}

/** Display names for messages (falls back to the open_id for people no longer registered). */
async function namer(trx: Trx, ids: (string | null | undefined)[]): Promise<(id: string) => string> {
  const people = await getPeople(
    trx,
    ids.filter((x): x is string => !!x),
  );
  const map = new Map(people.map((p) => [p.openId, p.name]));
  return (id: string) => map.get(id) ?? id;
}

async function lastClosingAction(trx: Trx, itemId: string): Promise<string | null> {
  const r = await trx
    .selectFrom('item_history')
    .select('action')
    .where('item_id', '=', itemId)
    .where('action', 'in', ['done', 'read'])
    .where((eb) => eb(eb.ref('details', '->>').key('part' as never), 'is', null))
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.action ?? null;
}

/** A cancelled meeting needs no minutes: its open minutes task is cancelled with it, on the record. */
async function cancelMinutesTasks(
  trx: Trx,
  deps: Deps,
  meetingId: string,
  by: string,
  now: Date,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('item_history')
    .select('details')
    .where('item_id', '=', meetingId)
    .where('action', '=', 'minutes-task')
    .execute();
  const out: string[] = [];
  for (const r of rows) {
    const details = (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as {
      taskId?: string;
    };
    if (!details.taskId) continue;
    const task = await getItemRow(trx, details.taskId, true);
    if (!task || task.status !== 'open') continue;
    const updated = await updateItem(
      trx,
      task.id,
      { status: 'cancelled', closed_at: now, closed_by: by },
      now,
    );
    const d = { reason: '会议已撤销', meeting: meetingId };
    await appendHistory(trx, { itemId: task.id, at: now, actor: by, action: 'cancel', details: d });
    await notifyItemChanged(trx, deps, {
      item: updated,
      previous: task,
      action: 'cancel',
      actor: by,
      at: now,
      details: d,
    });
    out.push(task.id);
  }
  return out;
}
