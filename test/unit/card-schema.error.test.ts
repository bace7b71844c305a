import { describe, expect, it } from 'vitest';
import { checkCard } from '../../src/lark/card-schema.js';
import { button, buttonRow, card, md } from '../../src/lark/cards/common.js';

/**
 * Cards Lark refuses, each for one documented rule, with the code and sub-code Lark answers
 * (发送消息 · 230099 子错误码) and the place named in ErrorValue.
 */

type Json = Record<string, any>;

const value = { v: 1 as const, op: 'done' as const, item: 'D-12' };

function base(elements: Json[] = [md('正文')]): Json {
  return card({ title: '【待办】测试', template: 'blue', elements });
}

const submit = { ...button('提交', value, { type: 'primary_filled', submit: 'submit_x' }) };
const input = { tag: 'input', name: 'note', placeholder: { tag: 'plain_text', content: '请输入' } };
const form = (elements: Json[] = [input, submit], name = 'f') => ({ tag: 'form', name, elements });
const chart = { tag: 'chart', chart_spec: { type: 'bar', data: [] } };
const table = { tag: 'table', columns: [{ name: 'a', data_type: 'text' }], rows: [{ a: '1' }] };

function refused(c: unknown) {
  const r = checkCard(c);
  if (r.ok) throw new Error('expected Lark to refuse the card');
  return r;
}

const malformed: Array<[string, () => Json, string]> = [
  ['an unknown property on a component', () => base([{ ...md('x'), colour: 'red' }]), 'colour'],
  ['an unknown property at the top', () => ({ ...base(), i18n_elements: {} }), 'i18n_elements'],
  ['schema missing (a 1.0 card)', () => ({ ...base(), schema: undefined }), 'schema'],
  ['update_multi false', () => ({ ...base(), config: { update_multi: false } }), 'config.update_multi'],
  ['update_multi missing', () => ({ ...base(), config: {} }), 'config.update_multi'],
  [
    'an unknown header template',
    () => ({ ...base(), header: { ...base().header, template: 'pink' } }),
    'template',
  ],
  [
    'an unknown tag colour',
    () => ({
      ...base(),
      header: {
        ...base().header,
        text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: 'x' }, color: 'gold' }],
      },
    }),
    'color',
  ],
  ['an unknown component tag', () => base([{ tag: 'marquee', content: 'x' }]), 'body.elements[0].tag'],
  ['an unknown button type', () => base([{ ...button('x', value), type: 'secondary' }]), 'type'],
  ['a button without behaviors', () => base([{ ...button('x', value), behaviors: undefined }]), 'behaviors'],
  [
    'a callback value that is not an object',
    () => base([{ ...button('x', value), behaviors: [{ type: 'callback', value: 'done' }] }]),
    'value',
  ],
  [
    'a button text over 100 characters',
    () => base([{ ...button('x', value), text: { tag: 'plain_text', content: '办'.repeat(101) } }]),
    'text.content',
  ],
  ['a submit button outside a form', () => base([submit]), 'form_action_type'],
  ['a markdown text_size outside the list', () => base([{ ...md('x'), text_size: 'huge' }]), 'text_size'],
  [
    'a column weight over 5',
    () =>
      base([{ tag: 'column_set', columns: [{ tag: 'column', width: 'weighted', weight: 6, elements: [] }] }]),
    'weight',
  ],
  [
    'a spacing over 99px',
    () => base([{ ...buttonRow([button('x', value)]), horizontal_spacing: '120px' }]),
    'horizontal_spacing',
  ],
  [
    'a form inside a column',
    () => base([{ tag: 'column_set', columns: [{ tag: 'column', elements: [form()] }] }]),
    'columns[0].elements[0].tag',
  ],
  [
    'a table inside a column',
    () => base([{ tag: 'column_set', columns: [{ tag: 'column', elements: [table] }] }]),
    'columns[0].elements[0].tag',
  ],
  ['a table inside a form', () => base([form([input, submit, table])]), 'elements[2].tag'],
  ['a chart inside a form', () => base([form([input, submit, chart])]), 'elements[2].tag'],
  ['a form inside a form', () => base([form([input, submit, form([], 'g')])]), 'elements[2].tag'],
  ['a form without a name', () => base([{ ...form(), name: undefined }]), 'name'],
  ['an unnamed input in a form', () => base([form([{ ...input, name: undefined }, submit])]), 'name'],
  [
    'a button in a form without form_action_type',
    () => base([form([input, submit, button('取消', value)])]),
    'name',
  ],
  ['required on an input outside a form', () => base([{ ...input, required: true }]), 'required'],
  [
    'an input max_length over 1000',
    () => base([form([{ ...input, max_length: 1001 }, submit])]),
    'max_length',
  ],
  [
    'select options with the same value',
    () =>
      base([
        {
          tag: 'select_static',
          options: [
            { text: { tag: 'plain_text', content: 'a' }, value: '1' },
            { text: { tag: 'plain_text', content: 'b' }, value: '1' },
          ],
        },
      ]),
    'options',
  ],
  [
    'a date_picker initial_date not yyyy-MM-dd',
    () => base([{ tag: 'date_picker', initial_date: '2026/11/25' }]),
    'initial_date',
  ],
  ['a table page_size over 10', () => base([{ ...table, page_size: 20 }]), 'page_size'],
  [
    'a table column data_type outside the list',
    () => base([{ ...table, columns: [{ name: 'a', data_type: 'url' }] }]),
    'data_type',
  ],
  ['a form without a submit button', () => base([form([input])]), 'submit'],
  ['two controls with the same name', () => base([form([input, { ...input }, submit])]), '"note"'],
  ['six tables', () => base(Array.from({ length: 6 }, () => table)), '6 tables'],
  ['an element_id starting with a digit', () => base([{ ...md('x'), element_id: '1abc' }]), 'element_id'],
];

describe('Card JSON 2.0 schema: cards Lark refuses', () => {
  it.each(malformed)('%s → 230099 / 200621, naming the place', (_name, make, where) => {
    const r = refused(make());
    expect(r.code).toBe(230099);
    expect(r.msg).toMatch(/^Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err/);
    expect(r.msg).toContain(where);
  });

  it('a 1.0-only component (note, action) → 200861 unsupported tag', () => {
    for (const tag of ['note', 'action']) {
      const r = refused(base([{ tag, elements: [] }]));
      expect(r).toMatchObject({ code: 230099 });
      expect(r.msg).toContain(
        'ErrCode: 200861; ErrMsg: cards of schema V2 no longer support this capability',
      );
      expect(r.msg).toContain(`unsupported tag ${tag}`);
    }
  });

  it('a chart without a usable chart_spec → 200550 chart spec is invalid', () => {
    const r = refused(base([{ tag: 'chart', chart_spec: { data: [] } }]));
    expect(r.msg).toContain('ErrCode: 200550; ErrMsg: chart spec is invalid');
  });

  it('more than 200 elements → 11310 element exceeds the limit', () => {
    const r = refused(base(Array.from({ length: 200 }, (_, i) => md(`第${i}行`))));
    expect(r.msg).toContain('ErrCode: 11310; ErrMsg: element exceeds the limit');
    // 200 components and the header's title element: 201.
    expect(r.msg).toContain('201 elements');
    expect(checkCard(base(Array.from({ length: 199 }, (_, i) => md(`第${i}行`))))).toEqual({ ok: true });
  });

  it('over 30 KB → 230025, whatever else is right', () => {
    const big = base([md('办'.repeat(11_000))]);
    expect(refused(big)).toEqual({
      ok: false,
      code: 230025,
      msg: 'The length of the message content reaches its limit.',
    });
    expect(checkCard(base([md('办'.repeat(9_000))]))).toEqual({ ok: true });
  });

  it('containers nest at most five levels', () => {
    let inner: Json = md('最里层');
    for (let i = 0; i < 6; i++)
      inner = { tag: 'column_set', columns: [{ tag: 'column', elements: [inner] }] };
    expect(refused(base([inner])).msg).toContain('nest at most 5 levels');
  });
});
