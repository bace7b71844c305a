import { getPerson } from '../db/repos/people.js';
import type { Deps } from '../deps.js';
import { type BulletinCadence, cadenceZh, parseCadenceWord } from '../domain/cadence.js';
import { inQuietHours, parseTimeOfDay, type ReminderRules, roundsToCron } from '../domain/reminder-rules.js';
import { setDutyHoursByChat } from '../duty/settings.js';
import { listRecurring } from '../items/recurring.js';
import { AppError } from '../platform/errors.js';
import { findJob, type JobDefinition } from '../platform/scheduler/run-job.js';
import { getSchedule } from '../platform/scheduler/schedules.js';
import { saveBulletinCadence } from '../reports/bulletin-round.js';
import { loadReminderRules, saveReminderRules } from './reminder-rules.js';
import { loadDeadlineRules } from './rules.js';
import { scheduleView, updateSchedule } from './schedule-admin.js';

/**
 * The admins' chat commands for reminders and schedules (设置 / 暂停 / 恢复 / 查看设置 /
 * 周期 列表), called by the quick-replies capability with the normalised text. Only admins may
 * change anything; every change is confirmed in the reply and recorded (settings_history).
 */
export interface AdminSettingReply {
  replyText: string;
}

/** Chat names of the jobs an admin can pause or schedule. */
const JOB_WORDS: Record<string, string> = {
  提醒: 'remind',
  催办: 'remind',
  日报: 'digest',
  简报: 'digest',
  通报: 'bulletin',
  值班: 'duty',
  周期: 'recurring',
};

const JOB_ZH: Record<string, string> = {
  remind: '催办提醒',
  chase: '紧急件与会议提醒',
  digest: '每日督办简报',
  bulletin: '通报',
  duty: '值班提醒',
  recurring: '周期事项',
  calendar: '日历数据检查',
};

const USAGE = [
  '设置 提醒 09:00,14:30',
  '设置 日报 08:30',
  '设置 通报 每周一 09:00 / 设置 通报 每月1日 09:00',
  '设置 免打扰 22:00-07:30',
  '暂停 提醒 / 恢复 提醒',
  '查看设置',
  '周期 列表',
];

function usage(problem: string): AdminSettingReply {
  return { replyText: `${problem}\n可用的设置命令：\n${USAGE.map((u) => `· ${u}`).join('\n')}` };
}

function job(deps: Deps, name: string): JobDefinition {
  const j = findJob(deps, name);
  if (!j) throw new Error(`no job ${name}`);
  return j;
}

/** '09:00,14:30' / '9:00，14:30' / '09:00 14:30' → ['09:00','14:30'], or null if any is not a time. */
function parseTimes(text: string): string[] | null {
  const parts = text.split(/[,，、;；\s]+/u).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 12) return null;
  const times = parts.map(parseTimeOfDay);
  return times.every((t): t is string => t !== null) ? [...new Set(times)].sort() : null;
}

export async function handleAdminSettingCommand(
  deps: Deps,
  input: { text: string; by: string; chatId?: string | null },
): Promise<AdminSettingReply> {
  const text = input.text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  const person = await getPerson(deps.database.db, input.by);
  if (!person?.roles.includes('admin'))
    return { replyText: '抱歉，设置命令仅限管理员（办公室综合科）使用。如需调整提醒时间，请联系管理员。' };

  if (/^查看设置$/u.test(text) || /^设置$/u.test(text)) return { replyText: await settingsText(deps) };
  if (/^周期( ?列表)?$/u.test(text)) return { replyText: await recurringText(deps) };
  for (const command of SETTING_COMMANDS) {
    const m = command.pattern.exec(text);
    if (m) return command.run(deps, m, input.by);
  }
  return usage(`没有看懂这条设置命令：「${text}」。`);
}

type SettingCommand = {
  pattern: RegExp;
  run(deps: Deps, m: RegExpExecArray, by: string): Promise<AdminSettingReply>;
};

const SETTING_COMMANDS: SettingCommand[] = [
  { pattern: /^设置 ?(提醒|催办) ?(.*)$/u, run: setReminderRounds },
  // 值班 runs every five minutes; its setting is the shift's hours (docs/duty.md).
  {
    pattern: /^设置 ?值班 ?(.*)$/u,
    run: async (deps, m, by) => ({ replyText: await setDutyHoursByChat(deps, m[1] ?? '', by) }),
  },
  { pattern: /^设置 ?通报 ?(.*)$/u, run: (deps, m, by) => setBulletinCadence(deps, m[1] ?? '', by) },
  { pattern: /^设置 ?(日报|简报) ?(.*)$/u, run: setJobTimes },
  { pattern: /^设置 ?免打扰 ?(.*)$/u, run: setQuietHours },
  { pattern: /^(暂停|恢复) ?(\S*)$/u, run: pauseOrResume },
];

/** 设置 提醒 09:00,14:30 — the remind schedule carries the rounds; updateSchedule mirrors them into the rules. */
async function setReminderRounds(deps: Deps, m: RegExpExecArray, by: string): Promise<AdminSettingReply> {
  const times = parseTimes(m[2] ?? '');
  if (!times) return usage(`提醒时间格式不对：「${m[2] ?? ''}」。示例：设置 提醒 09:00,14:30`);
  await rescheduleDaily(deps, 'remind', times, by);
  const rules = await loadReminderRules(deps.database.db);
  const quiet = times.filter((t) => inQuietHours(t, rules.quietHours));
  const note =
    quiet.length > 0
      ? `注意：${quiet.join('、')} 在免打扰时段（${rules.quietHours.start}–${rules.quietHours.end}）内，该轮只发送紧急件。`
      : '';
  return { replyText: `已设置：工作日 ${times.join('、')} 催办提醒（节假日与免打扰时段不发送）。${note}` };
}

/** 设置 日报 08:30: the job's daily times. */
async function setJobTimes(deps: Deps, m: RegExpExecArray, by: string): Promise<AdminSettingReply> {
  const jobName = JOB_WORDS[m[1]!]!;
  const times = parseTimes(m[2] ?? '');
  if (!times) return usage(`时间格式不对：「${m[2] ?? ''}」。示例：设置 ${m[1]} 08:30`);
  await rescheduleDaily(deps, jobName, times, by);
  const when =
    jobName === 'digest'
      ? `每个工作日 ${times.join('、')} 发送（节假日不发送）`
      : `每天 ${times.join('、')} 发送`;
  return { replyText: `已设置：${JOB_ZH[jobName]}${when}。` };
}

/** Sets a job to run at these local times every day, keeping its time zone and whether it is enabled. */
async function rescheduleDaily(deps: Deps, jobName: string, times: string[], by: string): Promise<void> {
  const current = await getSchedule(deps.database.db, jobName, job(deps, jobName).defaultCron);
  await updateSchedule(
    deps,
    job(deps, jobName),
    { cron: roundsToCron(times), timezone: current.timezone, enabled: current.enabled },
    by,
  );
}

/** 设置 免打扰 22:00-07:30 */
async function setQuietHours(deps: Deps, m: RegExpExecArray, by: string): Promise<AdminSettingReply> {
  const range = /^(\S+?) ?[-–—~～至到] ?(\S+)$/u.exec((m[1] ?? '').trim());
  const start = range ? parseTimeOfDay(range[1]!) : null;
  const end = range ? parseTimeOfDay(range[2]!) : null;
  if (!start || !end || start === end)
    return usage(`免打扰时段格式不对：「${m[1] ?? ''}」。示例：设置 免打扰 22:00-07:30`);
  const rules = await loadReminderRules(deps.database.db);
  await saveReminderRules(deps.database.db, { ...rules, quietHours: { start, end } }, by, deps.clock.now());
  return { replyText: `已设置：免打扰时段 ${start}–${end}（紧急件除外），期间的提醒顺延到下一轮。` };
}

/** 暂停 / 恢复 提醒 (also 日报 / 通报 / 值班 / 周期): reminders pause in the rules, other jobs in their schedule. */
async function pauseOrResume(deps: Deps, m: RegExpExecArray, by: string): Promise<AdminSettingReply> {
  const pause = m[1] === '暂停';
  const jobName = JOB_WORDS[m[2] ?? ''];
  if (!jobName) return usage(`不认识「${m[2] ?? ''}」。示例：${m[1]} 提醒`);
  if (jobName === 'remind') {
    const rules = await loadReminderRules(deps.database.db);
    await saveReminderRules(deps.database.db, { ...rules, paused: pause }, by, deps.clock.now());
    return {
      replyText: pause
        ? '已暂停催办提醒（包括紧急件与会议提醒）。回复「恢复 提醒」即可恢复。'
        : '已恢复催办提醒，下一轮按时发送。',
    };
  }
  const current = await getSchedule(deps.database.db, jobName, job(deps, jobName).defaultCron);
  await updateSchedule(
    deps,
    job(deps, jobName),
    { cron: current.cron, timezone: current.timezone, enabled: !pause },
    by,
  );
  return { replyText: `已${m[1]}：${JOB_ZH[jobName]}。` };
}

async function settingsText(deps: Deps): Promise<string> {
  const rules = await loadReminderRules(deps.database.db);
  const { yellowWithinWorkdays } = await loadDeadlineRules(deps.database.db);
  const lines = [
    '【当前设置】',
    `催办提醒：工作日 ${rules.rounds.join('、')}${rules.paused ? '（已暂停）' : ''}`,
    `免打扰：${rules.quietHours.start}–${rules.quietHours.end}（紧急件除外）`,
    `黄灯：剩余 ${yellowWithinWorkdays} 个工作日内`,
    `督办升级：逾期 ${rules.escalateToChiefAfter} 个工作日报处室负责人，${rules.escalateToLeadersAfter} 个工作日报办公厅领导`,
    `会议提醒：前一工作日 ${rules.meetingEveAt}，会前 ${rules.meetingSoonMinutes} 分钟`,
  ];
  for (const j of deps.jobs) {
    if (j.name === 'remind') continue;
    const v = await scheduleView(deps, j);
    lines.push(`${JOB_ZH[j.name] ?? j.name}：${v.enabled ? v.cron : `${v.cron}（已暂停）`}`);
  }
  return lines.join('\n');
}

const EVERY_ZH = { workday: '每个工作日', week: '每周', month: '每月', quarter: '每季度' } as const;
const WEEKDAY_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

async function recurringText(deps: Deps): Promise<string> {
  const duties = await listRecurring(deps);
  if (duties.length === 0) return '还没有周期事项。管理员可通过 POST /api/v1/recurring 添加。';
  return [
    '【周期事项】',
    ...duties.map((d) => {
      const r = d.rule;
      const when =
        r.every === 'week'
          ? `${EVERY_ZH.week}${WEEKDAY_ZH[r.weekday ?? 1]}（遇节假日顺延）`
          : r.every === 'month' || r.every === 'quarter'
            ? `${EVERY_ZH[r.every]}${r.which === 'last' ? '最后' : '第'}一个工作日`
            : EVERY_ZH.workday;
      const due =
        r.dueAfterWorkdays === 0 ? `当天${r.dueAt}前` : `${r.dueAfterWorkdays}个工作日后${r.dueAt}前`;
      return `${d.id}. ${d.title} · ${when} · ${due}${d.enabled ? '' : '（已停用）'}`;
    }),
  ].join('\n');
}

export interface ReminderRulesView extends ReminderRules {
  remindSchedule: { cron: string; enabled: boolean };
}

export async function getReminderRulesView(deps: Deps): Promise<ReminderRulesView> {
  const rules = await loadReminderRules(deps.database.db);
  const s = await getSchedule(deps.database.db, 'remind', job(deps, 'remind').defaultCron);
  return { ...rules, remindSchedule: { cron: s.cron, enabled: s.enabled } };
}

/** PUT /reminder-rules: merges, validates N ≤ M, stores and records; new rounds also reschedule `remind`. */
export async function patchReminderRules(
  deps: Deps,
  patch: Partial<ReminderRules>,
  by: string,
): Promise<ReminderRulesView> {
  const current = await loadReminderRules(deps.database.db);
  const next: ReminderRules = {
    ...current,
    ...patch,
    ...(patch.rounds ? { rounds: [...new Set(patch.rounds)].sort() } : {}),
  };
  if (next.escalateToLeadersAfter < next.escalateToChiefAfter) {
    throw new AppError(
      422,
      'invalid_field',
      'escalateToLeadersAfter: must be at least escalateToChiefAfter (leaders hear after the chief)',
      [{ field: 'escalateToLeadersAfter', message: 'must be ≥ escalateToChiefAfter' }],
    );
  }
  await saveReminderRules(deps.database.db, next, by, deps.clock.now());
  if (patch.rounds) {
    const s = await getSchedule(deps.database.db, 'remind', job(deps, 'remind').defaultCron);
    await updateSchedule(
      deps,
      job(deps, 'remind'),
      { cron: roundsToCron(next.rounds), timezone: s.timezone, enabled: s.enabled },
      by,
    );
  }
  return getReminderRulesView(deps);
}

/**
 * 设置 通报 每周一 09:00 / 每月1日 09:00 / 09:00: sets the weekly or the monthly day (the other
 * stays) and the time the 通报 job looks; the answer restates the whole cadence in words.
 */
async function setBulletinCadence(deps: Deps, args: string, by: string): Promise<AdminSettingReply> {
  const words = args.split(' ').filter(Boolean);
  const time = words.length > 0 ? parseTimeOfDay(words[words.length - 1]!) : null;
  const days = words.slice(0, time ? -1 : words.length).map(parseCadenceWord);
  if (!time || days.length > 1 || days.some((d) => d === null))
    return usage(`通报时间格式不对：「${args}」。示例：设置 通报 每周一 09:00，或 设置 通报 每月1日 09:00`);
  const { db } = deps.database;
  const cadence: BulletinCadence = {
    ...(await saveBulletinCadence(db, days[0] ?? {}, by, deps.clock.now())),
  };
  const current = await getSchedule(db, 'bulletin', job(deps, 'bulletin').defaultCron);
  await updateSchedule(
    deps,
    job(deps, 'bulletin'),
    { cron: roundsToCron([time]), timezone: current.timezone, enabled: current.enabled },
    by,
  );
  const paused = current.enabled ? '' : '（通报目前已暂停，回复「恢复 通报」后生效）';
  return { replyText: `已设置：${cadenceZh(cadence, time)}。${paused}` };
}
