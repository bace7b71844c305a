import { describe, expect, it } from 'vitest';
import { listDutyHistory } from '../../src/db/repos/duty-history.js';
import { engines } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN } from '../helpers/deps.js';
import { dutyApiWorld } from '../helpers/duty-api.js';
import { api } from '../helpers/http.js';

describe.each(engines)('duty rosters in bulk on %s', (engine) => {
  const w = dutyApiWorld(engine);

  it('imports a CSV by names and open_ids, with several officers and a day of its own hours', async () => {
    const csv = [
      'date,officer,leader,start,end',
      '2026-10-01,张三,刘主任',
      '2026-10-02,李四/ou_wang,ou_chen',
      '"2026-10-03",王五,刘主任,09:00,17:30',
    ].join('\n');
    const res = await w.app.request('/api/v1/duty/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ imported: 3, from: '2026-10-01', to: '2026-10-03' });
    const list = await api(w.app, 'GET', '/api/v1/duty?from=2026-10-01&to=2026-10-03');
    expect(list.body.days.map((d: any) => [d.date, d.officers, d.leader, d.start, d.end])).toEqual([
      ['2026-10-01', ['ou_zhang'], 'ou_liu', null, null],
      ['2026-10-02', ['ou_li', 'ou_wang'], 'ou_chen', null, null],
      ['2026-10-03', ['ou_wang'], 'ou_liu', '09:00', '17:30'],
    ]);
    const history = await listDutyHistory(w.database.db, '2026-10-01', '2026-10-03');
    expect(history.map((h) => [h.date, h.action, h.details.row])).toEqual([
      ['2026-10-01', 'roster imported', 2],
      ['2026-10-02', 'roster imported', 3],
      ['2026-10-03', 'roster imported', 4],
    ]);
    // The same file as JSON replaces the days it names.
    const again = await api(w.app, 'POST', '/api/v1/duty/import', { csv: '2026-10-01,李四,陈主任' });
    expect(again.status).toBe(201);
    expect((await api(w.app, 'GET', '/api/v1/duty/2026-10-01')).body).toMatchObject({
      officer: 'ou_li',
      leader: 'ou_chen',
    });
  });

  it('generates a fair rotation over Spring Festival 2026, holiday days counted apart', async () => {
    const res = await api(w.app, 'POST', '/api/v1/duty/rotation', {
      from: '2026-02-09',
      to: '2026-03-01',
      people: ['张三', '李四', '王五', 'ou_zhao1'],
      leaders: ['刘主任', '陈主任'],
      days: 'all',
      apply: true,
    });
    expect(res.status).toBe(200);
    const days = res.body.days as Array<{ date: string; class: string; officer: string; leader: string }>;
    expect(days).toHaveLength(21);
    // 02-14 (Saturday) is an adjusted working day; 02-15 … 02-23 the Spring Festival holiday; 03-01 a lone Sunday.
    const cls = Object.fromEntries(days.map((d) => [d.date, d.class]));
    expect([
      cls['2026-02-14'],
      cls['2026-02-15'],
      cls['2026-02-23'],
      cls['2026-02-24'],
      cls['2026-03-01'],
    ]).toEqual(['workday', 'holiday', 'holiday', 'workday', 'restday']);
    const counts = res.body.counts as Array<{
      openId: string;
      workday: number;
      restday: number;
      holiday: number;
      total: number;
    }>;
    expect(counts.map((c) => c.openId)).toEqual(['ou_zhang', 'ou_li', 'ou_wang', 'ou_zhao1']);
    const spread = (k: 'workday' | 'holiday' | 'total') => {
      const v = counts.map((c) => c[k]);
      return Math.max(...v) - Math.min(...v);
    };
    expect(counts.reduce((n, c) => n + c.holiday, 0)).toBe(9);
    expect(counts.reduce((n, c) => n + c.workday, 0)).toBe(11);
    expect([spread('workday'), spread('holiday'), spread('total')]).toEqual([1, 1, 1]);
    // Each person's counts are what the days say, and nobody serves two days running.
    for (const c of counts) expect(days.filter((d) => d.officer === c.openId)).toHaveLength(c.total);
    for (let i = 1; i < days.length; i++) expect(days[i]!.officer).not.toBe(days[i - 1]!.officer);
    expect(new Set(days.map((d) => d.leader))).toEqual(new Set(['ou_liu', 'ou_chen']));
    // Applied: the roster holds it.
    const roster = await api(w.app, 'GET', '/api/v1/duty?from=2026-02-09&to=2026-03-01');
    expect(roster.body.days.map((d: any) => d.officer)).toEqual(days.map((d) => d.officer));
  });

  it('a rotation of rest days only, previewed without writing', async () => {
    const res = await api(w.app, 'POST', '/api/v1/duty/rotation', {
      from: '2026-09-26',
      to: '2026-10-11',
      people: ['张三', '李四', '王五'],
      leaders: ['刘主任'],
      days: 'restdays',
    });
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(false);
    // Mid-Autumn (09-25 … 09-27) and National Day (10-01 … 10-07) are holidays; Sunday 10-11, after
    // the adjusted working Saturday 10-10, is an ordinary rest day.
    expect(res.body.days.map((d: any) => `${d.date}:${d.class}`)).toEqual([
      '2026-09-26:holiday',
      '2026-09-27:holiday',
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d}:holiday`),
      '2026-10-11:restday',
    ]);
    expect(res.body.counts.map((c: any) => [c.holiday, c.restday, c.workday])).toEqual([
      [3, 1, 0],
      [3, 0, 0],
      [3, 0, 0],
    ]);
    expect((await api(w.app, 'GET', '/api/v1/duty?from=2026-09-26&to=2026-10-11')).body.days).toEqual([]);
  });

  it('duty settings change the default hours, and every change is recorded', async () => {
    expect((await api(w.app, 'GET', '/api/v1/duty/settings')).body).toMatchObject({
      start: '08:30',
      end: '08:30',
    });
    const put = await api(w.app, 'PUT', '/api/v1/duty/settings', {
      start: '09:00',
      end: '09:00',
      eveAt: '15:30',
    });
    expect(put.body).toMatchObject({ start: '09:00', end: '09:00', eveAt: '15:30', remindAfterMinutes: 30 });
    const rows = await w.database.db
      .selectFrom('settings_history')
      .selectAll()
      .where('key', '=', 'duty_settings')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
