import { formatZh, localParts, localTime } from '../../domain/time.js';
import type { DocType, Item, ItemKind, Light, TaskSource } from '../../domain/types.js';
import { CARD_MAX_BYTES } from '../card-schema.js';
import type { ButtonValue } from './values.js';

/**
 * Building blocks of cuiban's cards (Card JSON 2.0; shared/docs/cards.md, lark.md). Pure: every
 * builder takes what it shows and returns a plain object, so tests read the structure directly.
 * Unknown properties are an error in 2.0, so only documented ones are used here; schema.ts holds
 * the documented rules, and the tests' fake Lark refuses any card that breaks them.
 */

export type CardJson = Record<string, unknown>;
export type CardElement = Record<string, unknown>;
export type HeaderTemplate = 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'grey';

/** Lark refuses cards over 30 KB; builders stay well under it by capping lists. */
export { CARD_MAX_BYTES };

/**
 * Lark updates a sent Card JSON 2.0 card (PATCH, or a card in a callback answer) for 14 days
 * only. An hour is kept in hand for the time an update waits in the outbox.
 */
export const CARD_UPDATE_WINDOW_MS = 14 * 24 * 3600_000 - 3600_000;

export function canStillUpdate(sentAt: Date, now: Date): boolean {
  return now.getTime() - sentAt.getTime() < CARD_UPDATE_WINDOW_MS;
}

export function cardBytes(card: CardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

export function plain(content: string) {
  return { tag: 'plain_text', content };
}

export interface Tag {
  text: string;
  color: 'neutral' | 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'wathet';
}

export function card(opts: {
  title: string;
  template: HeaderTemplate;
  subtitle?: string;
  tags?: Tag[];
  elements: CardElement[];
}): CardJson {
  const header: Record<string, unknown> = { title: plain(opts.title), template: opts.template };
  if (opts.subtitle) header.subtitle = plain(opts.subtitle);
  // The header shows at most three tags.
  if (opts.tags?.length) {
    header.text_tag_list = opts.tags
      .slice(0, 3)
      .map((t) => ({ tag: 'text_tag', text: plain(t.text), color: t.color }));
  }
  return {
    schema: '2.0',
    // Shared group cards are patched for everyone after a click.
    config: { update_multi: true, width_mode: 'fill' },
    header,
    body: { elements: opts.elements },
  };
}

export function md(content: string, textSize?: 'normal' | 'notation'): CardElement {
  return textSize ? { tag: 'markdown', content, text_size: textSize } : { tag: 'markdown', content };
}

export function hr(): CardElement {
  return { tag: 'hr' };
}

/** A small grey line at the bottom: how to do the same by chat command. */
export function footerNote(content: string): CardElement {
  return md(`<font color='grey'>${content}</font>`, 'notation');
}

export type ButtonType = 'primary_filled' | 'primary' | 'default' | 'danger';

export function button(
  text: string,
  value: ButtonValue,
  opts: { type?: ButtonType; confirm?: { title: string; text: string }; submit?: string } = {},
): CardElement {
  const b: CardElement = {
    tag: 'button',
    type: opts.type ?? 'default',
    text: plain(text),
    behaviors: [{ type: 'callback', value }],
  };
  if (opts.confirm) b.confirm = { title: plain(opts.confirm.title), text: plain(opts.confirm.text) };
  if (opts.submit) {
    b.name = opts.submit;
    b.form_action_type = 'submit';
  }
  return b;
}

/** A row of buttons that wraps on narrow phones. */
export function buttonRow(buttons: CardElement[]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** Label–value pairs in two columns (编号 D-12 · 文号 …), the way an office notice lists them. */
export function fieldGrid(fields: Array<[string, string]>): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const pair = fields.slice(i, i + 2);
    rows.push({
      tag: 'column_set',
      horizontal_spacing: '12px',
      columns: [0, 1].map((k) => ({
        tag: 'column',
        width: 'weighted',
        weight: 1,
        elements: pair[k] ? [md(`**${pair[k][0]}**　${escapeMd(pair[k][1])}`)] : [],
      })),
    });
  }
  return rows;
}

/** Header colour by the traffic light; closed items are grey, information blue. */
export function templateFor(
  light: Light,
  opts: { closed?: boolean; dueToday?: boolean } = {},
): HeaderTemplate {
  if (opts.closed) return 'grey';
  if (light === 'red') return 'red';
  if (light === 'yellow') return opts.dueToday ? 'orange' : 'yellow';
  return 'green';
}

export const LIGHT_ZH: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
export const LIGHT_EMOJI: Record<Light, string> = { green: '🟢', yellow: '🟡', red: '🔴' };
export const LIGHT_TAG_COLOR: Record<Light, Tag['color']> = { green: 'green', yellow: 'yellow', red: 'red' };

export const DOC_TYPE_ZH: Record<DocType, string> = {
  circular: '传阅件',
  signoff: '签发件',
  urgent: '紧急件',
  normal: '一般件',
};

export const SOURCE_ZH: Record<TaskSource, string> = {
  instruction: '领导批示',
  decision: '会议议定',
  proposal: '建议提案',
  practical: '十件实事',
  hotline: '热线工单',
  other: '交办事项',
};

/** 【待办】 for documents, 【督办】 for tasks, 【会议】 for meetings. */
export const KIND_HEADER: Record<ItemKind, string> = { document: '待办', meeting: '会议', task: '督办' };

/** The item's type as its tag: 一般件 / 领导批示 / 会议. */
export function typeLabel(item: Pick<Item, 'kind' | 'docType' | 'source'>): string {
  if (item.kind === 'document') return item.docType ? DOC_TYPE_ZH[item.docType] : '公文';
  if (item.kind === 'task') return item.source ? SOURCE_ZH[item.source] : '交办事项';
  return '会议';
}

/** '11月24日（周二）18:00' */
export function deadlineZh(instant: Date, timeZone: string): string {
  return formatZh(instant, timeZone);
}

/** '18:00' */
export function localTimeZh(instant: Date, timeZone: string): string {
  return localTime(instant, timeZone);
}

/** '11月22日 10:31' — when somebody did something. */
export function stampZh(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Titles in headers stay on one or two lines on a phone. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Text typed by people (titles, notes) must not turn into markdown links, mentions or styles:
 * Lark's card markdown takes HTML character references for its special characters.
 */
export function escapeMd(text: string): string {
  return text.replace(/[&<>*_~`[\]#\\|]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\s*\r?\n\s*/g, ' ');
}
