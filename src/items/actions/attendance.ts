import { setAttendance, updateItem } from '../../db/repos/items.js';
import { type ActionHandler, unchanged } from './context.js';

const REPEATED = { attend: '您已确认参会', leave: '您已请假' } as const;
const DONE = { attend: '已确认参会', leave: '已请假' } as const;

/** 参加 / 请假: an invitee answers a meeting invitation (a later answer replaces the earlier one). */
function answer(attendance: 'attend' | 'leave'): ActionHandler {
  return {
    async repeat(ctx) {
      if (ctx.item.status !== 'open') return null;
      const mine = ctx.attendees.find((a) => a.openId === ctx.actor.openId);
      return mine?.attendance === attendance ? unchanged(ctx, REPEATED[attendance]) : null;
    },

    async apply(ctx) {
      const { trx, item, now } = ctx;
      await setAttendance(trx, item.id, ctx.actor.openId, attendance, now);
      const updated = await updateItem(trx, item.id, {}, now);
      ctx.details.attendance = attendance;
      if (ctx.note) ctx.details.note = ctx.note;
      return { item: updated, message: DONE[attendance] };
    },
  };
}

export const attend = answer('attend');
export const leave = answer('leave');
