import type { Context } from 'hono';
import { AppError } from '../../src/platform/errors.js';

/** One data row of a sheet: its row number as the office sees it (the header is row 1). */
export interface SheetRow {
  row: number;
  cells: Record<string, string | Date>;
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

export const MAX_IMPORT_ROWS = 1000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The uploaded sheet: a CSV (UTF-8, with or without BOM) or an Excel workbook (.xlsx, first
 * worksheet), sent as the raw body with its Content-Type or as multipart field `file`.
 */
export async function readSheet(c: Context): Promise<Sheet> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File))
      throw unsupported('multipart field "file" with the CSV or .xlsx file is missing');
    const name = file.name.toLowerCase();
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (name.endsWith('.xlsx') || file.type === XLSX) return readWorkbook(bytes);
    if (name.endsWith('.csv') || file.type.startsWith('text/csv'))
      return readCsv(new TextDecoder().decode(bytes));
    throw unsupported(`file "${file.name}": expected a .csv or .xlsx file`);
  }
  if (type.startsWith('text/csv')) return readCsv(await c.req.text());
  if (type.startsWith(XLSX)) return readWorkbook(new Uint8Array(await c.req.arrayBuffer()));
  throw unsupported(`Content-Type "${type || '(none)'}": send text/csv, ${XLSX}, or multipart/form-data`);
}

function unsupported(message: string): AppError {
  return new AppError(415, 'unsupported_file', message);
}

async function readCsv(text: string): Promise<Sheet> {
  const { parse } = await import('csv-parse/sync');
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw new AppError(422, 'invalid_file', `The CSV cannot be read: ${(error as Error).message}`);
  }
  const [header = [], ...data] = records;
  return toSheet(
    header,
    data.map((cells, i) => ({ row: i + 2, values: cells })),
  );
}

async function readWorkbook(bytes: Uint8Array): Promise<Sheet> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  } catch (error) {
    throw new AppError(422, 'invalid_file', `The workbook cannot be read: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError(422, 'invalid_file', 'The workbook has no worksheet.');
  let header: string[] = [];
  const data: { row: number; values: (string | Date)[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: (string | Date)[] = [];
    for (let col = 1; col <= row.cellCount; col++) values.push(cellValue(row.getCell(col).value));
    if (rowNumber === 1) header = values.map(String);
    else data.push({ row: rowNumber, values });
  });
  return toSheet(header, data);
}

/** A cell as text, or as a Date for date cells (exceljs reads the wall-clock time as UTC). */
function cellValue(v: unknown): string | Date {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown };
    if (o.result !== undefined) return cellValue(o.result);
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
  }
  return String(v);
}

function toSheet(header: string[], data: { row: number; values: (string | Date)[] }[]): Sheet {
  const columns = header.map((h) => String(h).trim());
  if (columns.every((c) => c === '')) throw new AppError(422, 'invalid_file', 'The file has no header row.');
  const rows: SheetRow[] = [];
  for (const { row, values } of data) {
    const cells: Record<string, string | Date> = {};
    for (const [i, column] of columns.entries()) {
      const v = values[i];
      if (column === '' || v === undefined) continue;
      if (typeof v === 'string' && v.trim() === '') continue;
      cells[column] = typeof v === 'string' ? v.trim() : v;
    }
    if (Object.keys(cells).length > 0) rows.push({ row, cells });
  }
  if (rows.length === 0) throw new AppError(422, 'invalid_file', 'The file has no data rows.');
  if (rows.length > MAX_IMPORT_ROWS)
    throw new AppError(
      422,
      'invalid_file',
      `The file has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import.`,
    );
  return { columns, rows };
}
