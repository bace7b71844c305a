import { describe, expect, it } from 'vitest';
import {
  addDays,
  atLocal,
  formatZh,
  isValidDate,
  localDate,
  localTime,
  toZonedIso,
  weekdayOf,
} from '../../src/domain/time.js';

const TZ = 'Asia/Shanghai';

describe('office time zone helpers', () => {
  it('finds the local calendar day of an instant across midnight', () => {
    expect(localDate(new Date('2026-11-23T15:59:59Z'), TZ)).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-23T16:00:00Z'), TZ)).toBe('2026-11-24');
    expect(localTime(new Date('2026-11-23T16:05:00Z'), TZ)).toBe('00:05');
  });

  it('builds the instant of a wall-clock time', () => {
    expect(atLocal('2026-11-24', '18:00', TZ).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(atLocal('2026-03-08', '12:00', 'America/New_York').toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(atLocal('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it('prints ISO 8601 with the zone offset', () => {
    expect(toZonedIso(new Date('2026-11-24T10:00:00Z'), TZ)).toBe('2026-11-24T18:00:00+08:00');
    expect(toZonedIso(new Date('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(
      '2026-01-15T07:00:00-05:00',
    );
  });

  it('does date arithmetic on plain days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-11-24')).toBe(2);
  });

  it('rejects impossible dates', () => {
    expect(isValidDate('2026-02-28')).toBe(true);
    expect(isValidDate('2026-02-30')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('26-1-1')).toBe(false);
  });

  it('formats a deadline the way cards show it', () => {
    expect(formatZh(new Date('2026-11-24T10:00:00Z'), TZ)).toBe('11月24日（周二）18:00');
    expect(formatZh(new Date('2026-11-24T10:00:00Z'), TZ, false)).toBe('11月24日（周二）');
  });
});
