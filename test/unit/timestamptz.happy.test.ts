import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastTimestamptzParser } from '../../src/db/timestamptz.js';

// node-postgres's own parser (pg-types → postgres-date): the reference.
const postgresDate = createRequire(import.meta.url)('postgres-date') as (text: string) => unknown;
const parse = fastTimestamptzParser(postgresDate);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant written as Postgres writes a timestamptz in a session with the given offset. */
function asPostgresWrites(t: number, offsetMinutes: number, fraction: string): string {
  const d = new Date(t + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${pad(Math.floor(abs / 60))}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}${zone}`;
}

describe('reading timestamptz (character codes, postgres-date for the rest)', () => {
  it('reads every canonical value to the same instant as postgres-date', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(0, 480, -300, 345, 330, -210, 765, -570),
        fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,6}$/)),
        (t, offset, fraction) => {
          const text = asPostgresWrites(t, offset, fraction);
          expect((parse(text) as Date).getTime()).toBe((postgresDate(text) as Date).getTime());
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('hands the unusual shapes to postgres-date unchanged', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0099-01-01 00:00:00+00',
      '12026-01-01 00:00:00+00',
      '2026-01-01 00:00:00+00 BC',
      '2026-01-01 00:00:00+05:30:15',
    ])
      expect(parse(text)).toEqual(postgresDate(text));
  });

  it('reads a deadline as the instant it is', () => {
    expect((parse('2026-11-24 10:00:00+00') as Date).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect((parse('2026-11-24 18:00:00.5+08') as Date).toISOString()).toBe('2026-11-24T10:00:00.500Z');
  });
});
