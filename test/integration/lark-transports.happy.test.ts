import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getItem } from '../../src/items/items.js';
import { inboundHandlers } from '../../src/lark/adapter/router.js';
import { checkCard } from '../../src/lark/card-schema.js';
import { type LongConnection, longConnectionTask } from '../../src/lark/ws/long-connection.js';
import { FakeLongConnection } from '../fakes/lark-ws.js';
import { buttonsOf, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import {
  type ClickOptions,
  cardActionEvent,
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  messageEvent,
  postToLark,
} from '../helpers/lark.js';
import {
  at,
  buttonValue,
  createDocument,
  deliverNewItemCards,
  quickRepliesWorld,
  ZHB_CHAT,
} from './quick-replies-seed.js';

/** The long connection logs in with an app id of the console's form. */
const APP_ID = 'cli_a1b2c3d4e5f60718';

type Mode = 'webhook' | 'ws';

/**
 * The same end-to-end scenarios — a 办结 click, a chat command, a duplicate delivery — once over
 * the webhook routes and once over the long connection (the SDK's WSClient against the fake
 * endpoint of test/fakes/lark-ws.ts), both through the real SDK against the fakes. Each test
 * ends with no unexpected message.
 */
describe.each(
  engines.flatMap((engine) => (['webhook', 'ws'] as Mode[]).map((mode) => [engine, mode] as const)),
)('Lark transports on %s over %s', (engine, mode) => {
  const world = quickRepliesWorld(engine, { lark: { appId: APP_ID }, env: { LARK_MODE: mode } });
  let ws: FakeLongConnection;
  let connection: LongConnection | undefined;

  beforeAll(() => {
    ws = new FakeLongConnection(world.fake);
  });
  afterAll(() => ws.close());
  beforeEach(async () => {
    ws.reset();
    if (mode === 'ws') {
      connection = longConnectionTask(world.deps, inboundHandlers);
      world.deps.larkConnection = connection;
      connection.start();
      await ws.waitForConnections(1);
    }
  });
  afterEach(async () => {
    await connection?.stop();
    connection = undefined;
    // The next test starts with no socket of this one still closing.
    for (let i = 0; i < 400 && ws.connections > 0; i++) await new Promise((r) => setTimeout(r, 25));
  });

  /** Delivers a body as Lark would over this transport; answers what Lark got back. */
  async function deliver(payload: unknown, path: '/lark/events' | '/lark/cards' = '/lark/events') {
    if (mode === 'webhook') {
      const res = await postToLark(world.app, world.deps, payload, { path });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    }
    const delivery = await ws.deliver(payload);
    expect(delivery.code).toBe(200);
    return delivery.answer;
  }

  async function click(o: ClickOptions) {
    const answer = await deliver(cardActionEvent(o), '/lark/cards');
    if (answer?.card) expect(checkCard(answer.card.data), 'the card answered').toEqual({ ok: true });
    return answer;
  }

  async function inboundRows() {
    return world.database.db.selectFrom('inbound_events').select(['event_id', 'status']).execute();
  }

  it('办结 on the group’s card: toast and the grey card answered inline, both copies patched', async () => {
    const { deps, fake } = world;
    const item = await createDocument(world);
    const { dm, group } = await deliverNewItemCards(world, item);
    deps.clock.set(at('2026-11-23T10:31:00'));

    const answer = await click({
      operator: 'ou_zhang',
      value: buttonValue(group!, '办结'),
      messageId: group!.messageId,
      chatId: ZHB_CHAT,
    });
    expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
    expect(headerOf(answer.card.data)).toMatchObject({
      title: '【已办结】关于年度工作总结的通知',
      template: 'grey',
    });
    expect(textOf(answer.card.data)).toContain('**张三 于 11月23日 10:31 办结**');
    expect(buttonsOf(answer.card.data)).toEqual([]);
    expect((await getItem(deps.database.db, 'D-1'))!.status).toBe('done');

    await flushOutbox(deps);
    expect(fake.patches.map((p) => p.messageId).sort()).toEqual([dm[0]!.messageId, group!.messageId].sort());
    expectNoMoreMessages(fake);
  });

  it('a chat command: 办结 D-1 in a direct message is answered in its thread', async () => {
    const { deps, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    deps.clock.set(at('2026-11-23T10:31:00'));

    const ev = messageEvent({ from: 'ou_zhang', text: '办结 D-1', messageId: 'om_cmd_1' });
    expect(await deliver(ev)).toEqual({});
    await flushOutbox(deps);
    const reply = expectMessage(fake, { operation: 'reply', replyTo: 'om_cmd_1' });
    expect(headerOf(reply.body).title).toBe('【已办结】关于年度工作总结的通知');
    expect(await inboundRows()).toEqual([{ event_id: ev.header.event_id, status: 'done' }]);
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });

  it('a duplicate delivery: the same message and the same click again act once, the click answered as before', async () => {
    const { deps, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);

    const ev = messageEvent({ from: 'ou_zhang', text: '待办', messageId: 'om_todo_1' });
    expect(await deliver(ev)).toEqual({});
    expect(await deliver(ev)).toEqual({});
    await flushOutbox(deps);
    expect(expectMessage(fake, { operation: 'reply', replyTo: 'om_todo_1' }).text).toContain(item.title);

    const clickEvent = cardActionEvent({
      operator: 'ou_zhang',
      value: buttonValue(group!, '办结'),
      messageId: group!.messageId,
      chatId: ZHB_CHAT,
    });
    const first = await deliver(clickEvent, '/lark/cards');
    const replay = await deliver(clickEvent, '/lark/cards');
    expect(first.toast).toEqual({ type: 'success', content: '已办结' });
    expect(replay).toEqual(first);

    await flushOutbox(deps);
    const history = await deps.database.db
      .selectFrom('item_history')
      .select('action')
      .where('item_id', '=', 'D-1')
      .where('action', '=', 'done')
      .execute();
    expect(history).toHaveLength(1);
    expect((await inboundRows()).map((r) => r.status).sort()).toEqual(['done', 'done']);
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });
});
