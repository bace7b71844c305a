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
  /** Set once the item is closed: '已由张三于11月23日 10:31办结'. The line then has no button. */
  closed?: string;
  /** The item is not overdue; its periodic progress report is (the line says which period). */
  reportOnly?: boolean;
}

export const MAX_ESCALATION_LINES = 10;

/**
 * 【督办】综合处有2件事项逾期 / 【督办】3个处室有5件事项逾期 (closed lines no longer count); lines
 * chased only for a missing progress report say 进展未报, so a chief is never told an item is
 * overdue when only its report is.
 */
export function escalationTitle(all: EscalationLineView[]): string {
  const open = all.filter((l) => !l.closed);
  const lines = open.length > 0 ? open : all;
  const depts = [...new Set(lines.map((l) => l.deptName))];
  const reports = lines.filter((l) => l.reportOnly).length;
  const what = reports === 0 ? '逾期' : reports === lines.length ? '进展未报' : '逾期或进展未报';
  return depts.length === 1
    ? `【督办】${depts[0]}有${lines.length}件事项${what}`
    : `【督办】${depts.length}个处室有${lines.length}件事项${what}`;
}

/** 催办承办人: the quick-replies capability sends the handler a nudge (values.ts `nudge`). */
function nudgeButton(item: string): CardElement {
  return button('催办承办人', { v: 1, op: 'nudge', item });
}

export function escalationElements(lines: EscalationLineView[]): CardElement[] {
  const elements: CardElement[] = [];
  for (const l of lines.slice(0, MAX_ESCALATION_LINES)) {
    const who = l.handlerName ? `承办 ${escapeMd(l.handlerName)}` : '尚无承办人';
    const state = l.closed ? `<font color='grey'>${escapeMd(l.closed)}</font>` : l.overdue;
    const icon = l.closed ? '✅' : LIGHT_EMOJI.red;
    const text = `${icon} **${l.id}** ${escapeMd(shorten(l.title, 28))}\n${escapeMd(l.deptName)} · ${who} · ${state}`;
    const textColumn = {
      tag: 'column',
      width: 'weighted',
      weight: 1,
      vertical_align: 'center',
      elements: [md(text)],
    };
    elements.push({
      tag: 'column_set',
      horizontal_spacing: '8px',
      columns: l.closed
        ? [textColumn]
        : [
            textColumn,
            { tag: 'column', width: 'auto', vertical_align: 'center', elements: [nudgeButton(l.id)] },
          ],
    });
  }
  if (lines.length > MAX_ESCALATION_LINES)
    elements.push(md(`及其他${lines.length - MAX_ESCALATION_LINES}项，回复「待办」查看全部`));
  return elements;
}

export function escalationCard(view: { lines: EscalationLineView[]; notice?: string }): CardJson {
  const allClosed = view.lines.length > 0 && view.lines.every((l) => l.closed);
  return card({
    title: allClosed ? '【督办】逾期事项均已处理' : escalationTitle(view.lines),
    template: allClosed ? 'grey' : 'red',
    elements: [
      ...(view.notice ? [md(`**${escapeMd(view.notice)}**`)] : []),
      ...escalationElements(view.lines),
      hr(),
      footerNote('逾期事项已记录在案 · 回复「帮助」查看全部命令'),
    ],
  });
}
