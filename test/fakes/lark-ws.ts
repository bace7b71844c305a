import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FakeLark } from './lark-server.js';

/**
 * A fake of Lark's long connection (长连接), written from what the official Node SDK's WSClient
 * does (node_modules/@larksuiteoapi/node-sdk, `class WSClient`), so the real SDK talks to it:
 *
 * - Endpoint discovery: `POST {domain}/callback/ws/endpoint` `{AppID, AppSecret}` →
 *   `{code:0, data:{URL, ClientConfig:{PingInterval, ReconnectCount, ReconnectInterval,
 *   ReconnectNonce}}}` (seconds); the URL carries `device_id` and `service_id` in its query, and
 *   here a one-time ticket. A wrong secret answers a code the SDK does not retry (it gives up and
 *   calls onError); code 1000040343 (internal error) it retries.
 * - A WebSocket on that URL carrying binary frames: protobuf `pbbp2.Frame` {1 SeqID uint64,
 *   2 LogID uint64, 3 service int32, 4 method int32 (0 control, 1 data), 5 headers repeated
 *   {1 key, 2 value}, 6 payloadEncoding, 7 payloadType, 8 payload bytes, 9 LogIDNew}.
 * - Control frames: the client sends `type: ping` every PingInterval; the server answers
 *   `type: pong` whose payload is the ClientConfig JSON again.
 * - Data frames: headers `type: event`, `message_id`, `sum`, `seq`, `trace_id`; the payload is the
 *   event's JSON (a schema 2.0 envelope, in plain text), split over `sum` frames when large. The
 *   client answers on the same frame (its headers plus `biz_rt`) with the payload
 *   `{"code":200,"data":"<base64 of the handler's JSON answer>"}` (500 when its handler threw).
 *
 * Lark hands each message to one random connection of the app (at most 50): `deliver` does so.
 * The WebSocket framing (RFC 6455) and the protobuf codec are written here by hand, so the fake
 * shares no code with the SDK it tests.
 */

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const ENDPOINT_PATH = '/callback/ws/endpoint';
const CONNECT_PATH = '/ws/connect';
const SERVICE_ID = 3;
const MAX_CONNECTIONS = 50;

export interface Header {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Header[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

// --- protobuf (proto3 wire format: varints and length-delimited fields) ---

function varint(n: number | bigint, out: number[]): void {
  let v = BigInt(n);
  while (v > 0x7fn) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
}

function bytesField(field: number, bytes: Uint8Array, out: number[]): void {
  varint((field << 3) | 2, out);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(frame: Frame): Uint8Array {
  const out: number[] = [];
  for (const [field, value] of [
    [1, frame.SeqID],
    [2, frame.LogID],
    [3, frame.service],
    [4, frame.method],
  ] as const) {
    varint(field << 3, out);
    varint(value, out);
  }
  for (const h of frame.headers) {
    const header: number[] = [];
    bytesField(1, utf8(h.key), header);
    bytesField(2, utf8(h.value), header);
    bytesField(5, Uint8Array.from(header), out);
  }
  if (frame.payloadEncoding !== undefined) bytesField(6, utf8(frame.payloadEncoding), out);
  if (frame.payloadType !== undefined) bytesField(7, utf8(frame.payloadType), out);
  if (frame.payload !== undefined) bytesField(8, frame.payload, out);
  if (frame.LogIDNew !== undefined) bytesField(9, utf8(frame.LogIDNew), out);
  return Uint8Array.from(out);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    const slice = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return slice;
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (!r.done) {
    const tag = Number(r.varint());
    const field = tag >>> 3;
    if ((tag & 7) === 0) {
      const v = Number(r.varint());
      if (field === 1) frame.SeqID = v;
      else if (field === 2) frame.LogID = v;
      else if (field === 3) frame.service = v;
      else if (field === 4) frame.method = v;
      continue;
    }
    if ((tag & 7) !== 2) throw new Error(`unexpected wire type in field ${field}`);
    const bytes = r.bytes();
    if (field === 5) {
      const hr = new Reader(bytes);
      const header: Header = { key: '', value: '' };
      while (!hr.done) {
        const htag = Number(hr.varint());
        const value = text(hr.bytes());
        if (htag >>> 3 === 1) header.key = value;
        else if (htag >>> 3 === 2) header.value = value;
      }
      frame.headers.push(header);
    } else if (field === 6) frame.payloadEncoding = text(bytes);
    else if (field === 7) frame.payloadType = text(bytes);
    else if (field === 8) frame.payload = Uint8Array.from(bytes);
    else if (field === 9) frame.LogIDNew = text(bytes);
  }
  return frame;
}

export const headerOf = (frame: Frame, key: string) => frame.headers.find((h) => h.key === key)?.value;

// --- WebSocket server side (RFC 6455) ---

/** One client connection: frames in (masked, from the client) and out (unmasked). */
class Socket {
  private buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  closed = false;
  /** Set by the client's first frame (its first ping, sent once its side is open). */
  ready = false;

  constructor(
    readonly raw: Duplex,
    readonly deviceId: string,
    private readonly onMessage: (data: Buffer) => void,
    private readonly onClose: () => void,
  ) {
    raw.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    const end = () => {
      if (this.closed) return;
      this.closed = true;
      this.onClose();
    };
    raw.on('close', end);
    raw.on('error', end);
  }

  private parse(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLen = masked ? 4 : 0;
      if (b.length < offset + maskLen + len) return;
      const mask = masked ? b.subarray(offset, offset + 4) : null;
      const payload = Buffer.from(b.subarray(offset + maskLen, offset + maskLen + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      this.buffer = b.subarray(offset + maskLen + len);
      if (opcode === 0x8) {
        this.send(0x8, payload.subarray(0, 2));
        this.raw.end();
        return;
      }
      if (opcode === 0x9) {
        this.send(0xa, payload);
        continue;
      }
      if (opcode === 0xa) continue;
      this.fragments.push(payload);
      if (fin) {
        const message = Buffer.concat(this.fragments);
        this.fragments = [];
        this.onMessage(message);
      }
    }
  }

  send(opcode: number, payload: Uint8Array): void {
    if (this.closed || this.raw.destroyed) return;
    const len = payload.length;
    const head =
      len < 126
        ? Buffer.from([0x80 | opcode, len])
        : len < 65536
          ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x80 | opcode;
              h[1] = 127;
              h.writeBigUInt64BE(BigInt(len), 2);
              return h;
            })();
    this.raw.write(Buffer.concat([head, Buffer.from(payload)]));
  }

  sendFrame(frame: Frame): void {
    this.send(0x2, encodeFrame(frame));
  }

  /** A clean close (status 1000), as Lark's gateway does when it moves a connection. */
  close(): void {
    this.send(0x8, Buffer.from([0x03, 0xe8]));
    this.raw.end();
  }

  /** The network drops: no close frame. */
  drop(): void {
    this.raw.destroy();
  }
}

export interface Delivery {
  /** The `code` of the client's response frame: 200, or 500 when its handler threw. */
  code: number;
  /** The handler's answer (decoded from `data`), or undefined when it answered none. */
  answer: any;
}

export interface FakeLongConnectionOptions {
  /** Seconds, as Lark's ClientConfig gives them (fractions work with the SDK; Lark sends whole ones). */
  pingIntervalSeconds?: number;
  reconnectIntervalSeconds?: number;
  reconnectNonceSeconds?: number;
  /** Bytes per data frame: a larger payload is split over several (sum/seq). */
  fragmentBytes?: number;
}

export class FakeLongConnection {
  /** Every endpoint discovery call answered, successful or not. */
  readonly discoveries: Array<{ appId: unknown; ok: boolean }> = [];
  /** Every ping frame received. */
  pings = 0;
  /** Connections opened over the fake's life. */
  connectsTotal = 0;
  /** Every data frame the clients answered, in order. */
  readonly responses: Frame[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, (d: Delivery) => void>();
  private readonly waiters: Array<() => void> = [];
  private refuseDiscovery: Array<{ code: number; msg: string }> = [];
  private seq = 0;
  private readonly clientConfig: Record<string, number>;
  private readonly fragmentBytes: number;

  constructor(
    private readonly lark: FakeLark,
    options: FakeLongConnectionOptions = {},
  ) {
    this.clientConfig = {
      PingInterval: options.pingIntervalSeconds ?? 120,
      ReconnectCount: -1,
      ReconnectInterval: options.reconnectIntervalSeconds ?? 0.05,
      ReconnectNonce: options.reconnectNonceSeconds ?? 0.02,
    };
    this.fragmentBytes = options.fragmentBytes ?? 64 * 1024;
    lark.mount(ENDPOINT_PATH, (req, res) => void this.discover(req, res));
    lark.httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
  }

  /** Connections open now, on both sides (the client has sent its first ping). */
  get connections(): number {
    return this.readySockets().length;
  }

  /** The next `times` discovery calls answer `code` (1000040343 is retried by the SDK; others are not). */
  refuseDiscoveries(code: number, times = 1, msg = 'refused'): void {
    for (let i = 0; i < times; i++) this.refuseDiscovery.push({ code, msg });
  }

  private async discover(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      // answered below as a refusal
    }
    const answer = (payload: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    const refusal = this.refuseDiscovery.shift();
    if (refusal) {
      this.discoveries.push({ appId: body.AppID, ok: false });
      return answer({ code: refusal.code, msg: refusal.msg, data: {} });
    }
    if (body.AppID !== this.lark.appId || body.AppSecret !== this.lark.appSecret) {
      this.discoveries.push({ appId: body.AppID, ok: false });
      return answer({ code: 514, msg: 'auth failed: app id or secret is wrong', data: {} });
    }
    if (this.sockets.size >= MAX_CONNECTIONS) {
      this.discoveries.push({ appId: body.AppID, ok: false });
      return answer({ code: 1000040350, msg: 'exceed connection limit', data: {} });
    }
    const ticket = randomBytes(8).toString('hex');
    this.tickets.add(ticket);
    this.discoveries.push({ appId: body.AppID, ok: true });
    const wsUrl = `${this.lark.url.replace(/^http/, 'ws')}${CONNECT_PATH}?device_id=dev_${ticket}&service_id=${SERVICE_ID}&ticket=${ticket}`;
    answer({ code: 0, msg: 'ok', data: { URL: wsUrl, ClientConfig: this.clientConfig } });
  }

  private upgrade(req: IncomingMessage, raw: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    const key = req.headers['sec-websocket-key'];
    if (url.pathname !== CONNECT_PATH || !this.tickets.delete(ticket) || typeof key !== 'string') {
      raw.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    raw.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const socket: Socket = new Socket(
      raw,
      url.searchParams.get('device_id') ?? '',
      (data) => this.receive(socket, data),
      () => this.sockets.delete(socket),
    );
    this.sockets.add(socket);
    this.connectsTotal++;
  }

  private readySockets(): Socket[] {
    return [...this.sockets].filter((s) => s.ready && !s.closed);
  }

  private receive(socket: Socket, data: Buffer): void {
    const frame = decodeFrame(data);
    if (!socket.ready) {
      socket.ready = true;
      for (const wake of this.waiters.splice(0)) wake();
    }
    const type = headerOf(frame, 'type');
    if (frame.method === 0 && type === 'ping') {
      this.pings++;
      socket.sendFrame({
        SeqID: 0,
        LogID: 0,
        service: SERVICE_ID,
        method: 0,
        headers: [{ key: 'type', value: 'pong' }],
        payload: utf8(JSON.stringify(this.clientConfig)),
      });
      return;
    }
    if (frame.method === 1) {
      this.responses.push(frame);
      const messageId = headerOf(frame, 'message_id') ?? '';
      const resolve = this.pending.get(messageId);
      if (!resolve) return;
      this.pending.delete(messageId);
      const response = JSON.parse(text(frame.payload ?? new Uint8Array())) as { code: number; data?: string };
      resolve({
        code: response.code,
        answer: response.data ? JSON.parse(Buffer.from(response.data, 'base64').toString('utf8')) : undefined,
      });
    }
  }

  /** Waits until at least `count` connections are open (the SDK dials in on its own time). */
  async waitForConnections(count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.readySockets().length < count) {
      if (Date.now() > deadline) throw new Error(`no ${count} long connection(s) within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Delivers `payload` (an event envelope, as JSON) to one random connection, as Lark does,
   * split over frames of `fragmentBytes`, and waits for the client's response frame.
   */
  async deliver(
    payload: unknown,
    o: { messageId?: string; fragmentBytes?: number; timeoutMs?: number } = {},
  ): Promise<Delivery> {
    await this.waitForConnections(1);
    const open = this.readySockets();
    const socket = open[Math.floor(Math.random() * open.length)]!;
    const messageId = o.messageId ?? `msg_${randomBytes(6).toString('hex')}`;
    const bytes = utf8(JSON.stringify(payload));
    const size = o.fragmentBytes ?? this.fragmentBytes;
    const sum = Math.max(1, Math.ceil(bytes.length / size));
    const answered = new Promise<Delivery>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        reject(new Error(`no response frame for ${messageId}`));
      }, o.timeoutMs ?? 10_000);
      this.pending.set(messageId, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
    });
    const traceId = randomBytes(4).toString('hex');
    for (let seq = 0; seq < sum; seq++) {
      socket.sendFrame({
        SeqID: ++this.seq,
        LogID: this.seq,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: String(sum) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: traceId },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      });
    }
    return answered;
  }

  /** Drops every connection as a network failure would (no close frame): the SDK reconnects. */
  dropAll(): void {
    for (const s of this.sockets) s.drop();
  }

  /** Closes every connection and forgets them (call before FakeLark.close()). */
  close(): void {
    for (const s of this.sockets) s.close();
    for (const s of this.sockets) s.drop();
    this.sockets.clear();
  }

  /** Forgets what was counted (between tests); connections stay. */
  reset(): void {
    this.discoveries.length = 0;
    this.responses.length = 0;
    this.pings = 0;
    this.connectsTotal = 0;
    this.refuseDiscovery = [];
  }
}
