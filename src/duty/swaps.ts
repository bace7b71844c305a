import { getDutyDay, lockDutyDay, replaceOfficer } from '../db/repos/duty.js';
import { appendDutyHistory } from '../db/repos/duty-history.js';
import { type DutySwap, decideSwap, insertSwap, lockSwap } from '../db/repos/duty-swaps.js';
import { getPerson } from '../db/repos/people.js';
import type { Trx } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { dutySwapCard } from '../lark/cards/duty-cards.js';
import { enqueueOutbox, outboxKey } from '../lark/outbox/enqueue.js';
import { loadDutySettings } from './settings.js';
import { shiftOf } from './shifts.js';
import { dateZh, dutyNames } from './view.js';

/**
 * 换班: an officer asks a colleague to take one of their shifts; the colleague accepts or
 * declines. On accept the colleague replaces the officer on that day (the number of officers never
 * changes, so no day is left without one); both and the leader on duty are told; every step is in
 * the duty history.
 */

export type SwapOutcome =
  | { ok: true; message: string; swap: DutySwap }
  | { ok: false; message: string; swap?: DutySwap };

export async function requestSwap(
  deps: Deps,
  input: { date: string; from: string; to: string; via: string },
): Promise<SwapOutcome> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const when = dateZh(input.date, tz);
  const day = await getDutyDay(db, input.date);
  if (!day) return { ok: false, message: `${when}尚未安排值班` };
  if (!day.officers.includes(input.from)) return { ok: false, message: `您不是${when}的值班人员` };
  const to = await getPerson(db, input.to);
  if (!to) return { ok: false, message: '对方尚未登记，请联系办公室管理员' };
  if (day.officers.includes(input.to)) return { ok: false, message: `${to.name}已在${when}值班` };
  const now = deps.clock.now();
  if (shiftOf(day, await loadDutySettings(db), tz).endsAt <= now)
    return { ok: false, message: `${when}的值班已结束，不能换班` };
  const name = await dutyNames(db, [input.from, input.to]);
  return db.transaction().execute(async (trx): Promise<SwapOutcome> => {
    const swap = await insertSwap(trx, { date: input.date, from: input.from, to: input.to, at: now });
    if (!swap) return { ok: false, message: `您已就${when}提出换班申请，正在等待答复` };
    await appendDutyHistory(trx, {
      date: input.date,
      at: now,
      actor: input.from,
      action: 'swap requested',
      details: { swap: swap.id, from: input.from, to: input.to, via: input.via },
    });
    await tell(trx, deps, swap, input.to, 'ask', {
      from: name(input.from),
      to: name(input.to),
      status: 'pending',
    });
    return { ok: true, message: `已向${to.name}发送换班申请，对方同意后值班表随即调整`, swap };
  });
}

/** The colleague's answer. Refused (and nothing changes) for anyone else or a decided request. */
export async function answerSwap(
  deps: Deps,
  input: { swapId: number; by: string; accept: boolean },
): Promise<SwapOutcome> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const settings = await loadDutySettings(db);
  return db.transaction().execute(async (trx): Promise<SwapOutcome> => {
    const swap = await lockSwap(trx, input.swapId);
    if (!swap) return { ok: false, message: '找不到该换班申请' };
    if (swap.to !== input.by) return { ok: false, message: '仅被申请的同事可以答复', swap };
    const state = { accepted: '已同意', declined: '已拒绝', void: '已失效', pending: '' }[swap.status];
    if (swap.status !== 'pending') return { ok: false, message: `该申请${state}`, swap };
    const now = deps.clock.now();
    const when = dateZh(swap.date, tz);
    const name = await dutyNames(trx, [swap.from, swap.to]);
    const names = { from: name(swap.from), to: name(swap.to) };
    const day = await lockDutyDay(trx, swap.date);
    const stale =
      !day ||
      !day.officers.includes(swap.from) ||
      day.officers.includes(swap.to) ||
      shiftOf(day, settings, tz).endsAt <= now;
    const status = !input.accept ? 'declined' : stale ? 'void' : 'accepted';
    const note = status === 'void' ? '值班表已变更或班次已结束，申请失效' : null;
    await decideSwap(trx, swap.id, status, now, note);
    if (status === 'accepted') await replaceOfficer(trx, day!, swap.from, swap.to, now);
    const details = { swap: swap.id, from: swap.from, to: swap.to, ...(note ? { note } : {}) };
    await appendDutyHistory(trx, {
      date: swap.date,
      at: now,
      actor: input.by,
      action: `swap ${status}`,
      details,
    });
    const decided = { ...swap, status, decidedAt: now, note } as DutySwap;
    const view = { ...names, status, ...(note ? { note } : {}) } as const;
    await tell(trx, deps, decided, swap.from, status, view);
    if (status === 'accepted' && day && day.leader !== swap.from && day.leader !== swap.to)
      await tell(trx, deps, decided, day.leader, status, view);
    if (status === 'void') return { ok: false, message: note!, swap: decided };
    return {
      ok: true,
      message: status === 'accepted' ? `已同意，${when}由您值班` : '已拒绝该换班申请',
      swap: decided,
    };
  });
}

async function tell(
  trx: Trx,
  deps: Deps,
  swap: DutySwap,
  to: string,
  step: string,
  view: { from: string; to: string; status: DutySwap['status']; note?: string },
): Promise<void> {
  await enqueueOutbox(trx, {
    uuid: outboxKey('duty-swap', swap.id, step, to),
    operation: 'send',
    receiveIdType: 'open_id',
    receiveId: to,
    msgType: 'interactive',
    content: dutySwapCard({ swapId: swap.id, dateZh: dateZh(swap.date, deps.config.timezone), ...view }),
    purpose: 'duty-swap',
    now: deps.clock.now(),
  });
}
