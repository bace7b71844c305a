import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { createItem } from '../../src/items/items.js';
import { buildBulletin } from '../../src/reports/bulletin-round.js';
import { hotlineFigures } from '../../src/reports/hotline-figures.js';
import { loadWorkCalendar } from '../../src/settings/calendar.js';
import { cardProblems, textOf } from '../helpers/cards.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from './items-seed.js';

const at = (s: string) => new Date(`${s}+08:00`);

describe.each(engines)('hotline tickets on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    deps = testDeps(database, { now: '2026-10-10T10:00:00+08:00' });
    await seedOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  let n = 0;
  const ticket = async (dept: 'mishu' | 'ducha', category: string, dueAt: string) =>
    createItem(
      deps,
      {
        kind: 'task',
        source: 'hotline',
        title: `市长热线工单${++n}`,
        leadDept: dept,
        assignee: dept === 'mishu' ? 'ou_lisi' : 'ou_zhao',
        ticketNo: `12345-2026-${n}`,
        caller: '陈先生',
        category,
        dueAt: at(dueAt),
      },
      'ou_admin',
    );
  const done = async (id: string, by: string, when: string) => {
    deps.clock.set(`${when}+08:00`);
    const outcome = await performItemAction(deps, { itemId: id, action: 'done', by });
    expect(outcome.ok).toBe(true);
  };

  it('办结率 and 按时办结率 per department, and the categories that recur, against hand-computed values', async () => {
    // October: 供水 twice, 噪音 once.
    await ticket('mishu', '供水', '2026-10-20T18:00:00');
    await ticket('ducha', '供水', '2026-10-20T18:00:00');
    await ticket('mishu', '噪音', '2026-10-20T18:00:00');
    // November.
    deps.clock.set('2026-11-02T09:00:00+08:00');
    const h1 = await ticket('mishu', '供水', '2026-11-10T18:00:00');
    const h2 = await ticket('mishu', '供水', '2026-11-12T18:00:00');
    await ticket('mishu', '噪音', '2026-11-20T18:00:00');
    const h4 = await ticket('ducha', '供水', '2026-11-16T18:00:00');
    await ticket('ducha', '道路', '2026-12-03T18:00:00'); // due next month: not in November's rates
    await ticket('ducha', '道路', '2026-12-04T18:00:00');
    const other = await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '批示件',
        leadDept: 'mishu',
        dueAt: at('2026-11-10T18:00:00'),
      },
      'ou_admin',
    );
    await done(h1.id, 'ou_lisi', '2026-11-09T10:00:00'); // on time
    await done(h2.id, 'ou_lisi', '2026-11-13T10:00:00'); // a day late
    await done(h4.id, 'ou_zhao', '2026-11-16T10:00:00'); // on time
    await done(other.id, 'ou_wang', '2026-11-09T11:00:00'); // not a hotline ticket

    const f = await hotlineFigures(database.db, at('2026-11-25T09:00:00'), deps.config.timezone);
    expect(f.month).toBe('2026-11');
    // mishu: due 3 (H1, H2, H3), closed 2, on time 1. ducha: due 1 (H4), closed on time.
    expect(f.byDept).toEqual([
      { dept: 'ducha', due: 1, dueDone: 1, dueDoneOnTime: 1, completionRate: 1, onTimeRate: 1 },
      { dept: 'mishu', due: 3, dueDone: 2, dueDoneOnTime: 1, completionRate: 2 / 3, onTimeRate: 1 / 3 },
    ]);
    expect(f.total).toMatchObject({
      due: 4,
      dueDone: 3,
      dueDoneOnTime: 2,
      completionRate: 0.75,
      onTimeRate: 0.5,
    });
    expect(f.categories).toEqual([
      { category: '供水', thisMonth: 3, lastMonth: 2 },
      { category: '道路', thisMonth: 2, lastMonth: 0 },
      { category: '噪音', thisMonth: 1, lastMonth: 1 },
    ]);
    // The summary report carries the same figures for the month of its `to`.
    const report = await api(createApp(deps), 'GET', '/api/v1/reports/summary?from=2026-11-01&to=2026-11-25');
    expect(report.status).toBe(200);
    expect(report.body.hotline).toMatchObject({
      month: '2026-11',
      total: { due: 4, dueDone: 3, dueDoneOnTime: 2, completionRate: 0.75, onTimeRate: 0.5 },
    });
    expect(report.body.hotline.categories[0]).toEqual({ category: '供水', thisMonth: 3, lastMonth: 2 });
  });

  it('the 通报 card and the summary CSV carry the same hotline figures, against hand-computed values', async () => {
    const tz = deps.config.timezone;
    const calendar = await loadWorkCalendar(database.db);
    const ctx = { calendar, timeZone: tz, now: at('2026-12-01T09:00:00') };
    const b = await buildBulletin(database.db, ctx, { kind: 'month', from: '2026-11-01', to: '2026-12-01' });
    expect(cardProblems(b.office)).toEqual([]);
    const office = textOf(b.office);
    // As above: 4 due, 3 closed (75%), 2 on time (50%); 秘书一处 2 of 3 and 1 of 3; 督查处 1 of 1.
    expect(office).toContain('**热线工单**（11月）：应办结 4 件 · 办结率 75% · 按时办结率 50%');
    expect(office).toContain('秘书一处：应办结 3 件 · 办结率 66.7% · 按时办结率 33.3%');
    expect(office).toContain('督查处：应办结 1 件 · 办结率 100% · 按时办结率 100%');
    expect(office).toContain(
      '**反复出现的问题**：供水 3件（上月2件）、道路 2件（上月0件）、噪音 1件（上月1件）',
    );
    const mishu = b.departments.find((d) => d.dept === 'mishu')!.card;
    expect(cardProblems(mishu)).toEqual([]);
    expect(textOf(mishu)).toContain('**热线工单**（11月）：应办结 3 件 · 办结率 66.7% · 按时办结率 33.3%');
    // A month without any ticket (September: none due, none registered then or in August): no section.
    const sep = await buildBulletin(database.db, ctx, {
      kind: 'month',
      from: '2026-09-01',
      to: '2026-10-01',
    });
    expect(textOf(sep.office)).not.toContain('热线工单');

    const csv = await api(
      createApp(deps),
      'GET',
      '/api/v1/reports/summary?from=2026-11-01&to=2026-11-25&format=csv',
    );
    expect(csv.status).toBe(200);
    const lines = String(csv.body).split('\r\n');
    const block = lines.slice(lines.indexOf('热线工单（2026-11）,应办结,办结,按时办结,办结率,按时办结率'));
    expect(block.slice(0, 9)).toEqual([
      '热线工单（2026-11）,应办结,办结,按时办结,办结率,按时办结率',
      '督查处,1,1,1,100%,100%',
      '秘书一处,3,2,1,66.7%,33.3%',
      '全办,4,3,2,75%,50%',
      '',
      '热线问题类别,本月,上月',
      '供水,3,2',
      '道路,2,0',
      '噪音,1,1',
    ]);
  });

  it('a 工单号 is registered once; ticket fields belong to hotline tasks; the caller stays off every card', async () => {
    deps.clock.set('2026-11-25T10:00:00+08:00');
    const app = createApp(deps);
    const body = {
      kind: 'task',
      source: 'hotline',
      title: '小区夜间施工噪音扰民',
      leadDept: 'mishu',
      ticketNo: 'GD-2026-8801',
      caller: '林女士',
      category: '噪音',
    };
    const first = await api(app, 'POST', '/api/v1/items', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ticketNo: 'GD-2026-8801', caller: '林女士', category: '噪音' });
    const again = await api(app, 'POST', '/api/v1/items', { ...body, title: '重复工单' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate_ticket', details: { id: first.body.id } });
    const wrong = await api(app, 'POST', '/api/v1/items', {
      ...body,
      source: 'instruction',
      ticketNo: 'X-1',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ field: 'ticketNo' })]);

    const { rows } = await sql<{ content: string; item_ids: string[] }>`
      select content, item_ids from outbox`.execute(database.db);
    expect(rows.filter((r) => r.item_ids.includes(first.body.id)).length).toBeGreaterThan(0);
    for (const r of rows) expect(r.content).not.toContain('林女士');
    for (const r of rows) expect(r.content).not.toContain('陈先生');
  });
});
