import { percentText } from '../../../domain/figures.js';
import { type CardElement, escapeMd, md, shorten } from '../common.js';

/**
 * 市长公开电话 / 电子信访 on the 通报: 办结率 and 按时办结率 of the tickets due in the month, per
 * department, and the categories that recur (苗头性、倾向性问题: this month against last month).
 */
export interface HotlineView {
  /** '11月' */
  monthZh: string;
  total: { due: number; completionRate: number | null; onTimeRate: number | null };
  byDept: Array<{ name: string; due: number; completionRate: number | null; onTimeRate: number | null }>;
  categories: Array<{ category: string; thisMonth: number; lastMonth: number }>;
}

const MAX_DEPTS = 20;

function rates(r: { due: number; completionRate: number | null; onTimeRate: number | null }): string {
  return `应办结 ${r.due} 件 · 办结率 ${percentText(r.completionRate)} · 按时办结率 ${percentText(r.onTimeRate)}`;
}

/** The office card's section: the total, each department, the recurring categories. */
export function hotlineElements(h: HotlineView): CardElement[] {
  const lines = [`**热线工单**（${h.monthZh}）：${rates(h.total)}`];
  for (const d of h.byDept.slice(0, MAX_DEPTS)) lines.push(`${escapeMd(shorten(d.name, 16))}：${rates(d)}`);
  if (h.byDept.length > MAX_DEPTS) lines.push(`及其他${h.byDept.length - MAX_DEPTS}个处室`);
  if (h.categories.length > 0)
    lines.push(
      `**反复出现的问题**：${h.categories
        .map((c) => `${escapeMd(shorten(c.category, 12))} ${c.thisMonth}件（上月${c.lastMonth}件）`)
        .join('、')}`,
    );
  return [md(lines.join('\n'))];
}

/** A department card's line: its own tickets, when it has any. */
export function hotlineDeptElements(h: HotlineView, name: string): CardElement[] {
  const mine = h.byDept.find((d) => d.name === name);
  return mine ? [md(`**热线工单**（${h.monthZh}）：${rates(mine)}`)] : [];
}
