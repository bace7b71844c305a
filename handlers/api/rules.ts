import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/rules.js';
import { DEFAULT_SCORING_RULES } from '../../src/domain/scores.js';
import { loadDeadlineRules, loadScoringRules, updateRules } from '../../src/services/rules.js';
import { readBody } from './body.js';
import * as F from './fields.js';

const ruleKeys = Object.keys(DEFAULT_DEADLINE_RULES);

/** 限时办结 rules: GET /rules, PUT /rules (any subset of the rules; the merged set is validated). */
export function rulesRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/rules', async (c) =>
    c.json({
      rules: await loadDeadlineRules(deps.database.db),
      defaults: DEFAULT_DEADLINE_RULES,
      scoring: await loadScoringRules(deps.database.db),
      scoringDefaults: DEFAULT_SCORING_RULES,
    }),
  );

  app.put('/rules', async (c) => {
    const body = await readBody(
      c,
      z
        .object({
          ...Object.fromEntries(ruleKeys.map((k) => [k, z.unknown().optional()])),
          scoring: z.record(z.string(), z.unknown()).optional(),
          by: F.id({ what: 'who made the change' }).optional(),
        })
        .strict(),
    );
    const { by, scoring, ...patch } = body as Record<string, unknown> & {
      by?: string;
      scoring?: Record<string, unknown>;
    };
    return c.json(await updateRules(deps, { rules: patch, scoring }, by ?? 'admin-api'));
  });

  return app;
}
