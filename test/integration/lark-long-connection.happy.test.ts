import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inboundHandlers } from '../../src/lark/adapter/router.js';
import { type LongConnection, longConnectionTask } from '../../src/lark/ws/long-connection.js';
import { FakeLongConnection } from '../fakes/lark-ws.js';
import { engines } from '../helpers/db.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, messageEvent } from '../helpers/lark.js';
import { createDocument, deliverNewItemCards, quickRepliesWorld } from './quick-replies-seed.js';

const APP_ID = 'cli_0123456789abcdef';

/** Polls `condition` until it holds (the SDK dials, pings and reconnects on its own timers). */
async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * LARK_MODE=ws beyond the scenarios shared with webhooks (lark-transports.happy.test.ts): the
 * protocol's own cases through the real SDK — pings answered, a message split over frames, a
 * dropped connection resumed, an endpoint that refuses the app, /healthz, and a clean stop.
 */
describe.each(engines)('the long connection on %s', (engine) => {
  const world = quickRepliesWorld(engine, { lark: { appId: APP_ID }, env: { LARK_MODE: 'ws' } });
  let ws: FakeLongConnection;
  let connection: LongConnection | undefined;

  beforeAll(() => {
    ws = new FakeLongConnection(world.fake, { pingIntervalSeconds: 0.05 });
  });
  afterAll(() => ws.close());
  afterEach(async () => {
    await connection?.stop();
    connection = undefined;
    // The next test starts with no socket of this one still closing.
    await eventually(() => ws.connections === 0, 'the connection to close');
    ws.reset();
  });

  function connect(options: Parameters<typeof longConnectionTask>[2] = {}) {
    connection = longConnectionTask(world.deps, inboundHandlers, options);
    world.deps.larkConnection = connection;
    connection.start();
    return connection;
  }

  async function healthz() {
    const res = await world.app.request('/healthz');
    return ((await res.json()) as any) ?? {};
  }

  it('logs in through endpoint discovery, answers pings, and shows the connection on /healthz', async () => {
    connect();
    await ws.waitForConnections(1);
    expect(ws.discoveries).toEqual([{ appId: APP_ID, ok: true }]);
    await eventually(() => ws.pings >= 2, 'two pings');

    const before = await healthz();
    expect(before.larkConnection).toMatchObject({
      ok: true,
      mode: 'ws',
      state: 'connected',
      lastMessageAt: null,
    });
    expect(before.larkConnection.connectedAt).toBe(world.deps.clock.now().toISOString());

    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    world.deps.clock.advance(60_000);
    const delivery = await ws.deliver(messageEvent({ from: 'ou_zhang', text: '待办', messageId: 'om_1' }));
    expect(delivery).toEqual({ code: 200, answer: {} });
    const after = await healthz();
    expect(after.larkConnection.lastMessageAt).toBe(world.deps.clock.now().toISOString());
    await flushOutbox(world.deps);
    expectMessage(world.fake, { operation: 'reply', replyTo: 'om_1', text: item.title });
    expectNoMoreMessages(world.fake);
  });

  it('puts a message split over several frames (sum/seq) back together', async () => {
    connect();
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    const ev = messageEvent({ from: 'ou_zhang', text: `待办${' '.repeat(600)}`, messageId: 'om_split' });
    const delivery = await ws.deliver(ev, { fragmentBytes: 200 });
    expect(delivery.code).toBe(200);
    // The client answers once, on the frame that completed the message.
    const answered = ws.responses.filter((f) => f.headers.some((h) => h.key === 'message_id'));
    expect(answered).toHaveLength(1);
    expect(answered[0]!.headers.find((h) => h.key === 'sum')?.value).toBe(
      String(Math.ceil(Buffer.byteLength(JSON.stringify(ev)) / 200)),
    );
    await flushOutbox(world.deps);
    expectMessage(world.fake, { operation: 'reply', replyTo: 'om_split', text: item.title });
    expectNoMoreMessages(world.fake);
  });

  it('a dropped connection is dialled again, and what Lark re-sends over it is handled once', async () => {
    connect();
    await ws.waitForConnections(1);
    const ev = messageEvent({ from: 'ou_zhang', text: '帮助', messageId: 'om_help' });
    expect((await ws.deliver(ev)).code).toBe(200);

    ws.dropAll();
    await eventually(() => ws.connectsTotal >= 2 && ws.connections === 1, 'the reconnect');
    await eventually(
      async () => (await healthz()).larkConnection.reconnects === 1,
      'the reconnect to be counted',
    );
    expect((await healthz()).larkConnection).toMatchObject({ ok: true, state: 'connected', reconnects: 1 });
    expect(ws.discoveries.map((d) => d.ok)).toEqual([true, true]);

    // Lark had no answer before the drop, say: it delivers the same event again.
    expect(await ws.deliver(ev)).toEqual({ code: 200, answer: {} });
    const help = messageEvent({ from: 'ou_zhang', text: '待办', messageId: 'om_after' });
    expect((await ws.deliver(help)).code).toBe(200);
    await flushOutbox(world.deps);
    expectMessage(world.fake, { operation: 'reply', replyTo: 'om_help' });
    expectMessage(world.fake, { operation: 'reply', replyTo: 'om_after' });
    expectNoMoreMessages(world.fake);
  });

  it('an endpoint that refuses the app: /healthz says why, and the connection is started again after a backoff', async () => {
    ws.refuseDiscoveries(514, 1, 'auth failed');
    const waits: number[] = [];
    connect({
      restartAfterMs: (attempt) => {
        waits.push(attempt);
        return 30;
      },
    });
    await ws.waitForConnections(1);
    expect(waits).toEqual([1]);
    expect(ws.discoveries.map((d) => d.ok)).toEqual([false, true]);
    const health = await healthz();
    expect(health.larkConnection).toMatchObject({
      ok: true,
      state: 'connected',
      lastError: expect.stringContaining('auth failed'),
    });
  });

  it('while it is down, /healthz warns that events and clicks do not arrive', async () => {
    ws.refuseDiscoveries(514, 100, 'auth failed');
    connect({ restartAfterMs: () => 60_000 });
    await eventually(() => ws.discoveries.length >= 1, 'the first discovery');
    await eventually(async () => (await healthz()).larkConnection.state === 'failed', 'the failed state');
    const health = await healthz();
    expect(health.larkConnection.ok).toBe(false);
    expect(health.warnings).toContainEqual(expect.stringContaining('the long connection to Lark is failed'));
  });

  it('stop() closes the connection cleanly and does not dial again', async () => {
    const c = connect();
    await ws.waitForConnections(1);
    await c.stop();
    await eventually(() => ws.connections === 0, 'the socket to close');
    expect(c.status().state).toBe('closed');
    const discoveries = ws.discoveries.length;
    // Well past the fake's reconnect interval (50 ms): a live client would have dialled again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ws.discoveries.length).toBe(discoveries);
    expect(ws.connections).toBe(0);
  });
});
