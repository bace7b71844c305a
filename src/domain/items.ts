import { localParts } from './time.js';
import type { ActionName, ExtensionRequest, Item, ItemPart, MeetingAttendee } from './types.js';

/**
 * Pure rules on items: id spelling, what each action is called, and which actions the item's
 * state allows. Who may act is in permissions.ts.
 */

export const ACTION_NAMES: readonly ActionName[] = [
  'done',
  'read',
  'claim',
  'progress',
  'extend',
  'approve-extension',
  'reject-extension',
  'reassign',
  'cancel',
  'attend',
  'leave',
];

export const ACTION_ZH: Record<ActionName, string> = {
  done: '办结',
  read: '标记已阅',
  claim: '认领',
  progress: '填报进展',
  extend: '申请延期',
  'approve-extension': '批准延期',
  'reject-extension': '驳回延期',
  reassign: '改派',
  cancel: '撤销',
  attend: '确认参会',
  leave: '请假',
};

/**
 * 'D-12', 'd12', 'D 12', 'd－12', 'D-012' → 'D-12'; anything else → null. People type ids in chats
 * on phones, so case, the dash and full-width forms must not matter.
 */
export function normalizeItemId(text: string): string | null {
  const t = text
    .trim()
    .replace(/[Ａ-Ｚａ-ｚ０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[－—–‐_]/g, '-');
  const m = /^([dmt])\s*-?\s*0*(\d{1,9})$/i.exec(t);
  if (!m || Number(m[2]) === 0) return null;
  return `${m[1]!.toUpperCase()}-${Number(m[2])}`;
}

/** '11月22日 09:05' — when something happened, in messages. */
export function formatWhenZh(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

export type StateProblem = { code: 'invalid_state' | 'invalid_input'; message: string };

/**
 * Whether the item's state allows the action (not counting repeats of something already done,
 * which the service answers as idempotent successes first). Returns null when allowed.
 */
export function stateProblem(
  item: Item & { parts?: ItemPart[]; attendees?: MeetingAttendee[] },
  action: ActionName,
  ctx: { pending?: ExtensionRequest | null; partDept?: string | null } = {},
): StateProblem | null {
  if (item.status === 'cancelled')
    return { code: 'invalid_state', message: `该事项已撤销，无法${ACTION_ZH[action]}` };
  if (item.status === 'done')
    return { code: 'invalid_state', message: `该事项已办结，无法${ACTION_ZH[action]}` };
  if (ctx.partDept) {
    const part = item.parts?.find((p) => p.dept === ctx.partDept);
    if (!part) return { code: 'invalid_input', message: '该事项没有这个会办处室' };
    if (!['done', 'progress', 'reassign'].includes(action))
      return { code: 'invalid_input', message: `会办部分不能${ACTION_ZH[action]}` };
    if (action === 'done' && part.status === 'done')
      return { code: 'invalid_state', message: '该会办部分已办结' };
    return null;
  }
  switch (action) {
    case 'read':
      if (item.docType !== 'circular')
        return { code: 'invalid_state', message: '只有传阅件可以标记已阅，其他事项请办结' };
      return null;
    case 'claim':
      return null;
    case 'attend':
    case 'leave':
      if (item.kind !== 'meeting') return { code: 'invalid_state', message: '只有会议可以确认参会或请假' };
      return null;
    case 'extend':
      if (!item.dueAt) return { code: 'invalid_state', message: '该事项没有办理时限，无需延期' };
      if (ctx.pending) return { code: 'invalid_state', message: '该事项已有一项延期申请待审批' };
      return null;
    case 'approve-extension':
    case 'reject-extension':
      if (!ctx.pending) return { code: 'invalid_state', message: '该事项没有待审批的延期申请' };
      return null;
    default:
      return null;
  }
}
