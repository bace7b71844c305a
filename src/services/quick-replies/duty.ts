import type { CardJson } from '../../cards/common.js';
import { dutyCard } from '../../cards/notice-card.js';
import { getDutyDay } from '../../db/repos/duty.js';
import type { Db } from '../../db/schema.js';
import { formatZh, localDate } from '../../domain/time.js';
import { namesOf, type ViewContext } from './item-view.js';

/** 值班: today's duty officer and leader on duty, by name. */
export async function dutyCardToday(db: Db, ctx: ViewContext): Promise<CardJson> {
  const day = await getDutyDay(db, localDate(ctx.now, ctx.timeZone));
  const names = await namesOf(db, [day?.officer, day?.leader]);
  return dutyCard({
    dateZh: formatZh(ctx.now, ctx.timeZone, false),
    officer: day ? (names[day.officer] ?? '未登记人员') : null,
    leader: day ? (names[day.leader] ?? '未登记人员') : null,
    note: day?.note ?? null,
  });
}
