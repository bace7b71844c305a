import {
  type CardElement,
  type CardJson,
  card,
  escapeMd,
  footerNote,
  type HeaderTemplate,
  md,
} from './common.js';

/**
 * A short answer that is not about one item's state: a refusal, a binding confirmed, the duty
 * of the day. Blue for information, orange for a refusal or a problem, green for success.
 */
export function noticeCard(opts: {
  title: string;
  lines: string[];
  template?: HeaderTemplate;
  footer?: string;
}): CardJson {
  const elements: CardElement[] = [md(opts.lines.map(escapeMd).join('\n'))];
  if (opts.footer) elements.push(footerNote(opts.footer));
  return card({ title: opts.title, template: opts.template ?? 'blue', elements });
}

/** 值班: today's duty officer and leader on duty. */
export function dutyCard(view: {
  dateZh: string;
  officer: string | null;
  leader: string | null;
  note?: string | null;
  /** 明日值班, shown below today's when given ('李四（带班：王处长）' or '未安排'). */
  tomorrow?: string;
}): CardJson {
  const lines =
    view.officer || view.leader
      ? [`值班：${view.officer ?? '未安排'}`, `带班领导：${view.leader ?? '未安排'}`]
      : ['今日尚未安排值班，请联系办公室。'];
  if (view.note) lines.push(`备注：${view.note}`);
  if (view.tomorrow) lines.push(`明日值班：${view.tomorrow}`);
  return noticeCard({
    title: `【今日值班】${view.dateZh}`,
    lines,
    template: 'blue',
    footer: '值班安排由办公室维护 · 回复「帮助」查看全部命令',
  });
}
