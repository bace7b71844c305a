import { randomBytes } from 'node:crypto';
import type { LarkConfig } from '../../platform/config.js';
import { encryptLark, larkSignature } from '../crypto.js';

/**
 * The requests Lark would post to cuiban for what a person does in the playground: a message to
 * the bot (im.message.receive_v1) and a card click (card.action.trigger), encrypted and signed
 * with the playground's generated keys so they pass the same verification as Lark's own.
 */

const id = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

function envelope(lark: LarkConfig, eventType: string, event: Record<string, unknown>, now: Date) {
  return {
    schema: '2.0',
    header: {
      event_id: id('ev_pg'),
      event_type: eventType,
      create_time: String(now.getTime()),
      token: lark.verificationToken,
      app_id: lark.appId,
      tenant_key: 'tenant_playground',
    },
    event,
  };
}

const userId = (openId: string) => ({ open_id: openId, user_id: `u_${openId}`, union_id: `on_${openId}` });

export function messageEvent(
  lark: LarkConfig,
  o: {
    from: string;
    chatId: string;
    chatType: 'p2p' | 'group';
    messageId: string;
    text: string;
    bot?: { openId: string; name: string };
    now: Date;
  },
) {
  return envelope(
    lark,
    'im.message.receive_v1',
    {
      sender: { sender_id: userId(o.from), sender_type: 'user', tenant_key: 'tenant_playground' },
      message: {
        message_id: o.messageId,
        chat_id: o.chatId,
        chat_type: o.chatType,
        message_type: 'text',
        content: JSON.stringify({ text: o.text }),
        create_time: String(o.now.getTime()),
        mentions: o.bot
          ? [{ key: '@_user_1', id: userId(o.bot.openId), name: o.bot.name, tenant_key: 'tenant_playground' }]
          : [],
      },
    },
    o.now,
  );
}

export function cardActionEvent(
  lark: LarkConfig,
  o: {
    operator: string;
    messageId: string;
    chatId: string;
    token: string;
    value: Record<string, unknown>;
    formValue?: Record<string, unknown>;
    now: Date;
  },
) {
  return envelope(
    lark,
    'card.action.trigger',
    {
      operator: userId(o.operator),
      token: o.token,
      action: { value: o.value, tag: 'button', ...(o.formValue ? { form_value: o.formValue } : {}) },
      host: 'im_message',
      context: { open_message_id: o.messageId, open_chat_id: o.chatId },
    },
    o.now,
  );
}

/** The encrypted body and the signature headers Lark sends with it. */
export function signedRequest(lark: LarkConfig, payload: unknown, now: Date) {
  const encryptKey = lark.encryptKey ?? '';
  const body = JSON.stringify({ encrypt: encryptLark(encryptKey, JSON.stringify(payload)) });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': larkSignature(timestamp, nonce, encryptKey, Buffer.from(body)),
    },
  };
}
