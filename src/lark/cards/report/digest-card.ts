import {
  type ClosedCounts,
  completionRate,
  type DueCounts,
  type OpenCounts,
  onTimeRate,
  openTotal,
  percentText,
} from '../../../domain/figures.js';
import {
  button,
  buttonRow,
  type CardElement,
  type CardJson,
  card,
  escapeMd,
  footerNote,
  hr,
  LIGHT_EMOJI,
  md,
  shorten,
} from '../common.js';
import { trendChart } from './chart.js';
import { type LongTaskLine, longTaskElements } from './long-tasks.js';

/**
 * 每日督办简报: one card per chief (their department) or office leader (the whole office).
 * First line: 逾期 · 今日到期 · 待审批延期; then the lights, what was closed since the previous
 * working day, the 7- and 30-day rates, the 14-day trend, the overdue list worst first, the
 * extension requests with 同意 / 驳回, and today's duty. Lists are capped (「及其他N项」) so the
 * card stays far below Lark's 30 KB whatever the office's size.
 */
export interface DigestView {
  dateZh: string;
  scopeName: string;
  open: OpenCounts;
  closedSince: ClosedCounts;
  last7: DueCounts;
  last30: DueCounts;
  overdue: Array<{ id: string; title: string; handler: string; dept: string; workdaysOverdue: number }>;
  overdueTotal: number;
  extensions: Array<{
    requestId: number;
    itemId: string;
    title: string;
    requester: string;
    newDueZh: string;
    reason: string | null;
  }>;
  extensionsTotal: number;
  trend: Array<{ day: string; opened: number; closed: number }>;
  duty: { officer: string; leader: string } | null;
  /** Shifts that ended without a duty log: shown to the office's leaders only. */
  missingDutyLogs: Array<{ dateZh: string; officers: string }>;
  /** 长期任务进展: tasks on a rhythm, with milestones or with sub-tasks, worst first. */
  longTasks?: LongTaskLine[];
  /** 预计逾期: open items the forecast flags (docs/figures.md). */
  atRisk?: number;
}

export const DIGEST_MAX_OVERDUE = 10;
export const DIGEST_MAX_EXTENSIONS = 5;

export function digestTitle(dateZh: string): string {
  return `【每日督办简报】${dateZh}`;
}

/** Whether there is anything to report: open items, closes since the last working day, requests. */
export function digestHasNews(
  v: Pick<DigestView, 'open' | 'closedSince' | 'extensionsTotal' | 'missingDutyLogs'>,
): boolean {
  return (
    openTotal(v.open) > 0 || v.closedSince.closed > 0 || v.extensionsTotal > 0 || v.missingDutyLogs.length > 0
  );
}

/** The one line a chief with nothing to report gets. */
export function quietDigestText(dateZh: string, scopeName: string, duty: DigestView['duty']): string {
  return `${digestTitle(dateZh)} ${scopeName}：无在办事项，上一工作日以来无办结事项。${dutyText(duty)}`;
}

function dutyText(duty: DigestView['duty']): string {
  return duty ? `今日值班：${duty.officer}（带班：${duty.leader}）` : '今日值班：未排班';
}

const more = (n: number, hint: string) => (n > 0 ? [md(`及其他${n}项，${hint}`, 'notation')] : []);

export function overdueText(n: number): string {
  return n === 0 ? '今日已逾期' : `已逾期${n}个工作日`;
}

export function digestCard(v: DigestView): CardJson {
  const { open } = v;
  const lateClosed = v.closedSince.closed - v.closedSince.closedOnTime;
  const elements: CardElement[] = [
    md(
      `**逾期 ${open.red} 件 · 今日到期 ${open.dueToday} 件 · 待审批延期 ${v.extensionsTotal} 件${v.atRisk ? ` · 预计逾期 ${v.atRisk} 件` : ''}**`,
    ),
    md(
      `在办 ${openTotal(open)} 件：${LIGHT_EMOJI.red} 红灯 ${open.red} · ${LIGHT_EMOJI.yellow} 黄灯 ${open.yellow} · ${LIGHT_EMOJI.green} 绿灯 ${open.green}`,
    ),
    md(
      `上一工作日以来办结 ${v.closedSince.closed} 件（按时 ${v.closedSince.closedOnTime} 件，逾期办结 ${lateClosed} 件）`,
    ),
    md(
      `近7日办结率 ${percentText(completionRate(v.last7))}，按时办结率 ${percentText(onTimeRate(v.last7))}；` +
        `近30日办结率 ${percentText(completionRate(v.last30))}，按时办结率 ${percentText(onTimeRate(v.last30))}`,
    ),
    trendChart('近14日新增与办结', v.trend),
  ];
  if (v.overdueTotal > 0) {
    elements.push(hr(), md('**逾期事项**（逾期最久的在前）'));
    for (const o of v.overdue.slice(0, DIGEST_MAX_OVERDUE))
      elements.push(
        md(
          `${LIGHT_EMOJI.red} ${o.id} ${escapeMd(shorten(o.title, 30))} · ${escapeMd(o.handler)} · ${escapeMd(o.dept)} · ${overdueText(o.workdaysOverdue)}`,
        ),
      );
    elements.push(
      ...more(v.overdueTotal - Math.min(v.overdue.length, DIGEST_MAX_OVERDUE), '回复「待办」或查看通报'),
    );
  }
  if (v.extensionsTotal > 0) {
    elements.push(hr(), md('**待您审批的延期申请**'));
    for (const e of v.extensions.slice(0, DIGEST_MAX_EXTENSIONS)) {
      const value = { v: 1 as const, item: e.itemId, req: e.requestId };
      const reason = e.reason ? ` · 理由：${escapeMd(shorten(e.reason, 40))}` : '';
      elements.push(
        md(
          `${e.itemId} ${escapeMd(shorten(e.title, 30))} · ${escapeMd(e.requester)} 申请延至 ${e.newDueZh}${reason}`,
        ),
        buttonRow([
          button('同意', { ...value, op: 'approve-extension' }, { type: 'primary' }),
          button('驳回', { ...value, op: 'reject-extension' }, { type: 'danger' }),
        ]),
      );
    }
    elements.push(
      ...more(
        v.extensionsTotal - Math.min(v.extensions.length, DIGEST_MAX_EXTENSIONS),
        '请在各延期申请卡片中审批',
      ),
    );
  }
  if (v.longTasks && v.longTasks.length > 0)
    elements.push(hr(), ...longTaskElements(v.longTasks, '详见各事项卡片'));
  elements.push(hr(), md(dutyText(v.duty)));
  if (v.missingDutyLogs.length > 0)
    elements.push(
      md(
        `**值班日志未提交**：${v.missingDutyLogs.map((m) => `${m.dateZh} ${escapeMd(m.officers)}`).join('；')}`,
      ),
    );
  elements.push(footerNote('回复「简报」随时查看 · 回复「简报 关闭」不再接收每日简报'));
  return card({ title: digestTitle(v.dateZh), subtitle: v.scopeName, template: 'blue', elements });
}
