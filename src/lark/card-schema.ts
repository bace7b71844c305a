import { z } from 'zod';

/**
 * The Card JSON 2.0 rules Lark documents (open.feishu.cn › 飞书卡片 › 卡片 JSON 2.0 结构 and the 2.0
 * component pages), for the components cuiban's cards use: markdown, hr, button, column_set /
 * column, form with input / select_static / date_picker, table and chart. In 2.0 Lark refuses a
 * property it does not support (1.0 ignored it), so every object here is strict: an unknown
 * property is an error, as it is for Lark. A tag outside this subset is refused too, so a card
 * that passes here uses only what has been checked against the documentation.
 *
 * `checkCard` answers what Lark answers for a card it will not take: code 230099 with the
 * sub-code and text of its documented 230099 table (200621 for a malformed card, 200861 for a
 * 1.0-only tag, 200550 for a bad chart spec, 11310 past 200 elements), or 230025 past 30 KB.
 */

/** Cards and rich-text messages: at most 30 KB (发送消息 · 230025). */
export const CARD_MAX_BYTES = 30 * 1024;
/** A 2.0 card holds at most 200 elements or components (卡片 JSON 2.0 结构 · 注意事项). */
export const CARD_MAX_ELEMENTS = 200;
/** At most five tables on one card (表格 · 注意事项). */
export const CARD_MAX_TABLES = 5;
/** Containers nest at most five levels (分栏 / 表单容器 · 注意事项). */
export const CARD_MAX_NESTING = 5;

// ── shared property types ─────────────────────────────────────────────────────────────────────

const px = (min: number, max: number) =>
  z.string().refine((s) => {
    const m = /^(-?\d+)px$/.exec(s);
    return m !== null && Number(m[1]) >= min && Number(m[1]) <= max;
  }, `expected a size in [${min},${max}]px`);

/** "small" (4px) | "medium" (8px) | "large" (12px) | "extra_large" (16px) | [0,99]px. */
const spacing = z.union([z.enum(['small', 'medium', 'large', 'extra_large']), px(0, 99)]);

/** One to four values, each 0 or [min,max]px: "4px", "4px 0", "4px 12px 4px 12px". */
const box = (min: number, max: number) =>
  z.string().refine((s) => {
    const parts = s.trim().split(/\s+/);
    return (
      parts.length >= 1 &&
      parts.length <= 4 &&
      parts.every((p) => {
        if (p === '0') return true;
        const m = /^(-?\d+)px$/.exec(p);
        return m !== null && Number(m[1]) >= min && Number(m[1]) <= max;
      })
    );
  }, `expected one to four sizes in [${min},${max}]px`);

const margin = box(-99, 99);
/** Letters, digits and underscores, starting with a letter, at most 20 characters. */
const elementId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,19}$/, 'element_id: letter first, ≤ 20 [A-Za-z0-9_]');
const horizontalAlign = z.enum(['left', 'center', 'right']);
const verticalAlign = z.enum(['top', 'center', 'bottom']);
const direction = z.enum(['vertical', 'horizontal']);
const i18nText = z.record(z.string(), z.string());

/** A plain_text object ({tag, content}) with at most `max` characters when a limit is documented. */
const plainText = (max?: number) =>
  z.strictObject({
    tag: z.literal('plain_text'),
    content: max ? z.string().refine((s) => [...s].length <= max, `at most ${max} characters`) : z.string(),
    i18n_content: i18nText.optional(),
  });

const titleText = z.strictObject({
  tag: z.enum(['plain_text', 'lark_md']),
  content: z.string(),
  i18n_content: i18nText.optional(),
});

const icon = z.strictObject({
  tag: z.enum(['standard_icon', 'custom_icon']),
  token: z.string().optional(),
  color: z.string().optional(),
  img_key: z.string().optional(),
});

const confirm = z.strictObject({ title: plainText(), text: plainText() });

const multiUrl = z.strictObject({
  url: z.string().optional(),
  android_url: z.string().optional(),
  ios_url: z.string().optional(),
  pc_url: z.string().optional(),
});

/** behaviors: open a link, or call back with an object value (the SDK takes objects only). */
const behavior = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('open_url'),
    default_url: z.string(),
    android_url: z.string().optional(),
    ios_url: z.string().optional(),
    pc_url: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('callback'), value: z.record(z.string(), z.unknown()) }),
]);
const behaviors = z.array(behavior).min(1);

/** default | fill | [100,∞)px — buttons, inputs and pickers. */
const controlWidth = z.union([
  z.enum(['default', 'fill']),
  z.string().refine((s) => /^\d+px$/.test(s) && Number.parseInt(s, 10) >= 100, 'expected ≥ 100px'),
]);

// ── components ────────────────────────────────────────────────────────────────────────────────

const markdown = z.strictObject({
  tag: z.literal('markdown'),
  element_id: elementId.optional(),
  margin: margin.optional(),
  text_align: horizontalAlign.optional(),
  text_size: z
    .union([
      z.enum([
        'heading-0',
        'heading-1',
        'heading-2',
        'heading-3',
        'heading-4',
        'heading',
        'normal',
        'notation',
        'xxxx-large',
        'xxx-large',
        'xx-large',
        'x-large',
        'large',
        'medium',
        'small',
        'x-small',
      ]),
      // A size named in config.style.text_size.
      z
        .string()
        .regex(/^cus-/),
    ])
    .optional(),
  icon: icon.optional(),
  content: z.string(),
  i18n_content: i18nText.optional(),
});

const hr = z.strictObject({
  tag: z.literal('hr'),
  element_id: elementId.optional(),
  margin: margin.optional(),
});

const buttonShape = {
  tag: z.literal('button'),
  element_id: elementId.optional(),
  margin: margin.optional(),
  type: z
    .enum([
      'default',
      'primary',
      'danger',
      'text',
      'primary_text',
      'danger_text',
      'primary_filled',
      'danger_filled',
      'laser',
    ])
    .optional(),
  size: z.enum(['tiny', 'small', 'medium', 'large']).optional(),
  width: controlWidth.optional(),
  text: plainText(100).optional(),
  icon: icon.optional(),
  hover_tips: plainText().optional(),
  disabled: z.boolean().optional(),
  disabled_tips: plainText().optional(),
  confirm: confirm.optional(),
};

/** A button outside a form acts through its behaviors; name and form_action_type belong to forms. */
const button = z.strictObject({ ...buttonShape, behaviors });
/** In a form every button has a card-wide unique name and submits or resets the form. */
const formButton = z.strictObject({
  ...buttonShape,
  behaviors: behaviors.optional(),
  name: z.string().min(1),
  form_action_type: z.enum(['submit', 'reset']),
});

/** Properties an input, select or picker has wherever it stands. */
const controlShape = {
  element_id: elementId.optional(),
  margin: margin.optional(),
  disabled: z.boolean().optional(),
  disabled_tips: plainText().optional(),
  width: controlWidth.optional(),
  behaviors: behaviors.optional(),
  confirm: confirm.optional(),
};

const inputShape = {
  tag: z.literal('input'),
  ...controlShape,
  placeholder: plainText(100).optional(),
  default_value: z.string().optional(),
  max_length: z.number().int().min(1).max(1000).optional(),
  input_type: z.enum(['text', 'multiline_text', 'password']).optional(),
  show_icon: z.boolean().optional(),
  rows: z.number().int().min(1).optional(),
  auto_resize: z.boolean().optional(),
  max_rows: z.number().int().min(1).optional(),
  label: plainText().optional(),
  label_position: z.enum(['top', 'left']).optional(),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
};

const selectOption = z.strictObject({ text: plainText(), icon: icon.optional(), value: z.string() });
const selectShape = {
  tag: z.literal('select_static'),
  ...controlShape,
  type: z.enum(['default', 'text']).optional(),
  initial_option: z.string().optional(),
  initial_index: z.number().int().min(0).optional(),
  placeholder: plainText().optional(),
  options: z
    .array(selectOption)
    .refine((os) => new Set(os.map((o) => o.value)).size === os.length, 'option values must differ')
    .optional(),
};

const datePickerShape = {
  tag: z.literal('date_picker'),
  ...controlShape,
  placeholder: plainText(100).optional(),
  initial_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'initial_date: yyyy-MM-dd')
    .optional(),
  value: z.record(z.string(), z.unknown()).optional(),
};

/** Outside a form: name is optional and `required` is an error (it only works in forms). */
const input = z.strictObject({ ...inputShape, name: z.string().min(1).optional() });
const selectStatic = z.strictObject({ ...selectShape, name: z.string().min(1).optional() });
const datePicker = z.strictObject({ ...datePickerShape, name: z.string().min(1).optional() });
/** In a form: name is required (unique on the card), `required` allowed. */
const inForm = { name: z.string().min(1), required: z.boolean().optional() };
const formInput = z.strictObject({ ...inputShape, ...inForm });
const formSelectStatic = z.strictObject({ ...selectShape, ...inForm });
const formDatePicker = z.strictObject({ ...datePickerShape, ...inForm });

/** A VChart spec: Lark checks it (200550 "chart spec is invalid"); it must at least name its type. */
const chartSpec = z.looseObject({ type: z.string().min(1) });
const chart = z.strictObject({
  tag: z.literal('chart'),
  element_id: elementId.optional(),
  margin: margin.optional(),
  aspect_ratio: z.enum(['1:1', '2:1', '4:3', '16:9']).optional(),
  color_theme: z.enum(['brand', 'rainbow', 'complementary', 'converse', 'primary']).optional(),
  chart_spec: chartSpec,
  preview: z.boolean().optional(),
  height: z.union([z.literal('auto'), px(1, 999)]).optional(),
});

const tableColumn = z.strictObject({
  name: z.string().min(1),
  display_name: z.string().optional(),
  width: z
    .union([
      z.literal('auto'),
      px(80, 600),
      z.string().refine((s) => {
        const m = /^(\d+)%$/.exec(s);
        return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 100;
      }, 'expected [1%,100%]'),
    ])
    .optional(),
  vertical_align: verticalAlign.optional(),
  horizontal_align: horizontalAlign.optional(),
  data_type: z.enum(['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown']),
  format: z
    .strictObject({
      precision: z.number().int().min(0).max(10).optional(),
      symbol: z.string().optional(),
      separator: z.boolean().optional(),
    })
    .optional(),
  date_format: z.string().optional(),
});
const table = z.strictObject({
  tag: z.literal('table'),
  element_id: elementId.optional(),
  margin: margin.optional(),
  page_size: z.number().int().min(1).max(10).optional(),
  row_height: z.union([z.enum(['low', 'middle', 'high', 'auto']), px(32, 124)]).optional(),
  row_max_height: px(32, 999).optional(),
  header_style: z
    .strictObject({
      text_align: horizontalAlign.optional(),
      text_size: z.enum(['normal', 'heading']).optional(),
      background_style: z.enum(['none', 'grey']).optional(),
      text_color: z.enum(['default', 'grey']).optional(),
      bold: z.boolean().optional(),
      lines: z.number().int().min(1).optional(),
    })
    .optional(),
  freeze_first_column: z.boolean().optional(),
  columns: z.array(tableColumn),
  rows: z.array(z.record(z.string(), z.unknown())),
});

// ── containers, by where they stand ───────────────────────────────────────────────────────────

/**
 * Where an element stands decides what it may be: forms and tables only at the root of
 * body.elements; charts anywhere but in a form; in a form no table, chart or form, and every
 * interactive component named (and buttons submitting or resetting).
 */
type Place = 'root' | 'column' | 'form';

const containerLayout = {
  element_id: elementId.optional(),
  margin: margin.optional(),
  horizontal_spacing: spacing.optional(),
  horizontal_align: horizontalAlign.optional(),
};

function columnSet(place: 'column' | 'form') {
  return z.strictObject({
    tag: z.literal('column_set'),
    ...containerLayout,
    flex_mode: z.enum(['none', 'stretch', 'flow', 'bisect', 'trisect']).optional(),
    background_style: z.string().optional(),
    action: z.strictObject({ multi_url: multiUrl.optional() }).optional(),
    columns: z.array(column(place)),
  });
}

function column(place: 'column' | 'form') {
  return z.strictObject({
    tag: z.literal('column'),
    ...containerLayout,
    background_style: z.string().optional(),
    width: z.union([z.enum(['auto', 'weighted']), px(16, 600)]).optional(),
    weight: z.number().int().min(1).max(5).optional(),
    vertical_align: verticalAlign.optional(),
    vertical_spacing: spacing.optional(),
    direction: direction.optional(),
    padding: box(0, 99).optional(),
    action: z.strictObject({ multi_url: multiUrl.optional() }).optional(),
    elements: z.array(z.lazy(() => element(place))).optional(),
  });
}

function form() {
  return z.strictObject({
    tag: z.literal('form'),
    ...containerLayout,
    direction: direction.optional(),
    padding: box(-99, 99).optional(),
    vertical_align: verticalAlign.optional(),
    vertical_spacing: spacing.optional(),
    name: z.string().min(1),
    elements: z.array(z.lazy(() => element('form'))),
  });
}

const schemas = new Map<Place, z.ZodType>();

/** The element schema for a place (built once per place; containers recurse through z.lazy). */
function element(place: Place): z.ZodType {
  const known = schemas.get(place);
  if (known) return known;
  const options =
    place === 'form'
      ? [markdown, hr, formButton, formInput, formSelectStatic, formDatePicker, columnSet('form')]
      : place === 'column'
        ? [markdown, hr, button, input, selectStatic, datePicker, chart, columnSet('column')]
        : [markdown, hr, button, input, selectStatic, datePicker, chart, columnSet('column'), form(), table];
  const schema = z.discriminatedUnion('tag', options as never);
  schemas.set(place, schema);
  return schema;
}

const header = z.strictObject({
  title: titleText,
  subtitle: titleText.optional(),
  text_tag_list: z
    .array(
      z.strictObject({
        tag: z.literal('text_tag'),
        element_id: elementId.optional(),
        text: plainText(),
        color: z
          .enum([
            'neutral',
            'blue',
            'turquoise',
            'lime',
            'orange',
            'violet',
            'indigo',
            'wathet',
            'green',
            'yellow',
            'red',
            'purple',
            'carmine',
          ])
          .optional(),
      }),
    )
    .optional(),
  template: z
    .enum([
      'blue',
      'wathet',
      'turquoise',
      'green',
      'yellow',
      'orange',
      'red',
      'carmine',
      'violet',
      'purple',
      'indigo',
      'grey',
      'default',
    ])
    .optional(),
  icon: icon.optional(),
  padding: box(0, 99).optional(),
});

const config = z.strictObject({
  streaming_mode: z.boolean().optional(),
  summary: z.strictObject({ content: z.string().optional(), i18n_content: i18nText.optional() }).optional(),
  locales: z.array(z.string()).optional(),
  enable_forward: z.boolean().optional(),
  /**
   * 2.0 cards are shared cards only ("update_multi 仅支持设为 true"). cuiban also states it, since
   * a group's copy is patched for everyone after a click.
   */
  update_multi: z.literal(true),
  width_mode: z.enum(['compact', 'fill']).optional(),
  use_custom_translation: z.boolean().optional(),
  enable_forward_interaction: z.boolean().optional(),
  style: z
    .strictObject({
      text_size: z
        .record(
          z.string(),
          z.strictObject({
            default: z.string().optional(),
            pc: z.string().optional(),
            mobile: z.string().optional(),
          }),
        )
        .optional(),
      color: z
        .record(z.string(), z.strictObject({ light_mode: z.string(), dark_mode: z.string() }))
        .optional(),
    })
    .optional(),
});

/** One Card JSON 2.0 card as cuiban sends it. */
export const cardSchema = z.strictObject({
  schema: z.literal('2.0'),
  config,
  card_link: multiUrl.optional(),
  header: header.optional(),
  body: z.strictObject({
    direction: direction.optional(),
    padding: box(0, 99).optional(),
    horizontal_spacing: spacing.optional(),
    horizontal_align: horizontalAlign.optional(),
    vertical_spacing: spacing.optional(),
    vertical_align: verticalAlign.optional(),
    elements: z.array(element('root')),
  }),
});

// ── whole-card rules and Lark's answer ────────────────────────────────────────────────────────

export type CardCheck = { ok: true } | { ok: false; code: number; msg: string };

const V1_ONLY_TAGS = new Set(['note', 'action']);

type Json = Record<string, unknown>;

/** Every object with a tag (components and elements such as plain_text), with its path and depth. */
function visit(
  node: unknown,
  path: string,
  depth: number,
  fn: (el: Json, path: string, depth: number) => void,
) {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) visit(n, `${path}[${i}]`, depth, fn);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const el = node as Json;
  const isContainer = el.tag === 'column_set' || el.tag === 'form';
  if (typeof el.tag === 'string') fn(el, path, depth);
  for (const [key, value] of Object.entries(el)) {
    if (key === 'chart_spec' || key === 'rows') continue;
    if (value && typeof value === 'object')
      visit(value, `${path}.${key}`, isContainer ? depth + 1 : depth, fn);
  }
}

function rejected(subCode: number, errMsg: string, errorValue: string): CardCheck {
  return {
    ok: false,
    code: 230099,
    msg: `Failed to create card content, ext=ErrCode: ${subCode}; ErrMsg: ${errMsg}; ErrorValue: ${errorValue}; `,
  };
}

const PARSE_ERR = 'parse card json err, please check whether the card json is correct';

/** The rules that span the card: counts, nesting, names, a submit button in every form. */
function wholeCardProblem(card: Json): string | null {
  const names = new Map<string, string>();
  let tables = 0;
  let problem: string | null = null;
  visit(card.body, 'body', 0, (el, path, depth) => {
    if (problem) return;
    if (el.tag === 'table') tables += 1;
    if (depth > CARD_MAX_NESTING) problem = `${path}: containers nest at most ${CARD_MAX_NESTING} levels`;
    if (el.tag === 'form' && typeof el.name === 'string') {
      let submits = 0;
      visit(el.elements, path, 0, (inner) => {
        if (inner.tag === 'button' && inner.form_action_type === 'submit') submits += 1;
      });
      if (submits === 0) problem = `${path}: a form needs a button with form_action_type "submit"`;
    }
    if (typeof el.name === 'string' && el.tag !== 'column') {
      const seen = names.get(el.name);
      if (seen) problem = `${path}.name: "${el.name}" is already used at ${seen}`;
      names.set(el.name, path);
    }
  });
  if (!problem && tables > CARD_MAX_TABLES) problem = `body: ${tables} tables, at most ${CARD_MAX_TABLES}`;
  return problem;
}

function issuePath(path: PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Would Lark take this card? Answers Lark's own code and message when not: 230025 past 30 KB,
 * 230099 with sub-code 200861 (a 1.0-only tag), 11310 (more than 200 elements), 200550 (a chart
 * without a usable spec) or 200621 (anything else malformed: an unknown property or tag, a value
 * outside its documented set, a form or table out of place).
 */
export function checkCard(card: unknown): CardCheck {
  const bytes = Buffer.byteLength(JSON.stringify(card) ?? '', 'utf8');
  if (bytes > CARD_MAX_BYTES) {
    return { ok: false, code: 230025, msg: 'The length of the message content reaches its limit.' };
  }
  if (!card || typeof card !== 'object' || Array.isArray(card))
    return rejected(200621, PARSE_ERR, 'the card is not an object');
  let oldTag: string | null = null;
  let elements = 0;
  visit(card, 'ROOT', 0, (el, path) => {
    elements += 1;
    if (!oldTag && V1_ONLY_TAGS.has(el.tag as string)) oldTag = `${path} unsupported tag ${el.tag as string}`;
  });
  if (oldTag) return rejected(200861, 'cards of schema V2 no longer support this capability', oldTag);
  if (elements > CARD_MAX_ELEMENTS)
    return rejected(11310, 'element exceeds the limit', `${elements} elements`);
  const parsed = cardSchema.safeParse(card);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issuePath(issue.path);
    if (path.includes('chart_spec'))
      return rejected(200550, 'chart spec is invalid', `${path}: ${issue.message}`);
    return rejected(200621, PARSE_ERR, `${path}: ${issue.message}`);
  }
  const problem = wholeCardProblem(card as Json);
  if (problem) return rejected(200621, PARSE_ERR, problem);
  return { ok: true };
}
