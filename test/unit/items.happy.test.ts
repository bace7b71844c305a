import { describe, expect, it } from 'vitest';
import { formatWhenZh, normalizeItemId } from '../../src/domain/items.js';

describe('item ids as people type them', () => {
  it.each([
    ['D-12', 'D-12'],
    ['d12', 'D-12'],
    [' t-7 ', 'T-7'],
    ['M 3', 'M-3'],
    ['Ｄ－１２', 'D-12'],
    ['d-012', 'D-12'],
    ['t_5', 'T-5'],
  ])('%s → %s', (input, id) => expect(normalizeItemId(input)).toBe(id));

  it.each(['', 'X-1', 'D-', 'D-0', 'D-1a', '12', 'DD-1'])('rejects %j', (input) =>
    expect(normalizeItemId(input)).toBeNull());

  it('formats when something happened', () => {
    expect(formatWhenZh(new Date('2026-11-22T01:05:00Z'), 'Asia/Shanghai')).toBe('11月22日 09:05');
  });
});
