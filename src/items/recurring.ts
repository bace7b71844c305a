import { z } from 'zod';
import { getDepartment } from '../db/repos/departments.js';
import { getDutyDay } from '../db/repos/duty.js';
import { getPerson } from '../db/repos/people.js';
import {
  getRecurringRow,
  insertRecurring,
  listRecurringRows,
  occurrenceItemId,
  type RecurringDutyRow,
  type RecurringDutyValues,
  updateRecurringRow,
} from '../db/repos/recurring.js';
import { appendSettingHistory } from '../db/repos/settings.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import {
  type Occurrence,
  occurrenceOn,
  type RecurrenceRule,
  recurrenceRuleSchema,
} from '../domain/recurrence.js';
import { isBlank } from '../domain/text.js';
import { atLocal, localDate } from '../domain/time.js';
import type { TaskSource } from '../domain/types.js';
import { AppError, notFound } from '../platform/errors.js';
import { loadWorkCalendar } from '../settings/calendar.js';
import { createItem, isDuplicateOccurrence } from './items.js';

/**
 * Recurring duties (信息编报 日编日发, weekly study, 逐月通报): admins define them; each
 * occurrence becomes an ordinary task with its own reminders and buttons, created once per
 * occurrence whatever the number of instances (a claim per (duty, occurrence) plus the unique
 * index items_occurrence_uq). Deleting a duty disables it; its history and items stay.
 */
export const recurringInputSchema = z
  .object({
    title: z
      .string()
      .trim()
      .max(200)
      .refine((t) => !isBlank(t), 'required (text that shows something, not only spaces)'),
    /** A person (open_id) who does it every time… */
    assignee: z.string().min(1).nullable().optional(),
    /** …or a department: its duty officer of the day when `rotation` is 'duty', else unassigned (first to claim owns it). */
    dept: z.string().min(1).nullable().optional(),
    rotation: z.enum(['none', 'duty']).default('none'),
    source: z.enum(['instruction', 'decision', 'proposal', 'practical', 'hotline', 'other']).default('other'),
    rule: recurrenceRuleSchema,
    enabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (!v.assignee && !v.dept)
      ctx.addIssue({
        code: 'custom',
        path: ['assignee'],
        message: 'give a person (assignee) or a department (dept)',
      });
  });

export type RecurringInput = z.infer<typeof recurringInputSchema>;

export interface RecurringDuty {
  id: number;
  title: string;
  assignee: string | null;
  dept: string | null;
  rotation: 'none' | 'duty';
  source: TaskSource;
  rule: RecurrenceRule;
  enabled: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface StoredRule {
  rule: RecurrenceRule;
  rotation: 'none' | 'duty';
  source: TaskSource;
}

function toDuty(r: RecurringDutyRow): RecurringDuty {
  const stored = (typeof r.rule === 'string' ? JSON.parse(r.rule) : r.rule) as StoredRule;
  return {
    id: r.id,
    title: r.title,
    assignee: r.assignee,
    dept: r.dept,
    rotation: stored.rotation ?? 'none',
    source: stored.source ?? 'other',
    rule: recurrenceRuleSchema.parse(stored.rule),
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function validateRefs(deps: Deps, input: RecurringInput): Promise<void> {
  const { db } = deps.database;
  if (input.assignee && !(await getPerson(db, input.assignee)))
    throw new AppError(422, 'invalid_field', `assignee: unknown person "${input.assignee}"`, [
      { field: 'assignee', message: 'unknown person' },
    ]);
  if (input.dept && !(await getDepartment(db, input.dept)))
    throw new AppError(422, 'invalid_field', `dept: unknown department "${input.dept}"`, [
      { field: 'dept', message: 'unknown department' },
    ]);
}

export async function listRecurring(deps: Deps): Promise<RecurringDuty[]> {
  return (await listRecurringRows(deps.database.db)).map(toDuty);
}

export async function getRecurring(deps: Deps, id: number): Promise<RecurringDuty> {
  const row = await getRecurringRow(deps.database.db, id);
  if (!row) throw notFound(`No recurring duty ${id}.`);
  return toDuty(row);
}

function storedValues(input: RecurringInput): RecurringDutyValues {
  return {
    title: input.title,
    assignee: input.assignee ?? null,
    dept: input.dept ?? null,
    rule: JSON.stringify({
      rule: input.rule,
      rotation: input.rotation,
      source: input.source,
    } satisfies StoredRule),
    enabled: input.enabled,
  };
}

export async function createRecurring(deps: Deps, input: RecurringInput, by: string): Promise<RecurringDuty> {
  await validateRefs(deps, input);
  const now = deps.clock.now();
  const row = await inTransaction(deps.database.db, async (trx) => {
    const r = await insertRecurring(trx, { ...storedValues(input), by, at: now });
    await appendSettingHistory(trx, `recurring:${r.id}`, { ...input, action: 'create' }, by, now);
    return r;
  });
  return toDuty(row);
}

export async function updateRecurring(
  deps: Deps,
  id: number,
  input: RecurringInput,
  by: string,
): Promise<RecurringDuty> {
  await getRecurring(deps, id);
  await validateRefs(deps, input);
  const now = deps.clock.now();
  const row = await inTransaction(deps.database.db, async (trx) => {
    const r = await updateRecurringRow(trx, id, storedValues(input), now);
    await appendSettingHistory(trx, `recurring:${id}`, { ...input, action: 'update' }, by, now);
    return r;
  });
  return toDuty(row);
}

/** DELETE disables: the duty's definition, its occurrences and their history stay on record. */
export async function disableRecurring(deps: Deps, id: number, by: string): Promise<RecurringDuty> {
  await getRecurring(deps, id);
  const now = deps.clock.now();
  const row = await inTransaction(deps.database.db, async (trx) => {
    const r = await updateRecurringRow(trx, id, { enabled: false }, now);
    await appendSettingHistory(trx, `recurring:${id}`, { action: 'disable' }, by, now);
    return r;
  });
  return toDuty(row);
}

function occurrenceLabel(rule: RecurrenceRule, o: Occurrence): string {
  const [, m, d] = o.date.split('-').map(Number) as [number, number, number];
  switch (rule.every) {
    case 'workday':
      return `${m}月${d}日`;
    case 'week':
      return `第${Number(o.key.slice(6))}周`;
    case 'month':
      return `${m}月`;
    case 'quarter':
      return `第${o.key.slice(6)}季度`;
  }
}

/**
 * The `recurring` job: creates today's occurrence of each enabled duty, once. An occurrence whose
 * deadline has already passed (the service was down all day) is skipped and logged.
 */
export async function runRecurringDuties(
  deps: Deps,
  ctx: { at: Date },
): Promise<{ sent: number; skipped: number; created: string[] }> {
  const today = localDate(ctx.at, deps.config.timezone);
  const calendar = await loadWorkCalendar(deps.database.db);
  const duties = (await listRecurring(deps)).filter((d) => d.enabled);
  const created: string[] = [];
  let skipped = 0;
  for (const duty of duties) {
    const occ = occurrenceOn(duty.rule, today, calendar);
    if (!occ) continue;
    const id = await createOccurrence(deps, duty, occ, today);
    if (id) created.push(id);
    else skipped++;
  }
  return { sent: created.length, skipped, created };
}

/**
 * Creates one occurrence as a task, or answers null when it exists already, when its deadline
 * has passed, or when it fails (logged). Once per occurrence across instances: the item is
 * inserted with its (duty, occurrence) key under the unique index items_occurrence_uq, in the
 * transaction that creates it.
 */
async function createOccurrence(
  deps: Deps,
  duty: RecurringDuty,
  occ: Occurrence,
  today: string,
): Promise<string | null> {
  const { db } = deps.database;
  if (await occurrenceItemId(db, duty.id, occ.key)) return null;
  const dueAt = atLocal(occ.dueDate, occ.dueTime, deps.config.timezone);
  if (dueAt <= deps.clock.now()) {
    deps.logger.warn('recurring occurrence skipped: its deadline has passed', {
      duty: duty.id,
      occurrence: occ.key,
    });
    return null;
  }
  try {
    let assignee = duty.assignee;
    if (!assignee && duty.rotation === 'duty') assignee = (await getDutyDay(db, today))?.officer ?? null;
    const leadDept = duty.dept ?? (assignee ? ((await getPerson(db, assignee))?.dept ?? null) : null);
    if (!leadDept) throw new Error(`recurring duty ${duty.id} has no department to lead it`);
    const item = await createItem(
      deps,
      {
        kind: 'task',
        source: duty.source,
        title: `${duty.title}（${occurrenceLabel(duty.rule, occ)}）`,
        leadDept,
        assignee,
        dueAt,
      },
      'system',
      { occurrence: { recurringId: duty.id, key: occ.key } },
    );
    return item.id;
  } catch (error) {
    if (!isDuplicateOccurrence(error)) {
      deps.logger.error('recurring occurrence failed', { duty: duty.id, occurrence: occ.key, error });
    }
    return null;
  }
}
