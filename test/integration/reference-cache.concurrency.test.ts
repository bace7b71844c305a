import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createItem } from '../../src/items/items.js';
import { setCalendarDay } from '../../src/settings/calendar.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { referenceData } from '../../src/settings/reference-data.js';
import { FakeLark } from '../fakes/lark-server.js';
import { textOf } from '../helpers/cards.js';
import { createEmptyPostgresDatabase, engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { click, expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';
import { at, buttonValue } from './quick-replies-seed.js';

/**
 * Two instances of the service on one Postgres, each with its own pool and its own in-memory
 * copy of the people, departments and calendar: what one changes, the other's next click shows.
 */
describe.runIf(engines.includes('postgres'))('reference data cached per instance, on postgres', () => {
  let fake: FakeLark;
  let drop: () => Promise<void>;
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  beforeAll(async () => {
    const empty = await createEmptyPostgresDatabase();
    drop = empty.drop;
    a = await connectPostgres(empty.url);
    b = await connectPostgres(empty.url);
    await migrateToLatest(a.db);
    fake = await FakeLark.start();
  });
  afterAll(async () => {
    await fake?.close();
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('instance B renames a person and a department; instance A’s next click shows the new names', async () => {
    const options = { config: larkTestConfig(fake), now: '2026-11-23T09:00:00+08:00' };
    const depsA = testDeps(a, options);
    const depsB = testDeps(b, options);
    await putDepartment(depsA, { code: 'ZHB', name: '综合处', chatId: 'oc_zhb' });
    await putPerson(depsA, { openId: 'ou_zhang', name: '张三', dept: 'ZHB', roles: ['staff'] });
    const item = await createItem(
      depsA,
      {
        kind: 'document',
        docType: 'normal',
        title: '关于年度工作总结的通知',
        assignee: 'ou_zhang',
        dept: 'ZHB',
        dueAt: at('2026-11-24T18:00:00'),
      },
      'ou_zhang',
    );
    await flushOutbox(depsA);
    expectMessage(fake, { openId: 'ou_zhang', text: item.title });
    const group = expectMessage(fake, { chatId: 'oc_zhb', text: item.title });
    // A has drawn both cards from its copy; its copy names 张三 and 综合处.
    const before = await referenceData(depsA);
    expect(before.people.get('ou_zhang')?.name).toBe('张三');
    // While no version moved, A answers from the copy it holds rather than reloading it.
    const again = await referenceData(depsA);
    expect(again.people).toBe(before.people);
    expect(again.departments).toBe(before.departments);

    await putPerson(depsB, { openId: 'ou_zhang', name: '张三丰', dept: 'ZHB', roles: ['staff'] });
    // Only the table whose version moved is read again.
    const afterRename = await referenceData(depsA);
    expect(afterRename.people).not.toBe(before.people);
    expect(afterRename.departments).toBe(before.departments);
    await putDepartment(depsB, { code: 'ZHB', name: '综合一处', chatId: 'oc_zhb' });

    const answer = await click(createApp(depsA), depsA, {
      operator: 'ou_zhang',
      value: buttonValue(group, '办结'),
    });
    expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
    const card = textOf(answer.card.data);
    expect(card).toContain('张三丰');
    expect(card).toContain('综合一处');
    await flushOutbox(depsA);
    expect(fake.patches).toHaveLength(2);
    for (const patch of fake.patches) expect(textOf(patch.card)).toContain('张三丰');
    expectNoMoreMessages(fake);
  });

  it('instance B makes a day a day off; instance A counts working days without it at once', async () => {
    const depsA = testDeps(a);
    const depsB = testDeps(b);
    const friday = '2026-12-04';
    expect((await referenceData(depsA)).calendar.isWorkday(friday)).toBe(true);
    await setCalendarDay(depsB, { date: friday, workday: false, note: '调休' }, 'ou_admin');
    expect((await referenceData(depsA)).calendar.isWorkday(friday)).toBe(false);
    await setCalendarDay(depsB, { date: friday, workday: true, note: null }, 'ou_admin');
    expect((await referenceData(depsA)).calendar.isWorkday(friday)).toBe(true);
  });
});
