import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { ItemChange } from '../../domain/item-change.js';
import { workdaysOverdue } from '../../domain/lights.js';
import { feedbackCard } from '../../lark/cards/feedback-card.js';
import { enqueueOutbox, outboxKey } from '../../lark/outbox/enqueue.js';
import { referenceData } from '../../settings/reference-data.js';

export const FEEDBACK_PURPOSE = 'result-feedback';
/** Sources whose results go back to the leader who gave them. */
const FED_BACK = new Set(['instruction', 'decision', 'proposal']);

/**
 * 办结反馈: a task of source instruction, decision or proposal has just been closed, so its
 * leader (else its creator, when a registered person) gets the 「办结反馈」 card, once per item.
 */
export async function feedBackResult(trx: Trx, deps: Deps, change: ItemChange): Promise<void> {
  const { item, previous } = change;
  if (change.action !== 'done' || item.status !== 'done' || previous?.status === 'done') return;
  if (item.kind !== 'task' || !item.source || !FED_BACK.has(item.source) || !item.closedAt) return;
  const candidates = [item.leader, item.createdBy].filter((x): x is string => !!x);
  const ref = await referenceData(deps, trx);
  const to = candidates.find((id) => ref.people.has(id));
  if (!to) return;
  const { calendar } = ref;
  const tz = deps.config.timezone;
  const onTime = !item.dueAt || item.closedAt.getTime() <= item.dueAt.getTime();
  const handlerId = item.assignee ?? change.actor;
  const dept = item.dept ? ref.departmentsByCode.get(item.dept) : null;
  const note = typeof change.details.note === 'string' ? change.details.note : null;
  await enqueueOutbox(trx, {
    uuid: outboxKey(FEEDBACK_PURPOSE, item.id),
    operation: 'send',
    receiveIdType: 'open_id',
    receiveId: to,
    msgType: 'interactive',
    content: feedbackCard({
      item,
      handler: ref.people.get(handlerId)?.name ?? '未登记人员',
      deptName: dept?.name ?? '—',
      onTime,
      workdaysLate: onTime || !item.dueAt ? 0 : workdaysOverdue(item.dueAt, item.closedAt, calendar, tz),
      note,
      timeZone: tz,
    }),
    purpose: FEEDBACK_PURPOSE,
    itemIds: [item.id],
    now: deps.clock.now(),
  });
}
