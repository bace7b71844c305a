import { describe, expect, it } from 'vitest';
import { pruneInboundEvents } from '../../src/db/repos/inbound-events.js';
import type { CardAction, InboundEvent } from '../../src/lark/events.js';
import { answerCardCallback } from '../../src/lark/inbound/cards.js';
import type { CardActionHandler } from '../../src/lark/inbound/handlers.js';
import { processInboundEvents } from '../../src/lark/inbound/processor.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import {
  botAddedEvent,
  cardActionEvent,
  flushOutbox,
  larkOnlyApp,
  larkTestConfig,
  mentionBot,
  messageEvent,
  postToLark,
  TEST_VERIFICATION_TOKEN,
  v1CardCallback,
} from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

describe.each(engines)('Lark inbound events on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  function setup(options: { failTimes?: number } = {}) {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake) });
    const events: InboundEvent[] = [];
    const actions: CardAction[] = [];
    let failures = options.failTimes ?? 0;
    const handlers = {
      event: async (_d: unknown, e: InboundEvent) => {
        if (failures > 0) {
          failures--;
          throw new Error('the router broke');
        }
        events.push(e);
      },
      cardAction: async (_d: unknown, a: CardAction) => {
        actions.push(a);
        return {
          toast: { type: 'success' as const, content: '已办结' },
          card: {
            schema: '2.0',
            body: { elements: [{ tag: 'markdown', content: `clicked ${actions.length}` }] },
          },
        };
      },
    };
    const app = larkOnlyApp(deps, handlers);
    return { deps, app, events, actions, handlers };
  }

  const rows = () => h.database.db.selectFrom('inbound_events').selectAll().orderBy('received_at').execute();

  it('stores a message before answering, then hands the typed event to the router', async () => {
    const { deps, app, events } = setup();
    const ev = messageEvent({
      from: 'ou_alice',
      chatType: 'group',
      chatId: 'oc_office',
      text: '@_user_1 办结 D-12 @_user_2',
      mentions: [mentionBot(h.fake), { openId: 'ou_bob', name: '鲍勃' }],
      createTime: new Date('2026-11-23T01:00:00Z'),
    });
    const res = await postToLark(app, deps, ev);
    expect(res).toEqual({ status: 200, body: {} });
    expect(events).toEqual([
      {
        type: 'message',
        eventId: ev.header.event_id,
        senderOpenId: 'ou_alice',
        messageId: ev.event.message.message_id,
        chatId: 'oc_office',
        chatType: 'group',
        messageType: 'text',
        text: '@_user_1 办结 D-12 @_user_2',
        mentions: [
          { key: '@_user_1', openId: h.fake.botOpenId, name: 'cuiban' },
          { key: '@_user_2', openId: 'ou_bob', name: '鲍勃' },
        ],
        mentionsBot: true,
        createTime: new Date('2026-11-23T01:00:00Z'),
      },
    ]);
    const [row] = await rows();
    expect(row).toMatchObject({ event_id: ev.header.event_id, status: 'done', attempts: 1 });
  });

  it('tells a mention of someone else from a mention of the bot (bot open_id fetched once)', async () => {
    const { deps, app, events } = setup();
    await postToLark(
      app,
      deps,
      messageEvent({ from: 'ou_a', chatType: 'group', text: '@_user_1 hi', mentions: [{ openId: 'ou_b' }] }),
    );
    await postToLark(
      app,
      deps,
      messageEvent({
        from: 'ou_a',
        chatType: 'group',
        text: '@_user_1 待办',
        mentions: [mentionBot(h.fake)],
      }),
    );
    expect(events.map((e) => e.type === 'message' && e.mentionsBot)).toEqual([false, true]);
    expect(h.fake.requests.filter((r) => r.operation === 'bot_info')).toHaveLength(1);
  });

  it('parses bot_added and marks other event types done without calling the router', async () => {
    const { deps, app, events } = setup();
    await postToLark(
      app,
      deps,
      botAddedEvent({ chatId: 'oc_new', operator: 'ou_admin', chatName: '综合科' }),
    );
    const other = messageEvent({ from: 'ou_a', text: 'x' });
    (other.header as { event_type: string }).event_type = 'im.message.message_read_v1';
    await postToLark(app, deps, other);
    expect(events).toEqual([
      {
        type: 'bot_added',
        eventId: expect.any(String),
        chatId: 'oc_new',
        operatorOpenId: 'ou_admin',
        chatName: '综合科',
      },
    ]);
    expect((await rows()).map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('five sequential deliveries of one event: one row, one router call, five 200s', async () => {
    const { deps, app, events, handlers } = setup();
    const ev = messageEvent({ from: 'ou_a', text: '待办' });
    for (let i = 0; i < 5; i++) expect((await postToLark(app, deps, ev)).status).toBe(200);
    expect(events).toHaveLength(1);
    expect(await rows()).toHaveLength(1);
    await processInboundEvents(deps, handlers.event);
    expect(events).toHaveLength(1);
  });

  it.runIf(engine === 'postgres')(
    'five concurrent deliveries (and processors) make one router call',
    async () => {
      const { deps, app, events, handlers } = setup();
      const ev = messageEvent({ from: 'ou_a', text: '待办' });
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => postToLark(app, deps, ev)),
        ...Array.from({ length: 3 }, () => processInboundEvents(deps, handlers.event)),
      ]);
      expect(results.slice(0, 5).map((r) => (r as { status: number }).status)).toEqual([
        200, 200, 200, 200, 200,
      ]);
      await processInboundEvents(deps, handlers.event);
      expect(events).toHaveLength(1);
      expect(await rows()).toHaveLength(1);
    },
  );

  it('a failure in processing is kept and retried with backoff until it succeeds', async () => {
    const { deps, app, events, handlers } = setup({ failTimes: 2 });
    const ev = messageEvent({ from: 'ou_a', text: '待办' });
    expect((await postToLark(app, deps, ev)).status).toBe(200);
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: the router broke' });
    expect(row!.next_attempt_at.getTime() - deps.clock.now().getTime()).toBe(30_000);

    // Not due yet: nothing happens.
    expect(await processInboundEvents(deps, handlers.event)).toMatchObject({ claimed: 0 });
    deps.clock.advance(30_000);
    expect(await processInboundEvents(deps, handlers.event)).toMatchObject({ retried: 1 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    deps.clock.advance(60_000);
    expect(await processInboundEvents(deps, handlers.event)).toMatchObject({ done: 1 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'done', attempts: 3, last_error: null });
    expect(events).toHaveLength(1);
    // A redelivery of a processed event does nothing.
    await postToLark(app, deps, ev);
    expect(events).toHaveLength(1);
  });

  it('an event whose processor died (lease ran out) is taken over', async () => {
    const { deps, events, handlers } = setup();
    const ev = messageEvent({ from: 'ou_a', text: '待办' });
    await h.database.db
      .insertInto('inbound_events')
      .values({
        event_id: ev.header.event_id,
        event_type: ev.header.event_type,
        payload: JSON.stringify(ev),
        status: 'processing',
        attempts: 1,
        received_at: deps.clock.now(),
        next_attempt_at: deps.clock.now(),
        locked_until: new Date(deps.clock.now().getTime() + 60_000),
      })
      .execute();
    expect(await processInboundEvents(deps, handlers.event)).toMatchObject({ claimed: 0 });
    deps.clock.advance(61_000);
    expect(await processInboundEvents(deps, handlers.event)).toMatchObject({ done: 1 });
    expect(events).toHaveLength(1);
  });

  it('hands the rest of a batch back when a slow handler eats half the lease', async () => {
    const { deps } = setup();
    const seen: string[] = [];
    const slow = async (_d: unknown, e: InboundEvent) => {
      seen.push(e.eventId);
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    const app = larkOnlyApp(deps, {
      event: async () => {
        throw new Error('not now');
      },
    });
    for (let i = 0; i < 3; i++)
      await postToLark(app, deps, messageEvent({ from: 'ou_a', text: `m${i}`, eventId: `batch-${i}` }));
    deps.clock.advance(60_000);
    // A 400 ms lease: after the first 300 ms event, the other two go back unstarted.
    const first = await processInboundEvents(deps, slow, { leaseMs: 400 });
    expect(first).toMatchObject({ claimed: 1, done: 1 });
    const pending = (await rows()).filter((r) => r.status === 'pending');
    expect(pending).toHaveLength(2);
    expect(pending.every((r) => r.attempts === 1 && r.locked_until === null)).toBe(true);
    expect(await processInboundEvents(deps, async (_d, e) => void seen.push(e.eventId))).toMatchObject({
      done: 2,
    });
    expect(seen.sort()).toEqual(['batch-0', 'batch-1', 'batch-2']);
  });

  it('prunes finished events after 7 days, keeping at least 8 hours', async () => {
    const { deps, app } = setup();
    await postToLark(app, deps, messageEvent({ from: 'ou_a', text: 'x' }));
    expect(
      await pruneInboundEvents(h.database.db, new Date(deps.clock.now().getTime() + 6 * 86400_000)),
    ).toBe(0);
    expect(
      await pruneInboundEvents(h.database.db, new Date(deps.clock.now().getTime() + 9 * 3600_000), 1000),
    ).toBe(1);
  });

  describe('card callbacks', () => {
    it('answers within its budget when the work is slow, then records the real answer for a replay', async () => {
      const { deps } = setup();
      let calls = 0;
      let finish!: () => void;
      const finished = new Promise<void>((r) => {
        finish = r;
      });
      const slow = async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 200));
        finish();
        return { toast: { type: 'success' as const, content: '已办结' } };
      };
      const body = cardActionEvent({ operator: 'ou_a', value: { v: 1, op: 'done', item: 'D-12' } });
      const first = await answerCardCallback(deps, body, '2.0', slow, 20);
      expect(first).toEqual({ toast: { type: 'info', content: '已收到，正在处理，卡片稍后自动更新' } });
      await finished;
      // The answer is recorded right after the handler returns: wait for it, not for a fixed time.
      for (let i = 0; i < 250; i++) {
        const row = await h.database.db.selectFrom('inbound_events').select('status').executeTakeFirst();
        if (row?.status === 'done') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const replay = await answerCardCallback(deps, body, '2.0', slow, 20);
      expect(replay).toEqual({ toast: { type: 'success', content: '已办结' } });
      expect(calls).toBe(1);
    });

    it('a card answer later than the budget replaces the clicker’s card with the callback’s token, once', async () => {
      const { deps } = setup();
      const card = {
        schema: '2.0',
        config: { update_multi: true },
        body: { elements: [{ tag: 'markdown', content: '已办结' }] },
      };
      let finish!: () => void;
      const finished = new Promise<void>((r) => {
        finish = r;
      });
      const slow = async () => {
        await new Promise((r) => setTimeout(r, 200));
        finish();
        return { toast: { type: 'success' as const, content: '已办结' }, card };
      };
      const body = cardActionEvent({
        operator: 'ou_a',
        value: { v: 1, op: 'done', item: 'D-12' },
        updateToken: 'c-late',
      });
      const first = await answerCardCallback(deps, body, '2.0', slow, 20);
      expect(first).toEqual({ toast: { type: 'info', content: '已收到，正在处理，卡片稍后自动更新' } });
      await finished;
      const queued = async () =>
        h.database.db.selectFrom('outbox').select(['operation', 'card_token', 'purpose']).execute();
      for (let i = 0; i < 250 && (await queued()).length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await queued()).toEqual([
        { operation: 'card_update', card_token: 'c-late', purpose: 'card-late-answer' },
      ]);
      await flushOutbox(deps);
      expect(h.fake.cardUpdates).toEqual([{ token: 'c-late', card, at: expect.any(Number) }]);
      // Lark delivering the click again gets the recorded answer inline; nothing is queued twice.
      expect(await answerCardCallback(deps, body, '2.0', slow, 20)).toEqual({
        toast: { type: 'success', content: '已办结' },
        card: { type: 'raw', data: card },
      });
      expect(await queued()).toHaveLength(1);
    });

    it.runIf(engine === 'pglite')(
      'on the embedded database takes clicks one at a time in arrival order; one still waiting at its budget is told it was received and is handled in its turn',
      async () => {
        const { deps } = setup();
        const log: string[] = [];
        let openGate!: () => void;
        const gate = new Promise<void>((r) => {
          openGate = r;
        });
        const handler: CardActionHandler = async (_deps, action) => {
          const item = (action.value as { item: string }).item;
          log.push(`start ${item}`);
          if (item === 'D-1') await gate;
          log.push(`end ${item}`);
          return { toast: { type: 'success', content: `已办结 ${item}` } };
        };
        const click = (item: string) =>
          cardActionEvent({ operator: 'ou_a', value: { v: 1, op: 'done', item } });
        const first = answerCardCallback(deps, click('D-1'), '2.0', handler, 600_000);
        const secondBody = click('D-2');
        const second = await answerCardCallback(deps, secondBody, '2.0', handler, 20);
        expect(second).toEqual({ toast: { type: 'info', content: '已收到，正在处理，卡片稍后自动更新' } });
        expect(log).not.toContain('start D-2');
        openGate();
        expect(await first).toEqual({ toast: { type: 'success', content: '已办结 D-1' } });
        // D-2 is handled in its turn and records its answer: wait for that, not for a fixed time.
        for (let i = 0; i < 250 && !log.includes('end D-2'); i++) await new Promise((r) => setTimeout(r, 20));
        expect(log).toEqual(['start D-1', 'end D-1', 'start D-2', 'end D-2']);
        for (let i = 0; i < 250; i++) {
          const rows = await h.database.db.selectFrom('inbound_events').select('status').execute();
          if (rows.length === 2 && rows.every((r) => r.status === 'done')) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const replay = await answerCardCallback(deps, secondBody, '2.0', handler);
        expect(replay).toEqual({ toast: { type: 'success', content: '已办结 D-2' } });
        expect(log.filter((l) => l === 'start D-2')).toHaveLength(1);
      },
    );

    it('answers a click with the toast and the raw card, and a replay with the same answer, acting once', async () => {
      const { deps, app, actions } = setup();
      const click = cardActionEvent({
        operator: 'ou_a',
        value: { v: 1, op: 'done', item: 'D-12' },
        messageId: 'om_card',
        chatId: 'oc_office',
        updateToken: 'c-upd',
      });
      const first = await postToLark(app, deps, click, { path: '/lark/cards' });
      expect(first).toEqual({
        status: 200,
        body: {
          toast: { type: 'success', content: '已办结' },
          card: {
            type: 'raw',
            data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'clicked 1' }] } },
          },
        },
      });
      expect(actions).toEqual([
        {
          operatorOpenId: 'ou_a',
          value: { v: 1, op: 'done', item: 'D-12' },
          messageId: 'om_card',
          chatId: 'oc_office',
          updateToken: 'c-upd',
        },
      ]);
      const replay = await postToLark(app, deps, click, { path: '/lark/cards' });
      expect(replay).toEqual(first);
      expect(actions).toHaveLength(1);
    });

    it('handles card.action.trigger arriving on /lark/events like /lark/cards', async () => {
      const { deps, app, actions, events } = setup();
      const res = await postToLark(
        app,
        deps,
        cardActionEvent({ operator: 'ou_a', value: { op: 'read' }, formValue: { days: '3' } }),
      );
      expect(res.status).toBe(200);
      expect(res.body.toast.content).toBe('已办结');
      expect(actions[0]).toMatchObject({ value: { op: 'read' }, formValue: { days: '3' } });
      expect(events).toHaveLength(0);
    });

    it('answers a v1 callback with the card JSON itself', async () => {
      const { deps, app, actions } = setup();
      const body = {
        ...v1CardCallback({ operator: 'ou_v1', value: { op: 'claim' }, messageId: 'om_old' }),
        token: TEST_VERIFICATION_TOKEN,
      };
      const res = await postToLark(app, deps, body, { path: '/lark/cards' });
      expect(res).toEqual({
        status: 200,
        body: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'clicked 1' }] } },
      });
      expect(actions[0]).toMatchObject({
        operatorOpenId: 'ou_v1',
        value: { op: 'claim' },
        messageId: 'om_old',
      });
    });

    it('a card handler that throws answers an error toast; a redelivery may try again', async () => {
      const deps = testDeps(h.database, { config: larkTestConfig(h.fake) });
      let calls = 0;
      const app = larkOnlyApp(deps, {
        cardAction: async () => {
          calls++;
          if (calls === 1) throw new Error('boom');
          return { toast: { type: 'success', content: 'ok' } };
        },
      });
      const click = cardActionEvent({ operator: 'ou_a', value: { op: 'done' } });
      const first = await postToLark(app, deps, click, { path: '/lark/cards' });
      expect(first.body.toast.type).toBe('error');
      const second = await postToLark(app, deps, click, { path: '/lark/cards' });
      expect(second.body.toast).toEqual({ type: 'success', content: 'ok' });
      expect(calls).toBe(2);
    });
  });
});
