import { withdrawExtension } from '../../db/repos/extension-requests.js';
import { appendHistory } from '../../db/repos/history.js';
import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type {
  ActionName,
  Department,
  ExtensionRequest,
  Item,
  ItemPart,
  MeetingAttendee,
  Person,
} from '../../domain/types.js';
import { type ItemChange, notifyItemChanged } from '../notifications/notify-item-change.js';

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
  /**
   * approve-extension / reject-extension: the extension request the decision was shown (the
   * approval card's button, the API's requestId); a decision never falls on another request
   */
  extensionId?: number;
  /** the co-handling unit whose part the action is about */
  partDept?: string;
  /** the id of the click / message / API call, so a retried request changes nothing twice */
  requestId?: string;
}

export type ActionFailureCode = 'not_found' | 'forbidden' | 'invalid_state' | 'invalid_input';

export type ActionOutcome =
  | { ok: true; changed: boolean; item: Item; message: string; change?: ItemChange }
  | { ok: false; code: ActionFailureCode; message: string; item?: Item };

/** Everything an action handler sees: the locked item, who acts, and what surrounds the item. */
export interface ActionContext {
  trx: Trx;
  deps: Deps;
  input: ItemActionInput;
  now: Date;
  timeZone: string;
  /** The item as it was when its row was locked. */
  item: Item;
  actor: Person;
  parts: ItemPart[];
  attendees: MeetingAttendee[];
  pending: ExtensionRequest | null;
  departments: Department[];
  /** Display names of the people the action concerns (open_id when no longer registered). */
  nameOf: (openId: string) => string;
  /** The co-handling unit the action applies to, once authorised (null: the whole item). */
  partDept: string | null;
  /** The trimmed note, or null. */
  note: string | null;
  /** What goes into the history row (and the change the notifications see). */
  details: Record<string, unknown>;
}

/** What an action did: the item after it, and the answer to the person who acted. */
export interface Applied {
  item: Item;
  message: string;
}

/**
 * One action: `repeat` answers a repeat of something already done (checked before permission,
 * so a late click by someone else still learns who did it); `repeatOfPart` turns a state problem
 * that is a repeat on a co-handling part into an answer; `apply` changes the item.
 */
export interface ActionHandler {
  repeat?(ctx: ActionContext): Promise<ActionOutcome | null>;
  repeatOfPart?(ctx: ActionContext): Promise<ActionOutcome | null>;
  apply(ctx: ActionContext): Promise<Applied | ActionOutcome>;
}

export function unchanged(ctx: ActionContext, message: string): ActionOutcome {
  return { ok: true, changed: false, item: ctx.item, message };
}

export function refused(ctx: ActionContext, code: ActionFailureCode, message: string): ActionOutcome {
  return { ok: false, code, message, item: ctx.item };
}

export function deptName(ctx: ActionContext, code: string): string {
  return ctx.departments.find((d) => d.code === code)?.name ?? code;
}

export function trimmed(text: string | undefined): string | null {
  return text?.trim() || null;
}

/** A closed or cancelled item's pending extension request falls away with it, on the record. */
export async function withdrawPending(ctx: ActionContext): Promise<void> {
  if (!ctx.pending) return;
  await withdrawExtension(ctx.trx, ctx.pending.id);
  ctx.details.withdrawnExtension = ctx.pending.id;
}

/** 留痕 and notifications of one change, in the transaction that made it. */
export async function recordAndNotify(trx: Trx, deps: Deps, change: ItemChange): Promise<void> {
  const { item, at, actor, action, details } = change;
  // The history row goes out with the notifications' first read (one round trip on Postgres).
  await Promise.all([
    appendHistory(trx, { itemId: item.id, at, actor, action, details }),
    notifyItemChanged(trx, deps, change),
  ]);
}
