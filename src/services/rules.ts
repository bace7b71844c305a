import { getSetting, putSetting } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import {
  DEADLINE_RULES_SETTING,
  type DeadlineRules,
  deadlineRulesSchema,
  rulesFromStored,
} from '../domain/rules.js';
import { invalidFields } from '../errors.js';

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
    const parsed = deadlineRulesSchema.safeParse({ ...current, ...patch });
    if (!parsed.success) throw invalidFields(parsed.error);
    await putSetting(trx, DEADLINE_RULES_SETTING, parsed.data, by, deps.clock.now());
    return parsed.data;
  });
}
