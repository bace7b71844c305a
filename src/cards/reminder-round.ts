import type { ReminderKind } from '../domain/reminder-plan.js';
import type { DocType, ItemKind } from '../domain/types.js';
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
import {
  type EscalationLineView,
  escalationCard,
  escalationElements,
  escalationTitle,
} from './escalation.js';

/**
 * 【催办】 the reminder round card: one per person per round, every item that needs them now,
 * red first, each with its own button. Past ten items only the first ten are listed (the rest
 * are one 待办 away). A chief's escalations (督办) ride on the same card below their own items.
 */

export interface ReminderLineView {
  id: string;
  title: string;
  itemKind: ItemKind;
  docType: DocType | null;
  /** The most pressing reason this person hears about the item now. */
  kind: ReminderKind;
  /** '已逾期2个工作日' / '今日18:00到期' / '剩余1个工作日' / '10月8日（周四）10:00开始'. */
  when: string;
}

export const MAX_LINES = 10;

const RED_KINDS: ReadonlySet<ReminderKind> = new Set(['urgent', 'overdue', 'part-overdue', 'escalation']);

function icon(kind: ReminderKind): string {
  if (kind === 'meeting-eve' || kind === 'meeting-soon') return '📅';
  return RED_KINDS.has(kind) ? LIGHT_EMOJI.red : LIGHT_EMOJI.yellow;
}

const PREFIX: Partial<Record<ReminderKind, string>> = {
  urgent: '紧急件 · ',
  part: '会办 · ',
  'part-overdue': '会办 · ',
};

/** The one button for a line: 已阅 for circulation copies, 反馈进展 for a co-unit's part, else 办结. */
function lineButton(line: ReminderLineView): CardElement | null {
  if (line.itemKind === 'meeting') return null;
  if (line.kind === 'part' || line.kind === 'part-overdue')
    return button('反馈进展', { v: 1, op: 'form', form: 'progress', item: line.id });
  if (line.itemKind === 'document' && line.docType === 'circular')
    return button('已阅', { v: 1, op: 'read', item: line.id }, { type: 'primary' });
  return button('办结', { v: 1, op: 'done', item: line.id }, { type: 'primary' });
}

export function lineElement(text: string, action: CardElement | null): CardElement {
  return {
    tag: 'column_set',
    horizontal_spacing: '8px',
    columns: [
      { tag: 'column', width: 'weighted', weight: 1, vertical_align: 'center', elements: [md(text)] },
      ...(action ? [{ tag: 'column', width: 'auto', vertical_align: 'center', elements: [action] }] : []),
    ],
  };
}

export function reminderLineText(line: ReminderLineView): string {
  return `${icon(line.kind)} **${line.id}** ${escapeMd(shorten(line.title, 28))} ${PREFIX[line.kind] ?? ''}${line.when}`;
}

export function reminderRoundCard(view: {
  lines: ReminderLineView[];
  escalations?: EscalationLineView[];
}): CardJson {
  const { lines } = view;
  const escalations = view.escalations ?? [];
  if (lines.length === 0) return escalationCard({ lines: escalations });
  const anyRed = lines.some((l) => RED_KINDS.has(l.kind)) || escalations.length > 0;
  const onlyMeetings = lines.every((l) => l.itemKind === 'meeting');
  const title = onlyMeetings
    ? `【会议】您有${lines.length}个会议即将召开`
    : `【催办】您有${lines.length}件事项需要处理`;
  const elements: CardElement[] = [];
  for (const line of lines.slice(0, MAX_LINES))
    elements.push(lineElement(reminderLineText(line), lineButton(line)));
  if (lines.length > MAX_LINES)
    elements.push(md(`及其他${lines.length - MAX_LINES}项，回复「待办」查看全部`));
  if (escalations.length > 0) {
    elements.push(hr(), md(`**${escalationTitle(escalations).replace('【督办】', '督办：')}**`));
    elements.push(...escalationElements(escalations));
  }
  const first = lines.find((l) => l.itemKind !== 'meeting');
  elements.push(
    hr(),
    footerNote(
      first
        ? `回复「办结 ${first.id}」也可办结 · 回复「待办」查看全部 · 回复「帮助」查看全部命令`
        : '回复「待办」查看全部 · 回复「帮助」查看全部命令',
    ),
  );
  return card({ title, template: onlyMeetings ? 'blue' : anyRed ? 'red' : 'yellow', elements });
}
