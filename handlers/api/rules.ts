import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/rules.js';
import { DEFAULT_SCORING_RULES } from '../../src/domain/scores.js';
import { rulesInForce, updateRules } from '../../src/settings/rules.js';
import { readBody } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const ruleKeys = Object.keys(DEFAULT_DEADLINE_RULES);
/** Any subset of the rules; the merged set is checked by the rules' own schema (422 naming the rule). */
const putBody = z
  .object({
    ...Object.fromEntries(ruleKeys.map((k) => [k, z.unknown().optional()])),
    scoring: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Any subset of the scoring rules (keys of `scoringDefaults`).' }),
    by: F.id({ what: 'who made the change' })
      .optional()
      .meta({ description: 'Who made the change (history).' }),
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
      summary: 'The deadline and scoring rules in force, and their defaults',
      ok: { description: '`{rules, defaults, scoring, scoringDefaults}`' },
    },
    async (c) => {
      const { rules, scoring } = await rulesInForce(deps);
      return c.json({
        rules,
        defaults: DEFAULT_DEADLINE_RULES,
        scoring,
        scoringDefaults: DEFAULT_SCORING_RULES,
      });
    },
  );

  route(
    app,
    {
      method: 'put',
      path: '/rules',
      tag,
      summary:
        'Change some deadline rules (cut-off time, working days per type and source, yellow threshold…) or scoring rules',
      description:
        'Send any subset of the keys of `defaults` (GET /rules), and `scoring`; the merged set is validated and recorded.',
      body: putBody,
      ok: { description: 'The rules now in force.' },
    },
    async (c) => {
      const body = await readBody(c, putBody);
      const { by, scoring, ...patch } = body as Record<string, unknown> & {
        by?: string;
        scoring?: Record<string, unknown>;
      };
      return c.json(await updateRules(deps, { rules: patch, scoring }, by ?? 'admin-api'));
    },
  );

  return app;
}
