import type { Context } from 'hono';
import { AppError } from '../../src/platform/errors.js';
import { decodeCsv, readCsvSheet, readWorkbookSheet, type Sheet } from '../../src/platform/sheet-file.js';

export type { Sheet, SheetRow } from '../../src/platform/sheet-file.js';
export { SHEET_LIMITS } from '../../src/platform/sheet-file.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The uploaded sheet: a CSV (UTF-8 with or without BOM, or the charset it declares) or an Excel
 * workbook (.xlsx, first worksheet), sent as the raw body with its Content-Type or as multipart
 * field `file`. A body that cannot be read as either is a 422 invalid_file saying what to send.
 */
export async function readSheet(c: Context): Promise<Sheet> {
  const header = c.req.header('content-type') ?? '';
  const type = header.toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    if (!/;\s*boundary=/.test(type))
      throw invalidFile(
        'Content-Type multipart/form-data has no boundary: let the HTTP client build the form (curl -F "file=@items.xlsx"), or send the file itself as the body.',
      );
    let form: Record<string, string | File | (string | File)[]>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw invalidFile(
        'The multipart body cannot be read (cut short, or parts that do not match its boundary): send it again, e.g. curl -F "file=@items.xlsx".',
      );
    }
    const file = form.file;
    if (!(file instanceof File))
      throw invalidFile('multipart field "file" with the CSV or .xlsx file is missing');
    const name = file.name.toLowerCase();
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (name.endsWith('.xlsx') || file.type === XLSX) return readWorkbookSheet(bytes);
    if (name.endsWith('.csv') || file.type.startsWith('text/csv'))
      return readCsvSheet(decodeCsv(bytes, charsetOf(file.type) ?? charsetOf(type)));
    throw invalidFile(`file "${file.name.slice(0, 100)}": expected a .csv or .xlsx file`);
  }
  if (type.startsWith('text/csv'))
    return readCsvSheet(decodeCsv(new Uint8Array(await c.req.arrayBuffer()), charsetOf(type)));
  if (type.startsWith(XLSX)) return readWorkbookSheet(new Uint8Array(await c.req.arrayBuffer()));
  throw invalidFile(
    `Content-Type "${header.slice(0, 100) || '(none)'}": send text/csv, ${XLSX}, or multipart/form-data`,
  );
}

/** The `charset=` parameter of a media type, if any. */
export function charsetOf(mediaType: string): string | undefined {
  return /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(mediaType)?.[2];
}

function invalidFile(message: string): AppError {
  return new AppError(422, 'invalid_file', message, [{ field: 'file', message }]);
}
