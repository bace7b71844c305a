import { countUnsentOutbox } from '../../db/repos/outbox.js';
import type { HealthSection } from '../../platform/health.js';

/**
 * /healthz `outbox`: what is waiting, what failed for good, what needs an admin's look
 * (flagged: not confirmed inside Lark's 1-hour uuid window), and whether anything is sent at all.
 */
export const outboxHealthSection: HealthSection = {
  name: 'outbox',
  async check(deps) {
    const rows = await countUnsentOutbox(deps.database.db);
    const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    const pending = count('pending') + count('sending');
    const failed = count('failed');
    const flagged = count('flagged');
    const oldestPending = rows
      .filter((r) => r.status === 'pending' || r.status === 'sending')
      .map((r) => r.oldest)
      .filter((d): d is Date => d !== null)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const problems: string[] = [];
    if (!deps.lark && pending > 0)
      problems.push(`${pending} message(s) wait: Lark is not configured, nothing is sent`);
    if (failed > 0) problems.push(`${failed} message(s) failed: see GET /api/v1/outbox?status=failed`);
    if (flagged > 0)
      problems.push(`${flagged} message(s) flagged for an admin: see GET /api/v1/outbox?status=flagged`);
    return {
      ok: problems.length === 0,
      sending: deps.lark ? 'enabled' : 'disabled (no Lark credentials)',
      pending,
      failed,
      flagged,
      oldestPendingAt: oldestPending ? new Date(oldestPending).toISOString() : null,
      ...(problems.length > 0 ? { warning: `outbox: ${problems.join('; ')}` } : {}),
    };
  },
};
