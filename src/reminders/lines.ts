import type { WorkCalendar } from '../domain/calendar.js';
import { deadlineTextZh } from '../domain/lights.js';
import type { ReminderKind } from '../domain/reminder-plan.js';
import { formatZh, localTime } from '../domain/time.js';
import type { Attendance, DocType, ItemKind } from '../domain/types.js';
import type { EscalationLineView } from '../lark/cards/escalation.js';
import type { ReminderLineView } from '../lark/cards/reminder-round.js';

/**
 * The lines of a reminder round card, from what the round knows of an item: written when the
 * round is sent and again whenever the card is redrawn (a click on it, a change to one of its
 * items), so both read alike.
 */

/** What a line needs of an item, from a round's candidate row or from the item as it is now. */
export interface LineItem {
  id: string;
  title: string;
  kind: ItemKind;
  docType: DocType | null;
  dueAt: Date | null;
  startsAt: Date | null;
  location: string | null;
}

export interface LineClock {
  now: Date;
  calendar: WorkCalendar;
  timeZone: string;
}

const ORDER: ReminderKind[] = [
  'urgent',
  'overdue',
  'escalation',
  'part-overdue',
  'report-overdue',
  'report-escalation',
  'due-today',
  'report-due',
  'yellow',
  'report-yellow',
  'part',
  'meeting-soon',
  'meeting-eve',
];

/** A task's outstanding progress report (以旬保月): '10月上旬' and when it is due. */
export interface LineReport {
  label: string;
  dueAt: Date;
}

export function isEscalation(kind: string): boolean {
  return kind === 'escalation' || kind === 'report-escalation';
}

const REPORT_KINDS: ReadonlySet<ReminderKind> = new Set(['report-overdue', 'report-due', 'report-yellow']);

/** '10月上旬进展未报，已逾期1个工作日' / '10月上旬进展今日18:00前报送' / '…10月9日（周五）18:00前报送，剩余1个工作日'. */
export function reportWhenText(report: LineReport, clock: LineClock): string {
  const tz = clock.timeZone;
  const text = deadlineTextZh(report.dueAt, clock.now, clock.calendar, tz);
  if (clock.now.getTime() > report.dueAt.getTime()) return `${report.label}进展未报，${text}`;
  if (text === '今日到期') return `${report.label}进展今日${localTime(report.dueAt, tz)}前报送`;
  return `${report.label}进展${formatZh(report.dueAt, tz)}前报送，${text}`;
}

/** The most pressing of the reasons a person hears about an item. */
export function mostPressing(kinds: ReminderKind[]): ReminderKind {
  return [...kinds].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0]!;
}

/** '已逾期2个工作日' / '今日18:00到期' / '11月24日（周二）18:00到期，剩余1个工作日' / '…开始'. */
export function whenText(
  kind: ReminderKind,
  item: LineItem,
  clock: LineClock,
  partDue: Date | null,
  report: LineReport | null = null,
): string {
  const tz = clock.timeZone;
  if (REPORT_KINDS.has(kind)) return report ? reportWhenText(report, clock) : '请报送进展';
  if (kind === 'meeting-eve' || kind === 'meeting-soon')
    return item.startsAt ? `${formatZh(item.startsAt, tz)}开始` : '即将开始';
  const due = (kind === 'part' || kind === 'part-overdue' ? partDue : null) ?? item.dueAt;
  if (!due) return '请尽快办理';
  const text = deadlineTextZh(due, clock.now, clock.calendar, tz);
  if (text === '今日到期') return `今日${localTime(due, tz)}到期`;
  if (text.startsWith('剩余')) return `${formatZh(due, tz)}到期，${text}`;
  return text;
}

/** One of the person's own lines (everything but an escalation). */
export function ownLine(
  item: LineItem,
  kind: ReminderKind,
  clock: LineClock,
  opts: {
    partDue?: Date | null;
    attendance?: Attendance | null;
    closed?: string | null;
    report?: LineReport | null;
  } = {},
): ReminderLineView {
  return {
    id: item.id,
    title: item.title,
    itemKind: item.kind,
    docType: item.docType,
    kind,
    when: whenText(kind, item, clock, opts.partDue ?? null, opts.report ?? null),
    ...(item.kind === 'meeting' ? { location: item.location, attendance: opts.attendance ?? null } : {}),
    ...(opts.closed ? { closed: opts.closed } : {}),
  };
}

/** A line of a chief's 督办 list: whose item in which department, how late. */
export function escalationLine(
  item: LineItem,
  clock: LineClock,
  who: { deptName: string; handlerName: string | null; closed?: string | null; report?: LineReport | null },
): EscalationLineView {
  return {
    id: item.id,
    title: item.title,
    deptName: who.deptName,
    handlerName: who.handlerName,
    overdue: who.report
      ? reportWhenText(who.report, clock)
      : item.dueAt
        ? deadlineTextZh(item.dueAt, clock.now, clock.calendar, clock.timeZone)
        : '已逾期',
    ...(who.closed ? { closed: who.closed } : {}),
    ...(who.report ? { reportOnly: true } : {}),
  };
}
