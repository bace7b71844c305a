import { AppError } from './errors.js';

/**
 * How deeply arrays and objects may nest in a JSON body. The deepest body the service expects (a
 * Lark card callback) nests fewer than 10 levels; the limit keeps every later step that walks a
 * body (the text check, JSON.stringify, jsonb) far from the stack's depth.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a JSON text nests arrays or objects more than `limit` levels deep, found in one pass
 * over the characters (no recursion, so a body of 100,000 `[` costs a loop, not the stack).
 * Brackets inside strings do not count.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

/** A 400 `invalid_json` for a JSON text nested more than MAX_JSON_DEPTH levels deep. */
export function refuseDeepJson(text: string): void {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new AppError(
      400,
      'invalid_json',
      `The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} are accepted.`,
    );
}

/**
 * A request body parsed as JSON, or a 400 `invalid_json` saying what is wrong: not JSON, or
 * nested more than MAX_JSON_DEPTH levels deep (checked before parsing).
 */
export function parseJsonBody(text: string): unknown {
  refuseDeepJson(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}
