import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { lateRisk } from '../../src/domain/forecast.js';

const tz = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const calendar = createWorkCalendar();
// Created Monday 11-16, due Friday 11-20; now Wednesday 11-18: 2 working days used, 2 left.
const item = {
  createdAt: at('2026-11-16T09:00:00'),
  dueAt: at('2026-11-20T18:00:00'),
  progressAt: null,
  status: 'open',
};
const now = at('2026-11-18T10:00:00');

describe('预计逾期', () => {
  it("flags an item a slow unit's history says will miss, not the same item for a fast unit", () => {
    const slow = lateRisk(item, { unit: { samples: 5, averageWorkdays: 8 } }, now, calendar, tz);
    expect(slow).toEqual({
      reason: '同类事项本处平均用时8个工作日，已用2个工作日，剩余2个工作日，尚无进展',
      basis: 'unit',
      averageWorkdays: 8,
      elapsedWorkdays: 2,
      remainingWorkdays: 2,
    });
    expect(lateRisk(item, { unit: { samples: 5, averageWorkdays: 3 } }, now, calendar, tz)).toBeNull();
  });

  it("prefers the handler's own history, needs enough of it, and lets progress or an overdue item be", () => {
    const both = { handler: { samples: 3, averageWorkdays: 2 }, unit: { samples: 9, averageWorkdays: 8 } };
    expect(lateRisk(item, both, now, calendar, tz)).toBeNull();
    const few = { handler: { samples: 2, averageWorkdays: 9 }, unit: { samples: 9, averageWorkdays: 8 } };
    expect(lateRisk(item, few, now, calendar, tz)?.basis).toBe('unit');
    expect(lateRisk(item, { unit: { samples: 2, averageWorkdays: 8 } }, now, calendar, tz)).toBeNull();
    const slow = { unit: { samples: 5, averageWorkdays: 8 } };
    expect(lateRisk({ ...item, progressAt: now }, slow, now, calendar, tz)).toBeNull();
    expect(lateRisk(item, slow, at('2026-11-21T10:00:00'), calendar, tz)).toBeNull();
  });
});
