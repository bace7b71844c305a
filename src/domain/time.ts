/**
 * Wall-clock arithmetic in the office's time zone, with no library: instants are `Date`s, calendar
 * days are 'YYYY-MM-DD' strings, times of day are 'HH:mm'.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * The wall clock of an instant in a time zone. Intl formats about 5–20 µs a call, which planning a
 * round over 100,000 items would pay many times; so the zone's offset is asked of Intl once per
 * quarter of an hour of UTC time and cached, and the wall clock is the instant shifted by it. In
 * the years the service works in (2000–2100) every zone's offset is a whole number of quarter
 * hours and changes at a wall-clock time on a quarter hour, so it changes only on a UTC quarter
 * hour: the result is exactly Intl's (test/unit/time-fast.happy.test.ts checks this on random
 * instants in several zones). Other instants go to Intl directly.
 */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const t = instant.getTime();
  if (!(t >= FAST_FROM_MS && t < FAST_UNTIL_MS)) return intlParts(instant, timeZone);
  const shifted = new Date(t + zoneOffsetMs(t, timeZone));
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    date: `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`,
    year,
    month,
    day,
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

const QUARTER_HOUR_MS = 15 * 60_000;
/** 2000-01-02 to 2100-12-30 UTC: inside the service's years whatever the zone. */
const FAST_FROM_MS = Date.UTC(2000, 0, 2);
const FAST_UNTIL_MS = Date.UTC(2100, 11, 30);
/** Zone → UTC quarter hour → the zone's offset then (ms); forgotten past this many entries. */
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_CACHE_MAX = 100_000;

function zoneOffsetMs(t: number, timeZone: string): number {
  let byQuarter = offsetCache.get(timeZone);
  if (!byQuarter) {
    byQuarter = new Map();
    offsetCache.set(timeZone, byQuarter);
  }
  const quarter = Math.floor(t / QUARTER_HOUR_MS);
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    if (byQuarter.size >= OFFSET_CACHE_MAX) byQuarter.clear();
    const start = quarter * QUARTER_HOUR_MS;
    const p = intlParts(new Date(start), timeZone);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
    byQuarter.set(quarter, offset);
  }
  return offset;
}

/** The wall clock as Intl formats it (the reference for the cached path above). */
export function intlParts(instant: Date, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) p[part.type] = part.value;
  const year = Number(p.year);
  const month = Number(p.month);
  const day = Number(p.day);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    year,
    month,
    day,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS.indexOf(p.weekday ?? ''),
  };
}

/** The calendar day ('YYYY-MM-DD') of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return localParts(instant, timeZone).date;
}

/** 'HH:mm' of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The instant at which the clock on the wall in `timeZone` reads `date` `time` ('HH:mm' or 'HH:mm:ss'). */
export function atLocal(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, s = 0] = time.split(':').map(Number) as [number, number, number?];
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  // Correct by the zone's offset at that moment; twice, in case the first guess crossed a DST change.
  let instant = guess - offsetMs(new Date(guess), timeZone);
  instant = guess - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function offsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** ISO 8601 with the zone's offset, e.g. 2026-11-24T18:00:00+08:00 — how the API shows instants. */
export function toZonedIso(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const off = offsetMs(instant, timeZone) / 60000;
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.date}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Adds calendar days to a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, for a 'YYYY-MM-DD' date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Whether a string is a real calendar date in 'YYYY-MM-DD' form (rejects 2026-02-30). */
export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** '11月24日（周二）18:00' — how cards show a deadline. */
export function formatZh(instant: Date, timeZone: string, withTime = true): string {
  const p = localParts(instant, timeZone);
  const base = `${p.month}月${p.day}日（${WEEKDAY_ZH[p.weekday]}）`;
  return withTime ? `${base}${localTime(instant, timeZone)}` : base;
}

/**
 * The years the service works in. Dates and instants outside them are refused at the edge (API
 * fields, chat commands) and by the domain functions that take dates, with a DateOutOfRangeError.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** A date or instant outside FIRST_YEAR–LAST_YEAR reached a domain function; handlers answer 422. */
export class DateOutOfRangeError extends RangeError {
  constructor(readonly value: string) {
    super(`${value} is outside the years ${FIRST_YEAR}–${LAST_YEAR}`);
    this.name = 'DateOutOfRangeError';
  }
}

/** Whether a 'YYYY-MM-DD' day lies in FIRST_YEAR–LAST_YEAR (its form is checked by isValidDate). */
export function isDayInWindow(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return /^\d{4}-/.test(date) && year >= FIRST_YEAR && year <= LAST_YEAR;
}

/** Whether an instant lies in FIRST_YEAR–LAST_YEAR (UTC years: 2000-01-01T00:00Z to 2100-12-31T23:59:59Z). */
export function isInstantInWindow(instant: Date): boolean {
  const t = instant.getTime();
  if (Number.isNaN(t)) return false;
  const year = instant.getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

export function assertDayInWindow(date: string): void {
  if (!isDayInWindow(date)) throw new DateOutOfRangeError(date);
}

export function assertInstantInWindow(instant: Date): void {
  if (!isInstantInWindow(instant))
    throw new DateOutOfRangeError(Number.isNaN(instant.getTime()) ? 'Invalid Date' : instant.toISOString());
}

/** Whether 'HH:mm' (or 'HH:mm:ss') is a time of day that exists: 00:00–23:59. */
export function isValidTime(time: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(time);
}

export type OfficeTimeParse = { ok: true; instant: Date } | { ok: false; problem: string };

/**
 * A date and time as an office types it, read strictly: `YYYY-MM-DD` (at `dayTime`),
 * `YYYY-MM-DD HH:mm` or `YYYY/MM/DD HH:mm` in the office's time zone, or ISO 8601 with an
 * offset. An impossible date (2026-13-01, 2026-02-30) or time (25:99) is a problem, never rolled
 * over to the next month or day as Date arithmetic would; null when the text has none of these
 * shapes.
 */
export function parseOfficeTime(text: string, dayTime: string, timeZone: string): OfficeTimeParse | null {
  const m =
    /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      text.trim(),
    );
  if (!m) return null;
  const [, y, mo, d, time, offset] = m as unknown as [string, string, string, string, string?, string?];
  const date = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (!isValidDate(date)) return { ok: false, problem: `${text.trim()}: not a real date (YYYY-MM-DD)` };
  const hhmmss = (time ?? dayTime).replace(/\.\d+$/, '').padStart(5, '0');
  if (!isValidTime(hhmmss)) return { ok: false, problem: `${text.trim()}: not a time of day (00:00–23:59)` };
  let instant: Date;
  if (offset) {
    const o = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
    if (o && (Number(o[2]) > 14 || Number(o[3]) > 59))
      return { ok: false, problem: `${text.trim()}: not a time-zone offset` };
    instant = new Date(
      `${date}T${hhmmss.length === 5 ? `${hhmmss}:00` : hhmmss}${offset === 'Z' ? 'Z' : `${o?.[1]}${o?.[2]}:${o?.[3]}`}`,
    );
  } else instant = atLocal(date, hhmmss, timeZone);
  if (Number.isNaN(instant.getTime())) return { ok: false, problem: `${text.trim()}: not a date and time` };
  return { ok: true, instant };
}
