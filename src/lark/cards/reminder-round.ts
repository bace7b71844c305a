import type { ReminderKind } from '../../domain/reminder-plan.js';
import type { Attendance, DocType, ItemKind } from '../../domain/types.js';
import {
  button,
  buttonRow,
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
  /** Meetings: where, and what this person answered so far. */
  location?: string | null;
  attendance?: Attendance | null;
  /** Set once the item is closed: '已由张三于11月23日 10:31办结'. The line then has no button. */
  closed?: string;
}

export const MAX_LINES = 10;

const RED_KINDS: ReadonlySet<ReminderKind> = new Set([
  'urgent',
  'overdue',
  'part-overdue',
  'escalation',
  'report-overdue',
  'report-escalation',
]);
const REPORT_KINDS: ReadonlySet<ReminderKind> = new Set(['report-overdue', 'report-due', 'report-yellow']);

function icon(kind: ReminderKind): string {
  if (kind === 'meeting-eve' || kind === 'meeting-soon') return '📅';
  return RED_KINDS.has(kind) ? LIGHT_EMOJI.red : LIGHT_EMOJI.yellow;
}

const PREFIX: Partial<Record<ReminderKind, string>> = {
  urgent: '紧急件 · ',
  part: '会办 · ',
  'part-overdue': '会办 · ',
};

/** The one button for a line: 已阅 for circulation copies, 反馈进展 for a co-unit's part or a progress report, else 办结. */
function lineButton(line: ReminderLineView): CardElement | null {
  if (line.itemKind === 'meeting' || line.closed) return null;
  if (REPORT_KINDS.has(line.kind))
    return button('反馈进展', { v: 1, op: 'form', form: 'progress', item: line.id }, { type: 'primary' });
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
  const head = `**${line.id}** ${escapeMd(shorten(line.title, 28))}`;
  if (line.closed) return `${DONE_ICON} ${head} <font color='grey'>${escapeMd(line.closed)}</font>`;
  let text = `${icon(line.kind)} ${head} ${PREFIX[line.kind] ?? ''}${line.when}`;
  if (line.location) text += ` · 地点：${escapeMd(line.location)}`;
  if (line.attendance === 'attend' || line.attendance === 'leave')
    text += `\n您已回复：**${line.attendance === 'attend' ? '参加' : '请假'}**`;
  return text;
}

const DONE_ICON = '✅';

/** A meeting's line: its text, then 参加 / 请假 with the values the meeting's own card uses. */
function meetingLine(line: ReminderLineView): CardElement[] {
  const text = md(reminderLineText(line));
  if (line.closed) return [text];
  return [
    text,
    buttonRow([
      button(
        '参加',
        { v: 1, op: 'attend', item: line.id },
        { type: line.attendance === 'attend' ? 'primary' : 'primary_filled' },
      ),
      button('请假', { v: 1, op: 'leave', item: line.id }, { type: 'default' }),
    ]),
  ];
}

function lineElements(line: ReminderLineView): CardElement[] {
  if (line.itemKind === 'meeting') return meetingLine(line);
  return [lineElement(reminderLineText(line), lineButton(line))];
}

/** The card's title and colour, from the lines still open (a redrawn card counts what is left). */
function roundHeader(
  lines: ReminderLineView[],
  escalations: EscalationLineView[],
): { title: string; template: 'blue' | 'red' | 'yellow' | 'grey' } {
  const open = lines.filter((l) => !l.closed);
  const openEscalations = escalations.filter((l) => !l.closed);
  if (open.length === 0 && openEscalations.length === 0)
    return { title: '【催办】本轮提醒的事项均已处理', template: 'grey' };
  if (open.length === 0) return { title: escalationTitle(openEscalations), template: 'red' };
  const onlyMeetings = open.every((l) => l.itemKind === 'meeting');
  if (onlyMeetings) return { title: `【会议】您有${open.length}个会议即将召开`, template: 'blue' };
  const anyRed = open.some((l) => RED_KINDS.has(l.kind)) || openEscalations.length > 0;
  return { title: `【催办】您有${open.length}件事项需要处理`, template: anyRed ? 'red' : 'yellow' };
}

export function reminderRoundCard(view: {
  lines: ReminderLineView[];
  escalations?: EscalationLineView[];
  /** A line on top after a click: what was just done. */
  notice?: string;
}): CardJson {
  const { lines } = view;
  const escalations = view.escalations ?? [];
  if (lines.length === 0)
    return escalationCard({ lines: escalations, ...(view.notice ? { notice: view.notice } : {}) });
  const elements: CardElement[] = [];
  if (view.notice) elements.push(md(`**${escapeMd(view.notice)}**`));
  for (const line of lines.slice(0, MAX_LINES)) elements.push(...lineElements(line));
  if (lines.length > MAX_LINES)
    elements.push(md(`及其他${lines.length - MAX_LINES}项，回复「待办」查看全部`));
  if (escalations.length > 0) {
    elements.push(hr(), md(`**${escalationTitle(escalations).replace('【督办】', '督办：')}**`));
    elements.push(...escalationElements(escalations));
  }
  const first = lines.find((l) => l.itemKind !== 'meeting' && !l.closed);
  elements.push(
    hr(),
    footerNote(
      first
        ? `回复「办结 ${first.id}」也可办结 · 回复「待办」查看全部 · 回复「帮助」查看全部命令`
        : '回复「待办」查看全部 · 回复「帮助」查看全部命令',
    ),
  );
  return card({ ...roundHeader(lines, escalations), elements });
}
