import { listDepartments } from '../db/repos/departments.js';
import { countOpened } from '../db/repos/figures.js';
import type { Deps } from '../deps.js';
import {
  completionRate,
  type DueCounts,
  emptyDue,
  onTimeRate,
  percentText,
  sumCounts,
} from '../domain/figures.js';
import type { Deduction } from '../domain/scores.js';
import { addDays, atLocal } from '../domain/time.js';
import { AppError } from '../platform/errors.js';
import { loadWorkCalendar } from '../settings/calendar.js';
import { loadScoringRules } from '../settings/rules.js';
import { departmentFigures } from './bulletin-figures.js';
import { csvCell } from './export-cells.js';
import { type HotlineFigures, hasHotlineTickets } from './hotline-figures.js';

/**
 * GET /api/v1/reports/summary: the figures of a period (from … to, whole days) per department
 * and for the office, with the same definitions as the digest, the 通报 and the scores.
 */
export const SOURCES = [
  'instruction',
  'decision',
  'proposal',
  'practical',
  'hotline',
  'other',
  'document',
  'meeting',
] as const;

export interface ReportRow {
  opened: number;
  closed: number;
  closedOnTime: number;
  due: number;
  dueDone: number;
  completionRate: number | null;
  onTimeRate: number | null;
  openOverdue: number;
  avgHandlingWorkdays: number | null;
  extensions: number;
  score: number;
  deductions: Deduction[];
  bySource: Record<(typeof SOURCES)[number], number>;
}

export interface Report {
  from: string;
  to: string;
  departments: Array<ReportRow & { dept: string; name: string }>;
  office: ReportRow;
}

const round4 = (r: number | null) => (r === null ? null : Math.round(r * 10000) / 10000);

export async function summaryReport(
  deps: Deps,
  q: { from: string; to: string; dept?: string | undefined },
): Promise<Report> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  if (q.to < q.from)
    throw new AppError(422, 'invalid_field', 'to: must not be before from', [{ field: 'to' }]);
  if (q.dept && !(await listDepartments(db)).some((d) => d.code === q.dept))
    throw new AppError(422, 'invalid_field', `dept: unknown department "${q.dept}"`, [{ field: 'dept' }]);
  const period = { from: atLocal(q.from, '00:00', tz), to: atLocal(addDays(q.to, 1), '00:00', tz) };
  const calendar = await loadWorkCalendar(db);
  const figures = await departmentFigures(db, { calendar, timeZone: tz }, period, await loadScoringRules(db));
  const opened = await countOpened(db, period);
  const rows = figures.map((f) => {
    const bySource = Object.fromEntries(SOURCES.map((s) => [s, 0])) as ReportRow['bySource'];
    for (const o of opened.filter((x) => x.dept === f.dept))
      if (o.source in bySource) bySource[o.source as keyof typeof bySource] += o.opened;
    return {
      dept: f.dept,
      name: f.name,
      ...row(
        f.due,
        f,
        Object.values(bySource).reduce((a, b) => a + b, 0),
        bySource,
      ),
    };
  });
  const due = sumCounts(
    figures.map((f) => f.due),
    emptyDue,
  );
  const closed = figures.reduce((s, f) => s + f.closed, 0);
  const office = row(
    due,
    {
      closed,
      closedOnTime: figures.reduce((s, f) => s + f.closedOnTime, 0),
      overdue: figures.reduce((s, f) => s + f.overdue, 0),
      avgHandlingWorkdays:
        closed === 0
          ? null
          : Math.round((figures.reduce((s, f) => s + f.handlingWorkdaysTotal, 0) / closed) * 10) / 10,
      extensions: figures.reduce((s, f) => s + f.extensions, 0),
      // The office's score: the mean of its departments'.
      score:
        figures.length === 0
          ? 100
          : Math.round((figures.reduce((s, f) => s + f.score, 0) / figures.length) * 10) / 10,
      deductions: figures.flatMap((f) => f.deductions),
    },
    rows.reduce((s, r) => s + r.opened, 0),
    Object.fromEntries(
      SOURCES.map((s) => [s, rows.reduce((t, r) => t + r.bySource[s], 0)]),
    ) as ReportRow['bySource'],
  );
  return {
    from: q.from,
    to: q.to,
    departments: q.dept ? rows.filter((r) => r.dept === q.dept) : rows,
    office,
  };
}

function row(
  due: DueCounts,
  f: {
    closed: number;
    closedOnTime: number;
    overdue: number;
    avgHandlingWorkdays: number | null;
    extensions: number;
    score: number;
    deductions: Deduction[];
  },
  opened: number,
  bySource: ReportRow['bySource'],
): ReportRow {
  return {
    opened,
    closed: f.closed,
    closedOnTime: f.closedOnTime,
    due: due.due,
    dueDone: due.dueDone,
    completionRate: round4(completionRate(due)),
    onTimeRate: round4(onTimeRate(due)),
    openOverdue: f.overdue,
    avgHandlingWorkdays: f.avgHandlingWorkdays,
    extensions: f.extensions,
    score: f.score,
    deductions: f.deductions,
    bySource,
  };
}

const CSV_HEADER = [
  '处室',
  '新增',
  '办结',
  '按时办结',
  '应办结',
  '办结率',
  '按时办结率',
  '逾期未办结',
  '平均办理工作日',
  '延期申请',
  '得分',
  '扣分明细',
  '领导批示',
  '会议议定',
  '建议提案',
  '十件实事',
  '热线工单',
  '其他交办',
  '公文',
  '会议',
];

/** Every CSV field goes through the one formula-safe cell of every export. */
const cell = csvCell;

/**
 * The report as CSV with a UTF-8 BOM (so Excel reads the Chinese), one line per department and 全办;
 * with hotline tickets, after a blank line the hotline's month per department and 全办, then its
 * recurring categories (this month against last).
 */
export function reportCsv(r: Report, hotline: HotlineFigures | null = null): string {
  const line = (name: string, x: ReportRow) =>
    [
      name,
      x.opened,
      x.closed,
      x.closedOnTime,
      x.due,
      percentText(x.completionRate),
      percentText(x.onTimeRate),
      x.openOverdue,
      x.avgHandlingWorkdays,
      x.extensions,
      x.score,
      x.deductions.map((d) => `${d.itemId} ${d.reason} ${d.points > 0 ? '+' : ''}${d.points}`).join('；'),
      ...SOURCES.map((s) => x.bySource[s]),
    ]
      .map(cell)
      .join(',');
  const lines = [CSV_HEADER.join(','), ...r.departments.map((d) => line(d.name, d)), line('全办', r.office)];
  if (hotline && hasHotlineTickets(hotline)) lines.push('', ...hotlineCsvLines(r, hotline));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The hotline's block of the CSV: rates per department and 全办, then the recurring categories. */
function hotlineCsvLines(r: Report, f: HotlineFigures): string[] {
  const names = new Map(r.departments.map((d) => [d.dept, d.name]));
  const row = (name: string, x: HotlineFigures['total']) =>
    [name, x.due, x.dueDone, x.dueDoneOnTime, percentText(x.completionRate), percentText(x.onTimeRate)]
      .map(cell)
      .join(',');
  return [
    [`热线工单（${f.month}）`, '应办结', '办结', '按时办结', '办结率', '按时办结率'].map(cell).join(','),
    ...f.byDept.map((d) => row(d.dept ? (names.get(d.dept) ?? d.dept) : '未分处室', d)),
    row('全办', f.total),
    '',
    ['热线问题类别', '本月', '上月'].map(cell).join(','),
    ...f.categories.map((c) => [c.category ?? '未分类', c.thisMonth, c.lastMonth].map(cell).join(',')),
  ];
}
