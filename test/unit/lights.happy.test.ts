import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { deadlineTextZh, lightOf, workdaysLeft, workdaysOverdue } from '../../src/domain/lights.js';
import { DEFAULT_DEADLINE_RULES as R } from '../../src/domain/rules.js';

const TZ = 'Asia/Shanghai';
const cal = createWorkCalendar();
const at = (s: string) => new Date(s);
const open = (dueAt: string | null) => ({ status: 'open' as const, dueAt: dueAt ? at(dueAt) : null });
const light = (dueAt: string | null, now: string, rules = R) => lightOf(open(dueAt), at(now), cal, rules, TZ);

describe('traffic lights at their boundaries', () => {
  const dueWed = '2026-11-25T18:00:00+08:00';
  it('green while more than one working day is left', () => {
    expect(light(dueWed, '2026-11-23T23:59:59+08:00')).toBe('green');
  });
  it('yellow from the start of the last working day before the deadline', () => {
    expect(light(dueWed, '2026-11-24T00:00:00+08:00')).toBe('yellow');
    expect(light(dueWed, '2026-11-25T17:59:59+08:00')).toBe('yellow');
  });
  it('still yellow at the deadline itself, red one second after', () => {
    expect(light(dueWed, '2026-11-25T18:00:00+08:00')).toBe('yellow');
    expect(light(dueWed, '2026-11-25T18:00:01+08:00')).toBe('red');
  });
  it('counts working days, not calendar days: due Monday is already yellow on Friday', () => {
    expect(light('2026-11-30T18:00:00+08:00', '2026-11-27T10:00:00+08:00')).toBe('yellow');
    expect(light('2026-12-01T18:00:00+08:00', '2026-11-28T23:00:00+08:00')).toBe('green'); // Mon+Tue left
    expect(light('2026-12-01T18:00:00+08:00', '2026-11-30T00:00:00+08:00')).toBe('yellow');
  });
  it('across National Day: due 8 Oct is yellow from 1 Oct, green on 29 Sep', () => {
    expect(light('2026-10-08T18:00:00+08:00', '2026-09-29T10:00:00+08:00')).toBe('green');
    expect(light('2026-10-08T18:00:00+08:00', '2026-09-30T00:00:00+08:00')).toBe('yellow');
  });
  it('yellowWithinWorkdays is configurable', () => {
    expect(light(dueWed, '2026-11-23T10:00:00+08:00', { ...R, yellowWithinWorkdays: 2 })).toBe('yellow');
    expect(light(dueWed, '2026-11-24T10:00:00+08:00', { ...R, yellowWithinWorkdays: 0 })).toBe('green');
    expect(light(dueWed, '2026-11-25T10:00:00+08:00', { ...R, yellowWithinWorkdays: 0 })).toBe('yellow');
  });
  it('closed items and items without a deadline are green', () => {
    expect(lightOf({ status: 'done', dueAt: at(dueWed) }, at('2026-12-01T00:00:00Z'), cal, R, TZ)).toBe(
      'green',
    );
    expect(light(null, '2026-12-01T00:00:00Z')).toBe('green');
  });
});

describe('working days left and overdue', () => {
  it('counts them for texts', () => {
    const d = at('2026-11-25T18:00:00+08:00');
    expect(workdaysLeft(d, at('2026-11-24T09:00:00+08:00'), cal, TZ)).toBe(1);
    expect(deadlineTextZh(d, at('2026-11-24T09:00:00+08:00'), cal, TZ)).toBe('剩余1个工作日');
    expect(deadlineTextZh(d, at('2026-11-25T09:00:00+08:00'), cal, TZ)).toBe('今日到期');
    expect(deadlineTextZh(d, at('2026-11-25T19:00:00+08:00'), cal, TZ)).toBe('今日已逾期');
    expect(workdaysOverdue(d, at('2026-11-27T09:00:00+08:00'), cal, TZ)).toBe(2);
    expect(deadlineTextZh(d, at('2026-11-27T09:00:00+08:00'), cal, TZ)).toBe('已逾期2个工作日');
    expect(workdaysOverdue(d, at('2026-11-25T17:00:00+08:00'), cal, TZ)).toBe(0);
  });
});
