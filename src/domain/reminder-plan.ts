import { inQuietHours, type ReminderRules } from './reminder-rules.js';
import { addDays, localDate, localParts, localTime } from './time.js';
import type { DocType, ItemKind, Light } from './types.js';

/**
 * Who must hear about what in one reminder run — pure: the caller loads the items (with their
 * lights already computed), the organisation and the once-keys already sent, and passes `now`.
 *
 * Kinds (and their once-key period, so each is sent at most once per period):
 *  - yellow        handler, the deadline is near                        once per deadline
 *  - due-today     handler, on the morning round                        per local date
 *  - overdue       handler, 催办                                         per local date (working days)
 *  - escalation    level 1 → the department's chiefs (≥ N working days overdue),
 *                  level 2 → the office's leaders (≥ M)                 once per deadline
 *  - urgent        handler of an urgent document, whatever the calendar per local hour
 *  - part / part-overdue  a co-handling unit, before its own deadline  once per deadline / per date
 *  - meeting-eve   attendees, the working day before at 16:00           once per start time
 *  - meeting-soon  attendees, 30 minutes before the start               once per start time
 *  - report-yellow / report-due / report-overdue / report-escalation (level 1, the chiefs)
 *                  a task on a rhythm (以旬保月) whose period's progress report is outstanding:
 *                  chased like a deadline, by the report's own due moment, with once-keys of their
 *                  own ('report:<period start>', the overdue one '…@<local date>'), so a report
 *                  chase and a deadline chase of one item never collide; both ride on one card.
 * "Once per deadline" (period 'due:<local deadline>') means an extended deadline re-arms the kind.
 * The minutes taker hears about the minutes task as its handler (yellow), like any task.
 */
export type ReminderKind =
  | 'urgent'
  | 'overdue'
  | 'escalation'
  | 'part-overdue'
  | 'due-today'
  | 'yellow'
  | 'part'
  | 'meeting-soon'
  | 'meeting-eve'
  | 'report-overdue'
  | 'report-escalation'
  | 'report-due'
  | 'report-yellow';

/** Red first: the order in which a person's lines appear on their card. */
const KIND_ORDER: Record<ReminderKind, number> = {
  urgent: 0,
  overdue: 1,
  escalation: 2,
  'part-overdue': 3,
  'due-today': 4,
  yellow: 5,
  part: 6,
  'report-overdue': 3.5,
  'report-escalation': 3.6,
  'meeting-soon': 7,
  'meeting-eve': 8,
  'report-due': 5.5,
  'report-yellow': 6.5,
};

export interface PlanPart {
  dept: string;
  assignee: string | null;
  /** The part's own deadline, or the item's when it has none. */
  dueAt: Date | null;
  light: Light;
}

export interface PlanItem {
  id: string;
  kind: ItemKind;
  docType: DocType | null;
  assignee: string | null;
  dept: string | null;
  dueAt: Date | null;
  createdAt: Date;
  /** The item's traffic light at `now` (from the items capability's lightOf). */
  light: Light;
  /** Whole working days overdue at `now` (0 unless red). */
  workdaysOverdue: number;
  startsAt: Date | null;
  /** Attendees who have not sent their apologies. */
  attendees: string[];
  /** Open co-handling parts. */
  parts: PlanPart[];
  /** A task on a rhythm: the earliest period whose progress report is outstanding. */
  report?: PlanReport | null;
}

export interface PlanReport {
  /** The period's first day: names the report in the once-keys. */
  period: string;
  dueAt: Date;
  /** The local day it is due on. */
  dueDay: string;
  /** The report's light at `now`, by its own due moment. */
  light: Light;
  workdaysOverdue: number;
}

export interface PlanInput {
  now: Date;
  timeZone: string;
  rules: ReminderRules;
  isWorkday(date: string): boolean;
  /** A scheduled reminder round (true) or a between-rounds chase tick (urgent items and meetings only). */
  round: boolean;
  items: PlanItem[];
  /** Active chiefs of each department. */
  chiefsByDept: ReadonlyMap<string, readonly string[]>;
  /** The office's leaders: the chiefs of the top department. */
  leaders: readonly string[];
  /** Once-keys (see onceKey) already recorded in the reminders table. */
  alreadySent: ReadonlySet<string>;
}

export interface Notification {
  itemId: string;
  recipient: string;
  kind: ReminderKind;
  level: number;
  period: string;
}

/** One line of a person's card: one item, with every reason this person hears about it now. */
export interface BundleLine {
  itemId: string;
  /** The most pressing reason (decides the icon and the sort). */
  kind: ReminderKind;
  notifications: Notification[];
}

/** Everything one person receives in this run: one card. */
export interface Bundle {
  recipient: string;
  lines: BundleLine[];
}

/**
 * Orders texts exactly as String#localeCompare does, without its cost per call (it sets up a
 * collator each time: sorting 100,000 items took most of a round's planning).
 */
const collate = new Intl.Collator().compare;

/**
 * Ids made of capital letters, digits and hyphens ('T-123', 'D-45') collate in code-unit order:
 * each of these characters has its own primary weight, in the same order as its code. Comparing
 * them with `<` gives what the collator gives, many times faster (the property test checks both).
 */
const PLAIN_ID = /^[0-9A-Z-]*$/;

/** Earliest deadline (a meeting: its start) first, then by id: the order the planner takes items in. */
export function sortByDeadline(items: readonly PlanItem[]): PlanItem[] {
  return items
    .map((item) => ({
      item,
      at: item.dueAt?.getTime() ?? item.startsAt?.getTime() ?? 0,
      plain: PLAIN_ID.test(item.id),
    }))
    .sort(
      (a, b) =>
        a.at - b.at ||
        (a.plain && b.plain
          ? a.item.id < b.item.id
            ? -1
            : a.item.id > b.item.id
              ? 1
              : 0
          : collate(a.item.id, b.item.id)),
    )
    .map((x) => x.item);
}

export function onceKey(n: Pick<Notification, 'itemId' | 'recipient' | 'kind' | 'level' | 'period'>): string {
  return `${n.itemId}|${n.recipient}|${n.kind}|${n.level}|${n.period}`;
}

/**
 * 'YYYY-MM-DDTHH:mm' of an instant, memoised for one planning run: many items share a deadline,
 * and time-zone formatting costs microseconds a call (10,000 items × several calls).
 */
function stamper(timeZone: string): (instant: Date) => string {
  const memo = new Map<number, string>();
  return (instant) => {
    const ms = instant.getTime();
    let s = memo.get(ms);
    if (s === undefined) {
      const p = localParts(instant, timeZone);
      s = `${p.date}T${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
      memo.set(ms, s);
    }
    return s;
  };
}

/** The working day before `date` (at most 60 days back; the calendar never has longer breaks). */
function previousWorkday(date: string, isWorkday: (d: string) => boolean): string | null {
  let d = addDays(date, -1);
  for (let i = 0; i < 60; i++, d = addDays(d, -1)) if (isWorkday(d)) return d;
  return null;
}

export function planReminders(input: PlanInput): Notification[] {
  const { now, timeZone: tz, rules } = input;
  if (rules.paused) return [];
  const localStamp = stamper(tz);
  const today = localDate(now, tz);
  const time = localTime(now, tz);
  const quiet = inQuietHours(time, rules.quietHours);
  const workday = input.isWorkday(today);
  /** Regular reminders go out only in a round, on a working day, outside the quiet hours. */
  const regular = input.round && workday && !quiet;
  const morning = time < '12:00';
  const hour = `${today}T${String(localParts(now, tz).hour).padStart(2, '0')}`;
  const out: Notification[] = [];
  // Nothing recorded yet for these items (a first round): no once-key to build and look up.
  const checkSent = input.alreadySent.size > 0;
  const add = (
    itemId: string,
    recipients: Iterable<string>,
    kind: ReminderKind,
    level: number,
    period: string,
  ) => {
    for (const recipient of recipients) {
      const n = { itemId, recipient, kind, level, period };
      if (checkSent && input.alreadySent.has(onceKey(n))) continue;
      out.push(n);
    }
  };
  const chiefs = (dept: string | null) => (dept ? (input.chiefsByDept.get(dept) ?? []) : []);

  for (const item of input.items) {
    if (item.kind === 'meeting') {
      if (!item.startsAt || item.startsAt <= now || quiet) continue;
      const period = `start:${localStamp(item.startsAt)}`;
      if (item.startsAt.getTime() - now.getTime() <= rules.meetingSoonMinutes * 60_000) {
        add(item.id, item.attendees, 'meeting-soon', 0, period);
      } else if (time >= rules.meetingEveAt) {
        const eve = previousWorkday(localStamp(item.startsAt).slice(0, 10), input.isWorkday);
        if (eve === today) add(item.id, item.attendees, 'meeting-eve', 0, period);
      }
      continue;
    }

    // Without a handler, the department's chiefs hear what the handler would (so it gets assigned).
    const handlers = item.assignee ? [item.assignee] : chiefs(item.dept);
    const deadline = item.dueAt ? `due:${localStamp(item.dueAt)}` : 'once';

    if (item.kind === 'document' && item.docType === 'urgent') {
      // 紧急件连夜办完: chased every hour, calendar and quiet hours notwithstanding, from the
      // hour after it arrived (the new-item card has just told the handler).
      if (now.getTime() - item.createdAt.getTime() >= 60 * 60_000) add(item.id, handlers, 'urgent', 0, hour);
    } else if (regular) {
      if (item.light === 'red') add(item.id, handlers, 'overdue', 0, today);
      else if (item.light === 'yellow') {
        add(item.id, handlers, 'yellow', 0, deadline);
        if (morning && item.dueAt && item.dueAt > now && localStamp(item.dueAt).slice(0, 10) === today)
          add(item.id, handlers, 'due-today', 0, today);
      }
    }

    if (regular && item.light === 'red') {
      if (item.workdaysOverdue >= rules.escalateToChiefAfter) {
        add(
          item.id,
          chiefs(item.dept).filter((c) => c !== item.assignee),
          'escalation',
          1,
          deadline,
        );
      }
      if (item.workdaysOverdue >= rules.escalateToLeadersAfter) {
        add(
          item.id,
          input.leaders.filter((c) => c !== item.assignee),
          'escalation',
          2,
          deadline,
        );
      }
    }

    if (regular && item.report) {
      const when = { today, morning, escalateAfter: rules.escalateToChiefAfter };
      planReport(item, item.report, { handlers, chiefs: chiefs(item.dept) }, add, when);
    }

    if (regular) {
      for (const part of item.parts) {
        const who = part.assignee ? [part.assignee] : chiefs(part.dept);
        const partDeadline = part.dueAt ? `due:${localStamp(part.dueAt)}` : deadline;
        if (part.light === 'red') add(item.id, who, 'part-overdue', 0, today);
        else if (part.light === 'yellow') add(item.id, who, 'part', 0, partDeadline);
      }
    }
  }
  return out;
}

type Add = (
  itemId: string,
  recipients: Iterable<string>,
  kind: ReminderKind,
  level: number,
  period: string,
) => void;

/** An outstanding progress report, chased like a deadline by its own due moment (escalating to the chiefs). */
function planReport(
  item: PlanItem,
  report: PlanReport,
  who: { handlers: readonly string[]; chiefs: readonly string[] },
  add: Add,
  when: { today: string; morning: boolean; escalateAfter: number },
): void {
  const key = `report:${report.period}`;
  if (report.light === 'red') {
    add(item.id, who.handlers, 'report-overdue', 0, `${key}@${when.today}`);
    if (report.workdaysOverdue >= when.escalateAfter) {
      const chiefs = who.chiefs.filter((c) => c !== item.assignee);
      add(item.id, chiefs, 'report-escalation', 1, key);
    }
  } else if (report.light === 'yellow') {
    add(item.id, who.handlers, 'report-yellow', 0, key);
    if (when.morning && report.dueDay === when.today) add(item.id, who.handlers, 'report-due', 0, key);
  }
}

/**
 * One card per person: each person's notifications grouped by item, red first, then by the
 * order the items came in (the caller passes them by deadline).
 */
export function bundleByPerson(notifications: Notification[], itemOrder: readonly string[] = []): Bundle[] {
  const rank = new Map<string, number>();
  for (let i = 0; i < itemOrder.length; i++) rank.set(itemOrder[i]!, i);
  const people = new Map<string, Map<string, BundleLine>>();
  for (const n of notifications) {
    let lines = people.get(n.recipient);
    if (!lines) {
      lines = new Map();
      people.set(n.recipient, lines);
    }
    const line = lines.get(n.itemId);
    if (!line) lines.set(n.itemId, { itemId: n.itemId, kind: n.kind, notifications: [n] });
    else {
      line.notifications.push(n);
      if (KIND_ORDER[n.kind] < KIND_ORDER[line.kind]) line.kind = n.kind;
    }
  }
  const bundles: Bundle[] = [];
  for (const [recipient, lines] of people) {
    // Sort keys looked up once per line, not once per comparison.
    const keyed: Array<{ line: BundleLine; kind: number; rank: number }> = [];
    for (const line of lines.values())
      keyed.push({
        line,
        kind: KIND_ORDER[line.kind],
        rank: rank.get(line.itemId) ?? Number.MAX_SAFE_INTEGER,
      });
    keyed.sort((a, b) => a.kind - b.kind || a.rank - b.rank || collate(a.line.itemId, b.line.itemId));
    bundles.push({ recipient, lines: keyed.map((k) => k.line) });
  }
  return bundles.sort((a, b) => collate(a.recipient, b.recipient));
}
