import { z } from 'zod';

/**
 * 百分量化考核: each department starts a period at 100 and loses points for what went wrong on its
 * items, gains a little for closing early. Every deduction names its item (扣分明细), so a unit
 * can see why. Weights are the office's (`scoring` in GET|PUT /api/v1/rules).
 */
export interface ScoringRules {
  /** Per item closed after its deadline in the period. */
  lateClose: number;
  /** Per working day an item was late when closed in the period, or is overdue at its end. */
  overdueDay: number;
  /** Per extension request made in the period. */
  extension: number;
  /** Per 催办 sent in the period that nobody answered (no action on the item before the period ended). */
  unansweredReminder: number;
  /** Bonus per item closed in the period at least one working day before its deadline. */
  earlyClose: number;
  /** The most bonus a department earns in one period. */
  maxBonus: number;
  /** 通报 names the units with items overdue more than this many working days. */
  overdueThresholdWorkdays: number;
}

export const DEFAULT_SCORING_RULES: ScoringRules = {
  lateClose: 2,
  overdueDay: 0.5,
  extension: 1,
  unansweredReminder: 0.5,
  earlyClose: 0.5,
  maxBonus: 5,
  overdueThresholdWorkdays: 5,
};

export const SCORING_RULES_SETTING = 'scoring_rules';

const points = z.number().min(0, 'must be 0 or more').max(100, 'must be at most 100');
export const scoringRulesSchema = z
  .object({
    lateClose: points,
    overdueDay: points,
    extension: points,
    unansweredReminder: points,
    earlyClose: points,
    maxBonus: points,
    overdueThresholdWorkdays: z.number().int('must be a whole number').min(0).max(250),
  })
  .strict();

export function scoringFromStored(stored: unknown): ScoringRules {
  const merged = { ...DEFAULT_SCORING_RULES, ...(stored && typeof stored === 'object' ? stored : {}) };
  const parsed = scoringRulesSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_SCORING_RULES };
}

/** What happened to one item in a period, as the scores need it. */
export interface ItemFacts {
  itemId: string;
  title: string;
  dept: string | null;
  /** Closed in the period: after its deadline (and by how many working days), or how many working days early. */
  closed: { late: boolean; workdaysLate: number; workdaysEarly: number } | null;
  /** Still open (or closed after the period) and overdue at its end: working days overdue. */
  overdueWorkdaysAtEnd: number | null;
  extensions: number;
  unansweredReminders: number;
}

export interface Deduction {
  itemId: string;
  title: string;
  reason: string;
  /** Negative for a deduction, positive for a bonus. */
  points: number;
}

export interface DepartmentScore {
  score: number;
  deductions: Deduction[];
  bonus: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A department's score out of 100 for the period, with every deduction and bonus by item. */
export function scoreDepartment(facts: ItemFacts[], rules: ScoringRules): DepartmentScore {
  const deductions: Deduction[] = [];
  const add = (f: ItemFacts, reason: string, pts: number) => {
    if (pts !== 0) deductions.push({ itemId: f.itemId, title: f.title, reason, points: round1(pts) });
  };
  let bonus = 0;
  for (const f of facts) {
    if (f.closed?.late) {
      const days = f.closed.workdaysLate;
      add(f, days > 0 ? `逾期${days}个工作日办结` : '逾期办结', -(rules.lateClose + rules.overdueDay * days));
    } else if (f.closed && f.closed.workdaysEarly >= 1) {
      const early = Math.min(rules.earlyClose, Math.max(0, rules.maxBonus - bonus));
      bonus += early;
      add(f, `提前${f.closed.workdaysEarly}个工作日办结`, early);
    }
    if (f.overdueWorkdaysAtEnd !== null && f.overdueWorkdaysAtEnd > 0)
      add(f, `逾期未办结${f.overdueWorkdaysAtEnd}个工作日`, -rules.overdueDay * f.overdueWorkdaysAtEnd);
    if (f.extensions > 0) add(f, `申请延期${f.extensions}次`, -rules.extension * f.extensions);
    if (f.unansweredReminders > 0)
      add(f, `催办未回应${f.unansweredReminders}次`, -rules.unansweredReminder * f.unansweredReminders);
  }
  const total = deductions.reduce((s, d) => s + d.points, 0);
  deductions.sort((a, b) => a.points - b.points || a.itemId.localeCompare(b.itemId));
  return { score: round1(Math.min(100, Math.max(0, 100 + total))), deductions, bonus: round1(bonus) };
}
