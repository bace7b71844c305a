import { getTopDepartment } from '../db/repos/departments.js';
import { appendDutyHistory, claimDutyNotice, sentDutyNotices } from '../db/repos/duty-history.js';
import { listAdmins } from '../db/repos/people.js';
import type { Deps } from '../deps.js';
import type { DutySettings, Shift } from '../domain/duty.js';
import { type DutyNotice, dutyOnceKey, planDutyNotices } from '../domain/duty-plan.js';
import { addDays, localDate } from '../domain/time.js';
import type { CardJson } from '../lark/cards/common.js';
import { dutyEscalationCard, dutyEveCard, dutyLogCard, dutyStartCard } from '../lark/cards/duty-cards.js';
import { dutyCard } from '../lark/cards/notice-card.js';
import { enqueueOutbox, outboxKey } from '../lark/outbox/enqueue.js';
import { loadWorkCalendar } from '../settings/calendar.js';
import { loadReminderRules } from '../settings/reminder-rules.js';
import { loadDutySettings } from './settings.js';
import { loadShifts } from './shifts.js';
import { dateZh, dutyNames, shiftLine } from './view.js';

export interface DutyRunSummary {
  sent: number;
  skipped: number;
  shifts: number;
  [kind: string]: number;
}

/**
 * One run of the duty job at `at`: plans from the roster what is due (src/domain/duty-plan.ts) and
 * sends it through the outbox. Each notice is claimed by (date, kind, recipient) in duty_notices in
 * the same transaction as its outbox row and its history row, so two runs never send it twice.
 */
export async function runDutyNotices(deps: Deps, opts: { at: Date }): Promise<DutyRunSummary> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const today = localDate(opts.at, tz);
  const [settings, calendar, rules, admins, top] = await Promise.all([
    loadDutySettings(db),
    loadWorkCalendar(db),
    loadReminderRules(db),
    listAdmins(db),
    getTopDepartment(db),
  ]);
  const from = addDays(today, -8);
  const to = calendar.nextWorkday(today);
  const [shifts, sent] = await Promise.all([
    loadShifts(db, settings, tz, from, to),
    sentDutyNotices(db, from, to),
  ]);
  const notices = planDutyNotices({
    now: opts.at,
    timeZone: tz,
    settings,
    isWorkday: calendar.isWorkday,
    nextWorkday: calendar.nextWorkday,
    shifts,
    admins: admins.map((a) => a.openId),
    topChatId: top?.chatId ?? null,
    chaseTimes: rules.paused ? [] : rules.rounds,
    sent: new Set(sent.map((s) => dutyOnceKey(s.date, s.kind, s.recipient))),
  });
  const summary: DutyRunSummary = { sent: 0, skipped: 0, shifts: shifts.length };
  if (notices.length === 0) return summary;
  const name = await dutyNames(
    db,
    shifts.flatMap((s) => [...s.officers, s.leader]),
  );
  const byDate = new Map(shifts.map((s) => [s.date, s]));
  const now = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    for (const n of notices) {
      const uuid = outboxKey('duty', n.date, n.key, n.recipient);
      if (
        !(await claimDutyNotice(trx, {
          date: n.date,
          kind: n.key,
          recipient: n.recipient,
          at: now,
          outboxUuid: uuid,
        }))
      ) {
        summary.skipped++;
        continue;
      }
      await enqueueOutbox(trx, {
        uuid,
        operation: 'send',
        receiveIdType: n.receiveIdType,
        receiveId: n.recipient,
        msgType: 'interactive',
        content: noticeCard(n, byDate, name, settings, tz),
        purpose: `duty-${n.kind}`,
        now,
      });
      await appendDutyHistory(trx, {
        date: n.date,
        at: now,
        actor: 'system',
        action: n.kind === 'escalate' ? 'escalation' : 'notice sent',
        details: { kind: n.key, recipient: n.recipient, ...(n.dates ? { dates: n.dates } : {}) },
      });
      summary.sent++;
      summary[n.kind] = (summary[n.kind] ?? 0) + 1;
    }
  });
  return summary;
}

function noticeCard(
  n: DutyNotice,
  byDate: Map<string, Shift>,
  name: (id: string) => string,
  settings: DutySettings,
  tz: string,
): CardJson {
  const shift = byDate.get(n.date);
  const line = shiftLine(n.date, shift, name, tz, n.recipient);
  switch (n.kind) {
    case 'eve': {
      const dates = n.dates ?? [n.date];
      return dutyEveCard({
        shifts: dates.map((d) => shiftLine(d, byDate.get(d), name, tz, n.recipient)),
        swapDates: dates
          .filter((d) => byDate.get(d)?.officers.includes(n.recipient))
          .map((d) => ({ date: d, dateZh: dateZh(d, tz) })),
      });
    }
    case 'start':
    case 'remind':
      return dutyStartCard({ date: n.date, shift: line, reminder: n.kind === 'remind' });
    case 'escalate':
      return dutyEscalationCard({ shift: line, minutes: settings.escalateAfterMinutes });
    case 'morning':
      return dutyCard({
        dateZh: line.dateZh,
        officer: line.officers.join('、') || null,
        leader: line.leader,
        note: null,
      });
    case 'log':
    case 'chase':
      return dutyLogCard({ date: n.date, dateZh: line.dateZh, chase: n.kind === 'chase' });
  }
}
