import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem } from '../../src/items/items.js';
import { DEMO_CHATS } from '../../src/settings/demo-office.js';
import { cardProblems, headerOf } from '../helpers/cards.js';
import { flushOutbox } from '../helpers/lark.js';
import { cardButtons, startPlayground } from '../helpers/playground.js';

const ZHANG = 'ou_demo_zhang';

describe('playground: the page’s endpoints over the real gateway, stand-in and signed /lark path', () => {
  let pg: Awaited<ReturnType<typeof startPlayground>>;
  /** Messages the test has looked at; the rest must be none at the end of each step. */
  let seen = 0;

  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${pg.url}/playground/api/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const fresh = () => {
    const list = pg.standIn.messages.slice(seen);
    seen = pg.standIn.messages.length;
    return list;
  };
  const titleOf = (m: { body: unknown }) => headerOf(m.body as Card)?.title;
  type Card = Parameters<typeof headerOf>[0];

  beforeAll(async () => {
    pg = await startPlayground('pglite');
    await flushOutbox(pg.deps);
  });
  afterAll(() => pg?.close());

  it('the demo office’s cards reach the stand-in through the gateway, each one a card Lark takes', async () => {
    const sent = fresh();
    const zhangDm = sent.filter((m) => m.chatId === pg.standIn.dmChat(ZHANG)).map(titleOf);
    expect(zhangDm).toContain('【待办】关于报送年度工作总结的通知');
    expect(sent.filter((m) => m.chatId === DEMO_CHATS.mishu).length).toBeGreaterThan(0);
    for (const m of sent) expect(cardProblems(m.body as Card)).toEqual([]);
    const state = await api('state');
    expect(state.body.chats.map((c: any) => c.name)).toEqual(
      expect.arrayContaining(['办公室群', '秘书一处群', '张三', '李处长']),
    );
  });

  it('another division’s staff cannot close the item; its owner’s 办结 closes it and patches every copy', async () => {
    const dm = pg.standIn.messages.find(
      (m) => m.chatId === pg.standIn.dmChat(ZHANG) && titleOf(m) === '【待办】关于报送年度工作总结的通知',
    )!;
    const done = cardButtons(dm.body).find((b) => b.text === '办结')!;
    expect(done.value).toMatchObject({ op: 'done', item: 'D-1' });

    const refused = await api('click', { as: 'ou_demo_zhao', messageId: dm.messageId, value: done.value });
    expect(refused.status).toBe(200);
    expect(refused.body.toast?.content).toBeTruthy();
    expect((await getItem(pg.deps.database.db, 'D-1'))!.status).toBe('open');

    const closed = await api('click', { as: ZHANG, messageId: dm.messageId, value: done.value });
    expect(closed.body.toast?.content).toBe('已办结');
    await flushOutbox(pg.deps);
    expect((await getItem(pg.deps.database.db, 'D-1'))!.status).toBe('done');
    const copies = pg.standIn.messages.filter((m) => titleOf(m) === '【已办结】关于报送年度工作总结的通知');
    expect(copies.map((m) => m.chatId).sort()).toEqual([DEMO_CHATS.mishu, pg.standIn.dmChat(ZHANG)].sort());
    expect(headerOf(dm.body as Card)?.template).toBe('grey');
    expect(fresh()).toEqual([]);
  });

  it('“@催办 办结 D-2” in the division’s group is answered in its thread with the closed card', async () => {
    const said = await api('say', { as: ZHANG, chatId: DEMO_CHATS.mishu, text: '@催办 办结 D-2' });
    expect(said.status).toBe(200);
    await flushOutbox(pg.deps);
    const [mine, reply, ...rest] = fresh();
    expect(mine).toMatchObject({ sender: ZHANG, body: { text: '@催办 办结 D-2' } });
    expect(reply).toMatchObject({ sender: 'bot', replyTo: said.body.messageId, chatId: DEMO_CHATS.mishu });
    expect(titleOf(reply!)).toBe('【已办结】关于冬季安全生产检查的请示');
    expect(rest).toEqual([]);
    expect((await getItem(pg.deps.database.db, 'D-2'))!.status).toBe('done');
  });

  it('the time control runs the reminder round as of the chosen moment', async () => {
    const run = await api('jobs/remind/run', { at: '2026-11-23T09:00:00+08:00' });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ job: 'remind', slot: '2026-11-23T09:00' });
    expect(run.body.sent).toBeGreaterThan(0);
    await flushOutbox(pg.deps);
    const reminders = fresh();
    const toZhang = reminders.find((m) => m.chatId === pg.standIn.dmChat(ZHANG));
    expect(titleOf(toZhang!)).toMatch(/^【催办】/);
    expect(reminders.every((m) => m.sender === 'bot' && cardProblems(m.body as Card).length === 0)).toBe(
      true,
    );
  });

  it('a bad request names its field', async () => {
    const res = await api('jobs/remind/run', { at: 'tomorrow' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('at');
    expect(fresh()).toEqual([]);
  });
});
