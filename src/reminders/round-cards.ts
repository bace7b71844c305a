import { listProgressReports } from '../db/repos/history.js';
import { getAttendees, getItemRow, getParts } from '../db/repos/items.js';
import { latestCardContent, listCardsNamingItem, type SentCardRow } from '../db/repos/outbox.js';
import { listRemindersOfCard } from '../db/repos/reminders.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { ReminderKind } from '../domain/reminder-plan.js';
import { type ProgressReport, periodLabel } from '../domain/rhythm.js';
import { formatZh } from '../domain/time.js';
import type { Item } from '../domain/types.js';
import { refreshCardRow } from '../items/notifications/messages.js';
import { rhythmStateOf } from '../items/rhythm.js';
import { closedText, deptNamesOf, namesOf, type ViewContext } from '../items/views/item-view.js';
import type { CardJson } from '../lark/cards/common.js';
import type { EscalationLineView } from '../lark/cards/escalation.js';
import { type ReminderLineView, reminderRoundCard } from '../lark/cards/reminder-round.js';
import { escalationLine, type LineClock, type LineReport, mostPressing, ownLine } from './lines.js';

/**
 * Reminder round cards (【催办】, 【会议】, 【督办】) name several items. They are redrawn from
 * the items as they are now — a closed item reads 已办结 with no button, a meeting shows the
 * person's answer — whenever one of their items changes, and when somebody clicks on them.
 */

/** Outbox purposes of the round cards (see src/reminders/round.ts). */
export const ROUND_CARD_PURPOSES = ['reminder', 'escalation'];

interface CardLine {
  itemId: string;
  kinds: ReminderKind[];
  escalation: boolean;
  /** Progress-report reminders: the first day of the period whose report they asked for. */
  reportPeriod: string | null;
  /** Only the report was escalated (not the deadline). */
  reportEscalation: boolean;
}

/** The items the card carried, in its order, with the reasons each was on it. */
async function linesOfCard(
  db: Db,
  outboxId: string,
): Promise<{ recipient: string; lines: CardLine[] } | null> {
  const reminders = await listRemindersOfCard(db, outboxId);
  if (reminders.length === 0) return null;
  const lines = new Map<string, CardLine>();
  for (const r of reminders) {
    const line = lines.get(r.item_id) ?? {
      itemId: r.item_id,
      kinds: [],
      escalation: false,
      reportPeriod: null,
      reportEscalation: false,
    };
    if (r.kind.startsWith('report-'))
      line.reportPeriod = /^report:(\d{4}-\d{2}-\d{2})/.exec(r.period)?.[1] ?? null;
    if (r.kind === 'escalation') {
      line.escalation = true;
      line.reportEscalation = false;
    } else if (r.kind === 'report-escalation') {
      if (!line.escalation) line.reportEscalation = true;
      line.escalation = true;
    } else line.kinds.push(r.kind as ReminderKind);
    lines.set(r.item_id, line);
  }
  return { recipient: reminders[0]!.recipient, lines: [...lines.values()] };
}

/**
 * The round card sent as this outbox row, redrawn as of now for its recipient (null when the row
 * carried no reminders, e.g. a card of another kind).
 */
export async function redrawRoundCard(
  db: Db,
  ctx: ViewContext,
  outboxId: string,
  notice?: string,
): Promise<CardJson | null> {
  const card = await linesOfCard(db, outboxId);
  if (!card) return null;
  const clock: LineClock = { now: ctx.now, calendar: ctx.calendar, timeZone: ctx.timeZone };
  const items = new Map<string, Item>();
  for (const line of card.lines) {
    const item = await getItemRow(db, line.itemId);
    if (item) items.set(item.id, item);
  }
  const ids = [...items.keys()];
  const [parts, attendees] = await Promise.all([getParts(db, ids), getAttendees(db, ids)]);
  const deptNames = deptNamesOf(ctx);
  const names = namesOf(
    ctx,
    [...items.values()].map((i) => i.assignee),
  );
  const own: ReminderLineView[] = [];
  const escalations: EscalationLineView[] = [];
  const reports = await listProgressReports(
    db,
    card.lines.filter((l) => l.reportPeriod).map((l) => l.itemId),
  );
  for (const line of card.lines) {
    const item = items.get(line.itemId);
    if (!item) continue;
    const report = line.reportPeriod
      ? reportOfLine(item, line.reportPeriod, reports.get(item.id) ?? [], ctx)
      : null;
    const closed = item.status === 'open' ? (report?.answered ?? null) : closedText(ctx, item);
    if (line.kinds.length > 0) {
      const mine = (parts.get(item.id) ?? []).filter((p) => p.status === 'open');
      const part = mine.find((p) => p.assignee === card.recipient) ?? mine.find((p) => p.assignee === null);
      const attendance = (attendees.get(item.id) ?? []).find((a) => a.openId === card.recipient);
      own.push(
        ownLine(item, mostPressing(line.kinds), clock, {
          partDue: part?.dueAt ?? null,
          attendance: attendance?.attendance ?? null,
          closed,
          report,
        }),
      );
    }
    if (line.escalation) {
      const dept = item.dept ?? item.leadDept;
      escalations.push(
        escalationLine(item, clock, {
          deptName: (dept && deptNames[dept]) || '未指定处室',
          handlerName: item.assignee ? (names[item.assignee] ?? item.assignee) : null,
          closed,
          report: line.reportEscalation ? report : null,
        }),
      );
    }
  }
  return reminderRoundCard({ lines: own, escalations, ...(notice ? { notice } : {}) });
}

/** The period a report reminder asked for, as of now: its label and due moment, and whether it was answered. */
function reportOfLine(
  item: Item,
  start: string,
  reports: ProgressReport[],
  ctx: ViewContext,
): (LineReport & { answered: string | null }) | null {
  if (!item.reportEvery) return null;
  const state = rhythmStateOf(item, reports, ctx);
  const p = state?.periods.find((x) => x.start === start);
  if (!p) return null;
  const answered = p.report ? `已于${formatZh(p.report.at, ctx.timeZone)}报送进展` : null;
  return { label: periodLabel(p, item.reportEvery), dueAt: p.dueAt, answered };
}

/**
 * After a change to an item: each person's latest round card that lists it is redrawn and
 * patched (or rewritten while still waiting to be sent). Older round cards of the same person
 * are redrawn when clicked.
 */
export async function refreshRoundCards(
  trx: Db,
  deps: Deps,
  ctx: ViewContext,
  item: Item,
  /** The round cards naming the item, when the caller has read them already. */
  known?: readonly SentCardRow[],
): Promise<number> {
  const latest = new Map<string, SentCardRow>();
  for (const row of known ?? (await listCardsNamingItem(trx, ROUND_CARD_PURPOSES, item.id))) {
    const key = `${row.purpose}|${row.receive_id}`;
    const seen = latest.get(key);
    if (!seen || Number(seen.id) < Number(row.id)) latest.set(key, row);
  }
  let refreshed = 0;
  for (const row of latest.values()) {
    const card = await redrawRoundCard(trx, ctx, row.id);
    if (!card) continue;
    const content = JSON.stringify(card);
    // Another invitee's answer to a meeting leaves this person's card as it was: no patch.
    if (content === (await latestCardContent(trx, row, item.id))) continue;
    const done = await refreshCardRow(trx, deps, row, content, row.item_ids, item.version);
    if (done !== 'none') refreshed++;
  }
  return refreshed;
}
