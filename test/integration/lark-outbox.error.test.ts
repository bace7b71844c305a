import { describe, expect, it } from 'vitest';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, larkTestConfig } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

describe.each(engines)('Lark outbox failures on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  /** The row as an instance left it that claimed it, sent it, and died before marking it. */
  async function claimedByCrashedInstance(deps: { clock: { now(): Date } }, id: string): Promise<void> {
    await h.database.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        attempts: 1,
        first_attempt_at: deps.clock.now(),
        locked_until: new Date(deps.clock.now().getTime() + 60_000),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deps whose clock Lark shares, and a jitter that always picks the shortest delay. */
  function setup() {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake) });
    h.fake.clock = () => deps.clock.now().getTime();
    const dispatch = () => dispatchOnce(deps, { random: () => 0 });
    return { deps, dispatch };
  }

  const row = (id: string) =>
    h.database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function enqueue(deps: ReturnType<typeof setup>['deps'], key: string, to = { chatId: 'oc_office' }) {
    const uuid = outboxKey('err', key);
    const { id } = await enqueueOutbox(deps.database.db, {
      uuid,
      operation: 'send',
      receiveIdType: 'chat_id',
      receiveId: to.chatId,
      msgType: 'text',
      content: { text: `msg ${key}` },
      purpose: 'test',
      now: deps.clock.now(),
    });
    return { id, uuid };
  }

  it('obeys a 429 and its x-ogw-ratelimit-reset before trying again', async () => {
    const { deps, dispatch } = setup();
    const { id } = await enqueue(deps, 'r429');
    h.fake.inject({ type: 'rate_limit', resetSeconds: 7 }, { operation: 'send' });
    expect(await dispatch()).toMatchObject({ deferred: 1, sent: 0 });
    const r = await row(id);
    expect(r.status).toBe('pending');
    expect(r.last_error).toContain('99991400');
    expect(r.next_attempt_at.getTime() - deps.clock.now().getTime()).toBe(7000);
    deps.clock.advance(6999);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    deps.clock.advance(1);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expectMessage(h.fake, { text: 'msg r429' });
    expectNoMoreMessages(h.fake);
  });

  it('a rate limit answered as HTTP 400 + 99991400 is treated the same', async () => {
    const { deps, dispatch } = setup();
    const { id } = await enqueue(deps, 'r400');
    h.fake.inject({ type: 'rate_limit', resetSeconds: 2, status: 400 }, { operation: 'send' });
    expect(await dispatch()).toMatchObject({ deferred: 1 });
    expect((await row(id)).next_attempt_at.getTime() - deps.clock.now().getTime()).toBe(2000);
  });

  it('retries a 5xx with backoff and the same uuid; one message arrives', async () => {
    const { deps, dispatch } = setup();
    const { id, uuid } = await enqueue(deps, 'r500');
    h.fake.inject({ type: 'status', status: 503 }, { operation: 'send', times: 2 });
    expect(await dispatch()).toMatchObject({ retried: 1 });
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1 });
    expect(r.last_error).toContain('HTTP 503');
    // random() = 0: half the base delay (2 s → 1 s, then 4 s → 2 s).
    expect(r.next_attempt_at.getTime() - deps.clock.now().getTime()).toBe(1000);
    deps.clock.advance(1000);
    expect(await dispatch()).toMatchObject({ retried: 1 });
    r = await row(id);
    expect(r.next_attempt_at.getTime() - deps.clock.now().getTime()).toBe(2000);
    deps.clock.advance(2000);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(h.fake.sendAttempts(uuid)).toBe(3);
    expectMessage(h.fake, { uuid });
    expectNoMoreMessages(h.fake);
  });

  it('retries after a timeout; Lark de-duplicates the uuid if the first one got through', async () => {
    const { deps, dispatch } = setup();
    const { id, uuid } = await enqueue(deps, 'hang');
    h.fake.inject({ type: 'hang' }, { operation: 'send' });
    expect(await dispatch()).toMatchObject({ retried: 1 });
    expect((await row(id)).last_error).toMatch(/no response from Lark/);
    deps.clock.advance(1000);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expectMessage(h.fake, { uuid });
    expectNoMoreMessages(h.fake);
  });

  it('accept-then-drop: Lark sent it but the answer was lost; the resend keeps one message', async () => {
    const { deps, dispatch } = setup();
    const { id, uuid } = await enqueue(deps, 'drop');
    h.fake.inject({ type: 'accept_then_drop' }, { operation: 'send' });
    expect(await dispatch()).toMatchObject({ retried: 1 });
    expect(h.fake.messages).toHaveLength(1);
    deps.clock.advance(1000);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const m = expectMessage(h.fake, { uuid });
    expectNoMoreMessages(h.fake);
    expect((await row(id)).sent_message_id).toBe(m.messageId);
    expect(h.fake.sendAttempts(uuid)).toBe(1 + 1);
  });

  it('hands the rest of a batch back when slow answers eat half the lease', async () => {
    const { deps } = setup();
    const slow = await enqueue(deps, 'slow');
    const rest = [await enqueue(deps, 'next-1'), await enqueue(deps, 'next-2')];
    h.fake.inject({ type: 'hang' }, { operation: 'send' });
    // A 3 s lease: the first send's 2 s timeout passes the 1.5 s hand-back point.
    const first = await dispatchOnce(deps, { leaseMs: 3000, random: () => 0 });
    expect(first).toMatchObject({ claimed: 3, retried: 1, deferred: 2, sent: 0 });
    for (const r of rest)
      expect(await row(r.id)).toMatchObject({ status: 'pending', locked_until: null, attempts: 0 });
    expect(await dispatchOnce(deps)).toMatchObject({ sent: 2 });
    deps.clock.advance(1000);
    expect(await dispatchOnce(deps)).toMatchObject({ sent: 1 });
    expectMessage(h.fake, { uuid: slow.uuid });
    for (const r of rest) expectMessage(h.fake, { uuid: r.uuid });
    expectNoMoreMessages(h.fake);
  });

  it('a dropped connection without processing is retried too', async () => {
    const { deps, dispatch } = setup();
    const { uuid } = await enqueue(deps, 'drop2');
    h.fake.inject({ type: 'drop' }, { operation: 'send' });
    expect(await dispatch()).toMatchObject({ retried: 1 });
    deps.clock.advance(1000);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expectMessage(h.fake, { uuid });
    expectNoMoreMessages(h.fake);
  });

  it('fetches a new token when Lark says the token expired (99991663), once', async () => {
    const { deps, dispatch } = setup();
    await enqueue(deps, 't1');
    await dispatch();
    expect(h.fake.tokensIssued).toBe(1);
    h.fake.expireTokens();
    await enqueue(deps, 't2');
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(h.fake.tokensIssued).toBe(2);
    expectMessage(h.fake, { text: 'msg t1' });
    expectMessage(h.fake, { text: 'msg t2' });
    expectNoMoreMessages(h.fake);
  });

  it.each([99991664, 99991671] as const)('refreshes the token on code %i as well', async (code) => {
    const { deps, dispatch } = setup();
    await enqueue(deps, `code-${code}`);
    h.fake.inject({ type: 'token_invalid', code }, { operation: 'send' });
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(h.fake.tokensIssued).toBe(2);
    expectMessage(h.fake, { text: `msg code-${code}` });
  });

  it('a token still rejected after one refresh is retried later, not looped on', async () => {
    const { deps, dispatch } = setup();
    const { id } = await enqueue(deps, 'stuck');
    h.fake.inject({ type: 'token_invalid' }, { operation: 'send', times: 2 });
    expect(await dispatch()).toMatchObject({ retried: 1 });
    expect((await row(id)).last_error).toMatch(/token still rejected/);
    expect(h.fake.tokensIssued).toBe(2);
  });

  it('marks permanent failures with the reason: bot not in chat, user unreachable', async () => {
    const { deps, dispatch } = setup();
    h.fake.chatsWithoutBot.add('oc_left');
    h.fake.unreachableUsers.add('ou_gone');
    const a = await enqueue(deps, 'left', { chatId: 'oc_left' });
    const { id: b } = await enqueueOutbox(deps.database.db, {
      uuid: outboxKey('err', 'user'),
      operation: 'send',
      receiveIdType: 'open_id',
      receiveId: 'ou_gone',
      msgType: 'text',
      content: { text: 'x' },
      purpose: 'test',
      now: deps.clock.now(),
    });
    expect(await dispatch()).toMatchObject({ failed: 2 });
    expect(await row(a.id)).toMatchObject({
      status: 'failed',
      last_error: expect.stringContaining('230002'),
    });
    expect(await row(b)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('230013') });
    deps.clock.advance(3600_000);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expectNoMoreMessages(h.fake);
  });

  it("a card Lark would refuse fails with Lark's own answer on send, reply, patch and delayed update", async () => {
    const { deps, dispatch } = setup();
    const good = {
      schema: '2.0',
      config: { update_multi: true },
      header: { title: { tag: 'plain_text', content: '新公文 D-12' }, template: 'blue' },
      body: { elements: [{ tag: 'markdown', content: '**新公文 D-12**' }] },
    };
    // An unknown property: 1.0 ignored it, 2.0 refuses the card.
    const bad = { ...good, body: { elements: [{ tag: 'markdown', content: 'x', colour: 'red' }] } };
    const db = deps.database.db;
    const now = deps.clock.now();
    const interactive = { msgType: 'interactive' as const, purpose: 'test', now };
    await enqueueOutbox(db, {
      ...interactive,
      uuid: outboxKey('err', 'good'),
      operation: 'send',
      receiveIdType: 'chat_id',
      receiveId: 'oc_office',
      content: good,
    });
    await dispatch();
    const original = expectMessage(h.fake, { chatId: 'oc_office', text: '新公文 D-12' });
    const ids = [
      await enqueueOutbox(db, {
        ...interactive,
        uuid: outboxKey('err', 'bad-send'),
        operation: 'send',
        receiveIdType: 'chat_id',
        receiveId: 'oc_office',
        content: bad,
      }),
      await enqueueOutbox(db, {
        ...interactive,
        uuid: outboxKey('err', 'bad-reply'),
        operation: 'reply',
        messageId: original.messageId,
        content: bad,
      }),
      await enqueueOutbox(db, {
        ...interactive,
        uuid: outboxKey('err', 'bad-patch'),
        operation: 'patch',
        messageId: original.messageId,
        content: bad,
      }),
      await enqueueOutbox(db, {
        ...interactive,
        uuid: outboxKey('err', 'bad-update'),
        operation: 'card_update',
        cardToken: 'c-token-1',
        content: bad,
      }),
    ].map((r) => r.id);
    expect(await dispatch()).toMatchObject({ failed: 4 });
    const errors = await Promise.all(ids.map(async (id) => (await row(id)).last_error));
    for (const e of errors.slice(0, 3)) {
      expect(e).toContain('230099');
      expect(e).toContain('ErrCode: 200621');
      expect(e).toContain('colour');
    }
    expect(errors[3]).toContain('11311');
    expect(h.fake.refusedCards.map((r) => [r.operation, r.code])).toEqual([
      ['send', 230099],
      ['reply', 230099],
      ['patch', 230099],
      ['card_update', 11311],
    ]);
    expect(h.fake.patches).toEqual([]);
    expect(h.fake.cardUpdates).toEqual([]);
    // The end-of-test check names refused cards too; these were refused on purpose.
    expect(() => expectNoMoreMessages(h.fake)).toThrow(/Lark refused cards/);
    h.fake.refusedCards.length = 0;
    expectNoMoreMessages(h.fake);
  });

  it('flags a row for an admin instead of retrying outside the 1-hour uuid window', async () => {
    const { deps, dispatch } = setup();
    const { id, uuid } = await enqueue(deps, 'late');
    h.fake.inject({ type: 'status', status: 500 }, { operation: 'send', times: 100 });
    await dispatch();
    // Keep failing for 54 minutes...
    for (let i = 0; i < 30; i++) {
      const r = await row(id);
      if (r.status !== 'pending') break;
      deps.clock.set(r.next_attempt_at);
      await dispatch();
    }
    const r = await row(id);
    expect(r.status).toBe('flagged');
    expect(r.last_error).toMatch(/uuid window/);
    const lastTry = h.fake.sendAttempts(uuid);
    // No attempt ever happened later than 55 minutes after the first.
    expect(deps.clock.now().getTime() - r.first_attempt_at!.getTime()).toBeLessThanOrEqual(55 * 60_000);
    h.fake.clearFaults();
    deps.clock.advance(2 * 3600_000);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(h.fake.sendAttempts(uuid)).toBe(lastTry);
    expectNoMoreMessages(h.fake);
  });

  it('crash after Lark accepted but before the row was marked: resent with the same uuid once the lease ends', async () => {
    const { deps, dispatch } = setup();
    const { id, uuid } = await enqueue(deps, 'crash');
    // The crashed instance had claimed the row and sent it; Lark accepted.
    const first = await deps.lark!.send({
      receiveIdType: 'chat_id',
      receiveId: 'oc_office',
      msgType: 'text',
      content: JSON.stringify({ text: 'msg crash' }),
      uuid,
    });
    await claimedByCrashedInstance(deps, id);
    // Its lease still holds: nobody else touches the row.
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    deps.clock.advance(60_001);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(await row(id)).toMatchObject({ status: 'sent', sent_message_id: first.messageId, attempts: 2 });
    expectMessage(h.fake, { uuid });
    expectNoMoreMessages(h.fake);
  });

  it('a crashed row found after the uuid window is flagged, not resent', async () => {
    const { deps, dispatch } = setup();
    const { id, uuid } = await enqueue(deps, 'old-crash');
    await claimedByCrashedInstance(deps, id);
    deps.clock.advance(56 * 60_000);
    expect(await dispatch()).toMatchObject({ flagged: 1 });
    expect(h.fake.sendAttempts(uuid)).toBe(0);
  });

  it.runIf(engine === 'postgres')('two dispatchers on one database never send a row twice', async () => {
    const one = setup();
    const two = { deps: testDeps(h.database, { config: larkTestConfig(h.fake) }) };
    two.deps.clock.set(one.deps.clock.now());
    const uuids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { uuid } = await enqueueOutbox(h.database.db, {
        uuid: outboxKey('two', i),
        operation: 'send',
        receiveIdType: 'open_id',
        receiveId: `ou_user_${i}`,
        msgType: 'text',
        content: { text: `n${i}` },
        purpose: 'test',
        now: one.deps.clock.now(),
      }).then((r) => ({ ...r, uuid: outboxKey('two', i) }));
      uuids.push(uuid);
    }
    const results = await Promise.all([
      dispatchOnce(one.deps, { limit: 10 }),
      dispatchOnce(two.deps, { limit: 10 }),
      dispatchOnce(one.deps, { limit: 10 }),
      dispatchOnce(two.deps, { limit: 10 }),
      dispatchOnce(one.deps, { limit: 10 }),
      dispatchOnce(two.deps, { limit: 10 }),
    ]);
    const claimed = results.reduce((n, r) => n + r.claimed, 0);
    expect(claimed).toBe(40);
    for (const uuid of uuids) expect(h.fake.sendAttempts(uuid)).toBe(1);
    expect(h.fake.messages).toHaveLength(40);
    const statuses = await h.database.db.selectFrom('outbox').select('status').execute();
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
  });
});
