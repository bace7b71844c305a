import { type CardElement, type CardJson, card, escapeMd, footerNote, hr, md } from './common.js';

/**
 * Posted when the bot is added to a group: what it does, and how an admin binds the group to a
 * department (绑定 <部门代码>) so that the department's new items and reminders arrive here.
 */
export interface WelcomeCardView {
  chatName?: string | null;
  /** The department this group is already bound to, if any. */
  boundDept?: { code: string; name: string } | null;
  /** Known departments, to show the codes an admin can bind (at most 20 are listed). */
  departments?: Array<{ code: string; name: string }>;
}

export function welcomeCard(view: WelcomeCardView = {}): CardJson {
  const elements: CardElement[] = [
    md(
      [
        '大家好，我是**催办助手**，协助办文、办会、督办：',
        '· 新的公文、会议、督办事项到达时通知承办人和本群',
        '· 按工作日计算时限，红黄绿灯预警，临近和逾期时提醒',
        '· 在卡片上一键**办结**、**已阅**、**认领**，反馈进展、申请延期',
      ].join('\n'),
    ),
    hr(),
  ];
  if (view.boundDept) {
    elements.push(
      md(`本群已绑定到 **${escapeMd(view.boundDept.name)}**（${escapeMd(view.boundDept.code)}）。`),
    );
  } else {
    elements.push(
      md(
        [
          '**绑定部门**（仅管理员）：请在本群发送',
          // Angle brackets would be read as a tag by Lark's markdown: the placeholder is spelled out.
          '`@催办助手 绑定 部门代码`，例如 `@催办助手 绑定 ZHB`',
          '绑定后，该部门待认领的事项和提醒将发到本群。',
        ].join('\n'),
      ),
    );
    const list = (view.departments ?? []).slice(0, 20);
    if (list.length > 0) {
      const codes = list.map((d) => `${escapeMd(d.code)} ${escapeMd(d.name)}`).join('　');
      elements.push(md(`可用的部门代码：${codes}`, 'notation'));
    }
  }
  elements.push(hr(), footerNote('在群里 @催办助手 并输入「帮助」查看全部命令；私聊我可查看「待办」'));
  const title = view.chatName ? `【催办助手】已加入「${view.chatName}」` : '【催办助手】已加入本群';
  return card({ title, template: 'blue', elements });
}
