import { listDepartments } from '../db/repos/departments.js';
import { getDutyDay } from '../db/repos/duty.js';
import {
  type ByDept,
  countClosed,
  countDaily,
  countDue,
  countOpen,
  listChiefs,
  type OverdueRow,
  oldestOverdue,
  type PendingExtensionRow,
  pendingExtensions,
} from '../db/repos/figures.js';
import { listItemRows } from '../db/repos/items.js';
import { getPeople } from '../db/repos/people.js';
import type { Db } from '../db/schema.js';
import type { WorkCalendar } from '../domain/calendar.js';
import {
  type ClosedCounts,
  type DueCounts,
  dayPeriod,
  daysOf,
  emptyClosed,
  emptyDue,
  emptyOpen,
  lastDays,
  lightBounds,
  type OpenCounts,
  sincePreviousWorkday,
  sumCounts,
} from '../domain/figures.js';
import { workdaysOverdue } from '../domain/lights.js';
import type { DeadlineRules } from '../domain/rules.js';
import { formatZh, localDate } from '../domain/time.js';
import { endedShiftsWithoutLog, type MissingDutyLog } from '../duty/logs.js';
import { dateZh } from '../duty/view.js';
import type { CardJson } from '../lark/cards/common.js';
import {
  type DigestView,
  digestCard,
  digestHasNews,
  quietDigestText,
} from '../lark/cards/report/digest-card.js';
import { loadRiskAssessor } from './forecast.js';
import { type LongTask, loadLongTasks } from './long-tasks.js';

/**
 * 每日督办简报: the figures of every department read in a handful of grouped queries, then one
 * view per chief — their department, or the whole office for a chief of the top department (or
 * of none). Used by the `digest` job and the 简报 chat command.
 */

export interface FigureContext {
  now: Date;
  calendar: WorkCalendar;
  rules: DeadlineRules;
  timeZone: string;
}

/** Who reads a digest, and about what. */
export interface DigestReader {
  openId: string;
  /** null: the whole office (a leader). */
  dept: string | null;
  digestOff: boolean;
}

export interface DigestData {
  today: string;
  open: ByDept<OpenCounts>;
  closedSince: ByDept<ClosedCounts>;
  last7: ByDept<DueCounts>;
  last30: ByDept<DueCounts>;
  daily: Awaited<ReturnType<typeof countDaily>>;
  overdue: OverdueRow[];
  extensions: PendingExtensionRow[];
  readers: DigestReader[];
  /** Departments whose extension requests go to the leaders (the top one, and those without a chief). */
  leadersDecideFor: Set<string | null>;
  deptNames: Record<string, string>;
  names: Record<string, string>;
  duty: { officer: string; leader: string } | null;
  /** Shifts that ended without a duty log (for the office's leaders). */
  missingDutyLogs: MissingDutyLog[];
  /** Open long tasks (on a rhythm, with milestones or sub-tasks), worst first. */
  longTasks: LongTask[];
  /** 预计逾期: open items the forecast flags, per department. */
  atRisk: Array<{ dept: string | null }>;
}

const TREND_DAYS = 14;
/** The open items the forecast looks at (far more than an office keeps open). */
const OPEN_ITEMS_LIMIT = 100_000;
/** Per department: enough for any reader's list (the card shows the first ten). */
const OVERDUE_PER_DEPT = 10;

export async function loadDigestData(db: Db, ctx: FigureContext): Promise<DigestData> {
  const { now, calendar, timeZone: tz } = ctx;
  const today = localDate(now, tz);
  const bounds = lightBounds(now, calendar, ctx.rules.yellowWithinWorkdays, tz);
  const open = await countOpen(db, { ...bounds, todayEnd: dayPeriod(today, tz).to });
  const closedSince = await countClosed(db, sincePreviousWorkday(now, calendar, tz));
  const last7 = await countDue(db, lastDays(now, 7, tz));
  const last30 = await countDue(db, lastDays(now, 30, tz));
  const daily = await countDaily(db, lastDays(now, TREND_DAYS, tz), tz);
  const overdue = await oldestOverdue(db, now, OVERDUE_PER_DEPT);
  const extensions = await pendingExtensions(db);
  const chiefs = await listChiefs(db);
  const departments = await listDepartments(db);
  const duty = await getDutyDay(db, today);
  const missingDutyLogs = await endedShiftsWithoutLog(db, now, tz);
  const people = await getPeople(db, [
    ...overdue.map((o) => o.assignee ?? ''),
    ...extensions.map((e) => e.requestedBy),
    duty?.officer ?? '',
    duty?.leader ?? '',
    ...missingDutyLogs.flatMap((m) => m.officers),
  ]);
  const names = Object.fromEntries(people.map((p) => [p.openId, p.name]));
  const deptNames = Object.fromEntries(departments.map((d) => [d.code, d.name]));
  const longTasks = await loadLongTasks(db, ctx, deptNames);
  const assess = await loadRiskAssessor(db, ctx);
  const atRisk = (await listItemRows(db, { status: 'open', limit: OPEN_ITEMS_LIMIT }))
    .filter((i) => assess(i) !== null)
    .map((i) => ({ dept: i.dept }));
  const withChief = new Set(chiefs.filter((c) => c.dept !== null && !c.isTop).map((c) => c.dept));
  const leadersDecideFor = new Set<string | null>([
    null,
    ...departments.filter((d) => d.isTop || !withChief.has(d.code)).map((d) => d.code),
  ]);
  return {
    today,
    open,
    closedSince,
    last7,
    last30,
    daily,
    overdue,
    extensions,
    readers: chiefs.map((c) => ({ openId: c.openId, dept: c.isTop ? null : c.dept, digestOff: c.digestOff })),
    leadersDecideFor,
    deptNames,
    names,
    duty: duty
      ? { officer: names[duty.officer] ?? '未登记人员', leader: names[duty.leader] ?? '未登记人员' }
      : null,
    missingDutyLogs,
    longTasks,
    atRisk,
  };
}

function inScope<T extends { dept: string | null }>(rows: T[], dept: string | null): T[] {
  return dept === null ? rows : rows.filter((r) => r.dept === dept);
}

/** One reader's digest view: the office's totals for a leader, the department's for a chief. */
export function digestViewFor(data: DigestData, reader: DigestReader, ctx: FigureContext): DigestView {
  const { dept } = reader;
  const tz = ctx.timeZone;
  const open = sumCounts(inScope(data.open, dept), emptyOpen);
  const trendDays = daysOf(lastDays(ctx.now, TREND_DAYS, tz), tz);
  const daily = inScope(data.daily, dept);
  const trend = trendDays.map((day) => {
    const rows = daily.filter((r) => r.day === day);
    return {
      day: `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`,
      opened: rows.reduce((s, r) => s + r.opened, 0),
      closed: rows.reduce((s, r) => s + r.closed, 0),
    };
  });
  const extensions = data.extensions.filter((e) =>
    dept === null ? data.leadersDecideFor.has(e.dept) : e.dept === dept,
  );
  const name = (id: string | null) => (id ? (data.names[id] ?? '未登记人员') : '未指定');
  const deptName = (code: string | null) => (code ? (data.deptNames[code] ?? code) : '未分处室');
  return {
    dateZh: formatZh(ctx.now, tz, false),
    scopeName: dept === null ? '全办' : deptName(dept),
    open,
    closedSince: sumCounts(inScope(data.closedSince, dept), emptyClosed),
    last7: sumCounts(inScope(data.last7, dept), emptyDue),
    last30: sumCounts(inScope(data.last30, dept), emptyDue),
    overdue: inScope(data.overdue, dept).map((o) => ({
      id: o.id,
      title: o.title,
      handler: name(o.assignee),
      dept: deptName(o.dept),
      workdaysOverdue: workdaysOverdue(o.dueAt, ctx.now, ctx.calendar, tz),
    })),
    overdueTotal: open.red,
    extensions: extensions.map((e) => ({
      requestId: e.requestId,
      itemId: e.itemId,
      title: e.title,
      requester: name(e.requestedBy),
      newDueZh: formatZh(e.newDueAt, tz),
      reason: e.reason,
    })),
    extensionsTotal: extensions.length,
    trend,
    duty: data.duty,
    missingDutyLogs:
      dept === null
        ? data.missingDutyLogs.map((m) => ({
            dateZh: dateZh(m.date, tz),
            officers: m.officers.map((o) => name(o)).join('、'),
          }))
        : [],
    longTasks: data.longTasks.filter((t) => dept === null || t.deptCode === dept),
    atRisk: inScope(data.atRisk, dept).length,
  };
}

/** The message a reader gets: the card, or one line when there is nothing to report. */
export function digestMessage(view: DigestView): { card: CardJson } | { text: string } {
  return digestHasNews(view)
    ? { card: digestCard(view) }
    : { text: quietDigestText(view.dateZh, view.scopeName, view.duty) };
}
