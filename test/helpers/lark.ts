import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { expect } from 'vitest';
import { larkRoutes } from '../../handlers/lark/routes.js';
import type { Deps } from '../../src/deps.js';
import { inboundHandlers } from '../../src/lark/adapter/router.js';
import { checkCard } from '../../src/lark/card-schema.js';
import { encryptLark, larkSignature, larkV1CardSignature } from '../../src/lark/crypto.js';
import type { InboundHandlers } from '../../src/lark/inbound/handlers.js';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import type { RateLimiter } from '../../src/lark/rate-limiter.js';
import type { Config } from '../../src/platform/config.js';
import { AppError } from '../../src/platform/errors.js';
import type { FakeLark, FakeMessage } from '../fakes/lark-server.js';
import { testConfig } from './deps.js';

/**
 * Helpers to talk to cuiban as Lark does (signed, optionally encrypted events and callbacks) and
 * to assert on what cuiban sent to the fake Lark (test/fakes/lark-server.ts).
 */

export const TEST_VERIFICATION_TOKEN = 'test-verification-token';
export const TEST_ENCRYPT_KEY = 'test-encrypt-key';

/** Config pointing the Lark gateway at the fake, with a verification token and an encrypt key. */
export function larkTestConfig(fake: FakeLark | null, env: Record<string, string | undefined> = {}): Config {
  return testConfig({
    ...(fake ? { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url } : {}),
    LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    ...env,
  });
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++counter}`;

interface EnvelopeOptions {
  eventId?: string;
  token?: string;
  createTime?: Date;
}

function envelope<E extends Record<string, unknown>>(eventType: string, event: E, o: EnvelopeOptions = {}) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: eventType,
      create_time: String((o.createTime ?? new Date()).getTime()),
      token: o.token ?? TEST_VERIFICATION_TOKEN,
      app_id: 'cli_fake_app',
      tenant_key: 'tenant_fake',
    },
    event,
  };
}

/**
 * An im.message.receive_v1 event. `text` may contain `@_user_N` placeholders; pass the people
 * mentioned in `mentions` (in order: the first is @_user_1). Use `mentionBot(fake)` for the bot.
 */
export function messageEvent(
  o: EnvelopeOptions & {
    from: string;
    text: string;
    chatId?: string;
    chatType?: 'p2p' | 'group';
    messageId?: string;
    mentions?: Array<{ openId: string; name?: string }>;
    messageType?: string;
  },
) {
  const chatType = o.chatType ?? 'p2p';
  return envelope(
    'im.message.receive_v1',
    {
      sender: {
        sender_id: { open_id: o.from, user_id: `u_${o.from}`, union_id: `on_${o.from}` },
        sender_type: 'user',
        tenant_key: 'tenant_fake',
      },
      message: {
        message_id: o.messageId ?? nextId('om_user'),
        chat_id: o.chatId ?? (chatType === 'p2p' ? `oc_p2p_${o.from}` : 'oc_group'),
        chat_type: chatType,
        message_type: o.messageType ?? 'text',
        content: JSON.stringify({ text: o.text }),
        create_time: String((o.createTime ?? new Date()).getTime()),
        mentions: (o.mentions ?? []).map((m, i) => ({
          key: `@_user_${i + 1}`,
          id: { open_id: m.openId, user_id: `u_${m.openId}`, union_id: `on_${m.openId}` },
          name: m.name ?? m.openId,
          tenant_key: 'tenant_fake',
        })),
      },
    },
    o,
  );
}

export const mentionBot = (fake: FakeLark) => ({ openId: fake.botOpenId, name: 'cuiban' });

export function botAddedEvent(o: EnvelopeOptions & { chatId: string; operator: string; chatName?: string }) {
  return envelope(
    'im.chat.member.bot.added_v1',
    {
      chat_id: o.chatId,
      operator_id: { open_id: o.operator, user_id: `u_${o.operator}`, union_id: `on_${o.operator}` },
      external: false,
      operator_tenant_key: 'tenant_fake',
      name: o.chatName ?? '办公室群',
    },
    o,
  );
}

export interface ClickOptions extends EnvelopeOptions {
  operator: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  option?: string;
  messageId?: string;
  chatId?: string;
  updateToken?: string;
}

/** A new-style card.action.trigger callback. */
export function cardActionEvent(o: ClickOptions) {
  return envelope(
    'card.action.trigger',
    {
      operator: { open_id: o.operator, user_id: `u_${o.operator}`, union_id: `on_${o.operator}` },
      token: o.updateToken ?? nextId('c-token'),
      action: {
        value: o.value,
        tag: o.formValue ? 'button' : 'button',
        ...(o.formValue ? { form_value: o.formValue } : {}),
        ...(o.option ? { option: o.option } : {}),
      },
      host: 'im_message',
      context: { open_message_id: o.messageId ?? nextId('om'), open_chat_id: o.chatId ?? 'oc_group' },
    },
    o,
  );
}

/** An old-style (v1) card callback: flat. */
export function v1CardCallback(o: Omit<ClickOptions, 'eventId' | 'createTime'>) {
  return {
    open_id: o.operator,
    user_id: `u_${o.operator}`,
    open_message_id: o.messageId ?? nextId('om'),
    open_chat_id: o.chatId ?? 'oc_group',
    tenant_key: 'tenant_fake',
    token: o.updateToken ?? nextId('c-token'),
    action: {
      value: o.value,
      tag: 'button',
      ...(o.formValue ? { form_value: o.formValue } : {}),
      ...(o.option ? { option: o.option } : {}),
    },
  };
}

export function urlVerification(challenge: string, token = TEST_VERIFICATION_TOKEN) {
  return { challenge, token, type: 'url_verification' };
}

export interface SignOptions {
  /** Encrypt the body as `{"encrypt":…}` (default: when the config has an encrypt key). */
  encrypt?: boolean;
  /** Sign it (default true). v1 card callbacks are signed with SHA-1 and the verification token. */
  sign?: boolean | 'v1';
  /** Timestamp to sign with (default: the deps clock's now). */
  at?: Date;
  encryptKey?: string;
  verificationToken?: string;
  /** Override headers after signing (to break them in tests). */
  headers?: Record<string, string | undefined>;
}

/** A payload given as JSON text, sent as is (for bodies JSON.stringify cannot write, e.g. over-deep ones). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The raw body and headers Lark would send for `payload`. */
export function larkRequest(
  payload: unknown,
  o: SignOptions & { now: Date },
): { body: string; headers: Record<string, string> } {
  const encryptKey = o.encryptKey ?? TEST_ENCRYPT_KEY;
  const plain = payload instanceof RawJson ? payload.text : JSON.stringify(payload);
  const body = o.encrypt === false ? plain : JSON.stringify({ encrypt: encryptLark(encryptKey, plain) });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.sign !== false) {
    const timestamp = String(Math.floor((o.at ?? o.now).getTime() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const raw = Buffer.from(body);
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] =
      o.sign === 'v1'
        ? larkV1CardSignature(timestamp, nonce, o.verificationToken ?? TEST_VERIFICATION_TOKEN, raw)
        : larkSignature(timestamp, nonce, encryptKey, raw);
  }
  for (const [k, v] of Object.entries(o.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { body, headers };
}

/**
 * POSTs `payload` to /lark/events (or `path`) as Lark would: encrypted and signed when the app's
 * config has an encrypt key, unless told otherwise.
 */
export async function postToLark(
  app: Hono<any>,
  deps: Deps,
  payload: unknown,
  o: SignOptions & { path?: '/lark/events' | '/lark/cards' } = {},
): Promise<{ status: number; body: any }> {
  const hasKey = deps.config.lark.encryptKey !== undefined;
  const { body, headers } = larkRequest(payload, {
    ...o,
    encrypt: o.encrypt ?? hasKey,
    sign: o.sign ?? hasKey,
    encryptKey: o.encryptKey ?? deps.config.lark.encryptKey ?? TEST_ENCRYPT_KEY,
    now: deps.clock.now(),
  });
  const res = await app.request(o.path ?? '/lark/events', { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

/**
 * Clicks a card button as `operator`: posts a card.action.trigger to /lark/cards and answers the
 * parsed response (`{toast?, card?}`). Expects HTTP 200, and a card Lark would take when the
 * answer carries one (it replaces the clicker's copy).
 */
export async function click(app: Hono<any>, deps: Deps, o: ClickOptions): Promise<any> {
  const res = await postToLark(app, deps, cardActionEvent(o), { path: '/lark/cards' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const answered = (res.body as any)?.card;
  if (answered) {
    expect(answered.type).toBe('raw');
    expect(checkCard(answered.data), 'the card answered to the click').toEqual({ ok: true });
  }
  return res.body;
}

/** Sends a chat message to the bot (direct message unless chatType 'group') and expects 200. */
export async function say(app: Hono<any>, deps: Deps, o: Parameters<typeof messageEvent>[0]): Promise<void> {
  const res = await postToLark(app, deps, messageEvent(o));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Token buckets that never refuse: in flushOutbox, the fake Lark's own limits are the only ones. */
const unlimited: RateLimiter = { take: () => 0, block: () => {} };

/**
 * Runs the outbox dispatcher until nothing is due, so queued messages reach the fake. The fake
 * enforces Lark's rate limits in real time (unless `fake.clock` is set); when it answers 429
 * the rows are put back with a short wait, which flushOutbox waits out (in real time, without
 * moving the test's clock) before sending them. Failures injected into the fake are NOT waited
 * out: use dispatchOnce and move the clock for those tests.
 */
export async function flushOutbox(deps: Deps, rounds = 20): Promise<void> {
  const { db } = deps.database;
  for (let i = 0; i < rounds; i++) {
    const s = await dispatchOnce(deps, { limit: 100, limiter: unlimited, appWindows: false });
    if (s.claimed > 0 && s.deferred === 0) continue;
    if (s.deferred === 0) return;
    // Rate-limited by the fake: wait out its (real-time) window, then make those rows due now.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const now = deps.clock.now();
    await db
      .updateTable('outbox')
      .set({ next_attempt_at: now })
      .where('status', '=', 'pending')
      .where('last_error', 'like', '%99991400%')
      .execute();
  }
}

export type MessageMatcher = Partial<
  Pick<FakeMessage, 'receiveId' | 'chatId' | 'openId' | 'replyTo' | 'msgType' | 'operation' | 'uuid'>
> & {
  /** Substring (or pattern) of the text (text messages) or of the card's texts. */
  text?: string | RegExp;
  where?: (m: FakeMessage) => boolean;
};

function matches(m: FakeMessage, matcher: MessageMatcher): boolean {
  const { text, where, ...fields } = matcher;
  for (const [k, v] of Object.entries(fields)) if ((m as any)[k] !== v) return false;
  if (text !== undefined && !(typeof text === 'string' ? m.text.includes(text) : text.test(m.text)))
    return false;
  if (where && !where(m)) return false;
  return true;
}

function describeMessages(messages: FakeMessage[]): string {
  if (messages.length === 0) return '(none)';
  return messages
    .map(
      (m) =>
        `- ${m.operation} to ${m.chatId ?? m.openId ?? m.receiveId ?? m.replyTo} [${m.msgType}]: ${m.text.slice(0, 200)}`,
    )
    .join('\n');
}

/** Finds the first not-yet-asserted message matching `matcher`, marks it consumed, returns it. */
export function expectMessage(fake: FakeLark, matcher: MessageMatcher): FakeMessage {
  const open = fake.messages.filter((m) => !m.consumed);
  const found = open.find((m) => matches(m, matcher));
  if (!found) {
    throw new Error(
      `expected a message matching ${JSON.stringify(matcher, (_k, v) => (v instanceof RegExp ? String(v) : v))}; unconsumed messages:\n${describeMessages(open)}`,
    );
  }
  found.consumed = true;
  return found;
}

/**
 * Fails if any message arrived that no expectMessage consumed, or if Lark refused any card (sent,
 * replied, patched or updated) for breaking the Card JSON 2.0 rules. Call it at the end of e2e tests.
 */
export function expectNoMoreMessages(fake: FakeLark): void {
  const open = fake.messages.filter((m) => !m.consumed);
  if (open.length > 0) throw new Error(`unexpected messages sent to Lark:\n${describeMessages(open)}`);
  const refused = fake.refusedCards.map((r) => `- ${r.operation}: ${r.code} ${r.msg}`);
  if (refused.length > 0) throw new Error(`Lark refused cards:\n${refused.join('\n')}`);
}

/**
 * An app with only the /lark routes, whose event and card handlers are `handlers` (to count
 * calls, or to fail on purpose; the router's where not given), answering errors in the
 * contract's format like createApp.
 */
export function larkOnlyApp(deps: Deps, handlers: Partial<InboundHandlers> = {}): Hono {
  const app = new Hono();
  app.route('/lark', larkRoutes(deps, { ...inboundHandlers, ...handlers }));
  app.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json({ error: { code: err.code, message: err.message } }, err.status as ContentfulStatusCode);
    }
    return c.json({ error: { code: 'internal', message: String(err) } }, 500);
  });
  return app;
}
