import { countInformationSent } from '../db/repos/figure-counts.js';
import type { Deps } from '../deps.js';
import {
  addFigureCounts,
  emptyFigureCounts,
  type FigureCounts,
  type FigureRow,
  figureRow,
  monthsOf,
} from '../domain/figure-rows.js';
import { percentText } from '../domain/figures.js';
import { addDays, FIRST_YEAR, LAST_YEAR } from '../domain/time.js';
import { AppError } from '../platform/errors.js';
import { referenceData } from '../settings/reference-data.js';
import { dayRangePeriod, periodCounts } from './figures.js';

/**
 * 年度统计: the year-end figures an office writes into its report (N 议定事项, N 批示件 supervised,
 * N 信息 sent, the hotline's 办结率), month by month and for the year. The year is the sum of its
 * twelve months (each month's figures are those of GET /reports/figures for that month), so the
 * year report and the monthly ones always agree; `overdue` is the count at the year's end, which
 * is December's.
 */

export interface YearGroups {
  /** 会议议定事项 (tasks of source decision). */
  decisions: FigureRow;
  /** 领导批示件 (source instruction). */
  instructions: FigureRow;
  /** 12345 热线工单 (source hotline). */
  hotline: FigureRow;
  /** Every item. */
  all: FigureRow;
  /** 信息 sent: outgoing documents (发文) closed. */
  informationSent: number;
}

export interface YearReport {
  year: number;
  dept: string | null;
  months: Array<YearGroups & { month: string }>;
  total: YearGroups;
  /** One paragraph to paste into the office's report. */
  summaryZh: string;
}

type Counts = {
  decisions: FigureCounts;
  instructions: FigureCounts;
  hotline: FigureCounts;
  all: FigureCounts;
};

const rows = (c: Counts, informationSent: number): YearGroups => ({
  decisions: figureRow(c.decisions),
  instructions: figureRow(c.instructions),
  hotline: figureRow(c.hotline),
  all: figureRow(c.all),
  informationSent,
});

export async function yearReport(
  deps: Deps,
  q: { year: number; dept?: string | undefined },
): Promise<YearReport> {
  const db = deps.database.db;
  const tz = deps.config.timezone;
  if (!Number.isInteger(q.year) || q.year < FIRST_YEAR || q.year > LAST_YEAR - 1)
    throw new AppError(422, 'invalid_field', `year: expected a year ${FIRST_YEAR}–${LAST_YEAR - 1}`, [
      { field: 'year', message: `expected a year ${FIRST_YEAR}–${LAST_YEAR - 1}` },
    ]);
  const ref = await referenceData(deps);
  if (q.dept && !ref.departmentsByCode.has(q.dept))
    throw new AppError(422, 'invalid_field', `dept: unknown department "${q.dept}"`, [
      { field: 'dept', message: 'unknown department' },
    ]);
  const ctx = { calendar: ref.calendar, timeZone: tz };
  const scope = { dept: q.dept };
  const months: Array<Counts & { month: string; informationSent: number }> = [];
  for (const m of monthsOf(q.year)) {
    const period = dayRangePeriod(m.from, addDays(m.to, -1), tz);
    const bySource = await periodCounts(db, ctx, period, 'source', scope);
    const pick = (source: string): FigureCounts => {
      const { key: _key, ...counts } = bySource.find((r) => r.key === source) ?? {
        key: null,
        ...emptyFigureCounts(),
      };
      return counts;
    };
    months.push({
      month: m.from.slice(0, 7),
      decisions: pick('decision'),
      instructions: pick('instruction'),
      hotline: pick('hotline'),
      all: addFigureCounts(bySource.map(({ key: _key, ...counts }) => counts)),
      informationSent: await countInformationSent(db, period, scope),
    });
  }
  const sum = (k: keyof Counts): FigureCounts => ({
    ...addFigureCounts(months.map((m) => m[k])),
    overdue: months[11]![k].overdue,
  });
  const totalCounts: Counts = {
    decisions: sum('decisions'),
    instructions: sum('instructions'),
    hotline: sum('hotline'),
    all: sum('all'),
  };
  const total = rows(
    totalCounts,
    months.reduce((s, m) => s + m.informationSent, 0),
  );
  const scopeZh = q.dept ? (ref.departmentsByCode.get(q.dept)?.name ?? q.dept) : '全办';
  return {
    year: q.year,
    dept: q.dept ?? null,
    months: months.map((m) => ({ month: m.month, ...rows(m, m.informationSent) })),
    total,
    summaryZh: summaryZh(q.year, scopeZh, total),
  };
}

/** '2026年，全办督办会议议定事项12项、领导批示件8件，报送信息30条；12345热线工单应办结20件，办结率85%。…' */
export function summaryZh(year: number, scope: string, t: YearGroups): string {
  const hotline =
    t.hotline.due > 0
      ? `12345热线工单应办结${t.hotline.due}件，办结率${percentText(t.hotline.completionRate)}、按时办结率${percentText(t.hotline.onTimeRate)}`
      : '无热线工单';
  return [
    `${year}年，${scope}督办会议议定事项${t.decisions.opened}项、领导批示件${t.instructions.opened}件，报送信息${t.informationSent}条；${hotline}。`,
    `全年新增督办事项${t.all.opened}件，办结${t.all.closed}件，其中按时办结${t.all.onTime}件；应办结${t.all.due}件，办结率${percentText(t.all.completionRate)}，按时办结率${percentText(t.all.onTimeRate)}；平均办理${t.all.avgHandlingWorkdays ?? '—'}个工作日；年末逾期未办结${t.all.overdue}件。`,
  ].join('\n');
}
