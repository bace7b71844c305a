import { z } from 'zod';

/**
 * Lark's events and card callbacks as the rest of cuiban sees them: parsed, typed, and free of
 * the envelope. Produced only after src/lark/verify.ts has checked the request.
 */
export type InboundEvent =
  | {
      type: 'message';
      eventId: string;
      senderOpenId: string;
      messageId: string;
      chatId: string;
      chatType: 'p2p' | 'group';
      messageType: string;
      /** content.text for text messages, with the `@_user_N` placeholders kept; '' otherwise. */
      text: string;
      mentions: Array<{ key: string; openId: string; name: string }>;
      /** Whether one of the mentions is this bot (known from GET /open-apis/bot/v3/info). */
      mentionsBot: boolean;
      createTime: Date;
    }
  | { type: 'bot_added'; eventId: string; chatId: string; operatorOpenId: string; chatName: string };

export interface CardAction {
  operatorOpenId: string;
  /** The clicked component's `value` (a button's `behaviors[].value`). */
  value: Record<string, unknown>;
  /** A submitted form's values, keyed by component `name`. */
  formValue?: Record<string, unknown>;
  /** The chosen option of a select or a date picker. */
  option?: string;
  messageId?: string;
  chatId?: string;
  /** The card-update token (for the delayed update; 30 min, twice) — not the verification token. */
  updateToken?: string;
}

export const MESSAGE_RECEIVED = 'im.message.receive_v1';
export const BOT_ADDED = 'im.chat.member.bot.added_v1';
export const CARD_ACTION = 'card.action.trigger';

const idObject = z.object({ open_id: z.string().optional() }).loose();

export const envelopeSchema = z
  .object({
    schema: z.literal('2.0'),
    header: z
      .object({
        event_id: z.string().min(1).max(200),
        event_type: z.string().min(1).max(200),
        create_time: z.union([z.string(), z.number()]).optional(),
      })
      .loose(),
    event: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/** A v1 (schema 1.0) event callback: `{uuid, token, ts, type:'event_callback', event:{type,…}}`. */
const v1EventSchema = z
  .object({
    uuid: z.string().min(1).max(200),
    type: z.literal('event_callback'),
    event: z.object({ type: z.string().min(1) }).loose(),
  })
  .loose();

const messageEventSchema = z.object({
  sender: z.object({ sender_id: idObject }).loose(),
  message: z
    .object({
      message_id: z.string(),
      chat_id: z.string(),
      chat_type: z.enum(['p2p', 'group']),
      message_type: z.string(),
      content: z.string().optional(),
      create_time: z.union([z.string(), z.number()]).optional(),
      mentions: z
        .array(z.object({ key: z.string(), id: idObject, name: z.string().optional() }).loose())
        .optional(),
    })
    .loose(),
});

const botAddedSchema = z
  .object({
    chat_id: z.string(),
    operator_id: idObject.optional(),
    name: z.string().optional(),
  })
  .loose();

const actionSchema = z
  .object({
    value: z.unknown().optional(),
    form_value: z.record(z.string(), z.unknown()).optional().nullable(),
    option: z.string().optional().nullable(),
  })
  .loose();

const newCardSchema = z
  .object({
    operator: idObject,
    token: z.string().optional(),
    action: actionSchema,
    context: z
      .object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() })
      .loose()
      .optional(),
  })
  .loose();

const v1CardSchema = z
  .object({
    open_id: z.string(),
    open_message_id: z.string().optional(),
    open_chat_id: z.string().optional(),
    token: z.string().optional(),
    action: actionSchema,
  })
  .loose();

/** Where to store an event: its id and type, or null when the body is not an event we know. */
export function eventIdentity(body: Record<string, unknown>): { eventId: string; eventType: string } | null {
  const v2 = envelopeSchema.safeParse(body);
  if (v2.success) return { eventId: v2.data.header.event_id, eventType: v2.data.header.event_type };
  const v1 = v1EventSchema.safeParse(body);
  if (v1.success) return { eventId: `v1:${v1.data.uuid}`, eventType: v1.data.event.type };
  return null;
}

function toDate(ms: string | number | undefined, fallback: Date): Date {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? new Date(n) : fallback;
}

function messageText(messageType: string, content: string | undefined): string {
  if (messageType !== 'text' || !content) return '';
  try {
    const parsed = JSON.parse(content) as { text?: unknown };
    return typeof parsed.text === 'string' ? parsed.text : '';
  } catch {
    return '';
  }
}

/**
 * Turns a stored, verified body into the event the router handles; null for event types cuiban
 * ignores. `botOpenId` (null when unknown) decides `mentionsBot`; when it is unknown, any mention
 * counts, since in a group Lark only delivers messages that @-mention the bot.
 * Throws (a ZodError) when a known event type does not have the documented shape.
 */
export function parseInboundEvent(
  body: Record<string, unknown>,
  botOpenId: string | null,
  receivedAt: Date,
): InboundEvent | null {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return null;
  const { header, event } = envelope.data;
  if (header.event_type === MESSAGE_RECEIVED) {
    const e = messageEventSchema.parse(event);
    const mentions = (e.message.mentions ?? []).map((m) => ({
      key: m.key,
      openId: m.id.open_id ?? '',
      name: m.name ?? '',
    }));
    return {
      type: 'message',
      eventId: header.event_id,
      senderOpenId: e.sender.sender_id.open_id ?? '',
      messageId: e.message.message_id,
      chatId: e.message.chat_id,
      chatType: e.message.chat_type,
      messageType: e.message.message_type,
      text: messageText(e.message.message_type, e.message.content),
      mentions,
      mentionsBot: botOpenId === null ? mentions.length > 0 : mentions.some((m) => m.openId === botOpenId),
      createTime: toDate(e.message.create_time ?? header.create_time, receivedAt),
    };
  }
  if (header.event_type === BOT_ADDED) {
    const e = botAddedSchema.parse(event);
    return {
      type: 'bot_added',
      eventId: header.event_id,
      chatId: e.chat_id,
      operatorOpenId: e.operator_id?.open_id ?? '',
      chatName: e.name ?? '',
    };
  }
  return null;
}

function asRecord(v: unknown): Record<string, unknown> {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  if (typeof v === 'string') {
    // Old cards sometimes carry the value as a JSON string.
    try {
      const parsed = JSON.parse(v);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: keep it as is
    }
    return { value: v };
  }
  return {};
}

function clean(action: CardAction): CardAction {
  for (const key of Object.keys(action) as Array<keyof CardAction>) {
    if (action[key] === undefined || action[key] === null) delete action[key];
  }
  return action;
}

/** A card callback, new style (schema 2.0 `card.action.trigger`) or old (v1, flat). */
export function parseCardAction(body: Record<string, unknown>): { action: CardAction; dedupKey: string } {
  const envelope = envelopeSchema.safeParse(body);
  if (envelope.success) {
    const e = newCardSchema.parse(envelope.data.event);
    return {
      dedupKey: envelope.data.header.event_id,
      action: clean({
        operatorOpenId: e.operator.open_id ?? '',
        value: asRecord(e.action.value),
        formValue: e.action.form_value ?? undefined,
        option: e.action.option ?? undefined,
        messageId: e.context?.open_message_id,
        chatId: e.context?.open_chat_id,
        updateToken: e.token,
      }),
    };
  }
  const e = v1CardSchema.parse(body);
  return {
    // v1 callbacks have no event id; the update token is unique per interaction.
    dedupKey: `v1card:${e.token ?? ''}:${e.open_message_id ?? ''}:${e.open_id}:${JSON.stringify(e.action)}`,
    action: clean({
      operatorOpenId: e.open_id,
      value: asRecord(e.action.value),
      formValue: e.action.form_value ?? undefined,
      option: e.action.option ?? undefined,
      messageId: e.open_message_id,
      chatId: e.open_chat_id,
      updateToken: e.token,
    }),
  };
}

export function isCardActionBody(body: Record<string, unknown>): boolean {
  const envelope = envelopeSchema.safeParse(body);
  if (envelope.success) return envelope.data.header.event_type === CARD_ACTION;
  return body.schema === undefined && typeof body.action === 'object' && typeof body.open_id === 'string';
}
