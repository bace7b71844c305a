import { atLocal, parseOfficeTime, toZonedIso } from '../../src/domain/time.js';
import type { RowProblem } from '../../src/items/import/import-items.js';
import type { CreateItemInput } from '../../src/items/items.js';
import { type Cell, type CellProblem, isCellProblem } from '../../src/platform/sheet-file.js';
import type { Sheet } from './import-file.js';
import { createSchema } from './items.js';

/** The columns an import reads: the API's field names, or the office's own headings. */
const COLUMN_FIELDS: Record<string, string> = {
  kind: 'kind',
  类型: 'kind',
  docType: 'docType',
  文种: 'docType',
  docNo: 'docNo',
  文号: 'docNo',
  title: 'title',
  标题: 'title',
  assignee: 'assignee',
  承办人: 'assignee',
  dept: 'dept',
  处室: 'dept',
  direction: 'direction',
  收发: 'direction',
  receivedAt: 'receivedAt',
  收文时间: 'receivedAt',
  dueAt: 'dueAt',
  办结时限: 'dueAt',
  source: 'source',
  来源: 'source',
  leadDept: 'leadDept',
  牵头处室: 'leadDept',
  coDepts: 'coDepts',
  协办处室: 'coDepts',
  parent: 'parent',
  ticketNo: 'ticketNo',
  工单号: 'ticketNo',
  caller: 'caller',
  来电人: 'caller',
  category: 'category',
  问题类别: 'category',
  categories: 'categories',
  专项: 'categories',
};

const VALUE_WORDS: Record<string, Record<string, string>> = {
  kind: { 公文: 'document', 任务: 'task' },
  direction: { 收文: 'in', 发文: 'out' },
};

/** A row ready to create: the API body it stands for, and where each field came from. */
export interface ImportRow {
  row: number;
  input: CreateItemInput;
  /** field → the column heading in the file, so problems name what the office sees. */
  columns: Record<string, string>;
  /** Checked for its other problems only: its title was refused already. */
  checkOnly?: boolean;
}

function withStandInTitle(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, title: '标题' };
}

/** Every row read as an API body; the problems of every row, by row and column. */
export function rowsOf(sheet: Sheet, timeZone: string): { rows: ImportRow[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const columns: Record<string, string> = {};
  for (const heading of sheet.columns) {
    if (heading === '') continue;
    const field = COLUMN_FIELDS[heading];
    if (!field)
      problems.push({
        row: 1,
        column: heading,
        message: `unknown column; expected one of ${knownColumns()}`,
      });
    else columns[field] = heading;
  }
  const rows: ImportRow[] = [];
  for (const { row, cells } of sheet.rows) {
    const body: Record<string, unknown> = {};
    const unreadable = new Set<string>();
    for (const [heading, value] of Object.entries(cells)) {
      const field = COLUMN_FIELDS[heading];
      if (!field) continue;
      const v = fieldValue(field, value, timeZone);
      if (isCellProblem(v)) {
        // A cell that cannot be read (an impossible date, a formula without its result) is named
        // at its row and column; the row's other fields are still checked, and it is never created.
        problems.push({ row, column: heading, message: v.problem });
        unreadable.add(field);
      } else body[field] = v;
    }
    if (unreadable.size > 0) {
      const rest = createSchema.safeParse(unreadable.has('title') ? withStandInTitle(body) : body);
      if (!rest.success)
        for (const issue of rest.error.issues) {
          const field = String(issue.path[0] ?? 'kind');
          if (!unreadable.has(field))
            problems.push({ row, column: columns[field] ?? field, message: issue.message });
        }
      else {
        const { createdBy: _ignored, ...input } = rest.data;
        rows.push({ row, input, columns, checkOnly: true });
      }
      continue;
    }
    if (body.kind === 'meeting') {
      problems.push({ row, column: columns.kind ?? 'kind', message: 'an import takes documents and tasks' });
      continue;
    }
    const parsed = createSchema.safeParse(body);
    if (!parsed.success) {
      const fields = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'kind');
        fields.add(field);
        problems.push({ row, column: columns[field] ?? field, message: issue.message });
      }
      // A bad title does not hide the row's other problems (people, departments, deadlines): the
      // rest of the row is still checked, with a stand-in title, and never created.
      const rest =
        fields.size === 1 && fields.has('title') ? createSchema.safeParse(withStandInTitle(body)) : null;
      if (rest?.success) {
        const { createdBy: _ignored, ...input } = rest.data;
        rows.push({ row, input, columns, checkOnly: true });
      }
      continue;
    }
    const { createdBy: _ignored, ...input } = parsed.data;
    rows.push({ row, input, columns });
  }
  return { rows, problems };
}

function knownColumns(): string {
  return Object.keys(COLUMN_FIELDS)
    .filter((k) => /^[a-z]/.test(k))
    .join(', ');
}

function fieldValue(field: string, value: Cell, timeZone: string): unknown {
  if (isCellProblem(value)) return value;
  if (value instanceof Date) {
    // exceljs gives the time written in the cell as if it were UTC: read it as office time.
    const iso = value.toISOString();
    return toZonedIso(atLocal(iso.slice(0, 10), iso.slice(11, 16), timeZone), timeZone);
  }
  if (field === 'coDepts' || field === 'categories') return value.split(/[,，、;；\s]+/).filter(Boolean);
  if (field === 'dueAt' || field === 'receivedAt')
    return instantText(value, field === 'dueAt' ? '18:00' : '09:00', timeZone);
  return VALUE_WORDS[field]?.[value] ?? value;
}

/**
 * `YYYY-MM-DD` (at `dayTime`), `YYYY-MM-DD HH:mm` in office time or ISO 8601 with offset, read
 * strictly (2026-13-01 and 25:99 are problems, not next year and the next day); other text as
 * given, for the field's own check to name.
 */
function instantText(value: string, dayTime: string, timeZone: string): string | CellProblem {
  const parsed = parseOfficeTime(value, dayTime, timeZone);
  if (!parsed) return value;
  if (!parsed.ok) return { problem: parsed.problem };
  return toZonedIso(parsed.instant, timeZone);
}
