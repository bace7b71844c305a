import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { LarkConfig } from '../../platform/config.js';
import { checkCard } from '../card-schema.js';

/**
 * The playground's stand-in for the parts of Lark's Open API cuiban calls (token, bot info,
 * send, reply, patch, delayed card update). The real SDK gateway talks to it over HTTP through
 * LARK_DOMAIN, exactly as it talks to Lark. It keeps every message per chat, refuses a card that
 * breaks the Card JSON 2.0 rules with Lark's own answer, and applies patches in place.
 */

export interface PlaygroundMessage {
  messageId: string;
  chatId: string;
  /** 'bot' for what cuiban sent, otherwise the open_id of the person who wrote it. */
  sender: string;
  msgType: string;
  /** The parsed content: a card object or `{text}`. */
  body: unknown;
  replyTo: string | null;
  at: number;
  /** How many times the card was replaced (patch, delayed update or the click's answer). */
  updates: number;
}

export interface StandIn {
  appId: string;
  appSecret: string;
  botOpenId: string;
  /** The Lark settings cuiban runs with in the playground: generated keys, this stand-in's URL. */
  larkConfig(origin: string): LarkConfig;
  messages: PlaygroundMessage[];
  /** The chat a direct message between the bot and `openId` lives in. */
  dmChat(openId: string): string;
  /** Records what a person wrote, as Lark does before delivering the event. */
  addUserMessage(input: { chatId: string; sender: string; text: string }): PlaygroundMessage;
  /** Remembers a callback token so that a delayed update with it reaches the message. */
  registerCallbackToken(token: string, messageId: string): void;
  replaceCard(messageId: string, card: unknown): void;
  routes(): Hono;
}

type Answer = { status: 200 | 400; body: Record<string, unknown> };

const ok = (data: Record<string, unknown> = {}): Answer => ({
  status: 200,
  body: { code: 0, msg: 'success', data },
});
const fail = (code: number, msg: string): Answer => ({ status: 400, body: { code, msg } });

function parseContent(msgType: string, content: unknown): { body: unknown } | Answer {
  if (typeof content !== 'string') return fail(230001, 'content: required');
  let body: unknown;
  try {
    body = JSON.parse(content);
  } catch {
    return fail(230001, 'content is not valid JSON');
  }
  if (msgType === 'interactive') {
    const check = checkCard(body);
    if (!check.ok) return fail(check.code, check.msg);
  }
  return { body };
}

export function createStandIn(): StandIn {
  const appId = 'cli_playground';
  const appSecret = randomBytes(16).toString('hex');
  const botOpenId = 'ou_playground_bot';
  const messages: PlaygroundMessage[] = [];
  const tokens = new Set<string>();
  const callbackTokens = new Map<string, string>();
  let counter = 0;
  const nextId = () => `om_pg_${Date.now().toString(36)}_${++counter}`;
  const byId = (id: string) => messages.find((m) => m.messageId === id);
  const dmChat = (openId: string) => `oc_dm_${openId}`;

  const store = (m: Omit<PlaygroundMessage, 'messageId' | 'at' | 'updates'>): PlaygroundMessage => {
    const message = { ...m, messageId: nextId(), at: Date.now(), updates: 0 };
    messages.push(message);
    return message;
  };

  const replaceCard = (messageId: string, card: unknown) => {
    const m = byId(messageId);
    if (!m) return;
    m.body = card;
    m.updates += 1;
  };

  function send(receiveIdType: string | undefined, body: Record<string, unknown>): Answer {
    const receiveId = body.receive_id;
    if (typeof receiveId !== 'string') return fail(230001, 'receive_id: required');
    const msgType = String(body.msg_type ?? '');
    const parsed = parseContent(msgType, body.content);
    if ('status' in parsed) return parsed;
    const chatId = receiveIdType === 'chat_id' ? receiveId : dmChat(receiveId);
    const m = store({ chatId, sender: 'bot', msgType, body: parsed.body, replyTo: null });
    return ok({ message_id: m.messageId, chat_id: chatId, msg_type: msgType });
  }

  function reply(messageId: string, body: Record<string, unknown>): Answer {
    const original = byId(messageId);
    if (!original) return fail(230011, 'the message to reply to does not exist');
    const msgType = String(body.msg_type ?? '');
    const parsed = parseContent(msgType, body.content);
    if ('status' in parsed) return parsed;
    const m = store({
      chatId: original.chatId,
      sender: 'bot',
      msgType,
      body: parsed.body,
      replyTo: messageId,
    });
    return ok({ message_id: m.messageId, chat_id: m.chatId, msg_type: msgType });
  }

  function patch(messageId: string, body: Record<string, unknown>): Answer {
    const m = byId(messageId);
    if (!m) return fail(230011, 'the message does not exist');
    const parsed = parseContent('interactive', body.content);
    if ('status' in parsed) return parsed;
    replaceCard(messageId, parsed.body);
    return ok();
  }

  function cardUpdate(body: Record<string, unknown>): Answer {
    const messageId = typeof body.token === 'string' ? callbackTokens.get(body.token) : undefined;
    if (!messageId) return fail(300030, 'the token is invalid');
    const check = checkCard(body.card);
    if (!check.ok) return fail(11311, check.msg);
    replaceCard(messageId, body.card);
    return ok();
  }

  function routes(): Hono {
    const r = new Hono();
    const authorised = (header: string | undefined) => tokens.has((header ?? '').replace(/^Bearer /, ''));
    const answer = (c: { json: (b: unknown, s: 200 | 400) => Response }, a: Answer) =>
      c.json(a.body, a.status);
    r.post('/open-apis/auth/v3/tenant_access_token/internal', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
      if (body.app_id !== appId || body.app_secret !== appSecret)
        return c.json({ code: 10014, msg: 'app secret invalid' }, 400);
      const token = `t-pg-${randomBytes(8).toString('hex')}`;
      tokens.add(token);
      return c.json({ code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    });
    r.use('/open-apis/*', async (c, next) => {
      if (c.req.path.startsWith('/open-apis/auth/')) return next();
      if (!authorised(c.req.header('authorization')))
        return c.json({ code: 99991663, msg: 'Invalid access token for authorization.' }, 400);
      return next();
    });
    r.get('/open-apis/bot/v3/info', (c) =>
      c.json({ code: 0, msg: 'ok', bot: { open_id: botOpenId, app_name: '催办', activate_status: 2 } }),
    );
    r.post('/open-apis/im/v1/messages', async (c) =>
      answer(c, send(c.req.query('receive_id_type'), await c.req.json())),
    );
    r.post('/open-apis/im/v1/messages/:id/reply', async (c) =>
      answer(c, reply(c.req.param('id'), await c.req.json())),
    );
    r.patch('/open-apis/im/v1/messages/:id', async (c) =>
      answer(c, patch(c.req.param('id'), await c.req.json())),
    );
    r.post('/open-apis/interactive/v1/card/update', async (c) => answer(c, cardUpdate(await c.req.json())));
    return r;
  }

  const verificationToken = randomBytes(16).toString('hex');
  const encryptKey = randomBytes(16).toString('hex');
  return {
    appId,
    appSecret,
    botOpenId,
    larkConfig: (origin) => ({
      appId,
      appSecret,
      verificationToken,
      encryptKey,
      baseUrl: `${origin.replace(/\/+$/, '')}/playground/lark`,
      // The playground posts Lark's requests to the webhook routes.
      mode: 'webhook',
    }),
    messages,
    dmChat,
    addUserMessage: ({ chatId, sender, text }) =>
      store({ chatId, sender, msgType: 'text', body: { text }, replyTo: null }),
    registerCallbackToken: (token, messageId) => callbackTokens.set(token, messageId),
    replaceCard,
    routes,
  };
}
