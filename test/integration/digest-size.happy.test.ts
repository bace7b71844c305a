import { describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, cardBytes } from '../../src/lark/cards/common.js';
import { digestForPerson } from '../../src/reports/digest-round.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

/**
 * A large office: 200 departments, 5,000 overdue items with long titles and 300 extension
 * requests. Every digest stays under Lark's 30 KB, listing the worst and 「及其他N项」.
 */
describe.each(engines)('digest card size with 200 departments and 5,000 overdue items on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  it('caps the lists and stays under 30 KB', async () => {
    const deps = testDeps(h.database, { now: '2026-11-25T08:30:00+08:00' });
    const { db } = h.database;
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
    await putPerson(deps, { openId: 'ou_leader', name: '李主任', dept: 'office', roles: ['chief'] });
    for (let d = 0; d < 200; d++) {
      await putDepartment(deps, { code: `d${d}`, name: `第${d}督查专项工作处室` });
      await putPerson(deps, { openId: `ou_s${d}`, name: `承办人员${d}号`, dept: `d${d}`, roles: ['staff'] });
    }
    await putPerson(deps, { openId: 'ou_chief7', name: '七处处长', dept: 'd7', roles: ['chief'] });
    const title = '关于进一步加强和改进督查督办工作切实提高抓落实能力的实施意见（征求意见稿）';
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      id: `T-${i + 1}`,
      kind: 'task' as const,
      source: 'instruction',
      title: `${title}${i}`,
      dept: `d${i % 200}`,
      lead_dept: `d${i % 200}`,
      assignee: `ou_s${i % 200}`,
      due_at: new Date(Date.parse('2026-11-20T10:00:00Z') - i * 3_600_000),
      created_at: new Date('2026-10-01T00:00:00Z'),
    }));
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('items')
        .values(rows.slice(i, i + 500))
        .execute();
    const requests = Array.from({ length: 300 }, (_, i) => ({
      item_id: `T-${i * 3 + 1}`,
      requested_by: `ou_s${(i * 3) % 200}`,
      requested_at: new Date('2026-11-24T02:00:00Z'),
      new_due_at: new Date('2026-12-10T10:00:00Z'),
      reason: '涉及多个部门需要反复协调沟通，另需报请分管领导审定后方可印发执行'.repeat(3),
    }));
    await db.insertInto('extension_requests').values(requests).execute();

    const leader = (await digestForPerson(deps, 'ou_leader')) as any;
    expect(cardBytes(leader)).toBeLessThan(CARD_MAX_BYTES);
    const text = JSON.stringify(leader);
    expect(text).toContain('逾期 5000 件');
    expect(text).toContain('及其他4990项');
    // The oldest deadline first: T-5000 is the most overdue.
    expect(text.indexOf('T-5000 ')).toBeGreaterThan(-1);
    expect(text.indexOf('T-5000 ')).toBeLessThan(text.indexOf('T-4999 '));
    // The leaders decide the requests of departments without a chief: 300 − d7's 2 (T-208, T-808).
    expect(text).toContain('待审批延期 298 件');
    expect(text).toContain('及其他293项');

    const chief = (await digestForPerson(deps, 'ou_chief7')) as any;
    expect(cardBytes(chief)).toBeLessThan(CARD_MAX_BYTES);
    expect(JSON.stringify(chief)).toContain('逾期 25 件');
    expect(JSON.stringify(chief)).toContain('及其他15项');
    expect(JSON.stringify(chief)).toContain('待审批延期 2 件');
  });
});
