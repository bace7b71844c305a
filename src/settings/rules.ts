import { z } from 'zod';
import { getSetting, putSetting } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { DatabaseContext, Deps } from '../deps.js';
import {
  DEADLINE_RULES_SETTING,
  type DeadlineRules,
  deadlineRulesSchema,
  mergeRulesPatch,
  rulesFromStored,
} from '../domain/rules.js';
import {
  SCORING_RULES_SETTING,
  type ScoringRules,
  scoringFromStored,
  scoringRulesSchema,
} from '../domain/scores.js';
import { invalidFields } from '../platform/errors.js';

/** The office's deadline rules: the stored set, or the defaults when admins never changed them. */
export async function loadDeadlineRules(db: Db): Promise<DeadlineRules> {
  return rulesFromStored(await getSetting(db, DEADLINE_RULES_SETTING));
}

/**
 * PUT /api/v1/rules: merges a partial update onto the current rules, validates the whole set and
 * stores it with a settings_history row. Items already created keep their deadlines.
 */
export async function updateDeadlineRules(
  deps: Deps,
  patch: Record<string, unknown>,
  by: string,
): Promise<DeadlineRules> {
  return inTransaction(deps.database.db, async (trx) => {
    const current = await loadDeadlineRules(trx);
    const parsed = deadlineRulesSchema.safeParse(mergeRulesPatch(current, patch));
    if (!parsed.success) throw invalidFields(parsed.error);
    await putSetting(trx, DEADLINE_RULES_SETTING, parsed.data, by, deps.clock.now());
    return parsed.data;
  });
}

/** 百分量化考核 weights: the stored set, or the defaults. */
export async function loadScoringRules(db: Db): Promise<ScoringRules> {
  return scoringFromStored(await getSetting(db, SCORING_RULES_SETTING));
}

/**
 * PUT /api/v1/rules with deadline rules and `scoring` weights: both merged onto the current sets
 * and validated, then stored in one transaction (a bad field in either stores nothing).
 */
export async function updateRules(
  deps: Deps,
  input: { rules: Record<string, unknown>; scoring?: Record<string, unknown> | undefined },
  by: string,
): Promise<{ rules: DeadlineRules; scoring: ScoringRules }> {
  return inTransaction(deps.database.db, async (trx) => {
    const [rules, scoring] = [await loadDeadlineRules(trx), await loadScoringRules(trx)];
    const parsed = z.object({ rules: deadlineRulesSchema, scoring: scoringRulesSchema }).safeParse({
      rules: mergeRulesPatch(rules, input.rules),
      scoring: { ...scoring, ...(input.scoring ?? {}) },
    });
    if (!parsed.success) throw invalidFields(parsed.error);
    const now = deps.clock.now();
    if (Object.keys(input.rules).length > 0)
      await putSetting(trx, DEADLINE_RULES_SETTING, parsed.data.rules, by, now);
    if (input.scoring) await putSetting(trx, SCORING_RULES_SETTING, parsed.data.scoring, by, now);
    return parsed.data;
  });
}

/** The deadline and scoring rules in force (GET /api/v1/rules). */
export async function rulesInForce(
  ctx: DatabaseContext,
): Promise<{ rules: DeadlineRules; scoring: ScoringRules }> {
  return {
    rules: await loadDeadlineRules(ctx.database.db),
    scoring: await loadScoringRules(ctx.database.db),
  };
}
