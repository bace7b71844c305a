import { z } from 'zod';
import { getDepartment } from '../db/repos/departments.js';
import { getDutyDay } from '../db/repos/duty.js';
import { getPerson } from '../db/repos/people.js';
import { appendSettingHistory } from '../db/repos/settings.js';
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
import { AppError, notFound } from '../errors.js';
import { loadWorkCalendar } from './calendar.js';
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

function toDuty(r: {
  id: number;
  title: string;
  assignee: string | null;
  dept: string | null;
  rule: unknown;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}): RecurringDuty {
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
  const rows = await deps.database.db.selectFrom('recurring_duties').selectAll().orderBy('id').execute();
  return rows.map(toDuty);
}

export async function getRecurring(deps: Deps, id: number): Promise<RecurringDuty> {
  const row = await deps.database.db
    .selectFrom('recurring_duties')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`No recurring duty ${id}.`);
  return toDuty(row);
}

function storedRule(input: RecurringInput): string {
  return JSON.stringify({
    rule: input.rule,
    rotation: input.rotation,
    source: input.source,
  } satisfies StoredRule);
}

export async function createRecurring(deps: Deps, input: RecurringInput, by: string): Promise<RecurringDuty> {
  await validateRefs(deps, input);
  const now = deps.clock.now();
  const row = await deps.database.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('recurring_duties')
      .values({
        title: input.title,
        kind: 'task',
        assignee: input.assignee ?? null,
        dept: input.dept ?? null,
        rule: storedRule(input),
        enabled: input.enabled,
        created_by: by,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
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
  const row = await deps.database.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('recurring_duties')
      .set({
        title: input.title,
        assignee: input.assignee ?? null,
        dept: input.dept ?? null,
        rule: storedRule(input),
        enabled: input.enabled,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendSettingHistory(trx, `recurring:${id}`, { ...input, action: 'update' }, by, now);
    return r;
  });
  return toDuty(row);
}

/** DELETE disables: the duty's definition, its occurrences and their history stay on record. */
export async function disableRecurring(deps: Deps, id: number, by: string): Promise<RecurringDuty> {
  await getRecurring(deps, id);
  const now = deps.clock.now();
  const row = await deps.database.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('recurring_duties')
      .set({ enabled: false, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
  const tz = deps.config.timezone;
  const { db } = deps.database;
  const today = localDate(ctx.at, tz);
  const calendar = await loadWorkCalendar(db);
  const duties = (await listRecurring(deps)).filter((d) => d.enabled);
  const created: string[] = [];
  let skipped = 0;
  for (const duty of duties) {
    const occ = occurrenceOn(duty.rule, today, calendar);
    if (!occ) continue;
    const existing = await db
      .selectFrom('items')
      .select('id')
      .where('recurring_id', '=', duty.id)
      .where('occurrence_key', '=', occ.key)
      .executeTakeFirst();
    if (existing) {
      skipped++;
      continue;
    }
    const dueAt = atLocal(occ.dueDate, occ.dueTime, tz);
    if (dueAt <= deps.clock.now()) {
      deps.logger.warn('recurring occurrence skipped: its deadline has passed', {
        duty: duty.id,
        occurrence: occ.key,
      });
      skipped++;
      continue;
    }
    // Once per occurrence across instances: the item is inserted with its (duty, occurrence) key
    // under the unique index items_occurrence_uq, in the transaction that creates it.
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
      created.push(item.id);
    } catch (error) {
      if (!isDuplicateOccurrence(error)) {
        deps.logger.error('recurring occurrence failed', { duty: duty.id, occurrence: occ.key, error });
      }
      skipped++;
    }
  }
  return { sent: created.length, skipped, created };
}
