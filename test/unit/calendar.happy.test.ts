import { describe, expect, it } from 'vitest';
import { createWorkCalendar, hasOfficialData, officialDayName } from '../../src/domain/calendar.js';

const cal = createWorkCalendar();

describe('the official working-day calendar (2026)', () => {
  it('knows 2026 and not 2027', () => {
    expect(hasOfficialData(2026)).toBe(true);
    expect(cal.hasOfficialData(2026)).toBe(true);
    expect(hasOfficialData(2027)).toBe(false);
  });

  it('National Day: 1–7 Oct off, Sun 20 Sep and Sat 10 Oct are adjusted working days', () => {
    for (let d = 1; d <= 7; d++) expect(cal.isWorkday(`2026-10-0${d}`)).toBe(false);
    expect(cal.isWorkday('2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkday('2026-10-11')).toBe(false); // ordinary Sunday
    expect(cal.isWorkday('2026-09-30')).toBe(true);
    expect(cal.isWorkday('2026-10-08')).toBe(true);
    expect(officialDayName('2026-10-01')).toBe('国庆节');
  });

  it('Spring Festival: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb are working days', () => {
    for (let d = 15; d <= 23; d++) expect(cal.isWorkday(`2026-02-${d}`)).toBe(false);
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true);
    expect(cal.isWorkday('2026-02-24')).toBe(true);
  });

  it('adds working days across National Day, including the adjusted Saturday', () => {
    expect(cal.nextWorkday('2026-09-30')).toBe('2026-10-08');
    expect(cal.addWorkdays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkdays('2026-09-30', 3)).toBe('2026-10-10'); // 8 Thu, 9 Fri, 10 Sat (调休)
    expect(cal.addWorkdays('2026-09-30', 4)).toBe('2026-10-12');
    expect(cal.addWorkdays('2026-10-12', -4)).toBe('2026-09-30');
    expect(cal.previousWorkday('2026-10-08')).toBe('2026-09-30');
  });

  it('adds working days across the Spring Festival', () => {
    expect(cal.addWorkdays('2026-02-13', 1)).toBe('2026-02-14'); // Friday → working Saturday
    expect(cal.addWorkdays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkdays('2026-02-27', 1)).toBe('2026-02-28');
  });

  it('n = 0 is the day itself when it is a working day, else the next working day', () => {
    expect(cal.addWorkdays('2026-11-23', 0)).toBe('2026-11-23');
    expect(cal.addWorkdays('2026-10-03', 0)).toBe('2026-10-08');
  });

  it('counts working days strictly after from up to and including to, negative backwards', () => {
    expect(cal.workdaysBetween('2026-09-30', '2026-10-08')).toBe(1);
    expect(cal.workdaysBetween('2026-09-30', '2026-10-12')).toBe(4);
    expect(cal.workdaysBetween('2026-10-12', '2026-09-30')).toBe(-4);
    expect(cal.workdaysBetween('2026-11-23', '2026-11-23')).toBe(0);
    expect(cal.workdaysBetween('2026-11-20', '2026-11-23')).toBe(1);
  });

  it('falls back to Monday–Friday for a year without official data, and says so', () => {
    expect(cal.isWorkday('2027-01-01')).toBe(true); // a Friday; the real 元旦 is unknown
    expect(cal.isWorkday('2027-01-02')).toBe(false);
    expect(cal.sourceOf('2027-01-01')).toBe('fallback');
    expect(cal.sourceOf('2026-01-01')).toBe('official');
    expect(cal.addWorkdays('2026-12-31', 1)).toBe('2027-01-01');
    expect(officialDayName('2027-10-01')).toBeNull();
  });

  it('lets overrides win over both the official data and the fall-back', () => {
    const o = createWorkCalendar(
      new Map([
        ['2027-01-01', false],
        ['2026-10-05', true],
        ['2026-11-23', false],
      ]),
    );
    expect(o.isWorkday('2027-01-01')).toBe(false);
    expect(o.sourceOf('2027-01-01')).toBe('override');
    expect(o.isWorkday('2026-10-05')).toBe(true);
    expect(o.addWorkdays('2026-09-30', 1)).toBe('2026-10-05');
    expect(o.addWorkdays('2026-11-20', 1)).toBe('2026-11-24');
    expect(o.addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('refuses impossible dates instead of guessing', () => {
    expect(() => cal.isWorkday('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => cal.addWorkdays('2026-13-01', 1)).toThrow();
  });
});
