import type { Deps } from '../../deps.js';
import type { Command, DutyDateText } from '../../domain/commands.js';
import { currentShift, weekOf } from '../../domain/duty.js';
import { addDays, isValidDate, localDate, localParts } from '../../domain/time.js';
import { confirmShift, shiftsOf } from '../../duty/confirm-shift.js';
import { writeDutyLog } from '../../duty/duty.js';
import { requestSwap } from '../../duty/swaps.js';
import { dateZh, dutyNames, shiftLine } from '../../duty/view.js';
import type { CardJson } from '../cards/common.js';
import { dutyRosterCard } from '../cards/duty-cards.js';
import { dutyCard } from '../cards/notice-card.js';
import type { InboundEvent } from '../events.js';

type MessageEvent = Extract<InboundEvent, { type: 'message' }>;
type DutyCommand = Extract<
  Command,
  { type: 'duty' | 'duty-week' | 'duty-swap' | 'duty-handover' | 'duty-log' }
>;
type Reply = { content: CardJson | { text: string }; purpose: string };

/** 值班, 值班表, 换班, 接班, 值班日志 typed to the bot. */
export async function answerDutyCommand(
  deps: Deps,
  event: MessageEvent,
  command: DutyCommand,
): Promise<Reply> {
  const by = event.senderOpenId;
  const text = (t: string, purpose = 'duty'): Reply => ({ content: { text: t }, purpose });
  switch (command.type) {
    case 'duty':
      return { content: await todayAndTomorrow(deps), purpose: 'duty' };
    case 'duty-week':
      return { content: await thisWeek(deps, by), purpose: 'duty' };
    case 'duty-handover': {
      const outcome = await confirmShift(deps, { by, via: 'command' });
      return text(outcome.message, outcome.ok ? 'duty' : 'command-refused');
    }
    case 'duty-log': {
      const shift = await logShiftOf(deps, by);
      if (!shift) return text('您近7日没有值班班次，无需填报值班日志', 'command-refused');
      await writeDutyLog(deps, { date: shift, by, entry: command.text, via: 'command' });
      return text(`已记入${dateZh(shift, deps.config.timezone)}值班日志：${command.text}`);
    }
    case 'duty-swap': {
      const colleague = event.mentions.find((m) => m.openId && !isBot(event, m.key) && m.openId !== by);
      if (!colleague) return text('请@接替您值班的同事，如：换班 10-03 @李四', 'command-refused');
      const date = resolveDate(command.date, localDate(deps.clock.now(), deps.config.timezone));
      if (!date) return text('日期不对，请写成 10-03 或 2026-10-03', 'command-refused');
      const outcome = await requestSwap(deps, { date, from: by, to: colleague.openId, via: 'command' });
      return text(outcome.message, outcome.ok ? 'duty' : 'command-refused');
    }
  }
}

function isBot(event: MessageEvent, key: string): boolean {
  // The bot is @-mentioned first in a group; an ordinary colleague is any other mention.
  return event.chatType === 'group' && event.mentionsBot && key === event.mentions[0]?.key;
}

/** A typed date: a month and day without a year is the next such day from today on. */
export function resolveDate(d: DutyDateText, today: string): string | null {
  if ('daysFromToday' in d) return addDays(today, d.daysFromToday);
  const pad = (n: number) => String(n).padStart(2, '0');
  const year = d.year ?? Number(today.slice(0, 4));
  let date = `${year}-${pad(d.month)}-${pad(d.day)}`;
  if (d.year === undefined && date < today) date = `${year + 1}-${pad(d.month)}-${pad(d.day)}`;
  return isValidDate(date) ? date : null;
}

async function todayAndTomorrow(deps: Deps): Promise<CardJson> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const today = localDate(deps.clock.now(), tz);
  const shifts = await shiftsOf(db, tz, today, addDays(today, 1));
  const name = await dutyNames(
    db,
    shifts.flatMap((s) => [...s.officers, s.leader]),
  );
  const [t, m] = [today, addDays(today, 1)].map((d) => shifts.find((s) => s.date === d));
  return dutyCard({
    dateZh: dateZh(today, tz),
    officer: t ? t.officers.map(name).join('、') : null,
    leader: t ? name(t.leader) : null,
    note: t?.day.note ?? null,
    tomorrow: m ? `${m.officers.map(name).join('、')}（带班：${name(m.leader)}）` : '未安排',
  });
}

async function thisWeek(deps: Deps, by: string): Promise<CardJson> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const now = deps.clock.now();
  const days = weekOf(localDate(now, tz), localParts(now, tz).weekday);
  const shifts = await shiftsOf(db, tz, days[0]!, days[6]!);
  const name = await dutyNames(
    db,
    shifts.flatMap((s) => [...s.officers, s.leader]),
  );
  return dutyRosterCard({
    title: `【本周值班】${dateZh(days[0]!, tz)}至${dateZh(days[6]!, tz)}`,
    shifts: days.map((d) =>
      shiftLine(
        d,
        shifts.find((s) => s.date === d),
        name,
        tz,
        by,
      ),
    ),
    footer: '加粗为您的班次 · 回复「换班 日期 @同事」申请换班',
  });
}

/** The sender's shift the log is for: the one running, else the last one ended within 7 days. */
async function logShiftOf(deps: Deps, by: string): Promise<string | null> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const now = deps.clock.now();
  const today = localDate(now, tz);
  const mine = (await shiftsOf(db, tz, addDays(today, -7), today)).filter(
    (s) => s.officers.includes(by) && s.startsAt <= now,
  );
  return (currentShift(mine, now) ?? mine.at(-1))?.date ?? null;
}
