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
}

export const DEFAULT_BULLETIN_CADENCE: BulletinCadence = { weekday: 1, monthDay: 1 };

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
  if (parts.length === 0) return '不发送通报';
  return `${parts.join('，')}（遇节假日顺延至下一个工作日）`;
}
