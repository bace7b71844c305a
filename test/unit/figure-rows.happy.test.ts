import { describe, expect, it } from 'vitest';
import {
  addFigureCounts,
  emptyFigureCounts,
  figureRow,
  periodHolding,
} from '../../src/domain/figure-rows.js';
import { personFiguresAccess } from '../../src/domain/figures-access.js';

describe('figure rows', () => {
  it('periods holding a day: week, 旬, month, quarter, half-year, year', () => {
    expect(periodHolding('week', '2026-10-01')).toEqual({ from: '2026-09-28', to: '2026-10-05' });
    expect(periodHolding('tenDays', '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-11' });
    expect(periodHolding('tenDays', '2026-02-21')).toEqual({ from: '2026-02-21', to: '2026-03-01' });
    expect(periodHolding('month', '2026-12-31')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(periodHolding('quarter', '2026-08-15')).toEqual({ from: '2026-07-01', to: '2026-10-01' });
    expect(periodHolding('halfYear', '2026-06-30')).toEqual({ from: '2026-01-01', to: '2026-07-01' });
    expect(periodHolding('year', '2026-06-30')).toEqual({ from: '2026-01-01', to: '2027-01-01' });
  });

  it('rates over 应办结, average over the closed, null when there is nothing to divide', () => {
    const c = {
      ...emptyFigureCounts(),
      closed: 3,
      handlingWorkdaysTotal: 11,
      due: 3,
      dueDone: 2,
      dueDoneOnTime: 1,
    };
    expect(figureRow(c)).toMatchObject({
      completionRate: 0.6667,
      onTimeRate: 0.3333,
      avgHandlingWorkdays: 3.7,
    });
    expect(figureRow(emptyFigureCounts())).toMatchObject({
      completionRate: null,
      onTimeRate: null,
      avgHandlingWorkdays: null,
    });
    expect(addFigureCounts([c, c]).handlingWorkdaysTotal).toBe(22);
  });

  it('per-person figures: own chief, leaders and admins; not another chief, not staff', () => {
    const departments = [
      { code: 'top', name: '办公厅', chatId: null, isTop: true },
      { code: 'a', name: '甲处', chatId: null, isTop: false },
      { code: 'b', name: '乙处', chatId: null, isTop: false },
    ];
    const p = (dept: string | null, roles: string[]) => ({ openId: 'x', name: 'x', dept, roles }) as never;
    expect(personFiguresAccess(p('a', ['chief']), 'a', departments)).toEqual({ allowed: true, dept: 'a' });
    expect(personFiguresAccess(p('a', ['chief']), null, departments)).toEqual({ allowed: true, dept: 'a' });
    expect(personFiguresAccess(p('a', ['chief']), 'b', departments).allowed).toBe(false);
    expect(personFiguresAccess(p('a', ['staff']), 'a', departments).allowed).toBe(false);
    expect(personFiguresAccess(p('top', ['chief']), null, departments)).toEqual({
      allowed: true,
      dept: null,
    });
    expect(personFiguresAccess(p('b', ['admin']), 'a', departments)).toEqual({ allowed: true, dept: 'a' });
  });
});
