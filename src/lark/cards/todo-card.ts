import type { Item, Light } from '../../domain/types.js';
import {
  button,
  type CardElement,
  type CardJson,
  card,
  deadlineZh,
  escapeMd,
  footerNote,
  hr,
  LIGHT_EMOJI,
  md,
  shorten,
} from './common.js';
import { primaryAction } from './item-card.js';

/** 待办: one person's open items as one card, red first, the top ten and a count of the rest. */
export interface TodoEntry {
  item: Item;
  light: Light;
  /** '剩余2个工作日' / '今日到期' / '已逾期2个工作日'; null without a deadline. */
  remaining: string | null;
}

export const TODO_LIMIT = 10;

const LIGHT_RANK: Record<Light, number> = { red: 0, yellow: 1, green: 2 };

/** Red before yellow before green; within a colour the earliest deadline first, no deadline last. */
export function sortByLight(entries: TodoEntry[]): TodoEntry[] {
  return [...entries].sort((a, b) => {
    const byLight = LIGHT_RANK[a.light] - LIGHT_RANK[b.light];
    if (byLight !== 0) return byLight;
    const da = a.item.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const db = b.item.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    if (da !== db) return da - db;
    return a.item.id.localeCompare(b.item.id);
  });
}

export function todoCard(view: { entries: TodoEntry[]; timeZone: string; notice?: string }): CardJson {
  const sorted = sortByLight(view.entries);
  const shown = sorted.slice(0, TODO_LIMIT);
  const rest = sorted.length - shown.length;
  const elements: CardElement[] = [];
  if (view.notice) elements.push(md(`**${escapeMd(view.notice)}**`));

  if (sorted.length === 0) {
    elements.push(md('您目前没有待办事项。新的事项到达时，我会第一时间通知您。'));
    return card({ title: '【待办】您目前没有待办事项', template: 'blue', elements });
  }

  const red = sorted.filter((e) => e.light === 'red').length;
  const yellow = sorted.filter((e) => e.light === 'yellow').length;
  const summary = [red ? `逾期${red}件` : '', yellow ? `临近时限${yellow}件` : ''].filter(Boolean).join('，');
  if (summary) elements.push(md(`其中**${summary}**，请优先办理。`));

  for (const e of shown) elements.push(todoRow(e, view.timeZone));
  if (rest > 0) elements.push(md(`及其他${rest}项（按时限先后排列，请先办结以上事项）`));
  elements.push(hr(), footerNote('点击按钮或回复「办结 D-12」即可办理 · 回复「帮助」查看全部命令'));
  return card({
    title: `【待办】您有${sorted.length}件事项需要处理`,
    template: red ? 'red' : yellow ? 'yellow' : 'green',
    elements,
  });
}

function todoRow(e: TodoEntry, timeZone: string): CardElement {
  const { item } = e;
  const due = item.dueAt
    ? deadlineZh(item.dueAt, timeZone)
    : item.startsAt
      ? deadlineZh(item.startsAt, timeZone)
      : '无时限';
  const line2 = [due, e.remaining].filter(Boolean).join(' · ');
  const text = `${LIGHT_EMOJI[e.light]} **${item.id}** ${escapeMd(shorten(item.title, 40))}\n<font color='grey'>${line2}</font>`;
  const first = primaryAction(item);
  const columns: CardElement[] = [{ tag: 'column', width: 'weighted', weight: 4, elements: [md(text)] }];
  if (first) {
    columns.push({
      tag: 'column',
      width: 'auto',
      vertical_align: 'center',
      elements: [button(first.label, { v: 1, op: first.op, item: item.id }, { type: 'primary' })],
    });
  }
  return { tag: 'column_set', horizontal_spacing: '8px', columns };
}
