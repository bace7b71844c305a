import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_RULES,
  inQuietHours,
  normaliseReminderRules,
  parseTimeOfDay,
  roundsToCron,
} from '../../src/domain/reminder-rules.js';

describe('reminder rules', () => {
  it('quiet hours may wrap midnight: start inclusive, end exclusive', () => {
    const q = { start: '22:00', end: '07:30' };
    expect(['22:00', '23:59', '00:00', '07:29'].map((t) => inQuietHours(t, q))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['07:30', '09:00', '21:59'].map((t) => inQuietHours(t, q))).toEqual([false, false, false]);
    expect(inQuietHours('13:00', { start: '12:00', end: '14:00' })).toBe(true);
    expect(inQuietHours('12:00', { start: '12:00', end: '12:00' })).toBe(false);
  });

  it('reads times as people type them, and refuses impossible ones', () => {
    expect(parseTimeOfDay('9:00')).toBe('09:00');
    expect(parseTimeOfDay(' 14：30 ')).toBe('14:30');
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('9点')).toBeNull();
    expect(parseTimeOfDay('09:60')).toBeNull();
  });

  it('turns rounds into one cron expression each', () => {
    expect(roundsToCron(['09:00', '14:30'])).toBe('0 9 * * *;30 14 * * *');
  });

  it('fills what is missing or broken in stored rules from the defaults', () => {
    expect(normaliseReminderRules(undefined)).toEqual(DEFAULT_REMINDER_RULES);
    expect(
      normaliseReminderRules({
        rounds: ['14:30', '08:45', '14:30'],
        escalateToChiefAfter: 2,
        quietHours: { start: '23:00' },
      }),
    ).toEqual({
      ...DEFAULT_REMINDER_RULES,
      rounds: ['08:45', '14:30'],
      escalateToChiefAfter: 2,
      quietHours: { start: '23:00', end: '07:30' },
    });
    expect(normaliseReminderRules({ rounds: ['25:00'] }).rounds).toEqual(['09:00', '14:30']);
  });
});
