import { describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, cardBytes } from '../../src/lark/cards/common.js';
import { escalationCard } from '../../src/lark/cards/escalation.js';
import { type ReminderLineView, reminderRoundCard } from '../../src/lark/cards/reminder-round.js';

const line = (i: number, over: Partial<ReminderLineView> = {}): ReminderLineView => ({
  id: `T-${i}`,
  title: `关于做好第${i}季度重点工作任务落实情况专项督查的通知（请各处室认真对照检查并按时反馈）`,
  itemKind: 'task',
  docType: null,
  kind: 'yellow',
  when: '10月8日（周四）18:00到期，剩余1个工作日',
  ...over,
});

const texts = (card: any) => JSON.stringify(card.body.elements);

describe('the reminder round card', () => {
  it('lists every item with its own 办结 button, red first as given, in red when anything is overdue', () => {
    const card = reminderRoundCard({
      lines: [
        line(12, {
          id: 'D-12',
          itemKind: 'document',
          docType: 'normal',
          kind: 'overdue',
          when: '已逾期2个工作日',
        }),
        line(7, { kind: 'due-today', when: '今日18:00到期' }),
      ],
    }) as any;
    expect(card.header.title.content).toBe('【催办】您有2件事项需要处理');
    expect(card.header.template).toBe('red');
    const body = texts(card);
    expect(body.indexOf('🔴 **D-12**')).toBeLessThan(body.indexOf('🟡 **T-7**'));
    expect(body).toContain('{"v":1,"op":"done","item":"D-12"}');
    expect(body).toContain('{"v":1,"op":"done","item":"T-7"}');
    expect(body).toContain('回复「办结 D-12」也可办结');
  });

  it('is yellow when nothing is overdue; circulation copies get 已阅, co-units 反馈进展, meetings 参加 / 请假', () => {
    const card = reminderRoundCard({
      lines: [
        line(1, { id: 'D-1', itemKind: 'document', docType: 'circular' }),
        line(2, { kind: 'part' }),
        line(3, { id: 'M-3', itemKind: 'meeting', kind: 'meeting-soon', when: '10月8日（周四）10:00开始' }),
      ],
    }) as any;
    expect(card.header.template).toBe('yellow');
    const body = texts(card);
    expect(body).toContain('{"v":1,"op":"read","item":"D-1"}');
    expect(body).toContain('{"v":1,"op":"form","form":"progress","item":"T-2"}');
    // The same values as the meeting's own card, so the answer is recorded the same way.
    expect(body).toContain('{"v":1,"op":"attend","item":"M-3"}');
    expect(body).toContain('{"v":1,"op":"leave","item":"M-3"}');
    expect(body).not.toContain('{"v":1,"op":"done","item":"M-3"}');
    expect(body).toContain('会办 · ');
  });

  it('a meeting line says where, and what the person answered; both answers stay offered', () => {
    const meeting = line(3, {
      id: 'M-3',
      itemKind: 'meeting',
      kind: 'meeting-eve',
      when: '10月8日（周四）10:00开始',
      location: '三楼第一会议室',
    });
    const fresh = texts(reminderRoundCard({ lines: [meeting] }));
    expect(fresh).toContain('**M-3**');
    expect(fresh).toContain('10月8日（周四）10:00开始 · 地点：三楼第一会议室');
    expect(fresh).not.toContain('您已回复');
    const answered = reminderRoundCard({ lines: [{ ...meeting, attendance: 'leave' }] }) as any;
    expect(texts(answered)).toContain('您已回复：**请假**');
    expect(texts(answered)).toContain('{"v":1,"op":"attend","item":"M-3"}');
  });

  it('a closed item reads as closed, with no button, and no longer counts in the title', () => {
    const card = reminderRoundCard({
      lines: [
        line(1, { kind: 'overdue', closed: '已由张三于11月23日 10:31办结' }),
        line(2, { kind: 'yellow' }),
        line(3, {
          id: 'M-3',
          itemKind: 'meeting',
          kind: 'meeting-soon',
          closed: '已由王处长于11月23日 10:40撤销',
        }),
      ],
    }) as any;
    expect(card.header).toMatchObject({
      title: { content: '【催办】您有1件事项需要处理' },
      template: 'yellow',
    });
    const body = texts(card);
    expect(body).toContain('✅ **T-1**');
    expect(body).toContain('已由张三于11月23日 10:31办结');
    expect(body).not.toContain('"item":"T-1"');
    expect(body).not.toContain('"item":"M-3"');
    expect(body).toContain('{"v":1,"op":"done","item":"T-2"}');
    expect(body).toContain('回复「办结 T-2」也可办结');

    const allDone = reminderRoundCard({
      lines: [line(1, { closed: '已由张三于11月23日 10:31办结' })],
    }) as any;
    expect(allDone.header).toMatchObject({
      title: { content: '【催办】本轮提醒的事项均已处理' },
      template: 'grey',
    });
    expect(texts(allDone)).not.toContain('"op":"done"');
  });

  it('past ten items shows the top ten and 及其他N项, and stays under 30 KB', () => {
    const lines = Array.from({ length: 14 }, (_, i) => line(i + 1, { kind: i < 3 ? 'overdue' : 'yellow' }));
    const card = reminderRoundCard({ lines }) as any;
    expect(card.header.title.content).toBe('【催办】您有14件事项需要处理');
    const body = texts(card);
    expect(body).toContain('T-10');
    expect(body).not.toContain('T-11');
    expect(body).toContain('及其他4项，回复「待办」查看全部');
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
  });

  it('a meetings-only card says so, in blue', () => {
    const card = reminderRoundCard({
      lines: [
        line(1, { id: 'M-1', itemKind: 'meeting', kind: 'meeting-eve', when: '10月8日（周四）10:00开始' }),
      ],
    }) as any;
    expect(card.header).toMatchObject({
      title: { content: '【会议】您有1个会议即将召开' },
      template: 'blue',
    });
  });
});

describe('the escalation card', () => {
  const esc = (id: string, deptName: string) => ({
    id,
    title: '起草节前安全检查方案',
    deptName,
    handlerName: '张三',
    overdue: '已逾期2个工作日',
  });

  it('names the department, the handler and the days overdue, with 催办承办人', () => {
    const card = escalationCard({ lines: [esc('T-4', '综合处'), esc('D-9', '综合处')] }) as any;
    expect(card.header).toMatchObject({ title: { content: '【督办】综合处有2件事项逾期' }, template: 'red' });
    const body = texts(card);
    expect(body).toContain('综合处 · 承办 张三 · 已逾期2个工作日');
    expect(body).toContain('{"v":1,"op":"nudge","item":"T-4"}');
    expect(body).toContain('催办承办人');
  });

  it('counts departments for the office leaders, and rides under a chief’s own items on one card', () => {
    expect(
      (escalationCard({ lines: [esc('T-4', '综合处'), esc('T-5', '财务处')] }) as any).header.title.content,
    ).toBe('【督办】2个处室有2件事项逾期');
    const both = reminderRoundCard({
      lines: [line(1, { kind: 'overdue' })],
      escalations: [esc('T-4', '综合处')],
    }) as any;
    expect(both.header.title.content).toBe('【催办】您有1件事项需要处理');
    expect(texts(both)).toContain('督办：综合处有1件事项逾期');
  });

  it('a line chased only for its progress report is not called overdue in the title', () => {
    const report = { ...esc('T-1', '综合处'), overdue: '10月进展未报，已逾期1个工作日', reportOnly: true };
    expect((escalationCard({ lines: [report] }) as any).header.title.content).toBe(
      '【督办】综合处有1件事项进展未报',
    );
    expect((escalationCard({ lines: [report, esc('T-3', '综合处')] }) as any).header.title.content).toBe(
      '【督办】综合处有2件事项逾期或进展未报',
    );
    const closedOverdue = { ...esc('T-3', '综合处'), closed: '已由张三于11月23日 10:31办结' };
    expect((escalationCard({ lines: [report, closedOverdue] }) as any).header.title.content).toBe(
      '【督办】综合处有1件事项进展未报',
    );
  });

  it('a closed escalation line says who closed it and offers no 催办承办人', () => {
    const card = escalationCard({
      lines: [{ ...esc('T-4', '综合处'), closed: '已由张三于11月23日 10:31办结' }, esc('D-9', '综合处')],
    }) as any;
    expect(card.header).toMatchObject({ title: { content: '【督办】综合处有1件事项逾期' }, template: 'red' });
    expect(texts(card)).toContain(
      "综合处 · 承办 张三 · <font color='grey'>已由张三于11月23日 10:31办结</font>",
    );
    expect(texts(card)).not.toContain('"item":"T-4"');
    const allDone = escalationCard({
      lines: [{ ...esc('T-4', '综合处'), closed: '已由张三于11月23日 10:31办结' }],
    }) as any;
    expect(allDone.header).toMatchObject({
      title: { content: '【督办】逾期事项均已处理' },
      template: 'grey',
    });
  });
});
