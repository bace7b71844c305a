import { createHash } from 'node:crypto';
import { listExtensionRequests } from '../../db/repos/extension-requests.js';
import { getItemRow } from '../../db/repos/items.js';
import { findSentMessage, type SentMessage } from '../../db/repos/outbox.js';
import { listPeople } from '../../db/repos/people.js';
import type { Db, Trx } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import type { Deps } from '../../deps.js';
import { endOfWorkday } from '../../domain/deadlines.js';
import { formatWhenZh } from '../../domain/items.js';
import { authorize } from '../../domain/permissions.js';
import { isValidDate } from '../../domain/time.js';
import type { ActionName, Item, Person } from '../../domain/types.js';
import {
  type ActionOutcome,
  type ItemActionInput,
  performItemActionIn,
} from '../../items/actions/perform.js';
import { ITEM_CARD_PURPOSE, sendCard } from '../../items/notifications/messages.js';
import {
  buildItemCardView,
  closedText,
  deptNamesOf,
  loadViewContext,
  namesOf,
  type ViewContext,
} from '../../items/views/item-view.js';
import { todoCardFor } from '../../items/views/todo.js';
import { ROUND_CARD_PURPOSES, redrawRoundCard } from '../../reminders/round-cards.js';
import { type CardJson, canStillUpdate } from '../cards/common.js';
import { extensionCard } from '../cards/extension-card.js';
import { type Audience, itemCard, type OpenForm } from '../cards/item-card.js';
import {
  DIRECT_OPS,
  extendForm,
  type FormOp,
  type ItemButtonValue,
  isDutyValue,
  parseButtonValue,
  progressForm,
  reassignForm,
} from '../cards/values.js';
import type { CardAction } from '../events.js';
import { outboxKey } from '../outbox/enqueue.js';
import { type CardActionAnswer, type CardCallback, warn } from './card-answer.js';
import { answerDutyAction } from './duty-actions.js';
import { nudgeHandler } from './nudge.js';

/**
 * A click on a card button (or a form submitted from a card). Answered within Lark's 3 s with a
 * toast and the card as the clicker should now see it; the other copies of the card (the group's)
 * are patched through the outbox by the item services' notification. A refused click changes
 * nothing and says why; a click on a stale card says who closed the item and when, and refreshes it.
 * A card older than Lark's 14-day update window cannot be replaced: the clicker gets the fresh
 * card as a new message instead.
 */
export async function answerCardAction(
  deps: Deps,
  action: CardAction,
  callback?: CardCallback,
): Promise<CardActionAnswer> {
  const value = parseButtonValue(action.value);
  if (!value) {
    deps.logger.warn('card action with an unknown value', { operator: action.operatorOpenId });
    return warn('该卡片已失效，请回复「待办」查看最新事项');
  }
  const { db } = deps.database;
  if (isDutyValue(value) || value.op === 'nudge') {
    const sent = action.messageId ? await findSentMessage(db, action.messageId) : null;
    const answer = isDutyValue(value)
      ? await answerDutyAction(deps, action, value)
      : await nudgeHandler(deps, action.operatorOpenId, value.item);
    return freshIfOld(deps, db, action, sent, answer);
  }
  // An item's button: one transaction finds the card, locks and changes the item, queues the
  // patches, draws the answer from what it already read and records it on the callback.
  return inTransaction(db, async (trx) => {
    // The card lookup goes out with the click's first statements: one round trip on Postgres.
    const sent = action.messageId ? findSentMessage(trx, action.messageId) : Promise.resolve(null);
    sent.catch(() => {}); // awaited below; a failure fails the transaction there
    const clicked = await answerItemClick(deps, trx, action, value, sent);
    const answer = await freshIfOld(deps, trx, action, await sent, clicked);
    await callback?.recordIn(trx, answer);
    return answer;
  });
}

async function freshIfOld(
  deps: Deps,
  db: Db,
  action: CardAction,
  sent: SentMessage | null,
  answer: CardActionAnswer,
): Promise<CardActionAnswer> {
  if (!sent?.sentAt || !answer.card || canStillUpdate(sent.sentAt, deps.clock.now())) return answer;
  return resendFresh(deps, db, action, sent, answer);
}

async function answerItemClick(
  deps: Deps,
  trx: Trx,
  action: CardAction,
  value: Exclude<ItemButtonValue, { op: 'nudge' }>,
  clickedCard: Promise<SentMessage | null>,
): Promise<CardActionAnswer> {
  const by = action.operatorOpenId;
  // A plain action (no form to read first) locks its item alongside the first reads.
  const early = PLAIN_ACTIONS.has(value.op)
    ? performItemActionIn(trx, deps, {
        itemId: (value as { item: string }).item,
        action: value.op as ActionName,
        by,
      })
    : null;
  early?.catch(() => {}); // awaited below
  const ctx = await loadViewContext(trx, deps);
  const person = ctx.ref.people.get(by) ?? null;
  const audience: Audience = { kind: 'person', openId: by, isChief: !!person?.roles.includes('chief') };

  if (value.op === 'todo') return { card: await todoCardFor(trx, ctx, by) };
  const render = async (i: Item, extra: { form?: OpenForm; notice?: string } = {}) =>
    itemCard(await buildItemCardView(trx, ctx, i, audience, extra));
  const missing = () => warn(`找不到事项 ${value.item}，可能已被删除`);

  if (value.op === 'view' || value.op === 'form') {
    const item = await getItemRow(trx, value.item);
    if (!item) return missing();
    if (value.op === 'view') return { card: await render(item) };
    return openForm(trx, ctx, person, item, value.form, render);
  }

  if (value.op === 'approve-extension' || value.op === 'reject-extension') {
    const input = { itemId: value.item, action: value.op, by, extensionId: value.req };
    const outcome = await performItemActionIn(trx, deps, input);
    const sent = await clickedCard;
    if (!outcome.ok && outcome.code === 'not_found') return missing();
    const answer = await answerDecision(trx, ctx, outcome.item!, value.req, outcome);
    // On a digest the decision is a toast: the digest stays as it was sent.
    if (answer.toast && sent && DIGEST_PURPOSES.includes(sent.purpose)) return { toast: answer.toast };
    return answer;
  }

  const input: ItemActionInput = { itemId: value.item, action: value.op, by };
  if (value.op === 'progress' || value.op === 'extend' || value.op === 'reassign') {
    const problem = readForm(ctx, value.op, action.formValue ?? {}, input);
    if (problem) return warn(problem);
  }
  const outcome = await (early ?? performItemActionIn(trx, deps, input));
  if (!outcome.ok && outcome.code === 'not_found') return missing();
  const sent = await clickedCard;
  // A button on a list (待办, a reminder round) answers with the list redrawn as of now, not
  // with one item's card in place of the whole list.
  const fromList = !!sent && LIST_PURPOSES.includes(sent.purpose);
  const list = (notice: string) => listCardFor(trx, ctx, by, sent!, notice);
  if (outcome.ok) {
    const toast = {
      type: outcome.changed ? ('success' as const) : ('info' as const),
      content: outcome.message,
    };
    const { item } = outcome;
    if (fromList) return { toast, card: await list(`${outcome.message}：${item.id} ${item.title}`) };
    return { toast, card: await render(item) };
  }
  if (outcome.item && outcome.item.status !== 'open') {
    // A stale card: the item was closed meanwhile. Say by whom and when, and show it closed.
    const content = closedBy(ctx, outcome.item);
    return {
      toast: { type: 'info', content },
      card: fromList ? await list(content) : await render(outcome.item),
    };
  }
  return warn(outcome.message);
}

/** Buttons that act at once, with nothing to read from a form first. */
const PLAIN_ACTIONS = new Set<string>(DIRECT_OPS);

/** Purposes of cards that list several items (see chat-commands.ts, src/reminders/round.ts). */
const LIST_PURPOSES = ['todo', ...ROUND_CARD_PURPOSES];

/** Purposes of the daily digest (src/reports/digest-round.ts, and 简报 in chat). */
const DIGEST_PURPOSES = ['digest', 'digest-on-demand'];

/** A reminder round card redrawn from its items as they are now; a 待办 list, refreshed. */
async function listCardFor(
  db: Db,
  ctx: ViewContext,
  by: string,
  sent: SentMessage,
  notice: string,
): Promise<CardJson> {
  const round = ROUND_CARD_PURPOSES.includes(sent.purpose)
    ? await redrawRoundCard(db, ctx, sent.id, notice)
    : null;
  return round ?? todoCardFor(db, ctx, by, notice);
}

/**
 * The clicked card is past Lark's update window: the click is answered with a toast, and the card
 * the clicker should now see goes out as a new message (a list as their 待办 list, which stays
 * clickable; an item's card as that item's card, kept up to date like any other).
 */
async function resendFresh(
  deps: Deps,
  db: Db,
  action: CardAction,
  sent: SentMessage,
  answer: CardActionAnswer,
): Promise<CardActionAnswer> {
  const by = action.operatorOpenId;
  const isList = LIST_PURPOSES.includes(sent.purpose);
  const card = isList
    ? await todoCardFor(db, await loadViewContext(db, deps), by, answer.toast?.content)
    : answer.card!;
  const content = JSON.stringify(card);
  const digest = createHash('sha256').update(content).digest('base64url').slice(0, 16);
  await sendCard(db, deps, {
    key: outboxKey('fresh-card', action.messageId ?? '', by, digest),
    to: { openId: by },
    card,
    purpose: isList ? 'todo' : sent.purpose === ITEM_CARD_PURPOSE ? ITEM_CARD_PURPOSE : 'card-resent',
    itemIds: isList ? [] : sent.itemIds,
  });
  const note = '原卡片已超过14天无法更新，最新卡片已重新发送给您';
  return {
    toast: answer.toast
      ? { type: answer.toast.type, content: `${answer.toast.content}。${note}` }
      : { type: 'info', content: note },
  };
}

/** '该事项已由李四于11月22日 09:05办结' */
function closedBy(ctx: ViewContext, item: Item): string {
  return `该事项${closedText(ctx, item)}`;
}

const FORM_ACTION: Record<FormOp, ActionName> = {
  progress: 'progress',
  extend: 'extend',
  reassign: 'reassign',
};

/**
 * Opens a form on the clicker's copy only after checking they may use it, so nobody fills in a
 * form just to be refused.
 */
async function openForm(
  db: Db,
  ctx: ViewContext,
  person: Person | null,
  item: Item,
  form: FormOp,
  render: (i: Item, extra?: { form?: OpenForm; notice?: string }) => Promise<CardJson>,
): Promise<CardActionAnswer> {
  if (item.status !== 'open')
    return { toast: { type: 'info', content: closedBy(ctx, item) }, card: await render(item) };
  const departments = [...ctx.ref.departments];
  const names = namesOf(ctx, [item.assignee]);
  const decision = authorize(person, FORM_ACTION[form], item, { departments, names });
  if (!decision.allowed) return warn(decision.reason);
  if (form === 'reassign') {
    const dept = item.dept ?? item.leadDept;
    const people = dept ? await listPeople(db, { dept }) : [];
    const candidates = people
      .filter((p) => p.openId !== item.assignee)
      .map((p) => ({ openId: p.openId, name: p.name }));
    if (candidates.length === 0) {
      const name = dept ? (ctx.ref.departmentsByCode.get(dept)?.name ?? dept) : '本处室';
      return warn(`${name}暂无其他可转办的人员`);
    }
    return { card: await render(item, { form: { kind: 'reassign', candidates } }) };
  }
  return { card: await render(item, { form: { kind: form } }) };
}

/** Reads a submitted form into the action's input; answers the problem when it is incomplete. */
function readForm(
  ctx: ViewContext,
  op: FormOp,
  formValue: Record<string, unknown>,
  input: ItemActionInput,
): string | null {
  if (op === 'progress') {
    const f = progressForm.safeParse(formValue);
    if (!f.success) return '请填写进展内容';
    input.note = f.data.note;
    return null;
  }
  if (op === 'reassign') {
    const f = reassignForm.safeParse(formValue);
    if (!f.success) return '请选择新的承办人';
    input.to = f.data.to;
    return null;
  }
  const f = extendForm.safeParse(formValue);
  if (!f.success) return '请填写延期天数或新的截止日期';
  const reason = f.data.reason?.trim();
  if (!reason) return '请填写延期理由';
  input.reason = reason;
  const date = f.data.new_date ? /^(\d{4}-\d{2}-\d{2})/.exec(f.data.new_date)?.[1] : undefined;
  const days =
    f.data.days === undefined || f.data.days === null || f.data.days === '' ? null : Number(f.data.days);
  if (date && days !== null) return '延期天数和新的截止日期只需填写一项';
  if (date) {
    if (!isValidDate(date)) return '新的截止日期无效';
    if (!ctx.calendar.isWorkday(date)) return '新的截止日期不是工作日，请重新选择';
    input.newDueAt = endOfWorkday(date, ctx.rules, ctx.timeZone);
    return null;
  }
  if (days === null || !Number.isInteger(days)) return '请选择延长的工作日数，或选择新的截止日期';
  input.days = days;
  return null;
}

/** 同意 / 驳回 on an approval card: the toast, and the approval card in its decided state. */
async function answerDecision(
  db: Db,
  ctx: ViewContext,
  item: Item,
  requestId: number,
  outcome: ActionOutcome,
): Promise<CardActionAnswer> {
  const requests = await listExtensionRequests(db, item.id);
  const request = requests.find((r) => r.id === requestId);
  const current = outcome.item ?? item;
  let card: CardJson | undefined;
  if (request) {
    const names = namesOf(ctx, [request.requestedBy, request.decidedBy]);
    const deptNames = deptNamesOf(ctx);
    card = extensionCard({ item: current, request, names, deptNames, timeZone: ctx.timeZone });
  }
  if (outcome.ok) {
    return {
      toast: { type: outcome.changed ? 'success' : 'info', content: outcome.message },
      ...(card ? { card } : {}),
    };
  }
  // A decided (or withdrawn) request, or a closed item: the card is stale — show its state.
  if (request && request.status !== 'pending') {
    let content = '该延期申请已撤回（事项已办结或撤销）';
    if (request.status !== 'withdrawn') {
      const names = namesOf(ctx, [request.decidedBy]);
      const who = request.decidedBy ? (names[request.decidedBy] ?? '他人') : '他人';
      const verb = request.status === 'approved' ? '批准' : '驳回';
      const when = request.decidedAt ? `于${formatWhenZh(request.decidedAt, ctx.timeZone)}` : '';
      content = `该延期申请已由${who}${when}${verb}`;
    }
    return { toast: { type: 'info', content }, ...(card ? { card } : {}) };
  }
  return warn(outcome.message);
}
