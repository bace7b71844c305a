import { listOpenLongTasks } from '../db/repos/items.js';
import type { Db } from '../db/schema.js';
import { rhythmTextZh, rollUpTextZh } from '../domain/rhythm.js';
import { formatZh } from '../domain/time.js';
import { loadRhythms, loadRollUps, milestoneViews, type RhythmClock } from '../items/rhythm.js';
import type { LongTaskLine } from '../lark/cards/report/long-tasks.js';

/** A long task's line as the digest and the 通报 show it, with its department's code for scoping. */
export type LongTask = LongTaskLine & { deptCode: string | null; worst: number };

/** '10月9日' */
function dayZh(at: Date, tz: string): string {
  return formatZh(at, tz, false).replace(/（.*）$/, '');
}

/**
 * The office's open long tasks (on a rhythm, with milestones or with sub-tasks), worst first:
 * reports missed, then late, then red milestones or late sub-tasks; read in three queries.
 */
export async function loadLongTasks(
  db: Db,
  c: RhythmClock,
  deptNames: Record<string, string>,
  dept?: string,
): Promise<LongTask[]> {
  const items = await listOpenLongTasks(db, dept ? { dept } : {});
  const [rhythms, rollUps] = await Promise.all([
    loadRhythms(db, items, c),
    loadRollUps(
      db,
      items.map((i) => i.id),
      c.now,
    ),
  ]);
  const lines = items.map((item): LongTask => {
    const r = rhythms.get(item.id) ?? null;
    const roll = rollUps.get(item.id) ?? null;
    const milestones = milestoneViews(item, c).flatMap((m) =>
      m.light === 'yellow' || m.light === 'red'
        ? [{ title: m.title, light: m.light, dueZh: dayZh(m.dueAt, c.timeZone) }]
        : [],
    );
    const last = r?.lastReport;
    const missed = r?.missed ?? 0;
    const late = r?.late ?? 0;
    const redMilestones = milestones.filter((m) => m.light === 'red').length;
    return {
      id: item.id,
      title: item.title,
      dept: item.dept ? (deptNames[item.dept] ?? item.dept) : '未分处室',
      deptCode: item.dept,
      lastReport: last ? `${dayZh(last.at, c.timeZone)}：${[...last.note].slice(0, 30).join('')}` : null,
      rhythm: r ? rhythmTextZh(r) : null,
      holds: missed === 0 && late === 0 && redMilestones === 0 && (roll?.late ?? 0) === 0,
      milestones,
      subtasks: roll ? rollUpTextZh(roll) : null,
      worst: missed * 1000 + late * 100 + redMilestones * 10 + (roll?.late ?? 0),
    };
  });
  return lines.sort((a, b) => b.worst - a.worst || a.id.localeCompare(b.id, 'en', { numeric: true }));
}
