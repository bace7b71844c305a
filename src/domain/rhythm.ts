import type { WorkCalendar } from './calendar.js';
import { endOfWorkday } from './deadlines.js';
import { lightOf } from './lights.js';
import type { DeadlineRules } from './rules.js';
import { addDays, atLocal, localDate, weekdayOf } from './time.js';
import type { Light, ReportEvery } from './types.js';

/**
 * 以日保周、以周保旬、以旬保月: long tasks report progress on a rhythm — each week (Monday to
 * Sunday), each 旬 (the 1st–10th, 11th–20th, 21st–last day of the month) or each month.
 *
 * When a period's report is due: at the end (`workdayEndsAt`) of the period's last official
 * working day. A 旬 or month that ends on a rest day or in a holiday is due on the working day
 * before it (节前报送: the office reports before it closes, never after the break). A period
 * without any working day (a week inside the Spring Festival holiday) has no report.
 *
 * Which period a report answers: the earliest period not yet answered whose window has begun —
 * so a late report fills the missed period (补报) before it counts for the current one. The
 * first period is the one the task is created in, unless fewer than FIRST_REPORT_MIN_WORKDAYS
 * working days remain before its report; then it is the next one. No report is due at or after
 * the task's own deadline (办结 is its last word), nor after it is closed.
 */
export type { ReportEvery };
export const REPORT_EVERY: readonly ReportEvery[] = ['week', 'tenDays', 'month'];
export const REPORT_EVERY_ZH: Record<ReportEvery, string> = { week: '每周', tenDays: '每旬', month: '每月' };

/** A task created with fewer working days than this before its period's report starts with the next period. */
export const FIRST_REPORT_MIN_WORKDAYS = 3;
/** Periods looked at, at most (ten years of weeks): a guard, never reached by real tasks. */
const MAX_PERIODS = 520;

export interface ReportPeriod {
  /** First and last calendar day, 'YYYY-MM-DD'. */
  start: string;
  end: string;
  /** The end of its last working day; null when the period has no working day (no report). */
  dueAt: Date | null;
}

function lastDayOfMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${date.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

/** The calendar bounds of the period holding a day. */
export function periodBounds(date: string, every: ReportEvery): { start: string; end: string } {
  if (every === 'week') {
    const back = (weekdayOf(date) + 6) % 7; // Monday → 0 … Sunday → 6
    const start = addDays(date, -back);
    return { start, end: addDays(start, 6) };
  }
  if (every === 'month') return { start: `${date.slice(0, 8)}01`, end: lastDayOfMonth(date) };
  const day = Number(date.slice(8, 10));
  const month = date.slice(0, 8);
  if (day <= 10) return { start: `${month}01`, end: `${month}10` };
  if (day <= 20) return { start: `${month}11`, end: `${month}20` };
  return { start: `${month}21`, end: lastDayOfMonth(date) };
}

/** The last working day of [start, end], or null when none. */
export function lastWorkdayIn(start: string, end: string, calendar: WorkCalendar): string | null {
  for (let d = end; d >= start; d = addDays(d, -1)) if (calendar.isWorkday(d)) return d;
  return null;
}

/** A period with its report's due moment. */
export function reportPeriod(
  date: string,
  every: ReportEvery,
  calendar: WorkCalendar,
  rules: Pick<DeadlineRules, 'workdayEndsAt'>,
  tz: string,
): ReportPeriod {
  const { start, end } = periodBounds(date, every);
  const last = lastWorkdayIn(start, end, calendar);
  return { start, end, dueAt: last ? endOfWorkday(last, rules as DeadlineRules, tz) : null };
}

/** '10月上旬' / '10月' / '10月12日当周'. */
export function periodLabel(p: { start: string }, every: ReportEvery): string {
  const m = Number(p.start.slice(5, 7));
  const d = Number(p.start.slice(8, 10));
  if (every === 'month') return `${m}月`;
  if (every === 'week') return `${m}月${d}日当周`;
  return `${m}月${d === 1 ? '上' : d === 11 ? '中' : '下'}旬`;
}

export interface RhythmTask {
  every: ReportEvery;
  /** When the rhythm began: the task's creation, or the later change of its reportEvery. */
  since: Date;
  dueAt: Date | null;
  /** When it was closed (no report after that), or null while open. */
  closedAt: Date | null;
}

/** A progress report (进展) on the task itself, as recorded in its history. */
export interface ProgressReport {
  at: Date;
  note: string;
}

export interface PeriodState extends ReportPeriod {
  dueAt: Date;
  /** The report that answered it, and whether it came after the due moment. */
  report: ProgressReport | null;
  late: boolean;
}

export interface RhythmState {
  every: ReportEvery;
  /** Every period whose report was due by now, and the next one (when there is one). */
  periods: PeriodState[];
  /** The earliest unanswered period (overdue or coming): what the reminder engine chases. */
  outstanding: PeriodState | null;
  onTime: number;
  late: number;
  /** Periods past their due moment without any report. */
  missed: number;
  lastReport: ProgressReport | null;
}

/** The periods that carry a report, from the first one up to the first due after `until`. */
export function reportSchedule(
  task: RhythmTask,
  until: Date,
  calendar: WorkCalendar,
  rules: Pick<DeadlineRules, 'workdayEndsAt'>,
  tz: string,
): (ReportPeriod & { dueAt: Date; opensAt: Date })[] {
  const created = localDate(task.since, tz);
  const stop = task.closedAt && task.closedAt < until ? task.closedAt : until;
  const out: (ReportPeriod & { dueAt: Date; opensAt: Date })[] = [];
  let p = reportPeriod(created, task.every, calendar, rules, tz);
  const firstDue = p.dueAt ? localDate(p.dueAt, tz) : null;
  const tooClose = !firstDue || calendar.workdaysBetween(created, firstDue) < FIRST_REPORT_MIN_WORKDAYS;
  if (tooClose) p = reportPeriod(addDays(p.end, 1), task.every, calendar, rules, tz);
  for (let i = 0; i < MAX_PERIODS; i++) {
    if (p.dueAt) {
      if (task.dueAt && p.dueAt.getTime() >= task.dueAt.getTime()) break;
      const opensAt = out.length === 0 ? task.since : atLocal(p.start, '00:00', tz);
      out.push({ ...p, dueAt: p.dueAt, opensAt });
      if (p.dueAt.getTime() > stop.getTime()) break;
    }
    p = reportPeriod(addDays(p.end, 1), task.every, calendar, rules, tz);
  }
  // A closed task owes nothing for the period it was closed in.
  if (task.closedAt) return out.filter((x) => x.dueAt.getTime() <= task.closedAt!.getTime());
  return out;
}

/** Where the task's rhythm stands at `now`: each period with its report, and the one to chase. */
export function rhythmOf(
  task: RhythmTask,
  reports: readonly ProgressReport[],
  now: Date,
  calendar: WorkCalendar,
  rules: Pick<DeadlineRules, 'workdayEndsAt'>,
  tz: string,
): RhythmState {
  const schedule = reportSchedule(task, now, calendar, rules, tz);
  const periods: PeriodState[] = schedule.map(({ opensAt: _o, ...p }) => ({
    ...p,
    report: null,
    late: false,
  }));
  const sorted = [...reports].filter((r) => r.at.getTime() <= now.getTime()).sort((a, b) => +a.at - +b.at);
  for (const r of sorted) {
    const i = periods.findIndex((p, k) => !p.report && schedule[k]!.opensAt.getTime() <= r.at.getTime());
    if (i < 0) continue;
    const p = periods[i]!;
    p.report = r;
    p.late = r.at.getTime() > p.dueAt.getTime();
  }
  const past = periods.filter((p) => p.dueAt.getTime() < now.getTime());
  return {
    every: task.every,
    periods,
    outstanding: periods.find((p) => !p.report) ?? null,
    onTime: periods.filter((p) => p.report && !p.late).length,
    late: periods.filter((p) => p.report && p.late).length,
    missed: past.filter((p) => !p.report).length,
    lastReport: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
  };
}

/** 节奏正常 / 迟报1次 / 缺报2次、迟报1次 — for cards, the digest and the bulletin. */
export function rhythmTextZh(state: Pick<RhythmState, 'late' | 'missed'>): string {
  if (state.missed === 0 && state.late === 0) return '按时报送';
  const parts: string[] = [];
  if (state.missed > 0) parts.push(`缺报${state.missed}次`);
  if (state.late > 0) parts.push(`迟报${state.late}次`);
  return parts.join('、');
}

// ---------------------------------------------------------------------------------------------
// Milestones (节点): each has its own light by its own deadline.

export interface Milestone {
  title: string;
  dueAt: Date;
  /** Set once reached; a reached milestone has no light. */
  doneAt: Date | null;
}

export const MAX_MILESTONES = 20;

export function milestoneLight(
  m: Milestone,
  now: Date,
  calendar: WorkCalendar,
  rules: Pick<DeadlineRules, 'yellowWithinWorkdays'>,
  tz: string,
): Light | null {
  if (m.doneAt) return null;
  return lightOf({ status: 'open', dueAt: m.dueAt }, now, calendar, rules, tz);
}

// ---------------------------------------------------------------------------------------------
// 倒排工期: a parent task rolls up its sub-tasks.

export interface ChildState {
  status: 'open' | 'done' | 'cancelled';
  dueAt: Date | null;
  closedAt: Date | null;
}

export interface RollUp {
  /** Sub-tasks that count (cancelled ones do not). */
  total: number;
  done: number;
  /** Open past their deadline, or closed after it. */
  late: number;
}

export function rollUp(children: readonly ChildState[], now: Date): RollUp {
  const counted = children.filter((c) => c.status !== 'cancelled');
  const late = counted.filter((c) => {
    if (!c.dueAt) return false;
    if (c.status === 'done') return !!c.closedAt && c.closedAt.getTime() > c.dueAt.getTime();
    return now.getTime() > c.dueAt.getTime();
  }).length;
  return { total: counted.length, done: counted.filter((c) => c.status === 'done').length, late };
}

/** '5项子任务已办结3项，1项逾期'. */
export function rollUpTextZh(r: RollUp): string {
  return `${r.total}项子任务已办结${r.done}项${r.late > 0 ? `，${r.late}项逾期` : ''}`;
}
