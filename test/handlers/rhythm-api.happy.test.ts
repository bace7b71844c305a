import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

describe.each(engines)('rhythm defaults, PATCH and the rules on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    deps = testDeps(database, { now: '2026-03-02T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });
  const task = (source: string, extra: Record<string, unknown> = {}) =>
    api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source,
      title: `${source}任务`,
      leadDept: 'mishu',
      ...extra,
    });

  it('defaults by source: practical and proposals monthly, decisions and instructions none', async () => {
    const practical = await task('practical');
    expect(practical.body).toMatchObject({ reportEvery: 'month', dueAt: '2026-12-31T18:00:00+08:00' });
    expect((await task('proposal')).body.reportEvery).toBe('month');
    expect((await task('decision')).body.reportEvery).toBeNull();
    expect((await task('instruction')).body.reportEvery).toBeNull();
    expect((await task('instruction', { reportEvery: 'tenDays' })).body.reportEvery).toBe('tenDays');
    expect((await task('practical', { reportEvery: null })).body.reportEvery).toBeNull();

    // The rules change the defaults; a partial reportEvery keeps the other sources.
    const put = await api(app, 'PUT', '/api/v1/rules', {
      reportEvery: { decision: 'week' },
      practicalDue: 'workdays',
    });
    expect(put.status).toBe(200);
    expect(put.body.rules.reportEvery).toMatchObject({
      decision: 'week',
      proposal: 'month',
      practical: 'month',
    });
    expect((await task('decision')).body.reportEvery).toBe('week');
    // 20 working days from Monday 03-02: 03-30.
    expect((await task('practical')).body.dueAt).toBe('2026-03-30T18:00:00+08:00');
  });

  it('PATCH sets the rhythm and the milestones; a reached one keeps its moment and has no light', async () => {
    const t = await task('instruction', { dueAt: '2026-06-30T18:00:00+08:00' });
    const id = t.body.id;
    const set = await api(app, 'PATCH', `/api/v1/items/${id}`, {
      reportEvery: 'tenDays',
      milestones: [
        { title: '方案起草', dueAt: '2026-03-03T18:00:00+08:00' },
        { title: '征求意见', dueAt: '2026-04-30T18:00:00+08:00' },
      ],
      by: 'ou_wang',
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.reportEvery).toBe('tenDays');
    expect(set.body.milestones.map((m: any) => [m.title, m.light])).toEqual([
      ['方案起草', 'yellow'], // due tomorrow
      ['征求意见', 'green'],
    ]);
    // 3月上旬 ends Tuesday 03-10: created 03-02, six working days ahead, so it counts.
    expect(set.body.rhythm.next).toEqual({
      label: '3月上旬',
      start: '2026-03-01',
      dueAt: '2026-03-10T18:00:00+08:00',
    });

    deps.clock.set('2026-03-04T10:00:00+08:00');
    const done = await api(app, 'PATCH', `/api/v1/items/${id}`, {
      milestones: [
        { title: '方案起草', dueAt: '2026-03-03T18:00:00+08:00', done: true },
        { title: '征求意见', dueAt: '2026-04-30T18:00:00+08:00' },
      ],
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.milestones[0]).toMatchObject({ doneAt: '2026-03-04T10:00:00+08:00', light: null });
    // Sent again a day later, the reached milestone keeps the moment it was first marked.
    deps.clock.set('2026-03-05T10:00:00+08:00');
    const again = await api(app, 'PATCH', `/api/v1/items/${id}`, {
      milestones: [
        { title: '方案起草', dueAt: '2026-03-03T18:00:00+08:00', done: true },
        { title: '征求意见', dueAt: '2026-04-30T18:00:00+08:00' },
      ],
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.milestones[0]).toMatchObject({ doneAt: '2026-03-04T10:00:00+08:00', light: null });
    expect(again.body.milestones[1]).toMatchObject({ doneAt: null, light: 'green' });
    const history = await api(app, 'GET', `/api/v1/items/${id}`);
    const updates = history.body.history.filter((h: any) => h.action === 'update');
    expect(updates.map((h: any) => h.actor)).toEqual(['ou_wang', 'admin-api', 'admin-api']);
    expect(updates[0].details.reportEvery).toBe('tenDays');
  });
  it('a rhythm set later starts then: the months before it owe nothing', async () => {
    deps.clock.set('2026-03-02T10:00:00+08:00');
    const t = await task('decision', { reportEvery: null, dueAt: '2026-09-30T18:00:00+08:00' });
    expect(t.body.reportEvery).toBeNull();
    deps.clock.set('2026-04-15T10:00:00+08:00');
    const set = await api(app, 'PATCH', `/api/v1/items/${t.body.id}`, { reportEvery: 'month' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    // Not March (before the rhythm began): April, due Thursday 04-30 (May Day follows).
    expect(set.body.rhythm).toMatchObject({ missed: 0, onTime: 0, late: 0, text: '按时报送' });
    expect(set.body.rhythm.next).toEqual({
      label: '4月',
      start: '2026-04-01',
      dueAt: '2026-04-30T18:00:00+08:00',
    });
  });
});
