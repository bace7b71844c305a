import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import {
  milestoneLight,
  periodBounds,
  periodLabel,
  reportPeriod,
  reportSchedule,
  rhythmOf,
  rhythmTextZh,
  rollUp,
  rollUpTextZh,
} from '../../src/domain/rhythm.js';
import { DEFAULT_DEADLINE_RULES as R } from '../../src/domain/rules.js';
import { toZonedIso } from '../../src/domain/time.js';

const TZ = 'Asia/Shanghai';
const cal = createWorkCalendar();
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date | null) => (d ? toZonedIso(d, TZ) : null);
const due = (date: string, every: 'week' | 'tenDays' | 'month') =>
  iso(reportPeriod(date, every, cal, R, TZ).dueAt);

describe('report periods (以周保旬、以旬保月)', () => {
  it('旬 are the 1st–10th, 11th–20th and 21st–last; weeks Monday–Sunday; months whole', () => {
    expect(periodBounds('2026-02-05', 'tenDays')).toEqual({ start: '2026-02-01', end: '2026-02-10' });
    expect(periodBounds('2026-02-11', 'tenDays')).toEqual({ start: '2026-02-11', end: '2026-02-20' });
    expect(periodBounds('2026-02-28', 'tenDays')).toEqual({ start: '2026-02-21', end: '2026-02-28' });
    expect(periodBounds('2028-02-29', 'tenDays')).toEqual({ start: '2028-02-21', end: '2028-02-29' });
    expect(periodBounds('2026-10-31', 'tenDays')).toEqual({ start: '2026-10-21', end: '2026-10-31' });
    expect(periodBounds('2026-11-29', 'week')).toEqual({ start: '2026-11-23', end: '2026-11-29' }); // a Sunday
    expect(periodBounds('2026-11-30', 'week')).toEqual({ start: '2026-11-30', end: '2026-12-06' }); // a Monday
    expect(periodBounds('2026-04-15', 'month')).toEqual({ start: '2026-04-01', end: '2026-04-30' });
    expect(periodLabel({ start: '2026-10-11' }, 'tenDays')).toBe('10月中旬');
    expect(periodLabel({ start: '2026-10-21' }, 'tenDays')).toBe('10月下旬');
    expect(periodLabel({ start: '2026-11-30' }, 'week')).toBe('11月30日当周');
  });

  it('National Day 2026: the 上旬 is due on the adjusted working Saturday 10-10; 9月下旬 before the holiday', () => {
    // 10-01 … 10-07 off, Saturday 10-10 a working day (chinese-days).
    expect(due('2026-10-03', 'tenDays')).toBe('2026-10-10T18:00:00+08:00');
    expect(due('2026-09-25', 'tenDays')).toBe('2026-09-30T18:00:00+08:00');
    // October ends on a Saturday that is a rest day: the Friday before.
    expect(due('2026-10-15', 'month')).toBe('2026-10-30T18:00:00+08:00');
    // The National Day week (Monday 09-28 … Sunday 10-04) is due on its last working day, 09-30.
    expect(due('2026-10-02', 'week')).toBe('2026-09-30T18:00:00+08:00');
  });

  it('Spring Festival 2026: the 中旬 is due before the holiday (Saturday 02-14 works); a week with no working day owes nothing', () => {
    // 02-15 … 02-23 off; Saturdays 02-14 and 02-28 are working days.
    expect(due('2026-02-12', 'tenDays')).toBe('2026-02-14T18:00:00+08:00');
    expect(due('2026-02-25', 'tenDays')).toBe('2026-02-28T18:00:00+08:00');
    expect(due('2026-02-18', 'week')).toBeNull(); // Monday 02-16 … Sunday 02-22: all off
    const task = {
      every: 'week' as const,
      since: at('2026-02-02T09:00:00'),
      dueAt: null,
      closedAt: null,
    };
    const weeks = reportSchedule(task, at('2026-03-02T09:00:00'), cal, R, TZ).map((p) => iso(p.dueAt));
    expect(weeks).toEqual([
      '2026-02-06T18:00:00+08:00',
      '2026-02-14T18:00:00+08:00', // the working Saturday before the holiday
      // no report for the holiday week
      '2026-02-28T18:00:00+08:00',
      '2026-03-06T18:00:00+08:00', // the next one, not yet due
    ]);
  });
});

describe('a rhythm: which period each report answers', () => {
  const task = {
    every: 'month' as const,
    since: at('2026-01-05T10:00:00'),
    dueAt: at('2026-12-31T18:00:00'),
    closedAt: null,
  };
  it('on time, late (补报 fills the missed month first), missed', () => {
    const reports = [
      { at: at('2026-01-28T10:00:00'), note: '一月进展' }, // January, on time (due 01-30)
      { at: at('2026-03-03T10:00:00'), note: '二月进展' }, // February (due Saturday 02-28, a working day), late
      { at: at('2026-03-20T10:00:00'), note: '三月进展' }, // March, on time
    ];
    const s = rhythmOf(task, reports, at('2026-05-06T10:00:00'), cal, R, TZ);
    expect(s.periods.map((p) => [p.start, iso(p.dueAt), p.report?.note ?? null, p.late])).toEqual([
      ['2026-01-01', '2026-01-30T18:00:00+08:00', '一月进展', false],
      ['2026-02-01', '2026-02-28T18:00:00+08:00', '二月进展', true], // Saturday 02-28 works,
      ['2026-03-01', '2026-03-31T18:00:00+08:00', '三月进展', false],
      ['2026-04-01', '2026-04-30T18:00:00+08:00', null, false],
      ['2026-05-01', '2026-05-29T18:00:00+08:00', null, false],
    ]);
    expect(s).toMatchObject({ onTime: 2, late: 1, missed: 1 });
    expect(s.outstanding?.start).toBe('2026-04-01');
    expect(s.lastReport?.note).toBe('三月进展');
    expect(rhythmTextZh(s)).toBe('缺报1次、迟报1次');
    expect(rhythmTextZh({ missed: 0, late: 0 })).toBe('按时报送');
  });
  it('a task created close to its period end starts with the next period; none is due at or after its deadline', () => {
    const late = { ...task, since: at('2026-01-28T10:00:00'), dueAt: at('2026-03-31T18:00:00') };
    const s = reportSchedule(late, at('2026-12-01T10:00:00'), cal, R, TZ);
    // January is skipped (2 working days left); March's report would be due with the task itself.
    expect(s.map((p) => p.start)).toEqual(['2026-02-01']);
  });
  it('a closed task owes nothing after its closing', () => {
    const closed = { ...task, closedAt: at('2026-02-10T10:00:00') };
    const s = rhythmOf(closed, [], at('2026-06-01T10:00:00'), cal, R, TZ);
    expect(s.periods.map((p) => p.start)).toEqual(['2026-01-01']);
    expect(s.missed).toBe(1);
  });
});

describe('milestones and roll-up', () => {
  it('a milestone has its own light by its own deadline; a reached one has none', () => {
    const m = { title: '完成招标', dueAt: at('2026-03-31T18:00:00'), doneAt: null };
    expect(milestoneLight(m, at('2026-03-20T10:00:00'), cal, R, TZ)).toBe('green');
    expect(milestoneLight(m, at('2026-03-30T10:00:00'), cal, R, TZ)).toBe('yellow');
    expect(milestoneLight(m, at('2026-04-01T10:00:00'), cal, R, TZ)).toBe('red');
    expect(
      milestoneLight({ ...m, doneAt: at('2026-03-01T10:00:00') }, at('2026-04-01T10:00:00'), cal, R, TZ),
    ).toBeNull();
  });
  it('倒排工期: done, late (open past due or closed after it), cancelled not counted', () => {
    const now = at('2026-06-01T10:00:00');
    const d = (s: string) => at(`${s}T18:00:00`);
    const r = rollUp(
      [
        { status: 'done', dueAt: d('2026-05-01'), closedAt: d('2026-04-30') },
        { status: 'done', dueAt: d('2026-05-01'), closedAt: d('2026-05-02') }, // late
        { status: 'open', dueAt: d('2026-05-20'), closedAt: null }, // late
        { status: 'open', dueAt: d('2026-07-01'), closedAt: null },
        { status: 'cancelled', dueAt: d('2026-05-01'), closedAt: d('2026-04-01') },
      ],
      now,
    );
    expect(r).toEqual({ total: 4, done: 2, late: 2 });
    expect(rollUpTextZh(r)).toBe('4项子任务已办结2项，2项逾期');
  });
});
