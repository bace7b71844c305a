import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';
import { OFFICE_EVENTS, officeSetUp } from './digest-office.js';

/**
 * GET /api/v1/reports/summary over September for the known office (digest-office.ts): the same
 * figures as the monthly 通报 (bulletin-month.happy.test.ts), plus items opened by source.
 */
describe.each(engines)('summary report on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  it('answers per department and for the office, as JSON and as CSV with a BOM', async () => {
    const deps = testDeps(h.database, { now: '2026-09-01T09:00:00+08:00' });
    await officeSetUp(deps);
    for (const e of OFFICE_EVENTS) {
      deps.clock.set(e.at);
      await e.run(deps);
    }
    deps.clock.set(new Date('2026-10-13T10:00:00+08:00'));
    const app = createApp(deps);

    const res = await api(app, 'GET', '/api/v1/reports/summary?from=2026-09-01&to=2026-09-30');
    expect(res.status).toBe(200);
    const zonghe = res.body.departments.find((d: any) => d.dept === 'zonghe');
    expect(zonghe).toMatchObject({
      opened: 9,
      closed: 4,
      closedOnTime: 2,
      due: 5,
      dueDone: 4,
      completionRate: 0.8,
      onTimeRate: 0.4,
      openOverdue: 1,
      avgHandlingWorkdays: 2.8,
      extensions: 0,
      score: 94.5,
      bySource: { document: 6, decision: 2, other: 1, instruction: 0 },
    });
    expect(zonghe.deductions.map((d: any) => `${d.itemId} ${d.points}`)).toEqual([
      'D-3 -3.5',
      'D-2 -2.5',
      'D-1 0.5',
    ]);
    expect(res.body.departments.find((d: any) => d.dept === 'caiwu')).toMatchObject({
      opened: 2,
      closed: 1,
      completionRate: 0.5,
      onTimeRate: 0.5,
      openOverdue: 1,
      avgHandlingWorkdays: 1,
      score: 96,
      bySource: { instruction: 1, document: 1, practical: 0 },
    });
    expect(res.body.office).toMatchObject({
      opened: 12,
      closed: 5,
      closedOnTime: 3,
      due: 7,
      dueDone: 5,
      completionRate: 0.7143,
      onTimeRate: 0.4286,
      openOverdue: 2,
      avgHandlingWorkdays: 2.4,
      extensions: 1,
      score: 97.4,
      bySource: { document: 7, instruction: 2, decision: 2, other: 1 },
    });

    const one = await api(app, 'GET', '/api/v1/reports/summary?from=2026-09-01&to=2026-09-30&dept=caiwu');
    expect(one.body.departments.map((d: any) => d.dept)).toEqual(['caiwu']);

    const csv = await app.request('/api/v1/reports/summary?from=2026-09-01&to=2026-09-30&format=csv', {
      headers: { authorization: `Bearer ${deps.config.adminToken}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toMatch(/^处室,新增,办结,按时办结,应办结,办结率,按时办结率/);
    expect(lines).toContain(
      '综合处,9,4,2,5,80%,40%,1,2.8,0,94.5,D-3 逾期3个工作日办结 -3.5；D-2 逾期1个工作日办结 -2.5；D-1 提前1个工作日办结 +0.5,0,2,0,0,0,1,6,0',
    );
    expect(lines.at(-1)).toMatch(/^全办,12,5,3,7,71.4%,42.9%,2,2.4,1,97.4,/);
  });

  it('refuses a bad period, format or department, naming the parameter', async () => {
    const deps = testDeps(h.database);
    const app = createApp(deps);
    await officeSetUp(deps);
    const bad = async (q: string) =>
      (await api(app, 'GET', `/api/v1/reports/summary?${q}`)).body.error.message;
    expect(await bad('from=2026-02-30&to=2026-03-01')).toContain('from');
    expect(await bad('from=2026-03-01')).toContain('to');
    expect(await bad('from=2026-03-02&to=2026-03-01')).toContain('to');
    expect(await bad('from=2026-03-01&to=2026-03-02&format=xlsx')).toContain('format');
    expect(await bad('from=2026-03-01&to=2026-03-02&dept=nope')).toContain('dept');
  });
});
