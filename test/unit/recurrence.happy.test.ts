import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { occurrenceOn, occurrencesBetween, recurrenceRuleSchema } from '../../src/domain/recurrence.js';

const cal = createWorkCalendar();
const rule = (r: unknown) => recurrenceRuleSchema.parse(r);

describe('recurrence in working days (2026 official calendar)', () => {
  it('every working day skips the National Day holiday and includes the adjusted Saturday', () => {
    const days = occurrencesBetween(
      rule({ every: 'workday', dueAt: '16:00' }),
      '2026-09-28',
      '2026-10-11',
      cal,
    );
    expect(days.map((o) => o.date)).toEqual([
      '2026-09-28',
      '2026-09-29',
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
    ]);
    expect(days[0]).toEqual({
      key: '2026-09-28',
      date: '2026-09-28',
      dueDate: '2026-09-28',
      dueTime: '16:00',
    });
  });

  it('every Monday, or the next working day when Monday is a holiday', () => {
    const mondays = occurrencesBetween(rule({ every: 'week', weekday: 1 }), '2026-09-21', '2026-10-19', cal);
    expect(mondays.map((o) => [o.key, o.date])).toEqual([
      ['2026-W39', '2026-09-21'],
      ['2026-W40', '2026-09-28'],
      ['2026-W41', '2026-10-08'], // Monday 10-05 is National Day: moved to Thursday
      ['2026-W42', '2026-10-12'],
      ['2026-W43', '2026-10-19'],
    ]);
  });

  it('the first working day of each month, and the last working day of each quarter', () => {
    expect(
      occurrencesBetween(rule({ every: 'month', which: 'first' }), '2026-09-01', '2026-11-30', cal).map(
        (o) => o.date,
      ),
    ).toEqual(['2026-09-01', '2026-10-08', '2026-11-02']);
    const q = occurrencesBetween(rule({ every: 'quarter', which: 'last' }), '2026-01-01', '2026-12-31', cal);
    expect(q.map((o) => [o.key, o.date])).toEqual([
      ['2026-Q1', '2026-03-31'],
      ['2026-Q2', '2026-06-30'],
      ['2026-Q3', '2026-09-30'],
      ['2026-Q4', '2026-12-31'],
    ]);
  });

  it('the deadline counts working days after the occurrence', () => {
    const o = occurrenceOn(
      rule({ every: 'workday', dueAfterWorkdays: 1, dueAt: '12:00' }),
      '2026-09-30',
      cal,
    );
    expect(o).toMatchObject({ dueDate: '2026-10-08', dueTime: '12:00' });
    expect(occurrenceOn(rule({ every: 'workday' }), '2026-10-03', cal)).toBeNull();
  });

  it('refuses incomplete rules with the field named', () => {
    expect(recurrenceRuleSchema.safeParse({ every: 'week' }).error?.issues[0]?.path).toEqual(['weekday']);
    expect(recurrenceRuleSchema.safeParse({ every: 'month' }).error?.issues[0]?.path).toEqual(['which']);
    expect(recurrenceRuleSchema.safeParse({ every: 'workday', dueAt: '25:00' }).success).toBe(false);
  });
});
