import { addDays } from './time.js';

/**
 * Rotations: an ordered list of people shared over a date range so that everyone gets as many
 * working days, rest days and holiday days as the others (within one). Holiday days — a run of
 * rest days holding a statutory holiday, or three rest days or more — are counted apart from
 * ordinary weekends, so holiday duty is shared on its own.
 */

export type DayClass = 'workday' | 'restday' | 'holiday';
export type RotationDays = 'workdays' | 'restdays' | 'all';

export interface DayCounts {
  workday: number;
  restday: number;
  holiday: number;
  total: number;
}

/** Classifies each date of [from, to]; a rest run is followed past the range's ends to judge it. */
export function classifyDays(
  from: string,
  to: string,
  isWorkday: (date: string) => boolean,
  isNamedHoliday: (date: string) => boolean,
): Array<{ date: string; cls: DayClass }> {
  const out: Array<{ date: string; cls: DayClass }> = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (isWorkday(d)) {
      out.push({ date: d, cls: 'workday' });
      continue;
    }
    let first = d;
    while (!isWorkday(addDays(first, -1)) && addDays(d, -15) < first) first = addDays(first, -1);
    let last = d;
    while (!isWorkday(addDays(last, 1)) && last < addDays(d, 15)) last = addDays(last, 1);
    let length = 0;
    let named = false;
    for (let x = first; x <= last; x = addDays(x, 1)) {
      length++;
      named ||= isNamedHoliday(x);
    }
    out.push({ date: d, cls: named || length >= 3 ? 'holiday' : 'restday' });
  }
  return out;
}

const emptyCounts = (): DayCounts => ({ workday: 0, restday: 0, holiday: 0, total: 0 });

/**
 * Assigns each chosen day to the person with the fewest days of its class so far, then the fewest
 * days in all, then the earliest in the list — and never the same person two days running when
 * another is free. `prior` counts days already served (to continue a rotation fairly).
 */
export function rotate(
  days: Array<{ date: string; cls: DayClass }>,
  people: string[],
  which: RotationDays,
  prior: Record<string, DayCounts> = {},
): {
  assignments: Array<{ date: string; cls: DayClass; person: string }>;
  counts: Record<string, DayCounts>;
} {
  const counts: Record<string, DayCounts> = {};
  for (const p of people) counts[p] = { ...emptyCounts(), ...prior[p] };
  const chosen = days.filter((d) =>
    which === 'all' ? true : which === 'workdays' ? d.cls === 'workday' : d.cls !== 'workday',
  );
  const assignments: Array<{ date: string; cls: DayClass; person: string }> = [];
  let previous: { date: string; person: string } | null = null;
  for (const day of chosen) {
    const ranked = people
      .map((p, i) => ({ p, i }))
      .sort(
        (a, b) =>
          counts[a.p]![day.cls] - counts[b.p]![day.cls] ||
          counts[a.p]!.total - counts[b.p]!.total ||
          a.i - b.i,
      );
    const consecutive: string | null =
      previous && addDays(previous.date, 1) === day.date ? previous.person : null;
    const pick: { p: string; i: number } = ranked.find((r) => r.p !== consecutive) ?? ranked[0]!;
    counts[pick.p]![day.cls]++;
    counts[pick.p]!.total++;
    assignments.push({ ...day, person: pick.p });
    previous = { date: day.date, person: pick.p };
  }
  return { assignments, counts };
}
