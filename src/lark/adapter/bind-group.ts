import {
  findDepartmentByChat,
  getDepartment,
  listDepartments,
  setDepartmentChat,
} from '../../db/repos/departments.js';
import { getPerson } from '../../db/repos/people.js';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { CardJson } from '../cards/common.js';
import { noticeCard } from '../cards/notice-card.js';

/**
 * 绑定 <部门代码>: an admin binds the group they are in to a department, so the department's
 * unassigned items and group reminders arrive there. Runs in the caller's transaction and answers
 * with the card to reply.
 */
export async function bindGroup(
  trx: Db,
  deps: Deps,
  input: { chatId: string; chatType: 'p2p' | 'group'; by: string; deptCode: string },
): Promise<CardJson> {
  const refuse = (line: string) =>
    noticeCard({ title: '【绑定】未能绑定', lines: [line], template: 'orange' });
  if (input.chatType !== 'group') return refuse('请在需要绑定的部门群里 @催办助手 发送「绑定 <部门代码>」。');
  const actor = await getPerson(trx, input.by);
  if (!actor?.roles.includes('admin')) return refuse('只有管理员可以绑定部门群，请联系办公室综合科。');
  const dept = await getDepartment(trx, input.deptCode);
  if (!dept) {
    const codes = (await listDepartments(trx)).map((d) => `${d.code} ${d.name}`).slice(0, 20);
    return refuse(
      codes.length > 0
        ? `没有代码为「${input.deptCode}」的部门。可用的部门代码：${codes.join('、')}`
        : `没有代码为「${input.deptCode}」的部门，请先在管理接口中登记部门。`,
    );
  }
  const now = deps.clock.now();
  const current = await findDepartmentByChat(trx, input.chatId);
  if (current && current.code !== dept.code) {
    // A chat belongs to one department: unbind the old one first (chat_id is unique).
    await setDepartmentChat(trx, current.code, null, now);
  }
  await setDepartmentChat(trx, dept.code, input.chatId, now);
  deps.logger.info('group bound to department', { dept: dept.code, by: input.by });
  const lines = [`本群已绑定到 ${dept.name}（${dept.code}）。`, '该部门待认领的事项和提醒将发到本群。'];
  if (dept.chatId && dept.chatId !== input.chatId) lines.push('原绑定的群将不再收到该部门的消息。');
  if (current && current.code !== dept.code) lines.push(`本群原绑定的${current.name}已解除绑定。`);
  return noticeCard({ title: '【绑定】绑定成功', lines, template: 'green' });
}
