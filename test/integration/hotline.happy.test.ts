import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { hotlineFigures } from '../../src/services/hotline-figures.js';
import { performItemAction } from '../../src/services/item-actions.js';
import { createItem } from '../../src/services/items.js';
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
