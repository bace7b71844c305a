import { listPeople } from '../../db/repos/people.js';
import type { Deps } from '../../deps.js';
import { formatZh } from '../../domain/time.js';
import { confirmShift, shiftsOf } from '../../duty/confirm-shift.js';
import { writeDutyLog } from '../../duty/duty.js';
import { answerSwap, requestSwap } from '../../duty/swaps.js';
import { dateZh, dutyNames, shiftLine } from '../../duty/view.js';
import { dutyLogCard, dutyStartCard, dutySwapCard, dutySwapFormCard } from '../cards/duty-cards.js';
import { type DutyButtonValue, dutyLogForm, dutySwapForm } from '../cards/values.js';
import type { CardAction } from '../events.js';
import { type CardActionAnswer, warn } from './card-answer.js';

/** Clicks on duty cards: 接班确认, 平安无事, the log form, 申请换班, 同意 / 拒绝. */
export async function answerDutyAction(
  deps: Deps,
  action: CardAction,
  value: DutyButtonValue,
): Promise<CardActionAnswer> {
  const by = action.operatorOpenId;
  if ('swap' in value) return answerSwapClick(deps, by, value);
  const { date } = value;
  const tz = deps.config.timezone;
  const { db } = deps.database;
  const [shift] = await shiftsOf(db, tz, date, date);
  if (!shift) return warn(`${dateZh(date, tz)}尚未安排值班`);
  const onShift = shift.officers.includes(by) || shift.leader === by;
  if (!onShift) return warn(`您不是${dateZh(date, tz)}的值班人员`);
  switch (value.op) {
    case 'duty-handover': {
      const outcome = await confirmShift(deps, { by, date, via: 'card' });
      const day = (await shiftsOf(db, tz, date, date))[0]!;
      const name = await dutyNames(db, [...day.officers, day.leader, day.day.handoverBy]);
      const at = day.day.handoverAt ? formatZh(day.day.handoverAt, tz) : '';
      const confirmed = { by: name(day.day.handoverBy ?? by), at };
      return {
        toast: { type: outcome.changed ? 'success' : 'info', content: outcome.message },
        card: dutyStartCard({ date, shift: shiftLine(date, day, name, tz), confirmed }),
      };
    }
    case 'duty-quiet':
    case 'duty-log':
      return writeLogClick(deps, action, value.op, date);
    case 'duty-log-form':
      return { card: dutyLogCard({ date, dateZh: dateZh(date, tz), form: true }) };
    case 'duty-swap-form': {
      if (!shift.officers.includes(by)) return warn(`您不是${dateZh(date, tz)}的值班人员`);
      const candidates = (await listPeople(db))
        .filter((p) => !shift.officers.includes(p.openId))
        .map((p) => ({ openId: p.openId, name: p.name }));
      return { card: dutySwapFormCard({ date, dateZh: dateZh(date, tz), candidates }) };
    }
    case 'duty-swap-ask': {
      const form = dutySwapForm.safeParse(action.formValue ?? {});
      if (!form.success) return warn('请选择同事');
      const outcome = await requestSwap(deps, { date, from: by, to: form.data.to, via: 'card' });
      if (!outcome.ok) return warn(outcome.message);
      const name = await dutyNames(db, [by, form.data.to]);
      const card = dutySwapCard({
        swapId: outcome.swap.id,
        from: name(by),
        to: name(form.data.to),
        dateZh: dateZh(date, tz),
        status: 'pending',
        // The asker sees the request without the answer buttons (those are the colleague's).
        buttons: false,
      });
      return { toast: { type: 'success', content: outcome.message }, card };
    }
  }
}

/** 同意 / 拒绝 on a swap request: the colleague's answer, and the swap card redrawn. */
async function answerSwapClick(
  deps: Deps,
  by: string,
  value: Extract<DutyButtonValue, { swap: unknown }>,
): Promise<CardActionAnswer> {
  const outcome = await answerSwap(deps, {
    swapId: value.swap,
    by,
    accept: value.op === 'duty-swap-accept',
  });
  if (!outcome.swap) return warn(outcome.message);
  const name = await dutyNames(deps.database.db, [outcome.swap.from, outcome.swap.to]);
  const card = dutySwapCard({
    swapId: outcome.swap.id,
    from: name(outcome.swap.from),
    to: name(outcome.swap.to),
    dateZh: dateZh(outcome.swap.date, deps.config.timezone),
    status: outcome.swap.status,
    ...(outcome.swap.note ? { note: outcome.swap.note } : {}),
  });
  return { toast: { type: outcome.ok ? 'success' : 'info', content: outcome.message }, card };
}

/** 平安无事 in one click, or the log form's event. */
async function writeLogClick(
  deps: Deps,
  action: CardAction,
  op: 'duty-quiet' | 'duty-log',
  date: string,
): Promise<CardActionAnswer> {
  const by = action.operatorOpenId;
  const tz = deps.config.timezone;
  let event: { time: string; caller: string; what: string; done: string } | undefined;
  if (op === 'duty-log') {
    const form = dutyLogForm.safeParse(action.formValue ?? {});
    if (!form.success) return warn('请填写事由');
    const f = form.data;
    event = { time: f.time ?? '', caller: f.caller ?? '', what: f.what, done: f.done ?? '' };
  }
  const entry = await writeDutyLog(deps, { date, by, ...(event ? { event } : {}), via: 'card' });
  return {
    toast: { type: 'success', content: '值班日志已记录' },
    card: dutyLogCard({ date, dateZh: dateZh(date, tz), written: entry.entry }),
  };
}
