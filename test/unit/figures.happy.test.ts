import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import {
  completionRate,
  emptyDue,
  lastDays,
  lightBounds,
  onTimeRate,
  percentText,
  sincePreviousWorkday,
  sumCounts,
  workdayOrdinals,
} from '../../src/domain/figures.js';
import { lightOf } from '../../src/domain/lights.js';
import { addDays, atLocal } from '../../src/domain/time.js';

const TZ = 'Asia/Shanghai';
const cal = createWorkCalendar();
const at = (s: string) => new Date(`${s}+08:00`);

describe('figures: one definition each', () => {
  it('splits open items by light exactly as lightOf does, for every hour around National Day', () => {
    const nows = ['2026-09-25T08:30:00', '2026-09-30T17:00:00', '2026-10-06T09:00:00', '2026-10-09T23:00:00'];
    for (const yellowWithinWorkdays of [0, 1, 3]) {
      for (const n of nows) {
        const now = at(n);
        const b = lightBounds(now, cal, yellowWithinWorkdays, TZ);
        for (let h = -48; h <= 24 * 20; h += 7) {
          const dueAt = new Date(now.getTime() + h * 3_600_000);
          const bySql = dueAt < b.redBefore ? 'red' : dueAt < b.yellowBefore ? 'yellow' : 'green';
          const byLight = lightOf({ status: 'open', dueAt }, now, cal, { yellowWithinWorkdays }, TZ);
          expect(bySql, `${n} +${h}h (yellow within ${yellowWithinWorkdays})`).toBe(byLight);
        }
      }
    }
  });

  it('the previous working day reaches back over a holiday', () => {
    const p = sincePreviousWorkday(at('2026-10-08T08:30:00'), cal, TZ);
    expect(p).toEqual({ from: at('2026-09-30T00:00:00'), to: at('2026-10-08T00:00:00') });
    expect(lastDays(at('2026-10-08T08:30:00'), 7, TZ)).toEqual({
      from: at('2026-10-01T00:00:00'),
      to: at('2026-10-08T00:00:00'),
    });
  });

  it('rates: 办结率 and 按时办结率 over the items due, — when none were due', () => {
    const c = sumCounts(
      [
        { due: 6, dueDone: 5, dueDoneOnTime: 2 },
        { due: 2, dueDone: 1, dueDoneOnTime: 1 },
      ],
      emptyDue,
    );
    expect(c).toEqual({ due: 8, dueDone: 6, dueDoneOnTime: 3 });
    expect(percentText(completionRate(c))).toBe('75%');
    expect(percentText(onTimeRate(c))).toBe('37.5%');
    expect(percentText(completionRate({ due: 6, dueDone: 5, dueDoneOnTime: 2 }))).toBe('83.3%');
    expect(percentText(onTimeRate(emptyDue()))).toBe('—');
  });

  it('working-day ordinals count working days between two dates as the calendar does', () => {
    const { days, ordinals } = workdayOrdinals(cal, '2026-09-14', '2026-10-20');
    const ord = (d: string) => ordinals[days.indexOf(d)]!;
    for (const [a, b] of [
      ['2026-09-18', '2026-10-08'],
      ['2026-09-30', '2026-10-08'],
      ['2026-10-01', '2026-10-07'],
      ['2026-09-14', '2026-10-20'],
    ] as const)
      expect(ord(b) - ord(a), `${a}..${b}`).toBe(cal.workdaysBetween(a, b));
    expect(ord('2026-10-08') - ord('2026-09-18')).toBe(9);
    expect(atLocal(addDays('2026-10-07', 1), '00:00', TZ)).toEqual(at('2026-10-08T00:00:00'));
  });
});
