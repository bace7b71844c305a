import { appendHistory, listProgressReports } from '../db/repos/history.js';
import {
  type CandidateItem,
  insertReminders,
  linkRemindersToOutbox,
  loadAttending,
  loadNames,
  loadOpenParts,
  loadOrganisation,
  loadReminderCandidates,
  loadSentKeys,
  type Organisation,
} from '../db/repos/reminders.js';
import type { Trx } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import type { WorkCalendar } from '../domain/calendar.js';
import {
  type Bundle,
  bundleByPerson,
  type Notification,
  onceKey,
  type PlanItem,
  type PlanReport,
  planReminders,
  type ReminderKind,
  sortByDeadline,
} from '../domain/reminder-plan.js';
import type { ReminderRules } from '../domain/reminder-rules.js';
import { type ProgressReport, periodLabel } from '../domain/rhythm.js';
import { type RoundLight, roundLights } from '../domain/round-lights.js';
import { addDays, atLocal, localDate, localParts } from '../domain/time.js';
import type { Attendance, Item } from '../domain/types.js';
import { type RhythmClock, rhythmStateOf } from '../items/rhythm.js';
import type { EscalationLineView } from '../lark/cards/escalation.js';
import { type ReminderLineView, reminderRoundCard } from '../lark/cards/reminder-round.js';
import { enqueueOutbox, outboxKey } from '../lark/outbox/enqueue.js';
import { loadWorkCalendar } from '../settings/calendar.js';
import { loadReminderRules } from '../settings/reminder-rules.js';
import { loadDeadlineRules } from '../settings/rules.js';
import {
  escalationLine,
  isEscalation,
  type LineItem,
  type LineReport,
  mostPressing,
  ownLine,
} from './lines.js';

export type RoundSummary = {
  sent: number;
  skipped: number;
  /** Reminder lines (item × person × reason) newly recorded. */
  reminders: number;
  escalations: number;
  people: number;
  candidates: number;
  planMs: number;
  note?: string;
};

export interface PlannedRound {
  bundles: Bundle[];
  /** Open co-handling parts of the candidate items (for the part's own deadline on the card). */
  parts: Map<string, PlanItem['parts']>;
  items: Map<string, CandidateItem>;
  /** Meetings: what each invitee answered so far, by `${itemId}|${openId}`. */
  attendance: Map<string, Attendance>;
  /** Tasks on a rhythm: the outstanding report the lines speak of. */
  reports: Map<string, LineReport>;
  org: Organisation;
  calendar: WorkCalendar;
  rules: ReminderRules;
  candidates: number;
  /** Where the planning time went: loading by index vs computing lights and the plan. */
  timings: { loadMs: number; computeMs: number };
}

/**
 * Loads what one run needs by index (deadlines up to the end of the last yellow day, urgent
 * documents, meetings up to ten days ahead — the eve of a meeting after a long holiday), and plans.
 */
export async function planRound(
  deps: Deps,
  opts: { at: Date; round: boolean; rules?: ReminderRules; calendar?: WorkCalendar },
): Promise<PlannedRound> {
  const tz = deps.config.timezone;
  const now = opts.at;
  const started = performance.now();
  const input = await loadRoundInput(deps, opts);
  const loaded = performance.now();
  const lightAt = roundLights(now, input.calendar, input.yellowWithinWorkdays, tz);
  const { planItems, partsByItem, rowById } = toPlanItems(input, lightAt);
  const reportClock = { now, calendar: input.calendar, rules: input.deadlineRules, timeZone: tz };
  for (const item of planItems) {
    const row = rowById.get(item.id);
    if (opts.round && row?.report_every)
      item.report = outstandingReport(row, input.reports.get(row.id) ?? [], reportClock, lightAt);
  }
  const reports = new Map<string, LineReport>();
  for (const item of planItems) {
    const every = rowById.get(item.id)?.report_every;
    if (item.report && every)
      reports.set(item.id, {
        label: periodLabel({ start: item.report.period }, every),
        dueAt: item.report.dueAt,
      });
  }
  const notifications = planReminders({
    now,
    timeZone: tz,
    rules: input.rules,
    isWorkday: input.calendar.isWorkday,
    round: opts.round,
    items: planItems,
    chiefsByDept: input.org.chiefsByDept,
    leaders: input.org.leaders,
    alreadySent: new Set(
      input.sent.map((s) => onceKey({ ...s, itemId: s.item_id, kind: s.kind as ReminderKind })),
    ),
  });
  return {
    bundles: bundleByPerson(
      notifications,
      planItems.map((i) => i.id),
    ),
    items: rowById,
    parts: partsByItem,
    attendance: new Map(
      input.attending.map((a) => [`${a.item_id}|${a.open_id}`, a.attendance as Attendance]),
    ),
    reports,
    org: input.org,
    calendar: input.calendar,
    rules: input.rules,
    candidates: input.rows.length,
    timings: { loadMs: loaded - started, computeMs: performance.now() - loaded },
  };
}

type RoundInput = Awaited<ReturnType<typeof loadRoundInput>>;

/** Rules, calendar and organisation, then the candidate items with their parts, attendees and sent reminders. */
async function loadRoundInput(
  deps: Deps,
  opts: { at: Date; round?: boolean; rules?: ReminderRules; calendar?: WorkCalendar },
) {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const now = opts.at;
  const [rules, calendar, org, deadlineRules] = await Promise.all([
    opts.rules ?? loadReminderRules(db),
    opts.calendar ?? loadWorkCalendar(db),
    loadOrganisation(db),
    loadDeadlineRules(db),
  ]);
  const today = localDate(now, tz);
  const lastYellowDay = calendar.addWorkdays(today, deadlineRules.yellowWithinWorkdays);
  const dueBefore = atLocal(addDays(lastYellowDay, 1), '00:00', tz);
  const meetingsBefore = new Date(now.getTime() + 10 * 24 * 3600_000);
  const rows = await loadReminderCandidates(db, { now, dueBefore, meetingsBefore });
  const ids = rows.map((r) => r.id);
  const meetingIds = rows.filter((r) => r.kind === 'meeting').map((r) => r.id);
  const hour = `${today}T${String(localParts(now, tz).hour).padStart(2, '0')}`;
  // Progress reports are chased in the rounds only: the between-rounds chase skips reading them.
  const rhythmIds = opts.round === false ? [] : rows.filter((r) => r.report_every).map((r) => r.id);
  const [parts, attending, sent, reports] = await Promise.all([
    loadOpenParts(db, ids),
    loadAttending(db, meetingIds),
    loadSentKeys(db, ids, { today, hour }),
    listProgressReports(db, rhythmIds),
  ]);
  return {
    rules,
    calendar,
    org,
    deadlineRules,
    reports,
    yellowWithinWorkdays: deadlineRules.yellowWithinWorkdays,
    rows,
    parts,
    attending,
    sent,
  };
}

type LightAt = (dueAt: Date | null) => RoundLight;

/** The candidates as the planner sees them (with parts, attendees and lights), earliest deadline first. */
function toPlanItems(input: RoundInput, lightAt: LightAt) {
  const rowById = new Map(input.rows.map((r) => [r.id, r]));
  const partsByItem = new Map<string, PlanItem['parts']>();
  for (const p of input.parts) {
    const dueAt = p.due_at ?? rowById.get(p.item_id)?.due_at ?? null;
    const list = partsByItem.get(p.item_id) ?? [];
    list.push({ dept: p.dept_code, assignee: p.assignee, dueAt, light: lightAt(dueAt).light });
    partsByItem.set(p.item_id, list);
  }
  const attendeesByItem = new Map<string, string[]>();
  for (const a of input.attending) {
    const list = attendeesByItem.get(a.item_id);
    if (list) list.push(a.open_id);
    else attendeesByItem.set(a.item_id, [a.open_id]);
  }
  const planItems = sortByDeadline(
    input.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      docType: r.doc_type,
      assignee: r.assignee,
      dept: r.dept,
      dueAt: r.due_at,
      createdAt: r.created_at,
      light: lightAt(r.due_at).light,
      workdaysOverdue: lightAt(r.due_at).overdue,
      startsAt: r.starts_at,
      attendees: attendeesByItem.get(r.id) ?? [],
      parts: partsByItem.get(r.id) ?? [],
    })),
  );
  return { planItems, partsByItem, rowById };
}

/** The earliest period of a task on a rhythm whose progress report is outstanding, with its light. */
function outstandingReport(
  row: CandidateItem,
  reports: ProgressReport[],
  clock: RhythmClock,
  lightAt: LightAt,
): PlanReport | null {
  const task = {
    kind: 'task',
    reportEvery: row.report_every,
    createdAt: row.created_at,
    reportSince: row.report_since,
    dueAt: row.due_at,
    closedAt: null,
  };
  const p = rhythmStateOf(task as Item, reports, clock)?.outstanding;
  if (!p) return null;
  const { light, overdue } = lightAt(p.dueAt);
  return {
    period: p.start,
    dueAt: p.dueAt,
    dueDay: localDate(p.dueAt, clock.timeZone),
    light,
    workdaysOverdue: overdue,
  };
}

function candidateLineItem(item: CandidateItem): LineItem {
  return {
    id: item.id,
    title: item.title,
    kind: item.kind,
    docType: item.doc_type,
    dueAt: item.due_at,
    startsAt: item.starts_at,
    location: item.location,
  };
}

/** The deadline of the part this person answers for (their own, else the earliest open one). */
function partDueFor(round: PlannedRound, itemId: string, recipient: string): Date | null {
  const parts = round.parts.get(itemId) ?? [];
  const mine = parts.find((p) => p.assignee === recipient) ?? parts.find((p) => p.assignee === null);
  return mine?.dueAt ?? null;
}

const HISTORY_ACTION: Record<ReminderKind, string> = {
  urgent: 'reminder sent',
  overdue: 'reminder sent',
  escalation: 'escalation',
  'part-overdue': 'reminder sent',
  'due-today': 'reminder sent',
  yellow: 'reminder sent',
  part: 'reminder sent',
  'meeting-soon': 'reminder sent',
  'meeting-eve': 'reminder sent',
  'report-overdue': 'report reminder sent',
  'report-escalation': 'escalation',
  'report-due': 'report reminder sent',
  'report-yellow': 'report reminder sent',
};

/**
 * Delivers one person's bundle in one transaction: records the reminders (skipping any already
 * recorded by another run or instance), enqueues ONE card whose uuid is derived from
 * (job, slot, person), and appends a history row per item and reason. Answers the number of
 * reminders recorded (0 → nothing was sent).
 */
async function deliverBundle(
  trx: Trx,
  deps: Deps,
  round: PlannedRound,
  bundle: Bundle,
  ctx: BundleContext,
): Promise<{ reminders: number; escalations: number }> {
  const now = deps.clock.now();
  const wanted = bundle.lines.flatMap((l) => l.notifications);
  const inserted = await insertReminders(
    trx,
    wanted.map((n) => ({
      item_id: n.itemId,
      recipient: n.recipient,
      kind: n.kind,
      level: n.level,
      period: n.period,
    })),
    { slot: ctx.slot, sentAt: now },
  );
  if (inserted.length === 0) return { reminders: 0, escalations: 0 };
  const fresh = new Set(inserted.map((r) => `${r.item_id}|${r.recipient}|${r.kind}|${r.level}|${r.period}`));
  const { own, escalations, itemIds } = cardLines(deps, round, bundle, fresh, ctx);
  const outbox = await enqueueOutbox(trx, {
    uuid: outboxKey(ctx.job, ctx.slot, bundle.recipient),
    operation: 'send',
    receiveIdType: 'open_id',
    receiveId: bundle.recipient,
    msgType: 'interactive',
    content: reminderRoundCard({ lines: own, escalations }),
    purpose: own.length === 0 ? 'escalation' : 'reminder',
    itemIds,
    now,
  });
  await linkRemindersToOutbox(trx, { recipient: bundle.recipient, slot: ctx.slot, outboxId: outbox.id });
  for (const r of inserted) {
    await appendHistory(trx, {
      itemId: r.item_id,
      at: now,
      actor: 'system',
      action: HISTORY_ACTION[r.kind as ReminderKind] ?? 'reminder sent',
      details: {
        recipient: r.recipient,
        kind: r.kind,
        level: r.level,
        period: r.period,
        slot: ctx.slot,
        job: ctx.job,
      },
    });
  }
  return { reminders: inserted.length, escalations: inserted.filter((r) => isEscalation(r.kind)).length };
}

type BundleContext = { job: string; slot: string; at: Date; names: Map<string, string> };

/** The card's lines for the reminders just recorded (`fresh`): the person's own items, and escalations. */
function cardLines(deps: Deps, round: PlannedRound, bundle: Bundle, fresh: Set<string>, ctx: BundleContext) {
  const tz = deps.config.timezone;
  const clock = { now: ctx.at, calendar: round.calendar, timeZone: tz };
  const own: ReminderLineView[] = [];
  const escalations: EscalationLineView[] = [];
  const itemIds: string[] = [];
  for (const line of bundle.lines) {
    const notes = line.notifications.filter((n) => fresh.has(onceKey(n)));
    if (notes.length === 0) continue;
    const item = round.items.get(line.itemId);
    if (!item) continue;
    itemIds.push(item.id);
    const handlerNotes = notes.filter((n) => !isEscalation(n.kind));
    const lineItem = candidateLineItem(item);
    const report = round.reports.get(item.id) ?? null;
    if (handlerNotes.length > 0) {
      own.push(
        ownLine(lineItem, mostPressing(handlerNotes.map((n) => n.kind)), clock, {
          partDue: partDueFor(round, item.id, bundle.recipient),
          attendance: round.attendance.get(`${item.id}|${bundle.recipient}`) ?? null,
          report,
        }),
      );
    }
    const escalated = notes.filter((n) => isEscalation(n.kind));
    if (escalated.length > 0) {
      const reportOnly = escalated.every((n) => n.kind === 'report-escalation');
      escalations.push(
        escalationLine(lineItem, clock, {
          deptName: (item.dept && round.org.deptNames.get(item.dept)) || '未指定处室',
          handlerName: item.assignee ? (ctx.names.get(item.assignee) ?? item.assignee) : null,
          report: reportOnly ? report : null,
        }),
      );
    }
  }
  return { own, escalations, itemIds };
}

/** One reminder run: plan, then deliver each person's card in its own transaction. */
export async function runReminderRound(
  deps: Deps,
  ctx: { job: string; slot: string; at: Date; round: boolean },
): Promise<RoundSummary> {
  const started = performance.now();
  const round = await planRound(deps, { at: ctx.at, round: ctx.round });
  const planMs = Math.round(performance.now() - started);
  const handlerIds = new Set<string>();
  for (const b of round.bundles)
    for (const l of b.lines) {
      const a = round.items.get(l.itemId)?.assignee;
      if (a && l.notifications.some((n: Notification) => isEscalation(n.kind))) handlerIds.add(a);
    }
  const names = await loadNames(deps.database.db, [...handlerIds]);
  let sent = 0;
  let skipped = 0;
  let reminders = 0;
  let escalations = 0;
  for (const bundle of round.bundles) {
    const r = await inTransaction(deps.database.db, (trx) =>
      deliverBundle(trx, deps, round, bundle, { ...ctx, names }),
    );
    if (r.reminders === 0) skipped++;
    else {
      sent++;
      reminders += r.reminders;
      escalations += r.escalations;
    }
  }
  return {
    sent,
    skipped,
    reminders,
    escalations,
    people: round.bundles.length,
    candidates: round.candidates,
    planMs,
    ...(round.rules.paused ? { note: 'reminders are paused (恢复 提醒 to resume)' } : {}),
  };
}
