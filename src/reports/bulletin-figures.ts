import { listDepartments } from '../db/repos/departments.js';
import { countDue, type ItemFactRow, itemFacts } from '../db/repos/figures.js';
import type { Db } from '../db/schema.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { type DueCounts, emptyDue, onTimeRate, type Period, sumCounts } from '../domain/figures.js';
import { workdaysOverdue } from '../domain/lights.js';
import { type Deduction, type ItemFacts, type ScoringRules, scoreDepartment } from '../domain/scores.js';
import { localDate } from '../domain/time.js';

/**
 * Each department's figures for a period, as the 通报, the scores and the report show them:
 * score with its deductions (百分量化考核), 按时办结率 over the items due, overdue at the end,
 * average handling time in working days (closed in the period, from creation to close), and
 * extension requests.
 */
export interface DepartmentFigures {
  dept: string;
  name: string;
  score: number;
  deductions: Deduction[];
  due: DueCounts;
  onTimeRate: number | null;
  closed: number;
  closedOnTime: number;
  overdue: number;
  /** Open items overdue more than the scoring rules' threshold at the period's end. */
  overdueBeyondThreshold: number;
  avgHandlingWorkdays: number | null;
  /** The sum behind the average (for totals over several departments). */
  handlingWorkdaysTotal: number;
  extensions: number;
}

/** Turns an item's raw facts into working days, as the scores count them. */
export function toFacts(r: ItemFactRow, p: Period, calendar: WorkCalendar, tz: string): ItemFacts {
  const due = r.dueAt;
  let closed: ItemFacts['closed'] = null;
  if (r.closedAt) {
    const late = !!due && r.closedAt.getTime() > due.getTime();
    closed = {
      late,
      workdaysLate: late && due ? workdaysOverdue(due, r.closedAt, calendar, tz) : 0,
      workdaysEarly:
        !late && due
          ? Math.max(0, calendar.workdaysBetween(localDate(r.closedAt, tz), localDate(due, tz)))
          : 0,
    };
  }
  // Overdue at the end: counted as of the last instant of the period.
  const end = new Date(p.to.getTime() - 1);
  const overdue = r.overdueAtEnd && due ? Math.max(0, workdaysOverdue(due, end, calendar, tz)) : null;
  return {
    itemId: r.id,
    title: r.title,
    dept: r.dept,
    closed,
    overdueWorkdaysAtEnd: overdue,
    extensions: r.extensions,
    unansweredReminders: r.unansweredReminders,
  };
}

export async function departmentFigures(
  db: Db,
  ctx: { calendar: WorkCalendar; timeZone: string },
  period: Period,
  rules: ScoringRules,
): Promise<DepartmentFigures[]> {
  const tz = ctx.timeZone;
  const [departments, rows, due] = [
    await listDepartments(db),
    await itemFacts(db, period),
    await countDue(db, period),
  ];
  return departments.map((d) => {
    const mine = rows.filter((r) => r.dept === d.code);
    const facts = mine.map((r) => toFacts(r, period, ctx.calendar, tz));
    const { score, deductions } = scoreDepartment(facts, rules);
    const dueCounts = sumCounts(
      due.filter((x) => x.dept === d.code),
      emptyDue,
    );
    const closedRows = mine.filter((r) => r.closedAt);
    const handling = closedRows.map((r) =>
      ctx.calendar.workdaysBetween(localDate(r.createdAt, tz), localDate(r.closedAt!, tz)),
    );
    const overdue = facts.filter((f) => f.overdueWorkdaysAtEnd !== null);
    return {
      dept: d.code,
      name: d.name,
      score,
      deductions,
      due: dueCounts,
      onTimeRate: onTimeRate(dueCounts),
      closed: closedRows.length,
      closedOnTime: facts.filter((f) => f.closed && !f.closed.late).length,
      overdue: overdue.length,
      overdueBeyondThreshold: overdue.filter(
        (f) => (f.overdueWorkdaysAtEnd ?? 0) > rules.overdueThresholdWorkdays,
      ).length,
      avgHandlingWorkdays:
        handling.length === 0
          ? null
          : Math.round((handling.reduce((s, x) => s + x, 0) / handling.length) * 10) / 10,
      handlingWorkdaysTotal: handling.reduce((s, x) => s + x, 0),
      extensions: facts.reduce((s, f) => s + f.extensions, 0),
    };
  });
}

/** Ranked: highest score first, then the higher 按时办结率, then the department's code. */
export function ranked(rows: DepartmentFigures[]): DepartmentFigures[] {
  return [...rows].sort(
    (a, b) =>
      b.score - a.score || (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) || a.dept.localeCompare(b.dept),
  );
}
