/**
 * What text the service stores. PostgreSQL refuses U+0000 in text, and control characters or a
 * title made only of invisible characters are never what a person meant: such text is refused at
 * the edge (API fields, query parameters, path ids, chat messages) with an answer naming the field.
 */

/** C0 controls except tab, line feed and carriage return; DEL; C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Lone UTF-16 surrogates: no character at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** White space and the zero-width / formatting characters that show nothing. */
const INVISIBLE = /[\s\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/gu;

/** Why a text cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (CONTROL.test(text)) return 'contains a control character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate (not a character)';
  return null;
}

/** Whether a text shows nothing: only white space and zero-width characters. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/** Whether a text starts or ends with white space or an invisible character. */
export function hasSurroundingSpace(text: string): boolean {
  return /^[\s\u00AD\u180E\u200B-\u200F\u2060-\u206F\uFEFF]|[\s\u00AD\u180E\u200B-\u200F\u2060-\u206F\uFEFF]$/u.test(
    text,
  );
}

/**
 * PostgreSQL's jsonb cannot hold U+0000 either: a Lark payload is stored with each NUL replaced by
 * U+FFFD, so the message or form that carried it is still answered. Text from Lark is therefore
 * refused when it holds that stand-in too.
 */
export const NUL_STAND_IN = '\uFFFD';

/** Why a text that came from Lark cannot be acted on, or null when it can. */
export function inboundTextProblem(text: string): string | null {
  return textProblem(text) ?? (text.includes(NUL_STAND_IN) ? 'contains an unreadable character' : null);
}

/**
 * JSON for a jsonb column: every escaped NUL (\u0000) and every escaped lone surrogate (which
 * JSON.stringify writes as \udXXX and jsonb refuses too) becomes the stand-in U+FFFD.
 */
export function jsonForStorage(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, '$1\\ufffd');
}
