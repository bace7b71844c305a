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

const KNOWN_TAGS = new Set([
  'markdown',
  'hr',
  'button',
  'column_set',
  'column',
  'form',
  'input',
  'select_static',
  'date_picker',
  'div',
  'table',
  'chart',
]);

/**
 * The rules of Card JSON 2.0 that a wrong card breaks: schema 2.0, update_multi for shared cards,
 * a header, known components only, forms only at the root and never nested, named form fields,
 * each submit button named, at most three header tags, under 30 KB.
 */
export function cardProblems(card: Json): string[] {
  const problems: string[] = [];
  if (card.schema !== '2.0') problems.push('schema is not 2.0');
  if (card.config?.update_multi !== true) problems.push('config.update_multi is not true');
  if (!card.header?.title?.content) problems.push('no header title');
  if ((card.header?.text_tag_list ?? []).length > 3) problems.push('more than three header tags');
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes >= 30 * 1024) problems.push(`card is ${bytes} bytes`);
  walk(card.body?.elements, (el, depth) => {
    if (!KNOWN_TAGS.has(el.tag)) problems.push(`unknown tag ${el.tag}`);
    if (el.tag === 'form' && depth !== 0) problems.push('form not at the root');
    if (el.tag === 'form') {
      const inner: Json[] = [];
      walk(el.elements, (x) => inner.push(x));
      if (inner.some((x) => x.tag === 'form')) problems.push('nested form');
      for (const x of inner) {
        if (['input', 'select_static', 'date_picker'].includes(x.tag) && !x.name)
          problems.push(`unnamed ${x.tag}`);
        if (x.tag === 'button' && x.form_action_type === 'submit' && !x.name) problems.push('unnamed submit');
      }
    }
    if (el.tag === 'button') {
      const v = el.behaviors?.[0]?.value;
      if (!v || v.v !== 1) problems.push(`button ${el.text?.content} has no versioned value`);
    }
  });
  return problems;
}
