import { listChiefs, setDigestOff } from '../db/repos/figures.js';
import type { Deps } from '../deps.js';
import { dailyTimes } from '../domain/cadence.js';
import { formatZh, localDate } from '../domain/time.js';
import type { CardJson } from '../lark/cards/common.js';
import { digestTitle } from '../lark/cards/report/digest-card.js';
import { enqueueOutbox, outboxKey } from '../lark/outbox/enqueue.js';
import { getSchedule } from '../platform/scheduler/schedules.js';
import { loadWorkCalendar } from '../settings/calendar.js';
import { loadDeadlineRules } from '../settings/rules.js';
import {
  type DigestReader,
  digestMessage,
  digestViewFor,
  type FigureContext,
  loadDigestData,
} from './digest.js';

export const DIGEST_PURPOSE = 'digest';
/** 08:30 every day; the round itself sends nothing on a day off. */
export const DIGEST_DEFAULT_CRON = '30 8 * * *';

async function figureContext(deps: Deps, now: Date): Promise<FigureContext> {
  const { db } = deps.database;
  const [calendar, rules] = await Promise.all([loadWorkCalendar(db), loadDeadlineRules(db)]);
  return { now, calendar, rules, timeZone: deps.config.timezone };
}

/**
 * The daily digest round: on a working day, one direct message to every chief who has not
 * turned it off — a card, or one line when there is nothing to report. One per person per day
 * (the outbox key is the day and the person), all enqueued in one transaction.
 */
export async function runDigestRound(
  deps: Deps,
  at: Date,
): Promise<{ sent: number; skipped: number; readers?: number; optedOut?: number; note?: string }> {
  const ctx = await figureContext(deps, at);
  const today = localDate(at, ctx.timeZone);
  if (!ctx.calendar.isWorkday(today)) return { sent: 0, skipped: 0, note: `${today} 非工作日，不发送简报` };
  const { db } = deps.database;
  const data = await loadDigestData(db, ctx);
  const readers = data.readers.filter((r) => !r.digestOff);
  let sent = 0;
  let skipped = 0;
  await db.transaction().execute(async (trx) => {
    for (const reader of readers) {
      const message = digestMessage(digestViewFor(data, reader, ctx));
      const { inserted } = await enqueueOutbox(trx, {
        uuid: outboxKey(DIGEST_PURPOSE, today, reader.openId),
        operation: 'send',
        receiveIdType: 'open_id',
        receiveId: reader.openId,
        msgType: 'card' in message ? 'interactive' : 'text',
        content: 'card' in message ? message.card : message,
        purpose: DIGEST_PURPOSE,
        now: deps.clock.now(),
      });
      if (inserted) sent++;
      else skipped++;
    }
  });
  return { sent, skipped, readers: readers.length, optedOut: data.readers.length - readers.length };
}

/**
 * 简报 in chat: the asker's digest as of now (even when they turned the daily one off), or a
 * sentence saying who receives digests.
 */
export async function digestForPerson(deps: Deps, openId: string): Promise<CardJson | { text: string }> {
  const { db } = deps.database;
  const chief = (await listChiefs(db)).find((c) => c.openId === openId);
  const now = deps.clock.now();
  if (!chief)
    return {
      text: `${digestTitle(formatZh(now, deps.config.timezone, false))}仅发送给处室负责人和办公厅领导。查看本人事项请回复「待办」。`,
    };
  const ctx = await figureContext(deps, now);
  const data = await loadDigestData(db, ctx);
  const reader: DigestReader = { openId, dept: chief.isTop ? null : chief.dept, digestOff: chief.digestOff };
  const message = digestMessage(digestViewFor(data, reader, ctx));
  return 'card' in message ? message.card : message;
}

/** 简报 关闭 / 简报 开启: whether this person gets the daily digest; the answer says what now happens. */
export async function setDigestSubscription(deps: Deps, openId: string, on: boolean): Promise<string> {
  const { db } = deps.database;
  const chief = (await listChiefs(db)).find((c) => c.openId === openId);
  if (!chief) return '每日督办简报仅发送给处室负责人和办公厅领导。查看本人事项请回复「待办」。';
  await setDigestOff(db, openId, !on, deps.clock.now());
  if (!on)
    return '已关闭每日督办简报，今后不再发送。需要时回复「简报」即可查看，回复「简报 开启」恢复每日发送。';
  const schedule = await getSchedule(db, 'digest', DIGEST_DEFAULT_CRON);
  const times = dailyTimes(schedule.cron);
  const when = times ? `每个工作日 ${times.join('、')} ` : `按计划（${schedule.cron}）在工作日`;
  const paused = schedule.enabled ? '' : '（管理员已暂停简报，恢复后发送）';
  return `已开启每日督办简报：${when}发送${paused}。`;
}
