import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/commands.js';
import { resolveDate } from '../../src/lark/adapter/duty-command.js';

describe('duty chat commands', () => {
  it.each([
    ['值班', { type: 'duty' }],
    ['值班表', { type: 'duty-week' }],
    ['接班', { type: 'duty-handover' }],
    ['@_user_1 接班。', { type: 'duty-handover' }],
    ['值班日志 平安无事', { type: 'duty-log', text: '平安无事' }],
    ['值班日志平安无事', { type: 'duty-log', text: '平安无事' }],
    ['值班日志 21:40 接市应急局电话，已转告', { type: 'duty-log', text: '21:40 接市应急局电话，已转告' }],
    ['换班 10-03 @_user_1', { type: 'duty-swap', date: { month: 10, day: 3 } }],
    ['换班 10月3日 @_user_1', { type: 'duty-swap', date: { month: 10, day: 3 } }],
    ['换班 2026-10-03', { type: 'duty-swap', date: { year: 2026, month: 10, day: 3 } }],
    ['换班 明天 @_user_1', { type: 'duty-swap', date: { daysFromToday: 1 } }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('a duty command without what it needs gets its usage', () => {
    expect(parseCommand('值班日志')).toMatchObject({
      type: 'usage',
      command: 'duty-log',
      example: '值班日志 平安无事',
    });
    expect(parseCommand('换班 @_user_1')).toMatchObject({ type: 'usage', command: 'duty-swap' });
    expect(parseCommand('换班 13-40')).toMatchObject({ type: 'usage', problem: '「13-40」不是日期' });
  });

  it('a date without a year is the next such day', () => {
    expect(resolveDate({ month: 10, day: 3 }, '2026-09-30')).toBe('2026-10-03');
    expect(resolveDate({ month: 1, day: 2 }, '2026-12-30')).toBe('2027-01-02');
    expect(resolveDate({ daysFromToday: 2 }, '2026-09-30')).toBe('2026-10-02');
    expect(resolveDate({ month: 2, day: 30 }, '2026-01-01')).toBeNull();
  });
});
