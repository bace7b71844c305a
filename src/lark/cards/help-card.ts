import { type CardElement, type CardJson, card, escapeMd, footerNote, hr, md, shorten } from './common.js';

/**
 * 帮助: every command with one example, grouped 办理 / 查询 / 管理. Also the answer to anything
 * the bot does not understand — with `您是不是想输入：办结 D-12？` when a close command exists,
 * or what is missing when a known command came without its argument.
 */
export interface HelpCardView {
  /** What was typed, when it was not understood (shown shortened). */
  unknownText?: string;
  suggestion?: string;
  /** A known command with a missing or malformed argument: what is wrong, and an example. */
  problem?: { text: string; example: string };
}

const GROUPS: Array<{ title: string; note?: string; lines: Array<[string, string]> }> = [
  {
    title: '办理',
    lines: [
      ['办结 D-12', '办结事项'],
      ['已阅 D-12', '传阅件阅毕'],
      ['认领 T-3', '认领尚未分配的事项（先认先办）'],
      ['进展 T-3 已与财政局对接', '反馈办理进展'],
      ['延期 T-3 3天 等待批复', '申请延期（工作日），由处长审批'],
    ],
  },
  {
    title: '查询',
    lines: [
      ['待办', '查看我的待办事项'],
      ['值班', '查看今日和明日值班'],
      ['值班表', '查看本周值班安排'],
      ['简报', '处长、领导查看今日督办简报（「简报 关闭」「简报 开启」）'],
      ['通报', '处长、领导查看上周通报与扣分明细'],
      ['年度统计', '处长、领导查看本年度督办统计（可写年份，如「年度统计 2025」）'],
      ['专项 T-3 重点建设项目', '处长、领导将事项列入专项（「专项 T-3 清除」取消）'],
      ['帮助', '显示本说明'],
    ],
  },
  {
    title: '值班',
    lines: [
      ['接班', '确认接班'],
      ['值班日志 平安无事', '填报值班日志（有情况写明时间、来电、事由、处理）'],
      ['换班 10-03 @李四', '申请换班，对方同意后生效'],
    ],
  },
  {
    title: '管理',
    note: '仅管理员',
    lines: [
      ['绑定 ZHB', '将本群绑定到部门（填部门代码）'],
      ['查看设置', '查看提醒、静默时段等设置'],
      ['设置 …', '修改设置，发送「查看设置」了解格式'],
    ],
  },
];

export function helpCard(view: HelpCardView = {}): CardJson {
  const elements: CardElement[] = [];
  if (view.problem) {
    elements.push(md(`**${escapeMd(view.problem.text)}**\n示例：\`${view.problem.example}\``));
    elements.push(hr());
  } else if (view.unknownText !== undefined) {
    const typed = escapeMd(shorten(view.unknownText, 30));
    const lines = [`未能识别「${typed}」。`];
    if (view.suggestion) lines.push(`您是不是想输入：**${escapeMd(view.suggestion)}**？`);
    elements.push(md(lines.join('\n')), hr());
  }
  for (const g of GROUPS) {
    const title = g.note ? `**${g.title}**（${g.note}）` : `**${g.title}**`;
    const lines = g.lines.map(([example, what]) => `\`${example}\`　${what}`);
    elements.push(md([title, ...lines].join('\n')));
  }
  elements.push(
    hr(),
    footerNote(
      '在群里请先 @催办助手 再输入命令；私聊直接输入即可。编号不分大小写，可省略短横线（如 d12）。英文命令：done、read、claim、progress、extend、todo、duty、help',
    ),
  );
  const title = view.suggestion
    ? `【帮助】您是不是想输入：${view.suggestion}？`
    : view.problem
      ? '【帮助】命令格式'
      : view.unknownText !== undefined
        ? '【帮助】未能识别该命令'
        : '【帮助】催办助手使用说明';
  return card({ title: shorten(title, 40), template: 'blue', elements });
}
