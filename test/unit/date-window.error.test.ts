import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { defaultDueAt } from '../../src/domain/deadlines.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/rules.js';
import { DateOutOfRangeError, isDayInWindow, isInstantInWindow } from '../../src/domain/time.js';

describe('the service years 2000–2100 in the domain', () => {
  const cal = createWorkCalendar();

  it('the window is 2000-01-01 to 2100-12-31 for days and UTC instants', () => {
    expect(isDayInWindow('2000-01-01')).toBe(true);
    expect(isDayInWindow('2100-12-31')).toBe(true);
    expect(isDayInWindow('1999-12-31')).toBe(false);
    expect(isDayInWindow('2101-01-01')).toBe(false);
    expect(isInstantInWindow(new Date('2100-12-31T23:59:59Z'))).toBe(true);
    expect(isInstantInWindow(new Date('2101-01-01T00:00:00Z'))).toBe(false);
    expect(isInstantInWindow(new Date('1999-12-31T23:59:59Z'))).toBe(false);
    expect(isInstantInWindow(new Date(Number.NaN))).toBe(false);
  });

  it('calendar functions refuse days outside the window with a DateOutOfRangeError', () => {
    expect(() => cal.isWorkday('9999-12-31')).toThrow(DateOutOfRangeError);
    expect(() => cal.addWorkdays('2100-12-31', 1)).toThrow(DateOutOfRangeError);
    expect(() => cal.workdaysBetween('1999-12-30', '2000-01-05')).toThrow(DateOutOfRangeError);
    // Not a date at all is still a plain RangeError, not a window error.
    expect(() => cal.isWorkday('2026-02-30')).toThrow(/not a calendar date/);
    expect(cal.addWorkdays('2100-12-30', 1)).toBe('2100-12-31');
  });

  it('deadlines refuse instants outside the window with a DateOutOfRangeError', () => {
    const tz = 'Asia/Shanghai';
    for (const receivedAt of [new Date('9999-12-31T00:00:00Z'), new Date('0001-01-01T00:00:00Z')]) {
      expect(() =>
        defaultDueAt({ kind: 'document', docType: 'normal', receivedAt }, DEFAULT_DEADLINE_RULES, cal, tz),
      ).toThrow(DateOutOfRangeError);
    }
  });
});
