import { pendingExtension } from '../../db/repos/extension-requests.js';
import { getAttendees, getParts } from '../../db/repos/items.js';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { WorkCalendar } from '../../domain/calendar.js';
import { formatWhenZh } from '../../domain/items.js';
import { deadlineTextZh, lightOf } from '../../domain/lights.js';
import { REPORT_EVERY_ZH, rollUpTextZh } from '../../domain/rhythm.js';
import type { DeadlineRules } from '../../domain/rules.js';
import type { Item, Light } from '../../domain/types.js';
import type { Audience, ItemCardView, OpenForm, TaskPlanView } from '../../lark/cards/item-card.js';
import { deptNamesIn, namesIn, type ReferenceData, referenceData } from '../../settings/reference-data.js';
import { loadTaskPlan } from '../rhythm.js';

/**
 * Everything a card needs besides the item: the calendar and rules (for the light and the
 * working days left), the people and departments (for names), and the clock. Taken once per
 * request (once per transaction) from the in-memory reference data and reused for every card in it.
 */
export interface ViewContext {
  ref: ReferenceData;
  calendar: WorkCalendar;
  rules: DeadlineRules;
  now: Date;
  timeZone: string;
}

export async function loadViewContext(db: Db, deps: Deps): Promise<ViewContext> {
  const ref = await referenceData(deps, db);
  return {
    ref,
    calendar: ref.calendar,
    rules: ref.rules,
    now: deps.clock.now(),
    timeZone: deps.config.timezone,
  };
}

/** The light and '剩余2个工作日' / '已逾期1个工作日' of an item now. */
export function deadlineOf(item: Item, ctx: ViewContext): { light: Light; remaining: string | null } {
  const light = lightOf(item, ctx.now, ctx.calendar, ctx.rules, ctx.timeZone);
  const remaining =
    item.status === 'open' && item.dueAt
      ? deadlineTextZh(item.dueAt, ctx.now, ctx.calendar, ctx.timeZone)
      : null;
  return { light, remaining };
}

/** Display names for open_ids (unknown ones are left out; cards say 未登记人员). */
export function namesOf(ctx: ViewContext, openIds: Array<string | null | undefined>): Record<string, string> {
  return namesIn(ctx.ref, openIds);
}

/** '已由李四于11月22日 09:05办结' (阅毕 for a circulation copy, 撤销 for a cancelled item). */
export function closedText(ctx: ViewContext, item: Item): string {
  const timeZone = ctx.timeZone;
  const names = namesOf(ctx, [item.closedBy]);
  const who = item.closedBy ? (names[item.closedBy] ?? '他人') : '他人';
  const verb = item.status === 'cancelled' ? '撤销' : item.docType === 'circular' ? '阅毕' : '办结';
  const when = item.closedAt ? `于${formatWhenZh(item.closedAt, timeZone)}` : '';
  return `已由${who}${when}${verb}`;
}

export function deptNamesOf(ctx: ViewContext): Record<string, string> {
  return deptNamesIn(ctx.ref);
}

/** The view of one item's card for one audience, read from the database as of now. */
export async function buildItemCardView(
  db: Db,
  ctx: ViewContext,
  item: Item,
  audience: Audience,
  extra: { form?: OpenForm; notice?: string; pending?: null } = {},
): Promise<ItemCardView> {
  // A closed item, or one just created (pending: null), has no extension request waiting.
  const pending =
    item.status === 'open' && extra.pending === undefined ? await pendingExtension(db, item.id) : null;
  let attendance: ItemCardView['attendance'];
  if (item.kind === 'meeting') {
    const list = (await getAttendees(db, [item.id])).get(item.id) ?? [];
    const mine = audience.kind === 'person' ? list.find((a) => a.openId === audience.openId) : undefined;
    attendance = {
      attend: list.filter((a) => a.attendance === 'attend').length,
      leave: list.filter((a) => a.attendance === 'leave').length,
      pending: list.filter((a) => a.attendance === 'pending').length,
      mine: mine?.attendance ?? null,
    };
  }
  const parts = item.kind === 'task' ? ((await getParts(db, [item.id])).get(item.id) ?? []) : [];
  const plan = item.kind === 'task' && item.status === 'open' ? await taskPlanView(db, item, ctx) : null;
  const names = namesOf(ctx, [
    item.assignee,
    item.closedBy,
    item.organizer,
    item.minutesTaker,
    pending?.requestedBy,
  ]);
  const deptNames = deptNamesOf(ctx);
  return {
    item,
    ...deadlineOf(item, ctx),
    names,
    deptNames,
    pendingExtension: pending
      ? { requestedBy: pending.requestedBy, newDueAt: pending.newDueAt, reason: pending.reason }
      : null,
    ...(attendance ? { attendance } : {}),
    ...(parts.length ? { parts: parts.map((p) => ({ dept: p.dept, status: p.status })) } : {}),
    audience,
    timeZone: ctx.timeZone,
    ...(extra.form ? { form: extra.form } : {}),
    ...(extra.notice ? { notice: extra.notice } : {}),
    ...(plan ? { plan } : {}),
  };
}

/** A long task's rhythm, milestones and sub-tasks for its card; null when it has none of them. */
async function taskPlanView(db: Db, item: Item, ctx: ViewContext): Promise<TaskPlanView | null> {
  const p = await loadTaskPlan(db, item, ctx);
  if (!p.rhythm && p.milestones.length === 0 && !p.subtasks) return null;
  return {
    rhythm: p.rhythm && {
      every: REPORT_EVERY_ZH[p.rhythm.reportEvery],
      next: p.rhythm.next,
      text: p.rhythm.text,
    },
    milestones: p.milestones.map((m) => ({ title: m.title, dueAt: m.dueAt, light: m.light })),
    subtasks: p.subtasks ? rollUpTextZh(p.subtasks) : null,
  };
}
