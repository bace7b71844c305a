import { describe, expect, it } from 'vitest';
import {
  type Command,
  editDistance,
  parseCommand,
  parseDays,
  parseItemIdToken,
} from '../../src/domain/commands.js';

const cases: Array<[string, Command]> = [
  ['办结 D-12', { type: 'done', itemId: 'D-12' }],
  ['done d12', { type: 'done', itemId: 'D-12' }],
  ['DONE D-12', { type: 'done', itemId: 'D-12' }],
  ['@_user_1 办结 D-12', { type: 'done', itemId: 'D-12' }],
  ['@_user_1  办结 d-12 ', { type: 'done', itemId: 'D-12' }],
  ['办结\u3000Ｄ－１２', { type: 'done', itemId: 'D-12' }],
  ['办结：D12。', { type: 'done', itemId: 'D-12' }],
  ['办结D12', { type: 'done', itemId: 'D-12' }],
  ['办结 D 12', { type: 'done', itemId: 'D-12' }],
  ['D-12 办结', { type: 'done', itemId: 'D-12' }],
  ['/done D-012', { type: 'done', itemId: 'D-12' }],
  ['办结 T-3 已按要求报送', { type: 'done', itemId: 'T-3', note: '已按要求报送' }],
  ['done t3: sent to the city office', { type: 'done', itemId: 'T-3', note: 'sent to the city office' }],
  ['办结T3，已报市政府。', { type: 'done', itemId: 'T-3', note: '已报市政府' }],
  ['已阅 d3', { type: 'read', itemId: 'D-3' }],
  ['read D-3', { type: 'read', itemId: 'D-3' }],
  ['认领 T-3', { type: 'claim', itemId: 'T-3' }],
  ['claim t3', { type: 'claim', itemId: 'T-3' }],
  ['@_user_2 认领，t-3', { type: 'claim', itemId: 'T-3' }],
  ['进展 T-3 已与财政局对接', { type: 'progress', itemId: 'T-3', text: '已与财政局对接' }],
  [
    'progress t3 called the finance bureau',
    { type: 'progress', itemId: 'T-3', text: 'called the finance bureau' },
  ],
  // Free text is kept as typed, full-width punctuation included.
  ['进展 T-3：初稿已完成（待审）', { type: 'progress', itemId: 'T-3', text: '初稿已完成（待审）' }],
  ['延期 T-3 3天 等待批复', { type: 'extend', itemId: 'T-3', days: 3, reason: '等待批复' }],
  ['延期 T-3 3天', { type: 'extend', itemId: 'T-3', days: 3, reason: null }],
  [
    'extend t3 2d waiting for sign-off',
    { type: 'extend', itemId: 'T-3', days: 2, reason: 'waiting for sign-off' },
  ],
  ['延期 T-3 ５个工作日 材料未齐', { type: 'extend', itemId: 'T-3', days: 5, reason: '材料未齐' }],
  ['延期 T-3 三天 等待批复', { type: 'extend', itemId: 'T-3', days: 3, reason: '等待批复' }],
  ['延期 T-3 3天等待批复', { type: 'extend', itemId: 'T-3', days: 3, reason: '等待批复' }],
  ['延期 M-7 4', { type: 'extend', itemId: 'M-7', days: 4, reason: null }],
  ['待办', { type: 'todo' }],
  ['@_user_1 todo', { type: 'todo' }],
  ['TODO', { type: 'todo' }],
  ['我的待办', { type: 'todo' }],
  ['值班', { type: 'duty' }],
  ['duty', { type: 'duty' }],
  ['帮助', { type: 'help' }],
  ['help', { type: 'help' }],
  ['？', { type: 'help' }],
  ['@_user_1', { type: 'help' }],
  ['', { type: 'help' }],
  ['绑定 zhb', { type: 'bind', deptCode: 'ZHB' }],
  ['bind ＺＨＢ', { type: 'bind', deptCode: 'ZHB' }],
  ['设置 提醒 9:00', { type: 'admin-setting', text: '设置 提醒 9:00' }],
  ['@_user_1 设置\u3000静默 22:00-07:00', { type: 'admin-setting', text: '设置 静默 22:00-07:00' }],
  ['暂停 remind', { type: 'admin-setting', text: '暂停 remind' }],
  ['恢复 remind', { type: 'admin-setting', text: '恢复 remind' }],
  ['查看设置', { type: 'admin-setting', text: '查看设置' }],
  ['周期 列表', { type: 'admin-setting', text: '周期 列表' }],
];

describe('parseCommand', () => {
  it.each(cases)('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

const usageCases: Array<[string, string, string]> = [
  ['办结', 'done', '办结 D-12'],
  ['办结 X-1', 'done', '办结 D-12'],
  ['进展 T-3', 'progress', '进展 T-3 已与财政局对接'],
  ['延期 T-3', 'extend', '延期 T-3 3天 等待批复'],
  ['延期 T-3 下周', 'extend', '延期 T-3 3天 等待批复'],
  ['延期 T-3 0天', 'extend', '延期 T-3 3天 等待批复'],
  ['延期 T-3 99天', 'extend', '延期 T-3 3天 等待批复'],
  ['绑定', 'bind', '绑定 ZHB'],
  ['认领 T-0', 'claim', '认领 T-3'],
];

describe('a known command word with a missing or malformed argument gets its usage', () => {
  it.each(usageCases)('%j', (text, command, example) => {
    const c = parseCommand(text);
    expect(c).toMatchObject({ type: 'usage', command, example });
    expect((c as { problem: string }).problem).not.toBe('');
  });
});

const typoCases: Array<[string, string | undefined]> = [
  ['办节 D-12', '办结 D-12'],
  ['办节 d12', '办结 D-12'],
  ['办洁D12', '办结 D-12'],
  ['dome d12', '办结 D-12'],
  ['dnoe D-12', '办结 D-12'],
  ['认岭 t3', '认领 T-3'],
  ['延迟 T-3 3天 等批复', '延期 T-3 3天 等批复'],
  ['待半', '待办'],
  ['hlep', '帮助'],
  ['值日', '值班'],
  ['进度 T-3 已对接', '进展 T-3 已对接'],
  ['办理', '办结 D-12'],
  ['谢谢', undefined],
  ['今天天气怎么样', undefined],
  ['hello world', undefined],
];

describe('unknown commands suggest the closest one', () => {
  it.each(typoCases)('%j → %j', (text, suggestion) => {
    const c = parseCommand(text);
    expect(c.type).toBe('unknown');
    expect((c as { suggestion?: string }).suggestion).toBe(suggestion);
  });
});

describe('pieces', () => {
  it.each([
    ['D-12', 'D-12'],
    ['d12', 'D-12'],
    ['m_3', 'M-3'],
    ['Ｔ－７', 'T-7'],
    ['t007', 'T-7'],
    ['X-12', null],
    ['D-', null],
    ['D12a', null],
  ])('item id %j → %j', (token, id) => {
    expect(parseItemIdToken(token)).toBe(id);
  });

  it.each([
    ['3天', 3],
    ['3d', 3],
    ['10日', 10],
    ['两天', 2],
    ['2个工作日', 2],
    ['３', 3],
    ['下周', null],
  ])('days %j → %j', (token, days) => {
    expect(parseDays(token)).toBe(days);
  });

  it('edit distance counts code points', () => {
    expect(editDistance('办结', '办节')).toBe(1);
    expect(editDistance('done', 'dnoe')).toBe(1);
    expect(editDistance('done', 'odne')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
