import { describe, expect, it } from 'vitest';
import {
  eventIdentity,
  isCardActionBody,
  parseCardAction,
  parseInboundEvent,
} from '../../src/lark/events.js';
import { classifyError } from '../../src/lark/gateway.js';
import { cardActionEvent, messageEvent, v1CardCallback } from '../helpers/lark.js';

const received = new Date('2026-11-23T01:00:00Z');

describe('Lark event parsing', () => {
  it('keeps @_user_N placeholders and resolves mentions; without the bot id any mention counts', () => {
    const ev = messageEvent({
      from: 'ou_a',
      chatType: 'group',
      text: '@_user_1 办结 D-1',
      mentions: [{ openId: 'ou_x' }],
    });
    const parsed = parseInboundEvent(ev, null, received);
    expect(parsed).toMatchObject({ type: 'message', text: '@_user_1 办结 D-1', mentionsBot: true });
    expect(parseInboundEvent(ev, 'ou_bot', received)).toMatchObject({ mentionsBot: false });
    expect(parseInboundEvent(ev, 'ou_x', received)).toMatchObject({ mentionsBot: true });
  });

  it('gives non-text messages an empty text', () => {
    const ev = messageEvent({ from: 'ou_a', text: 'ignored', messageType: 'image' });
    expect(parseInboundEvent(ev, null, received)).toMatchObject({ messageType: 'image', text: '' });
  });

  it('throws on a known event type with the wrong shape (so it is retried, then failed)', () => {
    const ev = messageEvent({ from: 'ou_a', text: 'x' });
    (ev.event as any).message = { chat_type: 'somewhere' };
    expect(() => parseInboundEvent(ev, null, received)).toThrow();
  });

  it('identifies 2.0 envelopes and v1 event callbacks, and nothing else', () => {
    expect(eventIdentity(messageEvent({ from: 'a', text: 'x', eventId: 'e1' }))).toEqual({
      eventId: 'e1',
      eventType: 'im.message.receive_v1',
    });
    expect(
      eventIdentity({ uuid: 'u1', token: 't', type: 'event_callback', event: { type: 'message' } }),
    ).toEqual({
      eventId: 'v1:u1',
      eventType: 'message',
    });
    expect(eventIdentity({ hello: 'world' })).toBeNull();
  });

  it('parses card actions, new style and v1 (string values too)', () => {
    const click = cardActionEvent({
      operator: 'ou_a',
      value: { op: 'done' },
      option: '2026-12-01',
      updateToken: 'u',
    });
    expect(isCardActionBody(click)).toBe(true);
    expect(parseCardAction(click).action).toMatchObject({
      operatorOpenId: 'ou_a',
      value: { op: 'done' },
      option: '2026-12-01',
      updateToken: 'u',
    });
    const v1 = {
      ...v1CardCallback({ operator: 'ou_b', value: {} }),
      action: { value: '{"op":"read"}', tag: 'button' },
    };
    expect(isCardActionBody(v1)).toBe(true);
    expect(parseCardAction(v1).action.value).toEqual({ op: 'read' });
    expect(isCardActionBody(messageEvent({ from: 'a', text: 'x' }))).toBe(false);
  });
});

describe('Lark error classification', () => {
  const axiosLike = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
    message: `Request failed with status code ${status}`,
    response: { status, data, headers },
  });

  it('sorts failures into rate limits, token problems, transient and permanent ones', () => {
    expect(classifyError(axiosLike(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': '3' }))).toMatchObject(
      {
        kind: 'rate_limited',
        details: { resetSeconds: 3 },
      },
    );
    expect(classifyError(axiosLike(400, { code: 230020, msg: 'frequency' })).kind).toBe('rate_limited');
    expect(classifyError(axiosLike(400, { code: 99991663 })).kind).toBe('token_invalid');
    expect(classifyError(axiosLike(502, '<html>bad gateway</html>')).kind).toBe('transient');
    expect(
      classifyError(axiosLike(400, { code: 230002, msg: 'Bot/User can NOT be out of the chat.' })),
    ).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('230002'),
    });
    expect(
      classifyError(Object.assign(new Error('timeout of 2000ms exceeded'), { code: 'ECONNABORTED' })).kind,
    ).toBe('transient');
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind).toBe(
      'transient',
    );
  });
});
