import type { WorkCalendar } from '../domain/calendar.js';
import type { DeadlineRules } from '../domain/rules.js';
import type { Department, Person } from '../domain/types.js';

/**
 * The reference data nearly every request reads — the people, the departments, the settings
 * (deadline and reminder rules among them) and the calendar overrides — kept in memory per
 * process (per isolate on Workers) and reloaded only when its table's version row moved.
 * Every write to those tables sets a new version in its own transaction (a trigger, see
 * 2026113050_reference_versions), so one small select tells whether the copy is current,
 * whichever instance wrote. A transaction checks once, at its first look, and keeps that view.
 */
export interface ReferenceData {
  /** Active (registered) people by open_id. */
  people: ReadonlyMap<string, Person>;
  /** Every department, by code order. */
  departments: readonly Department[];
  departmentsByCode: ReadonlyMap<string, Department>;
  settings: ReadonlyMap<string, unknown>;
  rules: DeadlineRules;
  calendar: WorkCalendar;
}

export interface Part<T> {
  version: string;
  value: T;
}

/** One process's copy; pass one in Deps to share it across per-request Deps (Workers). */
export class ReferenceCache {
  people?: Part<{ byId: Map<string, Person> }>;
  departments?: Part<{ list: Department[]; byCode: Map<string, Department> }>;
  settings?: Part<{ map: Map<string, unknown>; rules: DeadlineRules }>;
  calendar?: Part<WorkCalendar>;
  /** Loads under way, by table and version, so concurrent requests share one. */
  readonly loading = new Map<string, Promise<unknown>>();
}
