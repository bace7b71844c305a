import {
  button,
  buttonRow,
  type CardElement,
  type CardJson,
  card,
  escapeMd,
  footerNote,
  md,
  plain,
} from './common.js';

/**
 * 值班 cards: 明日值班 / the holiday block's roster, 接班确认 and its reminder, the escalation to
 * the leader on duty and the admins, the duty-log request (平安无事 or a form with events), swap
 * requests, and the roster answers to 值班 / 值班表. Pure builders.
 */

export interface ShiftLine {
  date: string;
  /** '10月1日（周四）' */
  dateZh: string;
  officers: string[];
  leader: string | null;
  /** '08:30—次日08:30' */
  hours: string;
  /** The recipient is on this shift (shown in bold). */
  mine?: boolean;
}

function lineOf(s: ShiftLine): string {
  const who = s.officers.length ? s.officers.map(escapeMd).join('、') : '未安排';
  const text = `${s.dateZh}　值班：${who}　带班领导：${escapeMd(s.leader ?? '未安排')}　${s.hours}`;
  return s.mine ? `**${text}**` : text;
}

/** 明日值班 (one day) or the roster of the rest days ahead (several). */
export function dutyEveCard(view: {
  shifts: ShiftLine[];
  swapDates: Array<{ date: string; dateZh: string }>;
}): CardJson {
  const single = view.shifts.length === 1;
  const title = single
    ? `【明日值班】${view.shifts[0]!.dateZh}`
    : `【值班安排】${view.shifts[0]!.dateZh}至${view.shifts.at(-1)!.dateZh}`;
  const elements: CardElement[] = [
    md(single ? '明日由您值班，请按时接班。' : '节假日期间值班安排如下，加粗为您的班次，请按时接班。'),
    md(view.shifts.map(lineOf).join('\n')),
  ];
  if (view.swapDates.length)
    elements.push(
      buttonRow(
        view.swapDates.map((d) =>
          button(`申请换班 ${d.dateZh}`, { v: 1, op: 'duty-swap-form', date: d.date }),
        ),
      ),
    );
  elements.push(footerNote('回复「值班表」查看本周安排 · 回复「换班 日期 @同事」申请换班'));
  return card({ title, template: 'blue', elements });
}

/** 接班确认 at the shift's start (and the reminder 30 minutes later), or confirmed. */
export function dutyStartCard(view: {
  date: string;
  shift: ShiftLine;
  reminder?: boolean;
  confirmed?: { by: string; at: string };
}): CardJson {
  const elements: CardElement[] = [md(lineOf({ ...view.shift, mine: false }))];
  if (view.confirmed) {
    elements.push(md(`已由${escapeMd(view.confirmed.by)}于${view.confirmed.at}确认接班。`));
    return card({ title: `【接班确认】${view.shift.dateZh}`, template: 'green', elements });
  }
  elements.unshift(md(view.reminder ? '**您尚未确认接班，请立即确认。**' : '您的值班已开始，请确认接班。'));
  elements.push(
    buttonRow([
      button('接班确认', { v: 1, op: 'duty-handover', date: view.date }, { type: 'primary_filled' }),
    ]),
    footerNote('回复「接班」也可确认'),
  );
  return card({
    title: `【${view.reminder ? '接班提醒' : '接班确认'}】${view.shift.dateZh}`,
    template: view.reminder ? 'orange' : 'blue',
    elements,
  });
}

/** To the leader on duty and the admins: the officer has not confirmed the handover. */
export function dutyEscalationCard(view: { shift: ShiftLine; minutes: number }): CardJson {
  return card({
    title: `【值班督办】${view.shift.dateZh}未确认接班`,
    template: 'red',
    elements: [
      md(
        `值班人员${view.shift.officers.map(escapeMd).join('、')}在接班时间后${view.minutes}分钟仍未确认接班，请及时联系。`,
      ),
      md(lineOf(view.shift)),
    ],
  });
}

/** At the shift's end: the duty log, 平安无事 in one click or the form with an event. */
export function dutyLogCard(view: {
  date: string;
  dateZh: string;
  chase?: boolean;
  form?: boolean;
  written?: string;
}): CardJson {
  const title = `【${view.chase ? '值班日志催报' : '值班日志'}】${view.dateZh}`;
  if (view.written)
    return card({ title, template: 'green', elements: [md(`已记录：${escapeMd(view.written)}`)] });
  const elements: CardElement[] = [
    md(
      view.chase
        ? '**您的值班日志尚未填报，请尽快填报。**'
        : '值班结束，请填报值班日志：无事请点「平安无事」，有情况请填写。',
    ),
    buttonRow([
      button('平安无事', { v: 1, op: 'duty-quiet', date: view.date }, { type: 'primary_filled' }),
      button('填写日志', { v: 1, op: 'duty-log-form', date: view.date }),
    ]),
  ];
  if (view.form) elements.push(logForm(view.date));
  elements.push(footerNote('回复「值班日志 内容」也可填报'));
  return card({ title, template: view.chase ? 'red' : 'blue', elements });
}

function logForm(date: string): CardElement {
  const input = (name: string, hint: string, required = false, multiline = false) => ({
    tag: 'input',
    name,
    required,
    max_length: multiline ? 500 : 50,
    ...(multiline ? { input_type: 'multiline_text', rows: 2 } : {}),
    placeholder: plain(hint),
  });
  return {
    tag: 'form',
    name: 'duty_log_form',
    elements: [
      md('**值班事项**'),
      input('time', '时间，如 21:40'),
      input('caller', '来电（来访）单位或人员'),
      input('what', '事由', true, true),
      input('done', '处理情况', false, true),
      buttonRow([
        button('提交', { v: 1, op: 'duty-log', date }, { type: 'primary_filled', submit: 'submit_duty_log' }),
      ]),
    ],
  };
}

/** To the colleague asked: 同意 / 拒绝; after the answer, the outcome. */
export function dutySwapCard(view: {
  swapId: number;
  from: string;
  to: string;
  dateZh: string;
  status: 'pending' | 'accepted' | 'declined' | 'void';
  note?: string;
  /** 同意 / 拒绝 while pending (the colleague's copy; the asker's has none). */
  buttons?: boolean;
}): CardJson {
  const text = `${escapeMd(view.from)}申请将${view.dateZh}的值班换由${escapeMd(view.to)}担任。`;
  const elements: CardElement[] = [md(text)];
  if (view.note) elements.push(md(escapeMd(view.note)));
  if (view.status === 'pending' && view.buttons !== false) {
    elements.push(
      buttonRow([
        button('同意', { v: 1, op: 'duty-swap-accept', swap: view.swapId }, { type: 'primary_filled' }),
        button('拒绝', { v: 1, op: 'duty-swap-decline', swap: view.swapId }),
      ]),
    );
  }
  const state = { pending: '待答复', accepted: '已同意', declined: '已拒绝', void: '已失效' }[view.status];
  const template = view.status === 'accepted' ? 'green' : view.status === 'pending' ? 'blue' : 'grey';
  return card({ title: `【换班申请】${view.dateZh} · ${state}`, template, elements });
}

/** 申请换班 from a card: choose the colleague. */
export function dutySwapFormCard(view: {
  date: string;
  dateZh: string;
  candidates: Array<{ openId: string; name: string }>;
}): CardJson {
  return card({
    title: `【申请换班】${view.dateZh}`,
    template: 'blue',
    elements: [
      {
        tag: 'form',
        name: 'duty_swap_form',
        elements: [
          md('选择接替您值班的同事，对方同意后值班表随即调整。'),
          {
            tag: 'select_static',
            name: 'to',
            required: true,
            placeholder: plain('选择同事'),
            options: view.candidates.slice(0, 50).map((c) => ({ text: plain(c.name), value: c.openId })),
          },
          buttonRow([
            button(
              '发送申请',
              { v: 1, op: 'duty-swap-ask', date: view.date },
              { type: 'primary_filled', submit: 'submit_duty_swap' },
            ),
          ]),
        ],
      },
    ],
  });
}

/** 值班 (today and tomorrow) and 值班表 (this week). */
export function dutyRosterCard(view: { title: string; shifts: ShiftLine[]; footer: string }): CardJson {
  return card({
    title: view.title,
    template: 'blue',
    elements: [md(view.shifts.map(lineOf).join('\n')), footerNote(view.footer)],
  });
}
