import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/rules.js';
import { loadDeadlineRules, updateDeadlineRules } from '../../src/services/rules.js';
import { readBody } from './body.js';
import { apiApp, route } from './openapi.js';

const ruleKeys = Object.keys(DEFAULT_DEADLINE_RULES);
/** Any subset of the rules; the merged set is checked by the rules' own schema (422 naming the rule). */
const putBody = z
  .object({
    ...Object.fromEntries(ruleKeys.map((k) => [k, z.unknown().optional()])),
    by: z.string().trim().min(1).max(100).optional().meta({ description: 'Who made the change (history).' }),
  })
  .strict();

/** 限时办结 rules: GET /rules, PUT /rules (any subset of the rules; the merged set is validated). */
export function rulesRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'rules';

  route(
    app,
    {
      method: 'get',
      path: '/rules',
      tag,
      summary: 'The deadline rules in force, and the defaults',
      ok: { description: '`{rules, defaults}`' },
    },
    async (c) =>
      c.json({ rules: await loadDeadlineRules(deps.database.db), defaults: DEFAULT_DEADLINE_RULES }),
  );

  route(
    app,
    {
      method: 'put',
      path: '/rules',
      tag,
      summary:
        'Change some deadline rules (cut-off time, working days per type and source, yellow threshold…)',
      description:
        'Send any subset of the keys of `defaults` (GET /rules); the merged set is validated and recorded.',
      body: putBody,
      ok: { description: '`{rules}`' },
    },
    async (c) => {
      const body = await readBody(c, putBody);
      const { by, ...patch } = body as Record<string, unknown> & { by?: string };
      const rules = await updateDeadlineRules(deps, patch, by ?? 'admin-api');
      return c.json({ rules });
    },
  );

  return app;
}
