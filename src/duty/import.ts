import { upsertDutyDay } from '../db/repos/duty.js';
import { appendDutyHistory } from '../db/repos/duty-history.js';
import { listPeople } from '../db/repos/people.js';
import type { Deps } from '../deps.js';
import { officialDayName } from '../domain/calendar.js';
import { parseDutyCsv, type Resolve } from '../domain/duty-csv.js';
import {
  classifyDays,
  type DayClass,
  type DayCounts,
  type RotationDays,
  rotate,
} from '../domain/duty-rotation.js';
import { AppError } from '../platform/errors.js';
import { loadWorkCalendar } from '../settings/calendar.js';

/**
 * Rosters in bulk: a CSV file, or a rotation generated from an ordered list of people. Either is
 * written whole in one transaction (with a history row per day) or not at all.
 */

async function resolver(deps: Deps): Promise<{ resolve: Resolve; nameOf: (id: string) => string }> {
  const people = await listPeople(deps.database.db);
  const ids = new Map(people.map((p) => [p.openId, p.name]));
  const byName = new Map<string, string[]>();
  for (const p of people) byName.set(p.name, [...(byName.get(p.name) ?? []), p.openId]);
  const resolve: Resolve = (x) => {
    if (ids.has(x)) return { openId: x };
    const named = byName.get(x) ?? [];
    if (named.length === 1) return { openId: named[0]! };
    return { problem: named.length > 1 ? '重名，请改用 open_id' : '未登记' };
  };
  return { resolve, nameOf: (id) => ids.get(id) ?? id };
}

/**
 * A refused roster file, by the error policy: an English message for the operator naming the
 * rows, every problem in `details.problems` ({row, field, message}) and the office's Chinese
 * sentence in `details.reply`.
 */
function refusedCsv(problems: Array<{ row: number; field: string; message: string }>): AppError {
  const rows = [...new Set(problems.filter((p) => p.row > 0).map((p) => p.row))];
  const where = rows.length > 0 ? `row(s) ${rows.join(', ')}` : 'the file';
  const text = problems.map((p) => (p.row ? `第${p.row}行 ${p.field}：${p.message}` : p.message)).join('；');
  return new AppError(
    422,
    'invalid_csv',
    `csv: ${problems.length} problem(s) in ${where}; nothing was imported (details.problems lists them).`,
    { problems, reply: `${problems.length}处问题，未导入任何记录：${text}` },
  );
}

export async function importDutyCsv(
  deps: Deps,
  csv: string,
  by = 'api',
): Promise<{ imported: number; from: string; to: string }> {
  const { resolve } = await resolver(deps);
  const { shifts, problems } = parseDutyCsv(csv, resolve);
  if (problems.length > 0) throw refusedCsv(problems);
  const now = deps.clock.now();
  await deps.database.db.transaction().execute(async (trx) => {
    for (const s of shifts) {
      const day = {
        date: s.date,
        officers: s.officers,
        leader: s.leader,
        note: null,
        start: s.start,
        end: s.end,
      };
      await upsertDutyDay(trx, day, now);
      await appendDutyHistory(trx, {
        date: s.date,
        at: now,
        actor: by,
        action: 'roster imported',
        details: { row: s.row, ...day },
      });
    }
  });
  const dates = shifts.map((s) => s.date).sort();
  return { imported: shifts.length, from: dates[0]!, to: dates.at(-1)! };
}

export interface RotationInput {
  from: string;
  to: string;
  /** Officers in order, by name or open_id. */
  people: string[];
  /** Leaders on duty in order (one is enough). */
  leaders: string[];
  days: RotationDays;
  /** Write the roster (true) or only show it (false). */
  apply: boolean;
}

export interface RotationResult {
  days: Array<{ date: string; class: DayClass; officer: string; leader: string }>;
  counts: Array<{ openId: string; name: string } & DayCounts>;
  applied: boolean;
}

export async function generateRotation(
  deps: Deps,
  input: RotationInput,
  by = 'api',
): Promise<RotationResult> {
  const { resolve, nameOf } = await resolver(deps);
  const resolveAll = (field: string, list: string[]) => {
    const problems: Array<{ field: string; message: string }> = [];
    const ids = list.map((x, i) => {
      const r = resolve(x);
      if ('problem' in r) problems.push({ field: `${field}[${i}]`, message: `「${x}」${r.problem}` });
      return 'openId' in r ? r.openId : '';
    });
    return { ids: [...new Set(ids)], problems };
  };
  const people = resolveAll('people', input.people);
  const leaders = resolveAll('leaders', input.leaders);
  const problems = [...people.problems, ...leaders.problems];
  if (problems.length > 0)
    throw new AppError(
      422,
      'unknown_person',
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  const calendar = await loadWorkCalendar(deps.database.db);
  const classified = classifyDays(
    input.from,
    input.to,
    calendar.isWorkday,
    (d) => officialDayName(d) !== null,
  );
  const officers = rotate(classified, people.ids, input.days);
  const chosen = officers.assignments;
  const leaderPlan = rotate(chosen, leaders.ids, 'all').assignments;
  const days = chosen.map((a, i) => ({
    date: a.date,
    class: a.cls,
    officer: a.person,
    leader: leaderPlan[i]!.person,
  }));
  if (input.apply) {
    const now = deps.clock.now();
    await deps.database.db.transaction().execute(async (trx) => {
      for (const d of days) {
        const day = {
          date: d.date,
          officers: [d.officer],
          leader: d.leader,
          note: null,
          start: null,
          end: null,
        };
        await upsertDutyDay(trx, day, now);
        await appendDutyHistory(trx, {
          date: d.date,
          at: now,
          actor: by,
          action: 'roster generated',
          details: { ...day, class: d.class },
        });
      }
    });
  }
  const counts = people.ids.map((openId) => ({ openId, name: nameOf(openId), ...officers.counts[openId]! }));
  return { days, counts, applied: input.apply };
}
