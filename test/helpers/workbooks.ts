import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Workbooks for import tests, built in the test: real ones written by exceljs, and hostile ones
 * (a zip whose sheet unpacks to tens of megabytes, or that lies about its size).
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const XLSX_TYPE = XLSX;

/** An .xlsx with `rows` (row 1 the headings) on its first sheet; `edit` may change cells first. */
export async function workbook(
  rows: unknown[][],
  edit?: (sheet: import('exceljs').Worksheet) => void,
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('导入');
  for (const r of rows) sheet.addRow(r);
  edit?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

interface Entry {
  name: string;
  data: Buffer;
  /** The size written in the zip's headers (default: the true one). */
  declaredSize?: number;
}

/** A deflated zip of `entries`, with a proper central directory. */
export function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = deflateRawSync(e.data, { level: 9 });
    const size = e.declaredSize ?? e.data.byteLength;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.byteLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.byteLength, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.byteLength + packed.byteLength;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A minimal .xlsx whose first sheet is `sheetXml` (the worksheet's XML, as given). */
export function rawWorkbook(
  sheetXml: Buffer,
  o: { declaredSize?: number; sharedStrings?: string } = {},
): Buffer {
  const entries: Entry[] = [
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} ${REL_NS}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    ...(o.sharedStrings ? [{ name: 'xl/sharedStrings.xml', data: Buffer.from(o.sharedStrings) }] : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      data: sheetXml,
      ...(o.declaredSize === undefined ? {} : { declaredSize: o.declaredSize }),
    },
  ];
  return zip(entries);
}

/** A worksheet's XML around `rowsXml`. */
export function sheetXml(rowsXml: string): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${rowsXml}</sheetData></worksheet>`,
  );
}

/** An inline-string cell. */
export const textCell = (ref: string, text: string) =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
