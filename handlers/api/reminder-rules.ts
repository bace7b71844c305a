import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { getReminderRulesView, patchReminderRules } from '../../src/settings/admin-settings.js';
import { readBody } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const hhmm = F.hhmm();

const patchSchema = z
  .object({
    rounds: z.array(hhmm).min(1).max(12).optional(),
    escalateToChiefAfter: z.number().int().min(1).max(60).optional(),
    escalateToLeadersAfter: z.number().int().min(1).max(60).optional(),
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().optional(),
    meetingSoonMinutes: z.number().int().min(5).max(720).optional(),
    meetingEveAt: hhmm.optional(),
    paused: z.boolean().optional().meta({ description: 'Pause all reminder rounds.' }),
  })
  .strict();

/**
 * GET|PUT /reminder-rules — N, M, rounds, quiet hours; every change recorded. The yellow threshold
 * is `yellowWithinWorkdays` in /rules (one threshold for lights and reminders).
 */
export function reminderRulesRoutes(deps: Deps) {
  const r = apiApp();
  const tag = 'reminders';
  route(
    r,
    {
      method: 'get',
      path: '/reminder-rules',
      tag,
      summary: 'Reminder rounds, escalation, quiet hours',
      ok: { description: 'The reminder rules.' },
    },
    async (c) => c.json(await getReminderRulesView(deps)),
  );
  route(
    r,
    {
      method: 'put',
      path: '/reminder-rules',
      tag,
      summary: 'Change some reminder rules (every change recorded)',
      body: patchSchema,
      ok: { description: 'The reminder rules.' },
    },
    async (c) => {
      const body = await readBody(c, patchSchema);
      return c.json(await patchReminderRules(deps, body, 'api'));
    },
  );
  return r;
}
