import type { FigureRow } from '../domain/figure-rows.js';
import { percentText } from '../domain/figures.js';
import { csvCell, sheetCell } from './export-cells.js';
import type { FiguresReport } from './figures.js';

/**
 * The figures as an office opens them: CSV with a UTF-8 BOM (so Excel reads the Chinese) and an
 * Excel workbook, one line per row and 合计 last — the same numbers as the JSON.
 */

const BY_ZH = { dept: '处室', source: '来源', category: '专项', person: '承办人' } as const;

const HEADER = [
  '新增',
  '办结',
  '按时办结',
  '逾期未办结',
  '应办结',
  '应办结已办结',
  '应办结按时办结',
  '办结率',
  '按时办结率',
  '平均办理工作日',
  '延期申请',
  '催办未回应',
];

function values(r: FigureRow): Array<string | number | null> {
  return [
    r.opened,
    r.closed,
    r.onTime,
    r.overdue,
    r.due,
    r.dueDone,
    r.dueDoneOnTime,
    percentText(r.completionRate),
    percentText(r.onTimeRate),
    r.avgHandlingWorkdays,
    r.extensions,
    r.unansweredReminders,
  ];
}

function lines(report: FiguresReport): Array<Array<string | number | null>> {
  return [
    [BY_ZH[report.by], ...HEADER],
    ...report.rows.map((r) => [r.name, ...values(r)]),
    ['合计', ...values(report.total)],
  ];
}

export function figuresCsv(report: FiguresReport): string {
  return `\uFEFF${lines(report)
    .map((l) => l.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}

export async function figuresXlsx(report: FiguresReport): Promise<Uint8Array<ArrayBuffer>> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`${report.from}至${report.to}`);
  for (const l of lines(report)) sheet.addRow(l.map(sheetCell));
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn(1).width = 16;
  const bytes = await workbook.xlsx.writeBuffer();
  return new Uint8Array(bytes as ArrayBuffer);
}
