import { describe, expect, it } from 'vitest';
import { categoriesZh, resolveCategories } from '../../src/domain/categories.js';
import { parseCommand } from '../../src/domain/commands.js';

const defined = [
  { code: 'gov-report', name: '政府工作报告分解', active: true },
  { code: 'key-projects', name: '重点建设项目', active: true },
  { code: 'old', name: '旧专项', active: false },
];

describe('专项', () => {
  it('resolves codes and names, drops repeats, refuses unknown and retired ones', () => {
    expect(resolveCategories(['重点建设项目', 'gov-report', 'key-projects'], defined)).toEqual({
      codes: ['key-projects', 'gov-report'],
    });
    expect(resolveCategories(['旧专项'], defined)).toEqual({ unknown: '旧专项' });
    expect(resolveCategories(['十件实事'], defined)).toEqual({ unknown: '十件实事' });
    expect(categoriesZh(['gov-report', 'gone'], defined)).toBe('政府工作报告分解、gone');
  });

  it('parses 专项 T-3 <names> and 专项 T-3 清除', () => {
    expect(parseCommand('专项 t3 重点建设项目、政府工作报告分解')).toEqual({
      type: 'categories',
      itemId: 'T-3',
      names: ['重点建设项目', '政府工作报告分解'],
    });
    expect(parseCommand('@_user_1 专项 T-3 清除')).toEqual({ type: 'categories', itemId: 'T-3', names: [] });
    expect(parseCommand('专项 T-3')).toMatchObject({ type: 'usage', command: 'categories' });
    expect(parseCommand('专项')).toMatchObject({ type: 'usage', command: 'categories' });
  });
});
