import { listDepartments } from '../db/repos/departments.js';
import { lastInboundReceived } from '../db/repos/inbound-events.js';
import type { Deps } from '../deps.js';
import { loopTask } from '../platform/background.js';
import type { HealthSection } from '../platform/health.js';
import { checkLarkSetup, type SetupReport } from './setup-check.js';

/** How often a running service checks its Lark set-up again (it calls Lark four times or so). */
export const SETUP_CHECK_EVERY_MS = 60 * 60_000;

/** Runs the set-up check with this service's database and keeps the report on Deps. */
export async function runLarkSetupCheck(deps: Deps): Promise<SetupReport> {
  const { db } = deps.database;
  const report = await checkLarkSetup(
    deps.config.lark,
    { departments: await listDepartments(db), lastReceived: await lastInboundReceived(db) },
    deps.clock.now(),
  );
  deps.larkSetup = { last: report };
  return report;
}

/** At start and every hour (Node): what the tenant still lacks, for /healthz larkSetup. */
export function larkSetupCheckTask(deps: Deps) {
  return loopTask('lark-setup-check', SETUP_CHECK_EVERY_MS, () => runLarkSetupCheck(deps), deps.logger);
}

/**
 * /healthz `larkSetup`: the last set-up check (npm run lark:check does the same by hand), each
 * problem as a warning. It is not run on the health request itself, which stays cheap.
 */
export const larkSetupHealthSection: HealthSection = {
  name: 'larkSetup',
  async check(deps) {
    if (!deps.larkEnabled || deps.playground) return { ok: true, checked: false };
    const last = deps.larkSetup?.last;
    if (!last)
      return {
        ok: true,
        checked: false,
        note: 'not checked yet: a Node process checks at start and hourly; npm run lark:check does it by hand',
      };
    const problems = last.findings.filter((f) => f.level === 'problem').map((f) => f.message);
    return {
      ...last,
      checked: true,
      ...(problems.length > 0 ? { warning: `larkSetup: ${problems.join(' ')}` } : {}),
    };
  },
};
