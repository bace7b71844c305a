import { listProgressReports } from '../db/repos/history.js';
import { listChildren } from '../db/repos/items.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { WorkCalendar } from '../domain/calendar.js';
import {
  type Milestone,
  milestoneLight,
  type ProgressReport,
  periodLabel,
  type RhythmState,
  type RollUp,
  rhythmOf,
  rhythmTextZh,
  rollUp,
} from '../domain/rhythm.js';
import type { DeadlineRules } from '../domain/rules.js';
import type { Item, Light, ReportEvery } from '../domain/types.js';
import { referenceData } from '../settings/reference-data.js';

/** What a rhythm needs besides the task: one clock reading, the calendar, the rules, the zone. */
export interface RhythmClock {
  now: Date;
  calendar: WorkCalendar;
  rules: DeadlineRules;
  timeZone: string;
}

/** A task's rhythm as cards, the digest, the bulletin and the API show it. */
export interface RhythmView {
  reportEvery: ReportEvery;
  /** The report to give next (the earliest unanswered period): its label and due moment. */
  next: { label: string; start: string; dueAt: Date } | null;
  lastReport: ProgressReport | null;
  onTime: number;
  late: number;
  missed: number;
  /** No report missed so far. */
  holds: boolean;
  /** 按时报送 / 缺报1次、迟报1次 */
  text: string;
}

export function rhythmStateOf(
  item: Item,
  reports: readonly ProgressReport[],
  c: RhythmClock,
): RhythmState | null {
  if (item.kind !== 'task' || !item.reportEvery) return null;
  const task = {
    every: item.reportEvery,
    since: item.reportSince ?? item.createdAt,
    dueAt: item.dueAt,
    closedAt: item.closedAt,
  };
  return rhythmOf(task, reports, c.now, c.calendar, c.rules, c.timeZone);
}

export function rhythmViewOf(
  item: Item,
  reports: readonly ProgressReport[],
  c: RhythmClock,
): RhythmView | null {
  const state = rhythmStateOf(item, reports, c);
  if (!state || !item.reportEvery) return null;
  const p = state.outstanding;
  return {
    reportEvery: item.reportEvery,
    next:
      p && item.status === 'open'
        ? { label: periodLabel(p, item.reportEvery), start: p.start, dueAt: p.dueAt }
        : null,
    lastReport: state.lastReport,
    onTime: state.onTime,
    late: state.late,
    missed: state.missed,
    holds: state.missed === 0,
    text: rhythmTextZh(state),
  };
}

/** The rhythms of several tasks (those without a rhythm are left out). */
export async function loadRhythms(
  db: Db,
  items: readonly Item[],
  c: RhythmClock,
): Promise<Map<string, RhythmView>> {
  const withRhythm = items.filter((i) => i.kind === 'task' && i.reportEvery);
  const reports = await listProgressReports(
    db,
    withRhythm.map((i) => i.id),
  );
  const out = new Map<string, RhythmView>();
  for (const item of withRhythm) {
    const view = rhythmViewOf(item, reports.get(item.id) ?? [], c);
    if (view) out.set(item.id, view);
  }
  return out;
}

export interface MilestoneView extends Milestone {
  /** null once reached. */
  light: Light | null;
}

export function milestoneViews(item: Item, c: RhythmClock): MilestoneView[] {
  return (item.milestones ?? []).map((m) => ({
    ...m,
    light: item.status === 'open' ? milestoneLight(m, c.now, c.calendar, c.rules, c.timeZone) : null,
  }));
}

/** 倒排工期: each parent's sub-tasks rolled up (parents without sub-tasks are left out). */
export async function loadRollUps(db: Db, parentIds: string[], now: Date): Promise<Map<string, RollUp>> {
  const children = await listChildren(db, parentIds);
  const byParent = new Map<string, typeof children>();
  for (const c of children) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const out = new Map<string, RollUp>();
  for (const [id, list] of byParent) {
    const r = rollUp(list, now);
    if (r.total > 0) out.set(id, r);
  }
  return out;
}

/** The clock of a view or a run: the calendar and rules from the reference data (cached per process). */
export async function loadRhythmClock(deps: Deps, db: Db, now: Date, timeZone: string): Promise<RhythmClock> {
  const { calendar, rules } = await referenceData(deps, db);
  return { now, calendar, rules, timeZone };
}

/** One item's rhythm, milestones with their lights and sub-task roll-up (GET /items/:id). */
export async function loadTaskPlan(
  db: Db,
  item: Item,
  c: RhythmClock,
): Promise<{ rhythm: RhythmView | null; milestones: MilestoneView[]; subtasks: RollUp | null }> {
  const [rhythms, rollUps] = await Promise.all([
    loadRhythms(db, [item], c),
    loadRollUps(db, [item.id], c.now),
  ]);
  return {
    rhythm: rhythms.get(item.id) ?? null,
    milestones: milestoneViews(item, c),
    subtasks: rollUps.get(item.id) ?? null,
  };
}

/** One item's task plan as of the clock, in the office's time zone (GET|PATCH /items/:id). */
export async function taskPlanNow(deps: Deps, item: Item): ReturnType<typeof loadTaskPlan> {
  const db = deps.database.db;
  return loadTaskPlan(db, item, await loadRhythmClock(deps, db, deps.clock.now(), deps.config.timezone));
}
