import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { type CreateItemInput, createItem } from '../../src/items/items.js';
import { putCategory } from '../../src/settings/categories.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

/**
 * A small office across National Day 2026 (10-01…10-07 off, Saturday 10-10 a working day), its
 * October figures computed by hand:
 *
 * | item | unit | handler | source | created | deadline | outcome |
 * |---|---|---|---|---|---|---|
 * | T-1 | 综合处 | 张三 | decision, 重点建设项目 | 09-29 | 10-09 | closed 10-09 (on time; 3 working days: 09-30, 10-08, 10-09) |
 * | T-2 | 综合处 | 张三 | decision | 10-08 | 10-12 | closed 10-14 (late; 5 working days: 10-09, 10-10, 10-12, 10-13, 10-14) |
 * | D-1 | 综合处 | 李四 | document | 10-12 | 10-15 | open, overdue at the month's end; a 催办 on 10-16 unanswered |
 * | T-3 | 财务处 | 孙五 | instruction, 重点建设项目 | 10-09 | 11-20 | open; an extension asked 10-20 |
 * | T-4 | 财务处 | 孙五 | instruction | 10-13 | 10-16 | closed 10-16 (on time; 3 working days); its 催办 of 10-15 answered by the closing |
 * | T-5 | 综合处 | 张三 | other | 10-13 | 10-30 | cancelled 10-14: counts for nothing |
 */
const at = (local: string) => new Date(`${local}+08:00`);

async function octoberOffice(deps: Deps & { clock: { set(d: Date): void } }) {
  await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
  await putDepartment(deps, { code: 'zonghe', name: '综合处' });
  await putDepartment(deps, { code: 'caiwu', name: '财务处' });
  await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'zonghe', roles: ['staff'] });
  await putPerson(deps, { openId: 'ou_li', name: '李四', dept: 'zonghe', roles: ['staff'] });
  await putPerson(deps, { openId: 'ou_wang', name: '王处长', dept: 'zonghe', roles: ['chief'] });
  await putPerson(deps, { openId: 'ou_sun', name: '孙五', dept: 'caiwu', roles: ['staff'] });
  await putPerson(deps, { openId: 'ou_qian', name: '钱处长', dept: 'caiwu', roles: ['chief'] });
  await putPerson(deps, { openId: 'ou_zhou', name: '周主任', dept: 'office', roles: ['chief'] });
  await putCategory(deps, { code: 'key-projects', name: '重点建设项目', active: true }, 'admin');
  const create = async (when: string, input: Record<string, unknown>) => {
    deps.clock.set(at(when));
    return createItem(deps, { ...input, dueAt: at(input.dueAt as string) } as CreateItemInput, 'admin');
  };
  const act = async (when: string, itemId: string, action: string, by: string, extra = {}) => {
    deps.clock.set(at(when));
    const r = await performItemAction(deps, { itemId, action: action as never, by, ...extra });
    if (!r.ok) throw new Error(`${action} ${itemId}: ${r.message}`);
  };
  const task = (title: string, source: string, leadDept: string, assignee: string, dueAt: string) => ({
    kind: 'task',
    source,
    title,
    leadDept,
    assignee,
    dueAt,
  });
  await create('2026-09-29T10:00:00', {
    ...task('推进地铁三号线', 'decision', 'zonghe', 'ou_zhang', '2026-10-09T18:00:00'),
    categories: ['key-projects'],
  });
  await create(
    '2026-10-08T09:00:00',
    task('落实安全检查', 'decision', 'zonghe', 'ou_zhang', '2026-10-12T18:00:00'),
  );
  await act('2026-10-09T17:00:00', 'T-1', 'done', 'ou_zhang');
  await create('2026-10-09T09:30:00', {
    ...task('筹措项目资金', 'instruction', 'caiwu', 'ou_sun', '2026-11-20T18:00:00'),
    categories: ['key-projects'],
  });
  await create('2026-10-12T09:00:00', {
    kind: 'document',
    docType: 'normal',
    title: '关于年度考核的通知',
    assignee: 'ou_li',
    dueAt: '2026-10-15T18:00:00',
  });
  await create(
    '2026-10-13T09:00:00',
    task('报送预算执行', 'instruction', 'caiwu', 'ou_sun', '2026-10-16T18:00:00'),
  );
  await create('2026-10-13T09:30:00', task('清理台账', 'other', 'zonghe', 'ou_zhang', '2026-10-30T18:00:00'));
  await act('2026-10-14T10:00:00', 'T-2', 'done', 'ou_zhang');
  await act('2026-10-14T11:00:00', 'T-5', 'cancel', 'ou_wang', { reason: '已并入' });
  const reminder = (item: string, to: string, when: string) =>
    sql`insert into reminders (item_id, recipient, kind, period, slot, sent_at)
        values (${item}, ${to}, 'overdue', ${when}, ${`test:${item}`}, ${at(when)})`.execute(
      deps.database.db,
    );
  await reminder('T-4', 'ou_sun', '2026-10-15T09:00:00');
  await act('2026-10-16T12:00:00', 'T-4', 'done', 'ou_sun');
  await reminder('D-1', 'ou_li', '2026-10-16T09:00:00');
  await act('2026-10-20T10:00:00', 'T-3', 'extend', 'ou_sun', { days: 3, reason: '等待批复' });
  deps.clock.set(at('2026-11-02T10:00:00'));
}

describe.each(engines)('GET /reports/figures on a small office on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  const get = (q: string) => api(app, 'GET', `/api/v1/reports/figures?${q}`);
  const OCT = 'from=2026-10-01&to=2026-10-31';
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    const deps = testDeps(database, { now: '2026-09-29T09:00:00+08:00' });
    app = createApp(deps);
    await octoberOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  it('by department: every figure as computed by hand, handling times in working days across the holiday', async () => {
    const res = await get(OCT);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      {
        key: 'caiwu',
        name: '财务处',
        opened: 2,
        closed: 1,
        onTime: 1,
        overdue: 0,
        due: 1,
        dueDone: 1,
        dueDoneOnTime: 1,
        completionRate: 1,
        onTimeRate: 1,
        handlingWorkdaysTotal: 3,
        avgHandlingWorkdays: 3,
        extensions: 1,
        unansweredReminders: 0,
      },
      {
        key: 'zonghe',
        name: '综合处',
        opened: 2,
        closed: 2,
        onTime: 1,
        overdue: 1,
        due: 3,
        dueDone: 2,
        dueDoneOnTime: 1,
        completionRate: 0.6667,
        onTimeRate: 0.3333,
        handlingWorkdaysTotal: 8,
        avgHandlingWorkdays: 4,
        extensions: 0,
        unansweredReminders: 1,
      },
    ]);
    expect(res.body.total).toMatchObject({
      opened: 4,
      closed: 3,
      onTime: 2,
      overdue: 1,
      due: 4,
      dueDone: 3,
      dueDoneOnTime: 2,
      completionRate: 0.75,
      onTimeRate: 0.5,
      avgHandlingWorkdays: 3.7,
      extensions: 1,
      unansweredReminders: 1,
    });
    // The same month asked as a period.
    const month = await get('period=month&date=2026-10-15');
    expect(month.body).toEqual({ ...res.body });
  });

  it('by source, by 专项 and by person', async () => {
    const source = await get(`${OCT}&by=source`);
    const bySource = Object.fromEntries(source.body.rows.map((r: any) => [r.key, r]));
    expect(Object.keys(bySource).sort()).toEqual(['decision', 'document', 'instruction']);
    expect(bySource.decision).toMatchObject({
      name: '会议议定',
      opened: 1,
      closed: 2,
      onTime: 1,
      due: 2,
      avgHandlingWorkdays: 4,
    });
    expect(bySource.document).toMatchObject({
      name: '公文',
      opened: 1,
      closed: 0,
      overdue: 1,
      due: 1,
      completionRate: 0,
      unansweredReminders: 1,
    });
    expect(bySource.instruction).toMatchObject({
      name: '领导批示',
      opened: 2,
      closed: 1,
      onTime: 1,
      extensions: 1,
      onTimeRate: 1,
    });

    const category = await get(`${OCT}&by=category`);
    expect(category.body.rows).toEqual([
      expect.objectContaining({
        key: 'key-projects',
        name: '重点建设项目',
        opened: 1,
        closed: 1,
        onTime: 1,
        due: 1,
        dueDone: 1,
        handlingWorkdaysTotal: 3,
        extensions: 1,
      }),
    ]);

    const person = await get(`${OCT}&by=person&dept=zonghe`);
    expect(person.body.dept).toBe('zonghe');
    expect(person.body.rows).toEqual([
      expect.objectContaining({
        key: 'ou_li',
        name: '李四',
        opened: 1,
        overdue: 1,
        due: 1,
        completionRate: 0,
        unansweredReminders: 1,
      }),
      expect.objectContaining({
        key: 'ou_zhang',
        name: '张三',
        opened: 1,
        closed: 2,
        onTime: 1,
        onTimeRate: 0.5,
        avgHandlingWorkdays: 4,
      }),
    ]);
    expect(person.body.total).toMatchObject({ opened: 2, closed: 2, due: 3 });
  });

  it('per-person rows: the department chief and the office leaders, not another chief nor staff', async () => {
    const own = await get(`${OCT}&by=person&as=ou_wang`);
    expect(own.status).toBe(200);
    expect(own.body.dept).toBe('zonghe');
    expect(own.body.rows.map((r: any) => r.key)).toEqual(['ou_li', 'ou_zhang']);
    const leader = await get(`${OCT}&by=person&as=ou_zhou`);
    expect(leader.body.rows.map((r: any) => r.key)).toEqual(['ou_li', 'ou_sun', 'ou_zhang']);
    for (const as of ['ou_qian', 'ou_zhang']) {
      const refused = await get(`${OCT}&by=person&dept=zonghe&as=${as}`);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'forbidden', details: [{ field: 'as' }] });
      expect(JSON.stringify(refused.body)).not.toContain('李四');
    }
    // By department, anyone named reads (the 通报 shows these to every unit).
    expect((await get(`${OCT}&as=ou_zhang`)).status).toBe(200);
    expect((await get(`${OCT}&by=person&as=ou_nobody`)).status).toBe(422);
  });

  it('refuses a bad query with a 4xx naming the parameter', async () => {
    expect((await get('from=2026-10-31&to=2026-10-01')).body.error.details[0].field).toBe('to');
    expect((await get(`${OCT}&by=team`)).body.error).toMatchObject({
      code: 'invalid_field',
      details: [{ field: 'by' }],
    });
    expect((await get(`${OCT}&dept=nope`)).status).toBe(422);
    expect((await get('period=decade')).status).toBe(422);
    expect((await get(`period=month&${OCT}`)).status).toBe(422);
    expect((await get('from=2026-02-30&to=2026-03-01')).status).toBe(400);
  });

  it('CSV and xlsx carry the same numbers', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const csv = await app.request(`/api/v1/reports/figures?${OCT}&format=csv`, { headers });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '处室,新增,办结,按时办结,逾期未办结,应办结,应办结已办结,应办结按时办结,办结率,按时办结率,平均办理工作日,延期申请,催办未回应',
    );
    expect(lines[2]).toBe('综合处,2,2,1,1,3,2,1,66.7%,33.3%,4,0,1');
    expect(lines[3]).toBe('合计,4,3,2,1,4,3,2,75%,50%,3.7,1,1');
    const xlsx = await app.request(`/api/v1/reports/figures?${OCT}&format=xlsx`, { headers });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(3).values).toEqual([
      undefined,
      '综合处',
      2,
      2,
      1,
      1,
      3,
      2,
      1,
      '66.7%',
      '33.3%',
      4,
      0,
      1,
    ]);
  });
});
