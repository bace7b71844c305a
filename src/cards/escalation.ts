import {
  button,
  type CardElement,
  type CardJson,
  card,
  escapeMd,
  footerNote,
  hr,
  LIGHT_EMOJI,
  md,
  shorten,
} from './common.js';

/**
 * 【督办】 the escalation card: tells a chief (level 1) or the office's leaders (level 2) what is
 * overdue in which department, with whom, by how many working days, with a 催办承办人 button
 * that sends the handler a nudge.
 */

export interface EscalationLineView {
  id: string;
  title: string;
  deptName: string;
  /** The handler's name, or null for an unassigned item. */
  handlerName: string | null;
  /** '已逾期2个工作日' / '今日已逾期'. */
  overdue: string;
}

export const MAX_ESCALATION_LINES = 10;

/** 【督办】综合处有2件事项逾期 / 【督办】3个处室有5件事项逾期 */
export function escalationTitle(lines: EscalationLineView[]): string {
  const depts = [...new Set(lines.map((l) => l.deptName))];
  return depts.length === 1
    ? `【督办】${depts[0]}有${lines.length}件事项逾期`
    : `【督办】${depts.length}个处室有${lines.length}件事项逾期`;
}

/** 催办承办人: the quick-replies capability sends the handler a nudge (values.ts `nudge`). */
function nudgeButton(item: string): CardElement {
  return button('催办承办人', { v: 1, op: 'nudge', item });
}

export function escalationElements(lines: EscalationLineView[]): CardElement[] {
  const elements: CardElement[] = [];
  for (const l of lines.slice(0, MAX_ESCALATION_LINES)) {
    const who = l.handlerName ? `承办 ${escapeMd(l.handlerName)}` : '尚无承办人';
    const text = `${LIGHT_EMOJI.red} **${l.id}** ${escapeMd(shorten(l.title, 28))}\n${escapeMd(l.deptName)} · ${who} · ${l.overdue}`;
    elements.push({
      tag: 'column_set',
      horizontal_spacing: '8px',
      columns: [
        { tag: 'column', width: 'weighted', weight: 1, vertical_align: 'center', elements: [md(text)] },
        { tag: 'column', width: 'auto', vertical_align: 'center', elements: [nudgeButton(l.id)] },
      ],
    });
  }
  if (lines.length > MAX_ESCALATION_LINES)
    elements.push(md(`及其他${lines.length - MAX_ESCALATION_LINES}项，回复「待办」查看全部`));
  return elements;
}

export function escalationCard(view: { lines: EscalationLineView[] }): CardJson {
  return card({
    title: escalationTitle(view.lines),
    template: 'red',
    elements: [
      ...escalationElements(view.lines),
      hr(),
      footerNote('逾期事项已记录在案 · 回复「帮助」查看全部命令'),
    ],
  });
}
