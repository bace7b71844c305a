import type { ExtensionRequest, Item } from '../../domain/types.js';
import {
  button,
  buttonRow,
  type CardElement,
  type CardJson,
  card,
  deadlineZh,
  escapeMd,
  fieldGrid,
  footerNote,
  hr,
  md,
  shorten,
  stampZh,
  typeLabel,
} from './common.js';

/**
 * 延期申请: sent to the department's chief(s), who approve (同意) or reject (驳回) in one click.
 * Once decided, the card turns grey and says who decided and when, for every chief who got it.
 */
export interface ExtensionCardView {
  item: Item;
  request: ExtensionRequest;
  /** '延长3个工作日' when the request came as a number of working days. */
  extraText?: string | null;
  names: Record<string, string>;
  deptNames: Record<string, string>;
  timeZone: string;
  notice?: string;
}

export function extensionCard(view: ExtensionCardView): CardJson {
  const { item, request: r, timeZone } = view;
  const name = (id: string | null) => (id ? (view.names[id] ?? '未登记人员') : '未指定');
  const pending = r.status === 'pending';
  const dept = item.dept ?? item.leadDept;
  const fields: Array<[string, string]> = [
    ['编号', item.id],
    ['类型', typeLabel(item)],
    ['申请人', name(r.requestedBy)],
    ['处室', dept ? (view.deptNames[dept] ?? dept) : '—'],
    ['原时限', r.currentDueAt ? deadlineZh(r.currentDueAt, timeZone) : '—'],
    ['延至', `${deadlineZh(r.newDueAt, timeZone)}${view.extraText ? `（${view.extraText}）` : ''}`],
  ];
  const elements: CardElement[] = [];
  if (view.notice) elements.push(md(`**${escapeMd(view.notice)}**`));
  elements.push(md(`**${escapeMd(item.title)}**`), ...fieldGrid(fields));
  elements.push(md(`**理由**：${r.reason ? escapeMd(shorten(r.reason, 300)) : '未填写'}`));
  elements.push(hr());
  if (pending) {
    const value = { v: 1 as const, item: item.id, req: r.id };
    elements.push(
      buttonRow([
        button('同意', { ...value, op: 'approve-extension' }, { type: 'primary_filled' }),
        button('驳回', { ...value, op: 'reject-extension' }, { type: 'danger' }),
      ]),
      footerNote(`申请于 ${stampZh(r.requestedAt, timeZone)} 提交，审批结果将通知申请人`),
    );
  } else {
    const verb = r.status === 'approved' ? '同意延期' : r.status === 'rejected' ? '驳回延期' : '撤回申请';
    const who = r.status === 'withdrawn' ? name(r.requestedBy) : name(r.decidedBy);
    const when = r.decidedAt ? stampZh(r.decidedAt, timeZone) : '';
    elements.push(md(`**${escapeMd(who)} 于 ${when} ${verb}**`));
  }
  return card({
    title: `【延期申请】${item.id} ${shorten(item.title, 30)}`,
    template: pending ? 'orange' : 'grey',
    tags: [
      {
        text: pending ? '待审批' : r.status === 'approved' ? '已同意' : '已驳回',
        color: pending ? 'orange' : 'neutral',
      },
    ],
    elements,
  });
}

/** What the requester hears back: a short notice card with the new deadline or the refusal. */
export function extensionDecisionCard(view: ExtensionCardView): CardJson {
  const { item, request: r, timeZone } = view;
  const approved = r.status === 'approved';
  const who = r.decidedBy ? (view.names[r.decidedBy] ?? '处室负责同志') : '处室负责同志';
  const elements: CardElement[] = [
    md(`**${escapeMd(item.title)}**`),
    ...fieldGrid([
      ['编号', item.id],
      ['审批人', who],
      [
        approved ? '新时限' : '时限',
        deadlineZh(approved ? r.newDueAt : (r.currentDueAt ?? r.newDueAt), timeZone),
      ],
      ['审批时间', r.decidedAt ? stampZh(r.decidedAt, timeZone) : '—'],
    ]),
    footerNote(approved ? '请在新时限前办结' : '请按原时限办理，如有困难请与处长沟通'),
  ];
  return card({
    title: `【延期${approved ? '已同意' : '未同意'}】${item.id} ${shorten(item.title, 28)}`,
    template: approved ? 'green' : 'red',
    elements,
  });
}
