import type { Item, Light } from '../../domain/types.js';
import {
  button,
  buttonRow,
  type CardElement,
  type CardJson,
  card,
  deadlineZh,
  escapeMd,
  fieldGrid,
  footerNote,
  hr,
  KIND_HEADER,
  LIGHT_EMOJI,
  LIGHT_TAG_COLOR,
  LIGHT_ZH,
  localTimeZh,
  md,
  plain,
  shorten,
  stampZh,
  type Tag,
  templateFor,
  typeLabel,
} from './common.js';

/**
 * The card of one item: sent when it is created (to the handler, and to the department's group),
 * re-rendered after every click and patched into the group's copy, so everyone sees its state,
 * who acted and when. Never shows a document's content: id, 文号, title, type and deadline only.
 */

export type Audience =
  /** The shared copy in a group chat: everyone sees the same buttons. */
  | { kind: 'group' }
  /** One person's copy (their direct message, or what they see after clicking). */
  | { kind: 'person'; openId: string; isChief: boolean };

export type OpenForm =
  | { kind: 'progress' }
  | { kind: 'extend' }
  | { kind: 'reassign'; candidates: Array<{ openId: string; name: string }> };

export interface ItemCardView {
  item: Item;
  light: Light;
  /** '剩余2个工作日' / '今日到期' / '已逾期2个工作日' (domain/lights.ts); null without a deadline. */
  remaining: string | null;
  /** Display names by open_id (handler, closer, organiser, requester). */
  names: Record<string, string>;
  /** Department names by code. */
  deptNames: Record<string, string>;
  pendingExtension?: { requestedBy: string; newDueAt: Date; reason: string | null } | null;
  /** Co-handling units (会办) and whether each has finished its part. */
  parts?: Array<{ dept: string; status: 'open' | 'done' }>;
  /** Meetings: how many answered 参加 / 请假 / not yet, and what this person answered. */
  attendance?: {
    attend: number;
    leave: number;
    pending: number;
    mine?: 'pending' | 'attend' | 'leave' | null;
  };
  audience: Audience;
  timeZone: string;
  /** A form opened on the clicker's copy (forms are never on the shared copy). */
  form?: OpenForm;
  /** One line on top of the clicker's copy, e.g. why a click was refused. */
  notice?: string;
  /** Tasks on a rhythm, with milestones or with sub-tasks (倒排工期). */
  plan?: TaskPlanView;
}

/** What the card shows of a long task: its reporting rhythm, its milestones, its sub-tasks. */
export interface TaskPlanView {
  rhythm: {
    /** 每周 / 每旬 / 每月 */
    every: string;
    /** The next report due: its label and due moment. */
    next: { label: string; dueAt: Date } | null;
    /** 按时报送 / 缺报1次、迟报1次 */
    text: string;
  } | null;
  milestones: { title: string; dueAt: Date; light: Light | null }[];
  /** '5项子任务已办结3项，1项逾期' */
  subtasks: string | null;
}

/** 进展报送, 节点 and 子任务 lines of a long task. */
function planElements(plan: TaskPlanView, timeZone: string): CardElement[] {
  const lines: string[] = [];
  const r = plan.rhythm;
  if (r) {
    const next = r.next ? ` · ${r.next.label}进展${deadlineZh(r.next.dueAt, timeZone)}前报送` : '';
    lines.push(`**进展报送**：${r.every}${next} · ${r.text}`);
  }
  for (const m of plan.milestones.slice(0, 8)) {
    const icon = m.light ? LIGHT_EMOJI[m.light] : '✅';
    lines.push(`${icon} **节点** ${escapeMd(shorten(m.title, 30))} · ${deadlineZh(m.dueAt, timeZone)}`);
  }
  if (plan.milestones.length > 8) lines.push(`及其他${plan.milestones.length - 8}个节点`);
  if (plan.subtasks) lines.push(`**子任务**：${plan.subtasks}`);
  return lines.length > 0 ? [md(lines.join('\n'))] : [];
}

const CLOSED_VERB = (item: Item) =>
  item.status === 'cancelled' ? '撤销' : item.docType === 'circular' ? '阅毕' : '办结';

function nameOf(view: ItemCardView, openId: string | null): string {
  if (!openId) return '未指定';
  return view.names[openId] ?? '未登记人员';
}

function deptOf(view: ItemCardView, code: string | null): string | null {
  return code ? (view.deptNames[code] ?? code) : null;
}

/** 办结 / 已阅 / 认领 — the one action most people take first. */
export function primaryAction(item: Item): { op: 'done' | 'read' | 'claim'; label: string } | null {
  if (item.kind === 'meeting') return null;
  if (!item.assignee) return { op: 'claim', label: '认领' };
  if (item.docType === 'circular') return { op: 'read', label: '已阅' };
  return { op: 'done', label: '办结' };
}

export function itemCard(view: ItemCardView): CardJson {
  const { item } = view;
  const closed = item.status !== 'open';
  const dueToday = view.remaining === '今日到期';
  const prefix = closed
    ? item.status === 'cancelled'
      ? '已撤销'
      : `已${CLOSED_VERB(item)}`
    : KIND_HEADER[item.kind];
  const tags: Tag[] = [{ text: typeLabel(item), color: item.docType === 'urgent' ? 'red' : 'blue' }];
  if (closed) tags.push({ text: item.status === 'cancelled' ? '已撤销' : '已办结', color: 'neutral' });
  else if (item.kind !== 'meeting' && item.dueAt)
    tags.push({ text: LIGHT_ZH[view.light], color: LIGHT_TAG_COLOR[view.light] });

  const elements: CardElement[] = [];
  if (view.notice) elements.push(md(`**${escapeMd(view.notice)}**`));
  const headerTitle = `【${prefix}】${shorten(item.title, 36)}`;
  if ([...item.title].length > 36) elements.push(md(`**${escapeMd(item.title)}**`));
  elements.push(...fieldGrid(item.kind === 'meeting' ? meetingFields(view) : itemFields(view)));

  if (!closed && item.progressNote && item.progressAt) {
    elements.push(
      md(
        `**最新进展**（${stampZh(item.progressAt, view.timeZone)}）：${escapeMd(shorten(item.progressNote, 200))}`,
      ),
    );
  }
  if (!closed && view.plan) elements.push(...planElements(view.plan, view.timeZone));
  if (!closed && view.pendingExtension) {
    const p = view.pendingExtension;
    elements.push(
      md(
        `⏳ ${escapeMd(nameOf(view, p.requestedBy))}已申请延期至${deadlineZh(p.newDueAt, view.timeZone)}，等待审批`,
      ),
    );
  }

  if (closed) {
    const who = nameOf(view, item.closedBy);
    const when = item.closedAt ? stampZh(item.closedAt, view.timeZone) : '';
    elements.push(hr(), md(`**${escapeMd(who)} 于 ${when} ${CLOSED_VERB(item)}**`));
  } else {
    elements.push(hr(), ...actions(view));
    const hint = footerHint(item);
    elements.push(footerNote(hint));
  }

  return card({
    title: headerTitle,
    template: templateFor(view.light, { closed, dueToday }),
    tags,
    elements,
  });
}

function itemFields(view: ItemCardView): Array<[string, string]> {
  const { item } = view;
  const fields: Array<[string, string]> = [['编号', item.id]];
  if (item.docNo) fields.push(['文号', item.docNo]);
  fields.push(['承办', item.assignee ? nameOf(view, item.assignee) : '待认领']);
  const dept = deptOf(view, item.dept ?? item.leadDept);
  if (dept) fields.push([item.kind === 'task' ? '主办' : '处室', dept]);
  if (item.dueAt) {
    fields.push(['时限', deadlineZh(item.dueAt, view.timeZone)]);
    if (item.status === 'open' && view.remaining) fields.push(remainingField(view.remaining));
  }
  if (view.parts?.length) {
    const list = view.parts.map(
      (p) => `${deptOf(view, p.dept)}（${p.status === 'done' ? '已办结' : '办理中'}）`,
    );
    fields.push(['会办', list.join('、')]);
  }
  return fields;
}

/** 剩余 2个工作日 / 剩余 今日到期 / 逾期 2个工作日 / 逾期 今日已逾期 */
function remainingField(remaining: string): [string, string] {
  if (remaining.startsWith('剩余')) return ['剩余', remaining.slice(2)];
  if (remaining.startsWith('已逾期')) return ['逾期', remaining.slice(3)];
  return [remaining.includes('逾期') ? '逾期' : '剩余', remaining];
}

function meetingFields(view: ItemCardView): Array<[string, string]> {
  const { item } = view;
  const fields: Array<[string, string]> = [['编号', item.id]];
  if (item.startsAt) {
    const end = item.endsAt ? `–${localTimeZh(item.endsAt, view.timeZone)}` : '';
    fields.push(['时间', `${deadlineZh(item.startsAt, view.timeZone)}${end}`]);
  }
  if (item.location) fields.push(['地点', item.location]);
  if (item.organizer) fields.push(['组织', nameOf(view, item.organizer)]);
  if (item.minutesTaker) fields.push(['记录', nameOf(view, item.minutesTaker)]);
  if (view.attendance) {
    const a = view.attendance;
    fields.push(['回执', `参加${a.attend}人 · 请假${a.leave}人 · 未回复${a.pending}人`]);
  }
  return fields;
}

function actions(view: ItemCardView): CardElement[] {
  const { item, audience } = view;
  const id = item.id;
  if (item.kind === 'meeting') {
    const mine = view.attendance?.mine;
    const row = buttonRow([
      button(
        '参加',
        { v: 1, op: 'attend', item: id },
        { type: mine === 'attend' ? 'primary' : 'primary_filled' },
      ),
      button('请假', { v: 1, op: 'leave', item: id }, { type: 'default' }),
    ]);
    const out: CardElement[] = [row];
    if (mine === 'attend' || mine === 'leave')
      out.unshift(md(`您已回复：**${mine === 'attend' ? '参加' : '请假'}**`));
    return out;
  }

  const first = primaryAction(item);
  const isChief = audience.kind === 'person' && audience.isChief;
  const buttons: CardElement[] = [];
  if (first) {
    buttons.push(
      // One click closes: no confirmation dialog (every close is on record in the history).
      button(first.label, { v: 1, op: first.op, item: id }, { type: 'primary_filled' }),
    );
  }
  if (item.assignee) {
    buttons.push(button('反馈进展', { v: 1, op: 'form', form: 'progress', item: id }));
    if (item.dueAt && !view.pendingExtension)
      buttons.push(button('申请延期', { v: 1, op: 'form', form: 'extend', item: id }));
  }
  if (isChief) buttons.push(button('转办', { v: 1, op: 'form', form: 'reassign', item: id }));

  const out: CardElement[] = [buttonRow(buttons)];
  if (view.form) out.push(formFor(view, view.form), cancelRow(view.item.id));
  return out;
}

/**
 * 取消 closes the form by re-rendering the card without it. It stands below the form, not in it:
 * in a form every button must submit or reset it (form_action_type) and carry a name.
 */
function cancelRow(id: string): CardElement {
  return buttonRow([button('取消', { v: 1, op: 'view', item: id })]);
}

/** Forms sit at the card's root (Lark allows them nowhere else), below the buttons. */
function formFor(view: ItemCardView, form: OpenForm): CardElement {
  const id = view.item.id;
  if (form.kind === 'progress') {
    return {
      tag: 'form',
      name: 'progress_form',
      elements: [
        md('**反馈进展**'),
        {
          tag: 'input',
          name: 'note',
          required: true,
          input_type: 'multiline_text',
          rows: 3,
          max_length: 500,
          placeholder: plain('如：已与财政局对接，预计周五前报送'),
        },
        button(
          '提交进展',
          { v: 1, op: 'progress', item: id },
          { type: 'primary_filled', submit: 'submit_progress' },
        ),
      ],
    };
  }
  if (form.kind === 'extend') {
    return {
      tag: 'form',
      name: 'extend_form',
      elements: [
        md('**申请延期**（填写延长的工作日数，或选择新的截止日期；需处长审批）'),
        {
          tag: 'select_static',
          name: 'days',
          placeholder: plain('延长几个工作日'),
          options: [1, 2, 3, 5, 10].map((n) => ({ text: plain(`${n}个工作日`), value: String(n) })),
        },
        { tag: 'date_picker', name: 'new_date', placeholder: plain('或选择新的截止日期') },
        {
          tag: 'input',
          name: 'reason',
          required: true,
          max_length: 200,
          placeholder: plain('延期理由，如：等待财政局批复'),
        },
        button(
          '提交申请',
          { v: 1, op: 'extend', item: id },
          { type: 'primary_filled', submit: 'submit_extend' },
        ),
      ],
    };
  }
  return {
    tag: 'form',
    name: 'reassign_form',
    elements: [
      md('**转办**（选择新的承办人）'),
      {
        tag: 'select_static',
        name: 'to',
        required: true,
        placeholder: plain('选择承办人'),
        options: form.candidates.slice(0, 50).map((c) => ({ text: plain(c.name), value: c.openId })),
      },
      button(
        '确认转办',
        { v: 1, op: 'reassign', item: id },
        { type: 'primary_filled', submit: 'submit_reassign' },
      ),
    ],
  };
}

function footerHint(item: Item): string {
  const first = primaryAction(item);
  const help = '回复「帮助」查看全部命令';
  if (!first) return help;
  const word = first.op === 'claim' ? '认领' : first.op === 'read' ? '已阅' : '办结';
  const verb = first.op === 'claim' ? '认领' : first.op === 'read' ? '标记已阅' : '办结';
  return `回复「${word} ${item.id}」也可${verb} · ${help}`;
}
