import type { Audience, ItemCardView, OpenForm, TaskPlanView } from '../../cards/item-card.js';
import { listDepartments } from '../../db/repos/departments.js';
import { pendingExtension } from '../../db/repos/extension-requests.js';
import { getAttendees, getParts } from '../../db/repos/items.js';
import { getPeople } from '../../db/repos/people.js';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { WorkCalendar } from '../../domain/calendar.js';
import { formatWhenZh } from '../../domain/items.js';
import { deadlineTextZh, lightOf } from '../../domain/lights.js';
import { REPORT_EVERY_ZH, rollUpTextZh } from '../../domain/rhythm.js';
import type { DeadlineRules } from '../../domain/rules.js';
import type { Item, Light } from '../../domain/types.js';
import { loadWorkCalendar } from '../calendar.js';
import { loadTaskPlan } from '../rhythm.js';
import { loadDeadlineRules } from '../rules.js';

/**
 * Everything a card needs besides the item: the calendar and rules (for the light and the
 * working days left), and the clock. Loaded once per request and reused for every card in it.
 */
export interface ViewContext {
  calendar: WorkCalendar;
  rules: DeadlineRules;
  now: Date;
  timeZone: string;
}

export async function loadViewContext(db: Db, deps: Deps): Promise<ViewContext> {
  const [calendar, rules] = await Promise.all([loadWorkCalendar(db), loadDeadlineRules(db)]);
  return { calendar, rules, now: deps.clock.now(), timeZone: deps.config.timezone };
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
export async function namesOf(
  db: Db,
  openIds: Array<string | null | undefined>,
): Promise<Record<string, string>> {
  const ids = [...new Set(openIds.filter((x): x is string => !!x))];
  const people = await getPeople(db, ids);
  return Object.fromEntries(people.map((p) => [p.openId, p.name]));
}

/** '已由李四于11月22日 09:05办结' (阅毕 for a circulation copy, 撤销 for a cancelled item). */
export async function closedText(db: Db, item: Item, timeZone: string): Promise<string> {
  const names = await namesOf(db, [item.closedBy]);
  const who = item.closedBy ? (names[item.closedBy] ?? '他人') : '他人';
  const verb = item.status === 'cancelled' ? '撤销' : item.docType === 'circular' ? '阅毕' : '办结';
  const when = item.closedAt ? `于${formatWhenZh(item.closedAt, timeZone)}` : '';
  return `已由${who}${when}${verb}`;
}

export async function deptNamesOf(db: Db): Promise<Record<string, string>> {
  return Object.fromEntries((await listDepartments(db)).map((d) => [d.code, d.name]));
}

/** The view of one item's card for one audience, read from the database as of now. */
export async function buildItemCardView(
  db: Db,
  ctx: ViewContext,
  item: Item,
  audience: Audience,
  extra: { form?: OpenForm; notice?: string } = {},
): Promise<ItemCardView> {
  const pending = item.status === 'open' ? await pendingExtension(db, item.id) : null;
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
  const [names, deptNames] = await Promise.all([
    namesOf(db, [item.assignee, item.closedBy, item.organizer, item.minutesTaker, pending?.requestedBy]),
    deptNamesOf(db),
  ]);
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
