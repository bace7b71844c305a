import fc from 'fast-check';

/**
 * Hostile inputs shared by the fast-check suites: JSON nested far deeper than any body the
 * service takes (once a stack overflow and a 500 on every JSON route), built as text because
 * JSON.stringify itself cannot write them.
 */

export type Nesting = 'array' | 'object' | 'mixed';

/** A JSON value nested `depth` levels deep: `[[[…]]]`, `{"a":{"a":…}}` or both in turn. */
export function nestedJson(depth: number, shape: Nesting = 'array'): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const array = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
    open.push(array ? '[' : '{"a":');
    close.push(array ? ']' : '}');
  }
  return `${open.join('')}1${close.reverse().join('')}`;
}

const MARKER = '__nested_json_here__';

/** `body` as JSON text with `field` set to `nested` (raw JSON text). */
export function withRawField(body: Record<string, unknown>, field: string, nested: string): string {
  return JSON.stringify({ ...body, [field]: MARKER }).replace(JSON.stringify(MARKER), nested);
}

/** Nesting deeper than the service's limit (64), up to 6,000 levels (about 10 KB or more). */
export const overDeep = fc.record({
  depth: fc.oneof(fc.integer({ min: 65, max: 200 }), fc.integer({ min: 4_000, max: 6_000 })),
  shape: fc.constantFrom<Nesting>('array', 'object', 'mixed'),
});

/** Nesting the service still takes (each value is then checked like any other). */
export const withinDepth = fc.record({
  depth: fc.integer({ min: 1, max: 60 }),
  shape: fc.constantFrom<Nesting>('array', 'object', 'mixed'),
});
