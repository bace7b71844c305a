import { addMonths } from './deadlines.js';
import { rate } from './figures.js';
import { addDays, weekdayOf } from './time.js';

/**
 * The figures of GET /api/v1/reports/figures, the year report and the quarterly and yearly 通报,
 * for one group of items (a department, a source, a 专项, a handler) over a period [from, to).
 * Each count has one definition, the same as the digest, the 通报 and the summary report
 * (src/domain/figures.ts); the repository counts them in SQL, this file turns them into rates.
 *
 * - opened: created in the period; closed: closed (办结) in it; onTime: of those, no later than the
 *   deadline in force (or without one);
 * - overdue: at the period's end, past the deadline and not closed by then;
 * - due (应办结): deadline in the period; dueDone / dueDoneOnTime: of those, closed by its end /
 *   by their deadline. 办结率 = dueDone / due, 按时办结率 = dueDoneOnTime / due (rates 0–1);
 * - handling time: for each item closed in the period, the working days from the day it was
 *   created to the day it was closed (days after the first, up to and including the last);
 * - extensions: extension requests made in the period; unansweredReminders: 催办 sent in it that
 *   nobody answered (no action on the item) before its end.
 * Cancelled items count for nothing.
 */
export interface FigureCounts {
  opened: number;
  closed: number;
  onTime: number;
  overdue: number;
  due: number;
  dueDone: number;
  dueDoneOnTime: number;
  /** The sum behind the average handling time (working days over the items closed). */
  handlingWorkdaysTotal: number;
  extensions: number;
  unansweredReminders: number;
}

export interface FigureRow extends FigureCounts {
  completionRate: number | null;
  onTimeRate: number | null;
  avgHandlingWorkdays: number | null;
}

export const emptyFigureCounts = (): FigureCounts => ({
  opened: 0,
  closed: 0,
  onTime: 0,
  overdue: 0,
  due: 0,
  dueDone: 0,
  dueDoneOnTime: 0,
  handlingWorkdaysTotal: 0,
  extensions: 0,
  unansweredReminders: 0,
});

const round4 = (r: number | null) => (r === null ? null : Math.round(r * 10000) / 10000);

/** Average handling time in working days, one decimal; null when nothing was closed. */
export function averageHandlingWorkdays(totalWorkdays: number, closed: number): number | null {
  return closed === 0 ? null : Math.round((totalWorkdays / closed) * 10) / 10;
}

/** The counts with their rates (4 decimals) and average. */
export function figureRow(c: FigureCounts): FigureRow {
  return {
    ...c,
    completionRate: round4(rate(c.dueDone, c.due)),
    onTimeRate: round4(rate(c.dueDoneOnTime, c.due)),
    avgHandlingWorkdays: averageHandlingWorkdays(c.handlingWorkdaysTotal, c.closed),
  };
}

/** Counts added up (months into a year, departments into the office). */
export function addFigureCounts(rows: readonly FigureCounts[]): FigureCounts {
  const total = emptyFigureCounts();
  for (const r of rows) for (const k of Object.keys(total) as (keyof FigureCounts)[]) total[k] += r[k];
  return total;
}

/** The periods a chief reports by (以周保旬、以旬保月、以月保季、以季保年). */
export const PERIOD_KINDS = ['week', 'tenDays', 'month', 'quarter', 'halfYear', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Whole local days [from, to). */
export interface DayRange {
  from: string;
  to: string;
}

/**
 * The period of a kind that holds `date`: the week Monday–Sunday, the 旬 (1st–10th, 11th–20th,
 * 21st–end of month), the month, the quarter, the half-year or the year.
 */
export function periodHolding(kind: PeriodKind, date: string): DayRange {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const month = date.slice(0, 7);
  switch (kind) {
    case 'week': {
      const monday = addDays(date, -((weekdayOf(date) + 6) % 7));
      return { from: monday, to: addDays(monday, 7) };
    }
    case 'tenDays': {
      if (d <= 10) return { from: `${month}-01`, to: `${month}-11` };
      if (d <= 20) return { from: `${month}-11`, to: `${month}-21` };
      return { from: `${month}-21`, to: addMonths(`${month}-01`, 1) };
    }
    case 'month':
      return { from: `${month}-01`, to: addMonths(`${month}-01`, 1) };
    case 'quarter': {
      const first = `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
      return { from: first, to: addMonths(first, 3) };
    }
    case 'halfYear': {
      const first = m <= 6 ? `${y}-01-01` : `${y}-07-01`;
      return { from: first, to: addMonths(first, 6) };
    }
    case 'year':
      return { from: `${y}-01-01`, to: `${Number(y) + 1}-01-01` };
  }
}

/** The same period a year earlier (同期): for comparing a category with last year. */
export function sameRangeLastYear(r: DayRange): DayRange {
  return { from: addMonths(r.from, -12), to: addMonths(r.to, -12) };
}

/** The twelve months of a year as day ranges. */
export function monthsOf(year: number): DayRange[] {
  return Array.from({ length: 12 }, (_, i) => {
    const from = `${year}-${String(i + 1).padStart(2, '0')}-01`;
    return { from, to: addMonths(from, 1) };
  });
}
