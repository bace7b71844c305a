import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from './errors.js';
import { inflatePart, storedZip, type ZipPart, ZipProblem, zipParts } from './zip-parts.js';

/**
 * An uploaded sheet read into rows: a CSV text or the first worksheet of an Excel workbook
 * (.xlsx). Every limit is checked while the file is read, not after: a small workbook that unpacks
 * to hundreds of megabytes is refused after reading at most the part ceiling, and the event loop
 * is given back between chunks, so other requests (/healthz) are answered meanwhile.
 */

/** A cell that cannot be taken as it is, with what the person should do about it. */
export interface CellProblem {
  problem: string;
}

export type Cell = string | Date | CellProblem;

/** One data row of a sheet: its row number as the office sees it (the header is row 1). */
export interface SheetRow {
  row: number;
  cells: Record<string, Cell>;
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

export const SHEET_LIMITS = {
  /** Data rows (rows with something in them) per import. */
  rows: 1_000,
  /** Rows a worksheet may have at all, empty ones included. */
  sheetRows: 10_000,
  /** Columns: no cell past column CV. */
  columns: 100,
  /** Cells a worksheet may have, empty ones included. */
  cells: 100_000,
  /** Distinct texts in a workbook's shared-string table. */
  sharedStrings: 100_000,
  /** Bytes a worksheet or the shared-string table may unpack to. */
  partBytes: 10 * 1024 * 1024,
  /** Bytes the workbook's other parts read (workbook, relations, styles) may unpack to. */
  smallPartBytes: 2 * 1024 * 1024,
} as const;

export function isCellProblem(cell: unknown): cell is CellProblem {
  return (
    typeof cell === 'object' &&
    cell !== null &&
    !Array.isArray(cell) &&
    !(cell instanceof Date) &&
    typeof (cell as CellProblem).problem === 'string'
  );
}

function invalidFile(message: string): AppError {
  return new AppError(422, 'invalid_file', message, [{ field: 'file', message }]);
}

/** Rows of a CSV text (already decoded; see decodeCsv). */
export async function readCsvSheet(text: string): Promise<Sheet> {
  const { parse } = await import('csv-parse/sync');
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw invalidFile(`The CSV cannot be read: ${(error as Error).message}`);
  }
  const [header = [], ...data] = records;
  if (header.length > SHEET_LIMITS.columns || data.some((r) => r.length > SHEET_LIMITS.columns))
    throw invalidFile(
      `The CSV has more than ${SHEET_LIMITS.columns} columns; at most ${SHEET_LIMITS.columns}.`,
    );
  return toSheet(
    header,
    data.map((cells, i) => ({ row: i + 2, values: cells })),
  );
}

/** The charsets a CSV may declare (`charset=` on the request or the multipart part). */
const GB_CHARSETS = new Set(['gbk', 'gb2312', 'gb18030', 'cp936', 'x-gbk']);
const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);
export const CSV_CHARSETS = 'utf-8, gbk, gb2312, gb18030';

/**
 * A CSV's bytes as text: in the declared charset (GBK and GB 2312 are read as GB 18030, which
 * contains them), else UTF-8 with or without a BOM. Bytes that are not valid in that charset are
 * refused, not replaced with U+FFFD: a title stored as "���" is lost.
 */
export function decodeCsv(bytes: Uint8Array, charset: string | undefined): string {
  const declared = charset?.trim().toLowerCase().replace(/^"|"$/g, '');
  if (declared && !GB_CHARSETS.has(declared) && !UTF8_CHARSETS.has(declared))
    throw invalidFile(`The CSV declares charset "${declared.slice(0, 40)}"; accepted: ${CSV_CHARSETS}.`);
  const gb = declared !== undefined && GB_CHARSETS.has(declared);
  try {
    return new TextDecoder(gb ? 'gb18030' : 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidFile(
      gb
        ? `The CSV is not valid ${declared.toUpperCase()} text.`
        : 'The CSV is not valid UTF-8 text: save it as "CSV UTF-8" in Excel, or declare its charset (e.g. Content-Type: text/csv; charset=gb18030).',
    );
  }
}

/** Rows of the first worksheet of an .xlsx workbook. */
export async function readWorkbookSheet(bytes: Uint8Array): Promise<Sheet> {
  let zip: Buffer;
  try {
    zip = await firstSheetZip(bytes);
  } catch (error) {
    if (error instanceof ZipProblem)
      throw invalidFile(
        `The workbook cannot be read: ${error.message}. Save it again as an Excel workbook (.xlsx).`,
      );
    throw error;
  }
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(chunks(zip)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let header: Cell[] = [];
  const data: { row: number; values: Cell[] }[] = [];
  try {
    for await (const sheet of reader) {
      let seen = 0;
      for await (const row of sheet) {
        const values: Cell[] = [];
        for (let col = 1; col <= row.cellCount; col++) values.push(cellValue(row.getCell(col).value));
        if (row.number === 1) header = values;
        else if (values.some((v) => typeof v !== 'string' || v.trim() !== '')) {
          data.push({ row: row.number, values });
          if (data.length > SHEET_LIMITS.rows) throw tooManyRows();
        }
        if (++seen % 200 === 0) await nextTurn();
      }
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalidFile(
      `The workbook cannot be read: ${(error as Error).message}. Save it again as an Excel workbook (.xlsx).`,
    );
  }
  return toSheet(
    header.map((h) => (typeof h === 'string' ? h : h instanceof Date ? h.toISOString() : '')),
    data,
  );
}

function tooManyRows(): AppError {
  return invalidFile(
    `The file has more than ${SHEET_LIMITS.rows} data rows; at most ${SHEET_LIMITS.rows} per import.`,
  );
}

/** The stored zip fed to the reader in 64 KB pieces, giving the event loop back between them. */
async function* chunks(zip: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < zip.byteLength; at += 64 * 1024) {
    yield zip.subarray(at, at + 64 * 1024);
    await nextTurn();
  }
}

/**
 * A new zip holding only what the reader needs, in the order it needs it (relations, workbook,
 * shared strings and styles before the worksheet, so it never spools the sheet to a temporary
 * file): every part inflated under its ceiling, the worksheet scanned for its limits.
 */
async function firstSheetZip(bytes: Uint8Array): Promise<Buffer> {
  const parts = new Map(zipParts(bytes).map((p) => [p.name, p]));
  const small = async (name: string) => {
    const part = parts.get(name);
    return part ? inflatePart(part, SHEET_LIMITS.smallPartBytes) : undefined;
  };
  const workbook = await small('xl/workbook.xml');
  const rels = await small('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new ZipProblem('it has no workbook part (xl/workbook.xml)');
  const styles = await small('xl/styles.xml');
  const sheetPart = firstSheetPart(parts, workbook.toString('utf8'), rels.toString('utf8'));
  if (!sheetPart) throw new ZipProblem('it has no worksheet');
  const stringsPart = parts.get('xl/sharedStrings.xml');
  const strings = stringsPart ? await inflatePart(stringsPart, SHEET_LIMITS.partBytes) : EMPTY_STRINGS;
  if (countTags(strings, '<si>', '<si ') > SHEET_LIMITS.sharedStrings)
    throw new ZipProblem(`its shared-string table holds more than ${SHEET_LIMITS.sharedStrings} texts`);
  const sheet = await inflatePart(sheetPart, SHEET_LIMITS.partBytes);
  await checkSheetLimits(sheet);
  return storedZip([
    ['xl/_rels/workbook.xml.rels', rels],
    ['xl/workbook.xml', workbook],
    ['xl/sharedStrings.xml', strings],
    ...(styles ? [['xl/styles.xml', styles] as [string, Uint8Array]] : []),
    ['xl/worksheets/sheet1.xml', sheet],
  ]);
}

const EMPTY_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

/** The workbook's first sheet (by the workbook's order), else the lowest-numbered worksheet part. */
function firstSheetPart(parts: Map<string, ZipPart>, workbook: string, rels: string): ZipPart | undefined {
  const tag = /<(?:\w+:)?sheet\s[^>]*>/.exec(workbook)?.[0];
  const rid = tag ? /\s[\w]+:id="([^"]*)"/.exec(tag)?.[1] : undefined;
  if (rid !== undefined) {
    for (const rel of rels.matchAll(/<(?:\w+:)?Relationship\s[^>]*>/g)) {
      if (/\sId="([^"]*)"/.exec(rel[0])?.[1] !== rid) continue;
      const target = /\sTarget="([^"]*)"/.exec(rel[0])?.[1] ?? '';
      const name = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
      const part = parts.get(name);
      if (part) return part;
    }
  }
  const sheets = [...parts.keys()]
    .map((name) => ({ name, n: Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1]) }))
    .filter((s) => Number.isInteger(s.n))
    .sort((a, b) => a.n - b.n);
  return sheets[0] ? parts.get(sheets[0].name) : undefined;
}

function countTags(xml: Buffer, ...tags: string[]): number {
  let n = 0;
  for (const tag of tags) for (let at = xml.indexOf(tag); at >= 0; at = xml.indexOf(tag, at + 1)) n++;
  return n;
}

/**
 * A worksheet's rows, cells and columns counted in pieces of 256 KB, giving the event loop back
 * between them; a ZipProblem at the first limit passed. (The reader would make a row object with
 * 16,384 cells for one cell in column XFD: such a cell is refused here, before it is read.)
 */
async function checkSheetLimits(sheet: Buffer): Promise<void> {
  let rows = 0;
  let cells = 0;
  let carry = '';
  const step = 256 * 1024;
  for (let at = 0; at < sheet.byteLength; at += step) {
    let text = carry + sheet.toString('latin1', at, Math.min(sheet.byteLength, at + step));
    // A tag cut by the piece's end is counted with the next piece.
    const open = text.lastIndexOf('<');
    if (open > text.lastIndexOf('>')) {
      carry = text.slice(open);
      text = text.slice(0, open);
    } else carry = '';
    for (const tag of text.matchAll(/<(row|c)[\s>/][^>]*/g)) {
      if (tag[1] === 'row') {
        if (++rows > SHEET_LIMITS.sheetRows)
          throw new ZipProblem(
            `its worksheet has more than ${SHEET_LIMITS.sheetRows} rows; at most ${SHEET_LIMITS.rows} data rows per import`,
          );
        continue;
      }
      if (++cells > SHEET_LIMITS.cells)
        throw new ZipProblem(`its worksheet has more than ${SHEET_LIMITS.cells} cells`);
      const ref = /\sr="([A-Z]+)(\d+)"/.exec(tag[0]);
      if (ref?.[1] && columnNumber(ref[1]) > SHEET_LIMITS.columns)
        throw new ZipProblem(
          `cell ${ref[1]}${ref[2]} is past column ${SHEET_LIMITS.columns} (CV); at most ${SHEET_LIMITS.columns} columns`,
        );
    }
    await nextTurn();
  }
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * A cell as text, a Date for date cells (exceljs reads the wall-clock time as UTC), or what is
 * wrong with it: a date serial no calendar has, a formula Excel never calculated (no saved
 * result), an error value.
 */
function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime()))
      return { problem: 'the date cell holds a number that is no date; type the date as YYYY-MM-DD' };
    return v;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : { problem: 'not a number' };
  if (typeof v === 'object') {
    const o = v as {
      formula?: unknown;
      result?: unknown;
      richText?: { text: string }[];
      text?: unknown;
      error?: unknown;
    };
    if (o.error !== undefined) return { problem: `the cell holds the error ${String(o.error).slice(0, 20)}` };
    if (o.formula !== undefined || 'result' in o) {
      if (
        o.result === undefined ||
        o.result === null ||
        (typeof o.result === 'number' && Number.isNaN(o.result))
      )
        return {
          problem:
            'a formula without a saved result: open the file in Excel and save it again, or type the value itself',
        };
      return cellValue(o.result);
    }
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    return { problem: 'a value that cannot be read as text' };
  }
  return String(v);
}

function toSheet(header: string[], data: { row: number; values: Cell[] }[]): Sheet {
  const columns = header.map((h) => String(h).trim());
  if (columns.every((c) => c === '')) throw invalidFile('The file has no header row.');
  const rows: SheetRow[] = [];
  for (const { row, values } of data) {
    const cells: Record<string, Cell> = {};
    for (const [i, column] of columns.entries()) {
      const v = values[i];
      if (column === '' || v === undefined) continue;
      if (typeof v === 'string' && v.trim() === '') continue;
      cells[column] = typeof v === 'string' ? v.trim() : v;
    }
    if (Object.keys(cells).length > 0) rows.push({ row, cells });
  }
  if (rows.length === 0) throw invalidFile('The file has no data rows.');
  if (rows.length > SHEET_LIMITS.rows) throw tooManyRows();
  return { columns, rows };
}
