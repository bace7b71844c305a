import { getPeople } from '../db/repos/people.js';
import type { Db } from '../db/schema.js';
import type { Shift } from '../domain/duty.js';
import { atLocal, formatZh, localDate, localTime } from '../domain/time.js';
import type { ShiftLine } from '../lark/cards/duty-cards.js';

/** Names by open_id (registered people; others show as 未登记人员). */
export async function dutyNames(
  db: Db,
  openIds: Array<string | null | undefined>,
): Promise<(id: string) => string> {
  const ids = [...new Set(openIds.filter((x): x is string => !!x))];
  const names = new Map((await getPeople(db, ids)).map((p) => [p.openId, p.name]));
  return (id: string) => names.get(id) ?? '未登记人员';
}

/** '10月1日（周四）' */
export function dateZh(date: string, timeZone: string): string {
  return formatZh(atLocal(date, '12:00', timeZone), timeZone, false);
}

/** '08:30—次日08:30' */
export function hoursZh(s: Pick<Shift, 'startsAt' | 'endsAt'>, timeZone: string): string {
  const nextDay = localDate(s.endsAt, timeZone) !== localDate(s.startsAt, timeZone);
  return `${localTime(s.startsAt, timeZone)}—${nextDay ? '次日' : ''}${localTime(s.endsAt, timeZone)}`;
}

export function shiftLine(
  date: string,
  shift: Shift | undefined,
  name: (id: string) => string,
  timeZone: string,
  recipient?: string,
): ShiftLine {
  if (!shift) return { date, dateZh: dateZh(date, timeZone), officers: [], leader: null, hours: '未安排' };
  return {
    date,
    dateZh: dateZh(date, timeZone),
    officers: shift.officers.map(name),
    leader: name(shift.leader),
    hours: hoursZh(shift, timeZone),
    mine: recipient !== undefined && (shift.officers.includes(recipient) || shift.leader === recipient),
  };
}
