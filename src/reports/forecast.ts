import { firstCreatedClosedSince, handlingHistory } from '../db/repos/figure-counts.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { workdayOrdinals } from '../domain/figures.js';
import { type HandlingHistory, kindKey, type LateRisk, lateRisk } from '../domain/forecast.js';
import { addDays, localDate } from '../domain/time.js';
import type { Item, Light } from '../domain/types.js';
import { type ItemFilters, listItemsWithLights } from '../items/items.js';
import { referenceData } from '../settings/reference-data.js';

/** How far back the history of handling times reaches. */
const HISTORY_DAYS = 365;

export interface RiskContext {
  now: Date;
  calendar: WorkCalendar;
  timeZone: string;
}

/** A function giving each open item its 预计逾期 (or null), from the last year's handling times. */
export async function loadRiskAssessor(db: Db, ctx: RiskContext): Promise<(item: Item) => LateRisk | null> {
  const tz = ctx.timeZone;
  const today = localDate(ctx.now, tz);
  const since = new Date(ctx.now.getTime() - HISTORY_DAYS * 86_400_000);
  const first = (await firstCreatedClosedSince(db, since, tz)) ?? today;
  const { days, ordinals } = workdayOrdinals(ctx.calendar, first, addDays(today, 1));
  const rows = await handlingHistory(db, since, { timeZone: tz, days, ordinals });
  const byUnit = new Map<string, { samples: number; total: number }>();
  const byHandler = new Map<string, { samples: number; total: number }>();
  const add = (
    m: Map<string, { samples: number; total: number }>,
    k: string,
    r: { samples: number; total: number },
  ) => {
    const v = m.get(k) ?? { samples: 0, total: 0 };
    m.set(k, { samples: v.samples + r.samples, total: v.total + r.total });
  };
  for (const r of rows) {
    add(byUnit, `${r.dept}|${r.key}`, r);
    if (r.assignee) add(byHandler, `${r.assignee}|${r.key}`, r);
  }
  const history = (v: { samples: number; total: number } | undefined): HandlingHistory | undefined =>
    v ? { samples: v.samples, averageWorkdays: v.total / v.samples } : undefined;
  return (item) =>
    lateRisk(
      item,
      {
        handler: item.assignee ? history(byHandler.get(`${item.assignee}|${kindKey(item)}`)) : undefined,
        unit: history(byUnit.get(`${item.dept}|${kindKey(item)}`)),
      },
      ctx.now,
      ctx.calendar,
      tz,
    );
}

/**
 * GET /items?atRisk=true: the open items 预计逾期 (within the other filters), each with its risk,
 * soonest deadline first.
 */
export async function listItemsAtRisk(deps: Deps, filters: ItemFilters & { light?: Light }) {
  const items = await listItemsWithLights(deps, { ...filters, status: 'open' });
  const ref = await referenceData(deps);
  const assess = await loadRiskAssessor(deps.database.db, {
    now: deps.clock.now(),
    calendar: ref.calendar,
    timeZone: deps.config.timezone,
  });
  return items.flatMap((item) => {
    const risk = assess(item);
    return risk ? [{ ...item, risk }] : [];
  });
}
