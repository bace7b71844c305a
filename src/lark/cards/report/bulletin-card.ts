import { percentText } from '../../../domain/figures.js';
import type { Deduction } from '../../../domain/scores.js';
import { type CardElement, type CardJson, card, escapeMd, footerNote, hr, md, shorten } from '../common.js';
import { barChart } from './chart.js';
import { type HotlineView, hotlineDeptElements, hotlineElements } from './hotline-section.js';
import { type LongTaskLine, longTaskElements } from './long-tasks.js';

/**
 * 通报: the office's ranking for the top department's group (scores out of 100, 按时办结率, overdue,
 * average handling time, extensions, change since the last 通报, the units with items overdue
 * beyond the threshold, a bar chart), and each department's own line with its 扣分明细. Lists are
 * capped with 「及其他N项」 so a card stays under 30 KB with 200 departments.
 */
export interface BulletinLine {
  rank: number;
  name: string;
  score: number;
  /** Score change since the previous 通报 of the same kind. */
  change: number;
  onTimeRate: number | null;
  overdue: number;
  avgHandlingWorkdays: number | null;
  extensions: number;
}

export interface BulletinView {
  /** '周通报' / '月通报' */
  kindZh: string;
  periodZh: string;
  lines: BulletinLine[];
  overdueThresholdWorkdays: number;
  beyondThreshold: Array<{ name: string; count: number }>;
  /** 逐月通报进展情况: the long tasks, worst first. */
  longTasks?: LongTaskLine[];
  /** The hotline's figures, when there are hotline tickets. */
  hotline?: HotlineView | null;
}

export const BULLETIN_MAX_LINES = 30;
const MAX_NAMED = 20;
export const BULLETIN_MAX_DEDUCTIONS = 20;

const more = (n: number) => (n > 0 ? [md(`及其他${n}项`, 'notation')] : []);

export function changeZh(change: number): string {
  if (change === 0) return '持平';
  const v = Math.round(change * 10) / 10;
  return v > 0 ? `+${v}` : `${v}`;
}

export function lineFigures(l: BulletinLine): string {
  const avg = l.avgHandlingWorkdays === null ? '—' : `${l.avgHandlingWorkdays}个工作日`;
  return `按时办结率 ${percentText(l.onTimeRate)} · 逾期 ${l.overdue} 件 · 平均办理 ${avg} · 延期 ${l.extensions} 次`;
}

export function bulletinCard(v: BulletinView): CardJson {
  const shown = v.lines.slice(0, BULLETIN_MAX_LINES);
  const elements: CardElement[] = [
    md(`共 ${v.lines.length} 个处室参加百分量化考核，按得分排名：`),
    ...shown.map((l) =>
      md(
        `${l.rank}. **${escapeMd(shorten(l.name, 16))}** ${l.score}分（较上期 ${changeZh(l.change)}）\n${lineFigures(l)}`,
      ),
    ),
    ...more(v.lines.length - shown.length),
  ];
  if (v.beyondThreshold.length > 0) {
    const named = v.beyondThreshold
      .slice(0, MAX_NAMED)
      .map((b) => `${escapeMd(shorten(b.name, 16))}（${b.count}件）`);
    const rest = v.beyondThreshold.length - named.length;
    elements.push(
      hr(),
      md(
        `**逾期超过${v.overdueThresholdWorkdays}个工作日的单位**：${named.join('、')}${rest > 0 ? `，及其他${rest}项` : ''}`,
      ),
    );
  }
  if (v.hotline) elements.push(hr(), ...hotlineElements(v.hotline));
  if (v.longTasks && v.longTasks.length > 0)
    elements.push(hr(), ...longTaskElements(v.longTasks, '详见各事项卡片'));
  elements.push(
    barChart(
      '各处室得分',
      shown.map((l) => ({ name: shorten(l.name, 8), series: '得分', value: l.score })),
    ),
    footerNote('各处室的扣分明细已发至本处室群 · 回复「通报」查看'),
  );
  return card({ title: `【督办通报】${v.kindZh} ${v.periodZh}`, template: 'blue', elements });
}

export function departmentBulletinCard(v: {
  kindZh: string;
  periodZh: string;
  line: BulletinLine;
  of: number;
  deductions: Deduction[];
  longTasks?: LongTaskLine[];
  hotline?: HotlineView | null;
}): CardJson {
  const shown = v.deductions.slice(0, BULLETIN_MAX_DEDUCTIONS);
  const elements: CardElement[] = [
    md(
      `**第 ${v.line.rank} 名**（共 ${v.of} 个处室） 得分 **${v.line.score}**（较上期 ${changeZh(v.line.change)}）`,
    ),
    md(lineFigures(v.line)),
    hr(),
    md('**扣分明细**'),
  ];
  if (shown.length === 0) elements.push(md('本期无扣分'));
  for (const d of shown)
    elements.push(
      md(
        `${d.itemId} ${escapeMd(shorten(d.title, 30))} · ${d.reason} · ${d.points > 0 ? `+${d.points}` : d.points}分`,
      ),
    );
  elements.push(...more(v.deductions.length - shown.length));
  const hotline = v.hotline ? hotlineDeptElements(v.hotline, v.line.name) : [];
  if (hotline.length > 0) elements.push(hr(), ...hotline);
  if (v.longTasks && v.longTasks.length > 0)
    elements.push(hr(), ...longTaskElements(v.longTasks, '详见各事项卡片'));
  elements.push(footerNote('扣分依据见各事项的办理记录（留痕）'));
  return card({
    title: `【督办通报】${shorten(v.line.name, 16)} ${v.kindZh} ${v.periodZh}`,
    template: 'blue',
    elements,
  });
}
