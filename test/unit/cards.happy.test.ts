import { describe, expect, it } from 'vitest';
import type { ExtensionRequest, Item, Light } from '../../src/domain/types.js';
import { cardBytes, escapeMd } from '../../src/lark/cards/common.js';
import { extensionCard, extensionDecisionCard } from '../../src/lark/cards/extension-card.js';
import { helpCard } from '../../src/lark/cards/help-card.js';
import { type ItemCardView, itemCard } from '../../src/lark/cards/item-card.js';
import { dutyCard } from '../../src/lark/cards/notice-card.js';
import { sortByLight, type TodoEntry, todoCard } from '../../src/lark/cards/todo-card.js';
import { parseButtonValue } from '../../src/lark/cards/values.js';
import { welcomeCard } from '../../src/lark/cards/welcome-card.js';
import { buttonsOf, buttonTexts, cardProblems, elementsOf, headerOf, textOf } from '../helpers/cards.js';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

function item(over: Partial<Item> = {}): Item {
  return {
    id: 'D-12',
    kind: 'document',
    title: '关于年度工作总结的通知',
    status: 'open',
    docType: 'normal',
    docNo: '穗府办〔2026〕12号',
    direction: 'in',
    receivedAt: at('2026-11-20T09:00:00+08:00'),
    source: null,
    leadDept: null,
    dept: 'ZHB',
    assignee: 'ou_zhang',
    dueAt: at('2026-11-24T18:00:00+08:00'),
    originalDueAt: at('2026-11-24T18:00:00+08:00'),
    startsAt: null,
    endsAt: null,
    location: null,
    organizer: null,
    minutesTaker: null,
    chatId: null,
    parentId: null,
    progressNote: null,
    progressAt: null,
    closedAt: null,
    closedBy: null,
    createdBy: 'admin',
    createdAt: at('2026-11-20T09:00:00+08:00'),
    version: 1,
    ...over,
  };
}

const names = { ou_zhang: '张三', ou_li: '李四', ou_wang: '王处长' };
const deptNames = { ZHB: '综合处' };

function view(over: Partial<ItemCardView> = {}): ItemCardView {
  return {
    item: item(),
    light: 'yellow',
    remaining: '剩余1个工作日',
    names,
    deptNames,
    audience: { kind: 'person', openId: 'ou_zhang', isChief: false },
    timeZone: TZ,
    ...over,
  };
}

describe('new-item card', () => {
  it('shows what, by when, and the first action, without the document content', () => {
    const c = itemCard(view());
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toEqual({
      title: '【待办】关于年度工作总结的通知',
      template: 'yellow',
      tags: ['一般件', '黄灯'],
    });
    const text = textOf(c);
    for (const field of [
      '**编号**　D-12',
      '**文号**　穗府办〔2026〕12号',
      '**承办**　张三',
      '**处室**　综合处',
      '**时限**　11月24日（周二）18:00',
      '**剩余**　1个工作日',
    ]) {
      expect(text).toContain(field);
    }
    expect(text).toContain('回复「办结 D-12」也可办结 · 回复「帮助」查看全部命令');
    expect(buttonsOf(c)).toEqual([
      {
        text: '办结',
        type: 'primary_filled',
        value: { v: 1, op: 'done', item: 'D-12' },
        submit: false,
        confirm: false,
      },
      {
        text: '反馈进展',
        type: 'default',
        value: { v: 1, op: 'form', form: 'progress', item: 'D-12' },
        submit: false,
        confirm: false,
      },
      {
        text: '申请延期',
        type: 'default',
        value: { v: 1, op: 'form', form: 'extend', item: 'D-12' },
        submit: false,
        confirm: false,
      },
    ]);
    expect(c.config).toMatchObject({ update_multi: true });
  });

  it.each<[Light, string | null, string]>([
    ['green', '剩余3个工作日', 'green'],
    ['yellow', '剩余1个工作日', 'yellow'],
    ['yellow', '今日到期', 'orange'],
    ['red', '已逾期2个工作日', 'red'],
  ])('header colour follows the light: %s (%s) → %s', (light, remaining, template) => {
    expect(headerOf(itemCard(view({ light, remaining }))).template).toBe(template);
  });

  it.each([
    ['剩余3个工作日', '**剩余**　3个工作日'],
    ['今日到期', '**剩余**　今日到期'],
    ['已逾期2个工作日', '**逾期**　2个工作日'],
    ['今日已逾期', '**逾期**　今日已逾期'],
  ])('the time left reads naturally: %s → %s', (remaining, line) => {
    expect(textOf(itemCard(view({ remaining })))).toContain(line);
  });

  it('a circulation copy is read, not closed', () => {
    const c = itemCard(view({ item: item({ docType: 'circular' }) }));
    expect(headerOf(c).tags[0]).toBe('传阅件');
    expect(buttonsOf(c)[0]).toMatchObject({ text: '已阅', value: { v: 1, op: 'read', item: 'D-12' } });
    expect(textOf(c)).toContain('回复「已阅 D-12」也可标记已阅');
  });

  it('an unassigned task in a group offers 认领 only, and says who leads it', () => {
    const task = item({
      id: 'T-3',
      kind: 'task',
      docType: null,
      docNo: null,
      source: 'instruction',
      leadDept: 'ZHB',
      dept: 'ZHB',
      assignee: null,
    });
    const c = itemCard(view({ item: task, audience: { kind: 'group' } }));
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toMatchObject({
      title: '【督办】关于年度工作总结的通知',
      tags: ['领导批示', '黄灯'],
    });
    expect(buttonTexts(c)).toEqual(['认领']);
    expect(buttonsOf(c)[0]!.value).toEqual({ v: 1, op: 'claim', item: 'T-3' });
    expect(textOf(c)).toContain('**承办**　待认领');
    expect(textOf(c)).toContain('**主办**　综合处');
  });

  it('chiefs also see 转办; staff and groups do not', () => {
    const chief = itemCard(view({ audience: { kind: 'person', openId: 'ou_wang', isChief: true } }));
    expect(buttonTexts(chief)).toEqual(['办结', '反馈进展', '申请延期', '转办']);
    expect(buttonsOf(chief)[3]!.value).toEqual({ v: 1, op: 'form', form: 'reassign', item: 'D-12' });
    expect(buttonTexts(itemCard(view({ audience: { kind: 'group' } })))).not.toContain('转办');
  });

  it('an urgent document gets a red type tag', () => {
    const c = itemCard(view({ item: item({ docType: 'urgent' }) }));
    expect(c.header).toMatchObject({ text_tag_list: [{ text: { content: '紧急件' }, color: 'red' }, {}] });
  });

  it('the progress form has a required text input and a submit button that carries the item', () => {
    const c = itemCard(view({ form: { kind: 'progress' } }));
    expect(cardProblems(c)).toEqual([]);
    const [form] = elementsOf(c, 'form');
    expect(form).toMatchObject({ name: 'progress_form' });
    expect(elementsOf(c, 'input')).toEqual([expect.objectContaining({ name: 'note', required: true })]);
    const submit = buttonsOf(c).find((b) => b.submit);
    expect(submit).toMatchObject({ text: '提交进展', value: { v: 1, op: 'progress', item: 'D-12' } });
    expect(buttonsOf(c).at(-1)).toMatchObject({ text: '取消', value: { v: 1, op: 'view', item: 'D-12' } });
  });

  it('the extension form asks for working days or a date, and a reason', () => {
    const c = itemCard(view({ form: { kind: 'extend' } }));
    expect(cardProblems(c)).toEqual([]);
    const [days] = elementsOf(c, 'select_static');
    expect(days).toMatchObject({ name: 'days' });
    expect(days!.options.map((o: any) => o.value)).toEqual(['1', '2', '3', '5', '10']);
    expect(elementsOf(c, 'date_picker')).toEqual([expect.objectContaining({ name: 'new_date' })]);
    expect(elementsOf(c, 'input')).toEqual([expect.objectContaining({ name: 'reason', required: true })]);
    expect(buttonsOf(c).find((b) => b.submit)).toMatchObject({
      text: '提交申请',
      value: { v: 1, op: 'extend', item: 'D-12' },
    });
  });

  it('the reassign form lists the candidates', () => {
    const c = itemCard(
      view({
        audience: { kind: 'person', openId: 'ou_wang', isChief: true },
        form: { kind: 'reassign', candidates: [{ openId: 'ou_li', name: '李四' }] },
      }),
    );
    expect(cardProblems(c)).toEqual([]);
    expect(elementsOf(c, 'select_static')[0]).toMatchObject({
      name: 'to',
      options: [{ text: { content: '李四' }, value: 'ou_li' }],
    });
    expect(buttonsOf(c).find((b) => b.submit)?.value).toEqual({ v: 1, op: 'reassign', item: 'D-12' });
  });

  it('a pending extension replaces the 申请延期 button with its status', () => {
    const c = itemCard(
      view({
        pendingExtension: {
          requestedBy: 'ou_zhang',
          newDueAt: at('2026-11-27T18:00:00+08:00'),
          reason: '等待批复',
        },
      }),
    );
    expect(buttonTexts(c)).toEqual(['办结', '反馈进展']);
    expect(textOf(c)).toContain('张三已申请延期至11月27日（周五）18:00，等待审批');
  });

  it('the latest progress is shown with its time', () => {
    const c = itemCard(
      view({ item: item({ progressNote: '已与财政局对接', progressAt: at('2026-11-22T10:31:00+08:00') }) }),
    );
    expect(textOf(c)).toContain('**最新进展**（11月22日 10:31）：已与财政局对接');
  });

  it('turns grey with who closed it and when, and offers no buttons', () => {
    const c = itemCard(
      view({
        item: item({ status: 'done', closedBy: 'ou_zhang', closedAt: at('2026-11-22T10:31:00+08:00') }),
        audience: { kind: 'group' },
      }),
    );
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toEqual({
      title: '【已办结】关于年度工作总结的通知',
      template: 'grey',
      tags: ['一般件', '已办结'],
    });
    expect(textOf(c)).toContain('**张三 于 11月22日 10:31 办结**');
    expect(buttonsOf(c)).toEqual([]);
  });

  it('a cancelled item says 已撤销 and who cancelled it', () => {
    const c = itemCard(
      view({
        item: item({ status: 'cancelled', closedBy: 'ou_wang', closedAt: at('2026-11-23T16:00:00+08:00') }),
      }),
    );
    expect(headerOf(c)).toEqual({
      title: '【已撤销】关于年度工作总结的通知',
      template: 'grey',
      tags: ['一般件', '已撤销'],
    });
    expect(textOf(c)).toContain('**王处长 于 11月23日 16:00 撤销**');
    expect(buttonsOf(c)).toEqual([]);
  });

  it('a read circulation copy says 阅毕', () => {
    const c = itemCard(
      view({
        item: item({
          docType: 'circular',
          status: 'done',
          closedBy: 'ou_li',
          closedAt: at('2026-11-22T09:05:00+08:00'),
        }),
      }),
    );
    expect(headerOf(c).title).toBe('【已阅毕】关于年度工作总结的通知');
    expect(textOf(c)).toContain('**李四 于 11月22日 09:05 阅毕**');
  });

  it('a meeting card shows time, place and replies, with 参加 / 请假', () => {
    const meeting = item({
      id: 'M-3',
      kind: 'meeting',
      docType: null,
      docNo: null,
      dept: null,
      assignee: null,
      dueAt: null,
      title: '第12次办公会议',
      startsAt: at('2026-11-24T09:30:00+08:00'),
      endsAt: at('2026-11-24T11:00:00+08:00'),
      location: '3楼第一会议室',
      organizer: 'ou_wang',
    });
    const c = itemCard(
      view({
        item: meeting,
        light: 'green',
        remaining: null,
        attendance: { attend: 3, leave: 1, pending: 2, mine: 'attend' },
      }),
    );
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toMatchObject({ title: '【会议】第12次办公会议', tags: ['会议'] });
    const text = textOf(c);
    expect(text).toContain('**时间**　11月24日（周二）09:30–11:00');
    expect(text).toContain('**地点**　3楼第一会议室');
    expect(text).toContain('**组织**　王处长');
    expect(text).toContain('**回执**　参加3人 · 请假1人 · 未回复2人');
    expect(text).toContain('您已回复：**参加**');
    expect(buttonsOf(c).map((b) => [b.text, b.value])).toEqual([
      ['参加', { v: 1, op: 'attend', item: 'M-3' }],
      ['请假', { v: 1, op: 'leave', item: 'M-3' }],
    ]);
  });

  it('a long title is shortened in the header and shown whole in the body', () => {
    const title = '关于做好2026年度全市政府系统办公厅（室）工作总结和2027年工作计划报送工作的通知';
    const c = itemCard(view({ item: item({ title }) }));
    expect([...headerOf(c).title].length).toBeLessThanOrEqual(40);
    expect(headerOf(c).title.endsWith('…')).toBe(true);
    expect(textOf(c)).toContain(`**${escapeMd(title)}**`);
  });

  it('text typed by people cannot inject markdown', () => {
    expect(escapeMd('[点我](http://x) **粗** <at id=all></at>')).not.toMatch(/[[\]*<>]/);
    const c = itemCard(
      view({ item: item({ progressNote: '<at id=all></at>', progressAt: at('2026-11-22T10:00:00+08:00') }) }),
    );
    expect(textOf(c)).not.toContain('<at');
  });
});

describe('extension approval card', () => {
  const request: ExtensionRequest = {
    id: 7,
    itemId: 'T-3',
    requestedBy: 'ou_zhang',
    requestedAt: at('2026-11-23T10:00:00+08:00'),
    currentDueAt: at('2026-11-24T18:00:00+08:00'),
    newDueAt: at('2026-11-27T18:00:00+08:00'),
    reason: '等待财政局批复',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
  };
  const task = item({
    id: 'T-3',
    kind: 'task',
    docType: null,
    docNo: null,
    source: 'decision',
    leadDept: 'ZHB',
  });

  it('asks the chief to approve or reject, with the old and new deadline and the reason', () => {
    const c = extensionCard({
      item: task,
      request,
      extraText: '延长3个工作日',
      names,
      deptNames,
      timeZone: TZ,
    });
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toEqual({
      title: '【延期申请】T-3 关于年度工作总结的通知',
      template: 'orange',
      tags: ['待审批'],
    });
    const text = textOf(c);
    expect(text).toContain('**申请人**　张三');
    expect(text).toContain('**原时限**　11月24日（周二）18:00');
    expect(text).toContain('**延至**　11月27日（周五）18:00（延长3个工作日）');
    expect(text).toContain('**理由**：等待财政局批复');
    expect(buttonsOf(c).map((b) => [b.text, b.type, b.value])).toEqual([
      ['同意', 'primary_filled', { v: 1, op: 'approve-extension', item: 'T-3', req: 7 }],
      ['驳回', 'danger', { v: 1, op: 'reject-extension', item: 'T-3', req: 7 }],
    ]);
  });

  it('once decided, it is grey and says who decided', () => {
    const c = extensionCard({
      item: task,
      request: {
        ...request,
        status: 'approved',
        decidedBy: 'ou_wang',
        decidedAt: at('2026-11-23T11:05:00+08:00'),
      },
      names,
      deptNames,
      timeZone: TZ,
    });
    expect(headerOf(c).template).toBe('grey');
    expect(buttonsOf(c)).toEqual([]);
    expect(textOf(c)).toContain('**王处长 于 11月23日 11:05 同意延期**');
  });

  it('tells the requester the decision', () => {
    const decided = {
      ...request,
      status: 'rejected' as const,
      decidedBy: 'ou_wang',
      decidedAt: at('2026-11-23T11:05:00+08:00'),
    };
    const c = extensionDecisionCard({ item: task, request: decided, names, deptNames, timeZone: TZ });
    expect(headerOf(c)).toMatchObject({ title: '【延期未同意】T-3 关于年度工作总结的通知', template: 'red' });
    expect(textOf(c)).toContain('**审批人**　王处长');
    expect(textOf(c)).toContain('**时限**　11月24日（周二）18:00');
  });
});

describe('待办 card', () => {
  const entry = (n: number, light: Light, dueDay: number): TodoEntry => ({
    item: item({
      id: `D-${n}`,
      title: `事项${n}`,
      dueAt: at(`2026-11-${String(dueDay).padStart(2, '0')}T18:00:00+08:00`),
    }),
    light,
    remaining: light === 'red' ? '已逾期1个工作日' : '剩余2个工作日',
  });

  it('sorts red first, then by deadline', () => {
    const sorted = sortByLight([
      entry(1, 'green', 20),
      entry(2, 'red', 25),
      entry(3, 'yellow', 21),
      entry(4, 'red', 19),
    ]);
    expect(sorted.map((e) => e.item.id)).toEqual(['D-4', 'D-2', 'D-3', 'D-1']);
  });

  it('lists each item with its own button, red header when something is overdue', () => {
    const c = todoCard({ entries: [entry(1, 'green', 26), entry(2, 'red', 20)], timeZone: TZ });
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toMatchObject({ title: '【待办】您有2件事项需要处理', template: 'red' });
    const text = textOf(c);
    expect(text.indexOf('**D-2**')).toBeLessThan(text.indexOf('**D-1**'));
    expect(text).toContain('🔴 **D-2** 事项2');
    expect(text).toContain('11月20日（周五）18:00 · 已逾期1个工作日');
    expect(text).toContain('其中**逾期1件**');
    expect(buttonsOf(c).map((b) => b.value)).toEqual([
      { v: 1, op: 'done', item: 'D-2' },
      { v: 1, op: 'done', item: 'D-1' },
    ]);
  });

  it('shows the top ten and counts the rest, and stays far under 30 KB', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      ...entry(i + 1, (['red', 'yellow', 'green'] as const)[i % 3]!, 10 + (i % 15)),
      item: item({
        id: `D-${i + 1}`,
        title: '关于做好2026年度全市政府系统办公厅（室）工作总结和计划报送工作的通知'.repeat(3),
      }),
    }));
    const c = todoCard({ entries, timeZone: TZ });
    expect(cardProblems(c)).toEqual([]);
    expect(buttonsOf(c)).toHaveLength(10);
    expect(textOf(c)).toContain('及其他290项');
    expect(cardBytes(c)).toBeLessThan(15 * 1024);
  });

  it('says so when there is nothing to do', () => {
    const c = todoCard({ entries: [], timeZone: TZ });
    expect(headerOf(c)).toMatchObject({ title: '【待办】您目前没有待办事项', template: 'blue' });
    expect(buttonsOf(c)).toEqual([]);
  });
});

describe('help and welcome cards', () => {
  it('groups the commands 办理 / 查询 / 管理 with an example each', () => {
    const c = helpCard();
    expect(cardProblems(c)).toEqual([]);
    const text = textOf(c);
    for (const s of [
      '**办理**',
      '**查询**',
      '**管理**（仅管理员）',
      '`办结 D-12`',
      '`已阅 D-12`',
      '`认领 T-3`',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toContain('`进展 T-3 已与财政局对接`');
    expect(text).toContain('`延期 T-3 3天 等待批复`');
    expect(text).toContain('`待办`');
    expect(text).toContain('`值班`');
    expect(text).toContain('`绑定 ZHB`');
    expect(text.indexOf('**办理**')).toBeLessThan(text.indexOf('**查询**'));
    expect(text.indexOf('**查询**')).toBeLessThan(text.indexOf('**管理**'));
  });

  it('suggests the closest command for a typo', () => {
    const c = helpCard({ unknownText: '办节 D-12', suggestion: '办结 D-12' });
    expect(headerOf(c).title).toBe('【帮助】您是不是想输入：办结 D-12？');
    expect(textOf(c)).toContain('您是不是想输入：**办结 D-12**？');
    expect(textOf(c)).toContain('未能识别「办节 D-12」');
  });

  it('explains a missing argument with an example', () => {
    const c = helpCard({ problem: { text: '办结：请写上事项编号', example: '办结 D-12' } });
    expect(textOf(c)).toContain('**办结：请写上事项编号**\n示例：`办结 D-12`');
  });

  it('the welcome card explains binding, for admins', () => {
    const c = welcomeCard({ chatName: '综合处工作群', departments: [{ code: 'ZHB', name: '综合处' }] });
    expect(cardProblems(c)).toEqual([]);
    expect(headerOf(c)).toEqual({ title: '【催办助手】已加入「综合处工作群」', template: 'blue', tags: [] });
    const text = textOf(c);
    expect(text).toContain('**绑定部门**（仅管理员）');
    expect(text).toContain('`@催办助手 绑定 ZHB`');
    expect(text).toContain('可用的部门代码：ZHB 综合处');
  });

  it('the duty card names the officer and the leader', () => {
    const c = dutyCard({ dateZh: '11月23日（周一）', officer: '张三', leader: '王处长' });
    expect(cardProblems(c)).toEqual([]);
    expect(textOf(c)).toContain('值班：张三\n带班领导：王处长');
  });
});

describe('button values', () => {
  it('accepts every value the cards carry', () => {
    const cards = [
      itemCard(view()),
      itemCard(view({ form: { kind: 'extend' } })),
      itemCard(view({ audience: { kind: 'person', openId: 'ou_wang', isChief: true } })),
      todoCard({ entries: [{ item: item(), light: 'red', remaining: null }], timeZone: TZ }),
    ];
    for (const c of cards) for (const b of buttonsOf(c)) expect(parseButtonValue(b.value)).toEqual(b.value);
  });

  it.each([
    [{ v: 1, op: 'done', item: 'D-12' }, true],
    [JSON.stringify({ v: 1, op: 'claim', item: 'T-3' }), true],
    [{ v: 1, op: 'approve-extension', item: 'T-3', req: 7 }, true],
    [{ v: 1, op: 'form', form: 'progress', item: 'T-3' }, true],
    [{ v: 2, op: 'done', item: 'D-12' }, false],
    [{ op: 'done', item: 'D-12' }, false],
    [{ v: 1, op: 'delete', item: 'D-12' }, false],
    [{ v: 1, op: 'done', item: 'D-12; drop table items' }, false],
    [{ v: 1, op: 'approve-extension', item: 'T-3' }, false],
    ['not json', false],
    [null, false],
    [[1, 2], false],
  ])('%j → valid %s', (raw, ok) => {
    expect(parseButtonValue(raw) !== null).toBe(ok);
  });
});
