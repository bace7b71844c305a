import type { Light } from '../../../domain/types.js';
import { type CardElement, escapeMd, LIGHT_EMOJI, md, shorten } from '../common.js';

/**
 * 长期任务进展 (逐月通报进展情况): one line per long task — a task on a reporting rhythm, with
 * milestones or with sub-tasks — for the daily digest and the 通报: its last report (date and a
 * short text), whether its rhythm holds, the milestones that are yellow or red, the sub-task roll-up.
 */
export interface LongTaskLine {
  id: string;
  title: string;
  dept: string;
  /** '10月9日：已完成招标…' or null before the first report. */
  lastReport: string | null;
  /** '按时报送' / '缺报1次、迟报1次'; null without a rhythm. */
  rhythm: string | null;
  /** The rhythm holds: no report missed, none late. */
  holds: boolean;
  /** Milestones not yet reached that are yellow or red. */
  milestones: Array<{ title: string; light: Light; dueZh: string }>;
  /** '5项子任务已办结3项，1项逾期' */
  subtasks: string | null;
}

export const MAX_LONG_TASKS = 10;

export function longTaskText(l: LongTaskLine): string {
  const icon = l.holds ? LIGHT_EMOJI.green : LIGHT_EMOJI.red;
  const head = `${icon} **${l.id}** ${escapeMd(shorten(l.title, 24))} · ${escapeMd(l.dept)}`;
  const facts: string[] = [];
  if (l.rhythm) facts.push(l.rhythm);
  facts.push(l.lastReport ? `最近进展 ${escapeMd(l.lastReport)}` : '尚无进展报告');
  const lines = [head, facts.join(' · ')];
  const extra: string[] = l.milestones.map(
    (m) => `${LIGHT_EMOJI[m.light]} 节点 ${escapeMd(shorten(m.title, 16))}（${m.dueZh}）`,
  );
  if (l.subtasks) extra.push(l.subtasks);
  if (extra.length > 0) lines.push(extra.join(' · '));
  return lines.join('\n');
}

/** The section, worst first (the caller sorts), capped with 「及其他N项」. */
export function longTaskElements(lines: LongTaskLine[], hint: string): CardElement[] {
  if (lines.length === 0) return [];
  const late = lines.filter((l) => !l.holds).length;
  const elements: CardElement[] = [
    md(`**长期任务进展**（${lines.length}项${late > 0 ? `，${late}项需关注` : '，均按计划推进'}）`),
  ];
  for (const l of lines.slice(0, MAX_LONG_TASKS)) elements.push(md(longTaskText(l)));
  if (lines.length > MAX_LONG_TASKS)
    elements.push(md(`及其他${lines.length - MAX_LONG_TASKS}项，${hint}`, 'notation'));
  return elements;
}
