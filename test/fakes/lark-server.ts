import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCard } from '../../src/lark/card-schema.js';

/**
 * A faithful fake of the parts of Lark's Open API that cuiban uses, served on 127.0.0.1 so the
 * real SDK client talks to it (LARK_DOMAIN=http://127.0.0.1:<port>). It follows the documented
 * behaviour: flat token response with `expire`, `{code,msg,data}` envelopes, Authorization
 * checks, uuid de-duplication for one hour, rate limits in sliding windows (50/s and 1,000/min
 * per app, 5/s per chat and per user) answering HTTP 429 + 99991400 + x-ogw-ratelimit-reset,
 * and injectable faults. Every card sent, replied, patched or updated later must pass the Card
 * JSON 2.0 schema (src/lark/card-schema.ts); one that does not is refused with Lark's own answer
 * (230099 + sub-code, 230025 past 30 KB; 11311 on the delayed update), and kept in
 * `refusedCards` so a test can say which card Lark would have refused and why.
 */

export type FakeOperation = 'send' | 'reply' | 'patch' | 'card_update' | 'bot_info' | 'token' | 'chats';

export interface FakeMessage {
  messageId: string;
  operation: 'send' | 'reply';
  uuid: string | undefined;
  receiveIdType: string | undefined;
  receiveId: string | undefined;
  /** The chat it went to, when known (chat_id sends and replies in a known chat). */
  chatId: string | undefined;
  /** The open_id it went to, for sends by open_id. */
  openId: string | undefined;
  /** For replies: the message replied to. */
  replyTo: string | undefined;
  msgType: string;
  /** The content as sent (a JSON string). */
  content: string;
  /** The parsed content: a card object or `{text}`. */
  body: any;
  /** `body.text` for text messages, or all text found in a card, joined by newlines. */
  text: string;
  /** Set by the test helpers once a test has asserted on it. */
  consumed: boolean;
  at: number;
}

export type Fault =
  | { type: 'status'; status: number; code?: number; msg?: string }
  | { type: 'rate_limit'; resetSeconds: number; status?: 429 | 400 }
  /** Never answer (until the server closes): the client's timeout fires. */
  | { type: 'hang' }
  /** Close the connection without processing the request. */
  | { type: 'drop' }
  /** Process the request (the message is sent), then close the connection without answering. */
  | { type: 'accept_then_drop' }
  | { type: 'token_invalid'; code?: 99991663 | 99991664 | 99991671 }
  /** Answer a Lark error code in an HTTP 400, e.g. 230002 bot not in chat. */
  | { type: 'code'; code: number; msg?: string; status?: number };

/**
 * Faults on a schedule rather than one by one: called with each API request's operation and its
 * number (1, 2, … over the fake's life, token fetches excluded), answers the fault it meets, if
 * any. The fault drills use it to fail every n-th send, patch or update.
 */
export type FaultSchedule = (operation: FakeOperation, n: number) => Fault | undefined;

interface PendingFault {
  operation: FakeOperation | 'any';
  fault: Fault;
  remaining: number;
}

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  /** Seconds a token lives, as answered in `expire`. */
  tokenExpireSeconds?: number;
  limits?: {
    appPerSecond?: number;
    appPerMinute?: number;
    chatPerSecond?: number;
    userPerSecond?: number;
    /** The short window's length (1,000 ms at Lark); tests shorten it with the dispatcher's. */
    secondMs?: number;
    /** The long window's length (60,000 ms at Lark). */
    minuteMs?: number;
  };
}

const UUID_WINDOW_MS = 60 * 60 * 1000;
const CARD_LIMIT_BYTES = 30 * 1024;
/** Lark updates a sent card for 14 days. */
const UPDATE_WINDOW_MS = 14 * 24 * 3600_000;

function collectText(value: unknown, out: string[]): void {
  if (typeof value === 'string') return;
  if (Array.isArray(value)) {
    for (const v of value) collectText(v, out);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'content' || k === 'text') && typeof v === 'string') out.push(v);
      else collectText(v, out);
    }
  }
}

export class FakeLark {
  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  url = '';
  /** Messages created (one per successful send/reply; a uuid replay creates none). */
  readonly messages: FakeMessage[] = [];
  readonly patches: Array<{ messageId: string; content: string; card: any; at: number }> = [];
  readonly cardUpdates: Array<{ token: string; card: any; at: number }> = [];
  /** PATCHes refused because the message is older than Lark's 14-day update window. */
  readonly refusedPatches: Array<{ messageId: string; ageDays: number }> = [];
  /** Cards refused as Lark would refuse them, with the answer given. */
  readonly refusedCards: Array<{ operation: FakeOperation; card: unknown; code: number; msg: string }> = [];
  /** Every API request received (token fetches included), in order. */
  readonly requests: Array<{ operation: FakeOperation; uuid?: string; status?: number }> = [];
  tokensIssued = 0;
  /** Chats the bot is not in: sending there answers 230002. */
  readonly chatsWithoutBot = new Set<string>();
  /** open_ids the bot cannot reach: sending to them answers 230013. */
  readonly unreachableUsers = new Set<string>();
  /** The groups the bot is in (chat_id → name), as GET /open-apis/im/v1/chats lists them. */
  readonly botChats = new Map<string, string>();
  /**
   * Scopes the app was not granted: an API that needs one of them answers 99991672 naming the
   * scopes that would do (im:chat:readonly for the chat list, im:message:send_as_bot for sends).
   */
  readonly missingScopes = new Set<string>();
  /** Moves the fake's clock (uuid window, token expiry, rate windows) forward. */
  offsetMs = 0;
  /**
   * The fake's clock in ms (real time by default). Tests that drive cuiban with a ManualClock
   * can share it: `fake.clock = () => deps.clock.now().getTime()`.
   */
  clock: () => number = () => Date.now();
  /** Each API answer (token fetches aside) waits this long, as the open platform's round trip does. */
  latencyMs = 0;

  private server: Server;
  private readonly mounted = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  private readonly validTokens = new Map<string, number>();
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  private readonly faults: PendingFault[] = [];
  private schedule: FaultSchedule | undefined;
  private scheduled = 0;
  private readonly windows = new Map<string, number[]>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly limits: Required<NonNullable<FakeLarkOptions['limits']>>;
  private readonly tokenExpireSeconds: number;
  private counter = 0;

  constructor(options: FakeLarkOptions = {}) {
    this.appId = options.appId ?? 'cli_fake_app';
    this.appSecret = options.appSecret ?? 'fake-app-secret';
    this.botOpenId = options.botOpenId ?? 'ou_bot';
    this.tokenExpireSeconds = options.tokenExpireSeconds ?? 7200;
    this.limits = {
      appPerSecond: options.limits?.appPerSecond ?? 50,
      appPerMinute: options.limits?.appPerMinute ?? 1000,
      chatPerSecond: options.limits?.chatPerSecond ?? 5,
      userPerSecond: options.limits?.userPerSecond ?? 5,
      secondMs: options.limits?.secondMs ?? 1000,
      minuteMs: options.limits?.minuteMs ?? 60_000,
    };
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err) => {
        if (!res.headersSent) this.json(res, 500, { code: 1, msg: `fake error: ${(err as Error).message}` });
      });
    });
    // Node closes an idle keep-alive socket after 5 s, racing the client's reuse of it: on a
    // loaded machine a send then meets ECONNRESET and waits for its retry past the test's clock.
    // The open platform keeps idle connections far longer than any pause in a test.
    this.server.keepAliveTimeout = 120_000;
  }

  static async start(options: FakeLarkOptions = {}): Promise<FakeLark> {
    const fake = new FakeLark(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Serves `path` (any method) with `handler` ahead of the Open API routes, for fakes of Lark's
   * other endpoints on the same origin (the long connection's discovery: test/fakes/lark-ws.ts).
   */
  mount(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.mounted.set(path, handler);
  }

  /** The HTTP server, for a fake that takes over upgraded connections (the long connection). */
  get httpServer(): Server {
    return this.server;
  }

  /** Makes the next `times` requests of `operation` (or of any kind) fail with `fault`. */
  inject(fault: Fault, options: { operation?: FakeOperation | 'any'; times?: number } = {}): void {
    this.faults.push({ operation: options.operation ?? 'any', fault, remaining: options.times ?? 1 });
  }

  /** Faults on a schedule from now on (undefined: none). */
  setFaultSchedule(schedule: FaultSchedule | undefined): void {
    this.schedule = schedule;
    this.scheduled = 0;
  }

  /** How many requests are left hanging now. */
  get hangingCount(): number {
    return this.hanging.size;
  }

  /** Cuts the connections of requests left hanging (their clients see a connection error). */
  releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  /** Forgets injected faults that have not fired. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Invalidates every token issued so far (as when Lark expires it early). */
  expireTokens(): void {
    this.validTokens.clear();
  }

  /**
   * How many send/reply requests carried this uuid, whatever became of them (answered, failed,
   * dropped, left hanging): a retry with the same uuid counts again.
   */
  sendAttempts(uuid: string): number {
    return this.requests.filter((r) => r.uuid === uuid).length;
  }

  /** Forgets everything sent and received (between tests). */
  reset(): void {
    this.messages.length = 0;
    this.patches.length = 0;
    this.cardUpdates.length = 0;
    this.refusedPatches.length = 0;
    this.refusedCards.length = 0;
    this.requests.length = 0;
    this.tokensIssued = 0;
    this.validTokens.clear();
    this.uuids.clear();
    this.faults.length = 0;
    this.schedule = undefined;
    this.scheduled = 0;
    this.windows.clear();
    this.chatsWithoutBot.clear();
    this.unreachableUsers.clear();
    this.botChats.clear();
    this.missingScopes.clear();
    this.offsetMs = 0;
    this.latencyMs = 0;
    this.clock = () => Date.now();
  }

  private now(): number {
    return this.clock() + this.offsetMs;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private takeFault(operation: FakeOperation): Fault | undefined {
    const i = this.faults.findIndex((f) => f.operation === operation || f.operation === 'any');
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  /**
   * Counts a call against a sliding window of `windowMs` (1 s unless told); answers the seconds
   * to wait when over the limit.
   */
  private overLimit(key: string, limit: number, windowMs = 1000): number | null {
    const now = this.now();
    const times = (this.windows.get(key) ?? []).filter((t) => now - t < windowMs);
    if (times.length >= limit) {
      this.windows.set(key, times);
      return Math.max(1, Math.ceil((windowMs - (now - times[0]!)) / 1000));
    }
    times.push(now);
    this.windows.set(key, times);
    return null;
  }

  private async readBody(req: IncomingMessage): Promise<any> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    return JSON.parse(text);
  }

  private operationOf(method: string, path: string): FakeOperation | null {
    if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') return 'token';
    if (method === 'GET' && path === '/open-apis/bot/v3/info') return 'bot_info';
    if (method === 'GET' && path === '/open-apis/im/v1/chats') return 'chats';
    if (method === 'POST' && path === '/open-apis/im/v1/messages') return 'send';
    if (method === 'POST' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(path)) return 'reply';
    if (method === 'PATCH' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(path)) return 'patch';
    if (method === 'POST' && path === '/open-apis/interactive/v1/card/update') return 'card_update';
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const mounted = this.mounted.get(url.pathname);
    if (mounted) return mounted(req, res);
    const operation = this.operationOf(req.method ?? 'GET', url.pathname);
    if (!operation)
      return this.json(res, 404, { code: 404, msg: `fake lark: no route ${req.method} ${url.pathname}` });
    let body: any;
    try {
      body = await this.readBody(req);
    } catch {
      return this.json(res, 400, { code: 9499, msg: 'Bad Request: invalid JSON' });
    }
    const record: { operation: FakeOperation; uuid?: string; status?: number } = { operation };
    if ((operation === 'send' || operation === 'reply') && typeof body.uuid === 'string')
      record.uuid = body.uuid;
    this.requests.push(record);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      this.json(res, status, payload, headers);
    };

    if (operation === 'token') {
      if (body.app_id !== this.appId || body.app_secret !== this.appSecret) {
        return answer(400, { code: 10014, msg: 'app secret invalid' });
      }
      const token = `t-fake-${++this.tokensIssued}`;
      this.validTokens.set(token, this.now() + this.tokenExpireSeconds * 1000);
      return answer(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: this.tokenExpireSeconds });
    }

    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    // The chat list (the set-up check's) takes no fault: the drills' schedules count sends.
    const fault =
      operation === 'chats'
        ? undefined
        : (this.takeFault(operation) ??
          (this.schedule && operation !== 'bot_info'
            ? this.schedule(operation, ++this.scheduled)
            : undefined));
    if (fault?.type === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (fault?.type === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'status') {
      return answer(fault.status, { code: fault.code ?? 1500, msg: fault.msg ?? 'internal error' });
    }
    if (fault?.type === 'rate_limit') {
      return answer(
        fault.status ?? 429,
        { code: 99991400, msg: 'request trigger frequency limit' },
        { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(fault.resetSeconds) },
      );
    }
    if (fault?.type === 'token_invalid') {
      return answer(400, { code: fault.code ?? 99991663, msg: 'Invalid access token for authorization.' });
    }
    if (fault?.type === 'code') {
      return answer(fault.status ?? 400, { code: fault.code, msg: fault.msg ?? 'error' });
    }

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!auth) return answer(400, { code: 99991661, msg: 'Missing access token for authorization.' });
    const expires = this.validTokens.get(auth);
    if (expires === undefined || expires <= this.now()) {
      return answer(400, { code: 99991663, msg: 'Invalid access token for authorization.' });
    }

    const result = this.operate(operation, url, body);
    if (fault?.type === 'accept_then_drop') {
      req.socket.destroy();
      return;
    }
    return answer(result.status, result.body, result.headers);
  }

  /** Lark's answer to a card that breaks the Card JSON 2.0 rules, or null when it would take it. */
  private refuseCard(
    operation: FakeOperation,
    card: unknown,
    code?: number,
  ): { status: number; body: unknown } | null {
    const check = checkCard(card);
    if (check.ok) return null;
    const answer = { code: code ?? check.code, msg: check.msg };
    this.refusedCards.push({ operation, card, ...answer });
    return { status: 400, body: answer };
  }

  private operate(
    operation: FakeOperation,
    url: URL,
    body: any,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const ok = (data: unknown) => ({ status: 200, body: { code: 0, msg: 'success', data } });
    const error = (code: number, msg: string, status = 400) => ({ status, body: { code, msg } });
    // 如何为应用申请所需权限: code 99991672 with the scopes that would do, any one of them.
    const scopeRefused = (needed: string, anyOf: string[]) =>
      this.missingScopes.has(needed)
        ? {
            status: 400,
            body: {
              code: 99991672,
              msg: `Access denied. One of the following scopes is required: [${anyOf.join(', ')}].应用尚未开通所需的应用身份权限：[${anyOf.join(', ')}]`,
              error: {
                message:
                  'Refer to the documentation to fix the error: https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error',
                permission_violations: anyOf.map((subject) => ({ type: 'action_scope_required', subject })),
              },
            },
          }
        : null;
    if (operation === 'chats') {
      const refused = scopeRefused('im:chat:readonly', ['im:chat', 'im:chat:readonly']);
      if (refused) return refused;
      const size = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size') ?? 20) || 20));
      const start = Number(url.searchParams.get('page_token') ?? 0) || 0;
      const all = [...this.botChats];
      const items = all.slice(start, start + size).map(([chat_id, name]) => ({
        chat_id,
        name,
        avatar: '',
        description: '',
        owner_id: 'ou_owner',
        owner_id_type: 'open_id',
        external: false,
        tenant_key: 'tenant_fake',
        chat_status: 'normal',
      }));
      const more = start + size < all.length;
      return ok({ items, page_token: more ? String(start + size) : '', has_more: more });
    }
    if (operation === 'bot_info') {
      return {
        status: 200,
        body: {
          code: 0,
          msg: 'ok',
          bot: { open_id: this.botOpenId, app_name: 'cuiban', activate_status: 2 },
        },
      };
    }
    if (operation === 'send' || operation === 'reply') {
      const refused = scopeRefused('im:message:send_as_bot', ['im:message', 'im:message:send_as_bot']);
      if (refused) return refused;
      const receiveIdType =
        operation === 'send' ? (url.searchParams.get('receive_id_type') ?? '') : undefined;
      if (
        operation === 'send' &&
        !['open_id', 'user_id', 'union_id', 'email', 'chat_id'].includes(receiveIdType!)
      ) {
        return error(99992402, 'field validation failed: receive_id_type');
      }
      if (operation === 'send' && typeof body.receive_id !== 'string')
        return error(230001, 'invalid receive_id');
      if (!['text', 'interactive', 'post'].includes(body.msg_type)) return error(230001, 'invalid msg_type');
      if (typeof body.content !== 'string') return error(230001, 'content must be a JSON string');
      let parsed: any;
      try {
        parsed = JSON.parse(body.content);
      } catch {
        return error(230001, 'content is not valid JSON');
      }
      if (body.msg_type === 'text' && typeof parsed.text !== 'string')
        return error(230001, 'text content needs text');
      if (Buffer.byteLength(body.content) > CARD_LIMIT_BYTES)
        return error(230025, 'The length of the message content reaches its limit.');
      if (body.msg_type === 'interactive') {
        const refused = this.refuseCard(operation, parsed);
        if (refused) return refused;
      }
      if (body.uuid !== undefined && (typeof body.uuid !== 'string' || body.uuid.length > 50)) {
        return error(99992402, 'field validation failed: uuid');
      }
      const replyTo = operation === 'reply' ? decodeURIComponent(url.pathname.split('/')[5]!) : undefined;
      const original = replyTo ? this.messages.find((m) => m.messageId === replyTo) : undefined;
      const chatId =
        receiveIdType === 'chat_id' ? body.receive_id : operation === 'reply' ? original?.chatId : undefined;
      const openId = receiveIdType === 'open_id' ? body.receive_id : undefined;
      if (chatId && this.chatsWithoutBot.has(chatId))
        return error(230002, 'Bot/User can NOT be out of the chat.');
      if (openId && this.unreachableUsers.has(openId))
        return error(230013, 'Bot has NO availability to this user.');

      // Rate limits come before the uuid check: a rate-limited call is refused outright.
      const checks: Array<[string, number, number]> = [
        ['app', this.limits.appPerSecond, this.limits.secondMs],
        ['app:minute', this.limits.appPerMinute, this.limits.minuteMs],
      ];
      if (chatId) checks.push([`chat:${chatId}`, this.limits.chatPerSecond, this.limits.secondMs]);
      if (openId) checks.push([`user:${openId}`, this.limits.userPerSecond, this.limits.secondMs]);
      for (const [key, limit, windowMs] of checks) {
        const wait = this.overLimit(key, limit, windowMs);
        if (wait !== null) {
          return {
            status: 429,
            body: { code: 99991400, msg: 'request trigger frequency limit' },
            headers: { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(wait) },
          };
        }
      }

      const now = this.now();
      if (typeof body.uuid === 'string') {
        const seen = this.uuids.get(body.uuid);
        if (seen && now - seen.at < UUID_WINDOW_MS)
          return ok({ message_id: seen.messageId, chat_id: chatId });
      }
      const messageId = `om_fake_${++this.counter}`;
      const texts: string[] = [];
      if (body.msg_type === 'text') texts.push(parsed.text);
      else collectText(parsed, texts);
      this.messages.push({
        messageId,
        operation,
        uuid: body.uuid,
        receiveIdType,
        receiveId: body.receive_id,
        chatId,
        openId,
        replyTo,
        msgType: body.msg_type,
        content: body.content,
        body: parsed,
        text: texts.join('\n'),
        consumed: false,
        at: now,
      });
      if (typeof body.uuid === 'string') this.uuids.set(body.uuid, { messageId, at: now });
      return ok({ message_id: messageId, chat_id: chatId, msg_type: body.msg_type });
    }
    if (operation === 'patch') {
      const messageId = decodeURIComponent(url.pathname.split('/')[5]!);
      const original = this.messages.find((m) => m.messageId === messageId);
      if (!original) return error(230001, 'invalid message_id');
      if (original.msgType !== 'interactive') return error(230001, 'only cards can be patched');
      // 更新已发送的消息卡片: 仅支持更新 14 天内发送的消息 (the page names no code; this one is the fake's).
      const ageMs = this.now() - original.at;
      if (ageMs >= UPDATE_WINDOW_MS) {
        this.refusedPatches.push({ messageId, ageDays: Math.floor(ageMs / 86_400_000) });
        return error(230001, 'the message was sent more than 14 days ago and can no longer be updated');
      }
      if (typeof body.content !== 'string') return error(230001, 'content must be a JSON string');
      let card: any;
      try {
        card = JSON.parse(body.content);
      } catch {
        return error(230001, 'content is not valid JSON');
      }
      const refused = this.refuseCard(operation, card);
      if (refused) return refused;
      const wait = this.overLimit(`message:${messageId}`, 5);
      if (wait !== null) {
        return {
          status: 429,
          body: { code: 99991400, msg: 'request trigger frequency limit' },
          headers: { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(wait) },
        };
      }
      this.patches.push({ messageId, content: body.content, card, at: this.now() });
      return ok({});
    }
    if (operation === 'card_update') {
      if (typeof body.token !== 'string' || !body.card) return error(99992402, 'field validation failed');
      const used = this.cardUpdates.filter((u) => u.token === body.token).length;
      // 延时更新消息卡片: a token works twice; the third use answers 300040.
      if (used >= 2) return error(300040, 'the token has exceeded its usage limit');
      // The delayed update answers its own code for a card it will not take (延时更新消息卡片 · 11311).
      const refused = this.refuseCard(operation, body.card, 11311);
      if (refused) return refused;
      this.cardUpdates.push({ token: body.token, card: body.card, at: this.now() });
      return ok({});
    }
    return error(404, 'unknown');
  }
}
