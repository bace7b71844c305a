import { normalizeItemId } from './items.js';

/**
 * Chat commands: what staff type to the bot in a direct message or after @-mentioning it in a
 * group (shared/docs/contract.md, "Chat"). Pure: text in, a command out. People type on phones,
 * so the parser forgives full-width characters, missing spaces, ids without the dash and
 * one-letter typos in the command word (which it answers with a suggestion, never silence).
 */

export type ItemCommandName = 'done' | 'read' | 'claim' | 'progress' | 'extend';

export type Command =
  | { type: 'read' | 'claim'; itemId: string }
  /** 办结 T-3 <说明>: the note is the result, recorded with the closing. */
  | { type: 'done'; itemId: string; note?: string }
  | { type: 'progress'; itemId: string; text: string }
  | { type: 'extend'; itemId: string; days: number; reason: string | null }
  | { type: 'todo' }
  | { type: 'duty' }
  /** 值班表: this week's roster. */
  | { type: 'duty-week' }
  /** 换班 <日期> @同事: the colleague is the message's mention; the year may be left out. */
  | { type: 'duty-swap'; date: DutyDateText }
  /** 接班: confirm the handover of the shift now running. */
  | { type: 'duty-handover' }
  /** 值班日志 <text>: an entry in the duty log of the sender's current or last shift. */
  | { type: 'duty-log'; text: string }
  | { type: 'help' }
  | { type: 'bind'; deptCode: string }
  /** 简报: the asker's daily digest now; 简报 关闭 / 简报 开启: stop or resume the daily one. */
  | { type: 'digest' }
  | { type: 'digest-subscription'; on: boolean }
  /** 通报: the last week's 通报 as the asker's unit (or the office) sees it. */
  | { type: 'bulletin' }
  /** 专项 T-3 重点建设项目、部门责任目标: set an item's categories (专项 T-3 清除: none). */
  | { type: 'categories'; itemId: string; names: string[] }
  /** 年度统计 [2026]: the year-end figures (this year when none is given), for chiefs. */
  | { type: 'year-report'; year?: number }
  /** Admin settings (设置 / 暂停 / 恢复 / 查看设置 / 周期): handled by the reminders capability. */
  | { type: 'admin-setting'; text: string }
  /** A known command word with a missing or malformed argument: answer with its usage. */
  | { type: 'usage'; command: CommandName; problem: string; example: string }
  /** Not a command. `suggestion` is the closest command, e.g. '办结 D-12', when one is close. */
  | { type: 'unknown'; text: string; suggestion?: string };

export type CommandName =
  | ItemCommandName
  | 'todo'
  | 'duty'
  | 'duty-week'
  | 'duty-swap'
  | 'duty-handover'
  | 'duty-log'
  | 'help'
  | 'bind'
  | 'digest'
  | 'bulletin'
  | 'categories'
  | 'year-report';

/** A date as typed in 换班: a full date, a month and day, or 今天 / 明天 / 后天 (days from today). */
export type DutyDateText = { year?: number; month: number; day: number } | { daysFromToday: number };

interface CommandWord {
  name: CommandName;
  /** The canonical Chinese word, used in suggestions and usage texts. */
  zh: string;
  words: string[];
  example: string;
}

export const COMMAND_WORDS: readonly CommandWord[] = [
  { name: 'done', zh: '办结', words: ['办结', '完成', '已办结', 'done'], example: '办结 D-12' },
  { name: 'read', zh: '已阅', words: ['已阅', '阅', 'read'], example: '已阅 D-12' },
  { name: 'claim', zh: '认领', words: ['认领', 'claim'], example: '认领 T-3' },
  { name: 'progress', zh: '进展', words: ['进展', '反馈', 'progress'], example: '进展 T-3 已与财政局对接' },
  { name: 'extend', zh: '延期', words: ['延期', 'extend'], example: '延期 T-3 3天 等待批复' },
  { name: 'todo', zh: '待办', words: ['待办', '我的待办', 'todo'], example: '待办' },
  { name: 'duty', zh: '值班', words: ['值班', '今日值班', 'duty'], example: '值班' },
  { name: 'duty-week', zh: '值班表', words: ['值班表', '本周值班', 'roster'], example: '值班表' },
  { name: 'duty-swap', zh: '换班', words: ['换班', '调班', 'swap'], example: '换班 10-03 @李四' },
  { name: 'duty-handover', zh: '接班', words: ['接班', '接班确认', 'handover'], example: '接班' },
  { name: 'duty-log', zh: '值班日志', words: ['值班日志', '日志', 'dutylog'], example: '值班日志 平安无事' },
  { name: 'help', zh: '帮助', words: ['帮助', '命令', '菜单', 'help'], example: '帮助' },
  { name: 'bind', zh: '绑定', words: ['绑定', 'bind'], example: '绑定 ZHB' },
  { name: 'digest', zh: '简报', words: ['简报', '督办简报', 'digest'], example: '简报' },
  { name: 'bulletin', zh: '通报', words: ['通报', '督办通报', 'bulletin'], example: '通报' },
  {
    name: 'categories',
    zh: '专项',
    words: ['专项', 'category', 'categories'],
    example: '专项 T-3 重点建设项目',
  },
  { name: 'year-report', zh: '年度统计', words: ['年度统计', '年报', 'yearly'], example: '年度统计 2026' },
];

/** Settings commands owned by the reminders capability; passed through untouched. */
const ADMIN_SETTING_WORDS = ['查看设置', '设置', '暂停', '恢复', '周期'];

/** Normalises an item id as typed ('d12', 'Ｄ－１２', 'D-012') to 'D-12'; null when it is not one. */
export function parseItemIdToken(token: string): string | null {
  return normalizeItemId(token.normalize('NFKC'));
}

/**
 * Removes mention placeholders ('@_user_1', '@_all') that Lark puts in the text where a person
 * or the bot was @-mentioned, and any '@name' left by clients that inline the display name.
 */
export function stripMentions(text: string): string {
  return text.replace(/@_user_\d+|@_all/g, ' ');
}

/** Separators between the parts of a command: any space (\s includes U+3000), and the punctuation people put after words. */
const SEPARATORS = '\\s:,;，、：；';
const TOKEN = new RegExp(`[^${SEPARATORS}]+`, 'gu');
const LEADING_SEPARATORS = new RegExp(`^[${SEPARATORS}]+`, 'u');
const TRAILING_PUNCTUATION = /[\s。.!！?？~～]+$/u;

interface Token {
  raw: string;
  norm: string;
  /** Index in the cleaned text just after this token. */
  end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    tokens.push({ raw, norm: raw.normalize('NFKC').toLowerCase(), end: (m.index ?? 0) + raw.length });
  }
  return tokens;
}

const CN_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** '3天', '3d', '3日', '3个工作日', '三天', '3' → 3; null when it is not a number of days. */
export function parseDays(token: string): number | null {
  const t = token.normalize('NFKC').trim().toLowerCase();
  const m = /^(\d{1,3}|[一二两三四五六七八九十])\s*(?:天|日|d|days?|个工作日|工作日)?$/u.exec(t);
  if (!m) return null;
  const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : CN_DIGITS[m[1]!]!;
  return n;
}

function findWord(norm: string): CommandWord | undefined {
  return COMMAND_WORDS.find((c) => c.words.includes(norm));
}

/** A command word glued to what follows ('办结D12', '延期T-3'): only Chinese words glue. */
function splitGlued(norm: string): { word: CommandWord; rest: string } | undefined {
  let best: { word: CommandWord; rest: string } | undefined;
  for (const c of COMMAND_WORDS) {
    for (const w of c.words) {
      if (!/^[\u4e00-\u9fff]+$/u.test(w)) continue;
      // The longest word wins: '值班日志平安无事' is 值班日志, not 值班.
      if (
        norm.length > w.length &&
        norm.startsWith(w) &&
        (!best || best.rest.length > norm.length - w.length)
      )
        best = { word: c, rest: norm.slice(w.length) };
    }
  }
  return best;
}

export function parseCommand(input: string): Command {
  // Tokens are normalised one by one (NFKC, lower case); free text (a progress note, a reason)
  // is kept as the person typed it.
  const cleaned = stripMentions(input)
    .replace(/^[\s/／]+/u, '')
    .replace(TRAILING_PUNCTUATION, '')
    .trim();
  if (cleaned === '') return { type: 'help' };

  const compact = cleaned.normalize('NFKC').replace(/\s+/gu, ' ');
  for (const w of ADMIN_SETTING_WORDS) {
    if (compact === w || compact.startsWith(w)) {
      // '设置' alone and '设置 …' both belong to the settings commands.
      return { type: 'admin-setting', text: compact };
    }
  }

  let tokens = tokenize(cleaned);
  if (tokens.length === 0) return { type: 'help' };

  let word = findWord(tokens[0]!.norm);
  if (!word) {
    const glued = splitGlued(tokens[0]!.norm);
    if (glued) {
      word = glued.word;
      const first = tokens[0]!;
      tokens = [
        { raw: first.raw, norm: first.norm.slice(0, first.norm.length - glued.rest.length), end: first.end },
        { raw: glued.rest, norm: glued.rest, end: first.end },
        ...tokens.slice(1),
      ];
    }
  }
  if (!word) {
    // 'D-12 办结': the id first, then the word.
    const id = parseItemIdToken(tokens[0]!.norm);
    const second = tokens[1] && findWord(tokens[1].norm);
    if (id && second && ['done', 'read', 'claim'].includes(second.name) && tokens.length === 2) {
      return { type: second.name as 'done' | 'read' | 'claim', itemId: id };
    }
    return unknown(cleaned, tokens);
  }

  const args = mergeSplitId(tokens.slice(1));
  const restAfter = (i: number): string => {
    const t = args[i];
    return t ? cleaned.slice(t.end).replace(LEADING_SEPARATORS, '').trim() : '';
  };

  switch (word.name) {
    case 'todo':
    case 'duty':
    case 'duty-week':
    case 'duty-handover':
    case 'help':
      return { type: word.name };
    case 'duty-log': {
      const text = args.length ? cleaned.slice(args[0]!.end - args[0]!.raw.length).trim() : '';
      if (!text) return usage(word, '请写上日志内容，无事可写「平安无事」');
      return { type: 'duty-log', text };
    }
    case 'duty-swap': {
      const date = args[0] ? parseDutyDate(args[0].norm) : null;
      if (!date) return usage(word, args[0] ? `「${args[0].raw}」不是日期` : '请写上日期并@同事');
      return { type: 'duty-swap', date };
    }
    case 'digest':
      return parseDigest(args[0]?.norm);
    case 'bulletin':
      return { type: 'bulletin' };
    case 'year-report': {
      const y = args[0]?.norm.replace(/年$/u, '');
      if (y === undefined) return { type: 'year-report' };
      if (!/^\d{4}$/.test(y)) return usage(word, `「${args[0]!.raw}」不是年份，如「年度统计 2026」`);
      return { type: 'year-report', year: Number(y) };
    }
    case 'categories': {
      const itemId = args[0] ? parseItemIdToken(args[0].norm) : null;
      if (!itemId)
        return usage(word, args[0] ? `「${args[0].raw}」不是事项编号` : '请写上事项编号和专项名称');
      const names = args.slice(1).map((t) => t.raw.normalize('NFKC'));
      if (names.length === 0) return usage(word, '请写上专项名称，清除专项回复「专项 编号 清除」');
      if (names.length === 1 && CLEAR_WORDS.includes(names[0]!))
        return { type: 'categories', itemId, names: [] };
      return { type: 'categories', itemId, names };
    }
    case 'bind': {
      const code = args[0]?.raw.normalize('NFKC').toUpperCase();
      if (!code || !/^[A-Z0-9_-]{1,32}$/.test(code)) {
        return usage(word, code ? `部门代码「${args[0]!.raw}」格式不对` : '请写上部门代码');
      }
      return { type: 'bind', deptCode: code };
    }
    default: {
      const idToken = args[0];
      if (!idToken) return usage(word, '请写上事项编号');
      const itemId = parseItemIdToken(idToken.norm);
      if (!itemId) return usage(word, `「${idToken.raw}」不是事项编号`);
      if (word.name === 'done') {
        const note = restAfter(0);
        return note ? { type: 'done', itemId, note } : { type: 'done', itemId };
      }
      if (word.name === 'read' || word.name === 'claim') return { type: word.name, itemId };
      if (word.name === 'progress') {
        const text = restAfter(0);
        if (!text) return usage(word, '请写上进展情况');
        return { type: 'progress', itemId, text };
      }
      const daysToken = args[1];
      let days = daysToken ? parseDays(daysToken.norm) : null;
      let reason = restAfter(1);
      if (days === null && daysToken) {
        // The reason glued to the days: '3天等待批复'.
        const glued = /^(\d{1,3}|[一二两三四五六七八九十])(?:天|日|个工作日|工作日)(.+)$/u.exec(
          daysToken.raw.normalize('NFKC'),
        );
        if (glued) {
          days = parseDays(glued[1]!);
          reason = [daysToken.raw.slice(daysToken.raw.length - glued[2]!.length), reason]
            .filter(Boolean)
            .join(' ');
        }
      }
      if (days === null) return usage(word, '请写上延期的工作日天数，如「3天」');
      if (days < 1 || days > 60) return usage(word, '延期天数应在1至60个工作日之间');
      return { type: 'extend', itemId, days, reason: reason || null };
    }
  }
}

const CLEAR_WORDS = ['清除', '无', '取消', 'none'];

const DIGEST_OFF = ['关闭', '关', '停止', '退订', 'off'];
const DIGEST_ON = ['开启', '开', '打开', '订阅', 'on'];

function parseDigest(arg: string | undefined): Command {
  if (arg === undefined) return { type: 'digest' };
  if (DIGEST_OFF.includes(arg)) return { type: 'digest-subscription', on: false };
  if (DIGEST_ON.includes(arg)) return { type: 'digest-subscription', on: true };
  return {
    type: 'usage',
    command: 'digest',
    problem: `「${arg}」无法识别，可回复「简报」「简报 关闭」或「简报 开启」`,
    example: '简报 关闭',
  };
}

function usage(word: CommandWord, problem: string): Command {
  return { type: 'usage', command: word.name, problem, example: word.example };
}

/** Merges 'D 12' typed with a space back into one id token. */
function mergeSplitId(tokens: Token[]): Token[] {
  const [a, b] = tokens;
  if (a && b && /^[dmt]$/i.test(a.norm) && /^\d{1,9}$/.test(b.norm)) {
    return [{ raw: a.raw + b.raw, norm: a.norm + b.norm, end: b.end }, ...tokens.slice(2)];
  }
  return tokens;
}

function unknown(text: string, tokens: Token[]): Command {
  const suggestion = suggest(tokens);
  return suggestion ? { type: 'unknown', text, suggestion } : { type: 'unknown', text };
}

/**
 * The closest command to what was typed, by edit distance on the command word: one edit for
 * two-character Chinese words and short English words, two for longer English words.
 */
function suggest(tokens: Token[]): string | undefined {
  const first = tokens[0]!.norm;
  let best: { word: CommandWord; distance: number; rest: Token[] } | undefined;
  const consider = (word: CommandWord, candidate: string, rest: Token[]) => {
    for (const w of word.words) {
      if (w.length < 2) continue;
      const d = editDistance(candidate, w);
      const limit = /^[a-z]+$/.test(w) ? (w.length >= 5 ? 2 : 1) : Math.max(1, Math.floor(w.length / 2));
      if (d <= limit && d < candidate.length && (!best || d < best.distance))
        best = { word, distance: d, rest };
    }
  };
  for (const word of COMMAND_WORDS) {
    consider(word, first, tokens.slice(1));
    // A typo glued to the id: '办节D12'.
    const m = /^(.+?)([dmt][-_]?\d{1,9})$/iu.exec(first);
    if (m) consider(word, m[1]!, [{ raw: m[2]!, norm: m[2]!, end: 0 }, ...tokens.slice(1)]);
  }
  if (!best) return undefined;
  const args = mergeSplitId(best.rest).map((t, i) => (i === 0 ? (parseItemIdToken(t.norm) ?? t.raw) : t.raw));
  if (['todo', 'duty', 'duty-week', 'duty-handover', 'help'].includes(best.word.name)) return best.word.zh;
  if (args.length === 0) return best.word.example;
  return [best.word.zh, ...args].join(' ');
}

/** Edit distance over code points, counting a swap of two neighbours ('hlep') as one edit. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

/** '2026-10-03', '10-03', '10/3', '10.3', '10月3日', '3日' is not enough; 今天 / 明天 / 后天. */
export function parseDutyDate(token: string): DutyDateText | null {
  const t = token.normalize('NFKC').trim();
  const relative = ['今天', '明天', '后天'].indexOf(t);
  if (relative >= 0) return { daysFromToday: relative };
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u.exec(t);
  const short = /^(\d{1,2})[-/.月](\d{1,2})日?$/u.exec(t);
  const m = full ? full.slice(1) : short ? [undefined, ...short.slice(1)] : null;
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return m[0] ? { year: Number(m[0]), month, day } : { month, day };
}
