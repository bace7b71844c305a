/**
 * Cells of every CSV and Excel file the service writes. A text that starts with `=`, `+`, `-` or
 * `@` (or a tab or carriage return before one) is run as a formula by Excel and WPS when the file
 * is opened — a department named `=HYPERLINK("http://…","点我")` becomes a link, `+cmd|' /C calc'!A0`
 * a command. Quoting does not stop that; a leading `'` does (OWASP's advice): the cell shows the
 * text, and Excel hides the quote. Numbers stay numbers (a score of -2 is a number, not a text).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text as a spreadsheet may hold it: formula-starting text prefixed with `'`. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A value for an Excel cell: texts made safe, numbers and blanks as they are. */
export function sheetCell(v: string | number | null): string | number | null {
  return typeof v === 'string' ? safeText(v) : v;
}

/** A value as one CSV field: made safe, then quoted when it holds a quote, comma or line break. */
export function csvCell(v: string | number | null): string {
  const s = v === null ? '' : typeof v === 'number' ? String(v) : safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
