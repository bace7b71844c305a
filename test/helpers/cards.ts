import { checkCard } from '../../src/lark/card-schema.js';

/**
 * Reading Card JSON 2.0 in tests: the header, every button with its callback value, every text,
 * without snapshots, so a test says exactly what an office worker would see and click.
 */

type Json = Record<string, any>;

export function walk(node: unknown, visit: (el: Json, depth: number) => void, depth = 0): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, depth);
    return;
  }
  if (node && typeof node === 'object') {
    const el = node as Json;
    if (typeof el.tag === 'string') visit(el, depth);
    for (const key of ['elements', 'columns']) if (el[key]) walk(el[key], visit, depth + 1);
  }
}

export function elementsOf(card: Json, tag: string): Json[] {
  const out: Json[] = [];
  walk(card.body?.elements, (el) => {
    if (el.tag === tag) out.push(el);
  });
  return out;
}

export interface ButtonInfo {
  text: string;
  type: string;
  value: Record<string, unknown>;
  submit: boolean;
  confirm: boolean;
}

export function buttonsOf(card: Json): ButtonInfo[] {
  return elementsOf(card, 'button').map((b) => ({
    text: b.text?.content,
    type: b.type,
    value: b.behaviors?.[0]?.value,
    submit: b.form_action_type === 'submit',
    confirm: !!b.confirm,
  }));
}

export function buttonTexts(card: Json): string[] {
  return buttonsOf(card).map((b) => b.text);
}

/** All the markdown of the card, joined by newlines. */
export function textOf(card: Json): string {
  return elementsOf(card, 'markdown')
    .map((m) => m.content as string)
    .join('\n');
}

export function headerOf(card: Json): { title: string; template: string; tags: string[] } {
  return {
    title: card.header?.title?.content,
    template: card.header?.template,
    tags: (card.header?.text_tag_list ?? []).map((t: Json) => t.text.content),
  };
}

/**
 * What is wrong with a card: first whatever Lark would refuse (src/lark/card-schema.ts, Lark's own
 * code and message), then cuiban's own rules on top: a header title, at most three header tags
 * (Lark shows no more), every button carrying a versioned value.
 */
export function cardProblems(card: Json): string[] {
  const problems: string[] = [];
  const lark = checkCard(card);
  if (!lark.ok) problems.push(`Lark refuses it: ${lark.code} ${lark.msg}`);
  if (!card.header?.title?.content) problems.push('no header title');
  if ((card.header?.text_tag_list ?? []).length > 3) problems.push('more than three header tags');
  walk(card.body?.elements, (el) => {
    if (el.tag === 'button') {
      const v = el.behaviors?.[0]?.value;
      if (!v || v.v !== 1) problems.push(`button ${el.text?.content} has no versioned value`);
    }
  });
  return problems;
}
