import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/domain/types.js';
import { checkCard } from '../../src/lark/card-schema.js';
import { card, md } from '../../src/lark/cards/common.js';
import { escalationCard } from '../../src/lark/cards/escalation.js';
import { extensionCard } from '../../src/lark/cards/extension-card.js';
import { helpCard } from '../../src/lark/cards/help-card.js';
import { itemCard } from '../../src/lark/cards/item-card.js';
import { dutyCard, noticeCard } from '../../src/lark/cards/notice-card.js';
import { reminderRoundCard } from '../../src/lark/cards/reminder-round.js';
import { todoCard } from '../../src/lark/cards/todo-card.js';
import { welcomeCard } from '../../src/lark/cards/welcome-card.js';

/** Cards Lark takes: every builder's output, and the documented components cuiban may add. */

const TZ = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

const item: Item = {
  id: 'T-7',
  kind: 'task',
  title: '关于做好年度重点工作督查的通知',
  status: 'open',
  docType: null,
  docNo: null,
  direction: 'in',
  receivedAt: at('2026-11-20T09:00:00+08:00'),
  source: 'instruction',
  leadDept: 'ZHB',
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
  progressNote: '已与财政局对接',
  progressAt: at('2026-11-21T10:00:00+08:00'),
  closedAt: null,
  closedBy: null,
  createdBy: 'admin',
  createdAt: at('2026-11-20T09:00:00+08:00'),
  version: 1,
};

const view = {
  item,
  light: 'yellow' as const,
  remaining: '剩余1个工作日',
  names: { ou_zhang: '张三', ou_wang: '王处长' },
  deptNames: { ZHB: '综合处' },
  timeZone: TZ,
  parts: [{ dept: 'CZJ', status: 'open' as const }],
};
const chief = { kind: 'person' as const, openId: 'ou_wang', isChief: true };

const lines = Array.from({ length: 14 }, (_, i) => ({
  id: `D-${i + 1}`,
  title: `第${i + 1}件公文`,
  itemKind: 'document' as const,
  docType: 'normal' as const,
  kind: i % 2 ? ('overdue' as const) : ('yellow' as const),
  when: '已逾期1个工作日',
}));

const builders: Array<[string, unknown]> = [
  ['item card, group copy', itemCard({ ...view, audience: { kind: 'group' } })],
  ['item card, chief copy', itemCard({ ...view, audience: chief })],
  ['item card, progress form', itemCard({ ...view, audience: chief, form: { kind: 'progress' } })],
  ['item card, extension form', itemCard({ ...view, audience: chief, form: { kind: 'extend' } })],
  [
    'item card, reassign form',
    itemCard({
      ...view,
      audience: chief,
      form: { kind: 'reassign', candidates: [{ openId: 'ou_li', name: '李四' }] },
    }),
  ],
  [
    'item card, closed',
    itemCard({
      ...view,
      item: { ...item, status: 'done', closedAt: at('2026-11-22T10:31:00+08:00'), closedBy: 'ou_zhang' },
      audience: { kind: 'group' },
    }),
  ],
  [
    'meeting card',
    itemCard({
      ...view,
      item: {
        ...item,
        id: 'M-3',
        kind: 'meeting',
        startsAt: at('2026-11-25T09:00:00+08:00'),
        location: '3楼会议室',
      },
      attendance: { attend: 3, leave: 1, pending: 2, mine: 'attend' },
      audience: chief,
    }),
  ],
  [
    'extension request',
    extensionCard({
      item,
      request: {
        id: 4,
        itemId: 'T-7',
        requestedBy: 'ou_zhang',
        requestedAt: at('2026-11-21T10:00:00+08:00'),
        currentDueAt: item.dueAt,
        newDueAt: at('2026-11-27T18:00:00+08:00'),
        reason: '等待批复',
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
      },
      names: view.names,
      deptNames: view.deptNames,
      timeZone: TZ,
    }),
  ],
  ['reminder round, 14 lines', reminderRoundCard({ lines })],
  [
    'escalation',
    escalationCard({
      lines: [
        { id: 'D-1', title: '公文', deptName: '综合处', handlerName: '张三', overdue: '已逾期2个工作日' },
      ],
    }),
  ],
  ['todo', todoCard({ entries: [{ item, light: 'red', remaining: '已逾期1个工作日' }], timeZone: TZ })],
  ['help with a suggestion', helpCard({ unknownText: '半结 D-12', suggestion: '办结 D-12' })],
  ['welcome', welcomeCard({ departments: [{ code: 'ZHB', name: '综合处' }] })],
  ['duty', dutyCard({ dateZh: '11月25日（周三）', officer: '张三', leader: '王处长' })],
  ['notice', noticeCard({ title: '【提示】', lines: ['已绑定'], template: 'green', footer: '回复「帮助」' })],
];

describe('Card JSON 2.0 schema: cards Lark takes', () => {
  it.each(builders)('%s', (_name, built) => {
    expect(checkCard(built)).toEqual({ ok: true });
  });

  it('a digest-style card with a chart, a table at the root and a column set', () => {
    const digest = card({
      title: '【每日督办简报】11月25日（周三）',
      template: 'blue',
      elements: [
        md('**逾期 2 · 今日到期 3 · 待审批延期 1**'),
        {
          tag: 'chart',
          aspect_ratio: '16:9',
          chart_spec: {
            type: 'bar',
            data: [{ id: 'lights', values: [{ dept: '综合处', light: '红灯', n: 2 }] }],
            xField: 'dept',
            yField: 'n',
            seriesField: 'light',
          },
        },
        {
          tag: 'table',
          page_size: 5,
          columns: [
            { name: 'id', display_name: '编号', data_type: 'text' },
            { name: 'days', display_name: '逾期', data_type: 'number', format: { precision: 0 } },
          ],
          rows: [{ id: 'D-1', days: 2 }],
        },
        {
          tag: 'column_set',
          flex_mode: 'bisect',
          columns: [
            { tag: 'column', width: 'weighted', weight: 1, elements: [md('今日值班：张三')] },
            { tag: 'column', width: 'weighted', weight: 1, elements: [md('带班：王处长')] },
          ],
        },
      ],
    });
    expect(checkCard(digest)).toEqual({ ok: true });
  });
});
