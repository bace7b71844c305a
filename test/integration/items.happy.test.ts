import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { toZonedIso } from '../../src/domain/time.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { createItem, getItem, getItemWithHistory, listItemsWithLights } from '../../src/items/items.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedOffice } from './items-seed.js';

const TZ = 'Asia/Shanghai';
const iso = (d: Date | null) => (d ? toZonedIso(d, TZ) : null);

describe.each(engines)('items on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' }); // a Monday
    await seedOffice(deps);
  });

  it('creates a document with a typeable id and a deadline from its type', async () => {
    const d = await createItem(
      deps,
      {
        kind: 'document',
        docType: 'signoff',
        title: '关于年度工作的报告',
        assignee: 'ou_lisi',
        docNo: '穗府办〔2026〕12号',
      },
      'ou_admin',
    );
    expect(d.id).toBe('D-1');
    expect(d.dept).toBe('mishu'); // from the assignee
    expect(iso(d.dueAt)).toBe('2026-11-25T18:00:00+08:00');
    const again = await createItem(
      deps,
      {
        kind: 'document',
        docType: 'circular',
        title: '传阅',
        assignee: 'ou_lisi',
        receivedAt: new Date('2026-11-23T16:30:00+08:00'),
      },
      'ou_admin',
    );
    expect(again.id).toBe('D-2');
    expect(iso(again.dueAt)).toBe('2026-11-24T18:00:00+08:00');
    expect((await getItem(database.db, 'd2'))?.id).toBe('D-2');
  });

  it('creates a task with co-unit parts, each with its own earlier deadline', async () => {
    const t = await createItem(
      deps,
      { kind: 'task', source: 'instruction', title: '落实领导批示', leadDept: 'mishu', coDepts: ['ducha'] },
      'ou_admin',
    );
    expect(t.id).toBe('T-1');
    expect(t.assignee).toBeNull();
    expect(iso(t.dueAt)).toBe('2026-11-30T18:00:00+08:00');
    expect(t.parts).toHaveLength(1);
    expect(t.parts[0]).toMatchObject({ dept: 'ducha', status: 'open' });
    expect(iso(t.parts[0]!.dueAt)).toBe('2026-11-26T18:00:00+08:00');

    // the co-unit reports progress and closes its part; the item stays open for the lead unit
    const p = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'progress',
      by: 'ou_zhao',
      note: '已提供材料',
    });
    expect(p).toMatchObject({ ok: true, changed: true });
    const done = await performItemAction(deps, { itemId: 'T-1', action: 'done', by: 'ou_zhao' });
    expect(done).toMatchObject({ ok: true, changed: true, message: '已办结（督查处会办部分）' });
    const again = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'done',
      by: 'ou_zhao',
      partDept: 'ducha',
    });
    expect(again).toMatchObject({ ok: true, changed: false });
    expect(again.message).toContain('该会办部分已由赵六');
    const item = await getItemWithHistory(database.db, 'T-1');
    expect(item?.status).toBe('open');
    expect(item?.parts[0]).toMatchObject({ status: 'done', doneBy: 'ou_zhao', note: '已提供材料' });
    expect(item?.history.map((h) => [h.action, h.details.part ?? null])).toEqual([
      ['create', null],
      ['progress', 'ducha'],
      ['done', 'ducha'],
    ]);
  });

  it('a meeting gets its attendees and a minutes task for the minutes taker', async () => {
    const m = await createItem(
      deps,
      {
        kind: 'meeting',
        title: '周例会',
        startsAt: new Date('2026-11-27T15:00:00+08:00'),
        endsAt: new Date('2026-11-27T17:00:00+08:00'),
        location: '三楼会议室',
        attendees: ['ou_lisi', 'ou_zhao'],
        organizer: 'ou_wang',
        minutesTaker: 'ou_zhangsan',
      },
      'ou_admin',
    );
    expect(m.id).toBe('M-1');
    expect(m.attendees.map((a) => a.openId)).toEqual(['ou_lisi', 'ou_zhao']);
    expect(m.minutesTaskId).toBe('T-1');
    const minutes = await getItemWithHistory(database.db, 'T-1');
    expect(minutes).toMatchObject({
      parentId: 'M-1',
      assignee: 'ou_zhangsan',
      kind: 'task',
      title: '会议纪要：周例会',
    });
    expect(iso(minutes!.dueAt)).toBe('2026-11-30T18:00:00+08:00'); // Friday's meeting → Monday
    expect(minutes!.history[0]).toMatchObject({ action: 'create', details: { minutesOf: 'M-1' } });

    const att = await performItemAction(deps, { itemId: 'm1', action: 'attend', by: 'ou_lisi' });
    expect(att).toMatchObject({ ok: true, changed: true, message: '已确认参会' });
    expect(await performItemAction(deps, { itemId: 'M-1', action: 'attend', by: 'ou_lisi' })).toMatchObject({
      ok: true,
      changed: false,
    });
    const leave = await performItemAction(deps, {
      itemId: 'M-1',
      action: 'leave',
      by: 'ou_zhao',
      note: '出差',
    });
    expect(leave).toMatchObject({ ok: true, changed: true, message: '已请假' });
    const outsider = await performItemAction(deps, { itemId: 'M-1', action: 'attend', by: 'ou_qian' });
    expect(outsider).toMatchObject({ ok: false, code: 'forbidden', message: '您不在本次会议的参会名单中' });
    const after = await getItem(database.db, 'M-1');
    expect(after?.attendees.map((a) => a.attendance)).toEqual(['attend', 'leave']);

    // a decision taken at the meeting becomes a task linked to it
    const decision = await createItem(
      deps,
      {
        kind: 'task',
        source: 'decision',
        title: '议定事项一',
        leadDept: 'ducha',
        assignee: 'ou_zhao',
        parent: 'M-1',
      },
      'ou_admin',
    );
    expect(decision.parentId).toBe('M-1');
    const children = await listItemsWithLights(deps, { parent: 'M-1' });
    expect(children.map((c) => c.id).sort()).toEqual(['T-1', 'T-2']);
  });

  it('claim, progress, extension request → approval, done — each a history row, version bumped', async () => {
    await createItem(
      deps,
      { kind: 'task', source: 'instruction', title: '交办', leadDept: 'mishu' },
      'ou_admin',
    );
    const claim = await performItemAction(deps, { itemId: 'T-1', action: 'claim', by: 'ou_lisi' });
    expect(claim).toMatchObject({ ok: true, changed: true, message: '已认领' });
    const late = await performItemAction(deps, { itemId: 'T-1', action: 'claim', by: 'ou_zhangsan' });
    expect(late).toMatchObject({ ok: false, code: 'invalid_state', message: '该事项已由李四认领' });
    expect(await performItemAction(deps, { itemId: 'T-1', action: 'claim', by: 'ou_lisi' })).toMatchObject({
      ok: true,
      changed: false,
    });
    await performItemAction(deps, { itemId: 'T-1', action: 'progress', by: 'ou_lisi', note: '已起草' });
    const ext = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'extend',
      by: 'ou_lisi',
      days: 2,
      reason: '待会签',
    });
    expect(ext).toMatchObject({ ok: true, changed: true, message: '已提交延期申请，等待王处长审批' });
    const second = await performItemAction(deps, { itemId: 'T-1', action: 'extend', by: 'ou_lisi', days: 3 });
    expect(second).toMatchObject({ ok: false, code: 'invalid_state' });
    const notChief = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'approve-extension',
      by: 'ou_qian',
    });
    expect(notChief).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: '只有秘书一处负责同志可以批准延期',
    });
    deps.clock.set('2026-11-24T09:00:00+08:00');
    const ok = await performItemAction(deps, { itemId: 'T-1', action: 'approve-extension', by: 'ou_wang' });
    expect(ok).toMatchObject({ ok: true, changed: true, message: '已批准延期至12月2日 18:00' });
    const twice = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'approve-extension',
      by: 'ou_wang',
    });
    expect(twice).toMatchObject({
      ok: true,
      changed: false,
      message: '该延期申请已由王处长于11月24日 09:00批准',
    });
    deps.clock.set('2026-11-25T09:05:00+08:00');
    const done = await performItemAction(deps, { itemId: 'T-1', action: 'done', by: 'ou_lisi' });
    expect(done).toMatchObject({ ok: true, changed: true, message: '已办结' });
    const again = await performItemAction(deps, { itemId: 'T-1', action: 'done', by: 'ou_wang' });
    expect(again).toMatchObject({ ok: true, changed: false, message: '该事项已由李四于11月25日 09:05办结' });

    const item = await getItemWithHistory(database.db, 'T-1');
    expect(item?.status).toBe('done');
    expect(iso(item!.dueAt)).toBe('2026-12-02T18:00:00+08:00');
    expect(iso(item!.originalDueAt)).toBe('2026-11-30T18:00:00+08:00');
    expect(item?.extensionRequests).toMatchObject([
      { status: 'approved', decidedBy: 'ou_wang', reason: '待会签' },
    ]);
    expect(item?.history.map((h) => `${h.action}:${h.actor}`)).toEqual([
      'create:ou_admin',
      'claim:ou_lisi',
      'progress:ou_lisi',
      'extend:ou_lisi',
      'approve-extension:ou_wang',
      'done:ou_lisi',
    ]);
    const approval = item!.history[4]!;
    expect(approval.details).toMatchObject({
      oldDueAt: '2026-11-30T10:00:00.000Z',
      newDueAt: '2026-12-02T10:00:00.000Z',
    });
    expect(item?.version).toBe(6); // 1 + claim, progress, extend, approve, done
  });

  it('reject, reassign, cancel and read leave their rows too', async () => {
    await createItem(
      deps,
      { kind: 'task', source: 'other', title: '其他', leadDept: 'mishu', assignee: 'ou_lisi' },
      'ou_admin',
    );
    await performItemAction(deps, {
      itemId: 'T-1',
      action: 'extend',
      by: 'ou_lisi',
      newDueAt: new Date('2026-12-10T18:00:00+08:00'),
    });
    const rej = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'reject-extension',
      by: 'ou_wang',
      reason: '请按时完成',
    });
    expect(rej).toMatchObject({ ok: true, changed: true, message: '已驳回延期申请' });
    const re = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'reassign',
      by: 'ou_wang',
      to: 'ou_zhangsan',
    });
    expect(re).toMatchObject({ ok: true, changed: true, message: '已改派给张三' });
    expect(re.ok && re.item.assignee).toBe('ou_zhangsan');
    const cancel = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'cancel',
      by: 'ou_admin',
      reason: '重复',
    });
    expect(cancel).toMatchObject({ ok: true, changed: true, message: '已撤销' });
    const doneAfter = await performItemAction(deps, { itemId: 'T-1', action: 'done', by: 'ou_zhangsan' });
    expect(doneAfter).toMatchObject({ ok: false, code: 'invalid_state', message: '该事项已撤销，无法办结' });

    await createItem(
      deps,
      { kind: 'document', docType: 'circular', title: '传阅件', assignee: 'ou_lisi' },
      'ou_admin',
    );
    const read = await performItemAction(deps, { itemId: 'D-1', action: 'read', by: 'ou_lisi' });
    expect(read).toMatchObject({ ok: true, changed: true, message: '已阅' });
    const readAgain = await performItemAction(deps, { itemId: 'D-1', action: 'read', by: 'ou_lisi' });
    expect(readAgain).toMatchObject({
      ok: true,
      changed: false,
      message: '该事项已由李四于11月23日 10:00标记已阅',
    });

    const h = await getItemWithHistory(database.db, 'T-1');
    expect(h?.history.map((x) => x.action)).toEqual([
      'create',
      'extend',
      'reject-extension',
      'reassign',
      'cancel',
    ]);
    expect(h?.history[3]?.details).toMatchObject({ from: 'ou_lisi', to: 'ou_zhangsan' });
    expect(h?.history[4]?.details).toMatchObject({ reason: '重复' });
  });

  it('history completeness: each change adds exactly one row with actor, time and details; refusals add none', async () => {
    await createItem(
      deps,
      { kind: 'task', source: 'instruction', title: '全流程', leadDept: 'mishu', coDepts: ['ducha'] },
      'ou_admin',
    );
    await createItem(
      deps,
      {
        kind: 'meeting',
        title: '会',
        startsAt: new Date('2026-11-24T09:00:00+08:00'),
        endsAt: new Date('2026-11-24T10:00:00+08:00'),
        attendees: ['ou_lisi', 'ou_zhao'],
        organizer: 'ou_wang',
      },
      'ou_admin',
    );
    await createItem(
      deps,
      { kind: 'document', docType: 'circular', title: '传阅', assignee: 'ou_lisi' },
      'ou_admin',
    );
    const steps: [string, Parameters<typeof performItemAction>[1], boolean][] = [
      ['T-1', { itemId: 'T-1', action: 'done', by: 'ou_lisi' }, false], // not claimed yet
      ['T-1', { itemId: 'T-1', action: 'claim', by: 'ou_lisi' }, true],
      ['T-1', { itemId: 'T-1', action: 'progress', by: 'ou_lisi', note: '起草中' }, true],
      ['T-1', { itemId: 'T-1', action: 'progress', by: 'ou_zhao', note: '会办意见' }, true],
      ['T-1', { itemId: 'T-1', action: 'extend', by: 'ou_lisi', days: 1 }, true],
      ['T-1', { itemId: 'T-1', action: 'reject-extension', by: 'ou_wang', reason: '不同意' }, true],
      ['T-1', { itemId: 'T-1', action: 'extend', by: 'ou_lisi', days: 2 }, true],
      ['T-1', { itemId: 'T-1', action: 'approve-extension', by: 'ou_lisi' }, false], // not a chief
      ['T-1', { itemId: 'T-1', action: 'approve-extension', by: 'ou_admin' }, true],
      ['T-1', { itemId: 'T-1', action: 'reassign', by: 'ou_wang', to: 'ou_zhangsan' }, true],
      ['T-1', { itemId: 'T-1', action: 'reassign', by: 'ou_qian', to: 'ou_zhao', partDept: 'ducha' }, true],
      ['T-1', { itemId: 'T-1', action: 'done', by: 'ou_zhao', partDept: 'ducha' }, true],
      ['T-1', { itemId: 'T-1', action: 'done', by: 'ou_zhangsan' }, true],
      ['T-1', { itemId: 'T-1', action: 'done', by: 'ou_zhangsan' }, false], // repeat
      ['M-1', { itemId: 'M-1', action: 'attend', by: 'ou_lisi' }, true],
      ['M-1', { itemId: 'M-1', action: 'leave', by: 'ou_zhao' }, true],
      ['M-1', { itemId: 'M-1', action: 'leave', by: 'ou_zhao' }, false], // repeat
      ['M-1', { itemId: 'M-1', action: 'cancel', by: 'ou_wang' }, true],
      ['D-1', { itemId: 'D-1', action: 'read', by: 'ou_zhao' }, false], // not theirs
      ['D-1', { itemId: 'D-1', action: 'read', by: 'ou_lisi' }, true],
    ];
    for (const [id, input, changes] of steps) {
      const before = (await getItemWithHistory(database.db, id))!;
      deps.clock.advance(60_000);
      const outcome = await performItemAction(deps, input);
      const after = (await getItemWithHistory(database.db, id))!;
      const label = `${input.action} by ${input.by}`;
      expect(outcome.ok && outcome.changed, label).toBe(changes);
      expect(after.history.length - before.history.length, label).toBe(changes ? 1 : 0);
      expect(after.version - before.version, label).toBe(changes ? 1 : 0);
      if (changes) {
        const row = after.history.at(-1)!;
        expect(row, label).toMatchObject({ action: input.action, actor: input.by, at: deps.clock.now() });
        expect(typeof row.details, label).toBe('object');
      }
    }
    const t = (await getItemWithHistory(database.db, 'T-1'))!;
    expect(t.parts[0]).toMatchObject({ assignee: 'ou_zhao', status: 'done' });
    expect(t.extensionRequests.map((e) => e.status)).toEqual(['rejected', 'approved']);
  });

  it('cancelling a meeting cancels its open minutes task, on the record', async () => {
    await createItem(
      deps,
      {
        kind: 'meeting',
        title: '取消的会',
        startsAt: new Date('2026-11-24T09:00:00+08:00'),
        endsAt: new Date('2026-11-24T10:00:00+08:00'),
        attendees: [],
        organizer: 'ou_wang',
        minutesTaker: 'ou_lisi',
      },
      'ou_admin',
    );
    const out = await performItemAction(deps, {
      itemId: 'M-1',
      action: 'cancel',
      by: 'ou_wang',
      reason: '改期',
    });
    expect(out.ok && out.change?.details.cancelledMinutesTasks).toEqual(['T-1']);
    const t = (await getItemWithHistory(database.db, 'T-1'))!;
    expect(t.status).toBe('cancelled');
    expect(t.history.at(-1)).toMatchObject({
      action: 'cancel',
      actor: 'ou_wang',
      details: { meeting: 'M-1' },
    });
  });

  it('the same request id changes nothing twice', async () => {
    await createItem(
      deps,
      { kind: 'task', source: 'other', title: '其他', leadDept: 'mishu', assignee: 'ou_lisi' },
      'ou_admin',
    );
    const a = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'progress',
      by: 'ou_lisi',
      note: 'x',
      requestId: 'evt-1',
    });
    const b = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'progress',
      by: 'ou_lisi',
      note: 'x',
      requestId: 'evt-1',
    });
    expect(a).toMatchObject({ changed: true });
    expect(b).toMatchObject({ ok: true, changed: false });
    expect((await getItemWithHistory(database.db, 'T-1'))?.history).toHaveLength(2);
  });

  it('history rows cannot be updated or deleted', async () => {
    await createItem(deps, { kind: 'task', source: 'other', title: '其他', leadDept: 'mishu' }, 'ou_admin');
    await expect(sql`update item_history set actor = 'x'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from item_history`.execute(database.db)).rejects.toThrow(/append-only/);
    expect((await getItemWithHistory(database.db, 'T-1'))?.history).toHaveLength(1);
  });

  it('lights follow the clock', async () => {
    await createItem(
      deps,
      { kind: 'document', docType: 'signoff', title: 's', assignee: 'ou_lisi' },
      'ou_admin',
    );
    expect((await listItemsWithLights(deps, {}))[0]?.light).toBe('green');
    deps.clock.set('2026-11-24T09:00:00+08:00');
    expect((await listItemsWithLights(deps, { light: 'yellow' })).map((i) => i.id)).toEqual(['D-1']);
    deps.clock.set('2026-11-25T18:00:01+08:00');
    expect((await listItemsWithLights(deps, { light: 'red' })).map((i) => i.id)).toEqual(['D-1']);
  });
});
