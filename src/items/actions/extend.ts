import { insertExtensionRequest } from '../../db/repos/extension-requests.js';
import { updateItem } from '../../db/repos/items.js';
import { atLocal, formatZh, localDate, localTime } from '../../domain/time.js';
import { loadWorkCalendar } from '../../settings/calendar.js';
import { extensionApprovers } from '../extension-approvers.js';
import { type ActionContext, type ActionHandler, type ActionOutcome, refused, trimmed } from './context.js';

/** The most working days one extension may add. */
export const EXTENSION_MAX_WORKDAYS = 60;

/** 延期: the handler asks for a later deadline; a chief decides (approve-extension / reject-extension). */
export const extend: ActionHandler = {
  async apply(ctx) {
    const { trx, item, now, input } = ctx;
    const current = item.dueAt!;
    const newDueAt = await requestedDueAt(ctx, current);
    if (!(newDueAt instanceof Date)) return newDueAt;
    if (newDueAt.getTime() <= current.getTime())
      return refused(ctx, 'invalid_input', '延期后的时限须晚于原时限');
    const reason = trimmed(input.reason);
    const request = await insertExtensionRequest(trx, {
      itemId: item.id,
      by: ctx.actor.openId,
      at: now,
      currentDueAt: current,
      newDueAt,
      reason,
    });
    const updated = await updateItem(trx, item.id, {}, now);
    Object.assign(ctx.details, {
      extensionId: request.id,
      currentDueAt: current.toISOString(),
      newDueAt: newDueAt.toISOString(),
      reason,
    });
    const approvers = await extensionApprovers(trx, item.dept ?? item.leadDept, ctx.actor.openId);
    const names = approvers.length ? approvers.map((c) => c.name).join('、') : '处室负责同志';
    return { item: updated, message: `已提交延期申请，等待${names}审批` };
  },
};

/** The deadline asked for: an instant as given, or `days` working days after the current one. */
async function requestedDueAt(ctx: ActionContext, current: Date): Promise<Date | ActionOutcome> {
  const { input, timeZone } = ctx;
  if (input.newDueAt && input.days !== undefined)
    return refused(ctx, 'invalid_input', '延期天数（days）和新的截止时间（newDueAt）只需填写一项');
  if (input.newDueAt) return cappedDueAt(ctx, current, input.newDueAt);
  if (input.days === undefined)
    return refused(ctx, 'invalid_input', '请说明延期几个工作日，例如：延期 D-12 3天');
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > EXTENSION_MAX_WORKDAYS)
    return refused(ctx, 'invalid_input', `延期天数须为1至${EXTENSION_MAX_WORKDAYS}之间的整数（工作日）`);
  const calendar = await loadWorkCalendar(ctx.trx);
  const day = calendar.addWorkdays(localDate(current, timeZone), input.days);
  ctx.details.days = input.days;
  return atLocal(day, localTime(current, timeZone), timeZone);
}

/** A new deadline given as an instant may reach as far as the most working days would, no further. */
async function cappedDueAt(ctx: ActionContext, current: Date, wanted: Date): Promise<Date | ActionOutcome> {
  const { timeZone } = ctx;
  const calendar = await loadWorkCalendar(ctx.trx);
  const lastDay = calendar.addWorkdays(localDate(current, timeZone), EXTENSION_MAX_WORKDAYS);
  if (localDate(wanted, timeZone) <= lastDay) return wanted;
  const latest = formatZh(atLocal(lastDay, '12:00', timeZone), timeZone, false);
  return refused(
    ctx,
    'invalid_input',
    `延期最多${EXTENSION_MAX_WORKDAYS}个工作日：新的截止时间不能晚于${latest}`,
  );
}
