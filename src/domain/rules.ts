import { z } from 'zod';
import type { ReportEvery, TaskSource } from './types.js';

/**
 * The office's deadline rules (限时办结制), editable by admins and stored in settings under
 * 'deadline_rules'. Every "workdays" figure counts official working days after the day the item
 * was received or assigned; a deadline on a day means that day at `workdayEndsAt`.
 */
export interface DeadlineRules {
  /** When a working day starts ('HH:mm'), e.g. for "the next working morning". */
  workdayStartsAt: string;
  /** When a working day ends ('HH:mm'): a deadline "on a day" is this time. */
  workdayEndsAt: string;
  /** 传阅件当天办完: circulation copies are due at the end of the day they arrive … */
  circularCutoff: string;
  /** 签发件两天办完 */
  signoffWorkdays: number;
  /** 紧急件连夜办完: due at this time the next calendar day, whatever the calendar says. */
  urgentNextMorningAt: string;
  /** 办文一般控制在3天之内 */
  normalWorkdays: number;
  /** 领导批示件 / 交办事项 */
  instructionWorkdays: number;
  /** 会议议定事项 */
  decisionWorkdays: number;
  /** 人大代表建议 / 政协提案: answered within n months of assignment (at most 6 by statute). */
  proposalMonths: number;
  /** … and co-handling units answer the lead unit within n months. */
  proposalCoUnitMonths: number;
  /** 十件实事 */
  practicalWorkdays: number;
  /** 热线 */
  hotlineWorkdays: number;
  /** other supervised tasks */
  otherWorkdays: number;
  /** Co-handling units of a working-day task answer the lead unit this many working days earlier. */
  coUnitWorkdaysEarlier: number;
  /** 白天开会，晚上起草，第二天送审: minutes due n working days after the meeting ends. */
  minutesWorkdays: number;
  /** Yellow light when at most this many working days are left before the deadline. */
  yellowWithinWorkdays: number;
  /**
   * 十件实事: 'yearEnd' → due at the end of the year's last working day (assigned in December →
   * the next year's); 'workdays' → `practicalWorkdays` working days like other tasks.
   */
  practicalDue: 'yearEnd' | 'workdays';
  /** How often tasks of each source report progress unless the task says otherwise (null: never). */
  reportEvery: Record<TaskSource, ReportEvery | null>;
}

export const DEFAULT_DEADLINE_RULES: DeadlineRules = {
  workdayStartsAt: '09:00',
  workdayEndsAt: '18:00',
  circularCutoff: '16:00',
  signoffWorkdays: 2,
  urgentNextMorningAt: '09:00',
  normalWorkdays: 3,
  instructionWorkdays: 5,
  decisionWorkdays: 5,
  proposalMonths: 3,
  proposalCoUnitMonths: 1,
  practicalWorkdays: 20,
  hotlineWorkdays: 5,
  otherWorkdays: 5,
  coUnitWorkdaysEarlier: 2,
  minutesWorkdays: 1,
  yellowWithinWorkdays: 1,
  practicalDue: 'yearEnd',
  reportEvery: {
    instruction: null,
    decision: null,
    proposal: 'month',
    practical: 'month',
    hotline: null,
    other: null,
  },
};

const rhythm = z.enum(['week', 'tenDays', 'month']).nullable();

export const DEADLINE_RULES_SETTING = 'deadline_rules';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:mm (00:00–23:59)');
const workdays = (max: number) => z.number().int('must be a whole number').min(0).max(max);

/** Validates a complete rule set (after merging a partial update onto the current rules). */
export const deadlineRulesSchema = z
  .object({
    workdayStartsAt: hhmm,
    workdayEndsAt: hhmm,
    circularCutoff: hhmm,
    signoffWorkdays: workdays(60),
    urgentNextMorningAt: hhmm,
    normalWorkdays: workdays(60),
    instructionWorkdays: workdays(250),
    decisionWorkdays: workdays(250),
    proposalMonths: z.number().int('must be a whole number').min(1).max(6, 'the statutory limit is 6 months'),
    proposalCoUnitMonths: z.number().int('must be a whole number').min(1).max(6),
    practicalWorkdays: workdays(250),
    hotlineWorkdays: workdays(250),
    otherWorkdays: workdays(250),
    coUnitWorkdaysEarlier: workdays(60),
    minutesWorkdays: workdays(30),
    yellowWithinWorkdays: workdays(30),
    practicalDue: z.enum(['yearEnd', 'workdays']),
    reportEvery: z
      .object({
        instruction: rhythm,
        decision: rhythm,
        proposal: rhythm,
        practical: rhythm,
        hotline: rhythm,
        other: rhythm,
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.workdayStartsAt >= r.workdayEndsAt)
      ctx.addIssue({
        code: 'custom',
        path: ['workdayEndsAt'],
        message: 'must be later than workdayStartsAt',
      });
    if (r.circularCutoff > r.workdayEndsAt)
      ctx.addIssue({
        code: 'custom',
        path: ['circularCutoff'],
        message: 'must not be later than workdayEndsAt',
      });
    if (r.proposalCoUnitMonths > r.proposalMonths)
      ctx.addIssue({
        code: 'custom',
        path: ['proposalCoUnitMonths'],
        message: 'co-units must answer no later than the lead unit (proposalMonths)',
      });
  });

/** A partial update as admins send it to PUT /api/v1/rules. */
export const deadlineRulesPatchSchema = z
  .object(Object.fromEntries(Object.keys(DEFAULT_DEADLINE_RULES).map((k) => [k, z.unknown().optional()])))
  .strict();

/** A partial `reportEvery` in an update keeps the sources it does not name. */
export function mergeRulesPatch(
  current: DeadlineRules,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current, ...patch };
  const r = patch.reportEvery;
  if (r && typeof r === 'object' && !Array.isArray(r)) merged.reportEvery = { ...current.reportEvery, ...r };
  return merged;
}

/** Rules as stored: unknown keys dropped, missing keys filled from the defaults (older stored sets). */
export function rulesFromStored(stored: unknown): DeadlineRules {
  const merged: Record<string, unknown> = { ...DEFAULT_DEADLINE_RULES };
  if (stored && typeof stored === 'object') {
    for (const key of Object.keys(DEFAULT_DEADLINE_RULES)) {
      const v = (stored as Record<string, unknown>)[key];
      if (v !== undefined) merged[key] = v;
    }
  }
  const parsed = deadlineRulesSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_DEADLINE_RULES };
}
