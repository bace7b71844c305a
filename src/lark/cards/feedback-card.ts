import type { Item } from '../../domain/types.js';
import {
  type CardJson,
  card,
  deadlineZh,
  escapeMd,
  fieldGrid,
  footerNote,
  md,
  shorten,
  stampZh,
  typeLabel,
} from './common.js';

/**
 * 办结反馈 (件件有着落、事事有回音): when a leader's instruction, a meeting decision or a
 * proposal is closed, the leader who gave it hears the result — who handled it, on time or late,
 * and the closing note.
 */
export interface FeedbackCardView {
  item: Item;
  handler: string;
  deptName: string;
  /** Working days late; 0 when closed on time. */
  workdaysLate: number;
  onTime: boolean;
  note: string | null;
  timeZone: string;
}

export function feedbackCard(v: FeedbackCardView): CardJson {
  const { item, timeZone } = v;
  const result = v.onTime
    ? '按时办结'
    : v.workdaysLate > 0
      ? `逾期${v.workdaysLate}个工作日办结`
      : '逾期办结';
  const fields: Array<[string, string]> = [
    ['编号', item.id],
    ['类型', typeLabel(item)],
    ['承办', v.handler],
    ['主办', v.deptName],
    ['时限', item.dueAt ? deadlineZh(item.dueAt, timeZone) : '—'],
    ['办结', item.closedAt ? stampZh(item.closedAt, timeZone) : '—'],
  ];
  return card({
    title: `【办结反馈】${shorten(item.title, 40)}`,
    template: v.onTime ? 'green' : 'orange',
    tags: [{ text: result, color: v.onTime ? 'green' : 'orange' }],
    elements: [
      md(`**${escapeMd(item.title)}**`),
      ...fieldGrid(fields),
      md(`**办理结果**：${v.note ? escapeMd(shorten(v.note, 800)) : '承办人未填写说明'}`),
      footerNote(`${item.id} 已办结，办理过程已留痕备查`),
    ],
  });
}
