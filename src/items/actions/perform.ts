import { hasRequest } from '../../db/repos/history.js';
import { getAttendees, getParts, lockItemWithPending } from '../../db/repos/items.js';
import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { normalizeItemId, stateProblem } from '../../domain/items.js';
import { authorize } from '../../domain/permissions.js';
import type { ItemPart, MeetingAttendee } from '../../domain/types.js';
import { referenceData } from '../../settings/reference-data.js';
import type { ItemChange } from '../notifications/notify-item-change.js';
import type { ActionHandler, ActionOutcome, Applied, ItemActionInput } from './context.js';
import { type ActionContext, recordAndNotify, refused, trimmed } from './context.js';
import { ACTION_HANDLERS } from './index.js';

export type { ActionOutcome, ItemActionInput } from './context.js';

/**
 * Every operation on an item — from the API, a card button or a chat command — goes through here,
 * in one transaction: load and lock the item row (SELECT … FOR UPDATE, so concurrent claims are
 * first-wins), answer repeats idempotently, authorise (domain/permissions.ts) and check the state
 * (domain/items.ts), apply the action's handler (src/items/actions/<action>.ts), record
 * it in the history and enqueue the notifications (notifyItemChanged).
 */
export async function performItemAction(deps: Deps, input: ItemActionInput): Promise<ActionOutcome> {
  const id = normalizeItemId(input.itemId);
  if (!id)
    return { ok: false, code: 'not_found', message: `找不到事项“${input.itemId}”，请核对编号（如 D-12）` };
  return deps.database.db.transaction().execute((trx) => runAction(trx, deps, { ...input, itemId: id }));
}

/** performItemAction inside the caller's transaction (a card click does more in the same one). */
export async function performItemActionIn(
  trx: Trx,
  deps: Deps,
  input: ItemActionInput,
): Promise<ActionOutcome> {
  const id = normalizeItemId(input.itemId);
  if (!id)
    return { ok: false, code: 'not_found', message: `找不到事项“${input.itemId}”，请核对编号（如 D-12）` };
  return runAction(trx, deps, { ...input, itemId: id });
}

async function runAction(trx: Trx, deps: Deps, input: ItemActionInput): Promise<ActionOutcome> {
  const ctx = await load(trx, deps, input);
  if ('ok' in ctx) return ctx;
  const handler: ActionHandler | undefined = ACTION_HANDLERS[input.action];
  if (!handler) return refused(ctx, 'invalid_input', `不支持的操作：${String(input.action)}`);

  // Repeats of something already done are successes that change nothing.
  const repeat = input.partDept ? null : await handler.repeat?.(ctx);
  if (repeat) return repeat;

  const refusal = authorise(ctx);
  if (refusal) return refusal;
  const problem = stateProblem({ ...ctx.item, parts: ctx.parts, attendees: ctx.attendees }, input.action, {
    pending: ctx.pending,
    partDept: ctx.partDept,
  });
  if (problem) return (await handler.repeatOfPart?.(ctx)) ?? refused(ctx, problem.code, problem.message);

  const applied = await handler.apply(ctx);
  if ('ok' in applied) return applied;
  return record(ctx, applied);
}

/** Locks the item and gathers what every action needs; a missing item or actor ends here. */
async function load(trx: Trx, deps: Deps, input: ItemActionInput): Promise<ActionContext | ActionOutcome> {
  // The lock and the reference versions in one round trip (they do not depend on each other).
  const [locked, ref] = await Promise.all([lockItemWithPending(trx, input.itemId), referenceData(deps, trx)]);
  if (!locked) return { ok: false, code: 'not_found', message: `找不到事项 ${input.itemId}，请核对编号` };
  const { item, pending } = locked;
  const actor = ref.people.get(input.by);
  if (!actor) return { ok: false, code: 'forbidden', message: '您尚未登记，请联系办公室管理员', item };
  if (input.requestId && (await hasRequest(trx, item.id, input.requestId)))
    return { ok: true, changed: false, item, message: '该操作已处理' };

  // Co-handling parts belong to tasks and attendees to meetings: other kinds have none to read.
  const [parts, attendees] = await Promise.all([
    item.kind === 'task' ? getParts(trx, [item.id]) : new Map<string, ItemPart[]>(),
    item.kind === 'meeting' ? getAttendees(trx, [item.id]) : new Map<string, MeetingAttendee[]>(),
  ]);
  const departments = [...ref.departments];
  const nameOf = (openId: string) => ref.people.get(openId)?.name ?? openId;
  return {
    trx,
    deps,
    input,
    now: deps.clock.now(),
    timeZone: deps.config.timezone,
    item,
    actor,
    parts: parts.get(item.id) ?? [],
    attendees: attendees.get(item.id) ?? [],
    pending,
    departments,
    nameOf,
    partDept: null,
    note: trimmed(input.note),
    details: input.requestId ? { requestId: input.requestId } : {},
  };
}

/** Who may act (domain/permissions.ts); an allowed action may be narrowed to a co-handling part. */
function authorise(ctx: ActionContext): ActionOutcome | null {
  const { item, input } = ctx;
  const names: Record<string, string> = {};
  for (const id of [item.assignee, item.closedBy]) if (id) names[id] = ctx.nameOf(id);
  const decision = authorize(
    ctx.actor,
    input.action,
    { ...item, parts: ctx.parts, attendees: ctx.attendees },
    {
      departments: ctx.departments,
      names,
      extensionRequestedBy: ctx.pending?.requestedBy ?? null,
      ...(input.partDept ? { partDept: input.partDept } : {}),
    },
  );
  if (!decision.allowed) return refused(ctx, 'forbidden', decision.reason);
  ctx.partDept = decision.partDept ?? null;
  if (ctx.partDept) ctx.details.part = ctx.partDept;
  return null;
}

/** 留痕 and notifications of the applied action. */
async function record(ctx: ActionContext, applied: Applied): Promise<ActionOutcome> {
  const change: ItemChange = {
    item: applied.item,
    previous: ctx.item,
    action: ctx.input.action,
    actor: ctx.actor.openId,
    at: ctx.now,
    details: ctx.details,
  };
  await recordAndNotify(ctx.trx, ctx.deps, change);
  return { ok: true, changed: true, item: applied.item, message: applied.message, change };
}
