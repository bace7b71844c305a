import type { Deps } from '../../src/deps.js';
import { type ItemActionInput, performItemAction } from '../../src/items/actions/perform.js';
import { type CreateItemInput, createItem } from '../../src/items/items.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';

/**
 * A known office across a month with holidays (2026-09-14 … 10-13), for the digest, 通报, scores
 * and report tests. Every item is created, closed, cancelled or given an extension request at
 * its hour through the services. Hand-computed figures as of Thursday 2026-10-08 08:30 (the first
 * working day after National Day; the previous working day is Wednesday 09-30):
 *
 * | item | unit | created | deadline | outcome |
 * |---|---|---|---|---|
 * | D-1 | 综合处 | 09-14 | 09-16 18:00 | closed 09-15 (on time) |
 * | T-1 | 财务处 | 09-16 | 09-18 18:00 | open, overdue 9 working days; extension asked 10-08 08:00 |
 * | D-2 | 综合处 | 09-21 | 09-23 18:00 | closed 09-24 (late) |
 * | T-2 | 财务处 | 09-21 | 09-23 18:00 | cancelled 09-22 |
 * | D-3 | 综合处 | 09-22 | 09-24 18:00 | closed 09-30 09:30 (late) |
 * | D-4 | 财务处 | 09-28 | 09-29 18:00 | closed 09-29 17:00 (on time) |
 * | T-3 | 综合处 | 09-28 | 09-30 18:00 | closed 09-30 17:00 (on time) |
 * | T-4 | 办公厅 | 09-28 | 10-09 18:00 | open, yellow; extension asked 09-30 |
 * | T-5 | 综合处 | 09-29 | 10-08 18:00 | open, due today (yellow) |
 * | D-5 | 综合处 | 09-29 | 09-30 12:00 | open, overdue 1 working day |
 * | D-6 | 综合处 | 09-30 | 10-12 18:00 | open, green |
 * | T-6 | 综合处 | 09-30 | 10-09 18:00 | open, yellow |
 * | D-7 | 综合处 | 09-30 | 10-05 18:00 (a holiday) | closed 10-06 (late) |
 *
 * Office on 10-08: open 6 (red 2, yellow 3, green 1), due today 1; closed since 09-30: 3 (on
 * time 1); due 10-01…10-07: 1, closed 1, on time 0; due 09-08…10-07: 8, closed 6, on time 3.
 * 综合处: open 4 (1/2/1), due today 1, closed since 09-30 3 (1 on time), 7 days 1/1/0, 30 days 6/5/2.
 * 财务处: open 1 (red), 30 days 2/1/1, T-1's extension request waits for its chief.
 */

export const PEOPLE = {
  ZHANG: 'ou_zhang',
  ZHAO: 'ou_zhao',
  SUN: 'ou_sun',
  WANG: 'ou_wang',
  ZHOU: 'ou_zhou',
  LI: 'ou_li',
  QIAN: 'ou_qian',
} as const;

const at = (local: string) => new Date(`${local}+08:00`);
const { ZHANG, ZHAO, SUN, WANG, ZHOU, LI, QIAN } = PEOPLE;

export async function officeSetUp(deps: Deps): Promise<void> {
  await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
  await putDepartment(deps, { code: 'zonghe', name: '综合处' });
  await putDepartment(deps, { code: 'caiwu', name: '财务处' });
  await putDepartment(deps, { code: 'xinxi', name: '信息处' });
  await putPerson(deps, { openId: ZHANG, name: '张三', dept: 'zonghe', roles: ['staff'] });
  await putPerson(deps, { openId: ZHAO, name: '赵六', dept: 'caiwu', roles: ['staff'] });
  await putPerson(deps, { openId: SUN, name: '孙秘书', dept: 'office', roles: ['staff'] });
  await putPerson(deps, { openId: WANG, name: '王处长', dept: 'zonghe', roles: ['chief'] });
  await putPerson(deps, { openId: ZHOU, name: '周处长', dept: 'caiwu', roles: ['chief'] });
  await putPerson(deps, { openId: LI, name: '李主任', dept: 'office', roles: ['chief'] });
  await putPerson(deps, { openId: QIAN, name: '钱处长', dept: 'xinxi', roles: ['chief'] });
}

export interface OfficeEvent {
  at: Date;
  run(deps: Deps): Promise<unknown>;
}

function create(when: string, input: Record<string, unknown>): OfficeEvent {
  return {
    at: at(when),
    run: (deps) =>
      createItem(deps, { ...input, dueAt: at(input.dueAt as string) } as CreateItemInput, 'admin'),
  };
}

function act(when: string, input: ItemActionInput): OfficeEvent {
  return {
    at: at(when),
    async run(deps) {
      const outcome = await performItemAction(deps, input);
      if (!outcome.ok) throw new Error(`${input.action} ${input.itemId}: ${outcome.message}`);
    },
  };
}

const doc = (title: string, assignee: string, dueAt: string) => ({
  kind: 'document',
  docType: 'normal',
  title,
  assignee,
  dueAt,
});
const task = (title: string, source: string, leadDept: string, assignee: string, dueAt: string) => ({
  kind: 'task',
  source,
  title,
  leadDept,
  assignee,
  dueAt,
});

/** The month's events, in time order. */
export const OFFICE_EVENTS: OfficeEvent[] = [
  create('2026-09-14T09:00:00', doc('关于九月安全检查的通知', ZHANG, '2026-09-16T18:00:00')),
  act('2026-09-15T10:00:00', { itemId: 'D-1', action: 'done', by: ZHANG }),
  create(
    '2026-09-16T09:00:00',
    task('报送三季度预算执行情况', 'instruction', 'caiwu', ZHAO, '2026-09-18T18:00:00'),
  ),
  create('2026-09-21T09:00:00', doc('关于报送中秋值班表的通知', ZHANG, '2026-09-23T18:00:00')),
  create('2026-09-21T10:00:00', task('清理往来账款', 'practical', 'caiwu', ZHAO, '2026-09-23T18:00:00')),
  create('2026-09-22T09:00:00', doc('关于规范公文格式的通知', ZHANG, '2026-09-24T18:00:00')),
  act('2026-09-22T11:00:00', { itemId: 'T-2', action: 'cancel', by: ZHOU, reason: '已并入年度清理' }),
  act('2026-09-24T10:00:00', { itemId: 'D-2', action: 'done', by: ZHANG }),
  create('2026-09-28T09:00:00', doc('关于预算调整的请示', ZHAO, '2026-09-29T18:00:00')),
  create('2026-09-28T09:10:00', task('落实安全生产检查', 'decision', 'zonghe', ZHANG, '2026-09-30T18:00:00')),
  create(
    '2026-09-28T10:00:00',
    task('起草年度工作要点', 'instruction', 'office', SUN, '2026-10-09T18:00:00'),
  ),
  create('2026-09-29T09:00:00', task('整改督查发现问题', 'decision', 'zonghe', ZHANG, '2026-10-08T18:00:00')),
  create('2026-09-29T10:00:00', doc('关于国庆值班安排的通知', ZHANG, '2026-09-30T12:00:00')),
  act('2026-09-29T17:00:00', { itemId: 'D-4', action: 'done', by: ZHAO }),
  create('2026-09-30T09:00:00', doc('关于年度总结的通知', ZHANG, '2026-10-12T18:00:00')),
  act('2026-09-30T09:30:00', { itemId: 'D-3', action: 'done', by: ZHANG }),
  create('2026-09-30T10:00:00', task('筹备节后工作会议', 'other', 'zonghe', ZHANG, '2026-10-09T18:00:00')),
  create('2026-09-30T11:00:00', doc('关于节日慰问的通知', ZHANG, '2026-10-05T18:00:00')),
  act('2026-09-30T15:00:00', {
    itemId: 'T-4',
    action: 'extend',
    by: SUN,
    newDueAt: at('2026-10-16T18:00:00'),
    reason: '需征求各处室意见',
  }),
  act('2026-09-30T17:00:00', { itemId: 'T-3', action: 'done', by: ZHANG }),
  act('2026-10-06T10:00:00', { itemId: 'D-7', action: 'done', by: ZHANG }),
  act('2026-10-08T08:00:00', {
    itemId: 'T-1',
    action: 'extend',
    by: ZHAO,
    newDueAt: at('2026-10-16T18:00:00'),
    reason: '等待财政批复',
  }),
];
