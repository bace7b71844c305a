import { countDue, countHotlineCategories } from '../db/repos/figures.js';
import type { Db } from '../db/schema.js';
import type { DatabaseContext } from '../deps.js';
import { addMonths } from '../domain/deadlines.js';
import {
  completionRate,
  type DueCounts,
  emptyDue,
  onTimeRate,
  type Period,
  sumCounts,
} from '../domain/figures.js';
import { atLocal, localDate } from '../domain/time.js';
import type { HotlineView } from '../lark/cards/report/hotline-section.js';

export interface HotlineDeptFigures extends DueCounts {
  dept: string | null;
  /** 办结率 and 按时办结率 of the tickets due in the month (the definitions of src/domain/figures.ts). */
  completionRate: number | null;
  onTimeRate: number | null;
}

export interface HotlineFigures {
  /** 'YYYY-MM' of the month counted. */
  month: string;
  byDept: HotlineDeptFigures[];
  total: HotlineDeptFigures;
  /** 苗头性、倾向性问题: this month's top categories, each with last month's count beside it. */
  categories: Array<{ category: string | null; thisMonth: number; lastMonth: number }>;
}

/** A calendar month in the office's time zone, as a half-open period. */
export function monthPeriod(month: string, timeZone: string): Period {
  const first = `${month}-01`;
  return { from: atLocal(first, '00:00', timeZone), to: atLocal(addMonths(first, 1), '00:00', timeZone) };
}

const previousMonth = (month: string): string => addMonths(`${month}-01`, -1).slice(0, 7);

const withRates = (dept: string | null, c: DueCounts): HotlineDeptFigures => ({
  dept,
  due: c.due,
  dueDone: c.dueDone,
  dueDoneOnTime: c.dueDoneOnTime,
  completionRate: completionRate(c),
  onTimeRate: onTimeRate(c),
});

/**
 * The hotline's figures for the month of `now`: 办结率 and 按时办结率 per department over the
 * tickets due that month, and the categories that recur (top `top` this month against last).
 */
export async function hotlineFigures(db: Db, now: Date, timeZone: string, top = 5): Promise<HotlineFigures> {
  const month = localDate(now, timeZone).slice(0, 7);
  const period = monthPeriod(month, timeZone);
  const [due, thisMonth, lastMonth] = await Promise.all([
    countDue(db, period, { source: 'hotline' }),
    countHotlineCategories(db, period),
    countHotlineCategories(db, monthPeriod(previousMonth(month), timeZone)),
  ]);
  const byDept = due
    .map((r) => withRates(r.dept, r))
    .sort((a, b) => String(a.dept).localeCompare(String(b.dept)));
  const last = new Map(lastMonth.map((c) => [c.category, c.count]));
  return {
    month,
    byDept,
    total: withRates(null, sumCounts(due, emptyDue)),
    categories: thisMonth
      .slice(0, top)
      .map((c) => ({ category: c.category, thisMonth: c.count, lastMonth: last.get(c.category) ?? 0 })),
  };
}

/** Whether the month had any hotline ticket to count (due in it, or registered in it or the one before). */
export function hasHotlineTickets(f: HotlineFigures): boolean {
  return f.total.due > 0 || f.categories.length > 0;
}

/** The figures as the 通报 card shows them (department names for codes), or null without tickets. */
export function hotlineView(f: HotlineFigures, deptNames: Record<string, string>): HotlineView | null {
  if (!hasHotlineTickets(f)) return null;
  const name = (code: string | null) => (code ? (deptNames[code] ?? code) : '未分处室');
  return {
    monthZh: `${Number(f.month.slice(5, 7))}月`,
    total: f.total,
    byDept: f.byDept.filter((d) => d.due > 0).map((d) => ({ ...d, name: name(d.dept) })),
    categories: f.categories.map((c) => ({ ...c, category: c.category ?? '未分类' })),
  };
}

/** hotlineFigures for the API: the month of `now`, in the office's time zone. */
export function hotlineFiguresAt(ctx: DatabaseContext, now: Date, timeZone: string): Promise<HotlineFigures> {
  return hotlineFigures(ctx.database.db, now, timeZone);
}
