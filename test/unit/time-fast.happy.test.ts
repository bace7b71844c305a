import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intlParts, localParts } from '../../src/domain/time.js';

/**
 * localParts shifts instants by a zone offset cached per UTC quarter hour instead of asking Intl
 * every time: it must answer exactly what Intl answers, in zones with and without daylight saving,
 * with half- and quarter-hour offsets, across the service's years and right at the changes.
 */
const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
];
const FROM = Date.UTC(2000, 0, 1);
const UNTIL = Date.UTC(2101, 0, 1);

describe('localParts (cached zone offsets)', () => {
  it('answers what Intl answers for any instant of 2000–2100 in any of these zones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FROM - 86_400_000, max: UNTIL + 86_400_000 }),
        fc.constantFrom(...ZONES),
        (t, tz) => {
          expect(localParts(new Date(t), tz)).toEqual(intlParts(new Date(t), tz));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers what Intl answers minute by minute around every offset change of 2026', () => {
    for (const tz of ZONES) {
      const offset = (t: number) => {
        const p = intlParts(new Date(t), tz);
        return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
      };
      for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
        if (offset(day) === offset(day + 86_400_000)) continue;
        for (let t = day; t <= day + 86_400_000; t += 60_000) {
          for (const at of [t - 1, t, t + 1])
            expect(localParts(new Date(at), tz)).toEqual(intlParts(new Date(at), tz));
        }
      }
    }
  });

  it('gives the same weekday, date string and time fields as before (a known instant)', () => {
    expect(localParts(new Date('2026-11-24T18:00:00+08:00'), 'Asia/Shanghai')).toEqual({
      date: '2026-11-24',
      year: 2026,
      month: 11,
      day: 24,
      hour: 18,
      minute: 0,
      second: 0,
      weekday: 2,
    });
  });
});
