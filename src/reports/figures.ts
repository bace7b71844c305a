import { listCategories } from '../db/repos/categories.js';
import {
  countFigures,
  type FigureGrouping,
  type FigureScope,
  firstCreatedOfClosed,
} from '../db/repos/figure-counts.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { emptyFigureCounts, type FigureCounts, type FigureRow, figureRow } from '../domain/figure-rows.js';
import { type Period, workdayOrdinals } from '../domain/figures.js';
import { personFiguresAccess } from '../domain/figures-access.js';
import { addDays, atLocal, localDate } from '../domain/time.js';
import { SOURCE_ZH } from '../lark/cards/common.js';
import { AppError } from '../platform/errors.js';
import { referenceData } from '../settings/reference-data.js';

/**
 * GET /api/v1/reports/figures: the figures of src/domain/figure-rows.ts for a range of whole days,
 * by department, source, 专项 or handler, with the office's (or the department's) total.
 */
export type FiguresBy = Exclude<FigureGrouping, 'office'>;

export interface FiguresQuery {
  /** First and last day, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  by: FiguresBy;
  dept?: string | undefined;
  /** Who reads, for the per-person rows (`as=openId`); absent: the admin token itself. */
  as?: string | undefined;
}

export interface FiguresReport {
  from: string;
  to: string;
  by: FiguresBy;
  dept: string | null;
  rows: Array<FigureRow & { key: string | null; name: string }>;
  /** Every item in scope once (an item under two 专项 counts once here). */
  total: FigureRow;
}

/** Counts of one period and grouping, with the working-day ordinals the handling times need. */
export async function periodCounts(
  db: Db,
  ctx: { calendar: WorkCalendar; timeZone: string },
  period: Period,
  by: FigureGrouping,
  scope: FigureScope = {},
): Promise<Array<FigureCounts & { key: string | null }>> {
  const tz = ctx.timeZone;
  const firstDay = localDate(period.from, tz);
  const lastDay = localDate(new Date(period.to.getTime() - 1), tz);
  const created = await firstCreatedOfClosed(db, period, tz);
  const start = created && created < firstDay ? created : firstDay;
  const { days, ordinals } = workdayOrdinals(ctx.calendar, start, lastDay);
  return countFigures(db, period, by, scope, { timeZone: tz, days, ordinals });
}

export function dayRangePeriod(from: string, toInclusive: string, timeZone: string): Period {
  return { from: atLocal(from, '00:00', timeZone), to: atLocal(addDays(toInclusive, 1), '00:00', timeZone) };
}

const invalid = (field: string, message: string) =>
  new AppError(422, 'invalid_field', `${field}: ${message}`, [{ field, message }]);

export async function figuresReport(deps: Deps, q: FiguresQuery): Promise<FiguresReport> {
  const db = deps.database.db;
  const tz = deps.config.timezone;
  if (q.to < q.from) throw invalid('to', 'must not be before from');
  const ref = await referenceData(deps);
  if (q.dept && !ref.departmentsByCode.has(q.dept)) throw invalid('dept', `unknown department "${q.dept}"`);
  let dept = q.dept ?? null;
  if (q.as !== undefined) {
    const reader = ref.people.get(q.as);
    if (!reader) throw invalid('as', `unknown person "${q.as.slice(0, 100)}"`);
    if (q.by === 'person') {
      const access = personFiguresAccess(reader, dept, ref.departments);
      if (!access.allowed)
        throw new AppError(403, 'forbidden', `as: ${q.as} may not read figures per person`, [
          { field: 'as', message: access.reason },
        ]);
      dept = access.dept;
    }
  }
  const period = dayRangePeriod(q.from, q.to, tz);
  const ctx = { calendar: ref.calendar, timeZone: tz };
  const scope = { dept: dept ?? undefined };
  const [rows, [total]] = [
    await periodCounts(db, ctx, period, q.by, scope),
    await periodCounts(db, ctx, period, 'office', scope),
  ];
  const names = await namer(db, q.by, ref);
  return {
    from: q.from,
    to: q.to,
    by: q.by,
    dept,
    rows: rows
      .map((r) => ({ key: r.key, name: names(r.key), ...figureRow(r) }))
      .sort((a, b) => String(a.key ?? '~').localeCompare(String(b.key ?? '~'))),
    total: figureRow(total ?? emptyFigureCounts()),
  };
}

const KIND_ZH: Record<string, string> = { document: '公文', meeting: '会议' };

async function namer(
  db: Db,
  by: FiguresBy,
  ref: Awaited<ReturnType<typeof referenceData>>,
): Promise<(key: string | null) => string> {
  switch (by) {
    case 'dept':
      return (k) => (k ? (ref.departmentsByCode.get(k)?.name ?? k) : '未分处室');
    case 'person':
      return (k) => (k ? (ref.people.get(k)?.name ?? '未登记人员') : '未指定承办人');
    case 'source':
      return (k) => (k ? (SOURCE_ZH[k as keyof typeof SOURCE_ZH] ?? KIND_ZH[k] ?? k) : '其他');
    case 'category': {
      const list = await listCategories(db);
      return (k) => (k ? (list.find((c) => c.code === k)?.name ?? k) : '未列专项');
    }
  }
}
