import { promisify } from 'node:util';
import { crc32, inflateRaw } from 'node:zlib';

/**
 * The parts of a zip file (an .xlsx is one), read from its central directory, and inflated with a
 * ceiling on their size. A zip of 1 MB can hold a sheet of 335 MB: the sizes the zip declares are
 * checked before anything is inflated, and inflating stops at the ceiling in case they lie.
 * Inflating runs on libuv's thread pool, so the event loop is not held.
 */

const inflate = promisify(inflateRaw);

export interface ZipPart {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** What the central directory declares (checked again while inflating). */
  declaredSize: number;
  data: Uint8Array;
}

/** A zip that cannot be read, or a part over its ceiling; the message is for the person who sent it. */
export class ZipProblem extends Error {
  override name = 'ZipProblem';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Most parts a zip may list: an .xlsx has about a dozen. */
const MAX_PARTS = 1_000;

/** The parts of `bytes` as its central directory lists them, their data still compressed. */
export function zipParts(bytes: Uint8Array): ZipPart[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const inside = (at: number, length: number) => at >= 0 && at + length <= bytes.byteLength;
  // The end-of-central-directory record is in the last 22 + 65,535 bytes (its comment may follow it).
  let end = -1;
  for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 22 - 0xffff); at--) {
    if (u32(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipProblem('it is not a zip file (no end-of-directory record)');
  const count = u16(end + 10);
  let at = u32(end + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw new ZipProblem('it is a ZIP64 file, which is not accepted');
  if (count > MAX_PARTS) throw new ZipProblem(`it lists ${count} parts; at most ${MAX_PARTS}`);
  const parts: ZipPart[] = [];
  for (let i = 0; i < count; i++) {
    if (!inside(at, 46) || u32(at) !== CENTRAL) throw new ZipProblem('its directory is damaged');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressedSize = u32(at + 20);
    const declaredSize = u32(at + 24);
    const nameLength = u16(at + 28);
    const skip = nameLength + u16(at + 30) + u16(at + 32);
    const local = u32(at + 42);
    if (!inside(at + 46, nameLength)) throw new ZipProblem('its directory is damaged');
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (flags & 0x1) throw new ZipProblem(`part ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new ZipProblem(`part ${name} uses an unknown compression`);
    if (!inside(local, 30) || u32(local) !== LOCAL) throw new ZipProblem(`part ${name} is damaged`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (!inside(start, compressedSize)) throw new ZipProblem(`part ${name} is cut short`);
    parts.push({ name, method, declaredSize, data: bytes.subarray(start, start + compressedSize) });
    at += 46 + skip;
  }
  return parts;
}

/** A part's bytes, inflated; a ZipProblem past `maxBytes` (whatever the zip declared). */
export async function inflatePart(part: ZipPart, maxBytes: number): Promise<Buffer> {
  if (part.declaredSize > maxBytes) throw tooLarge(part.name, maxBytes);
  if (part.method === 0) {
    if (part.data.byteLength > maxBytes) throw tooLarge(part.name, maxBytes);
    return Buffer.from(part.data);
  }
  try {
    return await inflate(part.data, { maxOutputLength: maxBytes, chunkSize: 1024 * 1024 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(part.name, maxBytes);
    throw new ZipProblem(`part ${part.name} cannot be inflated`);
  }
}

function tooLarge(name: string, maxBytes: number): ZipProblem {
  return new ZipProblem(`part ${name} unpacks to more than ${Math.round(maxBytes / 1024 / 1024)} MB`);
}

/**
 * A new zip of `parts` (name → bytes), stored uncompressed, in the order given: a reader that
 * streams a zip sees them in that order.
 */
export function storedZip(parts: [string, Uint8Array][]): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, data] of parts) {
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x800, 6); // UTF-8 names
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.byteLength, 18);
    header.writeUInt32LE(data.byteLength, 22);
    header.writeUInt16LE(nameBytes.byteLength, 26);
    chunks.push(header, nameBytes, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  chunks.push(end);
  return Buffer.concat(chunks);
}
