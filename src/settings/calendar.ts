import { countOverrides, listOverrides, loadOverrides, upsertOverride } from '../db/repos/calendar.js';
import type { Db } from '../db/schema.js';
import type { DatabaseContext, Deps } from '../deps.js';
import {
  createWorkCalendar,
  hasOfficialData,
  officialDayName,
  type WorkCalendar,
} from '../domain/calendar.js';
import { addDays, isValidDate, localParts } from '../domain/time.js';
import { AppError } from '../platform/errors.js';
import type { HealthSection } from '../platform/health.js';

/** The office's working-day calendar as of now: official data plus every admin override. */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  return createWorkCalendar(await loadOverrides(db));
}

/** PUT /api/v1/calendar/:date — marks a day as working day or day off (holiday / adjusted day). */
export async function setCalendarDay(
  deps: Deps,
  input: { date: string; workday: boolean; note?: string | null },
  by: string,
): Promise<CalendarDay> {
  if (!isValidDate(input.date)) {
    throw new AppError(
      422,
      'invalid_field',
      `date: "${input.date}" is not a calendar date (use YYYY-MM-DD)`,
      [{ field: 'date', message: 'not a calendar date' }],
    );
  }
  const at = deps.clock.now();
  await upsertOverride(deps.database.db, {
    date: input.date,
    workday: input.workday,
    note: input.note ?? null,
    by,
    at,
  });
  return (await calendarDays(deps.database.db, input.date, input.date))[0]!;
}

export interface CalendarDay {
  date: string;
  workday: boolean;
  source: 'override' | 'official' | 'fallback';
  holiday: string | null;
  note: string | null;
}

/** Each day from..to with whether it is a working day and why (at most a year and a bit). */
export async function calendarDays(db: Db, from: string, to: string): Promise<CalendarDay[]> {
  const overrides = await listOverrides(db, from, to);
  const notes = new Map(overrides.map((o) => [o.date, o.note]));
  const cal = await loadWorkCalendar(db);
  const out: CalendarDay[] = [];
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) {
    out.push({
      date: d,
      workday: cal.isWorkday(d),
      source: cal.sourceOf(d),
      holiday: officialDayName(d),
      note: notes.get(d) ?? null,
    });
  }
  return out;
}

/** Which of this year and next have official data; a missing year is a warning for admins. */
export function calendarCoverage(now: Date, timeZone: string, overrides: number) {
  const year = localParts(now, timeZone).year;
  const years: Record<string, 'official' | 'fallback'> = {};
  const missing: number[] = [];
  for (const y of [year, year + 1]) {
    const ok = hasOfficialData(y);
    years[String(y)] = ok ? 'official' : 'fallback';
    if (!ok) missing.push(y);
  }
  const warning =
    missing.length === 0
      ? null
      : `No official holiday data for ${missing.join(', ')}: working days fall back to Monday–Friday. ` +
        'Update the chinese-days package once the State Council publishes the holidays, or enter them with PUT /api/v1/calendar/:date.';
  return { ok: missing.length === 0, years, overrides, warning };
}

export const calendarHealthSection: HealthSection = {
  name: 'calendar',
  async check(deps) {
    return calendarCoverage(deps.clock.now(), deps.config.timezone, await countOverrides(deps.database.db));
  },
};

/** calendarDays for the API (GET /api/v1/calendar). */
export function calendarDaysIn(ctx: DatabaseContext, from: string, to: string): Promise<CalendarDay[]> {
  return calendarDays(ctx.database.db, from, to);
}
