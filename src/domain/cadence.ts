import type { WorkCalendar } from './calendar.js';
import { addDays, weekdayOf } from './time.js';

/**
 * When the chiefs' messages go out, in words: a daily time from a schedule's cron, and the
 * 通报's weekly and monthly cadence as admins type it (`每周一 09:00`, `每月1日 09:00`).
 */

/** 'M H * * *' expressions joined by ';' → ['08:30'], or null when the cron is anything else. */
export function dailyTimes(cron: string): string[] | null {
  const times: string[] = [];
  for (const expr of cron
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(expr);
    if (!m) return null;
    times.push(`${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')}`);
  }
  return times.length > 0 ? times.sort() : null;
}

/** 通报: a weekly one on the first working day from `weekday`, a monthly one from `monthDay`. */
export interface BulletinCadence {
  /** 1 = Monday … 7 = Sunday; null: no weekly bulletin. */
  weekday: number | null;
  /** 1–28; null: no monthly bulletin. */
  monthDay: number | null;
  /**
   * 季通报 / 年通报 (以月保季、以季保年): on the monthly bulletin's day of January, April, July and
   * October for the quarter before, and of January for the year before (on the 1st when there is
   * no monthly bulletin). Absent in a stored cadence: on.
   */
  quarterly?: boolean;
  yearly?: boolean;
}

export const DEFAULT_BULLETIN_CADENCE: BulletinCadence = {
  weekday: 1,
  monthDay: 1,
  quarterly: true,
  yearly: true,
};

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** '每周一' / '每周星期一' / '每月1日' / '每月1号' → one half of a cadence, or null. */
export function parseCadenceWord(text: string): Partial<BulletinCadence> | null {
  const t = text.normalize('NFKC').trim();
  let m = /^每周(?:星期|周)?([一二三四五六日天1-7])$/u.exec(t);
  if (m) {
    const w = m[1]!;
    const weekday = /\d/.test(w) ? Number(w) : w === '天' ? 7 : WEEKDAYS.indexOf(w) + 1;
    return { weekday };
  }
  m = /^每月(\d{1,2})[日号]$/u.exec(t);
  if (m) {
    const day = Number(m[1]);
    return day >= 1 && day <= 28 ? { monthDay: day } : null;
  }
  return null;
}

/** '每周一 09:00（周通报）、每月1日 09:00（月通报）', holidays moving it to the next working day. */
export function cadenceZh(c: BulletinCadence, time: string): string {
  const parts: string[] = [];
  if (c.weekday !== null) parts.push(`每周${WEEKDAYS[c.weekday - 1]} ${time}发周通报`);
  if (c.monthDay !== null) parts.push(`每月${c.monthDay}日 ${time}发月通报`);
  const extra: string[] = [];
  const on = c.monthDay === null ? `1日 ${time}` : '';
  if (c.quarterly !== false) extra.push(`1、4、7、10月${on}另发季通报`);
  if (c.yearly !== false) extra.push(`1月${on}另发年通报`);
  if (parts.length === 0 && extra.length === 0) return '不发送通报';
  return `${parts.join('，') || '不发周通报和月通报'}（${[...extra, '遇节假日顺延至下一个工作日'].join('；')}）`;
}

/** A 通报's period: whole local days [from, to). */
export interface BulletinPeriod {
  kind: 'week' | 'month' | 'quarter' | 'year';
  from: string;
  to: string;
}

/** The first working day on or after `date`. */
function firstWorkdayFrom(date: string, calendar: WorkCalendar): string {
  return calendar.isWorkday(date) ? date : calendar.nextWorkday(date);
}

/**
 * The 通报 due on `date`: the weekly one (for the previous Monday–Sunday) on the first working
 * day from the cadence's weekday, the monthly one (for the previous month) on the first working
 * day from its day of the month.
 */
export function bulletinsDue(
  date: string,
  calendar: WorkCalendar,
  cadence: BulletinCadence,
): BulletinPeriod[] {
  const out: BulletinPeriod[] = [];
  if (!calendar.isWorkday(date)) return out;
  if (cadence.weekday !== null) {
    const monday = addDays(date, -((weekdayOf(date) + 6) % 7));
    if (firstWorkdayFrom(addDays(monday, cadence.weekday - 1), calendar) === date)
      out.push({ kind: 'week', ...lastWeek(date) });
  }
  const monthly = `${date.slice(0, 8)}${String(cadence.monthDay ?? 1).padStart(2, '0')}`;
  const onMonthlyDay = firstWorkdayFrom(monthly, calendar) === date;
  if (cadence.monthDay !== null && onMonthlyDay) out.push({ kind: 'month', ...lastMonth(date) });
  const month = Number(date.slice(5, 7));
  if (cadence.quarterly !== false && onMonthlyDay && month % 3 === 1)
    out.push({ kind: 'quarter', ...lastQuarter(date) });
  if (cadence.yearly !== false && onMonthlyDay && month === 1) out.push({ kind: 'year', ...lastYear(date) });
  return out;
}

/** The Monday–Sunday before the week of `date`. */
export function lastWeek(date: string): { from: string; to: string } {
  const monday = addDays(date, -((weekdayOf(date) + 6) % 7));
  return { from: addDays(monday, -7), to: monday };
}

/** The calendar month before the month of `date`. */
export function lastMonth(date: string): { from: string; to: string } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const prev = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
  return { from: prev, to: `${date.slice(0, 7)}-01` };
}

/** The quarter before the quarter of `date`. */
export function lastQuarter(date: string): { from: string; to: string } {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  const first = (year: number, quarter: number) => `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
  return q === 0 ? { from: first(y - 1, 3), to: first(y, 0) } : { from: first(y, q - 1), to: first(y, q) };
}

/** The calendar year before the year of `date`. */
export function lastYear(date: string): { from: string; to: string } {
  const y = Number(date.slice(0, 4));
  return { from: `${y - 1}-01-01`, to: `${y}-01-01` };
}

/** The period before a period of the same kind (for the change since the last 通报). */
export function previousPeriod(p: BulletinPeriod): BulletinPeriod {
  const before = { week: lastWeek, month: lastMonth, quarter: lastQuarter, year: lastYear }[p.kind];
  return { kind: p.kind, ...before(p.from) };
}

const QUARTER_ZH = ['一', '二', '三', '四'];

/** '9月28日—10月4日' / '2026年9月' / '2026年第三季度' / '2026年' */
export function periodZh(p: BulletinPeriod): string {
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  const year = p.from.slice(0, 4);
  switch (p.kind) {
    case 'month':
      return `${year}年${Number(p.from.slice(5, 7))}月`;
    case 'quarter':
      return `${year}年第${QUARTER_ZH[Math.floor((Number(p.from.slice(5, 7)) - 1) / 3)]}季度`;
    case 'year':
      return `${year}年`;
    case 'week':
      return `${md(p.from)}—${md(addDays(p.to, -1))}`;
  }
}
