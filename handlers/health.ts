import { Hono } from 'hono';
import type { Deps } from '../src/deps.js';
import { checkDatabase, type HealthSection } from '../src/platform/health.js';

/** GET /healthz: 200 once the database answers, with what an operator needs to know at a glance. */
export function healthRoutes(deps: Deps, sections: HealthSection[]) {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const database = await checkDatabase(deps);
    const body: Record<string, unknown> = {
      status: database.ok ? 'ok' : 'unavailable',
      time: deps.clock.now().toISOString(),
      timezone: deps.config.timezone,
      database,
      lark: deps.larkEnabled
        ? { configured: true }
        : { configured: false, note: 'LARK_APP_ID/LARK_APP_SECRET are not set: nothing is sent to Lark' },
    };
    const warnings: string[] = [];
    if (!deps.larkEnabled) warnings.push('Lark is not configured: the service runs but sends nothing.');
    if (database.ok) {
      for (const section of sections) {
        try {
          const result = await section.check(deps);
          body[section.name] = result;
          if (!result.ok && typeof result.warning === 'string') warnings.push(result.warning);
        } catch {
          body[section.name] = { ok: false, error: 'check failed' };
          warnings.push(`${section.name}: the health check failed`);
        }
      }
    }
    body.warnings = warnings;
    return c.json(body, database.ok ? 200 : 503);
  });
  return app;
}
