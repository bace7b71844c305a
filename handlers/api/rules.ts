import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/rules.js';
import { loadDeadlineRules, updateDeadlineRules } from '../../src/services/rules.js';
import { readBody } from './body.js';
import * as F from './fields.js';

const ruleKeys = Object.keys(DEFAULT_DEADLINE_RULES);

/** 限时办结 rules: GET /rules, PUT /rules (any subset of the rules; the merged set is validated). */
export function rulesRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/rules', async (c) =>
    c.json({ rules: await loadDeadlineRules(deps.database.db), defaults: DEFAULT_DEADLINE_RULES }),
  );

  app.put('/rules', async (c) => {
    const body = await readBody(
      c,
      z
        .object({
          ...Object.fromEntries(ruleKeys.map((k) => [k, z.unknown().optional()])),
          by: F.id({ what: 'who made the change' }).optional(),
        })
        .strict(),
    );
    const { by, ...patch } = body as Record<string, unknown> & { by?: string };
    const rules = await updateDeadlineRules(deps, patch, by ?? 'admin-api');
    return c.json({ rules });
  });

  return app;
}
