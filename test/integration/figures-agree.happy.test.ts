import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';
import { OFFICE_EVENTS, officeSetUp } from './digest-office.js';

/**
 * One definition of each figure: over the known office's September (digest-office.ts), the
 * figures API by department answers what the summary report (and so the 通报 and the scores)
 * answers for each unit and for the office.
 */
describe.each(engines)('figures agree with the summary report on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  it('closed, on time, 应办结, rates, overdue, handling time and extensions per unit and in total', async () => {
    const deps = testDeps(h.database, { now: '2026-09-01T09:00:00+08:00' });
    await officeSetUp(deps);
    for (const e of OFFICE_EVENTS) {
      deps.clock.set(e.at);
      await e.run(deps);
    }
    deps.clock.set(new Date('2026-10-13T10:00:00+08:00'));
    const app = createApp(deps);
    const q = 'from=2026-09-01&to=2026-09-30';
    const summary = (await api(app, 'GET', `/api/v1/reports/summary?${q}`)).body;
    const figures = (await api(app, 'GET', `/api/v1/reports/figures?${q}&by=dept`)).body;
    const same = (f: any) => ({
      opened: f.opened,
      closed: f.closed,
      onTime: f.onTime,
      due: f.due,
      dueDone: f.dueDone,
      completionRate: f.completionRate,
      onTimeRate: f.onTimeRate,
      overdue: f.overdue,
      avgHandlingWorkdays: f.avgHandlingWorkdays,
      extensions: f.extensions,
    });
    const fromSummary = (s: any) => ({
      opened: s.opened,
      closed: s.closed,
      onTime: s.closedOnTime,
      due: s.due,
      dueDone: s.dueDone,
      completionRate: s.completionRate,
      onTimeRate: s.onTimeRate,
      overdue: s.openOverdue,
      avgHandlingWorkdays: s.avgHandlingWorkdays,
      extensions: s.extensions,
    });
    const active = summary.departments.filter((d: any) => d.opened + d.closed + d.due + d.openOverdue > 0);
    expect(active.length).toBeGreaterThanOrEqual(3);
    for (const d of active)
      expect(same(figures.rows.find((r: any) => r.key === d.dept))).toEqual(fromSummary(d));
    expect(same(figures.total)).toEqual(fromSummary(summary.office));
  });
});
