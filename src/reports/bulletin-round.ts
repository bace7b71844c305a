import { listDepartments } from '../db/repos/departments.js';
import { listChiefs } from '../db/repos/figures.js';
import { getSetting, putSetting } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import {
  type BulletinCadence,
  type BulletinPeriod,
  bulletinsDue,
  DEFAULT_BULLETIN_CADENCE,
  lastWeek,
  periodZh,
  previousPeriod,
} from '../domain/cadence.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { addDays, atLocal, localDate } from '../domain/time.js';
import type { CardJson } from '../lark/cards/common.js';
import {
  type BulletinLine,
  bulletinCard,
  departmentBulletinCard,
} from '../lark/cards/report/bulletin-card.js';
import { enqueueOutbox, outboxKey } from '../lark/outbox/enqueue.js';
import { loadWorkCalendar } from '../settings/calendar.js';
import { loadDeadlineRules, loadScoringRules } from '../settings/rules.js';
import { type DepartmentFigures, departmentFigures, ranked } from './bulletin-figures.js';
import { hotlineFigures, hotlineView } from './hotline-figures.js';
import { loadLongTasks } from './long-tasks.js';

export const BULLETIN_PURPOSE = 'bulletin';
/** The 通报 job looks every day at 09:00; the cadence decides which 通报 are due (bulletinsDue). */
export const BULLETIN_DEFAULT_CRON = '0 9 * * *';
export const BULLETIN_CADENCE_SETTING = 'bulletin_cadence';

export async function loadBulletinCadence(db: Db): Promise<BulletinCadence> {
  const stored = await getSetting<Partial<BulletinCadence>>(db, BULLETIN_CADENCE_SETTING);
  return { ...DEFAULT_BULLETIN_CADENCE, ...(stored ?? {}) };
}

/** Changes the weekly day or the monthly day of the 通报 (the other stays); records who and when. */
export async function saveBulletinCadence(
  db: Db,
  change: Partial<BulletinCadence>,
  by: string,
  at: Date,
): Promise<BulletinCadence> {
  const next = { ...(await loadBulletinCadence(db)), ...change };
  await putSetting(db, BULLETIN_CADENCE_SETTING, next, by, at);
  return next;
}

export interface BulletinMessages {
  period: BulletinPeriod;
  office: CardJson;
  departments: Array<{ dept: string; card: CardJson }>;
}

const KIND_ZH = { week: '周通报', month: '月通报', quarter: '季通报', year: '年通报' } as const;

/** The 通报 of one period: the office's ranking and each department's card. */
export async function buildBulletin(
  db: Db,
  ctx: { calendar: WorkCalendar; timeZone: string; now: Date },
  period: BulletinPeriod,
): Promise<BulletinMessages & { figures: DepartmentFigures[] }> {
  const tz = ctx.timeZone;
  const toPeriod = (p: BulletinPeriod) => ({
    from: atLocal(p.from, '00:00', tz),
    to: atLocal(p.to, '00:00', tz),
  });
  const rules = await loadScoringRules(db);
  const figures = ranked(await departmentFigures(db, ctx, toPeriod(period), rules));
  const before = await departmentFigures(db, ctx, toPeriod(previousPeriod(period)), rules);
  const lines: Array<BulletinLine & { dept: string }> = figures.map((f, i) => ({
    dept: f.dept,
    rank: i + 1,
    name: f.name,
    score: f.score,
    change: Math.round((f.score - (before.find((b) => b.dept === f.dept)?.score ?? 100)) * 10) / 10,
    onTimeRate: f.onTimeRate,
    overdue: f.overdue,
    avgHandlingWorkdays: f.avgHandlingWorkdays,
    extensions: f.extensions,
  }));
  const common = { kindZh: KIND_ZH[period.kind], periodZh: periodZh(period) };
  const deptNames = Object.fromEntries(figures.map((f) => [f.dept, f.name]));
  const clock = { now: ctx.now, calendar: ctx.calendar, rules: await loadDeadlineRules(db), timeZone: tz };
  const longTasks = await loadLongTasks(db, clock, deptNames);
  // The hotline's month: the one the period ends in.
  const hotlineMonth = atLocal(addDays(period.to, -1), '12:00', tz);
  const hotline = hotlineView(await hotlineFigures(db, hotlineMonth, tz), deptNames);
  const office = bulletinCard({
    ...common,
    lines,
    longTasks,
    hotline,
    overdueThresholdWorkdays: rules.overdueThresholdWorkdays,
    beyondThreshold: figures
      .filter((f) => f.overdueBeyondThreshold > 0)
      .map((f) => ({ name: f.name, count: f.overdueBeyondThreshold })),
  });
  const departments = figures.map((f, i) => ({
    dept: f.dept,
    card: departmentBulletinCard({
      ...common,
      line: lines[i]!,
      of: lines.length,
      deductions: f.deductions,
      longTasks: longTasks.filter((t) => t.deptCode === f.dept),
      hotline,
    }),
  }));
  return { period, office, departments, figures };
}

/**
 * The `bulletin` job: on the day a 通报 is due (bulletinsDue), the ranking to the top
 * department's group and each department's card to its own group; once per period and chat.
 */
export async function runBulletinRound(
  deps: Deps,
  at: Date,
): Promise<{ sent: number; skipped: number; bulletins?: string[]; noChat?: number; note?: string }> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const calendar = await loadWorkCalendar(db);
  const due = bulletinsDue(localDate(at, tz), calendar, await loadBulletinCadence(db));
  if (due.length === 0) return { sent: 0, skipped: 0, note: '今日无到期的通报' };
  const depts = await listDepartments(db);
  const chatOf = new Map(depts.map((d) => [d.code, d.chatId]));
  const top = depts.find((d) => d.isTop);
  let sent = 0;
  let skipped = 0;
  let noChat = 0;
  for (const period of due) {
    const b = await buildBulletin(db, { calendar, timeZone: tz, now: at }, period);
    const messages = [
      { chatId: top?.chatId ?? null, card: b.office },
      ...b.departments
        .filter((d) => d.dept !== top?.code)
        .map((d) => ({ chatId: chatOf.get(d.dept) ?? null, card: d.card })),
    ];
    await db.transaction().execute(async (trx) => {
      for (const m of messages) {
        if (!m.chatId) {
          noChat++;
          continue;
        }
        const { inserted } = await enqueueOutbox(trx, {
          uuid: outboxKey(BULLETIN_PURPOSE, period.kind, period.from, m.chatId),
          operation: 'send',
          receiveIdType: 'chat_id',
          receiveId: m.chatId,
          msgType: 'interactive',
          content: m.card,
          purpose: BULLETIN_PURPOSE,
          now: deps.clock.now(),
        });
        if (inserted) sent++;
        else skipped++;
      }
    });
  }
  return { sent, skipped, bulletins: due.map((p) => `${p.kind} ${p.from}`), noChat };
}

/**
 * 通报 in chat: last week's 通报 — the office's ranking for a leader (a chief of the top
 * department or of none), the unit's own card for a chief of a department; others are told who
 * receives it.
 */
export async function bulletinForPerson(deps: Deps, openId: string): Promise<CardJson | { text: string }> {
  const { db } = deps.database;
  const chief = (await listChiefs(db)).find((c) => c.openId === openId);
  if (!chief)
    return { text: '通报发至办公厅群和各处室群，处室负责人和办公厅领导可回复「通报」查看上周通报。' };
  const tz = deps.config.timezone;
  const period: BulletinPeriod = { kind: 'week', ...lastWeek(localDate(deps.clock.now(), tz)) };
  const ctx = { calendar: await loadWorkCalendar(db), timeZone: tz, now: deps.clock.now() };
  const b = await buildBulletin(db, ctx, period);
  if (chief.isTop || chief.dept === null) return b.office;
  return b.departments.find((d) => d.dept === chief.dept)?.card ?? b.office;
}
