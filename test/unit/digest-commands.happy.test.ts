import { describe, expect, it } from 'vitest';
import {
  bulletinsDue,
  cadenceZh,
  DEFAULT_BULLETIN_CADENCE,
  dailyTimes,
  parseCadenceWord,
  periodZh,
} from '../../src/domain/cadence.js';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { parseCommand } from '../../src/domain/commands.js';

describe('简报 commands and cadences in words', () => {
  it('parses 简报, 简报 关闭 / 开启 and refuses anything else with its usage', () => {
    expect(parseCommand('简报')).toEqual({ type: 'digest' });
    expect(parseCommand('@_user_1 简报')).toEqual({ type: 'digest' });
    expect(parseCommand('简报 关闭')).toEqual({ type: 'digest-subscription', on: false });
    expect(parseCommand('简报关闭')).toEqual({ type: 'digest-subscription', on: false });
    expect(parseCommand('digest off')).toEqual({ type: 'digest-subscription', on: false });
    expect(parseCommand('简报 开启')).toEqual({ type: 'digest-subscription', on: true });
    expect(parseCommand('简报 明天')).toMatchObject({
      type: 'usage',
      command: 'digest',
      example: '简报 关闭',
    });
    expect(parseCommand('简抱')).toMatchObject({ type: 'unknown', suggestion: '简报' });
    // The admins' schedule command stays theirs.
    expect(parseCommand('设置 日报 08:45')).toEqual({ type: 'admin-setting', text: '设置 日报 08:45' });
  });

  it('reads daily times from a cron and 通报 cadences from words', () => {
    expect(dailyTimes('45 8 * * *')).toEqual(['08:45']);
    expect(dailyTimes('0 9 * * *;30 14 * * *')).toEqual(['09:00', '14:30']);
    expect(dailyTimes('0 9 * * 1')).toBeNull();
    expect(parseCadenceWord('每周一')).toEqual({ weekday: 1 });
    expect(parseCadenceWord('每周星期五')).toEqual({ weekday: 5 });
    expect(parseCadenceWord('每月1日')).toEqual({ monthDay: 1 });
    expect(parseCadenceWord('每月１５号')).toEqual({ monthDay: 15 });
    expect(parseCadenceWord('每月31日')).toBeNull();
    expect(parseCadenceWord('每天')).toBeNull();
    expect(bulletinsDue('2026-10-08', createWorkCalendar(), DEFAULT_BULLETIN_CADENCE)).toEqual([
      { kind: 'week', from: '2026-09-28', to: '2026-10-05' },
      { kind: 'month', from: '2026-09-01', to: '2026-10-01' },
      { kind: 'quarter', from: '2026-07-01', to: '2026-10-01' },
    ]);
    // New Year's Day 2026 is a holiday: January's 通报 go out on the first working day after it.
    const firstOf2026 = createWorkCalendar().nextWorkday('2026-01-01');
    expect(bulletinsDue(firstOf2026, createWorkCalendar(), { weekday: null, monthDay: 1 })).toEqual([
      { kind: 'month', from: '2025-12-01', to: '2026-01-01' },
      { kind: 'quarter', from: '2025-10-01', to: '2026-01-01' },
      { kind: 'year', from: '2025-01-01', to: '2026-01-01' },
    ]);
    const plain = { weekday: null, monthDay: 1, quarterly: false, yearly: false };
    expect(bulletinsDue(firstOf2026, createWorkCalendar(), plain)).toEqual([
      { kind: 'month', from: '2025-12-01', to: '2026-01-01' },
    ]);
    expect(periodZh({ kind: 'quarter', from: '2026-07-01', to: '2026-10-01' })).toBe('2026年第三季度');
    expect(cadenceZh({ weekday: 1, monthDay: 1 }, '09:00')).toBe(
      '每周一 09:00发周通报，每月1日 09:00发月通报（1、4、7、10月另发季通报；1月另发年通报；遇节假日顺延至下一个工作日）',
    );
  });
});
