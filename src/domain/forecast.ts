import type { WorkCalendar } from './calendar.js';
import { localDate } from './time.js';

/**
 * 预计逾期: a transparent rule, checkable by hand, for the open items likely to miss their deadline
 * before they turn yellow. From the history of the item's handler (when they closed at least
 * `minSamples` items of the same kind and source in the last year), else of its department:
 *
 *   still needed = average handling working days − working days already used
 *   flag when still needed > working days left to the deadline, and no progress was reported.
 *
 * An item with reported progress, already overdue, without a deadline or without enough history is
 * not flagged. Handling time is counted as in the figures (created → closed, working days).
 */
export interface HandlingHistory {
  samples: number;
  averageWorkdays: number;
}

export interface LateRisk {
  reason: string;
  basis: 'handler' | 'unit';
  averageWorkdays: number;
  elapsedWorkdays: number;
  remainingWorkdays: number;
}

export const DEFAULT_FORECAST = { minSamples: 3 };

export function lateRisk(
  item: { createdAt: Date; dueAt: Date | null; progressAt: Date | null; status: string },
  history: { handler?: HandlingHistory | undefined; unit?: HandlingHistory | undefined },
  now: Date,
  calendar: WorkCalendar,
  timeZone: string,
  minSamples = DEFAULT_FORECAST.minSamples,
): LateRisk | null {
  if (item.status !== 'open' || !item.dueAt || item.dueAt.getTime() <= now.getTime()) return null;
  if (item.progressAt) return null;
  const basis =
    history.handler && history.handler.samples >= minSamples
      ? 'handler'
      : history.unit && history.unit.samples >= minSamples
        ? 'unit'
        : null;
  if (!basis) return null;
  const average = Math.round(history[basis]!.averageWorkdays * 10) / 10;
  const today = localDate(now, timeZone);
  const elapsed = Math.max(0, calendar.workdaysBetween(localDate(item.createdAt, timeZone), today));
  const remaining = Math.max(0, calendar.workdaysBetween(today, localDate(item.dueAt, timeZone)));
  if (average - elapsed <= remaining) return null;
  const who = basis === 'handler' ? '本人' : '本处';
  return {
    reason: `同类事项${who}平均用时${average}个工作日，已用${elapsed}个工作日，剩余${remaining}个工作日，尚无进展`,
    basis,
    averageWorkdays: average,
    elapsedWorkdays: elapsed,
    remainingWorkdays: remaining,
  };
}

/** The key items are compared by: kind and source (a document's type stands for its source). */
export function kindKey(item: { kind: string; source?: string | null; docType?: string | null }): string {
  return `${item.kind}:${item.source ?? item.docType ?? ''}`;
}
