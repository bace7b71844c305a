import { HHMM } from './duty.js';
import { FIRST_YEAR, isDayInWindow, isValidDate, LAST_YEAR } from './time.js';

/**
 * A roster as CSV: `date,officer,leader[,start,end]`, one shift per line, an optional header line.
 * Officers and leaders by name or open_id; several officers joined by `/` or `、`. Pure: the
 * caller says how a name resolves. Every row is checked and every problem reported by its line
 * number, so a file is either taken whole or refused whole.
 */

export interface CsvShift {
  row: number;
  date: string;
  officers: string[];
  leader: string;
  start: string | null;
  end: string | null;
}

export interface CsvProblem {
  row: number;
  field: string;
  message: string;
}

/** An open_id, or why the name does not resolve ('未登记' / '重名'). */
export type Resolve = (nameOrId: string) => { openId: string } | { problem: string };

export const MAX_CSV_ROWS = 1000;

/** Splits one CSV line: commas (also full-width ，), double quotes around a field, "" inside. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === ',' || ch === '，') {
      fields.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  fields.push(cur.trim());
  return fields;
}

export function parseDutyCsv(text: string, resolve: Resolve): { shifts: CsvShift[]; problems: CsvProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const shifts: CsvShift[] = [];
  const problems: CsvProblem[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  lines.forEach((line, index) => {
    const row = index + 1;
    if (line.trim() === '') return;
    const f = splitCsvLine(line);
    if (index === 0 && /^(date|日期)$/i.test(f[0] ?? '')) return;
    rows++;
    const problem = (field: string, message: string) => problems.push({ row, field, message });
    if (f.length < 3 || f.length > 5 || f.length === 4) {
      problem('row', `应为 date,officer,leader[,start,end] 共3或5列，实为${f.length}列`);
      return;
    }
    const [date, officerText, leaderText, start, end] = f as [string, string, string, string?, string?];
    if (!isValidDate(date)) problem('date', `「${date}」不是日期（YYYY-MM-DD）`);
    // The same years as the API, which could not read back a shift in 0999 or 9999.
    else if (!isDayInWindow(date)) problem('date', `${date} 不在${FIRST_YEAR}–${LAST_YEAR}年之内`);
    else if (seen.has(date)) problem('date', `${date} 与第${seen.get(date)}行重复`);
    else seen.set(date, row);
    const officers: string[] = [];
    const names = officerText
      .split(/[/、;；]/)
      .map((n) => n.trim())
      .filter(Boolean);
    if (names.length === 0) problem('officer', '缺少值班人员');
    for (const n of names) {
      const r = resolve(n);
      if ('problem' in r) problem('officer', `「${n}」${r.problem}`);
      else if (!officers.includes(r.openId)) officers.push(r.openId);
    }
    let leader = '';
    if (!leaderText) problem('leader', '缺少带班领导');
    else {
      const r = resolve(leaderText);
      if ('problem' in r) problem('leader', `「${leaderText}」${r.problem}`);
      else leader = r.openId;
    }
    for (const [field, v] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (v !== undefined && v !== '' && !HHMM.test(v)) problem(field, `「${v}」不是时间（HH:mm）`);
    }
    shifts.push({ row, date, officers, leader, start: start || null, end: end || null });
  });
  if (rows === 0) problems.push({ row: 0, field: 'file', message: '文件中没有值班记录' });
  if (rows > MAX_CSV_ROWS) problems.push({ row: 0, field: 'file', message: `一次最多导入${MAX_CSV_ROWS}行` });
  return { shifts, problems };
}
